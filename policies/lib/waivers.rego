# METADATA
# title: zicha waivers
# description: |
#   A waiver is a recorded decision: rule, host pattern (glob), reason, approver and expiry date.
#   A fail or error it matches becomes `waived`, with the waiver and the status it replaced; a pass is
#   never touched. An expired waiver no longer applies: the result keeps its status and carries the
#   waiver marked expired, so the report can say so. A waived result's clause verdicts that failed or
#   erred are waived with it.
package zicha.lib.waivers

default items := []

items := data.zicha.waivers.items

day_ns := ((24 * 60) * 60) * 1000000000

# a waiver holds through the whole of its expiry day
expired(w) if time.parse_ns("2006-01-02", w.expires) + day_ns <= time.parse_rfc3339_ns(input.now)

matches(w, r) if {
	w.rule == r.rule
	glob.match(w.hosts, [], r.host)
}

active(r) := [w | some w in items; matches(w, r); not expired(w)]

lapsed(r) := [w | some w in items; matches(w, r); expired(w)]

apply(r) := r if {
	not r.status in {"fail", "error"}
} else := r if {
	count(items) == 0
} else := object.union(r, {
	"status": "waived",
	"waiver": object.union(active(r)[0], {"expired": false, "status_waived": r.status}),
	"clause_verdicts": {c: waive(v) | some c, v in object.get(r, "clause_verdicts", {})},
}) if {
	count(active(r)) > 0
} else := object.union(r, {
	"waiver": object.union(lapsed(r)[0], {"expired": true}),
	"message": {
		"zh": sprintf("%s（豁免已于 %s 过期）", [r.message.zh, lapsed(r)[0].expires]),
		"en": sprintf("%s (waiver expired on %s)", [r.message.en, lapsed(r)[0].expires]),
	},
}) if {
	count(lapsed(r)) > 0
} else := r

waive(v) := object.union(v, {"status": "waived"}) if v.status in {"fail", "error"}

waive(v) := v if not v.status in {"fail", "error"}
