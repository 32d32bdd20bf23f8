# METADATA
# title: zicha host helpers
# description: What kind of host an input host is, shared by the rules.
package zicha.lib.hosts

# the platform registry (checker/platforms, loaded as data.zicha.platforms): what kind each platform is
devices contains p if {
	some p, d in data.zicha.platforms
	d.kind == "device"
}

computers contains p if {
	some p, d in data.zicha.platforms
	d.kind == "computer"
}

is_device(h) if h.platform in devices

is_linux(h) if h.platform == "linux"

is_windows(h) if h.platform == "windows"

# servers and terminals (Linux or Windows): the computers
is_computer(h) if {
	h.platform in computers
	h.role in {"server", "terminal"}
}

is_switch(h) if {
	h.platform in devices
	h.role == "switch"
}

is_firewall(h) if h.role in {"firewall", "router"}

# the facts a rule reads on host h, from a table keyed by platform ("device" for every network device): a platform
# the table does not name is read nowhere, so the rule says it cannot be checked there
reads(table, h) := table[h.platform]

reads(table, h) := table.device if {
	is_device(h)
	not table[h.platform]
}

# zones of an address, from the inventory's zicha_zones
zones_of(addr, zones) := {z |
	some z, zone in zones
	some subnet in object.get(zone, "subnets", [])
	net.cidr_contains(subnet, addr)
}

# every MAC of a host: its interfaces' (not loopback, not all-zero) and the ones the inventory registers (zicha_macs)
macs(host) := {mac(i.mac) |
	some i in object.get(host.facts, ["interfaces", "value"], [])
	is_string(object.get(i, "mac", null))
	i.name != "lo"
	mac(i.mac) != "00:00:00:00:00:00"
} | {mac(m) | some m in object.get(host.vars, "zicha_macs", [])}

# a MAC address in one notation: aa:bb:cc:dd:ee:ff
mac(m) := lower(concat(":", [substring(h, i, 2) |
	h := replace(replace(replace(m, ":", ""), "-", ""), ".", "")
	some i in numbers.range_step(0, 10, 2)
]))

# an interface name in one notation, long or short: GigabitEthernet0/0/1, GE0/0/1, Gi0/1 → ge0/0/1
mac_port(name) := p if {
	n := lower(replace(name, " ", ""))
	matches := [pair | some pair in port_prefixes; startswith(n, pair[0])]
	count(matches) > 0
	p := concat("", [matches[0][1], substring(n, count(matches[0][0]), -1)])
} else := lower(replace(name, " ", ""))

# longest first: the first prefix that matches wins
port_prefixes := [
	["ten-gigabitethernet", "xge"],
	["xgigabitethernet", "xge"],
	["tengigabitethernet", "te"],
	["gigabitethernet", "ge"],
	["fastethernet", "fa"],
	["gi", "ge"],
]
