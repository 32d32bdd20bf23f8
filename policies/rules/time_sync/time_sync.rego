# METADATA
# title: 时间同步
# description: |
#   Clocks follow a common time source, so that audit records are timed right. A computer runs a
#   time daemon (Linux - chrony, ntpd, systemd-timesyncd; Windows - the Windows Time service, not NoSync)
#   with a server configured (or a Windows domain member following the domain hierarchy), and is not
#   reported unsynchronised; a network device names an NTP server.
# custom:
#   id: TIME-SYNC
#   title_en: Clocks are synchronised with a time source
#   severity: low
#   clauses: [TIME-SYNCHRONISED]
#   applies_to:
#     zh: 计算机（任何平台）和网络设备
#     en: computers (any platform) and network devices
#   remediation:
#     zh: >-
#       配置单位的时间服务器（Linux：chrony 的 server 行；Windows：w32tm /config /manualpeerlist:服务器 /syncfromflags:manual
#       /update 并将 Windows Time 服务设为自动启动；设备：ntp-service unicast-server / ntp server）并启用时间同步服务。
#     en: >-
#       Configure the unit's time server (Linux - a chrony server line; Windows - w32tm /config /manualpeerlist:SERVER
#       /syncfromflags:manual /update, and the Windows Time service set to start automatically; devices -
#       ntp-service unicast-server or ntp server) and enable time synchronisation.
package zicha.rules.time_sync

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	host.platform in (hosts.computers | hosts.devices)
}

needs[name] := {"time_sync"} if {
	some name in applicable
	input.hosts[name].platform in hosts.computers
}

needs[name] := {"ntp"} if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}

violations[name] contains msg if {
	some name in applicable
	t := input.hosts[name].facts.time_sync.value
	count(t.daemons) == 0
	msg := {"zh": "未运行时间同步服务（chrony、ntpd、timesyncd、Windows Time）", "en": "no time synchronisation daemon runs (chrony, ntpd, timesyncd, Windows Time)"}
}

violations[name] contains msg if {
	some name in applicable
	t := input.hosts[name].facts.time_sync.value
	count(t.servers) == 0
	msg := {"zh": "未配置时间服务器", "en": "no time server is configured"}
}

violations[name] contains msg if {
	some name in applicable
	input.hosts[name].facts.time_sync.value.synchronized == false
	msg := {"zh": "时间服务报告未同步", "en": "the time daemon reports it is not synchronised"}
}

violations[name] contains msg if {
	some name in applicable
	count(input.hosts[name].facts.ntp.value.servers) == 0
	msg := {"zh": "设备未配置 NTP 服务器", "en": "the device names no NTP server"}
}

observed[name] := input.hosts[name].facts.time_sync.value if {
	some name in applicable
	input.hosts[name].platform in hosts.computers
}

observed[name] := input.hosts[name].facts.ntp.value if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}
