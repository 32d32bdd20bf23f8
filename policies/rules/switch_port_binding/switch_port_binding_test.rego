package zicha.tests.switch_port_binding_test

import data.zicha.test.fixtures as f

port(name, mode, ps) := {"name": name, "mode": mode, "shutdown": false, "addresses": [], "port_security": {"enabled": ps}, "ip_source_check": false}

sw(ports, bindings) := f.host("huawei_vrp", {"role": "switch"}, {"interfaces": ports, "bindings": bindings})

test_success_port_security_or_binding_on_every_access_port if {
	ports := [port("GigabitEthernet0/0/1", "access", true), port("GigabitEthernet0/0/9", "access", false), port("GigabitEthernet0/0/24", "trunk", false)]
	bindings := [{"kind": "user-bind", "ip": "10.0.0.9", "mac": "00:e0:4c:68:3b:11", "interface": "GE0/0/9", "vlan": 30}]
	f.status("SWITCH-PORT-BINDING", "sw1", {"sw1": sw(ports, bindings)}) == "pass"
}

test_fail_access_ports_without_binding if {
	ports := [port("GigabitEthernet0/0/1", "access", false), port("GigabitEthernet0/0/2", "access", false)]
	v := f.verdict("SWITCH-PORT-BINDING", "sw2", {"sw2": sw(ports, [])})
	v.status == "fail"
	v.message.en == "2 access ports bind no terminal MAC: GigabitEthernet0/0/1, GigabitEthernet0/0/2"
}

test_success_shut_and_exempt_ports_are_left_out if {
	shut := object.union(port("GigabitEthernet0/0/3", "access", false), {"shutdown": true})
	ap := port("GigabitEthernet0/0/4", "access", false)
	h := object.union(sw([shut, ap], []), {"vars": {"zicha_port_binding_exempt": ["GE0/0/4"]}})
	f.status("SWITCH-PORT-BINDING", "sw3", {"sw3": h}) == "pass"
}

test_success_ip_source_guard_counts if {
	p := object.union(port("GigabitEthernet1/0/5", "access", false), {"ip_source_check": true})
	f.status("SWITCH-PORT-BINDING", "sw4", {"sw4": sw([p], [])}) == "pass"
}

test_not_applicable_to_firewalls if {
	f.status("SWITCH-PORT-BINDING", "fw1", {"fw1": f.host("huawei_usg", {"role": "firewall"}, {})}) == "not_applicable"
}

test_error_without_interfaces if {
	f.status("SWITCH-PORT-BINDING", "sw5", {"sw5": f.host("cisco_ios", {"role": "switch"}, {"bindings": []})}) == "error"
}

test_error_ports_whose_mode_is_unknown if {
	ports := [port("GigabitEthernet0/0/1", "access", true), port("GigabitEthernet0/0/7", "unknown", false)]
	v := f.verdict("SWITCH-PORT-BINDING", "sw9", {"sw9": sw(ports, [])})
	v.status == "error"
	contains(v.message.en, "GigabitEthernet0/0/7")
}
