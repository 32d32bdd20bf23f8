package zicha.tests.audit_logging_test

import data.zicha.test.fixtures as f

auditd(installed, running, rules) := {"auditd": {"installed": installed, "running": running, "rules": rules}}

test_success_auditd_running_with_rules if {
	f.status("AUDIT-LOGGING", "s1", {"s1": f.linux({}, auditd(true, true, 12))}) == "pass"
}

test_fail_auditd_missing if {
	v := f.verdict("AUDIT-LOGGING", "s2", {"s2": f.linux({}, auditd(false, false, 0))})
	v.message.en == "auditd is not installed"
}

test_fail_auditd_stopped_without_rules if {
	v := f.verdict("AUDIT-LOGGING", "s3", {"s3": f.linux({}, auditd(true, false, 0))})
	v.status == "fail"
	v.message.en == "auditd has no audit rules; auditd is not running"
}

cats(v) := {"audit_policy": {"categories": {k: v | some k in {"AuditLogonEvents", "AuditAccountLogon", "AuditAccountManage", "AuditPolicyChange"}}}}

test_success_windows_audit_policy if {
	f.status("AUDIT-LOGGING", "w1", {"w1": f.host("windows", {}, cats("success_failure"))}) == "pass"
}

test_fail_windows_audit_off if {
	v := f.verdict("AUDIT-LOGGING", "w2", {"w2": f.host("windows", {}, cats("none"))})
	v.status == "fail"
	contains(v.message.en, "AuditAccountLogon, AuditAccountManage, AuditLogonEvents, AuditPolicyChange")
}

test_not_applicable_to_switches if {
	f.status("AUDIT-LOGGING", "sw1", {"sw1": f.host("huawei_vrp", {"role": "switch"}, {})}) == "not_applicable"
}

test_error_without_facts if {
	f.status("AUDIT-LOGGING", "s4", {"s4": f.linux({}, {})}) == "error"
}
