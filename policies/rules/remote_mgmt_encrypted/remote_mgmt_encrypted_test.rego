package zicha.tests.remote_mgmt_encrypted_test

import data.zicha.test.fixtures as f

mgmt(telnet, plain_http) := {
	"telnet": telnet, "ssh": true, "http": plain_http, "https": true,
	"vty": [{"lines": "0 4", "protocols": array.concat(["ssh"], ["telnet" | telnet]), "auth": "aaa"}],
}

sw(m) := f.host("huawei_vrp", {"role": "switch"}, {"management": m})

test_success_ssh_and_https_only if {
	f.status("REMOTE-MGMT-ENCRYPTED", "sw1", {"sw1": sw(mgmt(false, false))}) == "pass"
}

test_fail_telnet_and_http if {
	v := f.verdict("REMOTE-MGMT-ENCRYPTED", "sw2", {"sw2": sw(mgmt(true, true))})
	v.status == "fail"
	v.message.zh == "启用了 HTTP 明文网页管理；启用了 Telnet 明文管理（vty 0 4）"
}

test_fail_linux_telnetd_listening if {
	facts := {"listening": [{"proto": "tcp", "address": "0.0.0.0", "port": 23, "process": "inetutils-telnetd"}]}
	v := f.verdict("REMOTE-MGMT-ENCRYPTED", "s1", {"s1": f.linux({}, facts)})
	v.status == "fail"
	v.evidence.observed.plain_listeners == ["0.0.0.0:23"]
}

test_success_linux_loopback_only if {
	facts := {"listening": [{"proto": "tcp", "address": "127.0.0.1", "port": 23, "process": "x"}, {"proto": "tcp", "address": "0.0.0.0", "port": 22, "process": "sshd"}]}
	f.status("REMOTE-MGMT-ENCRYPTED", "s2", {"s2": f.linux({}, facts)}) == "pass"
}

test_error_a_windows_host_is_checked_not_skipped if {
	v := f.verdict("REMOTE-MGMT-ENCRYPTED", "w1", {"w1": f.host("windows", {}, {})})
	v.status == "error"
	contains(v.message.en, "fact listening is missing")
}

win_listening := [{"proto": "tcp", "address": "0.0.0.0", "port": 3389, "process": "svchost"}]

rdp(enabled, nla, layer) := {"rdp": {"enabled": enabled, "nla": nla, "security_layer": layer}, "winrm": {"allow_unencrypted": false}}

test_success_windows_rdp_with_nla_over_tls if {
	facts := {"listening": win_listening, "remote_access": rdp(true, true, "tls")}
	f.status("REMOTE-MGMT-ENCRYPTED", "w2", {"w2": f.host("windows", {}, facts)}) == "pass"
}

test_fail_windows_rdp_without_nla_on_its_own_layer_and_winrm_unencrypted if {
	access := object.union(rdp(true, false, "rdp"), {"winrm": {"allow_unencrypted": true}})
	v := f.verdict("REMOTE-MGMT-ENCRYPTED", "w3", {"w3": f.host("windows", {}, {"listening": win_listening, "remote_access": access})})
	v.status == "fail"
	contains(v.message.en, "Remote Desktop does not require Network Level Authentication")
	contains(v.message.en, "Remote Desktop uses RDP's own security layer, not TLS")
	contains(v.message.zh, "WinRM 允许未加密的通信")
}

test_success_windows_rdp_disabled_whatever_its_settings if {
	facts := {"listening": [], "remote_access": rdp(false, false, "rdp")}
	f.status("REMOTE-MGMT-ENCRYPTED", "w4", {"w4": f.host("windows", {}, facts)}) == "pass"
}

test_error_without_management_facts if {
	f.status("REMOTE-MGMT-ENCRYPTED", "sw3", {"sw3": f.host("h3c_comware", {"role": "switch"}, {})}) == "error"
}
