# METADATA
# title: 专网终端使用固定 IP 并登记
# description: |
#   In the zones of static_ip_zones (the classified and private networks by default; a host may opt in
#   with zicha_static_ip_required) a host gets no address from DHCP (no DHCP configuration, no DHCP
#   client running, no leased address), and its addresses and MACs are the ones registered in the
#   inventory (ansible_host and zicha_addresses; zicha_macs). DHCP disproves STATIC-IP-ASSIGNMENT, an
#   unregistered address or MAC TERMINAL-INVENTORY.
# custom:
#   id: STATIC-IP
#   title_en: Private-network hosts use fixed, registered addresses
#   severity: medium
#   clauses: [STATIC-IP-ASSIGNMENT, TERMINAL-INVENTORY]
#   applies_to:
#     zh: "专网/涉密区域的服务器和终端（任何平台；参数 static_ip_zones，或 zicha_static_ip_required: true）"
#     en: servers and terminals of any platform in private or classified zones (parameter static_ip_zones, or zicha_static_ip_required)
#   remediation:
#     zh: 关闭 DHCP，按 IP 地址规划配置固定地址，并在台账（清单的 zicha_addresses、zicha_macs）中登记 IP、MAC 与使用人。
#     en: Turn DHCP off, configure the planned fixed address, and register the IP, MAC and user in the inventory (zicha_addresses, zicha_macs).
package zicha.rules.static_ip

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
	required(host)
}

required(host) if host.zone in data.zicha.params.static_ip_zones

required(host) if object.get(host.vars, "zicha_static_ip_required", false) == true

needs[name] := {"interfaces", "network_config"} if some name in applicable

nics(host) := [i |
	some i in host.facts.interfaces.value
	i.name != "lo"
	count(i.addresses) > 0
]

ip(cidr) := split(cidr, "/")[0]

v4(addr) if contains(addr, ".")

registered_ips(host) := {a | some a in object.get(host.vars, "zicha_addresses", [])} | {a | a := host.vars.ansible_host}

registered_macs(host) := {hosts.mac(m) | some m in object.get(host.vars, "zicha_macs", [])}

violations[name] contains msg if {
	some name in applicable
	nc := input.hosts[name].facts.network_config.value
	count(nc.dhcp) > 0
	where := concat(", ", sort({sprintf("%v (%v)", [d.interface, d.source]) | some d in nc.dhcp}))
	msg := {
		"zh": sprintf("网络配置使用 DHCP 自动获取地址：%s", [where]),
		"en": sprintf("the network configuration uses DHCP: %s", [where]),
		"clauses": ["STATIC-IP-ASSIGNMENT"],
	}
}

violations[name] contains msg if {
	some name in applicable
	clients := input.hosts[name].facts.network_config.value.dhcp_clients_running
	count(clients) > 0
	msg := {
		"zh": sprintf("DHCP 客户端正在运行：%s", [concat("、", clients)]),
		"en": sprintf("a DHCP client is running: %s", [concat(", ", clients)]),
		"clauses": ["STATIC-IP-ASSIGNMENT"],
	}
}

violations[name] contains msg if {
	some name in applicable
	some i in nics(input.hosts[name])
	count(object.get(i, "dynamic", [])) > 0
	msg := {
		"zh": sprintf("接口 %s 的地址由 DHCP 分配（%s）", [i.name, concat(", ", i.dynamic)]),
		"en": sprintf("the address of %s was leased by DHCP (%s)", [i.name, concat(", ", i.dynamic)]),
		"clauses": ["STATIC-IP-ASSIGNMENT"],
	}
}

violations[name] contains msg if {
	some name in applicable
	host := input.hosts[name]
	some i in nics(host)
	some a in i.addresses
	v4(a)
	not ip(a) in registered_ips(host)
	msg := {
		"zh": sprintf("接口 %s 的地址 %s 未登记", [i.name, ip(a)]),
		"en": sprintf("address %s of %s is not registered", [ip(a), i.name]),
		"clauses": ["TERMINAL-INVENTORY"],
	}
}

violations[name] contains msg if {
	some name in applicable
	host := input.hosts[name]
	some i in nics(host)
	not hosts.mac(i.mac) in registered_macs(host)
	msg := {
		"zh": sprintf("接口 %s 的 MAC %s 未登记（zicha_macs）", [i.name, hosts.mac(i.mac)]),
		"en": sprintf("MAC %s of %s is not registered (zicha_macs)", [hosts.mac(i.mac), i.name]),
		"clauses": ["TERMINAL-INVENTORY"],
	}
}

observed[name] := {
	"interfaces": {i.name: {"mac": i.mac, "addresses": i.addresses, "dynamic": object.get(i, "dynamic", [])} | some i in nics(host)},
	"dhcp_config": host.facts.network_config.value.dhcp,
	"registered": {"ips": sort(registered_ips(host)), "macs": sort(registered_macs(host))},
} if {
	some name in applicable
	host := input.hosts[name]
}
