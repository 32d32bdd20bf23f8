package zicha.tests.no_weak_password_test

import data.zicha.test.fixtures as f

account(name, password, weak, reason) := {
	"name": name, "uid": 1000, "shell": "/bin/bash", "password": password,
	"scheme": "yescrypt", "weak": weak, "weak_reason": reason, "expired": false,
}

root_locked := {"name": "root", "uid": 0, "shell": "/bin/bash", "password": "locked", "scheme": null, "weak": null, "expired": false}

strong := {"accounts": [root_locked, account("ops", "set", false, null)]}

test_success_strong_and_locked_accounts if {
	v := f.verdict("NO-WEAK-PASSWORD", "srv1", {"srv1": f.linux({}, strong)})
	v.status == "pass"
	v.evidence.observed.with_password == ["ops"]
}

test_fail_account_with_weak_yescrypt_password if {
	facts := {"accounts": [root_locked, account("ops", "set", false, null), account("kuaiji", "set", true, "weak_list")]}
	v := f.verdict("NO-WEAK-PASSWORD", "srv2", {"srv2": f.linux({}, facts)})
	v.status == "fail"
	v.message.zh == "账户 kuaiji 使用弱口令：口令在弱口令字典中"
	v.evidence.observed.weak == [{"account": "kuaiji", "reason": "weak_list"}]
}

test_fail_empty_password if {
	facts := {"accounts": [account("guest", "empty", true, "empty")]}
	v := f.verdict("NO-WEAK-PASSWORD", "srv3", {"srv3": f.linux({}, facts)})
	v.message.en == "account guest has an empty password"
}

test_fail_unknown_reason_is_still_a_failure if {
	facts := {"accounts": [account("a", "set", true, "keyboard_walk")]}
	v := f.verdict("NO-WEAK-PASSWORD", "srv4", {"srv4": f.linux({}, facts)})
	v.status == "fail"
	v.message.en == "account a has a weak password (keyboard_walk)"
}

test_success_expired_weak_account_cannot_log_in if {
	expired := object.union(account("old", "set", true, "same_as_username"), {"expired": true})
	f.status("NO-WEAK-PASSWORD", "srv5", {"srv5": f.linux({}, {"accounts": [expired]})}) == "pass"
}

test_error_unverifiable_hash if {
	odd := object.union(account("x", "set", null, null), {"error": "hash scheme not supported by this libcrypt"})
	v := f.verdict("NO-WEAK-PASSWORD", "srv6", {"srv6": f.linux({}, {"accounts": [odd]})})
	v.status == "error"
	contains(v.message.en, "hash scheme not supported")
}

test_error_shadow_unreadable if {
	h := f.broken(f.linux({}, strong), "accounts", "/etc/shadow: permission denied")
	v := f.verdict("NO-WEAK-PASSWORD", "srv7", {"srv7": h})
	v.status == "error"
	contains(v.message.zh, "permission denied")
}

test_error_no_accounts if {
	f.status("NO-WEAK-PASSWORD", "srv8", {"srv8": f.linux({}, {"accounts": []})}) == "error"
}

user(name, storage, scheme, weak, reason) := {
	"name": name, "kind": "local-user", "storage": storage, "scheme": scheme,
	"weak": weak, "weak_reason": reason, "share_key": null,
}

switch(users) := f.host("huawei_vrp", {"role": "switch"}, {"users": users})

test_fail_switch_with_a_plain_weak_password if {
	v := f.verdict("NO-WEAK-PASSWORD", "sw1", {"sw1": switch([user("admin", "plain", "huawei-simple", true, "weak_list")])})
	v.status == "fail"
	v.message.zh == "账户 admin 使用弱口令：口令在弱口令字典中"
}

test_success_switch_with_verified_hashes if {
	users := [user("netadmin", "hash", "h3c-$h$6$-sha512", false, null)]
	f.status("NO-WEAK-PASSWORD", "sw2", {"sw2": f.host("h3c_comware", {"role": "switch"}, {"users": users})}) == "pass"
}

test_error_switch_password_that_cannot_be_tested if {
	users := [user("admin", "hash", "huawei-irreversible-$1a$", null, null)]
	v := f.verdict("NO-WEAK-PASSWORD", "sw3", {"sw3": switch(users)})
	v.status == "error"
	contains(v.message.en, "cannot be tested offline")
}

