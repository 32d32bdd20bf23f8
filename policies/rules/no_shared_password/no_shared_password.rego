# METADATA
# title: 不同设备不使用同一口令
# description: |
#   No password is shared between servers, switches and firewalls. Compared without any password
#   leaving its host: each credential carries a fingerprint keyed with a key that lives for one audit
#   run (devices: of the decrypted password where the form is publicly reversible, else of the stored
#   string; Linux: of the hash string, so a copied shadow line or a cloned image shows). Equal
#   fingerprints on two hosts are one password; salted hashes of one password cannot be matched.
# custom:
#   id: NO-SHARED-PASSWORD
#   title_en: No password is shared between devices
#   severity: high
#   clauses: [NO-SHARED-DEVICE-PASSWORDS]
#   applies_to:
#     zh: 计算机（任何平台）和网络设备
#     en: computers (any platform) and network devices
#   remediation:
#     zh: 为列出的每台设备、每个账户设置各不相同的口令，并用口令管理工具（或堡垒机）保管；不要复制镜像中的 /etc/shadow。
#     en: Give every listed device and account a password of its own, kept in a password manager or jump host; do not clone /etc/shadow across images.
package zicha.rules.no_shared_password

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	host.platform in (hosts.computers | hosts.devices)
}

needs[name] := {"accounts"} if {
	some name in applicable
	input.hosts[name].platform in {"linux", "windows"}
}

needs[name] := {"users"} if {
	some name in applicable
	hosts.is_device(input.hosts[name])
}

# every fingerprinted credential of the estate: [host, account, fingerprint]
credentials contains [name, a.name, a.share_key] if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	some a in input.hosts[name].facts.accounts.value
	is_string(object.get(a, "share_key", null))
}

credentials contains [name, u.name, u.share_key] if {
	some name in applicable
	hosts.is_device(input.hosts[name])
	some u in input.hosts[name].facts.users.value
	is_string(object.get(u, "share_key", null))
}

# Windows: no hash is read, but an account database copied to another host (a cloned image) keeps the moment
# each password was set, to the 100 ns: the same moment on two hosts is the same password
credentials contains [name, a.name, concat("", ["set-at:", a.password_set_at])] if {
	some name in applicable
	hosts.is_windows(input.hosts[name])
	some a in input.hosts[name].facts.accounts.value
	a.password == "set"
	is_string(object.get(a, "password_set_at", null))
}

# credentials that carry no fingerprint cannot be compared (collected offline, without the run's key)
unfingerprinted(name) := sort([a.name |
	some a in input.hosts[name].facts.accounts.value
	a.password == "set"
	not is_string(object.get(a, "share_key", null))
]) if input.hosts[name].platform in {"linux", "windows"}

# (a login that asks for no password at all has nothing to share: NO-WEAK-PASSWORD reports it)
unfingerprinted(name) := sort([u.name |
	some u in input.hosts[name].facts.users.value
	u.storage != "none"
	not object.get(u, "weak_reason", null) in {"empty", "no_authentication"}
	not is_string(object.get(u, "share_key", null))
]) if hosts.is_device(input.hosts[name])

errors[name] contains m if {
	some name in applicable
	missing := unfingerprinted(name)
	count(missing) > 0
	m := cannot_compare(input.hosts[name], concat("、", missing), concat(", ", missing))
}

# Windows: zicha reads no Windows password hash, so the enabled accounts cannot be compared with other hosts'
cannot_compare(host, zh, en) := {
	"zh": sprintf("Windows 账户 %s 的口令无法与其他主机比对（zicha 不读取 Windows 口令散列）：请人工核查，核查后可登记豁免", [zh]),
	"en": sprintf(
		"the passwords of the Windows accounts %s cannot be compared with other hosts' (zicha reads no Windows password hash): %s",
		[en, "check them by hand (then record a waiver)"],
	),
} if hosts.is_windows(host)

else := {
	"zh": sprintf("账户 %s 的口令无法与其他主机比对（离线采集或存储形式未知，缺少本次运行的口令指纹）", [zh]),
	"en": sprintf(
		"the passwords of %s cannot be compared with other hosts' (collected offline, or stored in an unknown form: no fingerprint of this run)",
		[en],
	),
}

# hosts whose credentials could not be compared at all (not gathered, or their accounts unreadable)
not_compared := sort([name |
	some name in applicable
	host := input.hosts[name]
	not credentials_read(host)
])

credentials_read(host) if {
	host.gather.status == "ok"
	host.platform in {"linux", "windows"}
	is_array(object.get(host.facts, ["accounts", "value"], null))
}

credentials_read(host) if {
	host.gather.status == "ok"
	hosts.is_device(host)
	is_array(object.get(host.facts, ["users", "value"], null))
}

# the same fingerprint on another host
# Indexed once per evaluation (complete rules whose inner comprehensions close over the key by equality, which
# OPA indexes): comparing every credential with every other inside a per-host rule is quadratic.

# host -> its credentials [account, fingerprint]
# regal ignore:prefer-set-or-object-rule
credentials_of := {name: cs |
	some [name, _, _] in credentials
	cs := {[a, k] | some [n, a, k] in credentials; n == name}
}

# fingerprint -> the [host, account] pairs that hold it
# regal ignore:prefer-set-or-object-rule
holders := {k: hs |
	some [_, _, k] in credentials
	hs := {[n, a] | some [n, a, k2] in credentials; k2 == k}
}

shared(name) := {[account, other, other_account, k] |
	some [account, k] in object.get(credentials_of, name, set())
	some [other, other_account] in holders[k]
	other != name
}

violations[name] contains msg if {
	some name in applicable
	some [account, other, other_account, k] in shared(name)
	msg := {
		"zh": sprintf("账户 %s 与 %s 的账户 %s 使用同一口令%s", [account, other, other_account, copied(k).zh]),
		"en": sprintf("account %s shares its password with account %s of %s%s", [account, other_account, other, copied(k).en]),
	}
}

copied(k) := {
	"zh": sprintf("（口令设置时刻相同，%s：账户数据库系复制而来，如克隆镜像）", [substring(k, 7, -1)]),
	"en": sprintf(" (set at the same instant, %s: a copied account database, as in a cloned image)", [substring(k, 7, -1)]),
} if startswith(k, "set-at:")

else := {"zh": "", "en": ""}

observed[name] := {
	"compared": count(object.get(credentials_of, name, set())),
	"hosts_not_compared": [h | some h in not_compared; h != name],
	"shared_with": sort([sprintf("%s → %s/%s", [a, o, oa]) | some [a, o, oa, _] in shared(name)]),
} if some name in applicable
