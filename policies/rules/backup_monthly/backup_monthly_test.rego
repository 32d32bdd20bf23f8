package zicha.tests.backup_monthly_test

import data.zicha.test.fixtures as f

# fixtures.now is 2026-11-27T08:00:00Z
repo(snapshot_times) := {
	"tool": "restic",
	"repo": "/srv/restic/finance",
	"snapshots": [{"time": t, "hostname": "fin1", "paths": ["/srv/finance"], "tags": [], "id": "abcd1234"} | some t in snapshot_times],
}

restores(times) := {"file": "/var/log/zicha/restore-tests.jsonl", "present": true, "records": [
{"time": t, "repo": "/srv/restic/finance", "snapshot": "abcd1234", "result": "ok", "by": "ops"} |
	some t in times
]}

required := {"vars": {"zicha_backup_required": true}, "role": "server"}

fresh := {"backups": [repo(["2026-08-01T10:00:00+08:00", "2026-11-20T02:00:00.123456789+08:00"])], "restore_tests": restores(["2026-11-21T09:00:00Z"])}

test_success_fresh_backup_and_recent_restore_test if {
	v := f.verdict("BACKUP-MONTHLY", "fin1", {"fin1": f.linux(required, fresh)})
	v.status == "pass"
	v.evidence.observed.repositories[0].newest == "2026-11-20T02:00:00.123456789+08:00"
}

test_fail_newest_backup_three_months_old if {
	facts := object.union(fresh, {"backups": [repo(["2026-08-27T10:00:00Z"])]})
	v := f.verdict("BACKUP-MONTHLY", "fin2", {"fin2": f.linux(required, facts)})
	v.status == "fail"
	v.message.en == "newest backup in /srv/restic/finance is 91 days old, more than 31"
}

test_fail_repository_without_snapshots if {
	facts := object.union(fresh, {"backups": [repo([])]})
	v := f.verdict("BACKUP-MONTHLY", "fin3", {"fin3": f.linux(required, facts)})
	v.status == "fail"
	v.message.zh == "备份库 /srv/restic/finance 中没有任何备份"
}

test_fail_restore_test_too_old if {
	facts := object.union(fresh, {"restore_tests": restores(["2026-09-01T09:00:00Z"])})
	v := f.verdict("BACKUP-MONTHLY", "fin4", {"fin4": f.linux(required, facts)})
	v.status == "fail"
	v.message.en == "no successful restore test recorded within 31 days (/var/log/zicha/restore-tests.jsonl)"
}

test_fail_failed_restore_test_does_not_count if {
	rt := {"file": "/r.jsonl", "present": true, "records": [{"time": "2026-11-26T09:00:00Z", "result": "failed"}]}
	facts := object.union(fresh, {"restore_tests": rt})
	f.status("BACKUP-MONTHLY", "fin5", {"fin5": f.linux(required, facts)}) == "fail"
}

test_fail_no_restore_record_file if {
	facts := object.union(fresh, {"restore_tests": {"file": "/r.jsonl", "present": false, "records": []}})
	v := f.verdict("BACKUP-MONTHLY", "fin6", {"fin6": f.linux(required, facts)})
	v.status == "fail"
	contains(v.message.zh, "记录文件不存在")
}

test_not_applicable_without_important_data if {
	f.status("BACKUP-MONTHLY", "pc1", {"pc1": f.linux({}, fresh)}) == "not_applicable"
}

test_error_repository_unreadable if {
	facts := object.union(fresh, {"backups": [{"tool": "restic", "repo": "/srv/x", "error": "restic snapshots: rc 1: wrong password"}]})
	v := f.verdict("BACKUP-MONTHLY", "fin7", {"fin7": f.linux(required, facts)})
	v.status == "error"
	contains(v.message.en, "wrong password")
}

test_error_no_repository_declared if {
	facts := object.union(fresh, {"backups": []})
	v := f.verdict("BACKUP-MONTHLY", "fin8", {"fin8": f.linux(required, facts)})
	v.status == "error"
	contains(v.message.en, "no backup repository declared")
}

test_error_snapshot_time_unparsable if {
	facts := object.union(fresh, {"backups": [repo(["last tuesday"])]})
	v := f.verdict("BACKUP-MONTHLY", "fin9", {"fin9": f.linux(required, facts)})
	v.status == "error"
	contains(v.message.en, "does not parse: last tuesday")
}

test_error_record_without_snapshot_list if {
	facts := object.union(fresh, {"backups": [{"tool": "restic", "repo": "/srv/y"}]})
	f.status("BACKUP-MONTHLY", "fin10", {"fin10": f.linux(required, facts)}) == "error"
}

test_error_backup_facts_missing if {
	h := f.without(f.linux(required, fresh), "backups")
	f.status("BACKUP-MONTHLY", "fin11", {"fin11": h}) == "error"
}

clause(v, c) := v.clause_verdicts[c].status

test_fail_an_old_backup_with_a_recent_restore_test_fails_only_the_backup_clause if {
	facts := object.union(fresh, {"backups": [repo(["2026-08-27T10:00:00Z"])]})
	v := f.verdict("BACKUP-MONTHLY", "fin8", {"fin8": f.linux(required, facts)})
	clause(v, "BACKUP-IMPORTANT-DATA") == "fail"
	clause(v, "BACKUP-RESTORE-TESTED") == "pass"
}

test_fail_a_fresh_backup_never_restored_fails_only_the_restore_clause if {
	facts := object.union(fresh, {"restore_tests": restores(["2026-09-01T09:00:00Z"])})
	v := f.verdict("BACKUP-MONTHLY", "fin9", {"fin9": f.linux(required, facts)})
	clause(v, "BACKUP-IMPORTANT-DATA") == "pass"
	clause(v, "BACKUP-RESTORE-TESTED") == "fail"
}

test_error_an_unreadable_repository_is_an_error_of_the_backup_clause if {
	facts := object.union(fresh, {"backups": [{"tool": "restic", "repo": "/srv/x", "error": "wrong password"}]})
	v := f.verdict("BACKUP-MONTHLY", "fin10", {"fin10": f.linux(required, facts)})
	clause(v, "BACKUP-IMPORTANT-DATA") == "error"
	clause(v, "BACKUP-RESTORE-TESTED") == "pass"
}
