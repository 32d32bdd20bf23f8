package zicha.tests.log_retention_test

import data.zicha.test.fixtures as f

logging(files, remote, journald) := {"logging": {
	"logrotate": {"default": {}, "files": files, "present": true},
	"rsyslog": {"remote": remote, "files": [p | some p, _ in files]},
	"journald": journald,
	"daemons": ["rsyslogd"],
	"syslog_files": [p | some p, _ in files],
}}

rot(rotate, period, days) := {"rotate": rotate, "period": period, "days": days, "maxage": null, "source": "/etc/logrotate.d/rsyslog"}

test_success_rotated_for_half_a_year if {
	files := {"/var/log/syslog": rot(26, "weekly", 189), "/var/log/auth.log": rot(26, "weekly", 189)}
	f.status("LOG-RETENTION", "s1", {"s1": f.linux({}, logging(files, [], null))}) == "pass"
}

test_fail_debian_default_four_weeks if {
	files := {"/var/log/syslog": rot(4, "weekly", 35)}
	v := f.verdict("LOG-RETENTION", "s2", {"s2": f.linux({}, logging(files, [], null))})
	v.status == "fail"
	v.message.en == "logs are kept less than 180 days (/var/log/syslog rotated 4 × weekly, about 35 days) and not sent to a log server"
}

test_success_sent_to_a_log_server if {
	files := {"/var/log/syslog": rot(4, "weekly", 35)}
	remote := [{"host": "10.10.0.50", "port": 514, "proto": "tcp"}]
	f.status("LOG-RETENTION", "s3", {"s3": f.linux({}, logging(files, remote, null))}) == "pass"
}

test_success_persistent_journal_kept_long_enough if {
	j := {"storage": "persistent", "persistent": true, "max_retention_sec": 15811200}
	f.status("LOG-RETENTION", "s4", {"s4": f.linux({}, logging({}, [], j))}) == "pass"
}

test_fail_journal_bounded_by_size_only if {
	j := {"storage": "auto", "persistent": true, "max_retention_sec": null}
	v := f.verdict("LOG-RETENTION", "s5", {"s5": f.linux({}, logging({}, [], j))})
	v.status == "fail"
	contains(v.message.en, "journald only")
}

test_not_applicable_to_switches if {
	f.status("LOG-RETENTION", "sw1", {"sw1": f.host("huawei_vrp", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_logging_facts if {
	f.status("LOG-RETENTION", "s6", {"s6": f.linux({}, {})}) == "error"
}

test_fail_forwarding_configured_but_rsyslogd_not_running if {
	files := {"/var/log/syslog": rot(4, "weekly", 35)}
	remote := [{"host": "10.10.0.50", "port": 514, "proto": "tcp"}]
	stopped := object.union(logging(files, remote, null), {"logging": {"daemons": []}})
	f.status("LOG-RETENTION", "s7", {"s7": f.linux({}, stopped)}) == "fail"
}
