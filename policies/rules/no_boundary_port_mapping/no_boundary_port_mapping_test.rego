package zicha.tests.no_boundary_port_mapping_test

import data.zicha.test.fixtures as f

m(inside) := {"protocol": "tcp", "global_address": "203.0.113.10", "global_port": 443, "inside_address": inside, "inside_port": 443}

fw(maps) := f.host("huawei_usg", {"role": "firewall"}, {"nat_servers": maps})

test_success_mapping_into_the_dmz if {
	v := f.verdict("NO-BOUNDARY-PORT-MAPPING", "fw1", {"fw1": fw([m("10.20.0.7")])})
	v.status == "pass"
	v.evidence.observed == ["tcp 203.0.113.10:443 → 10.20.0.7:443"]
}

test_fail_mapping_into_the_office if {
	v := f.verdict("NO-BOUNDARY-PORT-MAPPING", "fw2", {"fw2": fw([m("10.10.0.15")])})
	v.status == "fail"
	v.message.zh == "端口映射 203.0.113.10:443 → 10.10.0.15:443 指向内网（office）"
}

test_fail_mapping_into_an_undeclared_address if {
	v := f.verdict("NO-BOUNDARY-PORT-MAPPING", "fw3", {"fw3": fw([m("192.168.5.5")])})
	v.status == "fail"
	contains(v.message.en, "(no declared zone)")
}

test_fail_linux_dnat_into_the_classified_zone if {
	hf := {"input_default": "drop", "nftables": {"base_chains": [], "dnat": [{"chain": "pre", "inside_address": "10.30.0.9", "inside_port": 22}]}}
	h := f.linux({"role": "firewall"}, {"host_firewall": hf})
	f.status("NO-BOUNDARY-PORT-MAPPING", "fw4", {"fw4": h}) == "fail"
}

test_success_no_mapping if {
	f.status("NO-BOUNDARY-PORT-MAPPING", "sw1", {"sw1": f.host("cisco_ios", {"role": "switch"}, {"nat_servers": []})}) == "pass"
}

test_not_applicable_to_a_linux_server if {
	f.status("NO-BOUNDARY-PORT-MAPPING", "s1", {"s1": f.linux({"role": "server"}, {})}) == "not_applicable"
}

test_error_without_nat_facts if {
	f.status("NO-BOUNDARY-PORT-MAPPING", "fw5", {"fw5": f.host("huawei_usg", {"role": "firewall"}, {})}) == "error"
}

test_error_linux_firewall_without_nftables if {
	h := f.linux({"role": "firewall"}, {"host_firewall": {"input_default": "drop", "nftables": null, "iptables": {}}})
	v := f.verdict("NO-BOUNDARY-PORT-MAPPING", "fw9", {"fw9": h})
	v.status == "error"
	contains(v.message.en, "read from nftables only")
}

test_fail_static_one_to_one_nat_maps_every_port if {
	m := {"protocol": "any", "global_address": "198.51.100.21", "global_port": null, "inside_address": "192.168.60.20", "inside_port": null}
	v := f.verdict("NO-BOUNDARY-PORT-MAPPING", "r9", {"r9": f.host("h3c_comware", {"role": "router"}, {"nat_servers": [m]})})
	v.status == "fail"
	contains(v.message.en, "198.51.100.21:* → 192.168.60.20:*")
}

# a Windows server that the inventory makes a router: netsh interface portproxy's mappings, as devices' NAT
proxy(inside) := {"protocol": "tcp", "global_address": "0.0.0.0", "global_port": 3389, "inside_address": inside, "inside_port": 3389, "via": "portproxy v4tov4"}

win_router(maps) := f.host("windows", {"role": "router"}, {"nat_servers": maps})

test_windows_router_portproxy_into_the_office_fails_and_into_the_dmz_passes if {
	v := f.verdict("NO-BOUNDARY-PORT-MAPPING", "w1", {"w1": win_router([proxy("10.10.0.15")])})
	v.status == "fail"
	v.message.en == "port mapping 0.0.0.0:3389 → 10.10.0.15:3389 leads into an internal zone (office)"
	f.status("NO-BOUNDARY-PORT-MAPPING", "w2", {"w2": win_router([proxy("10.20.0.7")])}) == "pass"
	f.status("NO-BOUNDARY-PORT-MAPPING", "w3", {"w3": f.host("windows", {"role": "router"}, {})}) == "error"
}
