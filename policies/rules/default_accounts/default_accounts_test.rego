package zicha.tests.default_accounts_test

import data.zicha.test.fixtures as f

acct(name, uid, password) := {"name": name, "uid": uid, "password": password, "weak": false, "expired": false}

test_success_only_root_and_named_users if {
	f.status("DEFAULT-ACCOUNTS", "s1", {"s1": f.linux({}, {"accounts": [acct("root", 0, "none"), acct("zhangwei", 1000, "set")]})}) == "pass"
}

test_fail_guest_with_password_and_second_uid0 if {
	v := f.verdict("DEFAULT-ACCOUNTS", "s2", {"s2": f.linux({}, {"accounts": [acct("root", 0, "none"), acct("guest", 1001, "set"), acct("toor", 0, "set")]})})
	v.status == "fail"
	v.message.en == "account toor has UID 0 (root's privileges); default or test account guest can log in with a password"
}

test_success_locked_guest if {
	f.status("DEFAULT-ACCOUNTS", "s3", {"s3": f.linux({}, {"accounts": [acct("guest", 1001, "locked")]})}) == "pass"
}

test_fail_device_admin_account if {
	users := [{"name": "admin", "kind": "local-user", "storage": "hash", "weak": false}]
	v := f.verdict("DEFAULT-ACCOUNTS", "sw1", {"sw1": f.host("huawei_vrp", {"role": "switch"}, {"users": users})})
	v.message.zh == "设备保留默认账户名 admin"
}

test_success_device_named_admins_and_enable_secret if {
	users := [{"name": "netadmin", "kind": "local-user", "storage": "hash", "weak": false}, {"name": "enable secret", "kind": "enable", "storage": "hash", "weak": false}]
	f.status("DEFAULT-ACCOUNTS", "sw2", {"sw2": f.host("cisco_ios", {"role": "switch"}, {"users": users})}) == "pass"
}

test_fail_windows_guest_and_administrator if {
	b := {"administrator_name": "Administrator", "guest_name": "Guest", "administrator_enabled": true, "guest_enabled": true}
	v := f.verdict("DEFAULT-ACCOUNTS", "w1", {"w1": f.host("windows", {}, {"builtin_accounts": b})})
	v.status == "fail"
	v.message.en == "the Guest account is enabled; the built-in Administrator is enabled and not renamed"
}

test_success_windows_renamed_administrator if {
	b := {"administrator_name": "xzb-admin", "guest_name": "Guest", "administrator_enabled": true, "guest_enabled": false}
	f.status("DEFAULT-ACCOUNTS", "w2", {"w2": f.host("windows", {}, {"builtin_accounts": b})}) == "pass"
}

test_error_without_accounts if {
	f.status("DEFAULT-ACCOUNTS", "s4", {"s4": f.linux({}, {})}) == "error"
}

test_not_applicable_to_a_host_zicha_cannot_read_accounts_on if {
	f.status("DEFAULT-ACCOUNTS", "x1", {"x1": f.host("unknown_os", {}, {})}) == "not_applicable"
}

test_error_windows_administrator_enabled_but_name_unknown if {
	b := {"guest_enabled": false, "administrator_enabled": true, "administrator_name": null}
	v := f.verdict("DEFAULT-ACCOUNTS", "w9", {"w9": f.host("windows", {}, {"builtin_accounts": b})})
	v.status == "error"
	contains(v.message.en, "its name was not read")
}

clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_a_second_uid0_account_is_a_privilege_finding_only if {
	v := f.verdict("DEFAULT-ACCOUNTS", "s5", {"s5": f.linux({}, {"accounts": [acct("root", 0, "none"), acct("toor", 0, "set")]})})
	clauses(v) == {"DEFAULT-ACCOUNTS-REMOVED": "pass", "ACCOUNT-CLEANUP": "pass", "ACCESS-LEAST-PRIVILEGE": "fail"}
}

test_fail_a_usable_guest_account_is_a_default_account_left_behind if {
	v := f.verdict("DEFAULT-ACCOUNTS", "s6", {"s6": f.linux({}, {"accounts": [acct("guest", 1001, "set")]})})
	clauses(v) == {"DEFAULT-ACCOUNTS-REMOVED": "fail", "ACCOUNT-CLEANUP": "fail", "ACCESS-LEAST-PRIVILEGE": "pass"}
}

test_not_applicable_devices_are_checked_for_default_accounts_only if {
	users := [{"name": "admin", "kind": "local-user", "storage": "hash", "scheme": "$1a$"}]
	v := f.verdict("DEFAULT-ACCOUNTS", "sw3", {"sw3": f.host("huawei_vrp", {"role": "switch"}, {"users": users})})
	clauses(v) == {"DEFAULT-ACCOUNTS-REMOVED": "fail", "ACCOUNT-CLEANUP": "not_applicable", "ACCESS-LEAST-PRIVILEGE": "not_applicable"}
}
