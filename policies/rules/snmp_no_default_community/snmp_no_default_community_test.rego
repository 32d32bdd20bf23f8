package zicha.tests.snmp_no_default_community_test

import data.zicha.test.fixtures as f

snmp(communities) := {"enabled": true, "versions": ["v2c"], "communities": communities}

c(access, is_default) := {"access": access, "default": is_default, "storage": "plain", "scheme": "snmp-community-plain", "weak": is_default}

sw(communities) := f.host("huawei_vrp", {"role": "switch"}, {"snmp": snmp(communities)})

test_success_v3_only if {
	f.status("SNMP-NO-DEFAULT-COMMUNITY", "sw1", {"sw1": sw([])}) == "pass"
}

test_fail_public_and_private if {
	v := f.verdict("SNMP-NO-DEFAULT-COMMUNITY", "sw2", {"sw2": sw([c("read", true), c("write", true)])})
	v.status == "fail"
	v.message.en == "a default or weak community is configured (read access); a default or weak community is configured (write access)"
}

test_success_complex_community if {
	f.status("SNMP-NO-DEFAULT-COMMUNITY", "sw3", {"sw3": sw([c("read", false)])}) == "pass"
}

test_error_community_in_unreadable_form if {
	enc := {"access": "read", "default": null, "storage": "reversible", "scheme": "huawei-%^%#"}
	v := f.verdict("SNMP-NO-DEFAULT-COMMUNITY", "sw4", {"sw4": sw([enc])})
	v.status == "error"
	contains(v.message.en, "huawei-%^%#")
}

test_fail_linux_snmpd_public if {
	facts := {"snmpd": {"present": true, "running": true, "communities": [{"access": "read", "default": true}]}}
	f.status("SNMP-NO-DEFAULT-COMMUNITY", "s1", {"s1": f.linux({}, facts)}) == "fail"
}

test_success_linux_without_snmpd if {
	f.status("SNMP-NO-DEFAULT-COMMUNITY", "s2", {"s2": f.linux({}, {"snmpd": {"present": false, "running": false, "communities": []}})}) == "pass"
}

test_error_a_windows_host_is_checked_not_skipped if {
	v := f.verdict("SNMP-NO-DEFAULT-COMMUNITY", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact snmpd is missing")
}

# Windows: the SNMP service's ValidCommunities, judged on the host (the same fact shape)

test_fail_windows_snmp_service_with_a_default_read_community if {
	facts := {"snmpd": {"present": true, "running": true, "communities": [
		{"access": "read", "default": true, "source": "ValidCommunities"},
		{"access": "write", "default": false, "source": "ValidCommunities"},
	]}}
	v := f.verdict("SNMP-NO-DEFAULT-COMMUNITY", "w2", {"w2": f.host("windows", {}, facts)})
	v.status == "fail"
	v.message.zh == "使用默认或弱团体名（只读 权限）"
}

test_success_windows_without_the_snmp_service if {
	facts := {"snmpd": {"present": false, "running": false, "communities": []}}
	f.status("SNMP-NO-DEFAULT-COMMUNITY", "w3", {"w3": f.host("windows", {}, facts)}) == "pass"
}

test_error_without_snmp_facts if {
	f.status("SNMP-NO-DEFAULT-COMMUNITY", "sw5", {"sw5": f.host("cisco_ios", {"role": "switch"}, {})}) == "error"
}

test_fail_community_from_the_weak_list if {
	weak := {"access": "read", "default": false, "storage": "plain", "scheme": "snmp-community-plain", "weak": true, "weak_reason": "weak_list"}
	v := f.verdict("SNMP-NO-DEFAULT-COMMUNITY", "sw9", {"sw9": sw([weak])})
	v.status == "fail"
	v.evidence.observed.communities == [{"access": "read", "default": false, "weak": true}]
}
