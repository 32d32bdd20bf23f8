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

test_not_applicable_to_switches_yet if {
	f.status("NO-WEAK-PASSWORD", "sw1", {"sw1": f.host("cisco_ios", {"role": "switch"}, {})}) == "not_applicable"
}
