package zicha.tests.main_test

import data.zicha.test.fixtures as f

test_every_rule_describes_itself if {
	count(data.zicha.main.rules) >= 4
	every id, i in data.zicha.main.rules {
		i.id == id
		count(i.clauses) > 0
		i.title.zh != ""
		i.title.en != ""
		i.remediation.zh != ""
		i.remediation.en != ""
		i.severity in {"critical", "high", "medium", "low", "info"}
	}
}

test_no_rule_package_is_broken if {
	count(data.zicha.main.broken) == 0
}

test_report_has_one_result_per_host_and_rule if {
	hosts := {"a": f.linux({}, {}), "b": f.linux({}, {})}
	r := data.zicha.main.report with input as {"now": f.now, "hosts": hosts}
		with data.zicha.topology as f.topology
	count(r.results) == count(r.rules) * 2
}

# the decision looks each rule's documents up host by host (main.view), so a rule's needs must be per host
test_every_rule_says_its_needs_host_by_host if {
	hosts := {"a": f.linux({}, {}), "b": f.linux({}, {})}
	rules := data.zicha.rules with input as {"now": f.now, "hosts": hosts}
		with data.zicha.topology as f.topology
	count(rules) > 20
	every rule in rules {
		not is_set(rule.needs)
		not is_array(rule.needs)
	}
}

test_error_a_package_without_metadata_is_broken if {
	"nameless" in data.zicha.main.broken with data.zicha.rules.nameless as {"applicable": {"a"}}
}

test_error_a_rule_without_applicable_is_broken if {
	"time_sync" in data.zicha.main.broken with data.zicha.rules.time_sync.applicable as false
}
