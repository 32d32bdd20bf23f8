# METADATA
# title: 设备口令不以明文或可逆方式保存
# description: |
#   A network device keeps no login password (local users, enable/super secrets, console and vty
#   passwords) in clear or in a reversible form: `simple` and Cisco type 0, Cisco type 7, and the
#   Huawei/H3C `cipher` forms are all readable by anyone holding the configuration (a backup, a
#   ticket, a vendor's engineer). One-way forms pass: Cisco 5/8/9, Huawei irreversible-cipher,
#   H3C hash, USG manager-user.
# custom:
#   id: PASSWORD-STORAGE
#   title_en: Device passwords are not stored in clear or reversibly
#   severity: high
#   clauses: [CREDENTIALS-NOT-REVERSIBLE]
#   applies_to:
#     zh: 网络设备（交换机、防火墙、路由器）
#     en: network devices (switches, firewalls, routers)
#   remediation:
#     zh: >-
#       以不可逆方式重设口令：华为 local-user NAME password irreversible-cipher，华三 password hash，思科 username NAME secret 9 / enable secret 9；删除 enable
#       password 和线路明文口令。
#     en: >-
#       Reset the passwords in one-way form: Huawei local-user NAME password irreversible-cipher, H3C password hash, Cisco username NAME
#       secret 9 and enable secret 9; remove enable password and clear-text line passwords.
package zicha.rules.password_storage

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_device(host)
}

needs[name] := {"users"} if some name in applicable

users(host) := [u |
	some u in host.facts.users.value
	u.storage != "none"
]

kind := {"plain": {"zh": "明文", "en": "in clear"}, "reversible": {"zh": "可逆加密", "en": "reversibly encrypted"}}

violations[name] contains msg if {
	some name in applicable
	some u in users(input.hosts[name])
	k := kind[u.storage]
	msg := {
		"zh": sprintf("账户 %s 的口令以%s形式保存（%v）", [u.name, k.zh, u.scheme]),
		"en": sprintf("the password of %s is stored %s (%v)", [u.name, k.en, u.scheme]),
	}
}

errors[name] contains msg if {
	some name in applicable
	some u in users(input.hosts[name])
	u.storage == "unknown"
	msg := {
		"zh": sprintf("账户 %s 的口令保存形式无法识别（%v）", [u.name, u.scheme]),
		"en": sprintf("the password form of %s is not recognised (%v)", [u.name, u.scheme]),
	}
}

observed[name] := {u.name: sprintf("%s (%v)", [u.storage, u.scheme]) | some u in users(input.hosts[name])} if {
	some name in applicable
}
