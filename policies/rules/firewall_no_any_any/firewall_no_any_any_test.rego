package zicha.tests.firewall_no_any_any_test

import data.zicha.test.fixtures as f

p(name, src, dst, action) := {"name": name, "source_zones": src, "destination_zones": dst, "source_addresses": [], "destination_addresses": [], "services": [], "action": action}

fw(policies) := f.host("huawei_usg", {"role": "firewall"}, {"firewall": {"present": true, "zones": [], "policies": policies, "default_action": "deny"}})

test_fail_any_to_any_permit if {
	v := f.verdict("FIREWALL-NO-ANY-ANY", "fw1", {"fw1": fw([p("temp_any_any", ["any"], ["any"], "permit")])})
	v.status == "fail"
	v.message.en == "security policy temp_any_any permits any zone, address and service"
	v.evidence.observed.any_any == ["temp_any_any"]
}

test_success_scoped_rules if {
	scoped := object.union(p("web", ["trust"], ["untrust"], "permit"), {"services": ["http"]})
	f.status("FIREWALL-NO-ANY-ANY", "fw2", {"fw2": fw([scoped, p("deny_all", ["any"], ["any"], "deny")])}) == "pass"
}

test_success_disabled_rule_does_not_count if {
	off := object.union(p("old", [], [], "permit"), {"disabled": true})
	f.status("FIREWALL-NO-ANY-ANY", "fw3", {"fw3": fw([off])}) == "pass"
}

test_success_zones_any_but_one_service if {
	svc := object.union(p("dns", ["any"], ["any"], "permit"), {"services": ["dns"]})
	f.status("FIREWALL-NO-ANY-ANY", "fw4", {"fw4": fw([svc])}) == "pass"
}

test_not_applicable_to_linux_firewall if {
	f.status("FIREWALL-NO-ANY-ANY", "fw5", {"fw5": f.linux({"role": "firewall"}, {})}) == "not_applicable"
}

test_error_without_firewall_facts if {
	f.status("FIREWALL-NO-ANY-ANY", "fw6", {"fw6": f.host("huawei_usg", {"role": "firewall"}, {})}) == "error"
}

# a router's inbound access list on its outside interface, as the device parsers give it
ace(name, action, restricted) := {
	"name": name, "source_zones": [], "destination_zones": [], "source_addresses": ["any"],
	"destination_addresses": ["any"], "services": [], "action": action, "restricted": restricted,
}

router(policies, unread) := f.host("cisco_ios", {"role": "router"}, {"firewall": {
	"present": true, "zones": [], "policies": policies, "default_action": "deny", "unread": unread,
}})

test_fail_router_acl_permits_ip_any_any if {
	v := f.verdict("FIREWALL-NO-ANY-ANY", "r1", {"r1": router([ace("OUTSIDE-IN (line 80)", "permit", false)], [])})
	v.status == "fail"
	v.message.en == "security policy OUTSIDE-IN (line 80) permits any zone, address and service"
}

test_success_router_acl_entry_restricted_to_established if {
	f.status("FIREWALL-NO-ANY-ANY", "r2", {"r2": router([ace("OUTSIDE-IN (line 80)", "permit", true)], [])}) == "pass"
}

test_error_router_acl_entries_not_read if {
	v := f.verdict("FIREWALL-NO-ANY-ANY", "r3", {"r3": router([], [81, 82])})
	v.status == "error"
	contains(v.message.en, "line 81, 82")
}
