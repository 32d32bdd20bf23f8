# METADATA
# title: 及时安装安全补丁
# description: |
#   No security update is pending: apt (Debian, UOS, Kylin desktop) and dnf/yum (openEuler, Kylin
#   server) list none from their security sources, Windows Update none rated Critical to Low. Package
#   lists older than update_lists_max_age_days cannot tell what is pending: that is an error.
# custom:
#   id: PATCHES-CURRENT
#   title_en: Security updates are installed
#   severity: high
#   clauses: [PATCHES-CURRENT]
#   applies_to:
#     zh: 服务器和终端（Linux、Windows）
#     en: servers and terminals (Linux, Windows)
#   remediation:
#     zh: 从单位的补丁源（内网镜像或补丁服务器）安装列出的安全更新，测试后推广；定期更新软件包列表。
#     en: >-
#       Install the listed security updates from the unit's update source (internal mirror or WSUS), test, then roll out; refresh the package
#       lists regularly.
package zicha.rules.patches_current

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

needs[name] := {"updates"} if some name in applicable

violations[name] contains msg if {
	some name in applicable
	u := input.hosts[name].facts.updates.value
	count(u.security) > 0
	shown := concat(", ", array.slice(sort(u.security), 0, 8))
	more := count(u.security) - 8
	msg := {
		"zh": sprintf("有 %d 个安全更新未安装：%s%s", [count(u.security), shown, more_text(more).zh]),
		"en": sprintf("%d security updates are pending: %s%s", [count(u.security), shown, more_text(more).en]),
	}
}

more_text(n) := {"zh": sprintf(" 等（另有 %d 个）", [n]), "en": sprintf(" and %d more", [n])} if n > 0

more_text(n) := {"zh": "", "en": ""} if n <= 0

errors[name] contains msg if {
	some name in applicable
	age := input.hosts[name].facts.updates.value.lists_age_days
	is_number(age)
	age > data.zicha.params.update_lists_max_age_days
	msg := {
		"zh": sprintf("软件包列表已 %d 天未更新，无法判断待装补丁", [floor(age)]),
		"en": sprintf("the package lists are %d days old: pending updates cannot be known", [floor(age)]),
	}
}

errors[name] contains msg if {
	some name in applicable
	u := input.hosts[name].facts.updates.value
	u.manager != "windows-update"
	not is_number(object.get(u, "lists_age_days", null))
	msg := {
		"zh": "软件包列表从未下载或无法读取其时间，无法判断待装补丁",
		"en": "the package lists were never downloaded or their age cannot be read: pending updates cannot be known",
	}
}

observed[name] := {"manager": u.manager, "pending": u.pending, "security": count(u.security), "lists_age_days": u.lists_age_days} if {
	some name in applicable
	u := input.hosts[name].facts.updates.value
}
