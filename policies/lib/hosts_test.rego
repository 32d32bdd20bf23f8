package zicha.tests.hosts_test

import data.zicha.lib.hosts

test_mac_notations_compare_equal if {
	hosts.mac("5489-98C0-7e34") == "54:89:98:c0:7e:34"
	hosts.mac("5489.98c0.7e34") == "54:89:98:c0:7e:34"
	hosts.mac("54:89:98:C0:7E:34") == "54:89:98:c0:7e:34"
}

test_kinds_of_hosts if {
	hosts.is_computer({"platform": "windows", "role": "terminal"})
	not hosts.is_computer({"platform": "cisco_ios", "role": "switch"})
	hosts.is_switch({"platform": "h3c_comware", "role": "switch"})
	hosts.is_firewall({"platform": "linux", "role": "firewall"})
	hosts.is_windows({"platform": "windows"})
	hosts.is_linux({"platform": "linux"})
	hosts.is_device({"platform": "huawei_usg"})
	hosts.zones_of("10.0.0.5", {"a": {"subnets": ["10.0.0.0/24"]}, "b": {}}) == {"a"}
}

test_port_names_compare_equal if {
	hosts.mac_port("GigabitEthernet0/0/1") == "ge0/0/1"
	hosts.mac_port("GE0/0/1") == "ge0/0/1"
	hosts.mac_port("Gi1/0/3") == "ge1/0/3"
	hosts.mac_port("Ten-GigabitEthernet1/0/25") == "xge1/0/25"
	hosts.mac_port("Eth-Trunk1") == "eth-trunk1"
}
