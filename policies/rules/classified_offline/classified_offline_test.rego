package zicha.tests.classified_offline_test

import data.zicha.test.fixtures as f

probe := "203.0.113.10:80"

offline := {
	"routes": [{"dst": "10.30.0.0/24", "gateway": null, "dev": "eth0", "table": "main", "family": "inet", "type": "unicast"}],
	"interfaces": [
		{"name": "lo", "up": true, "wireless": false, "addresses": ["127.0.0.1/8"]},
		{"name": "eth0", "up": true, "wireless": false, "addresses": ["10.30.0.5/24"]},
		{"name": "wlan0", "up": false, "wireless": true, "addresses": []},
	],
	"route_lookups": [{"target": probe, "address": "203.0.113.10", "route": false, "detail": "RTNETLINK answers: Network is unreachable"}],
	"probes": [{"target": probe, "port": 80, "result": "unreachable", "answered": false}],
}

online := object.union(offline, {
	"routes": [{"dst": "default", "gateway": "10.30.0.1", "dev": "eth0", "table": "main", "family": "inet", "type": "unicast"}],
	"route_lookups": [{"target": probe, "address": "203.0.113.10", "route": true, "detail": "203.0.113.10 via 10.30.0.1 dev eth0"}],
	"probes": [{"target": probe, "port": 80, "result": "connected", "answered": true}],
})

classified := {"classified": true, "zone": "classified"}

test_success_classified_terminal_without_any_path_out if {
	f.status("CLASSIFIED-OFFLINE", "c1", {"c1": f.linux(classified, offline)}) == "pass"
}

test_fail_classified_terminal_that_reaches_the_internet if {
	v := f.verdict("CLASSIFIED-OFFLINE", "c2", {"c2": f.linux(classified, online)})
	v.status == "fail"
	contains(v.message.zh, "存在默认路由")
	contains(v.message.zh, "可以连通互联网地址 203.0.113.10:80")
	v.evidence.observed.probes_answered == ["203.0.113.10:80 (connected)"]
}

test_fail_refused_connection_counts_as_answered if {
	facts := object.union(offline, {"probes": [{"target": probe, "port": 80, "result": "refused", "answered": true}]})
	f.status("CLASSIFIED-OFFLINE", "c3", {"c3": f.linux(classified, facts)}) == "fail"
}

test_fail_wireless_interface_up if {
	facts := object.union(offline, {"interfaces": [{"name": "wlp2s0", "up": true, "wireless": true, "addresses": []}]})
	v := f.verdict("CLASSIFIED-OFFLINE", "c4", {"c4": f.linux(classified, facts)})
	v.status == "fail"
	v.message.en == "wireless interface wlp2s0 is up"
}

test_fail_route_to_internet_without_default_route if {
	facts := object.union(offline, {"route_lookups": [{"target": probe, "address": "203.0.113.10", "route": true, "detail": "via 10.30.0.9"}]})
	v := f.verdict("CLASSIFIED-OFFLINE", "c5", {"c5": f.linux(classified, facts)})
	v.status == "fail"
	v.message.en == "has a route to internet address 203.0.113.10:80"
}

test_not_applicable_unclassified_host if {
	f.status("CLASSIFIED-OFFLINE", "o1", {"o1": f.linux({}, online)}) == "not_applicable"
}

test_error_when_probes_missing if {
	h := f.without(f.linux(classified, offline), "probes")
	v := f.verdict("CLASSIFIED-OFFLINE", "c6", {"c6": h})
	v.status == "error"
	contains(v.message.en, "fact probes is missing")
}

test_error_when_routes_unreadable if {
	h := f.broken(f.linux(classified, offline), "routes", "ip: command not found")
	v := f.verdict("CLASSIFIED-OFFLINE", "c7", {"c7": h})
	v.status == "error"
	contains(v.message.zh, "ip: command not found")
}

test_error_when_no_probe_configured if {
	facts := object.union(offline, {"probes": [], "route_lookups": []})
	v := f.verdict("CLASSIFIED-OFFLINE", "c8", {"c8": f.linux(classified, facts)})
	v.status == "error"
	contains(v.message.zh, "未配置互联网探测地址")
}

test_error_when_host_unreachable if {
	v := f.verdict("CLASSIFIED-OFFLINE", "c9", {"c9": f.unreachable(f.linux(classified, offline))})
	v.status == "error"
	contains(v.message.en, "ssh: connect timed out")
}

