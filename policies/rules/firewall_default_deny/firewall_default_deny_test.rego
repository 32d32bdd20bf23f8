package zicha.tests.firewall_default_deny_test

import data.zicha.test.fixtures as f

v4_only := [{"name": "eth0", "addresses": ["10.10.0.5/24"]}]

fw(action) := f.host("huawei_usg", {"role": "firewall"}, {"firewall": {"present": true, "zones": [], "policies": [], "default_action": action}})

test_success_firewall_denies_by_default if {
	f.status("FIREWALL-DEFAULT-DENY", "fw1", {"fw1": fw("deny")}) == "pass"
}

test_fail_firewall_permits_by_default if {
	v := f.verdict("FIREWALL-DEFAULT-DENY", "fw2", {"fw2": fw("permit")})
	v.status == "fail"
	v.message.en == "the firewall's default action is permit, not deny"
}

test_fail_no_policy_at_all if {
	v := f.verdict("FIREWALL-DEFAULT-DENY", "r1", {"r1": f.host("cisco_ios", {"role": "router"}, {"firewall": {"present": false, "zones": [], "policies": [], "default_action": null}})})
	v.status == "fail"
	contains(v.message.en, "default action is null")
}

test_success_host_firewall_drops_incoming if {
	f.status("FIREWALL-DEFAULT-DENY", "s1", {"s1": f.linux({"role": "server"}, {"host_firewall": {"input_default": "drop"}, "interfaces": v4_only})}) == "pass"
}

test_fail_no_host_firewall if {
	v := f.verdict("FIREWALL-DEFAULT-DENY", "s2", {"s2": f.linux({}, {"host_firewall": {"input_default": "none"}, "interfaces": v4_only})})
	v.status == "fail"
	v.message.zh == "主机防火墙未默认拒绝入站（未启用任何防火墙）"
}

test_fail_windows_profile_allows if {
	hf := {"input_default": "accept", "profiles": [{"name": "Public", "enabled": false, "inbound": "allow"}]}
	v := f.verdict("FIREWALL-DEFAULT-DENY", "w1", {"w1": f.host("windows", {}, {"host_firewall": hf})})
	v.status == "fail"
	v.evidence.observed.profiles[0].name == "Public"
}

test_fail_linux_firewall_forward_accepts if {
	hf := {"input_default": "none", "forward_default": "accept"}
	v := f.verdict("FIREWALL-DEFAULT-DENY", "fw3", {"fw3": f.linux({"role": "firewall"}, {"host_firewall": hf, "interfaces": v4_only})})
	v.status == "fail"
	contains(v.message.en, "forward chain defaults to accept")
}

test_success_linux_firewall_forward_drops if {
	hf := {"input_default": "none", "forward_default": "drop"}
	f.status("FIREWALL-DEFAULT-DENY", "fw4", {"fw4": f.linux({"role": "firewall"}, {"host_firewall": hf, "interfaces": v4_only})}) == "pass"
}

test_not_applicable_to_switches if {
	f.status("FIREWALL-DEFAULT-DENY", "sw1", {"sw1": f.host("h3c_comware", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_host_firewall_facts if {
	f.status("FIREWALL-DEFAULT-DENY", "s3", {"s3": f.linux({}, {})}) == "error"
}

test_fail_linux_host_that_drops_ipv4_but_accepts_ipv6 if {
	hf := {"input_default": "drop", "families": {"ipv4": {"input": "drop", "forward": "none"}, "ipv6": {"input": "accept", "forward": "none"}}}
	ifs := [{"name": "eth0", "addresses": ["10.10.0.5/24", "2001:db8::5/64", "fe80::1/64"]}]
	v := f.verdict("FIREWALL-DEFAULT-DENY", "s9", {"s9": f.linux({"role": "server"}, {"host_firewall": hf, "interfaces": ifs})})
	v.status == "fail"
	contains(v.message.en, "IPv6 address 2001:db8::5")
	ifs4 := [{"name": "eth0", "addresses": ["10.10.0.5/24", "fe80::1/64"]}]
	f.status("FIREWALL-DEFAULT-DENY", "s8", {"s8": f.linux({"role": "server"}, {"host_firewall": hf, "interfaces": ifs4})}) == "pass"
}

test_error_linux_host_without_interfaces if {
	v := f.verdict("FIREWALL-DEFAULT-DENY", "s7", {"s7": f.linux({"role": "server"}, {"host_firewall": {"input_default": "drop"}})})
	v.status == "error"
	contains(v.message.en, "interfaces")
}

clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_a_host_without_firewall_is_no_boundary_policy_finding if {
	v := f.verdict("FIREWALL-DEFAULT-DENY", "s3", {"s3": f.linux({}, {"host_firewall": {"input_default": "none"}, "interfaces": v4_only})})
	clauses(v) == {"FW-POLICY-CONFIGURED": "not_applicable", "HOST-FIREWALL-ENABLED": "fail"}
}

test_fail_a_permissive_boundary_firewall_is_no_host_firewall_finding if {
	v := f.verdict("FIREWALL-DEFAULT-DENY", "fw5", {"fw5": fw("permit")})
	clauses(v) == {"FW-POLICY-CONFIGURED": "fail", "HOST-FIREWALL-ENABLED": "not_applicable"}
}
