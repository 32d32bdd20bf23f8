package zicha.tests.waivers_test

import data.zicha.test.fixtures as f

weak := {"accounts": [{"name": "kuaiji", "uid": 1001, "password": "set", "scheme": "yescrypt", "weak": true, "weak_reason": "weak_list", "expired": false}]}

waiver(hosts, expires) := {
	"rule": "NO-WEAK-PASSWORD", "hosts": hosts, "reason": "account retired on 2026-12-01",
	"approver": "信息中心 王主任", "expires": expires,
}

verdict(ws) := v if {
	v := f.verdict("NO-WEAK-PASSWORD", "srv-archive", {"srv-archive": f.linux({}, weak)}) with data.zicha.waivers.items as ws
}

test_a_waiver_turns_a_failure_into_waived_and_stays_visible if {
	v := verdict([waiver("srv-*", "2026-12-31")])
	v.status == "waived"
	v.waiver.approver == "信息中心 王主任"
	v.waiver.status_waived == "fail"
	v.waiver.expired == false
	contains(v.message.zh, "kuaiji")
}

test_an_expired_waiver_no_longer_applies if {
	v := verdict([waiver("srv-archive", "2026-11-01")])
	v.status == "fail"
	v.waiver.expired == true
	endswith(v.message.en, "(waiver expired on 2026-11-01)")
}

test_a_waiver_holds_through_its_expiry_day if {
	verdict([waiver("srv-archive", "2026-11-27")]).status == "waived"
}

test_a_waiver_for_other_hosts_does_not_match if {
	v := verdict([waiver("pc-*", "2027-01-01")])
	v.status == "fail"
	not v.waiver
}

test_a_pass_is_never_waived if {
	strong := {"accounts": [{"name": "ops", "uid": 1000, "password": "set", "weak": false, "expired": false}]}
	v := f.verdict("NO-WEAK-PASSWORD", "s1", {"s1": f.linux({}, strong)}) with data.zicha.waivers.items as [waiver("*", "2027-01-01")]
	v.status == "pass"
	not v.waiver
}
