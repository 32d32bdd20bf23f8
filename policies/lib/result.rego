# METADATA
# title: zicha result helpers
# description: |
#   Builds every (host, rule) verdict from the rule's own package METADATA and its documents
#   (applicable, needs, errors, violations, observed), so that fail-closed logic lives in one place:
#   a host that was not gathered, a needed fact that is missing or unreadable, or an error the rule
#   reports, all give `error`, never `pass`.
#   A rule that proves several clauses also gives one verdict per clause (clause_verdicts), so a result
#   counts only against the clause whose wording it disproves: the rule may say which of its clauses a
#   host's result bears on (bears_on[name]; default all), and a violation or error may name the clauses
#   it disproves ("clauses": [...]; default all that the host's result bears on).
package zicha.lib.result

# info(pkg, chain) is the public description of a rule, from its package METADATA.
info(pkg, chain) := {
	"id": a.custom.id,
	"package": pkg,
	"title": {"zh": a.title, "en": a.custom.title_en},
	"description": object.get(a, "description", ""),
	"severity": a.custom.severity,
	"clauses": a.custom.clauses,
	"gbt22239": catalog_items(a.custom.clauses, "gbt22239"),
	"law": catalog_items(a.custom.clauses, "law"),
	"remediation": a.custom.remediation,
	"applies_to": object.get(a.custom, "applies_to", {"zh": "", "en": ""}),
} if {
	some entry in chain
	a := entry.annotations
	a.scope == "package"
	every c in a.custom.clauses {
		data.zicha.catalog[c]
	}
}

# catalog_items(clauses, field) are the GB/T 22239 items (or laws) of a rule's clauses, from the clause catalog
# (data.zicha.catalog, loaded from policies/clauses.yaml): one source of truth, in clause order, each once.
catalog_items(clauses, field) := [item |
	some i, c in clauses
	some item in object.get(data.zicha.catalog[c], field, [])
	not _earlier(clauses, i, field, item)
]

_earlier(clauses, i, field, item) if {
	some j, c in clauses
	j < i
	item in object.get(data.zicha.catalog[c], field, [])
}

# needs_of(rule, name) is the set of fact keys the rule reads on host `name`.
needs_of(rule, _) := rule.needs if is_set(rule.needs)

needs_of(rule, name) := object.get(rule.needs, name, set()) if is_object(rule.needs)

needs_of(rule, _) := set() if not rule.needs

# missing facts: absent from the document, or present with an error instead of a value.
fact_problems(rule, name, host) := {p |
	some key in needs_of(rule, name)
	env := object.get(host.facts, key, null)
	not has_value(env)
	p := fact_problem(key, env)
}

has_value(env) if {
	is_object(env)
	"value" in object.keys(env)
}

fact_problem(key, env) := {
	"zh": sprintf("缺少事实 %s：采集结果中没有该项", [key]),
	"en": sprintf("fact %s is missing from the collected facts", [key]),
} if not is_object(env)

fact_problem(key, env) := {
	"zh": sprintf("无法读取事实 %s：%s", [key, env.error]),
	"en": sprintf("fact %s could not be read: %s", [key, env.error]),
} if {
	is_object(env)
	is_string(env.error)
}

fact_problem(key, env) := {
	"zh": sprintf("事实 %s 格式错误：既无值也无错误说明", [key]),
	"en": sprintf("fact %s is malformed: neither a value nor an error", [key]),
} if {
	is_object(env)
	not is_string(object.get(env, "error", null))
}

sources(rule, name, host) := [{"fact": key, "source": object.get(object.get(host.facts, key, {}), "source", "")} |
	some key in needs_of(rule, name)
]

join(msgs, lang, sep) := concat(sep, sort([m[lang] | some m in msgs]))

# status and reasons, in order of precedence: a host not gathered is an error; a rule that does not concern
# the host is not applicable; a needed fact that is missing or unreadable is an error (whatever the rule
# computed from the rest cannot be trusted); a violation found is a failure (with what the rule itself could
# not check added to its reasons); an error the rule reports is an error; else a pass.
# A host the rule concerns (by role, zone or classification) on a platform whose facts the rule does not read yet
# cannot be checked there: that is an error, never "not applicable" (applicability follows the inventory).
# (Written as one else-chain: OPA evaluates every body of a multi-body function, an else-chain stops at the
# first that holds, and the facts' problems are computed once.)
outcome(_, _, host) := {"status": "error", "reasons": {{
	"zh": sprintf("主机未能采集（%s）：%s", [host.gather.status, object.get(host.gather, "reason", "")]),
	"en": sprintf("host not gathered (%s): %s", [host.gather.status, object.get(host.gather, "reason", "")]),
}}} if host.gather.status != "ok"

outcome(rule, name, host) := gathered(rule, name, host) if host.gather.status == "ok"

