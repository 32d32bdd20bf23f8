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

# Windows: Get-NetIPInterface says which adapters take DHCP, Get-NetIPAddress which addresses DHCP leased

win_nic := {"name": "以太网", "mac": "8c:ec:4b:5a:21:07", "up": true, "wireless": false, "addresses": ["10.20.1.15/24"], "dynamic": []}

win_registered := {"zicha_addresses": ["10.20.1.15"], "zicha_macs": ["8C-EC-4B-5A-21-07"]}

win_pc(nics, nc, vars) := f.host("windows", {"zone": "classified", "classified": true, "vars": vars}, {"interfaces": nics, "network_config": nc})

test_success_windows_fixed_and_registered if {
	nc := {"dhcp": [], "static": [{"interface": "以太网", "source": "Get-NetIPInterface"}], "dhcp_clients_running": []}
	f.status("STATIC-IP", "w1", {"w1": win_pc([win_nic], nc, win_registered)}) == "pass"
}

test_fail_windows_dhcp_enabled_and_leased if {
	leased := object.union(win_nic, {"dynamic": ["10.20.1.15/24"]})
	nc := netcfg([{"interface": "以太网", "source": "Get-NetIPInterface"}], [])
	v := f.verdict("STATIC-IP", "w2", {"w2": win_pc([leased], nc, win_registered)})
	v.status == "fail"
	contains(v.message.zh, "网络配置使用 DHCP 自动获取地址：以太网 (Get-NetIPInterface)")
	contains(v.message.zh, "接口 以太网 的地址由 DHCP 分配")
}
