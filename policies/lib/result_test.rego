package zicha.tests.result_test

import data.zicha.lib.result
import data.zicha.test.fixtures as f

# A rule that proves two clauses, A (say: antivirus installed) and B (say: signatures current), written the
# way the rules under policies/rules are: its METADATA chain, the hosts it applies to, its violations.
meta := [{"annotations": {
	"scope": "package",
	"title": "两个条款的规则",
	"custom": {
		"id": "TWO-CLAUSES",
		"title_en": "A rule of two clauses",
		"severity": "high",
		"clauses": ["A", "B"],
		"remediation": {"zh": "整改", "en": "fix it"},
		"applies_to": {"zh": "终端", "en": "terminals"},
	},
}}]

hosts := {"h": f.linux({}, {"x": 1})}

rule(docs) := object.union({"meta": meta, "applicable": {"h"}, "needs": {"h": {"x"}}}, docs)

# the clause catalog's entries for A and B: the rule names clauses only, the catalog their GB/T items and laws
catalog := {"A": {"gbt22239": ["8.1.4.5", "7.1.4.5"], "law": ["L1"]}, "B": {"gbt22239": ["7.1.4.5", "8.1.5.4 e)"], "law": []}}

verdict(docs) := v if {
	v := result.verdict("zicha.rules.two", rule(docs), "h", hosts.h) with data.zicha.catalog as catalog
}

test_success_gbt_items_and_laws_come_from_the_catalog_in_clause_order_each_once if {
	i := result.info("zicha.rules.two", meta) with data.zicha.catalog as catalog
	i.gbt22239 == ["8.1.4.5", "7.1.4.5", "8.1.5.4 e)"]
	i.law == ["L1"]
	verdict({}).gbt22239 == i.gbt22239
}

test_error_a_rule_naming_a_clause_the_catalog_lacks_is_not_described if {
	not result.info("zicha.rules.two", meta) with data.zicha.catalog as {"A": catalog.A}
}

statuses(v) := {c: cv.status | some c, cv in v.clause_verdicts}

test_success_every_clause_passes if {
	v := verdict({})
	v.status == "pass"
	statuses(v) == {"A": "pass", "B": "pass"}
}

test_fail_a_violation_that_names_its_clause_fails_only_that_clause if {
	v := verdict({"violations": {"h": {{"zh": "病毒库过期", "en": "stale signatures", "clauses": ["B"]}}}})
	v.status == "fail"
	statuses(v) == {"A": "pass", "B": "fail"}
	v.clause_verdicts.B.message.en == "stale signatures"
	v.clause_verdicts.A.message.en == "compliant: A rule of two clauses"
}

test_fail_an_untagged_violation_counts_against_every_clause if {
	v := verdict({"violations": {"h": {{"zh": "未安装", "en": "not installed"}}}})
	statuses(v) == {"A": "fail", "B": "fail"}
}

test_fail_a_misspelt_clause_counts_against_every_clause if {
	v := verdict({"violations": {"h": {{"zh": "x", "en": "x", "clauses": ["AV-INSTALED"]}}}})
	statuses(v) == {"A": "fail", "B": "fail"}
}

test_error_an_error_of_one_clause_leaves_the_other_passing if {
	v := verdict({"errors": {"h": {{"zh": "读不到日期", "en": "date unknown", "clauses": ["B"]}}}})
	v.status == "error"
	statuses(v) == {"A": "pass", "B": "error"}
}

test_fail_and_error_on_different_clauses if {
	v := verdict({
		"violations": {"h": {{"zh": "未安装", "en": "not installed", "clauses": ["A"]}}},
		"errors": {"h": {{"zh": "读不到日期", "en": "date unknown", "clauses": ["B"]}}},
	})
	v.status == "fail"
	statuses(v) == {"A": "fail", "B": "error"}
	v.message.en == "date unknown; not installed"
}

test_not_applicable_a_clause_the_host_does_not_bear_on if {
	v := verdict({"bears_on": {"h": {"B"}}, "violations": {"h": {{"zh": "x", "en": "stale"}}}})
	statuses(v) == {"A": "not_applicable", "B": "fail"}
}

test_not_applicable_bears_on_naming_no_clause_of_the_rule_means_all if {
	v := verdict({"bears_on": {"h": {"C"}}, "violations": {"h": {{"zh": "x", "en": "x"}}}})
	statuses(v) == {"A": "fail", "B": "fail"}
}

test_error_missing_facts_are_an_error_on_every_clause_it_bears_on if {
	v := result.verdict("zicha.rules.two", rule({"bears_on": {"h": {"A"}}}), "h", f.without(hosts.h, "x")) with data.zicha.catalog as catalog
	v.status == "error"
	statuses(v) == {"A": "error", "B": "not_applicable"}
}

test_error_a_host_not_gathered_is_an_error_on_every_clause if {
	v := result.verdict("zicha.rules.two", rule({}), "h", f.unreachable(hosts.h)) with data.zicha.catalog as catalog
	statuses(v) == {"A": "error", "B": "error"}
}

test_not_applicable_when_the_rule_does_not_concern_the_host if {
	v := result.verdict("zicha.rules.two", rule({"applicable": set()}), "h", hosts.h) with data.zicha.catalog as catalog
	v.status == "not_applicable"
	statuses(v) == {"A": "not_applicable", "B": "not_applicable"}
}

# every rule of the catalog, on hosts of every kind: a rule's status is the worst of its clause verdicts
order := ["fail", "error", "waived", "pass", "not_applicable"]

worst(v) := order[min({i | some cv in v.clause_verdicts; some i, s in order; s == cv.status})]

test_success_every_result_is_the_worst_of_its_clause_verdicts if {
	estate := {
		"t1": f.linux({}, {}),
		"w1": f.host("windows", {}, {}),
		"sw": f.host("huawei_vrp", {"role": "switch"}, {}),
		"fw": f.host("huawei_usg", {"role": "firewall"}, {}),
		"off": f.unreachable(f.linux({}, {})),
	}
	rs := f.results(estate)
	count(rs) > 0
	every r in rs {
		worst(r) == r.status
		object.keys(r.clause_verdicts) == {c | some c in r.clauses}
	}
}

test_error_an_applicable_host_whose_platform_the_rule_does_not_read_is_never_not_applicable if {
	r := object.union(object.remove(rule({}), {"needs"}), {"needs": {"other": {"x"}}})
	v := result.verdict("zicha.rules.two", r, "h", hosts.h) with data.zicha.catalog as catalog
	v.status == "error"
	contains(v.message.en, "cannot be checked on linux yet")
	statuses(v) == {"A": "error", "B": "error"}
}

test_success_needs_one_set_for_every_host_reads_every_platform if {
	v := result.verdict("zicha.rules.two", rule({"needs": {"x"}}), "h", hosts.h) with data.zicha.catalog as catalog
	v.status == "pass"
}