gathered(rule, name, host) := {"status": "not_applicable", "reasons": set()} if {
	not name in object.get(rule, "applicable", set())
} else := {"status": "error", "reasons": {{
	"zh": sprintf("本规则尚不能在 %s 平台上核验：zicha 在该平台上还不采集本规则所需的事实", [host.platform]),
	"en": sprintf("this rule cannot be checked on %s yet: zicha does not gather the facts it needs there", [host.platform]),
}}} if {
	not reads_platform(rule, name)
} else := {"status": "error", "reasons": missing} if {
	missing := fact_problems(rule, name, host)
	count(missing) > 0
} else := {
	"status": verdict_of(violations, problems),
	"reasons": (violations | problems),
	"split": {"violations": violations, "problems": problems},
} if {
	problems := object.get(object.get(rule, "errors", {}), name, set())
	violations := object.get(object.get(rule, "violations", {}), name, set())
}

# reads_platform(rule, name): the rule says which facts it reads on host `name` (its needs are one set for every
# host, or a per-host map that names this one)
reads_platform(rule, _) if not is_object(object.get(rule, "needs", set()))

reads_platform(rule, name) if {
	needs := object.get(rule, "needs", set())
	is_object(needs)
	object.get(needs, name, null) != null
}

verdict_of(violations, problems) := "fail" if {
	count(violations) > 0
} else := "error" if {
	count(problems) > 0
} else := "pass"

# message(i, status, reasons): the words of a verdict. Those of a pass and of not-applicable are the rule's own
# (info's "messages", made once per rule); those of a failure or an error are its reasons.
message(i, status, reasons) := i.messages[status] if {
	status in {"pass", "not_applicable"}
} else := {"zh": join(reasons, "zh", "；"), "en": join(reasons, "en", "; ")} if {
	status in {"fail", "error"}
}

messages(title, applies_to) := {
	"pass": {
		"zh": sprintf("符合：%s", [title.zh]),
		"en": sprintf("compliant: %s", [title.en]),
	},
	"not_applicable": {
		"zh": sprintf("不适用：本规则只检查%s", [applies_to.zh]),
		"en": sprintf("not applicable: this rule checks only %s", [applies_to.en]),
	},
}

# -- one verdict per clause

# bears_on(i, rule, name) is the set of the rule's clauses that host `name`'s result bears on: the rule's
# own bears_on[name] where it says (within its clauses, and never none), else all its clauses.
bears_on(i, rule, name) := s if {
	s := {c | some c in object.get(object.get(rule, "bears_on", {}), name, []); c in i.clauses}
	count(s) > 0
} else := {c | some c in i.clauses}

# disproves(m, on) is the set of clauses a violation or error counts against: those it names among `on`,
# else all of `on` (a message naming none of them, or a misspelt clause, counts against all: fail closed).
disproves(m, on) := s if {
	s := {c | some c in object.get(m, "clauses", []); c in on}
	count(s) > 0
} else := on

# clause_outcome(c, i, on, o, whole): the verdict of clause c, where `on` are the clauses the host's result bears
# on and `whole` is the result's own {status, message}. A verdict about the whole host (not gathered, not
# applicable, facts missing), or a result that bears on this one clause alone, holds for the clause as it is.
clause_outcome(c, i, on, o, whole) := {"status": "not_applicable", "message": i.messages.not_applicable} if {
	not c in on
} else := whole if {
	not o.split
} else := whole if {
	count(on) == 1
} else := {"status": status, "message": message(i, status, violations | problems)} if {
	parts := o.split
	violations := {v | some v in parts.violations; c in disproves(v, on)}
	problems := {p | some p in parts.problems; c in disproves(p, on)}
	status := verdict_of(violations, problems)
}

clause_verdicts(i, rule, name, o, whole) := {c: clause_outcome(c, i, on, o, whole) |
	on := bears_on(i, rule, name)
	some c in i.clauses
}

# verdict(pkg, rule, name, host) is the full result record for one host and one rule.
verdict(pkg, rule, name, host) := record(described(pkg, rule.meta), rule, name, host)

# described(pkg, chain) is info with the words of the rule's pass and not-applicable verdicts ("messages"), which
# record uses and no output shows.
described(pkg, chain) := object.union(i, {"messages": messages(i.title, i.applies_to)}) if i := info(pkg, chain)

# record(i, rule, name, host) is verdict with the rule's description i made beforehand (once per rule).
record(i, rule, name, host) := {
	"host": name,
	"rule": i.id,
	"status": o.status,
	"severity": i.severity,
	"clauses": i.clauses,
	"gbt22239": i.gbt22239,
	"title": i.title,
	"message": whole.message,
	"remediation": i.remediation,
	"clause_verdicts": clause_verdicts(i, rule, name, o, whole),
	"evidence": {
		"observed": object.get(object.get(rule, "observed", {}), name, {}),
		"sources": sources(rule, name, host),
		"collected_at": object.get(host, "collected_at", null),
		"gather": host.gather,
	},
} if {
	o := outcome(rule, name, host)
	whole := {"status": o.status, "message": message(i, o.status, o.reasons)}
}
