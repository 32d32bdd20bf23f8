# METADATA
# title: zicha entry point
# description: |
#   One query evaluates the whole estate: every rule under data.zicha.rules against every host in
#   input.hosts, in one request. Waivers (data.zicha.waivers) turn a matching fail or error into
#   waived, visibly; an expired waiver no longer applies and says so.
# entrypoint: true
package zicha.main

import data.zicha.lib.result
import data.zicha.lib.waivers

# rules[id] describes every loaded rule (from its METADATA).
rules[i.id] := i if {
	some pkg, rule in data.zicha.rules
	i := result.info(pkg, rule.meta)
}

# results holds one verdict per (host, rule), waivers applied.
results := [waivers.apply(r) |
	some pkg, rule in data.zicha.rules
	i := described[pkg]
	some name, host in input.hosts
	r := result.record(i, rule, name, host)
]

# described[pkg] is each rule's description, made once per evaluation
described[pkg] := result.described(pkg, rule.meta) if some pkg, rule in data.zicha.rules

# broken lists rule packages whose METADATA cannot describe them (they would give no verdict).
broken contains pkg if {
	some pkg, rule in data.zicha.rules
	not result.info(pkg, object.get(rule, "meta", []))
}

report := {"rules": rules, "results": results, "broken": broken}
