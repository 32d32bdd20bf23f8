package zicha.tests.antivirus_updated_test

import data.zicha.test.fixtures as f

# fixtures.now is 2026-11-27T08:00:00Z
clam(enabled, updated) := {"product": "ClamAV", "running": ["clamd"], "enabled": enabled, "signatures_updated_at": updated, "signatures_up_to_date": null}

av(products) := {"antivirus": {"products": products}}

test_success_running_with_fresh_signatures if {
	f.status("ANTIVIRUS-UPDATED", "s1", {"s1": f.linux({}, av([clam(true, "2026-11-26T03:00:00Z")]))}) == "pass"
}

test_fail_no_antivirus if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s2", {"s2": f.linux({}, av([]))})
	v.status == "fail"
	v.message.zh == "未安装防病毒软件"
}

test_fail_signatures_a_month_old if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s3", {"s3": f.linux({}, av([clam(true, "2026-10-27T08:00:00Z")]))})
	v.status == "fail"
	v.message.en == "the signatures of ClamAV are out of date (31 days old, more than 7)"
}

test_fail_installed_but_not_running if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s4", {"s4": f.linux({}, av([clam(false, "2026-11-26T03:00:00Z")]))})
	v.status == "fail"
	contains(v.message.en, "is not running")
}

test_fail_windows_product_reports_out_of_date if {
	p := {"product": "Example AV", "enabled": true, "signatures_updated_at": null, "signatures_up_to_date": false}
	v := f.verdict("ANTIVIRUS-UPDATED", "w1", {"w1": f.host("windows", {}, av([p]))})
	v.status == "fail"
	contains(v.message.zh, "产品自报已过期")
}

test_success_one_good_product_is_enough if {
	old := {"product": "Example AV", "enabled": true, "signatures_updated_at": null, "signatures_up_to_date": false}
	defender := {"product": "Defender", "enabled": true, "signatures_updated_at": "2026-11-27T01:00:00Z", "signatures_up_to_date": true}
	f.status("ANTIVIRUS-UPDATED", "w2", {"w2": f.host("windows", {}, av([old, defender]))}) == "pass"
}

test_error_signature_date_unknown if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s5", {"s5": f.linux({}, av([clam(true, null)]))})
	v.status == "error"
	contains(v.message.en, "signature date of ClamAV cannot be read")
}

test_error_names_a_domestic_product_that_gives_no_date if {
	# 火绒 reports to Windows Security Center only its own "up to date" flag: not a pass
	p := {"product": "火绒安全软件", "enabled": true, "signatures_updated_at": null, "signatures_up_to_date": null, "signatures_error": "no signature date"}
	v := f.verdict("ANTIVIRUS-UPDATED", "w3", {"w3": f.host("windows", {}, av([p]))})
	v.status == "error"
	v.message.zh == "无法获知 火绒安全软件 的病毒库日期：no signature date"
	v.message.en == "the signature date of 火绒安全软件 cannot be read: no signature date"
}

test_not_applicable_to_switches if {
	f.status("ANTIVIRUS-UPDATED", "sw1", {"sw1": f.host("cisco_ios", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_antivirus_facts if {
	f.status("ANTIVIRUS-UPDATED", "s6", {"s6": f.linux({}, {})}) == "error"
}

# each finding counts against the clause it disproves
clause(v, c) := v.clause_verdicts[c].status

test_fail_stale_signatures_leave_the_antivirus_installed if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s7", {"s7": f.linux({}, av([clam(true, "2026-10-27T08:00:00Z")]))})
	clause(v, "AV-INSTALLED") == "pass"
	clause(v, "AV-SIGNATURES-UPDATED") == "fail"
}

test_fail_no_antivirus_has_no_current_signatures_either if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s8", {"s8": f.linux({}, av([]))})
	clause(v, "AV-INSTALLED") == "fail"
	clause(v, "AV-SIGNATURES-UPDATED") == "fail"
}

test_fail_a_product_not_running_is_not_installed_protection if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s9", {"s9": f.linux({}, av([clam(false, "2026-11-26T03:00:00Z")]))})
	clause(v, "AV-INSTALLED") == "fail"
	clause(v, "AV-SIGNATURES-UPDATED") == "pass"
}

test_error_an_unknown_signature_date_leaves_the_antivirus_installed if {
	v := f.verdict("ANTIVIRUS-UPDATED", "s10", {"s10": f.linux({}, av([clam(true, null)]))})
	clause(v, "AV-INSTALLED") == "pass"
	clause(v, "AV-SIGNATURES-UPDATED") == "error"
}
