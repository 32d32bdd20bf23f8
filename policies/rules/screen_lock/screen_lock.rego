# METADATA
# title: 会话超时锁定（屏保锁屏）
# description: |
#   An idle session locks or ends within session_timeout_max_seconds. Terminals with a desktop lock
#   the screen (GNOME/UKUI/DDE lock-enabled with an idle delay; Windows a password-protected screen
#   saver or the inactivity limit) and Windows does not log on automatically; shells (servers, and
#   terminals without a desktop) set TMOUT. The lock bears on LOGIN-LOCKOUT-AND-TIMEOUT; automatic
#   logon (Windows) on LOGIN-AUTH-PER-USER, which only Windows hosts are checked for.
# custom:
#   id: SCREEN-LOCK
#   title_en: Idle sessions lock (screen lock, shell timeout)
#   severity: medium
#   clauses: [LOGIN-LOCKOUT-AND-TIMEOUT, LOGIN-AUTH-PER-USER]
#   applies_to:
#     zh: 服务器和终端（Linux、Windows）
#     en: servers and terminals (Linux, Windows)
#   remediation:
#     zh: 桌面终端设置不超过 10 分钟的屏保锁屏（组策略或 dconf：lock-enabled=true、idle-delay），关闭自动登录；服务器在 /etc/profile.d/ 中设置 readonly TMOUT=600。
#     en: >-
#       Lock desktop screens after at most 10 minutes (group policy, or dconf lock-enabled=true with idle-delay) and turn automatic logon off;
#       set readonly TMOUT=600 in /etc/profile.d/ on servers.
package zicha.rules.screen_lock

import data.zicha.lib.hosts

meta := rego.metadata.chain()

max_s := data.zicha.params.session_timeout_max_seconds

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

bears_on[name] := {"LOGIN-LOCKOUT-AND-TIMEOUT"} if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
}

# the facts read on each platform
reads := {"linux": {"session_lock"}, "windows": {"session_lock", "autologon"}}

needs[name] := hosts.reads(reads, input.hosts[name]) if some name in applicable

tmout_ok(sl) if {
	some t in sl.tmout
	t.seconds > 0
	t.seconds <= max_s
}

desktop_ok(sl) if {
	sl.gnome.lock_enabled == true
	is_number(sl.gnome.idle_delay)
	sl.gnome.idle_delay > 0
	sl.gnome.idle_delay <= max_s
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	sl := input.hosts[name].facts.session_lock.value
	sl.desktop
	not desktop_ok(sl)
	msg := {
		"zh": sprintf("桌面未设置 %d 秒内的锁屏（lock-enabled=%v，idle-delay=%v）", [max_s, sl.gnome.lock_enabled, sl.gnome.idle_delay]),
		"en": sprintf("the desktop does not lock within %d s (lock-enabled=%v, idle-delay=%v)", [max_s, sl.gnome.lock_enabled, sl.gnome.idle_delay]),
		"clauses": ["LOGIN-LOCKOUT-AND-TIMEOUT"],
	}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_linux(input.hosts[name])
	sl := input.hosts[name].facts.session_lock.value
	not sl.desktop
	not tmout_ok(sl)
	msg := {
		"zh": sprintf("未设置 %d 秒内的 shell 会话超时（TMOUT）", [max_s]),
		"en": sprintf("no shell session timeout (TMOUT) of at most %d s", [max_s]),
		"clauses": ["LOGIN-LOCKOUT-AND-TIMEOUT"],
	}
}

violations[name] contains msg if {
	some name in applicable
	hosts.is_windows(input.hosts[name])
	sl := input.hosts[name].facts.session_lock.value
	not win_ok(sl)
	object.get(sl, "users_read", 0) > 0
	msg := {
		"zh": sprintf("未设置 %d 秒内需要密码的屏保锁屏", [max_s]),
		"en": sprintf("no password-protected screen lock within %d s", [max_s]),
		"clauses": ["LOGIN-LOCKOUT-AND-TIMEOUT"],
	}
}

violations[name] contains msg if {
	some name in applicable
	input.hosts[name].facts.autologon.value.enabled
	msg := {"zh": "已开启自动登录（AutoAdminLogon）", "en": "automatic logon (AutoAdminLogon) is on", "clauses": ["LOGIN-AUTH-PER-USER"]}
}

# no desktop user logged on and no machine limit: the users' screen savers could not be read at all
errors[name] contains msg if {
	some name in applicable
	hosts.is_windows(input.hosts[name])
	sl := input.hosts[name].facts.session_lock.value
	not win_ok(sl)
	object.get(sl, "users_read", 0) == 0
	msg := {
		"zh": "未设置计算机不活动限制，且无桌面用户登录，无法读取用户的屏保设置",
		"en": "no machine inactivity limit is set and no desktop user is logged on: the users' screen savers cannot be read",
		"clauses": ["LOGIN-LOCKOUT-AND-TIMEOUT"],
	}
}

win_ok(sl) if {
	sl.screensaver_active == true
	sl.screensaver_secure == true
	is_number(sl.screensaver_timeout_seconds)
	sl.screensaver_timeout_seconds <= max_s
}

win_ok(sl) if {
	is_number(sl.inactivity_timeout_seconds)
	sl.inactivity_timeout_seconds > 0
	sl.inactivity_timeout_seconds <= max_s
}

observed[name] := input.hosts[name].facts.session_lock.value if some name in applicable
