# METADATA
# title: 口令复杂度、定期更换和登录失败锁定
# description: |
#   The password policy enforces what the reports claim: at least password_min_length characters of
#   password_min_classes kinds, a change at least every password_max_age_days, and a lockout after at
#   most lockout_max_attempts failed logins. Linux: pam_pwquality (or pam_cracklib) in PAM,
#   PASS_MAX_DAYS in login.defs and each account's own maximum age in /etc/shadow, pam_faillock (or
#   pam_tally2). Windows: the local security policy. Devices: what each platform can set (H3C
#   password-control, Huawei local-aaa-user, Cisco security passwords and login block-for).
#   Length and complexity bear on PASSWORD-STRENGTH, the maximum age on PASSWORD-PERIODIC-CHANGE, the
#   lockout on LOGIN-LOCKOUT-AND-TIMEOUT; a device bears only on the clauses its platform can set.
# custom:
#   id: PASSWORD-POLICY
#   title_en: Password complexity, periodic change and lockout are enforced
#   severity: medium
#   clauses: [PASSWORD-STRENGTH, PASSWORD-PERIODIC-CHANGE, LOGIN-LOCKOUT-AND-TIMEOUT]
#   applies_to:
#     zh: 服务器、终端和网络设备
#     en: servers, terminals and network devices
#   remediation:
#     zh: >-
#       Linux：在 PAM 中启用 pam_pwquality（minlen=8 minclass=3）和 pam_faillock（deny=5 unlock_time=600），login.defs 设 PASS_MAX_DAYS 90 并对现有账户执行 chage
#       -M 90；Windows：组策略设置最短 8 位、启用复杂度、最长 90 天、5 次锁定；设备：华三 password-control，华为 local-aaa-user wrong-password 与 password expire，思科 security
#       passwords min-length 8 与 login block-for。
#     en: >-
#       Linux - pam_pwquality (minlen=8 minclass=3) and pam_faillock (deny=5 unlock_time=600) in PAM, PASS_MAX_DAYS 90 in login.defs and chage
#       -M 90 for existing accounts; Windows - at least 8 characters, complexity on, 90 days, lockout after 5 by group policy; devices - H3C
#       password-control, Huawei local-aaa-user wrong-password and password expire, Cisco security passwords min-length 8 and login block-for.
package zicha.rules.password_policy

import data.zicha.lib.hosts

meta := rego.metadata.chain()

p := data.zicha.params

applicable contains name if {
	some name, host in input.hosts
	host.platform in ({"linux", "windows"} | hosts.devices)
}

needs[name] := {"password_policy", "accounts"} if {
	some name in applicable
	input.hosts[name].platform in {"linux", "windows"}
}

needs[name] := {"password_policy"} if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}

msg(zh, en, clause) := {"zh": zh, "en": en, "clauses": [clause]}

strength := "PASSWORD-STRENGTH"

periodic := "PASSWORD-PERIODIC-CHANGE"

lockout := "LOGIN-LOCKOUT-AND-TIMEOUT"

# -- Linux

pol(name) := input.hosts[name].facts.password_policy.value

# required character classes: minclass, or the classes given a negative credit, whichever asks more
classes(s) := max([object.get(s, "minclass", 0), count([c | some c in {"dcredit", "ucredit", "lcredit", "ocredit"}; object.get(s, c, 0) < 0])])

violations[name] contains msg(
	"PAM 未启用口令复杂度检查（pam_pwquality / pam_cracklib）",
	"no password quality check (pam_pwquality / pam_cracklib) in PAM",
	strength,
) if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	not pol(name).pwquality.in_pam
}

violations[name] contains m if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	pol(name).pwquality.in_pam
	len := object.get(pol(name).pwquality.settings, "minlen", 8) # libpwquality's default
	len < p.password_min_length
	m := msg(
		sprintf("口令最短长度 %d，低于 %d", [len, p.password_min_length]),
		sprintf("minimum password length %d is below %d", [len, p.password_min_length]),
		strength,
	)
}

violations[name] contains m if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	pol(name).pwquality.in_pam
	n := classes(pol(name).pwquality.settings)
	n < p.password_min_classes
	m := msg(
		sprintf("口令复杂度只要求 %d 类字符，低于 %d 类", [n, p.password_min_classes]),
		sprintf("passwords need only %d character classes, fewer than %d", [n, p.password_min_classes]),
		strength,
	)
}

