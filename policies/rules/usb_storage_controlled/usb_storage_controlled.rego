# METADATA
# title: 移动存储介质受控（禁用 USB 存储）
# description: |
#   USB storage is blocked on the roles in usb_control_roles (terminals by default). Linux: the
#   usb-storage driver is kept off by modprobe configuration (install … /bin/false, or blacklisted),
#   is not loaded now and is not built into the kernel. Windows: the USBSTOR service is disabled
#   (Start = 4).
# custom:
#   id: USB-STORAGE-CONTROLLED
#   title_en: USB storage is controlled (blocked)
#   severity: medium
#   clauses: [USB-MEDIA-CONTROL]
#   applies_to:
#     zh: 终端（参数 usb_control_roles）
#     en: terminals (parameter usb_control_roles)
#   remediation:
#     zh: >-
#       Linux：在 /etc/modprobe.d/ 中写入 install usb-storage /bin/false 和 blacklist usb-storage 并卸载已加载的模块；Windows：将
#       HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR 的 Start 设为 4（或用组策略禁止可移动存储）。确需使用的，配发经登记的专用介质。
#     en: >-
#       Linux: put install usb-storage /bin/false and blacklist usb-storage in /etc/modprobe.d/ and unload the module; Windows: set Start of
#       HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR to 4 (or forbid removable storage by group policy). Where media are needed, issue
#       registered ones.
package zicha.rules.usb_storage_controlled

import data.zicha.lib.hosts

meta := rego.metadata.chain()

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
	host.role in data.zicha.params.usb_control_roles
}

needs[name] := {"usb_storage"} if some name in applicable

violations[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	u := input.hosts[name].facts.usb_storage.value.usb_storage
	u.install_blocks != true
	msg := {
		"zh": sprintf("未通过 modprobe 的 install 指令禁用 usb-storage 驱动（%s）", [blacklist_note(u).zh]),
		"en": sprintf("no modprobe install directive keeps the usb-storage driver off (%s)", [blacklist_note(u).en]),
	}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	input.hosts[name].facts.usb_storage.value.usb_storage.loaded == true
	msg := {"zh": "usb-storage 驱动当前已加载", "en": "the usb-storage driver is loaded"}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	input.hosts[name].facts.usb_storage.value.usb_storage.builtin == true
	msg := {"zh": "usb-storage 编译进了内核，无法通过配置禁用", "en": "usb-storage is built into the kernel: configuration cannot keep it off"}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_windows(input.hosts[name])
	u := input.hosts[name].facts.usb_storage.value
	not u.blocked
	msg := {
		"zh": sprintf("USBSTOR 服务未禁用（Start = %v，应为 4）", [u.usbstor_start]),
		"en": sprintf("the USBSTOR service is not disabled (Start = %v, should be 4)", [u.usbstor_start]),
	}
}

# blacklist only stops loading by alias: the driver still loads as a dependency (of uas) or by modprobe
blacklist_note(u) := {
	"zh": "仅有 blacklist，驱动仍可作为 uas 的依赖或被 modprobe 加载",
	"en": "blacklist alone still lets it load as a dependency of uas or by modprobe",
} if {
	u.blacklisted == true
} else := {"zh": "无任何限制", "en": "nothing restricts it"}

observed[name] := input.hosts[name].facts.usb_storage.value if some name in applicable
