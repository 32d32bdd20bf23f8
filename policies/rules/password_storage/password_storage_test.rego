package zicha.tests.password_storage_test

import data.zicha.test.fixtures as f

user(name, storage, scheme) := {"name": name, "storage": storage, "scheme": scheme, "weak": false}

sw(users) := f.host("cisco_ios", {"role": "switch"}, {"users": users})

test_success_one_way_forms_only if {
	v := f.verdict("PASSWORD-STORAGE", "sw1", {"sw1": sw([user("admin", "hash", "cisco-type9-scrypt")])})
	v.status == "pass"
	v.evidence.observed == {"admin": "hash (cisco-type9-scrypt)"}
}

test_fail_type7_and_enable_password if {
	users := [user("admin", "reversible", "cisco-type7"), user("enable password", "plain", "cisco-type0")]
	v := f.verdict("PASSWORD-STORAGE", "sw2", {"sw2": sw(users)})
	v.status == "fail"
	v.message.en == "the password of admin is stored reversibly encrypted (cisco-type7); the password of enable password is stored in clear (cisco-type0)"
}

test_error_unknown_form if {
	f.status("PASSWORD-STORAGE", "sw3", {"sw3": sw([user("x", "unknown", "unrecognised")])}) == "error"
}

test_success_user_without_password_is_not_judged if {
	f.status("PASSWORD-STORAGE", "sw4", {"sw4": sw([user("console", "none", null)])}) == "pass"
}

test_not_applicable_to_linux if {
	f.status("PASSWORD-STORAGE", "s1", {"s1": f.linux({}, {})}) == "not_applicable"
}

test_error_without_users if {
	f.status("PASSWORD-STORAGE", "sw5", {"sw5": f.host("huawei_usg", {"role": "firewall"}, {})}) == "error"
}

test_success_login_without_password_stores_none if {
	open := {"name": "user-interface vty 0 4", "kind": "line", "storage": "plain", "scheme": "no-authentication", "weak": true, "weak_reason": "no_authentication"}
	f.status("PASSWORD-STORAGE", "sw9", {"sw9": f.host("huawei_vrp", {"role": "switch"}, {"users": [open]})}) == "pass"
}