violations[name] contains m if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	days := object.get(pol(name).login_defs, "PASS_MAX_DAYS", 99999)
	days > p.password_max_age_days
	m := msg(
		sprintf("login.defs 的 PASS_MAX_DAYS 为 %v，超过 %d 天", [days, p.password_max_age_days]),
		sprintf("PASS_MAX_DAYS in login.defs is %v, more than %d days", [days, p.password_max_age_days]),
		periodic,
	)
}

violations[name] contains m if {
	some name in applicable
	input.hosts[name].platform in {"linux", "windows"}
	accounts := stale_accounts(name)
	count(accounts) > 0
	m := msg(
		sprintf("账户口令未设置 %d 天内强制更换：%s", [p.password_max_age_days, concat("、", accounts)]),
		sprintf("accounts not forced to change their password within %d days: %s", [p.password_max_age_days, concat(", ", accounts)]),
		periodic,
	)
}

violations[name] contains msg("未配置登录失败锁定（pam_faillock / pam_tally2）", "no lockout after failed logins (pam_faillock / pam_tally2)", lockout) if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	pol(name).lockout.module == null
}

violations[name] contains m if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	l := pol(name).lockout
	l.module != null
	not lockout_ok(l.deny)
	m := msg(
		sprintf("登录失败锁定阈值为 %v 次，应为 1 到 %d 次", [l.deny, p.lockout_max_attempts]),
		sprintf("lockout after %v failures; should be 1 to %d", [l.deny, p.lockout_max_attempts]),
		lockout,
	)
}

# Windows and the devices: each setting their platform carries, against its limit
violations[name] contains m if {
	some name in applicable
	some c in checks(name)
	n := object.get(pol(name), setting[c], null)
	not meets(c, n)
	m := msg(sprintf(texts[c][0], [wanted[c], n]), sprintf(texts[c][1], [wanted[c], n]), check_clauses[c])
}

setting := {"min_length": ["min_length"], "complexity": ["complexity"], "max_age": ["max_age_days"], "lockout": ["lockout", "attempts"]}

wanted := {
	"min_length": p.password_min_length, "complexity": p.password_min_classes,
	"max_age": p.password_max_age_days, "lockout": p.lockout_max_attempts,
}

meets("min_length", n) if at_least(n, p.password_min_length)

meets("complexity", n) if at_least(n, p.password_min_classes)

meets("max_age", n) if at_most(n, p.password_max_age_days)

meets("lockout", n) if lockout_ok(n)

texts := {
	"min_length": ["未要求口令至少 %d 位（当前 %v）", "passwords are not required to have %d characters (now %v)"],
	"complexity": ["未要求口令包含 %d 类字符（当前 %v）", "passwords are not required to mix %d character classes (now %v)"],
	"max_age": ["未要求口令 %d 天内更换（当前 %v）", "passwords are not required to change within %d days (now %v)"],
	"lockout": ["未配置 %d 次以内的登录失败锁定（当前 %v）", "no lockout within %d failed logins (now %v)"],
}

stale_accounts(name) := sort([a.name |
	some a in input.hosts[name].facts.accounts.value
	a.password == "set"
	not a.expired
	days := object.get(a, "max_days", null)
	not ageing_ok(days)
])

ageing_ok(days) if {
	is_number(days)
	days <= p.password_max_age_days
}

lockout_ok(n) if {
	is_number(n)
	n > 0
	n <= p.lockout_max_attempts
}

# -- Windows and network devices: what each platform can set

platform_checks := {
	"windows": {"min_length", "complexity", "max_age", "lockout"},
	"h3c_comware": {"min_length", "complexity", "max_age", "lockout"},
	"huawei_vrp": {"max_age", "lockout"},
	"huawei_usg": {"lockout"},
	"cisco_ios": {"min_length", "lockout"},
}

checks(name) := platform_checks[input.hosts[name].platform]

check_clauses := {"min_length": strength, "complexity": strength, "max_age": periodic, "lockout": lockout}

bears_on[name] := {check_clauses[c] | some c in checks(name)} if some name in applicable

at_least(n, lo) if {
	is_number(n)
	n >= lo
}

at_most(n, hi) if {
	is_number(n)
	n > 0
	n <= hi
}

observed[name] := pol(name) if some name in applicable
