# METADATA
# title: 杜绝弱口令
# description: |
#   No local account that can log in with a password has an empty password, its own name (or a
#   common variation) as password, a password from the shipped weak list (vendor defaults and the
#   patterns offices use), or the organisation's name, alone or with a year. The check runs where
#   the hash lives (crypt_r on the host); only the verdict and the kind of weakness come back.
#   A weak password disproves PASSWORD-STRENGTH; an empty one also LOGIN-AUTH-PER-USER (no login
#   password at all).
# custom:
#   id: NO-WEAK-PASSWORD
#   title_en: No weak passwords
#   severity: critical
#   clauses: [PASSWORD-STRENGTH, LOGIN-AUTH-PER-USER]
#   applies_to:
#     zh: 计算机（任何平台）的本地账户和网络设备（交换机、防火墙）的登录账户
#     en: local accounts of computers (any platform) and the login accounts of network devices
#   remediation:
#     zh: 立即为列出的账户设置复杂口令（至少 8 位，含大小写字母、数字和特殊字符中的三类），不得使用用户名、单位名称、年份或常见口令；不用的账户予以锁定或删除。
#     en: >-
#       Set a complex password for each listed account now (at least 8 characters of three classes), not the user name, the organisation's
#       name, a year or a common password; lock or delete accounts that are not used.
package zicha.rules.no_weak_password

import data.zicha.lib.hosts

meta := rego.metadata.chain()

devices := hosts.devices

computers := hosts.computers

applicable contains name if {
	some name, host in input.hosts
	host.platform in (computers | devices)
}

needs[name] := {"accounts"} if {
	some name in applicable
	input.hosts[name].platform in {"linux", "windows"}
}

needs[name] := {"users"} if {
	some name in applicable
	input.hosts[name].platform in devices
}

# device login accounts (local users, enable/super secrets, console and vty passwords)
device_users(host) := [u |
	some u in host.facts.users.value
	object.get(u, "state", "active") != "block"
	u.storage != "none"
]

reasons := {
	"empty": {"zh": "空口令", "en": "an empty password"},
	"no_authentication": {
		"zh": "登录无需任何口令（authentication-mode none / no login）",
		"en": "no password at all to log in (authentication-mode none / no login)",
	},
	"same_as_username": {"zh": "口令与用户名相同", "en": "the user name as password"},
	"username_pattern": {"zh": "口令为用户名加常见后缀", "en": "the user name with a common suffix"},
	"weak_list": {"zh": "口令在弱口令字典中", "en": "a password from the weak list"},
	"org_name": {"zh": "口令为单位名称", "en": "the organisation's name"},
	"org_name_year": {"zh": "口令为单位名称加年份", "en": "the organisation's name with a year"},
	"password_not_required": {
		"zh": "账户未要求口令（PASSWD_NOTREQD，可为空口令）",
		"en": "no password required (PASSWD_NOTREQD: it may be blank)",
	},
}

reason(r) := reasons[r]

reason(r) := {"zh": sprintf("弱口令（%v）", [r]), "en": sprintf("a weak password (%v)", [r])} if not reasons[r]

# an empty password is no login password at all
weak_clauses := {
	"empty": ["PASSWORD-STRENGTH", "LOGIN-AUTH-PER-USER"],
	"no_authentication": ["PASSWORD-STRENGTH", "LOGIN-AUTH-PER-USER"],
	"password_not_required": ["PASSWORD-STRENGTH", "LOGIN-AUTH-PER-USER"],
}

# accounts that can be used with a password (not locked, not expired)
usable(host) := [a |
	some a in host.facts.accounts.value
	a.password in {"set", "empty"}
	not a.expired
]

weak(host) := [{"account": a.name, "reason": a.weak_reason} |
	some a in usable(host)
	a.weak == true
] if host.platform in {"linux", "windows"}

weak(host) := [{"account": u.name, "reason": u.weak_reason} |
	some u in device_users(host)
	u.weak == true
] if host.platform in devices

errors[name] contains msg if {
	some name in applicable
	input.hosts[name].platform in {"linux", "windows"}
	count(input.hosts[name].facts.accounts.value) == 0
	msg := {"zh": "未读到任何本地账户", "en": "no local account was read"}
}

errors[name] contains msg if {
	some name in applicable
	input.hosts[name].platform in devices
	untestable := {u.scheme: names |
		some u in device_users(input.hosts[name])
		u.weak == null
		names := concat(", ", sort([v.name | some v in device_users(input.hosts[name]); v.weak == null; v.scheme == u.scheme]))
	}
	some scheme, accounts in untestable
	msg := {
		"zh": sprintf("账户 %s 的口令以 %v 形式存储，算法未公开，无法离线校验是否为弱口令：请人工核查，核查后可登记豁免", [accounts, scheme]),
		"en": sprintf(
			"the passwords of %s are stored as %v, whose algorithm is not public: they cannot be tested offline; check them by hand (then record a waiver)",
			[accounts, scheme],
		),
	}
}

errors[name] contains msg if {
	some name in applicable
	input.hosts[name].platform == "linux"
	some a in usable(input.hosts[name])
	a.weak == null
	msg := {
		"zh": sprintf("账户 %s 的口令无法校验：%v", [a.name, object.get(a, "error", "原因不明")]),
		"en": sprintf("the password of account %s could not be checked: %v", [a.name, object.get(a, "error", "no reason given")]),
	}
}

# Windows: no candidate is tried (a logon attempt counts against the lockout threshold), so the enabled accounts
# that may have a password are named for a check by hand
errors[name] contains msg if {
	some name in applicable
	input.hosts[name].platform == "windows"
	untried := sort([a.name | some a in usable(input.hosts[name]); a.weak == null])
	count(untried) > 0
	msg := {
		"zh": sprintf(
			"Windows 账户 %s 未做弱口令尝试（登录尝试会计入账户锁定阈值）：请人工核查，核查后可登记豁免",
			[concat("、", untried)],
		),
		"en": sprintf(
			"the Windows accounts %s were not tried with weak candidates (a logon attempt counts against the lockout threshold): %s",
			[concat(", ", untried), "check them by hand (then record a waiver)"],
		),
	}
}

violations[name] contains msg if {
	some name in applicable
	some w in weak(input.hosts[name])
	r := reason(w.reason)
	msg := {
		"zh": sprintf("账户 %s 使用弱口令：%s", [w.account, r.zh]),
		"en": sprintf("account %s has %s", [w.account, r.en]),
		"clauses": object.get(weak_clauses, w.reason, ["PASSWORD-STRENGTH"]),
	}
}

observed[name] := {
	"accounts": count(host.facts.accounts.value),
	"with_password": sort([a.name | some a in usable(host)]),
	"weak": weak(host),
	"schemes": {s | some a in usable(host); s := object.get(a, "scheme", null); s != null},
} if {
	some name in applicable
	host := input.hosts[name]
	host.platform in {"linux", "windows"}
}

observed[name] := {
	"accounts": count(device_users(host)),
	"weak": weak(host),
	"storage": {sprintf("%s: %s (%v)", [u.name, u.storage, u.scheme]) | some u in device_users(host)},
} if {
	some name in applicable
	host := input.hosts[name]
	host.platform in devices
}
