# METADATA
# title: 日志留存不少于六个月
# description: |
#   Logs are kept at least log_retention_days (180 by default: 网络安全法 requires six months): every
#   log store of the host keeps that long, or the logs are sent to a log server by a forwarder that
#   runs (whose own retention zicha does not see: it is named in the evidence). Linux - the system log
#   files are rotated so that they are kept that long (rotate × period), or the journal is persistent
#   with MaxRetentionSec at least that long (a journal bounded only by its size keeps an unknown span).
#   Windows - the Security, System and Application event logs are archived when full (AutoBackup) or
#   never overwritten, or hold that many days (the oldest record's age, projected to the full size).
# custom:
#   id: LOG-RETENTION
#   title_en: Logs are kept at least six months
#   severity: medium
#   clauses: [LOG-RETENTION]
#   applies_to:
#     zh: 服务器和终端（任何平台）
#     en: servers and terminals (any platform)
#   remediation:
#     zh: >-
#       调整 logrotate（如 weekly + rotate 26，或 monthly + rotate 6）或 journald（Storage=persistent，MaxRetentionSec=6month）；Windows
#       增大事件日志并设为“日志满时将其存档，不覆盖事件”（wevtutil sl Security /rt:true /ab:true）；并把日志发送到日志审计服务器集中保存。
#     en: >-
#       Set logrotate (weekly with rotate 26, or monthly with rotate 6) or journald (Storage=persistent, MaxRetentionSec=6month); on Windows
#       enlarge the event logs and archive them when full (wevtutil sl Security /rt:true /ab:true); and send the logs to the central log
#       server.
package zicha.rules.log_retention

import data.zicha.lib.hosts

meta := rego.metadata.chain()

min_days := data.zicha.params.log_retention_days

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

needs[name] := {"log_retention", "log_forwarding"} if some name in applicable

stores(host) := host.facts.log_retention.value.stores

remote(host) := [t.host | some t in host.facts.log_forwarding.value.targets; t.running]

kept(store) if store.unbounded

kept(store) if {
	is_number(store.days)
	store.days >= min_days
}

kept_long_enough(host) if count(remote(host)) > 0

kept_long_enough(host) if {
	count(stores(host)) > 0
	every s in stores(host) {
		kept(s)
	}
}

violations[name] contains msg if {
	some name in applicable
	host := input.hosts[name]
	not kept_long_enough(host)
	msg := {
		"zh": sprintf("日志留存不足 %d 天（%s），且未发送到日志服务器", [min_days, describe(host).zh]),
		"en": sprintf("logs are kept less than %d days (%s) and not sent to a log server", [min_days, describe(host).en]),
	}
}

describe(host) := {"zh": concat("；", d), "en": concat("; ", e)} if {
	d := [sprintf("%s %s", [s.name, days_zh(s)]) | some s in stores(host)]
	e := [sprintf("%s: %s, about %v days", [s.name, object.get(s, "detail", ""), days(s)]) | some s in stores(host)]
	count(d) > 0
} else := {"zh": "未发现任何日志存储", "en": "no log store found"}

days(s) := s.days if is_number(s.days)

days(s) := "?" if not is_number(s.days)

days_zh(s) := sprintf("约 %v 天", [s.days]) if is_number(s.days)

days_zh(s) := "留存天数未知" if not is_number(s.days)

observed[name] := {
	"stores": stores(host),
	"remote": remote(host),
	"minimum_days": min_days,
} if {
	some name in applicable
	host := input.hosts[name]
}
