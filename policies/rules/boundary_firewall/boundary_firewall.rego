# METADATA
# title: 边界部署防火墙
# description: |
#   Traffic between zones of different trust passes a firewall. From host facts and the inventory's
#   topology: every route with a gateway on a server or terminal goes through an address of a
#   declared firewall or router that sits in the host's own zone, and no host has interface addresses
#   in two zones (内外网直接连接). From the firewall's own configuration: zones are bound to its
#   interfaces, a security policy exists, and what it does not permit is denied.
#   Clauses: a firewall's own configuration bears on BOUNDARY-FIREWALL and SEGMENT-IMPORTANT-ZONES; a
#   gateway that is no firewall of the host's zone disproves BOUNDARY-FIREWALL; a host bridging zones
#   disproves SEGMENT-IMPORTANT-ZONES, and where one of them is the internet (trust 0) also
#   INTRANET-INTERNET-ISOLATED and BOUNDARY-FIREWALL (an exit that bypasses the firewall).
# custom:
#   id: BOUNDARY-FIREWALL
#   title_en: Zone boundaries are crossed only through a firewall
#   severity: high
#   clauses: [BOUNDARY-FIREWALL, INTRANET-INTERNET-ISOLATED, SEGMENT-IMPORTANT-ZONES]
#   applies_to:
#     zh: 服务器和终端（任何平台），以及防火墙本身
#     en: servers and terminals (any platform), and the firewalls themselves
#   remediation:
#     zh: 把主机的网关改为本区域防火墙（或路由器）的地址；拆除跨区域的双网卡连接，跨区访问一律经边界防火墙并配置访问控制策略。
#     en: >-
#       Point the host's gateway at its zone's firewall (or router); remove dual-homed links between zones and send all cross-zone traffic
#       through the boundary firewall with an access policy.
package zicha.rules.boundary_firewall

import data.zicha.lib.hosts

meta := rego.metadata.chain()

default zones := {}

zones := data.zicha.topology.zones

default devices := {}

devices := data.zicha.topology.hosts

# gateway address -> the firewalls or routers that declare it (a set: two may claim one address)
gateway_owner[addr] := concat(", ", sort([name |
	some name, d in devices
	d.role in {"firewall", "router"}
	addr in object.get(d, "addresses", [])
])) if {
	some d in devices
	d.role in {"firewall", "router"}
	some addr in object.get(d, "addresses", [])
}

endpoints contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

firewalls contains name if {
	some name, host in input.hosts
	host.role == "firewall"
	host.platform in (hosts.computers | hosts.devices)
}

applicable := endpoints | firewalls

# (a firewall's configuration says nothing of whether hosts bridge the internal networks and the internet)
bears_on[name] := {"BOUNDARY-FIREWALL", "SEGMENT-IMPORTANT-ZONES"} if some name in firewalls

firewall_clauses := ["BOUNDARY-FIREWALL", "SEGMENT-IMPORTANT-ZONES"]

needs[name] := {"routes", "interfaces"} if some name in endpoints

needs[name] := {"firewall"} if {
	some name in firewalls
	hosts.is_device(input.hosts[name])
}

needs[name] := {"host_firewall"} if {
	some name in firewalls
	hosts.is_linux(input.hosts[name])
}

# -- the firewall's own configuration

violations[name] contains msg if {
	some name in firewalls
	fw := input.hosts[name].facts.firewall.value
	bound := [z.name | some z in fw.zones; count(z.interfaces) > 0]
	count(bound) < 2
	msg := {
		"zh": sprintf("防火墙未把安全区域绑定到接口（已绑定接口的区域 %d 个，至少应有 2 个）", [count(bound)]),
		"en": sprintf("the firewall binds no zones to its interfaces (%d zone(s) with interfaces, at least 2 needed)", [count(bound)]),
		"clauses": firewall_clauses,
	}
}

violations[name] contains msg if {
	some name in firewalls
	fw := input.hosts[name].facts.firewall.value
	count(fw.policies) == 0
	count(object.get(fw, "packet_filter_defaults", [])) == 0
	msg := {"zh": "防火墙未配置任何安全策略", "en": "the firewall has no security policy", "clauses": firewall_clauses}
}

# (whether the firewall denies by default is FIREWALL-DEFAULT-DENY's: here, that it has zones and rules at all)
violations[name] contains msg if {
	some name in firewalls
	hosts.is_linux(input.hosts[name])
	nft := object.get(input.hosts[name].facts.host_firewall.value, "nftables", null)
	is_object(nft)
	count([c | some c in object.get(nft, "base_chains", []); c.hook == "forward"; c.rules > 0]) == 0
	msg := {
		"zh": "Linux 防火墙的转发链没有任何规则，区域间流量未按策略控制",
		"en": "the Linux firewall's forward chains hold no rule: traffic between zones follows no policy",
		"clauses": firewall_clauses,
	}
}

# (each violation needs the inventory data it rests on: without it the rule says error, not fail)
violations[name] contains msg if {
	count(gateway_owner) > 0
	some name in endpoints
	some r in gateway_routes(input.hosts[name])
	not gateway_owner[r.gateway]
	msg := {
		"zh": sprintf("经 %s 的路由（目的 %s）的网关不是已登记的防火墙或路由器", [r.gateway, r.dst]),
		"en": sprintf("route to %s goes via %s, which is no declared firewall or router", [r.dst, r.gateway]),
		"clauses": ["BOUNDARY-FIREWALL"],
	}
}

