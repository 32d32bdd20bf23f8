package zicha.tests.no_shared_password_test

import data.zicha.test.fixtures as f

key_a := "0123456789abcdef0123456789abcdef"

key_b := "fedcba9876543210fedcba9876543210"

sw(users) := f.host("huawei_vrp", {"role": "switch"}, {"users": users})

user(name, key) := {"name": name, "storage": "reversible", "scheme": "huawei-des-ecb", "weak": false, "share_key": key}

acct(name, key) := {"name": name, "password": "set", "weak": false, "share_key": key}

test_fail_one_password_on_a_switch_and_a_router if {
	hosts := {
		"sw1": sw([user("ops", key_a)]),
		"r1": f.host("cisco_ios", {"role": "router"}, {"users": [user("admin", key_a)]}),
	}
	v := f.verdict("NO-SHARED-PASSWORD", "sw1", hosts)
	v.status == "fail"
	v.message.zh == "账户 ops 与 r1 的账户 admin 使用同一口令"
	f.status("NO-SHARED-PASSWORD", "r1", hosts) == "fail"
}

test_fail_cloned_shadow_line_on_two_servers if {
	hosts := {"s1": f.linux({}, {"accounts": [acct("root", key_b)]}), "s2": f.linux({}, {"accounts": [acct("root", key_b)]})}
	v := f.verdict("NO-SHARED-PASSWORD", "s1", hosts)
	v.status == "fail"
	v.evidence.observed.shared_with == ["root → s2/root"]
}

test_success_different_passwords if {
	hosts := {"sw1": sw([user("ops", key_a)]), "s1": f.linux({}, {"accounts": [acct("root", key_b)]})}
	f.status("NO-SHARED-PASSWORD", "sw1", hosts) == "pass"
	v := f.verdict("NO-SHARED-PASSWORD", "s1", hosts)
	v.status == "pass"
	v.evidence.observed.compared == 1
}

test_error_a_windows_host_is_checked_not_skipped if {
	v := f.verdict("NO-SHARED-PASSWORD", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact accounts is missing")
}

test_error_windows_enabled_accounts_cannot_be_compared if {
	accounts := [{"name": "zhangwei", "password": "set", "weak": null}, {"name": "Guest", "password": "locked", "weak": null}]
	v := f.verdict("NO-SHARED-PASSWORD", "w2", {"w2": f.host("windows", {}, {"accounts": accounts})})
	v.status == "error"
	contains(v.message.zh, "Windows 账户 zhangwei 的口令无法与其他主机比对")
}

test_success_windows_with_every_account_disabled if {
	accounts := [{"name": "Administrator", "password": "locked", "weak": null}]
	f.status("NO-SHARED-PASSWORD", "w3", {"w3": f.host("windows", {}, {"accounts": accounts})}) == "pass"
}

test_error_without_users if {
	f.status("NO-SHARED-PASSWORD", "sw1", {"sw1": f.host("h3c_comware", {"role": "switch"}, {})}) == "error"
}

test_error_accounts_collected_without_the_run_key if {
	offline := {"name": "root", "password": "set", "weak": false, "share_key": null}
	hosts := {"pc9": f.linux({}, {"accounts": [offline]}), "s9": f.linux({}, {"accounts": [acct("root", key_a)]})}
	v := f.verdict("NO-SHARED-PASSWORD", "pc9", hosts)
	v.status == "error"
	contains(v.message.en, "the passwords of root cannot be compared")
	f.status("NO-SHARED-PASSWORD", "s9", hosts) == "pass"
}

test_success_names_the_hosts_it_could_not_compare_with if {
	hosts := {"s1": f.linux({}, {"accounts": [acct("root", key_a)]}), "s2": f.unreachable(f.linux({}, {}))}
	v := f.verdict("NO-SHARED-PASSWORD", "s1", hosts)
	v.evidence.observed.hosts_not_compared == ["s2"]
	f.status("NO-SHARED-PASSWORD", "s2", hosts) == "error"
}

test_success_login_without_password_has_nothing_to_compare if {
	open := {"name": "line vty 0 4", "kind": "line", "storage": "plain", "scheme": "no-authentication", "weak": true, "weak_reason": "no_authentication", "share_key": null}
	f.status("NO-SHARED-PASSWORD", "r1", {"r1": f.host("cisco_ios", {"role": "router"}, {"users": [open]})}) == "pass"
}

win_acct(name, set_at) := {"name": name, "password": "set", "weak": null, "password_set_at": set_at}

test_fail_windows_account_database_copied_to_another_pc if {
	# two PCs from one image: the account database keeps the moment each password was set, to the 100 ns
	hosts := {
		"pc1": f.host("windows", {}, {"accounts": [win_acct("kezhang", "2024-01-12T03:14:07.5184212Z")]}),
		"pc2": f.host("windows", {}, {"accounts": [win_acct("kezhang", "2024-01-12T03:14:07.5184212Z")]}),
		"pc3": f.host("windows", {}, {"accounts": [win_acct("kezhang", "2024-01-12T03:14:07.5184213Z")]}),
	}
	v := f.verdict("NO-SHARED-PASSWORD", "pc1", hosts)
	v.status == "fail"
	contains(v.message.en, "account kezhang shares its password with account kezhang of pc2 (set at the same instant, 2024-01-12T03:14:07.5184212Z: a copied account database, as in a cloned image)")
	contains(v.message.zh, "口令设置时刻相同")
	v.evidence.observed.shared_with == ["kezhang → pc2/kezhang"]

	# 100 ns apart: no evidence either way, so the account is still named to check by hand
	w := f.verdict("NO-SHARED-PASSWORD", "pc3", hosts)
	w.status == "error"
	contains(w.message.en, "the passwords of the Windows accounts kezhang cannot be compared")
}
