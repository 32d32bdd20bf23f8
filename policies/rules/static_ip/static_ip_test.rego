package zicha.tests.static_ip_test

import data.zicha.test.fixtures as f

nic := {"name": "eth0", "mac": "02:5a:00:00:30:0b", "up": true, "wireless": false, "addresses": ["10.30.0.11/24"], "dynamic": []}

netcfg(dhcp, clients) := {"dhcp": dhcp, "static": [], "dhcp_clients_running": clients}

registered := {"ansible_host": "10.30.0.11", "zicha_macs": ["02-5A-00-00-30-0B"]}

pc(nics, nc, vars) := f.linux({"zone": "classified", "classified": true, "vars": vars}, {"interfaces": nics, "network_config": nc})

test_success_fixed_and_registered if {
	v := f.verdict("STATIC-IP", "pc1", {"pc1": pc([nic], netcfg([], []), registered)})
	v.status == "pass"
	v.evidence.observed.registered.macs == ["02:5a:00:00:30:0b"]
}

test_fail_dhcp_configured_and_leased if {
	leased := object.union(nic, {"dynamic": ["10.30.0.11/24"]})
	nc := netcfg([{"interface": "eth0", "source": "/etc/network/interfaces"}], ["dhclient"])
	v := f.verdict("STATIC-IP", "pc2", {"pc2": pc([leased], nc, registered)})
	v.status == "fail"
	contains(v.message.en, "the network configuration uses DHCP: eth0 (/etc/network/interfaces)")
	contains(v.message.en, "a DHCP client is running: dhclient")
	contains(v.message.en, "the address of eth0 was leased by DHCP")
}

test_fail_not_registered if {
	v := f.verdict("STATIC-IP", "pc3", {"pc3": pc([nic], netcfg([], []), {})})
	v.status == "fail"
	contains(v.message.zh, "地址 10.30.0.11 未登记")
	contains(v.message.zh, "MAC 02:5a:00:00:30:0b 未登记")
}

test_not_applicable_in_the_office if {
	f.status("STATIC-IP", "pc4", {"pc4": f.linux({"zone": "office"}, {})}) == "not_applicable"
}

test_applicable_when_the_host_asks if {
	h := f.linux({"zone": "office", "vars": {"zicha_static_ip_required": true}}, {"interfaces": [nic], "network_config": netcfg([], [])})
	f.status("STATIC-IP", "pc5", {"pc5": h}) == "fail"
}

test_error_without_network_config if {
	h := f.linux({"zone": "classified"}, {"interfaces": [nic]})
	f.status("STATIC-IP", "pc6", {"pc6": h}) == "error"
}

clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_dhcp_with_registered_addresses_fails_only_static_assignment if {
	nc := netcfg([{"interface": "eth0", "source": "/etc/network/interfaces"}], [])
	v := f.verdict("STATIC-IP", "pc6", {"pc6": pc([nic], nc, registered)})
	clauses(v) == {"STATIC-IP-ASSIGNMENT": "fail", "TERMINAL-INVENTORY": "pass"}
}

test_fail_an_unregistered_fixed_address_fails_only_the_register if {
	v := f.verdict("STATIC-IP", "pc7", {"pc7": pc([nic], netcfg([], []), {})})
	clauses(v) == {"STATIC-IP-ASSIGNMENT": "pass", "TERMINAL-INVENTORY": "fail"}
}
