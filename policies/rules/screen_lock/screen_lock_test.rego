package zicha.tests.screen_lock_test

import data.zicha.test.fixtures as f

sl(tmout, desktop, lock, idle) := {"session_lock": {
	"tmout": [{"seconds": t, "source": "/etc/profile.d/tmout.sh"} | some t in tmout],
	"desktop": desktop,
	"gnome": {"lock_enabled": lock, "idle_delay": idle, "lock_delay": 0, "sources": []},
}}

test_success_server_with_tmout if {
	f.status("SCREEN-LOCK", "s1", {"s1": f.linux({"role": "server"}, sl([600], false, null, null))}) == "pass"
}

test_fail_server_without_tmout if {
	v := f.verdict("SCREEN-LOCK", "s2", {"s2": f.linux({"role": "server"}, sl([], false, null, null))})
	v.message.en == "no shell session timeout (TMOUT) of at most 600 s"
}

test_fail_tmout_too_long if {
	f.status("SCREEN-LOCK", "s3", {"s3": f.linux({}, sl([3600], false, null, null))}) == "fail"
}

test_success_desktop_locks_after_five_minutes if {
	f.status("SCREEN-LOCK", "pc1", {"pc1": f.linux({}, sl([], true, true, 300))}) == "pass"
}

test_fail_desktop_never_locks if {
	v := f.verdict("SCREEN-LOCK", "pc2", {"pc2": f.linux({}, sl([], true, null, null))})
	v.status == "fail"
	contains(v.message.en, "lock-enabled=null")
}

win(ss) := {"session_lock": ss, "autologon": {"enabled": false}}

test_success_windows_secure_screensaver if {
	ss := {"screensaver_active": true, "screensaver_secure": true, "screensaver_timeout_seconds": 600, "inactivity_timeout_seconds": null, "users_read": 1}
	f.status("SCREEN-LOCK", "w1", {"w1": f.host("windows", {}, win(ss))}) == "pass"
}

test_success_windows_inactivity_limit if {
	ss := {"screensaver_active": false, "screensaver_secure": false, "screensaver_timeout_seconds": null, "inactivity_timeout_seconds": 900, "users_read": 1}
	f.status("SCREEN-LOCK", "w2", {"w2": f.host("windows", {}, win(ss))}) with data.zicha.params.session_timeout_max_seconds as 900 == "pass"
}

test_fail_windows_autologon if {
	ss := {"screensaver_active": true, "screensaver_secure": true, "screensaver_timeout_seconds": 300, "inactivity_timeout_seconds": null, "users_read": 1}
	h := f.host("windows", {}, {"session_lock": ss, "autologon": {"enabled": true}})
	v := f.verdict("SCREEN-LOCK", "w3", {"w3": h})
	v.message.en == "automatic logon (AutoAdminLogon) is on"
}

test_fail_windows_no_lock if {
	ss := {"screensaver_active": true, "screensaver_secure": false, "screensaver_timeout_seconds": 600, "inactivity_timeout_seconds": null, "users_read": 1}
	f.status("SCREEN-LOCK", "w4", {"w4": f.host("windows", {}, win(ss))}) == "fail"
}

test_not_applicable_to_switches if {
	f.status("SCREEN-LOCK", "sw1", {"sw1": f.host("cisco_ios", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_facts if {
	f.status("SCREEN-LOCK", "w5", {"w5": f.host("windows", {}, {})}) == "error"
}

test_error_windows_no_desktop_user_and_no_machine_limit if {
	ss := {"screensaver_active": null, "screensaver_secure": null, "screensaver_timeout_seconds": null, "inactivity_timeout_seconds": null, "users_read": 0}
	v := f.verdict("SCREEN-LOCK", "w9", {"w9": f.host("windows", {}, win(ss))})
	v.status == "error"
	contains(v.message.en, "no desktop user is logged on")
}

test_success_windows_machine_limit_without_desktop_user if {
	ss := {"screensaver_active": null, "screensaver_secure": null, "screensaver_timeout_seconds": null, "inactivity_timeout_seconds": 600, "users_read": 0}
	f.status("SCREEN-LOCK", "w8", {"w8": f.host("windows", {}, win(ss))}) == "pass"
}

clauses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_fail_autologon_is_no_login_password_not_a_missing_lock if {
	ss := {"screensaver_active": true, "screensaver_secure": true, "screensaver_timeout_seconds": 300, "inactivity_timeout_seconds": null, "users_read": 1}
	v := f.verdict("SCREEN-LOCK", "w5", {"w5": f.host("windows", {}, {"session_lock": ss, "autologon": {"enabled": true}})})
	clauses(v) == {"LOGIN-LOCKOUT-AND-TIMEOUT": "pass", "LOGIN-AUTH-PER-USER": "fail"}
}

test_fail_a_linux_server_without_timeout_bears_on_the_timeout_clause_only if {
	v := f.verdict("SCREEN-LOCK", "s4", {"s4": f.linux({"role": "server"}, sl([], false, null, null))})
	clauses(v) == {"LOGIN-LOCKOUT-AND-TIMEOUT": "fail", "LOGIN-AUTH-PER-USER": "not_applicable"}
}
