# METADATA
# title: 日志留存不少于六个月
# description: |
#   Logs are kept at least log_retention_days (180 by default: 网络安全法 requires six months). On a
#   Linux host: the system log files are rotated so that they are kept that long (rotate × period),
#   or the journal is persistent with MaxRetentionSec at least that long (a journal bounded only by
#   its size keeps an unknown span), or the logs are sent to a log server (whose own retention zicha
#   does not see: it is named in the evidence).
# custom:
#   id: LOG-RETENTION
#   title_en: Logs are kept at least six months
#   severity: medium
#   clauses: [LOG-RETENTION]
#   applies_to:
#     zh: 服务器和终端（任何平台）
#     en: servers and terminals (any platform)
#   remediation:
#     zh: 调整 logrotate（如 weekly + rotate 26，或 monthly + rotate 6）或 journald（Storage=persistent，MaxRetentionSec=6month），并把日志发送到日志审计服务器集中保存。
#     en: >-
#       Set logrotate (weekly with rotate 26, or monthly with rotate 6) or journald (Storage=persistent, MaxRetentionSec=6month), and send the
#       logs to the central log server.
package zicha.rules.log_retention

import data.zicha.lib.hosts

meta := rego.metadata.chain()

min_days := data.zicha.params.log_retention_days

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

needs[name] := {"logging"} if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
}

syslog_files := {"/var/log/syslog", "/var/log/messages", "/var/log/auth.log", "/var/log/secure"}

rotated(log) := {path: f |
	some path, f in log.logrotate.files
	path in syslog_files
}

# forwarding counts only while rsyslogd runs to do it
remote(log) := object.get(log, ["rsyslog", "remote"], []) if "rsyslogd" in object.get(log, "daemons", [])

remote(log) := [] if not "rsyslogd" in object.get(log, "daemons", [])

journal_days(log) := j.max_retention_sec / 86400 if {
	j := log.journald
	j.persistent
	is_number(j.max_retention_sec)
}

kept_long_enough(log) if count(remote(log)) > 0

kept_long_enough(log) if {
	count(rotated(log)) > 0
	every _, f in rotated(log) {
		is_number(f.days)
		f.days >= min_days
	}
}

kept_long_enough(log) if {
	count(rotated(log)) == 0
	count(object.get(log, "syslog_files", [])) == 0
	journal_days(log) >= min_days
}

violations[name] contains msg if {
	some name in applicable
	log := input.hosts[name].facts.logging.value
	not kept_long_enough(log)
	msg := {
		"zh": sprintf("日志留存不足 %d 天（%s），且未发送到日志服务器", [min_days, describe(log).zh]),
		"en": sprintf("logs are kept less than %d days (%s) and not sent to a log server", [min_days, describe(log).en]),
	}
}

describe(log) := {"zh": concat("；", d), "en": concat("; ", e)} if {
	d := [sprintf("%s 轮转 %v 次×%v，约 %v 天", [p, f.rotate, f.period, f.days]) | some p, f in rotated(log)]
	e := [sprintf("%s rotated %v × %v, about %v days", [p, f.rotate, f.period, f.days]) | some p, f in rotated(log)]
	count(d) > 0
} else := {"zh": "系统日志未配置轮转保留，日志仅在 journald 中", "en": "no rotation set for the system logs; journald only"}

observed[name] := {
	"rotated": rotated(log),
	"remote": remote(log),
	"journald": object.get(log, "journald", null),
	"minimum_days": min_days,
} if {
	some name in applicable
	log := input.hosts[name].facts.logging.value
}
