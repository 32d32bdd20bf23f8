# METADATA
# title: 重要数据每月备份并检验恢复
# description: |
#   A host that holds important data (zicha_backup_required) has, in the backup tool's own records
#   (restic snapshots), a backup of every declared repository no older than backup_max_age_days,
#   and a successful restore test recorded within restore_test_max_age_days. Backups bear on
#   BACKUP-IMPORTANT-DATA, restore tests on BACKUP-RESTORE-TESTED.
# custom:
#   id: BACKUP-MONTHLY
#   title_en: Important data is backed up monthly and restores are tested
#   severity: high
#   clauses: [BACKUP-IMPORTANT-DATA, BACKUP-RESTORE-TESTED]
#   applies_to:
#     zh: "存放重要数据的主机（zicha_backup_required: true）"
#     en: hosts holding important data (zicha_backup_required true)
#   remediation:
#     zh: 按月（或更频繁）备份重要数据，用备份工具定期执行恢复测试并留存记录（zicha restore-test 可记录）；检查备份任务为何中断。
#     en: >-
#       Back up important data at least monthly, run and record restore tests regularly (zicha restore-test records one), and find out why the
#       backup job stopped.
package zicha.rules.backup_monthly

meta := rego.metadata.chain()

day_ns := ((24 * 60) * 60) * 1000000000

max_backup_days := data.zicha.params.backup_max_age_days

max_restore_days := data.zicha.params.restore_test_max_age_days

now_ns := time.parse_rfc3339_ns(input.now)

applicable contains name if {
	some name, host in input.hosts
	object.get(host.vars, "zicha_backup_required", false) == true
}

needs[name] := {"backups", "restore_tests"} if some name in applicable

age_days(t) := (now_ns - time.parse_rfc3339_ns(t)) / day_ns

# readable repositories: read without error and every snapshot time parses
readable(host) := [repo |
	some repo in host.facts.backups.value
	not repo.error
	is_array(repo.snapshots)
	every s in repo.snapshots {
		time.parse_rfc3339_ns(s.time)
	}
]

newest_age(repo) := min([age_days(s.time) | some s in repo.snapshots])

errors[name] contains msg if {
	some name in applicable
	count(input.hosts[name].facts.backups.value) == 0
	msg := {
		"zh": "未声明备份库（zicha_backup_repos），无法查看备份记录",
		"en": "no backup repository declared (zicha_backup_repos): no backup records to look at",
		"clauses": ["BACKUP-IMPORTANT-DATA"],
	}
}

errors[name] contains msg if {
	some name in applicable
	some repo in input.hosts[name].facts.backups.value
	repo.error
	msg := {
		"zh": sprintf("备份库 %v 无法读取：%v", [repo.repo, repo.error]),
		"en": sprintf("backup repository %v could not be read: %v", [repo.repo, repo.error]),
		"clauses": ["BACKUP-IMPORTANT-DATA"],
	}
}

errors[name] contains msg if {
	some name in applicable
	some repo in input.hosts[name].facts.backups.value
	not repo.error
	not is_array(object.get(repo, "snapshots", null))
	msg := {
		"zh": sprintf("备份库 %v 的记录中没有快照列表", [repo.repo]),
		"en": sprintf("backup repository %v: the record has no snapshot list", [repo.repo]),
		"clauses": ["BACKUP-IMPORTANT-DATA"],
	}
}

errors[name] contains msg if {
	some name in applicable
	some repo in input.hosts[name].facts.backups.value
	some s in object.get(repo, "snapshots", [])
	not time.parse_rfc3339_ns(s.time)
	msg := {
		"zh": sprintf("备份库 %v 的快照时间无法解析：%v", [repo.repo, s.time]),
		"en": sprintf("backup repository %v has a snapshot time that does not parse: %v", [repo.repo, s.time]),
		"clauses": ["BACKUP-IMPORTANT-DATA"],
	}
}

violations[name] contains msg if {
	some name in applicable
	some repo in readable(input.hosts[name])
	count(repo.snapshots) == 0
	msg := {
		"zh": sprintf("备份库 %v 中没有任何备份", [repo.repo]),
		"en": sprintf("backup repository %v holds no backup", [repo.repo]),
		"clauses": ["BACKUP-IMPORTANT-DATA"],
	}
}

violations[name] contains msg if {
	some name in applicable
	some repo in readable(input.hosts[name])
	count(repo.snapshots) > 0
	age := newest_age(repo)
	age > max_backup_days
	msg := {
		"zh": sprintf("备份库 %v 最近一次备份在 %d 天前，超过 %d 天", [repo.repo, floor(age), max_backup_days]),
		"en": sprintf("newest backup in %v is %d days old, more than %d", [repo.repo, floor(age), max_backup_days]),
		"clauses": ["BACKUP-IMPORTANT-DATA"],
	}
}

violations[name] contains msg if {
	some name in applicable
	rt := input.hosts[name].facts.restore_tests.value
	count(restore_ok(input.hosts[name])) == 0
	msg := {
		"zh": sprintf("%d 天内没有成功的恢复测试记录（%s%s）", [max_restore_days, rt.file, absent_zh(rt)]),
		"en": sprintf("no successful restore test recorded within %d days (%s%s)", [max_restore_days, rt.file, absent_en(rt)]),
		"clauses": ["BACKUP-RESTORE-TESTED"],
	}
}

restore_ok(host) := [r |
	some r in host.facts.restore_tests.value.records
	r.result == "ok"
	is_string(r.time)
	age_days(r.time) <= max_restore_days
	age_days(r.time) >= 0
]

absent_zh(rt) := "：记录文件不存在" if not rt.present

absent_zh(rt) := "" if rt.present

absent_en(rt) := ": no such record file" if not rt.present

absent_en(rt) := "" if rt.present

observed[name] := {
	"repositories": [{
		"repo": repo.repo,
		"tool": repo.tool,
		"snapshots": count(object.get(repo, "snapshots", [])),
		"newest": newest_time(repo),
		"error": object.get(repo, "error", null),
	} |
		some repo in host.facts.backups.value
	],
	"restore_tests_ok_recent": [{"time": r.time, "repo": r.repo} | some r in restore_ok(host)],
	"restore_record_file": object.get(host.facts, ["restore_tests", "value", "file"], null),
	"max_age_days": {"backup": max_backup_days, "restore_test": max_restore_days},
} if {
	some name in applicable
	host := input.hosts[name]
}

newest_time(repo) := t if {
	ages := {age_days(s.time): s.time | some s in repo.snapshots}
	t := ages[min(object.keys(ages))]
} else := null
