# METADATA
# title: 防火墙默认拒绝
# description: |
#   What no rule permits is denied. A boundary firewall (device or Linux) denies by default: the USG
#   default rule or Comware packet-filter default is deny, a Cisco zone-based firewall has zones, a
#   router's inbound access list on every outside interface denies what it does not permit (Cisco's
#   implicit deny, an explicit final deny on Huawei and H3C, whose lists permit what they do not
#   match), a Linux firewall's forward chain drops. Every server and terminal runs a host firewall that drops
#   incoming traffic by default (nftables/iptables/ufw/firewalld; Windows: every profile on, inbound
#   blocked). A firewall's or router's result bears on FW-POLICY-CONFIGURED, a server's or terminal's on
#   HOST-FIREWALL-ENABLED.
# custom:
#   id: FIREWALL-DEFAULT-DENY
#   title_en: Firewalls deny by default (boundary and host firewalls)
#   severity: high
#   clauses: [FW-POLICY-CONFIGURED, HOST-FIREWALL-ENABLED]
#   applies_to:
#     zh: 防火墙、路由器，以及所有服务器和终端（主机防火墙）
#     en: firewalls and routers, and every server and terminal (host firewall)
#   remediation:
#     zh: >-
#       边界防火墙缺省动作设为拒绝（USG：security-policy 下 default action deny；华三：firewall packet-filter default deny），按需逐条放行；主机启用防火墙并默认拒绝入站（nftables policy
#       drop、ufw default deny、Windows 各配置文件阻止入站）。
#     en: >-
#       Make the boundary firewall deny by default (USG default action deny; Comware firewall packet-filter default deny) and permit only what
#       is needed; turn host firewalls on with inbound denied by default.
package zicha.rules.firewall_default_deny

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_firewall(host)
	host.platform in (hosts.computers | hosts.devices)
}

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

bears_on[name] := {"FW-POLICY-CONFIGURED"} if {
	some name in applicable
	hosts.is_firewall(input.hosts[name])
}

bears_on[name] := {"HOST-FIREWALL-ENABLED"} if {
	some name in applicable
	hosts.is_computer(input.hosts[name])
}

# the facts read on each platform (Linux's interfaces: whether the host has a routable IPv6 address whose traffic
# the IPv6 defaults decide)
reads := {"linux": {"host_firewall", "interfaces"}, "windows": {"host_firewall"}, "device": {"firewall"}}

needs[name] := hosts.reads(reads, input.hosts[name]) if some name in applicable

violations[name] contains msg if {
	some name in applicable
	fw := input.hosts[name].facts.firewall.value
	fw.default_action != "deny"
	not is_string(object.get(fw, "undetermined", null))
	count(open_boundary(fw)) == 0
	msg := {
		"zh": sprintf("防火墙缺省动作为 %v（未配置为拒绝）", [fw.default_action]),
		"en": sprintf("the firewall's default action is %v, not deny", [fw.default_action]),
	}
}

violations[name] contains msg if {
	some name in applicable
	fw := input.hosts[name].facts.firewall.value
	open := open_boundary(fw)
	count(open) > 0
	msg := {
		"zh": sprintf("边界接口未默认拒绝入站流量：%s", [concat("；", open)]),
		"en": sprintf("boundary interfaces do not deny inbound traffic by default: %s", [concat("; ", open)]),
	}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	hosts.is_firewall(input.hosts[name])
	d := object.get(input.hosts[name].facts.host_firewall.value, "forward_default", "none")
	d != "drop"
	msg := {
		"zh": sprintf("Linux 防火墙的转发链缺省策略为 %s（未配置为丢弃）", [d]),
		"en": sprintf("the Linux firewall's forward chain defaults to %s, not drop", [d]),
	}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_computer(input.hosts[name])
	hf := input.hosts[name].facts.host_firewall.value
	hf.input_default != "drop"
	msg := {
		"zh": sprintf("主机防火墙未默认拒绝入站（%s）", [explain[hf.input_default].zh]),
		"en": sprintf("the host firewall does not deny incoming traffic by default (%s)", [explain[hf.input_default].en]),
	}
}

# IPv4 decides input_default; a host that also has a routable IPv6 address must deny IPv6 by default too
violations[name] contains msg if {
	some name in applicable
	host := input.hosts[name]
	hosts.is_linux(host)
	hosts.is_computer(host)
	v6 := object.get(host.facts.host_firewall.value, ["families", "ipv6", "input"], null)
	is_string(v6)
	v6 != "drop"
	count(routable_v6(host)) > 0
	msg := {
		"zh": sprintf("主机防火墙未默认拒绝 IPv6 入站（%s），而主机有 IPv6 地址 %s", [explain[v6].zh, concat("、", routable_v6(host))]),
		"en": sprintf(
			"the host firewall does not deny incoming IPv6 by default (%s) on a host with IPv6 address %s",
			[explain[v6].en, concat(", ", routable_v6(host))],
		),
	}
}

# a router or switch filtering with access lists: each outside interface whose inbound list lets through what
# no entry denies (no list, a list ending in a permit of everything, a Huawei/H3C list without a final deny)
open_boundary(fw) := [sprintf("%s: %s", [b.interface, boundary_why(b)]) |
	some b in object.get(fw, "boundary", [])
	b["default"] != "deny"
]

boundary_why(b) := b.note if is_string(object.get(b, "note", null))

boundary_why(b) := sprintf("inbound access list %v lets through what it does not deny", [b.inbound]) if {
	not is_string(object.get(b, "note", null))
}

errors[name] contains msg if {
	some name in applicable
	reason := input.hosts[name].facts.firewall.value.undetermined
	is_string(reason)
	msg := {"zh": sprintf("无法判断缺省动作：%s", [reason]), "en": sprintf("the default action cannot be told: %s", [reason])}
}

routable_v6(host) := sort([a |
	some i in host.facts.interfaces.value
	some cidr in i.addresses
	a := split(cidr, "/")[0]
	contains(a, ":")
	not net.cidr_contains("fe80::/10", a)
	not net.cidr_contains("::1/128", a)
])

explain := {
	"none": {"zh": "未启用任何防火墙", "en": "no firewall is active"},
	"accept": {"zh": "缺省允许", "en": "it accepts by default"},
}

observed[name] := {
	"default_action": fw.default_action,
	"basis": object.get(fw, "basis", null),
	"zones": count(fw.zones),
	"policies": count(fw.policies),
	"boundary": [sprintf("%s (%s): inbound %v, default %v", [b.interface, concat(", ", b.why), b.inbound, b["default"]]) |
		some b in object.get(fw, "boundary", [])
	],
} if {
	some name in applicable
	fw := input.hosts[name].facts.firewall.value
}

observed[name] := {
	"input_default": hf.input_default,
	"forward_default": object.get(hf, "forward_default", null),
	"profiles": object.get(hf, "profiles", null),
} if {
	some name in applicable
	hf := input.hosts[name].facts.host_firewall.value
}
