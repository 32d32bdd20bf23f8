# METADATA
# title: SNMP 不使用默认团体名
# description: |
#   No SNMP agent answers to a default or guessable community (public, private, the vendor's name,
#   one from the weak list). Judged where the community lives (the device parser, the host's own
#   collector); only the verdict comes back. A community stored in a form zicha cannot read is an
#   error, not a pass.
# custom:
#   id: SNMP-NO-DEFAULT-COMMUNITY
#   title_en: SNMP does not use default communities
#   severity: high
#   clauses: [DEFAULT-ACCOUNTS-REMOVED]
#   applies_to:
#     zh: 网络设备和计算机（任何平台，检查其 SNMP 服务）
#     en: network devices and computers (any platform; their SNMP service)
#   remediation:
#     zh: 删除默认团体名（undo snmp-agent community public/private；no snmp-server community public），改用 SNMPv3 并设置认证和加密；确需 v2c 时使用复杂团体名并绑定 ACL。
#     en: >-
#       Remove the default communities (undo snmp-agent community …; no snmp-server community public), move to SNMPv3 with authentication and
#       privacy; where v2c must stay, use a complex community bound to an ACL.
package zicha.rules.snmp_no_default_community

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_device(host)
}

applicable contains name if {
	some name, host in input.hosts
	host.platform in hosts.computers
}

needs[name] := {"snmp"} if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}

needs[name] := {"snmpd"} if {
	some name in applicable
	input.hosts[name].platform in hosts.computers
}

communities(host) := host.facts.snmp.value.communities if hosts.is_device(host)

communities(host) := host.facts.snmpd.value.communities if host.platform in hosts.computers

violations[name] contains msg if {
	some name in applicable
	some c in communities(input.hosts[name])
	default_or_weak(c)
	msg := {
		"zh": sprintf("使用默认或弱团体名（%s 权限）", [access_zh[c.access]]),
		"en": sprintf("a default or weak community is configured (%s access)", [c.access]),
	}
}

default_or_weak(c) if c.default == true

default_or_weak(c) if object.get(c, "weak", false) == true

access_zh := {"read": "只读", "write": "读写"}

errors[name] contains msg if {
	some name in applicable
	some c in communities(input.hosts[name])
	c.default == null
	msg := {
		"zh": sprintf("团体名以 %v 形式保存，无法判断是否为默认值", [c.scheme]),
		"en": sprintf("a community is stored as %v: cannot tell whether it is a default", [c.scheme]),
	}
}

observed[name] := {
	"versions": object.get(host.facts, ["snmp", "value", "versions"], []),
	"communities": [{"access": c.access, "default": c.default, "weak": object.get(c, "weak", c.default)} |
		some c in communities(host)
	],
} if {
	some name in applicable
	host := input.hosts[name]
}
