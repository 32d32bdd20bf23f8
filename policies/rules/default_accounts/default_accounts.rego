# METADATA
# title: 清理默认账户和多余特权账户
# description: |
#   Default accounts are removed or renamed. Linux: no account named like a default (guest, test…)
#   can log in with a password, and no account but root has UID 0. Network devices: no login account
#   keeps a vendor default name (admin, huawei, cisco…). Windows: the built-in Guest is disabled and
#   the built-in Administrator is disabled or renamed. A default or test account that can log in
#   disproves DEFAULT-ACCOUNTS-REMOVED (and on Linux ACCOUNT-CLEANUP); a second UID 0 account
#   ACCESS-LEAST-PRIVILEGE, which only Linux hosts are checked for.
# custom:
#   id: DEFAULT-ACCOUNTS
#   title_en: Default and superfluous privileged accounts are removed
#   severity: high
#   clauses: [DEFAULT-ACCOUNTS-REMOVED, ACCOUNT-CLEANUP, ACCESS-LEAST-PRIVILEGE]
#   applies_to:
#     zh: Linux 主机、Windows 终端和网络设备
#     en: Linux hosts, Windows terminals and network devices
#   remediation:
#     zh: 删除或锁定默认、测试和共用账户；设备管理员改用实名账户并删除 admin 等默认名；除 root 外不得有 UID 0 账户；Windows 禁用 Guest，重命名或禁用 Administrator。
#     en: >-
#       Remove or lock default, test and shared accounts; give device administrators named accounts and remove default names such as admin; no
#       UID 0 account but root; disable Guest and rename or disable Administrator on Windows.
package zicha.rules.default_accounts

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	host.platform in ({"linux", "windows"} | hosts.devices)
}

# devices and Windows are checked for default accounts only
bears_on[name] := {"DEFAULT-ACCOUNTS-REMOVED"} if {
	some name in applicable
	not hosts.is_linux(input.hosts[name])
}

# the facts read on each platform
reads := {"linux": {"accounts"}, "windows": {"builtin_accounts"}, "device": {"users"}}

needs[name] := hosts.reads(reads, input.hosts[name]) if some name in applicable

linux_defaults contains lower(n) if some n in data.zicha.params.default_accounts_linux

device_defaults contains lower(n) if some n in data.zicha.params.default_accounts_device

violations[name] contains msg if {
	some name in applicable
	some a in input.hosts[name].facts.accounts.value
	lower(a.name) in linux_defaults
	a.password in {"set", "empty"}
	not a.expired
	msg := {
		"zh": sprintf("默认/测试账户 %s 可用口令登录", [a.name]),
		"en": sprintf("default or test account %s can log in with a password", [a.name]),
		"clauses": ["DEFAULT-ACCOUNTS-REMOVED", "ACCOUNT-CLEANUP"],
	}
}

violations[name] contains msg if {
	some name in applicable
	some a in input.hosts[name].facts.accounts.value
	a.uid == 0
	a.name != "root"
	msg := {
		"zh": sprintf("账户 %s 的 UID 为 0（与 root 同权）", [a.name]),
		"en": sprintf("account %s has UID 0 (root's privileges)", [a.name]),
		"clauses": ["ACCESS-LEAST-PRIVILEGE"],
	}
}

violations[name] contains msg if {
	some name in applicable
	some u in input.hosts[name].facts.users.value
	object.get(u, "kind", "local-user") in {"local-user", "manager-user", "username"}
	lower(u.name) in device_defaults
	object.get(u, "state", "active") != "block"
	msg := {
		"zh": sprintf("设备保留默认账户名 %s", [u.name]),
		"en": sprintf("the device keeps the default account name %s", [u.name]),
		"clauses": ["DEFAULT-ACCOUNTS-REMOVED"],
	}
}

violations[name] contains msg if {
	some name in applicable
	input.hosts[name].facts.builtin_accounts.value.guest_enabled
	msg := {"zh": "Guest 来宾账户已启用", "en": "the Guest account is enabled"}
}

violations[name] contains msg if {
	some name in applicable
	b := input.hosts[name].facts.builtin_accounts.value
	b.administrator_enabled
	lower(b.administrator_name) == "administrator"
	msg := {"zh": "内置 Administrator 账户启用且未重命名", "en": "the built-in Administrator is enabled and not renamed"}
}

errors[name] contains msg if {
	some name in applicable
	b := input.hosts[name].facts.builtin_accounts.value
	b.administrator_enabled
	not is_string(object.get(b, "administrator_name", null))
	msg := {
		"zh": "内置 Administrator 账户已启用，但未读到其名称，无法确认是否已重命名",
		"en": "the built-in Administrator is enabled but its name was not read: cannot tell whether it was renamed",
	}
}

observed[name] := {
	"uid0": sort([a.name | some a in host.facts.accounts.value; a.uid == 0]),
	"with_password": sort([a.name | some a in host.facts.accounts.value; a.password in {"set", "empty"}]),
} if {
	some name in applicable
	host := input.hosts[name]
	hosts.is_linux(host)
}

observed[name] := {"accounts": sort([u.name | some u in input.hosts[name].facts.users.value])} if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}

observed[name] := input.hosts[name].facts.builtin_accounts.value if {
	some name in applicable
	hosts.is_windows(input.hosts[name])
}
