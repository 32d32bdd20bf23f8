# METADATA
# title: 日志集中采集
# description: |
#   Logs go to a central log server. Network devices name a syslog host (info-center loghost,
#   logging host); computers forward through a running forwarder (Linux - rsyslog; Windows - Windows
#   Event Forwarding to a collector, or NXLog). When syslog_servers lists the unit's log servers, the
#   target must be one of them.
# custom:
#   id: SYSLOG-CENTRAL
#   title_en: Logs are sent to a central log server
#   severity: medium
#   clauses: [LOG-CENTRAL-COLLECTION]
#   applies_to:
#     zh: 网络设备和服务器、终端（任何平台）
#     en: network devices and servers and terminals (any platform)
#   remediation:
#     zh: >-
#       设备配置 info-center loghost（华为、华三）或 logging host（思科）指向日志审计服务器；Linux 在 rsyslog 中加入 *.* @@日志服务器:514；
#       Windows 通过组策略配置事件转发（“配置目标订阅管理器”指向日志收集服务器）或在 NXLog 中配置输出到日志服务器；并确认服务器接收。
#     en: >-
#       Point devices at the log server (info-center loghost on Huawei/H3C, logging host on Cisco); on Linux add *.* @@logserver:514 to
#       rsyslog; on Windows configure event forwarding by Group Policy ("Configure target Subscription Manager") or an NXLog output to
#       the log server; then check the server receives it.
package zicha.rules.syslog_central

import data.zicha.lib.hosts

meta := rego.metadata.chain()

servers := {s | some s in data.zicha.params.syslog_servers}

applicable contains name if {
	some name, host in input.hosts
	hosts.is_device(host)
}

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

needs[name] := {"syslog"} if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}

needs[name] := {"log_forwarding"} if {
	some name in applicable
	hosts.is_computer(input.hosts[name])
}

targets(host) := {h | some h in host.facts.syslog.value.hosts} if hosts.is_device(host)

targets(host) := {t.host | some t in host.facts.log_forwarding.value.targets} if hosts.is_computer(host)

violations[name] contains msg if {
	some name in applicable
	count(targets(input.hosts[name])) == 0
	msg := {"zh": "未配置日志服务器，日志未集中采集", "en": "no log server is configured: logs stay on the host"}
}

violations[name] contains msg if {
	count(servers) > 0
	some name in applicable
	t := targets(input.hosts[name])
	count(t) > 0
	count(t & servers) == 0
	msg := {
		"zh": sprintf("日志发往 %s，不是单位的日志服务器（%s）", [concat("、", sort(t)), concat("、", sort(servers))]),
		"en": sprintf("logs go to %s, not to the unit's log servers (%s)", [concat(", ", sort(t)), concat(", ", sort(servers))]),
	}
}

violations[name] contains msg if {
	some name in applicable
	some t in object.get(input.hosts[name].facts, ["log_forwarding", "value", "targets"], [])
	not t.running
	msg := {
		"zh": sprintf("已配置向 %s 转发日志，但 %s 未运行", [t.host, t.via]),
		"en": sprintf("forwarding to %s is configured but %s is not running", [t.host, t.via]),
	}
}

observed[name] := {"log_servers": sort(targets(input.hosts[name]))} if some name in applicable
