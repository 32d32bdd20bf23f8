package zicha.tests.syslog_central_test

import data.zicha.test.fixtures as f

sw(hosts) := f.host("h3c_comware", {"role": "switch"}, {"syslog": {"hosts": hosts}})

linux(remote, daemons) := f.linux({}, {"logging": {"logrotate": {}, "rsyslog": {"remote": remote, "files": []}, "daemons": daemons}})

test_success_device_with_loghost if {
	v := f.verdict("SYSLOG-CENTRAL", "sw1", {"sw1": sw(["10.10.0.50"])})
	v.status == "pass"
	v.evidence.observed.log_servers == ["10.10.0.50"]
}

test_fail_device_without_loghost if {
	v := f.verdict("SYSLOG-CENTRAL", "sw2", {"sw2": sw([])})
	v.message.en == "no log server is configured: logs stay on the host"
}

test_fail_not_the_units_log_server if {
	v := f.verdict("SYSLOG-CENTRAL", "sw3", {"sw3": sw(["10.9.9.9"])}) with data.zicha.params.syslog_servers as ["10.10.0.50"]
	v.status == "fail"
	contains(v.message.en, "logs go to 10.9.9.9, not to the unit's log servers (10.10.0.50)")
}

test_success_linux_forwarding if {
	f.status("SYSLOG-CENTRAL", "s1", {"s1": linux([{"host": "10.10.0.50", "port": 514, "proto": "tcp"}], ["rsyslogd"])}) == "pass"
}

test_fail_linux_forwarding_configured_but_rsyslog_stopped if {
	v := f.verdict("SYSLOG-CENTRAL", "s2", {"s2": linux([{"host": "10.10.0.50", "port": 514, "proto": "tcp"}], [])})
	v.message.en == "forwarding is configured but rsyslogd is not running"
}

test_error_a_windows_host_is_checked_not_skipped if {
	v := f.verdict("SYSLOG-CENTRAL", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "cannot be checked on windows yet")
}

test_error_without_facts if {
	f.status("SYSLOG-CENTRAL", "sw4", {"sw4": f.host("cisco_ios", {"role": "switch"}, {})}) == "error"
}
