# METADATA
# title: 关闭不必要的服务和高危端口
# description: |
#   No high-risk service (risky_ports: FTP, Telnet, TFTP, rpcbind, SMB, r-commands, rsync, NFS, VNC,
#   X11…) listens on an address other than loopback, unless the host lists the port in
#   zicha_allowed_ports (a file server that must share, say).
# custom:
#   id: UNNEEDED-SERVICES
#   title_en: Unneeded services and high-risk ports are closed
#   severity: medium
#   clauses: [UNNEEDED-PORTS-CLOSED]
#   applies_to:
#     zh: 服务器、终端和防火墙（任何平台的计算机）
#     en: servers, terminals and firewalls (computers of any platform)
#   remediation:
#     zh: >-
#       停用并卸载列出的服务（Linux：systemctl disable --now …；Windows：停用 Server 服务关闭 445，禁用 TCP/IP 上的 NetBIOS 关闭 137-139，
#       关闭 DCOM 或以主机防火墙阻断 135），确需保留的在主机防火墙上限制来源，并在清单 zicha_allowed_ports 中登记理由。
#     en: >-
#       Stop and remove the listed services (Linux - systemctl disable --now …; Windows - stop the Server service for 445, disable
#       NetBIOS over TCP/IP for 137-139, turn DCOM off or block 135 in the host firewall); where one must stay, restrict its sources in
#       the host firewall and record it in zicha_allowed_ports.
package zicha.rules.unneeded_services

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	host.platform in hosts.computers
}

needs[name] := {"listening"} if some name in applicable

risky[[r.port, r.proto]] := r.name if some r in data.zicha.params.risky_ports

allowed(host) := {p | some p in object.get(host.vars, "zicha_allowed_ports", [])}

loopback(addr) if startswith(addr, "127.")

loopback("::1")

found(host) := {sprintf("%s %s:%d (%v)", [risky[[s.port, proto]], s.address, s.port, s.process]) |
	some s in host.facts.listening.value
	proto := trim_suffix(s.proto, "6")
	risky[[s.port, proto]]
	not loopback(s.address)
	not s.port in allowed(host)
}

violations[name] contains msg if {
	some name in applicable
	f := found(input.hosts[name])
	count(f) > 0
	msg := {
		"zh": sprintf("高危服务在监听：%s", [concat("；", sort(f))]),
		"en": sprintf("high-risk services listen: %s", [concat("; ", sort(f))]),
	}
}

observed[name] := {
	"listening": sort({sprintf("%s %s:%d", [s.proto, s.address, s.port]) | some s in listening}),
	"high_risk": sort(found(host)),
} if {
	some name in applicable
	host := input.hosts[name]
	listening := host.facts.listening.value
}
