# METADATA
# title: 无私自接入的未登记设备
# description: |
#   Every MAC address a switch has learned on a port that is not a trunk belongs to a registered
#   device: an interface of a host in the inventory (gathered facts), a host's zicha_macs, or the
#   unit's registered_macs. Anything else is a device plugged in without registration (私自接入).
# custom:
#   id: UNKNOWN-DEVICE
#   title_en: No unregistered device on the network
#   severity: high
#   clauses: [UNKNOWN-DEVICE-CONTROL, TERMINAL-INVENTORY]
#   applies_to:
#     zh: 交换机（读取其 MAC 地址表）
#     en: switches (their MAC address tables)
#   remediation:
#     zh: 查明列出的 MAC 属于哪台设备：确属本单位的登记入台账（zicha_macs / registered_macs），否则拔除并追查；接入端口开启端口安全或准入控制。
#     en: >-
#       Find out which device each listed MAC is; register the unit's own (zicha_macs, registered_macs) and remove and trace the others; turn
#       on port-security or network access control.
package zicha.rules.unknown_device

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_switch(host)
}

needs[name] := {"mac_table", "interfaces"} if some name in applicable

known contains m if {
	some host in input.hosts
	some m in hosts.macs(host)
}

known contains hosts.mac(m) if some m in data.zicha.params.registered_macs

trunks(host) := {hosts.mac_port(i.name) | some i in host.facts.interfaces.value; i.mode in {"trunk", "hybrid"}}

unknown(host) := [sprintf("%s (%v, VLAN %v)", [hosts.mac(e.mac), e.interface, e.vlan]) |
	some e in host.facts.mac_table.value
	not hosts.mac_port(e.interface) in trunks(host)
	not hosts.mac(e.mac) in known
]

violations[name] contains msg if {
	some name in applicable
	u := unknown(input.hosts[name])
	count(u) > 0
	msg := {
		"zh": sprintf("发现 %d 个未登记设备接入：%s", [count(u), concat("、", sort(u))]),
		"en": sprintf("%d unregistered devices are connected: %s", [count(u), concat(", ", sort(u))]),
	}
}

observed[name] := {"learned": count(input.hosts[name].facts.mac_table.value), "unregistered": sort(unknown(input.hosts[name]))} if {
	some name in applicable
}
