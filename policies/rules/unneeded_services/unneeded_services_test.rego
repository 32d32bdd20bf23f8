package zicha.tests.unneeded_services_test

import data.zicha.test.fixtures as f

l(proto, addr, port, process) := {"proto": proto, "address": addr, "port": port, "process": process}

test_success_ssh_only if {
	f.status("UNNEEDED-SERVICES", "s1", {"s1": f.linux({}, {"listening": [l("tcp", "0.0.0.0", 22, "sshd")]})}) == "pass"
}

test_fail_rsync_daemon_and_nfs if {
	v := f.verdict("UNNEEDED-SERVICES", "s2", {"s2": f.linux({}, {"listening": [l("tcp", "0.0.0.0", 873, "rsync"), l("tcp6", "::", 2049, null)]})})
	v.status == "fail"
	v.message.en == "high-risk services listen: nfs :::2049 (null); rsync 0.0.0.0:873 (rsync)"
}

test_success_loopback_and_allowed if {
	h := f.linux({"vars": {"zicha_allowed_ports": [445]}}, {"listening": [l("tcp", "127.0.0.1", 111, "rpcbind"), l("tcp", "0.0.0.0", 445, "smbd")]})
	f.status("UNNEEDED-SERVICES", "s3", {"s3": h}) == "pass"
}

test_success_udp_port_only_counts_for_udp_services if {
	f.status("UNNEEDED-SERVICES", "s4", {"s4": f.linux({}, {"listening": [l("udp", "0.0.0.0", 23, "x")]})}) == "pass"
}

test_fail_windows_smb_and_netbios_listen if {
	v := f.verdict("UNNEEDED-SERVICES", "w1", {"w1": f.host("windows", {}, {"listening": [
		l("tcp", "0.0.0.0", 445, "System"),
		l("tcp", "192.168.20.57", 139, "System"),
		l("tcp", "0.0.0.0", 49664, "lsass"),
	]})})
	v.status == "fail"
	contains(v.message.en, "smb 0.0.0.0:445 (System)")
}

test_error_windows_without_the_fact if {
	v := f.verdict("UNNEEDED-SERVICES", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact listening is missing")
}

test_error_without_listening_facts if {
	f.status("UNNEEDED-SERVICES", "s5", {"s5": f.linux({}, {})}) == "error"
}
