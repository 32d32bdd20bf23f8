package zicha.tests.usb_storage_controlled_test

import data.zicha.test.fixtures as f

mod(blocks, blacklisted, loaded) := {"install": null, "install_blocks": blocks, "blacklisted": blacklisted, "files": [], "loaded": loaded, "builtin": false}

usb(u) := {"usb_storage": {"usb_storage": u, "uas": mod(false, false, false), "modules_supported": true}}

test_success_blocked_by_install_false if {
	f.status("USB-STORAGE-CONTROLLED", "pc1", {"pc1": f.linux({}, usb(mod(true, true, false)))}) == "pass"
}

test_fail_blacklisted_only if {
	v := f.verdict("USB-STORAGE-CONTROLLED", "pc2", {"pc2": f.linux({}, usb(mod(false, true, false)))})
	v.status == "fail"
	contains(v.message.en, "blacklist alone still lets it load as a dependency of uas")
}

test_fail_not_blocked if {
	v := f.verdict("USB-STORAGE-CONTROLLED", "pc3", {"pc3": f.linux({}, usb(mod(false, false, false)))})
	v.status == "fail"
	v.message.en == "no modprobe install directive keeps the usb-storage driver off (nothing restricts it)"
}

test_fail_configured_but_loaded if {
	v := f.verdict("USB-STORAGE-CONTROLLED", "pc4", {"pc4": f.linux({}, usb(mod(true, true, true)))})
	v.status == "fail"
	v.message.en == "the usb-storage driver is loaded"
}

test_fail_built_into_the_kernel if {
	u := object.union(mod(true, true, false), {"builtin": true})
	f.status("USB-STORAGE-CONTROLLED", "pc5", {"pc5": f.linux({}, usb(u))}) == "fail"
}

test_fail_windows_usbstor_on if {
	v := f.verdict("USB-STORAGE-CONTROLLED", "w1", {"w1": f.host("windows", {}, {"usb_storage": {"usbstor_start": 3, "blocked": false}})})
	v.message.zh == "USBSTOR 服务未禁用（Start = 3，应为 4）"
}

test_success_windows_usbstor_disabled if {
	f.status("USB-STORAGE-CONTROLLED", "w2", {"w2": f.host("windows", {}, {"usb_storage": {"usbstor_start": 4, "blocked": true}})}) == "pass"
}

test_not_applicable_to_servers_by_default if {
	f.status("USB-STORAGE-CONTROLLED", "s1", {"s1": f.linux({"role": "server"}, usb(mod(false, false, false)))}) == "not_applicable"
}

test_error_without_usb_facts if {
	f.status("USB-STORAGE-CONTROLLED", "pc6", {"pc6": f.linux({}, {})}) == "error"
}