test_success_blocked_device_user_is_not_judged if {
	blocked := object.union(user("old", "plain", "huawei-simple", true, "weak_list"), {"state": "block"})
	f.status("NO-WEAK-PASSWORD", "sw4", {"sw4": switch([blocked])}) == "pass"
}

test_error_device_users_missing if {
	f.status("NO-WEAK-PASSWORD", "sw5", {"sw5": f.host("cisco_ios", {"role": "switch"}, {})}) == "error"
}

test_error_a_windows_host_is_checked_not_skipped if {
	v := f.verdict("NO-WEAK-PASSWORD", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact accounts is missing")
}

# Windows: the local accounts (WinNT provider); no candidate tried, PASSWD_NOTREQD is weak

win_account(name, password, weak, reason) := {"name": name, "uid": null, "password": password, "weak": weak, "weak_reason": reason, "expired": false}

test_fail_windows_guest_enabled_without_a_required_password if {
	accounts := [win_account("Guest", "set", true, "password_not_required"), win_account("lab", "set", null, null)]
	v := f.verdict("NO-WEAK-PASSWORD", "w2", {"w2": f.host("windows", {}, {"accounts": accounts})})
	v.status == "fail"
	contains(v.message.zh, "账户 Guest 使用弱口令：账户未要求口令")
	contains(v.message.en, "the Windows accounts lab were not tried with weak candidates")
}

test_error_windows_accounts_are_not_tried if {
	accounts := [win_account("Administrator", "locked", null, null), win_account("zhangwei", "set", null, null)]
	v := f.verdict("NO-WEAK-PASSWORD", "w3", {"w3": f.host("windows", {}, {"accounts": accounts})})
	v.status == "error"
	contains(v.message.zh, "Windows 账户 zhangwei 未做弱口令尝试")
}

test_success_windows_with_every_local_account_disabled if {
	# a domain-joined PC whose users log on with domain accounts: no enabled local account to be weak
	accounts := [win_account("Administrator", "locked", null, null), win_account("Guest", "locked", null, null)]
	f.status("NO-WEAK-PASSWORD", "w4", {"w4": f.host("windows", {}, {"accounts": accounts})}) == "pass"
}

test_fail_found_weakness_wins_over_what_could_not_be_tested if {
	users := [
		user("admin", "plain", "huawei-simple", true, "weak_list"),
		user("ops", "reversible", "huawei-%^%#", null, null),
	]
	v := f.verdict("NO-WEAK-PASSWORD", "sw6", {"sw6": switch(users)})
	v.status == "fail"
	contains(v.message.en, "account admin has a password from the weak list")
	contains(v.message.en, "the passwords of ops are stored as huawei-%^%#")
}

test_fail_vty_that_asks_for_no_password if {
	open := object.union(user("user-interface vty 0 4", "plain", "no-authentication", true, "no_authentication"), {"kind": "line"})
	v := f.verdict("NO-WEAK-PASSWORD", "sw6", {"sw6": switch([open])})
	v.status == "fail"
	v.message.en == "account user-interface vty 0 4 has no password at all to log in (authentication-mode none / no login)"
}

test_error_account_line_not_read if {
	unread := object.union(user("line 40", "unknown", "unattached-password-line", null, null), {"kind": "unattached"})
	v := f.verdict("NO-WEAK-PASSWORD", "sw7", {"sw7": switch([unread])})
	v.status == "error"
	contains(v.message.en, "unattached-password-line")
}

clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_a_weak_password_is_a_strength_finding_only if {
	facts := {"accounts": [account("kuaiji", "set", true, "weak_list")]}
	v := f.verdict("NO-WEAK-PASSWORD", "srv6", {"srv6": f.linux({}, facts)})
	clauses(v) == {"PASSWORD-STRENGTH": "fail", "LOGIN-AUTH-PER-USER": "pass"}
}

test_fail_an_empty_password_is_no_login_password_either if {
	facts := {"accounts": [account("guest", "empty", true, "empty")]}
	v := f.verdict("NO-WEAK-PASSWORD", "srv7", {"srv7": f.linux({}, facts)})
	clauses(v) == {"PASSWORD-STRENGTH": "fail", "LOGIN-AUTH-PER-USER": "fail"}
}
