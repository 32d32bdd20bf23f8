# METADATA
# title: 边界不做端口映射进内网
# description: |
#   No port mapping (Huawei/H3C `nat server`, Cisco `ip nat inside source static`, nftables dnat)
#   leads from the boundary into an internal zone. Only the zones in port_mapping_allowed_zones (the
#   DMZ by default) may receive mapped ports; an inside address in no declared zone counts as internal.
# custom:
#   id: NO-BOUNDARY-PORT-MAPPING
#   title_en: No port mapping from the boundary into internal zones
#   severity: high
#   clauses: [NO-PORT-MAPPING]
#   applies_to:
#     zh: 防火墙、路由器和交换机（有 NAT 配置的网络设备及作防火墙的计算机）
#     en: firewalls, routers and switches (devices with NAT, computers acting as firewalls)
#   remediation:
#     zh: 删除指向内网的端口映射（undo nat server …；no ip nat inside source static …），对外服务迁入 DMZ，远程访问改用 VPN 并经访问控制策略。
#     en: >-
#       Remove the mappings into internal zones (undo nat server …; no ip nat inside source static …); move public services to the DMZ and
#       give remote access through a VPN with an access policy.
package zicha.rules.no_boundary_port_mapping

import data.zicha.lib.hosts

meta := rego.metadata.chain()

default zones := {}

zones := data.zicha.topology.zones

allowed := {z | some z in data.zicha.params.port_mapping_allowed_zones}

applicable contains name if {
	some name, host in input.hosts
	hosts.is_device(host)
	host.role in {"switch", "firewall", "router"}
}

applicable contains name if {
	some name, host in input.hosts
	host.platform in hosts.computers
	hosts.is_firewall(host)
}

# devices' NAT servers; Windows' portproxy and WinNAT mappings in the same shape
needs[name] := {"nat_servers"} if {
	some name in applicable
	not hosts.is_linux(input.hosts[name])
}

needs[name] := {"host_firewall"} if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
}

mappings(host) := host.facts.nat_servers.value if not hosts.is_linux(host)

mappings(host) := [m |
	some d in object.get(host.facts.host_firewall.value, ["nftables", "dnat"], [])
	m := {"protocol": "any", "global_address": null, "global_port": null, "inside_address": d.inside_address, "inside_port": d.inside_port}
] if hosts.is_linux(host)

errors[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	not is_object(object.get(input.hosts[name].facts.host_firewall.value, "nftables", null))
	msg := {
		"zh": "未读到 nftables 规则集（端口映射 DNAT 只从 nftables 读取），无法确认没有端口映射",
		"en": "no nftables ruleset was read (port mappings, DNAT, are read from nftables only): cannot show there is none",
	}
}

into(m) := hosts.zones_of(m.inside_address, zones) if is_string(m.inside_address)

into(m) := set() if not is_string(m.inside_address)

violations[name] contains msg if {
	some name in applicable
	some m in mappings(input.hosts[name])
	count(into(m) & allowed) == 0
	where := zone_text(into(m))
	msg := {
		"zh": sprintf("端口映射 %v:%v → %v:%v 指向内网（%s）", [m.global_address, port(m.global_port), m.inside_address, port(m.inside_port), where.zh]),
		"en": sprintf(
			"port mapping %v:%v → %v:%v leads into an internal zone (%s)",
			[m.global_address, port(m.global_port), m.inside_address, port(m.inside_port), where.en],
		),
	}
}

# a static one-to-one NAT maps every port
port(null) := "*"

port(p) := p if p != null

zone_text(zs) := {"zh": concat("、", sort(zs)), "en": concat(", ", sort(zs))} if count(zs) > 0

zone_text(zs) := {"zh": "未声明的区域", "en": "no declared zone"} if count(zs) == 0

observed[name] := [sprintf("%v %v:%v → %v:%v", [m.protocol, m.global_address, m.global_port, m.inside_address, m.inside_port]) |
	some m in mappings(input.hosts[name])
] if some name in applicable
