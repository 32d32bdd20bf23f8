package zicha.tests.unknown_device_test

import data.zicha.test.fixtures as f

entry(mac, port) := {"mac": mac, "vlan": 10, "interface": port, "type": "learned"}

ports := [
	{"name": "GigabitEthernet1/0/1", "mode": "access", "port_security": {"enabled": true}},
	{"name": "Ten-GigabitEthernet1/0/25", "mode": "trunk", "port_security": {"enabled": false}},
]

sw(table) := f.host("h3c_comware", {"role": "switch"}, {"mac_table": table, "interfaces": ports})

pc := f.linux({}, {"interfaces": [{"name": "eth0", "mac": "02:5a:00:00:10:15", "up": true, "wireless": false, "addresses": []}]})

test_success_every_mac_is_a_known_host if {
	hosts := {"sw1": sw([entry("025a-0000-1015", "GE1/0/1")]), "pc1": pc}
	f.status("UNKNOWN-DEVICE", "sw1", hosts) == "pass"
}

test_fail_a_laptop_nobody_registered if {
	hosts := {"sw1": sw([entry("025a-0000-1015", "GE1/0/1"), entry("3c52-8212-0aff", "GE1/0/4")]), "pc1": pc}
	v := f.verdict("UNKNOWN-DEVICE", "sw1", hosts)
	v.status == "fail"
	v.message.en == "1 unregistered devices are connected: 3c:52:82:12:0a:ff (GE1/0/4, VLAN 10)"
}

test_success_macs_behind_the_uplink_are_not_judged if {
	f.status("UNKNOWN-DEVICE", "sw1", {"sw1": sw([entry("aaaa-bbbb-cccc", "XGE1/0/25")])}) == "pass"
}

test_success_registered_printer if {
	hosts := {"sw1": sw([entry("3c52-8212-0aff", "GE1/0/4")])}
	f.status("UNKNOWN-DEVICE", "sw1", hosts) with data.zicha.params.registered_macs as ["3c:52:82:12:0a:ff"] == "pass"
}

test_success_mac_registered_on_a_host if {
	printer := f.host("linux", {"vars": {"zicha_macs": ["3c52.8212.0aff"]}}, {})
	f.status("UNKNOWN-DEVICE", "sw1", {"sw1": sw([entry("3c52-8212-0aff", "GE1/0/4")]), "p1": printer}) == "pass"
}

test_error_configuration_backup_without_mac_table if {
	v := f.verdict("UNKNOWN-DEVICE", "sw2", {"sw2": f.host("cisco_ios", {"role": "switch"}, {"interfaces": ports})})
	v.status == "error"
	contains(v.message.en, "fact mac_table is missing")
}

test_not_applicable_to_servers if {
	f.status("UNKNOWN-DEVICE", "s1", {"s1": f.linux({"role": "server"}, {})}) == "not_applicable"
}
