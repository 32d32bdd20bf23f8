# METADATA
# title: 远程管理采用加密方式
# description: |
#   Remote management travels encrypted. A network device has no Telnet server and no vty line that
#   admits Telnet, and no plain-HTTP web management (HTTPS and SSH are fine). A computer listens on
#   no Telnet or r-command port (23, 512-514) on an address other than loopback; on Windows, Remote
#   Desktop (where enabled) requires Network Level Authentication and does not use RDP's own security
#   layer, and WinRM does not accept unencrypted traffic.
# custom:
#   id: REMOTE-MGMT-ENCRYPTED
#   title_en: Remote management is encrypted (no Telnet, no plain HTTP)
#   severity: high
#   clauses: [REMOTE-MGMT-SECURE]
#   applies_to:
#     zh: 网络设备和计算机（任何平台）
#     en: network devices and computers (any platform)
#   remediation:
#     zh: >-
#       关闭 Telnet（华为 undo telnet server enable；华三 undo telnet server enable；思科 line vty 下 transport input ssh）和 HTTP 管理，只保留 SSH 和 HTTPS；Linux
#       卸载 telnetd、rsh 等服务；Windows 远程桌面要求网络级别身份验证并使用 SSL/TLS 安全层，WinRM 禁止未加密通信（winrm set winrm/config/service @{AllowUnencrypted="false"}）。
#     en: >-
#       Turn Telnet off (Huawei/H3C undo telnet server enable; Cisco transport input ssh under line vty) and plain-HTTP management, keeping
#       SSH and HTTPS only; remove telnetd and r-command services from Linux hosts; on Windows require Network Level Authentication and the
#       SSL/TLS security layer for Remote Desktop, and forbid unencrypted WinRM traffic.
package zicha.rules.remote_mgmt_encrypted

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	host.platform in (hosts.computers | hosts.devices)
}

# the facts read on each platform
reads := {"linux": {"listening"}, "windows": {"listening", "remote_access"}, "device": {"management"}}

needs[name] := hosts.reads(reads, input.hosts[name]) if some name in applicable

violations[name] contains msg if {
	some name in applicable
	input.hosts[name].facts.management.value.telnet == true
	vtys := [v.lines | some v in input.hosts[name].facts.management.value.vty; "telnet" in v.protocols]
	msg := {
		"zh": sprintf("启用了 Telnet 明文管理（vty %s）", [concat("、", vtys)]),
		"en": sprintf("Telnet management is enabled (vty %s)", [concat(", ", vtys)]),
	}
}

violations[name] contains msg if {
	some name in applicable
	input.hosts[name].facts.management.value.http == true
	msg := {"zh": "启用了 HTTP 明文网页管理", "en": "plain-HTTP web management is enabled"}
}

violations[name] contains msg if {
	some name in applicable
	some s in input.hosts[name].facts.listening.value
	startswith(s.proto, "tcp")
	not s.address in {"127.0.0.1", "::1"}
	service := plain_ports[s.port]
	msg := {
		"zh": sprintf("在 %s:%d 上监听明文管理服务 %s（进程 %v）", [s.address, s.port, service, s.process]),
		"en": sprintf("a clear-text %s service listens on %s:%d (process %v)", [service, s.address, s.port, s.process]),
	}
}

# Windows: Remote Desktop without Network Level Authentication or on RDP's own security layer, WinRM unencrypted

violations[name] contains msg if {
	some name in applicable
	rdp := input.hosts[name].facts.remote_access.value.rdp
	rdp.enabled
	rdp.nla == false
	msg := {
		"zh": "远程桌面未要求网络级别身份验证（NLA）",
		"en": "Remote Desktop does not require Network Level Authentication",
	}
}

violations[name] contains msg if {
	some name in applicable
	rdp := input.hosts[name].facts.remote_access.value.rdp
	rdp.enabled
	rdp.security_layer == "rdp"
	msg := {
		"zh": "远程桌面使用 RDP 自身的安全层而非 TLS",
		"en": "Remote Desktop uses RDP's own security layer, not TLS",
	}
}

violations[name] contains msg if {
	some name in applicable
	input.hosts[name].facts.remote_access.value.winrm.allow_unencrypted == true
	msg := {
		"zh": "WinRM 允许未加密的通信（AllowUnencrypted）",
		"en": "WinRM accepts unencrypted traffic (AllowUnencrypted)",
	}
}

plain_ports := {23: "telnet", 512: "rexec", 513: "rlogin", 514: "rsh"}

observed[name] := {k: m[k] | some k in {"telnet", "ssh", "http", "https"}} if {
	some name in applicable
	m := input.hosts[name].facts.management.value
}

observed[name] := {
	"plain_listeners": [sprintf("%s:%d", [s.address, s.port]) |
		some s in host.facts.listening.value
		plain_ports[s.port]
		startswith(s.proto, "tcp")
	],
	"remote_access": object.get(host.facts, ["remote_access", "value"], null),
} if {
	some name in applicable
	host := input.hosts[name]
	host.platform in hosts.computers
}