violations[name] contains msg if {
	some name in endpoints
	host := input.hosts[name]
	zones[host.zone].subnets
	some r in gateway_routes(host)
	not host.zone in zones_of(r.gateway)
	owner := gateway_owner[r.gateway]
	msg := {
		"zh": sprintf("网关 %s 属于 %s，但不在本主机的安全区域 %v 内", [r.gateway, owner, host.zone]),
		"en": sprintf("gateway %s belongs to %s but is not in the host's zone %v", [r.gateway, owner, host.zone]),
		"clauses": ["BOUNDARY-FIREWALL"],
	}
}

violations[name] contains msg if {
	some name in endpoints
	z := zoned(input.hosts[name])
	count(z) > 1
	msg := {
		"zh": sprintf("接口地址分属多个安全区域（%s），内外网直接连接", [describe(z)]),
		"en": sprintf("interface addresses sit in several zones (%s): the zones are bridged directly", [describe(z)]),
		"clauses": bridged_clauses(z),
	}
}

# zones of the internet: trust 0 (or named so)
internet_zone(z) if zones[z].trust == 0

internet_zone("internet")

bridged_clauses(z) := ["SEGMENT-IMPORTANT-ZONES", "INTRANET-INTERNET-ISOLATED", "BOUNDARY-FIREWALL"] if {
	some name, _ in z
	internet_zone(name)
} else := ["SEGMENT-IMPORTANT-ZONES"]

observed[name] := {
	"zones": {z.name: z.interfaces | some z in fw.zones},
	"policies": count(fw.policies),
	"default_action": fw.default_action,
} if {
	some name in firewalls
	fw := input.hosts[name].facts.firewall.value
}

observed[name] := {"forward_chains": [c |
	some c in object.get(input.hosts[name].facts.host_firewall.value, ["nftables", "base_chains"], [])
	c.hook == "forward"
]} if {
	some name in firewalls
	hosts.is_linux(input.hosts[name])
}

observed[name] := {
	"zone": host.zone,
	"gateways": [{"dst": r.dst, "gateway": r.gateway, "dev": r.dev, "device": object.get(gateway_owner, r.gateway, null)} |
		some r in gateway_routes(host)
	],
	"addresses_by_zone": zoned(host),
	"unzoned_addresses": unzoned(host),
} if {
	some name in endpoints
	host := input.hosts[name]
}

# -- servers and terminals

ip(cidr) := split(cidr, "/")[0]

special(addr) if net.cidr_contains("127.0.0.0/8", addr)

special(addr) if net.cidr_contains("169.254.0.0/16", addr)

special(addr) if net.cidr_contains("::1/128", addr)

special(addr) if net.cidr_contains("fe80::/10", addr)

zones_of(addr) := hosts.zones_of(addr, zones)

addresses(host) := {ip(a) |
	some i in host.facts.interfaces.value
	some a in i.addresses
	not special(ip(a))
}

# zone -> the host's addresses in it
zoned(host) := {z: addrs |
	some a in addresses(host)
	some z in zones_of(a)
	addrs := sort([b | some b in addresses(host); z in zones_of(b)])
}

unzoned(host) := sort([a | some a in addresses(host); count(zones_of(a)) == 0])

gateway_routes(host) := [r |
	some r in host.facts.routes.value
	is_string(r.gateway)
	not special(r.gateway)
]

errors[name] contains msg if {
	some name in endpoints
	not is_string(object.get(input.hosts[name], "zone", null))
	msg := {"zh": "主机未声明安全区域（zicha_zone）", "en": "the host declares no security zone (zicha_zone)"}
}

errors[name] contains msg if {
	count(gateway_owner) == 0
	some name in endpoints
	msg := {
		"zh": "清单未声明任何防火墙或路由器及其地址（zicha_role: firewall/router 与 zicha_addresses），无法判断边界",
		"en": "the inventory declares no firewall or router with its addresses (zicha_role firewall/router, zicha_addresses)",
	}
}

errors[name] contains msg if {
	some name in endpoints
	zone := input.hosts[name].zone
	not zones[zone].subnets
	msg := {
		"zh": sprintf("安全区域 %v 未在 zicha_zones 中声明网段，无法判断跨区连接", [zone]),
		"en": sprintf("zone %v has no subnets in zicha_zones: cannot tell which zone an address is in", [zone]),
	}
}

errors[name] contains msg if {
	some name in firewalls
	hosts.is_linux(input.hosts[name])
	not is_object(object.get(input.hosts[name].facts.host_firewall.value, "nftables", null))
	msg := {
		"zh": "未读到 nftables 规则集（转发规则只从 nftables 读取），无法确认区域间策略",
		"en": "no nftables ruleset was read (forward rules are read from nftables only): the policy between zones is unknown",
	}
}

describe(z) := concat("; ", [sprintf("%s: %s", [k, concat(", ", z[k])]) | some k in sort(object.keys(z))])