secret_nic := {"name": "eth0", "mac": "02:5a:00:00:30:0c", "up": true, "wireless": false, "addresses": ["10.30.0.12/24"]}

office_nic := {"name": "eth0", "mac": "02:5a:00:00:10:15", "up": true, "wireless": false, "addresses": ["10.10.0.21/24"]}

table(entries) := {"mac_table": [{"mac": m, "vlan": 10, "interface": p, "type": "learned"} | some [m, p] in entries]}

test_fail_classified_terminal_on_an_office_switch_beside_office_pcs if {
	secret := f.linux(classified, object.union(offline, {"interfaces": [secret_nic]}))
	office := f.linux({}, {"interfaces": [office_nic]})
	sw := f.host("h3c_comware", {"role": "switch", "zone": "office"}, table([["025a-0000-300c", "GE1/0/5"], ["025a-0000-1015", "GE1/0/1"]]))
	v := f.verdict("CLASSIFIED-OFFLINE", "c10", {"c10": secret, "pc1": office, "sw1": sw})
	v.status == "fail"
	contains(v.message.zh, "接入 office 区域的交换机 sw1（端口 GE1/0/5）")
	contains(v.message.en, "shares VLAN 10 on switch sw1 with hosts that are not classified: pc1")
	v.evidence.observed.switch_ports == ["sw1 GE1/0/5 VLAN 10"]
}

test_success_classified_terminal_on_its_own_switch if {
	secret := f.linux(classified, object.union(offline, {"interfaces": [secret_nic]}))
	sw := f.host("huawei_vrp", {"role": "switch", "zone": "classified"}, table([["025a-0000-300c", "GE0/0/1"]]))
	f.status("CLASSIFIED-OFFLINE", "c11", {"c11": secret, "sw2": sw}) == "pass"
}

test_error_a_switch_mac_table_that_could_not_be_read if {
	sw := f.broken(f.host("huawei_vrp", {"role": "switch", "zone": "classified"}, {"mac_table": []}), "mac_table", "timed out")
	hosts := {"c9": f.linux(classified, offline), "sw9": sw}
	v := f.verdict("CLASSIFIED-OFFLINE", "c9", hosts)
	v.status == "error"
	contains(v.message.en, "MAC tables of switches sw9 could not be read")
	f.status("CLASSIFIED-OFFLINE", "c9", {"c9": f.linux(classified, offline), "sw9": f.unreachable(sw)}) == "error"
}

# Windows: the same facts (routes from Get-NetRoute, adapters by their NDIS medium, Find-NetRoute, TCP probes)

win_offline := {
	"routes": [{"dst": "10.20.0.0/16", "gateway": "10.20.1.254", "dev": "以太网", "table": "main", "family": "inet", "type": "unicast"}],
	"interfaces": [
		{"name": "以太网", "mac": "8c:ec:4b:5a:21:07", "kind": "ether", "up": true, "wireless": false, "addresses": ["10.20.1.15/24"]},
		{"name": "WLAN", "mac": "a4:c3:f0:5e:21:9b", "kind": "wlan", "up": false, "wireless": true, "addresses": []},
	],
	"route_lookups": [{"target": probe, "address": "203.0.113.10", "route": false, "detail": "不能访问网络位置。"}],
	"probes": [{"target": probe, "port": 80, "result": "unreachable", "answered": false}],
}

test_success_classified_windows_pc_without_any_path_out if {
	f.status("CLASSIFIED-OFFLINE", "w1", {"w1": f.host("windows", classified, win_offline)}) == "pass"
}

test_fail_classified_windows_pc_with_a_default_route_and_bluetooth_pan if {
	facts := object.union(win_offline, {
		"routes": [{"dst": "default", "gateway": "192.168.20.1", "dev": "Ethernet", "table": "main", "family": "inet", "type": "unicast"}],
		"interfaces": [{"name": "Bluetooth Network Connection", "kind": "bluetooth", "up": true, "wireless": true, "addresses": []}],
	})
	v := f.verdict("CLASSIFIED-OFFLINE", "w2", {"w2": f.host("windows", classified, facts)})
	v.status == "fail"
	contains(v.message.en, "has a default route (via 192.168.20.1, dev Ethernet)")
	contains(v.message.en, "wireless interface Bluetooth Network Connection is up")
}

test_error_classified_windows_pc_without_facts if {
	v := f.verdict("CLASSIFIED-OFFLINE", "w3", {"w3": f.without(f.host("windows", classified, win_offline), "routes")})
	v.status == "error"
	contains(v.message.en, "fact routes is missing")
}
