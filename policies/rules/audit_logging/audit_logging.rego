# METADATA
# title: 开启安全审计
# description: |
#   Security audit is on and covers users and important events. Linux: auditd is installed, running
#   and has rules. Windows: the audit policy records logon events, account logon, account management
#   and policy change.
# custom:
#   id: AUDIT-LOGGING
#   title_en: Security auditing is on
#   severity: medium
#   clauses: [AUDIT-ENABLED]
#   applies_to:
#     zh: 服务器和终端（Linux、Windows）
#     en: servers and terminals (Linux, Windows)
#   remediation:
#     zh: Linux 安装并启用 auditd，加载审计规则（如登录、提权、账户和关键文件变更）；Windows 在本地安全策略或组策略中开启登录、账户登录、账户管理和策略更改的成功与失败审核。
#     en: >-
#       Linux - install and enable auditd with rules (logins, privilege use, account and key file changes); Windows - audit success and
#       failure of logon, account logon, account management and policy change.
package zicha.rules.audit_logging

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

# the facts read on each platform
reads := {"linux": {"auditd"}, "windows": {"audit_policy"}}

needs[name] := hosts.reads(reads, input.hosts[name]) if some name in applicable

violations[name] contains msg if {
	some name in applicable
	a := input.hosts[name].facts.auditd.value
	not a.installed
	msg := {"zh": "未安装审计服务 auditd", "en": "auditd is not installed"}
}

violations[name] contains msg if {
	some name in applicable
	a := input.hosts[name].facts.auditd.value
	a.installed
	not a.running
	msg := {"zh": "审计服务 auditd 未运行", "en": "auditd is not running"}
}

violations[name] contains msg if {
	some name in applicable
	a := input.hosts[name].facts.auditd.value
	a.installed
	a.rules == 0
	msg := {"zh": "auditd 未配置审计规则", "en": "auditd has no audit rules"}
}

violations[name] contains msg if {
	some name in applicable
	cats := input.hosts[name].facts.audit_policy.value.categories
	missing := sort([c | some c in windows_required; object.get(cats, c, "none") == "none"])
	count(missing) > 0
	msg := {
		"zh": sprintf("审核策略未记录：%s", [concat("、", missing)]),
		"en": sprintf("the audit policy does not record: %s", [concat(", ", missing)]),
	}
}

windows_required := {"AuditLogonEvents", "AuditAccountLogon", "AuditAccountManage", "AuditPolicyChange"}

observed[name] := input.hosts[name].facts.auditd.value if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
}

observed[name] := input.hosts[name].facts.audit_policy.value if {
	some name in applicable
	hosts.is_windows(input.hosts[name])
}
