package zicha.tests.patches_current_test

import data.zicha.test.fixtures as f

upd(security, age) := {"updates": {"manager": "apt", "pending": count(security), "security": security, "lists_age_days": age}}

test_success_nothing_pending if {
	f.status("PATCHES-CURRENT", "s1", {"s1": f.linux({}, upd([], 1.5))}) == "pass"
}

test_fail_security_updates_pending if {
	v := f.verdict("PATCHES-CURRENT", "s2", {"s2": f.linux({}, upd(["openssl", "libssl3"], 2))})
	v.status == "fail"
	v.message.en == "2 security updates are pending: libssl3, openssl"
}

test_fail_many_pending_are_summarised if {
	many := [sprintf("pkg%02d", [i]) | some i in numbers.range(1, 10)]
	v := f.verdict("PATCHES-CURRENT", "s3", {"s3": f.linux({}, upd(many, 2))})
	endswith(v.message.en, "pkg08 and 2 more")
}

test_error_package_lists_too_old if {
	v := f.verdict("PATCHES-CURRENT", "s4", {"s4": f.linux({}, upd([], 120))})
	v.status == "error"
	contains(v.message.zh, "120 天未更新")
}

test_success_windows_without_age if {
	w := {"updates": {"manager": "windows-update", "pending": 1, "security": [], "lists_age_days": null}}
	f.status("PATCHES-CURRENT", "w1", {"w1": f.host("windows", {}, w)}) == "pass"
}

test_not_applicable_to_switches if {
	f.status("PATCHES-CURRENT", "sw1", {"sw1": f.host("cisco_ios", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_when_updates_unreadable if {
	h := f.broken(f.linux({}, upd([], 1)), "updates", "apt-get -s dist-upgrade: rc 100")
	f.status("PATCHES-CURRENT", "s5", {"s5": h}) == "error"
}

test_error_package_lists_never_downloaded if {
	v := f.verdict("PATCHES-CURRENT", "s9", {"s9": f.linux({}, upd([], null))})
	v.status == "error"
	contains(v.message.en, "never downloaded")
}
