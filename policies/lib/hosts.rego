# METADATA
# title: zicha host helpers
# description: What kind of host an input host is, shared by the rules.
package zicha.lib.hosts

devices := {"huawei_vrp", "huawei_usg", "h3c_comware", "cisco_ios"}

is_device(h) if h.platform in devices

is_linux(h) if h.platform == "linux"

is_windows(h) if h.platform == "windows"

# servers and terminals (Linux or Windows): the computers
is_computer(h) if {
	h.platform in {"linux", "windows"}
	h.role in {"server", "terminal"}
}

is_switch(h) if {
	h.platform in devices
	h.role == "switch"
}

is_firewall(h) if h.role in {"firewall", "router"}

# zones of an address, from the inventory's zicha_zones
zones_of(addr, zones) := {z |
	some z, zone in zones
	some subnet in object.get(zone, "subnets", [])
	net.cidr_contains(subnet, addr)
}

# a MAC address in one notation: aa:bb:cc:dd:ee:ff
mac(m) := lower(concat(":", [substring(h, i, 2) | h := replace(replace(replace(m, ":", ""), "-", ""), ".", ""); some i in numbers.range_step(0, 10, 2)]))
