package zicha.tests.boundary_firewall_test

import data.zicha.test.fixtures as f

route(dst, gw) := {"dst": dst, "gateway": gw, "dev": "eth0", "table": "main", "family": "inet", "type": "unicast"}

iface(name, addrs) := {"name": name, "up": true, "wireless": false, "addresses": addrs}

office_pc := {
	"routes": [route("default", "10.10.0.1"), route("10.10.0.0/24", null)],
	"interfaces": [iface("lo", ["127.0.0.1/8", "::1/128"]), iface("eth0", ["10.10.0.5/24", "fe80::1/64"])],
}

test_success_gateway_is_the_zone_firewall if {
	v := f.verdict("BOUNDARY-FIREWALL", "pc1", {"pc1": f.linux({"zone": "office"}, office_pc)})
	v.status == "pass"
	v.evidence.observed.gateways[0].device == "fw1"
}

test_windows_terminal_judged_on_the_same_routes if {
	win := {
		"routes": [route("default", "10.10.0.1")],
		"interfaces": [{"name": "以太网", "kind": "ether", "up": true, "wireless": false, "addresses": ["10.10.0.9/24"]}],
	}
	f.status("BOUNDARY-FIREWALL", "w1", {"w1": f.host("windows", {"zone": "office"}, win)}) == "pass"
	bad := object.union(win, {"routes": [route("default", "10.10.0.254")]})
	f.status("BOUNDARY-FIREWALL", "w2", {"w2": f.host("windows", {"zone": "office"}, bad)}) == "fail"
}

test_fail_gateway_is_not_a_declared_firewall if {
	facts := object.union(office_pc, {"routes": [route("default", "10.10.0.254")]})
	v := f.verdict("BOUNDARY-FIREWALL", "pc2", {"pc2": f.linux({"zone": "office"}, facts)})
	v.status == "fail"
	v.message.en == "route to default goes via 10.10.0.254, which is no declared firewall or router"
}

test_fail_gateway_of_another_zone if {
	facts := object.union(office_pc, {"routes": [route("default", "10.20.0.1")]})
	v := f.verdict("BOUNDARY-FIREWALL", "pc3", {"pc3": f.linux({"zone": "office"}, facts)})
	v.status == "fail"
	contains(v.message.zh, "不在本主机的安全区域 office 内")
}

test_fail_dual_homed_server if {
	facts := object.union(office_pc, {"interfaces": [iface("eth0", ["10.10.0.7/24"]), iface("eth1", ["10.20.0.7/24"])]})
	v := f.verdict("BOUNDARY-FIREWALL", "srv1", {"srv1": f.linux({"zone": "office", "role": "server"}, facts)})
	v.status == "fail"
	v.message.en == "interface addresses sit in several zones (dmz: 10.20.0.7; office: 10.10.0.7): the zones are bridged directly"
	v.evidence.observed.addresses_by_zone == {"office": ["10.10.0.7"], "dmz": ["10.20.0.7"]}
}

test_success_unzoned_addresses_are_shown_not_judged if {
	facts := object.union(office_pc, {"interfaces": [iface("eth0", ["10.10.0.5/24"]), iface("docker0", ["172.17.0.1/16"])]})
	v := f.verdict("BOUNDARY-FIREWALL", "pc4", {"pc4": f.linux({"zone": "office"}, facts)})
	v.status == "pass"
	v.evidence.observed.unzoned_addresses == ["172.17.0.1"]
}

