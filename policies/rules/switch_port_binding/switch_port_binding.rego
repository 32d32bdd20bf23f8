# METADATA
# title: 终端 MAC 与交换机端口绑定
# description: |
#   Every access port of a switch that is not shut down binds the terminal plugged into it:
#   port-security (sticky or static MACs, a MAC limit), a static MAC entry, an IP–MAC binding
#   (user-bind, ip source binding) or IP source guard. Trunks, routed ports and ports named in the
#   host's zicha_port_binding_exempt are left out; a port whose mode the configuration does not state
#   is listed as not judged.
# custom:
#   id: SWITCH-PORT-BINDING
#   title_en: Terminal MACs are bound to switch ports
#   severity: medium
#   clauses: [MAC-PORT-BINDING]
#   applies_to:
#     zh: 交换机
#     en: switches
#   remediation:
#     zh: >-
#       在接入端口开启端口安全并绑定终端 MAC（华为 port-security enable + mac-address sticky；华三 port-security port-mode autolearn + max-mac-count 1；思科 switchport
#       port-security + mac-address sticky），或配置 IP-MAC 静态绑定；未用端口关闭。
#     en: >-
#       Turn port-security on for access ports and bind the terminal's MAC (Huawei port-security enable + mac-address sticky; H3C
#       port-security port-mode autolearn + max-mac-count 1; Cisco switchport port-security + mac-address sticky), or add static IP–MAC
#       bindings; shut unused ports.
package zicha.rules.switch_port_binding

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_switch(host)
}

needs[name] := {"interfaces", "bindings"} if some name in applicable

exempt(host) := {hosts.mac_port(p) | some p in object.get(host.vars, "zicha_port_binding_exempt", [])}

bound_ports(host) := {hosts.mac_port(b.interface) | some b in host.facts.bindings.value; is_string(b.interface)}

protected(_, i) if i.port_security.enabled == true

protected(host, i) if hosts.mac_port(i.name) in bound_ports(host)

protected(_, i) if object.get(i, "ip_source_check", false) == true

not_judged(host) := sort([i.name | some i in host.facts.interfaces.value; i.mode == "unknown"; not i.shutdown])

errors[name] contains msg if {
	some name in applicable
	ports := not_judged(input.hosts[name])
	count(ports) > 0
	msg := {
		"zh": sprintf("%d 个端口的链路类型无法判断（非 access/trunk/hybrid），无法核实其绑定：%s", [count(ports), concat("、", ports)]),
		"en": sprintf("%d ports have no link type zicha can tell (access, trunk or hybrid): %s", [count(ports), concat(", ", ports)]),
	}
}

open_ports(host) := sort([i.name |
	some i in host.facts.interfaces.value
	i.mode == "access"
	not i.shutdown
	not hosts.mac_port(i.name) in exempt(host)
	not protected(host, i)
])

violations[name] contains msg if {
	some name in applicable
	ports := open_ports(input.hosts[name])
	count(ports) > 0
	msg := {
		"zh": sprintf("%d 个接入端口未绑定终端 MAC：%s", [count(ports), concat("、", ports)]),
		"en": sprintf("%d access ports bind no terminal MAC: %s", [count(ports), concat(", ", ports)]),
	}
}

observed[name] := {
	"access_ports": count([1 | some i in host.facts.interfaces.value; i.mode == "access"; not i.shutdown]),
	"unbound": open_ports(host),
	"not_judged": not_judged(host),
} if {
	some name in applicable
	host := input.hosts[name]
}
