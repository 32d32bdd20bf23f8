# METADATA
# title: 涉密计算机不上网
# description: |
#   A classified (涉密) computer has no path to the internet: no default route, no route to any
#   of the addresses that stand for the internet (zicha_internet_probes), no probe of them that is
#   answered, and no wireless interface up. From the switches' MAC tables: it is plugged into a
#   switch of its own zone, and shares no VLAN of that switch with a host that is not classified.
# custom:
#   id: CLASSIFIED-OFFLINE
#   title_en: Classified computers are not connected to the internet
#   severity: critical
#   clauses: [CLASSIFIED-AIRGAP]
#   applies_to:
#     zh: "涉密计算机（zicha_classified: true）"
#     en: classified computers (zicha_classified true)
#   remediation:
#     zh: 拆除涉密计算机的互联网连接：删除默认路由和通往互联网的路由，断开与非涉密网络的物理连接，拆除或禁用无线网卡；整改后重新检查。
#     en: >-
#       Remove every internet path from the classified computer (default route, routes towards the internet, physical links to unclassified
#       networks) and remove or disable wireless adapters; then audit again.
package zicha.rules.classified_offline

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	host.classified == true
	host.platform in hosts.computers
}

needs[name] := {"routes", "interfaces", "route_lookups", "probes"} if some name in applicable

default_routes(host) := [r | some r in host.facts.routes.value; r.dst == "default"]

routed_targets(host) := [l.target | some l in host.facts.route_lookups.value; l.route]

answered(host) := [sprintf("%s (%s)", [p.target, p.result]) | some p in host.facts.probes.value; p.answered]

wireless_up(host) := [i.name | some i in host.facts.interfaces.value; i.wireless; i.up]

errors[name] contains msg if {
	count(unread_switches) > 0
	some name in applicable
	msg := {
		"zh": sprintf("交换机 %s 的 MAC 地址表未能读取，无法确认本机接入位置", [concat("、", unread_switches)]),
		"en": sprintf("the MAC tables of switches %s could not be read: where this host is plugged in is unknown", [concat(", ", unread_switches)]),
	}
}

errors[name] contains msg if {
	some name in applicable
	count(input.hosts[name].facts.probes.value) == 0
	msg := {
		"zh": "未配置互联网探测地址（zicha_internet_probes 为空），无法确认不能连通互联网",
		"en": "no internet probe addresses (zicha_internet_probes is empty): cannot show the host cannot reach out",
	}
}

violations[name] contains msg if {
	some name in applicable
	some r in default_routes(input.hosts[name])
	msg := {
		"zh": sprintf("存在默认路由（经 %v，接口 %v）", [r.gateway, r.dev]),
		"en": sprintf("has a default route (via %v, dev %v)", [r.gateway, r.dev]),
	}
}

violations[name] contains msg if {
	some name in applicable
	some t in routed_targets(input.hosts[name])
	msg := {
		"zh": sprintf("存在通往互联网地址 %s 的路由", [t]),
		"en": sprintf("has a route to internet address %s", [t]),
	}
}

violations[name] contains msg if {
	some name in applicable
	some a in answered(input.hosts[name])
	msg := {
		"zh": sprintf("可以连通互联网地址 %s", [a]),
		"en": sprintf("reached internet address %s", [a]),
	}
}

violations[name] contains msg if {
	some name in applicable
	some w in wireless_up(input.hosts[name])
	msg := {
		"zh": sprintf("无线网卡 %s 处于启用状态", [w]),
		"en": sprintf("wireless interface %s is up", [w]),
	}
}

violations[name] contains msg if {
	some name in applicable
	some [sw, port, _] in seen_on(name)
	input.hosts[sw].zone != input.hosts[name].zone
	msg := {
		"zh": sprintf("接入 %v 区域的交换机 %s（端口 %s）", [input.hosts[sw].zone, sw, port]),
		"en": sprintf("is plugged into switch %s of zone %v (port %s)", [sw, input.hosts[sw].zone, port]),
	}
}

violations[name] contains msg if {
	some name in applicable
	some [sw, _, vlan] in seen_on(name)
	others := sort({other |
		some e in input.hosts[sw].facts.mac_table.value
		e.vlan == vlan
		some other in object.get(owners, hosts.mac(e.mac), set())
		other != name
		not input.hosts[other].classified
	})
	count(others) > 0
	msg := {
		"zh": sprintf("在交换机 %s 上与非涉密主机 %s 同处 VLAN %v", [sw, concat("、", others), vlan]),
		"en": sprintf("shares VLAN %v on switch %s with hosts that are not classified: %s", [vlan, sw, concat(", ", others)]),
	}
}

observed[name] := {
	"default_routes": default_routes(host),
	"routes_to_internet": routed_targets(host),
	"probes_answered": answered(host),
	"probes_tried": [p.target | some p in host.facts.probes.value],
	"wireless_up": wireless_up(host),
	"switch_ports": sort([sprintf("%s %s VLAN %v", [sw, port, vlan]) | some [sw, port, vlan] in seen_on(name)]),
} if {
	some name in applicable
	host := input.hosts[name]
}

# -- where the switches see it

# MAC -> the hosts that own it (a set: two inventory entries may register one MAC)
# The cross-host lookups are indexed once per evaluation (complete rules; the inner comprehensions close over the
# key by equality, so OPA indexes them) and read per host: scanning every host inside a per-host rule is quadratic.

# MAC -> the hosts that declare it (their interfaces or zicha_macs)
owner_pairs contains [m, name] if {
	some name, host in input.hosts
	some m in hosts.macs(host)
}

# one object, built once (a partial rule would be re-derived at every lookup)
# regal ignore:prefer-set-or-object-rule
owners := {m: names |
	some [m, _] in owner_pairs
	names := {n | some [m2, n] in owner_pairs; m2 == m}
}

# MAC -> where the switches saw it: [switch, port, VLAN]
sightings contains [hosts.mac(e.mac), sw, e.interface, e.vlan] if {
	some sw, switch in input.hosts
	hosts.is_switch(switch)
	some e in object.get(switch.facts, ["mac_table", "value"], [])
}

# one object, built once (a partial rule would be re-derived at every lookup)
# regal ignore:prefer-set-or-object-rule
seen_at := {m: places |
	some [m, _, _, _] in sightings
	places := {[sw, port, vlan] | some [m2, sw, port, vlan] in sightings; m2 == m}
}

# one object, built once (a partial rule would be re-derived at every lookup)
# regal ignore:prefer-set-or-object-rule
macs_of := {name: ms |
	some [_, name] in owner_pairs
	ms := {m | some [m, n] in owner_pairs; n == name}
}

# switches whose MAC table could not be read: where the host is plugged in cannot be seen there
unread_switches := sort([sw |
	some sw, switch in input.hosts
	hosts.is_switch(switch)
	not is_array(object.get(switch.facts, ["mac_table", "value"], null))
])

# switch ports where a host's MACs are learned: [switch, port, vlan]
seen_on(name) := {place |
	some m in object.get(macs_of, name, set())
	some place in object.get(seen_at, m, set())
}
