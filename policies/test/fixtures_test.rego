# Helpers for the rules' tests: build hosts in the shape zicha sends as input, run the whole
# entry point (data.zicha.main) against them, and read one verdict back. The tests run with the shipped
# parameter defaults (policies/params.yaml at data.zicha.params: `make test-rego` loads them).
package zicha.test.fixtures

now := "2026-11-27T08:00:00Z"

# host(platform, attrs, facts) is one input host; facts maps fact keys to values.
host(platform, attrs, facts) := object.union(
	{
		"platform": platform,
		"role": "terminal",
		"zone": "office",
		"classified": false,
		"vars": {},
		"gather": {"status": "ok", "method": "ansible"},
		"collected_at": now,
		"facts": {k: {"source": "test", "value": v} | some k, v in facts},
	},
	attrs,
)

linux(attrs, facts) := host("linux", attrs, facts)

# broken(h, key, error) replaces one fact of a host by an error envelope.
# (object.union merges nested objects, so the old fact is removed first)
broken(h, key, error) := with_facts(h, object.union(object.remove(h.facts, {key}), {key: {"source": "test", "error": error}}))

# without(h, key) removes one fact.
without(h, key) := with_facts(h, object.remove(h.facts, {key}))

with_facts(h, facts) := object.union(object.remove(h, {"facts"}), {"facts": facts})

unreachable(h) := object.union(h, {"gather": {"status": "unreachable", "method": "ansible", "reason": "ssh: connect timed out"}})

# The estate the tests run in: three zones and one firewall that joins them.
topology := {
	"zones": {
		"office": {"subnets": ["10.10.0.0/24"], "trust": 3},
		"dmz": {"subnets": ["10.20.0.0/24"], "trust": 2},
		"internet": {"subnets": ["203.0.113.0/24"], "trust": 0},
		"classified": {"subnets": ["10.30.0.0/24"], "trust": 4},
	},
	"hosts": {"fw1": {"role": "firewall", "zone": "boundary", "addresses": ["10.10.0.1", "10.20.0.1", "203.0.113.1"]}},
}

results(hosts) := results_in(hosts, topology)

results_in(hosts, topo) := rs if {
	rs := data.zicha.main.results with input as {"now": now, "hosts": hosts}
		with data.zicha.topology as topo
}

# verdict(rule_id, name, hosts) is the one result of rule `rule_id` on host `name`.
verdict(rule_id, name, hosts) := r if {
	rs := [x | some x in results(hosts); x.rule == rule_id; x.host == name]
	count(rs) == 1
	r := rs[0]
}

status(rule_id, name, hosts) := verdict(rule_id, name, hosts).status

verdict_in(rule_id, name, hosts, topo) := r if {
	rs := [x | some x in results_in(hosts, topo); x.rule == rule_id; x.host == name]
	count(rs) == 1
	r := rs[0]
}
