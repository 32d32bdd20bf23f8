package zicha.tests.log_retention_test

import data.zicha.test.fixtures as f

facts(stores, targets) := {"log_retention": {"stores": stores}, "log_forwarding": {"targets": targets}}

rot(path, rotate, days) := {"name": path, "days": days, "unbounded": false, "detail": sprintf("rotate %d x weekly", [rotate]), "source": "/etc/logrotate.d/rsyslog"}

fwd(running) := {"host": "10.10.0.50", "port": 514, "proto": "tcp", "via": "rsyslogd", "running": running, "source": "/etc/rsyslog.conf"}

test_success_rotated_for_half_a_year if {
	stores := [rot("/var/log/auth.log", 26, 182), rot("/var/log/syslog", 26, 182)]
	f.status("LOG-RETENTION", "s1", {"s1": f.linux({}, facts(stores, []))}) == "pass"
}

test_fail_debian_default_four_weeks if {
	v := f.verdict("LOG-RETENTION", "s2", {"s2": f.linux({}, facts([rot("/var/log/syslog", 4, 28)], []))})
	v.status == "fail"
	v.message.en == "logs are kept less than 180 days (/var/log/syslog: rotate 4 x weekly, about 28 days) and not sent to a log server"
}

test_success_sent_to_a_log_server if {
	f.status("LOG-RETENTION", "s3", {"s3": f.linux({}, facts([rot("/var/log/syslog", 4, 28)], [fwd(true)]))}) == "pass"
}

test_fail_forwarding_configured_but_not_running if {
	f.status("LOG-RETENTION", "s4", {"s4": f.linux({}, facts([rot("/var/log/syslog", 4, 28)], [fwd(false)]))}) == "fail"
}

test_success_persistent_journal_kept_long_enough if {
	j := {"name": "journald", "days": 183, "unbounded": false, "detail": "Storage=persistent, MaxRetentionSec=15811200", "source": "journald.conf"}
	f.status("LOG-RETENTION", "s5", {"s5": f.linux({}, facts([j], []))}) == "pass"
}

test_fail_days_unknown if {
	j := {"name": "journald", "days": null, "unbounded": false, "detail": "Storage=auto, MaxRetentionSec=None", "source": "journald.conf"}
	v := f.verdict("LOG-RETENTION", "s6", {"s6": f.linux({}, facts([j], []))})
	v.status == "fail"
	contains(v.message.en, "journald: Storage=auto, MaxRetentionSec=None, about ? days")
	contains(v.message.zh, "journald 留存天数未知")
}

test_fail_no_store_at_all if {
	v := f.verdict("LOG-RETENTION", "s7", {"s7": f.linux({}, facts([], []))})
	v.status == "fail"
	contains(v.message.zh, "未发现任何日志存储")
}

test_not_applicable_to_switches if {
	f.status("LOG-RETENTION", "sw1", {"sw1": f.host("huawei_vrp", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_facts if {
	v := f.verdict("LOG-RETENTION", "s8", {"s8": f.linux({}, {"log_forwarding": {"targets": []}})})
	v.status == "error"
	contains(v.message.en, "fact log_retention is missing")
}

# Windows: the event logs, archived when full or holding enough days

evlog(name, days, unbounded) := {"name": name, "days": days, "unbounded": unbounded, "detail": "AutoBackup", "source": "Get-WinEvent -ListLog"}

test_success_windows_event_logs_archived if {
	stores := [evlog("Security", 41.5, true), evlog("System", 200, false), evlog("Application", 365, false)]
	f.status("LOG-RETENTION", "w1", {"w1": f.host("windows", {}, facts(stores, []))}) == "pass"
}

test_fail_windows_circular_security_log_of_a_few_days if {
	stores := [evlog("Security", 6.2, false), evlog("System", 200, false)]
	v := f.verdict("LOG-RETENTION", "w2", {"w2": f.host("windows", {}, facts(stores, []))})
	v.status == "fail"
	contains(v.message.en, "Security: AutoBackup, about 6.2 days")
	contains(v.message.zh, "Security 约 6.2 天；System 约 200 天")
}