test_not_applicable_to_network_devices if {
	f.status("BOUNDARY-FIREWALL", "sw1", {"sw1": f.host("huawei_vrp", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_zone if {
	v := f.verdict("BOUNDARY-FIREWALL", "pc5", {"pc5": f.linux({"zone": null}, office_pc)})
	v.status == "error"
	contains(v.message.en, "declares no security zone")
}

test_error_when_inventory_declares_no_firewall if {
	topo := object.union(object.remove(f.topology, {"hosts"}), {"hosts": {}})
	v := f.verdict_in("BOUNDARY-FIREWALL", "pc6", {"pc6": f.linux({"zone": "office"}, office_pc)}, topo)
	v.status == "error"
	contains(v.message.zh, "清单未声明任何防火墙或路由器")
}

test_error_when_zone_has_no_subnets if {
	v := f.verdict("BOUNDARY-FIREWALL", "pc7", {"pc7": f.linux({"zone": "lab"}, office_pc)})
	v.status == "error"
	contains(v.message.en, "zone lab has no subnets")
}

test_error_when_interfaces_unreadable if {
	h := f.broken(f.linux({"zone": "office"}, office_pc), "interfaces", "ip: command not found")
	f.status("BOUNDARY-FIREWALL", "pc8", {"pc8": h}) == "error"
}

test_success_two_devices_may_declare_one_address if {
	topo := object.union(f.topology, {"hosts": {"fw2": {"role": "router", "addresses": ["10.10.0.1"]}}})
	v := f.verdict_in("BOUNDARY-FIREWALL", "pc9", {"pc9": f.linux({"zone": "office"}, office_pc)}, topo)
	v.status == "pass"
	v.evidence.observed.gateways[0].device == "fw1, fw2"
}

fw_config(zones, policies, default_action) := {"present": true, "zones": zones, "policies": policies, "default_action": default_action, "packet_filter_defaults": []}

zone(name, ifaces) := {"name": name, "priority": 50, "interfaces": ifaces}

rule := {"name": "web", "source_zones": ["trust"], "destination_zones": ["untrust"], "action": "permit"}

usg(fw) := f.host("huawei_usg", {"role": "firewall"}, {"firewall": fw})

test_success_firewall_with_bound_zones_a_policy_and_default_deny if {
	fw := fw_config([zone("trust", ["GE1/0/2"]), zone("untrust", ["GE1/0/1"])], [rule], "deny")
	f.status("BOUNDARY-FIREWALL", "fw9", {"fw9": usg(fw)}) == "pass"
}

test_fail_firewall_without_zones_or_policy if {
	v := f.verdict("BOUNDARY-FIREWALL", "fw8", {"fw8": usg(fw_config([zone("local", [])], [], "permit"))})
	v.status == "fail"
	contains(v.message.en, "binds no zones to its interfaces (0 zone(s)")
	contains(v.message.en, "has no security policy")
	not contains(v.message.en, "default action") # FIREWALL-DEFAULT-DENY's to say
}

nft(policy, rules) := {"input_default": "none", "forward_default": policy, "nftables": {"base_chains": [{"family": "inet", "table": "t", "name": "forward", "hook": "forward", "policy": policy, "rules": rules}], "dnat": []}}

test_success_linux_firewall_forward_drop_with_rules if {
	h := f.linux({"role": "firewall"}, {"host_firewall": nft("drop", 4)})
	f.status("BOUNDARY-FIREWALL", "fw7", {"fw7": h}) == "pass"
}

test_fail_linux_firewall_forward_accept if {
	h := f.linux({"role": "firewall"}, {"host_firewall": nft("accept", 0)})
	v := f.verdict("BOUNDARY-FIREWALL", "fw6", {"fw6": h})
	v.status == "fail"
	v.evidence.observed.forward_chains[0].policy == "accept"
}

test_error_firewall_device_config_missing if {
	f.status("BOUNDARY-FIREWALL", "fw5", {"fw5": f.host("huawei_usg", {"role": "firewall"}, {})}) == "error"
}

test_error_linux_firewall_without_nftables if {
	h := f.linux({"role": "firewall"}, {"host_firewall": {"input_default": "drop", "forward_default": "drop", "nftables": null, "iptables": {}}})
	v := f.verdict("BOUNDARY-FIREWALL", "fw9", {"fw9": h})
	v.status == "error"
	contains(v.message.en, "read from nftables only")
}

# each finding counts against the clause whose wording it disproves
clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_a_server_bridging_dmz_and_office_breaks_segmentation_not_internet_isolation if {
	facts := object.union(office_pc, {"interfaces": [iface("eth0", ["10.10.0.7/24"]), iface("eth1", ["10.20.0.7/24"])]})
	v := f.verdict("BOUNDARY-FIREWALL", "srv2", {"srv2": f.linux({"zone": "office", "role": "server"}, facts)})
	clauses(v) == {"SEGMENT-IMPORTANT-ZONES": "fail", "INTRANET-INTERNET-ISOLATED": "pass", "BOUNDARY-FIREWALL": "pass"}
}

test_fail_a_terminal_with_a_second_nic_in_the_internet_breaks_isolation if {
	facts := object.union(office_pc, {"interfaces": [iface("eth0", ["10.10.0.8/24"]), iface("eth1", ["203.0.113.8/24"])]})
	v := f.verdict("BOUNDARY-FIREWALL", "pc6", {"pc6": f.linux({"zone": "office"}, facts)})
	clauses(v) == {"SEGMENT-IMPORTANT-ZONES": "fail", "INTRANET-INTERNET-ISOLATED": "fail", "BOUNDARY-FIREWALL": "fail"}
}

test_fail_a_gateway_that_is_no_firewall_breaks_only_the_boundary_clause if {
	facts := object.union(office_pc, {"routes": [route("default", "10.10.0.254")]})
	v := f.verdict("BOUNDARY-FIREWALL", "pc7", {"pc7": f.linux({"zone": "office"}, facts)})
	clauses(v) == {"SEGMENT-IMPORTANT-ZONES": "pass", "INTRANET-INTERNET-ISOLATED": "pass", "BOUNDARY-FIREWALL": "fail"}
}

test_not_applicable_a_firewall_says_nothing_of_internet_isolation if {
	v := f.verdict("BOUNDARY-FIREWALL", "fw7", {"fw7": usg(fw_config([zone("local", [])], [], "permit"))})
	clauses(v) == {"SEGMENT-IMPORTANT-ZONES": "fail", "INTRANET-INTERNET-ISOLATED": "not_applicable", "BOUNDARY-FIREWALL": "fail"}
}
