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
	some pkg
	i := result.info(pkg, data.zicha.rules[pkg].meta)
}

# results holds one verdict per (host, rule), waivers applied.
results := [waivers.apply(r) |
	some pkg, i in described
	some name, host in input.hosts
	r := result.record(i, view(pkg, name), name, host)
]

# described[pkg] is each rule's description, made once per evaluation
described[pkg] := result.described(pkg, data.zicha.rules[pkg].meta) if some pkg

# view(pkg, name) is what rule package pkg says about host `name`, in the shape of the package's own documents
# (applicable, needs, violations, errors, observed, bears_on) restricted to that host. Each is looked up by its
# key: OPA evaluates a rule's bodies for one host then, where building a whole per-host document (a partial
# object of every host) costs time in the square of the hosts (OPA 1.22: 2 s for 10,000 keys, 0.02 s for 1,000).
# A rule's needs are therefore per host (needs[name]), never one set for all (main_test checks every rule).
# (Regal would have a function take what it reads as arguments: passing data.zicha.rules would build it whole.)
view(pkg, name) := {
	# regal ignore:external-reference
	"applicable": {name | data.zicha.rules[pkg].applicable[name]},
	# regal ignore:external-reference
	"needs": {name: v | v := data.zicha.rules[pkg].needs[name]},
	# regal ignore:external-reference
	"violations": {name: v | v := data.zicha.rules[pkg].violations[name]},
	# regal ignore:external-reference
	"errors": {name: v | v := data.zicha.rules[pkg].errors[name]},
	# regal ignore:external-reference
	"observed": {name: v | v := data.zicha.rules[pkg].observed[name]},
	# regal ignore:external-reference
	"bears_on": {name: v | v := data.zicha.rules[pkg].bears_on[name]},
}

# broken lists rule packages whose METADATA cannot describe them (they would give no verdict), and those
# that name no applicable hosts at all.
broken contains pkg if {
	some pkg
	data.zicha.rules[pkg].applicable
	not described[pkg]
}

# a described rule that does not say which hosts it concerns would call every host not applicable
broken contains pkg if {
	some pkg, _ in described
	not data.zicha.rules[pkg].applicable
}

report := {"rules": rules, "results": results, "broken": broken}
