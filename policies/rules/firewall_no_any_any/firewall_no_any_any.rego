# METADATA
# title: 防火墙无任意到任意的放行策略
# description: |
#   No security policy permits any source zone and address to any destination zone and address for
#   any service: such a rule switches the firewall off. (8.1.3.2 b: remove redundant rules, keep the
#   set minimal.)
# custom:
#   id: FIREWALL-NO-ANY-ANY
#   title_en: No any-to-any permit rule on firewalls
#   severity: high
#   clauses: [FW-POLICY-CONFIGURED]
#   applies_to:
#     zh: 网络防火墙设备（华为 USG、华三 SecPath 等）
#     en: firewall devices (Huawei USG, H3C SecPath and the like)
#   remediation:
#     zh: 删除或收紧 any-any 放行规则，按源/目的区域、地址和服务逐条放行，临时规则用完即删。
#     en: Remove or narrow the any-to-any rule; permit by source and destination zone, address and service, and delete temporary rules when done.
package zicha.rules.firewall_no_any_any

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_device(host)
	hosts.is_firewall(host)
}

needs[name] := {"firewall"} if some name in applicable

wide(values) if count(values) == 0

wide(values) if {
	some v in values
	lower(v) in {"any", "0.0.0.0 0", "0.0.0.0 0.0.0.0", "0.0.0.0 mask 0.0.0.0", "any any"}
}

any_any(p) if {
	p.action == "permit"
	not object.get(p, "disabled", false)
	wide(p.source_zones)
	wide(p.destination_zones)
	wide(object.get(p, "source_addresses", []))
	wide(object.get(p, "destination_addresses", []))
	wide(object.get(p, "services", []))
}

violations[name] contains msg if {
	some name in applicable
	some p in input.hosts[name].facts.firewall.value.policies
	any_any(p)
	msg := {
		"zh": sprintf("安全策略 %s 放行任意区域、任意地址、任意服务", [p.name]),
		"en": sprintf("security policy %s permits any zone, address and service", [p.name]),
	}
}

observed[name] := {"policies": count(fw.policies), "any_any": [p.name | some p in fw.policies; any_any(p)]} if {
	some name in applicable
	fw := input.hosts[name].facts.firewall.value
}
