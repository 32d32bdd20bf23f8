package zicha.tests.password_policy_test

import data.zicha.test.fixtures as f

linux_policy(in_pam, settings, max_days, lockout) := {
	"pwquality": {"in_pam": in_pam, "module": "pam_pwquality", "settings": settings},
	"login_defs": {"PASS_MAX_DAYS": max_days},
	"lockout": lockout,
}

acct(name, max_days) := {"name": name, "password": "set", "weak": false, "expired": false, "max_days": max_days}

good := linux_policy(true, {"minlen": 8, "minclass": 3}, 90, {"module": "pam_faillock", "deny": 5, "unlock_time": 600})

test_success_linux_policy_complete if {
	f.status("PASSWORD-POLICY", "s1", {"s1": f.linux({}, {"password_policy": good, "accounts": [acct("ops", 90)]})}) == "pass"
}

test_fail_linux_debian_defaults if {
	pol := linux_policy(false, {}, 99999, {"module": null})
	v := f.verdict("PASSWORD-POLICY", "s2", {"s2": f.linux({}, {"password_policy": pol, "accounts": [acct("ops", 99999)]})})
	v.status == "fail"
	contains(v.message.en, "no password quality check")
	contains(v.message.en, "PASS_MAX_DAYS in login.defs is 99999")
	contains(v.message.en, "accounts not forced to change their password within 90 days: ops")
	contains(v.message.en, "no lockout after failed logins")
}

test_fail_linux_weak_settings if {
	pol := linux_policy(true, {"minlen": 6, "dcredit": -1}, 90, {"module": "pam_faillock", "deny": 0})
	v := f.verdict("PASSWORD-POLICY", "s3", {"s3": f.linux({}, {"password_policy": pol, "accounts": []})})
	contains(v.message.en, "minimum password length 6 is below 8")
	contains(v.message.en, "passwords need only 1 character classes")
	contains(v.message.en, "lockout after 0 failures")
}

test_success_negative_credits_count_as_classes if {
	pol := linux_policy(true, {"dcredit": -1, "ucredit": -1, "lcredit": -1}, 90, {"module": "pam_tally2", "deny": 5})
	f.status("PASSWORD-POLICY", "s4", {"s4": f.linux({}, {"password_policy": pol, "accounts": []})}) == "pass"
}

generic(len, complexity, age, attempts) := {"min_length": len, "complexity": complexity, "max_age_days": age, "lockout": {"attempts": attempts, "lock_minutes": 10}}

test_success_windows_policy if {
	f.status("PASSWORD-POLICY", "w1", {"w1": f.host("windows", {}, {"password_policy": generic(8, 3, 90, 5), "accounts": [acct("zhangwei", 90)]})}) == "pass"
}

test_fail_windows_defaults if {
	v := f.verdict("PASSWORD-POLICY", "w2", {"w2": f.host("windows", {}, {"password_policy": generic(0, 1, 42, null), "accounts": []})})
	v.status == "fail"
	contains(v.message.en, "passwords are not required to have 8 characters (now 0)")
	contains(v.message.en, "no lockout within 10 failed logins (now null)")
	not contains(v.message.en, "change within")
}

test_success_huawei_only_checks_what_it_can_set if {
	pol := generic(null, null, 90, 5)
	f.status("PASSWORD-POLICY", "sw1", {"sw1": f.host("huawei_vrp", {"role": "switch"}, {"password_policy": pol})}) == "pass"
}

test_fail_cisco_without_lockout if {
	pol := generic(8, null, null, null)
	f.status("PASSWORD-POLICY", "sw2", {"sw2": f.host("cisco_ios", {"role": "switch"}, {"password_policy": pol})}) == "fail"
}

test_error_without_policy if {
	f.status("PASSWORD-POLICY", "s5", {"s5": f.linux({}, {"accounts": []})}) == "error"
}

test_not_applicable_to_a_platform_without_password_settings if {
	f.status("PASSWORD-POLICY", "x1", {"x1": f.host("unknown_os", {}, {})}) == "not_applicable"
}

clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_windows_defaults_fail_length_and_lockout_but_not_periodic_change if {
	v := f.verdict("PASSWORD-POLICY", "w3", {"w3": f.host("windows", {}, {"password_policy": generic(0, 1, 42, null), "accounts": []})})
	clauses(v) == {"PASSWORD-STRENGTH": "fail", "PASSWORD-PERIODIC-CHANGE": "pass", "LOGIN-LOCKOUT-AND-TIMEOUT": "fail"}
}

test_fail_linux_without_password_ageing_fails_only_periodic_change if {
	pol := linux_policy(true, {"minlen": 8, "minclass": 3}, 99999, {"module": "pam_faillock", "deny": 5})
	v := f.verdict("PASSWORD-POLICY", "s6", {"s6": f.linux({}, {"password_policy": pol, "accounts": [acct("ops", 99999)]})})
	clauses(v) == {"PASSWORD-STRENGTH": "pass", "PASSWORD-PERIODIC-CHANGE": "fail", "LOGIN-LOCKOUT-AND-TIMEOUT": "pass"}
}

test_not_applicable_a_usg_is_checked_for_lockout_only if {
	pol := generic(null, null, null, 5)
	v := f.verdict("PASSWORD-POLICY", "fw1", {"fw1": f.host("huawei_usg", {"role": "firewall"}, {"password_policy": pol})})
	clauses(v) == {"PASSWORD-STRENGTH": "not_applicable", "PASSWORD-PERIODIC-CHANGE": "not_applicable", "LOGIN-LOCKOUT-AND-TIMEOUT": "pass"}
}

test_not_applicable_a_huawei_switch_is_not_checked_for_strength if {
	v := f.verdict("PASSWORD-POLICY", "sw3", {"sw3": f.host("huawei_vrp", {"role": "switch"}, {"password_policy": generic(null, null, 90, 5)})})
	clauses(v)["PASSWORD-STRENGTH"] == "not_applicable"
}

test_fail_windows_password_that_never_expires if {
	facts := {"password_policy": generic(8, 3, 90, 5), "accounts": [acct("zhangwei", 90), acct("lab", null)]}
	v := f.verdict("PASSWORD-POLICY", "w4", {"w4": f.host("windows", {}, facts)})
	v.status == "fail"
	v.message.en == "accounts not forced to change their password within 90 days: lab"
}
