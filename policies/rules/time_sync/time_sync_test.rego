package zicha.tests.time_sync_test

import data.zicha.test.fixtures as f

ts(daemons, servers, synced) := {"time_sync": {"daemons": daemons, "servers": servers, "synchronized": synced}}

test_success_chrony_synchronised if {
	f.status("TIME-SYNC", "s1", {"s1": f.linux({}, ts(["chronyd"], ["10.10.0.21"], true))}) == "pass"
}

test_fail_nothing_configured if {
	v := f.verdict("TIME-SYNC", "s2", {"s2": f.linux({}, ts([], [], null))})
	v.message.en == "no time server is configured; no time synchronisation daemon runs (chrony, ntpd, timesyncd, Windows Time)"
}

test_fail_not_synchronised if {
	f.status("TIME-SYNC", "s3", {"s3": f.linux({}, ts(["chronyd"], ["10.10.0.21"], false))}) == "fail"
}

test_success_device_with_ntp_server if {
	f.status("TIME-SYNC", "sw1", {"sw1": f.host("h3c_comware", {"role": "switch"}, {"ntp": {"servers": ["10.10.0.21"]}})}) == "pass"
}

test_fail_device_without_ntp if {
	v := f.verdict("TIME-SYNC", "sw2", {"sw2": f.host("huawei_vrp", {"role": "switch"}, {"ntp": {"servers": []}})})
	v.message.zh == "设备未配置 NTP 服务器"
}

test_success_windows_time_service_with_servers if {
	f.status("TIME-SYNC", "w1", {"w1": f.host("windows", {}, {"time_sync": {"daemons": ["w32time"], "servers": ["10.10.1.1"], "synchronized": null}})}) == "pass"
}

test_fail_windows_time_service_stopped if {
	v := f.verdict("TIME-SYNC", "w1", {"w1": f.host("windows", {}, {"time_sync": {"daemons": [], "servers": ["time.windows.com"], "synchronized": null}})})
	v.status == "fail"
	contains(v.message.en, "no time synchronisation daemon runs")
}

test_error_windows_without_the_fact if {
	v := f.verdict("TIME-SYNC", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact time_sync is missing")
}

test_error_without_facts if {
	f.status("TIME-SYNC", "s4", {"s4": f.linux({}, {})}) == "error"
}
