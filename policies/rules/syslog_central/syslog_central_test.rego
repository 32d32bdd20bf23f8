package zicha.tests.syslog_central_test

import data.zicha.test.fixtures as f

sw(hosts) := f.host("h3c_comware", {"role": "switch"}, {"syslog": {"hosts": hosts}})

fwd(host, via, running) := {"host": host, "port": 514, "proto": "tcp", "via": via, "running": running, "source": "/etc/rsyslog.d/50-remote.conf"}

linux(targets) := f.linux({}, {"log_forwarding": {"targets": targets}})

windows(targets) := f.host("windows", {}, {"log_forwarding": {"targets": targets}})

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
	f.status("SYSLOG-CENTRAL", "s1", {"s1": linux([fwd("10.10.0.50", "rsyslogd", true)])}) == "pass"
}

test_fail_linux_forwarding_configured_but_rsyslog_stopped if {
	v := f.verdict("SYSLOG-CENTRAL", "s2", {"s2": linux([fwd("10.10.0.50", "rsyslogd", false)])})
	v.message.en == "forwarding to 10.10.0.50 is configured but rsyslogd is not running"
}

test_success_windows_event_forwarding_to_the_units_server if {
	v := f.verdict("SYSLOG-CENTRAL", "w1", {"w1": windows([fwd("10.10.0.50", "wef", true)])}) with data.zicha.params.syslog_servers as ["10.10.0.50"]
	v.status == "pass"
	v.evidence.observed.log_servers == ["10.10.0.50"]
}

test_fail_windows_without_forwarding if {
	v := f.verdict("SYSLOG-CENTRAL", "w2", {"w2": windows([])})
	v.status == "fail"
	v.message.zh == "未配置日志服务器，日志未集中采集"
}

test_fail_windows_nxlog_stopped if {
	v := f.verdict("SYSLOG-CENTRAL", "w3", {"w3": windows([fwd("10.10.0.50", "nxlog", false)])})
	v.message.zh == "已配置向 10.10.0.50 转发日志，但 nxlog 未运行"
}

test_error_a_windows_host_without_the_fact if {
	v := f.verdict("SYSLOG-CENTRAL", "w4", {"w4": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact log_forwarding is missing")
}

test_error_without_facts if {
	f.status("SYSLOG-CENTRAL", "sw4", {"sw4": f.host("cisco_ios", {"role": "switch"}, {})}) == "error"
}
