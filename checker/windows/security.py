"""Host protection on Windows: antivirus, firewall, account and audit policy, USB storage, screen lock, updates,
time, listening sockets."""

from __future__ import annotations

from typing import Any

from checker.windows.sources import SOURCES
from checker.windows.values import Unreadable, _ok, _policy_values, ps_date, ps_json, reg_value, reg_values, text


def antivirus(raw: dict[str, Any]) -> dict[str, Any]:
    products = []
    try:
        mp = ps_json(_ok(raw, "mp_status"))
    except Unreadable:
        mp = []
    for s in mp:
        if not isinstance(s.get("AntivirusEnabled"), bool) or not isinstance(s.get("RealTimeProtectionEnabled"), bool):
            raise Unreadable("Get-MpComputerStatus: a record without AntivirusEnabled/RealTimeProtectionEnabled")
        products.append({
            "product": "Microsoft Defender Antivirus",
            "enabled": bool(s.get("AntivirusEnabled")) and bool(s.get("RealTimeProtectionEnabled")),
            "realtime": bool(s.get("RealTimeProtectionEnabled")),
            "signatures_updated_at": ps_date(s.get("AntivirusSignatureLastUpdated")),
            "signature_age_days": s.get("AntivirusSignatureAge"),
            "signatures_up_to_date": None if s.get("DefenderSignaturesOutOfDate") is None
            else not s.get("DefenderSignaturesOutOfDate"),
            "source": SOURCES["mp_status"],
        })
    for p in ps_json(_ok(raw, "av_products")):
        if not isinstance(p.get("displayName"), str) or not isinstance(p.get("productState"), int):
            raise Unreadable("SecurityCenter2 AntiVirusProduct: a record without displayName/productState")
        name = p.get("displayName") or "unknown"
        if name == "Windows Defender" and products:
            continue  # the same product, better described by Get-MpComputerStatus
        state = p.get("productState")
        if not isinstance(state, int):
            continue
        # productState, as community tools decode it (no Microsoft documentation): 0xAABBCC,
        # BB bit 0x10 = scanner on, CC = 0x00 signatures up to date / 0x10 out of date
        # Products other than Defender (360, 火绒 Huorong, 金山 Kingsoft, 瑞星 Rising, 奇安信天擎 …) tell Windows
        # Security Center only that flag, never a date: "out of date" is believed, "up to date" is the product's
        # own word, so the rule says the date could not be read (error, naming the product), never pass
        current = (state & 0xFF) == 0
        rec = {
            "product": name,
            "enabled": bool((state >> 8) & 0x10),
            "realtime": bool((state >> 8) & 0x10),
            "signatures_updated_at": None,
            "signature_age_days": None,
            "signatures_up_to_date": None if current else False,
            "source": SOURCES["av_products"],
        }
        if current:
            rec["signatures_error"] = ("Windows Security Center has only the product's own up-to-date flag "
                                       f"(productState 0x{state:06x}), no signature date: check its virus "
                                       "library date by hand")
        products.append(rec)
    return {"products": products}


_ACTION = {0: "not_configured", 2: "allow", 4: "block"}


def host_firewall(raw: dict[str, Any]) -> dict[str, Any]:
    profiles = []
    for p in ps_json(_ok(raw, "firewall_profiles")):
        if not isinstance(p.get("Name"), str) or p.get("Enabled") not in (0, 1, 2, True, False) \
                or p.get("DefaultInboundAction") not in _ACTION:
            raise Unreadable("Get-NetFirewallProfile: a record without Name, Enabled or DefaultInboundAction")
        inbound = _ACTION.get(p.get("DefaultInboundAction"), str(p.get("DefaultInboundAction")))
        # GpoBoolean: 1 True, 0 False, 2 NotConfigured (enabled by default); inbound NotConfigured = Block
        enabled = p.get("Enabled") in (1, 2, True)
        profiles.append({"name": p.get("Name"), "enabled": enabled,
                         "inbound": "block" if inbound == "not_configured" else inbound})
    if not profiles:
        raise Unreadable("no firewall profile reported")
    drop = all(p["enabled"] and p["inbound"] == "block" for p in profiles)
    return {"profiles": profiles, "input_default": "drop" if drop else "accept"}


def _secedit(raw: dict[str, Any]) -> dict[str, str]:
    out = _secedit_section(raw, "System Access")
    if not out:
        raise Unreadable("secedit export has no [System Access] section")
    return out


_NET_ACCOUNTS = {
    # English and Chinese (zh-CN) labels of `net accounts`
    "min_length": ("Minimum password length", "密码长度最小值"),
    "max_age_days": ("Maximum password age (days)", "密码最长使用期限(天)"),
    "lockout_threshold": ("Lockout threshold", "锁定阈值"),
    "lockout_minutes": ("Lockout duration (minutes)", "锁定持续时间(分)"),
}


def _secedit_section(raw: dict[str, Any], name: str) -> dict[str, str]:
    out, section = {}, None
    for line in text(_ok(raw, "secedit")).splitlines():
        s = line.strip()
        if s.startswith("["):
            section = s.strip("[]")
            continue
        if section == name and "=" in s:
            k, v = s.split("=", 1)
            out[k.strip()] = v.strip().strip('"')
    return out


_AUDIT = {0: "none", 1: "success", 2: "failure", 3: "success_failure"}


def audit_policy(raw: dict[str, Any]) -> dict[str, Any]:
    """secedit's [Event Audit]: what the legacy audit policy records (0 none, 1 success, 2 failure, 3 both)."""
    sect = _secedit_section(raw, "Event Audit")
    if not sect:
        raise Unreadable("secedit export has no [Event Audit] section")
    return {"categories": {k: _AUDIT.get(int(v), v) for k, v in sect.items() if v.strip().lstrip("-").isdigit()}}


def accounts_policy(raw: dict[str, Any]) -> dict[str, Any]:
    """The built-in accounts as secedit reports them (renamed? enabled?)."""
    sa = _secedit(raw)
    missing = [k for k in ("EnableAdminAccount", "EnableGuestAccount") if k not in sa]
    if missing:  # an absent setting says nothing: not "disabled"
        raise Unreadable(f"secedit [System Access] has no {', '.join(missing)}")
    return {"administrator_name": sa.get("NewAdministratorName"), "guest_name": sa.get("NewGuestName"),
            "administrator_enabled": sa["EnableAdminAccount"] == "1", "guest_enabled": sa["EnableGuestAccount"] == "1"}


def _net_accounts(raw: dict[str, Any]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for line in text(_ok(raw, "net_accounts")).splitlines():
        if ":" not in line:
            continue
        label, value = [x.strip() for x in line.split(":", 1)]
        for key, labels in _NET_ACCOUNTS.items():
            if label in labels:
                out[key] = int(value) if value.isdigit() else None  # Never / 从不 / Unlimited / 无限制
    return out


def password_policy(raw: dict[str, Any]) -> dict[str, Any]:
    try:
        sa = _secedit(raw)
        length, complexity = int(sa.get("MinimumPasswordLength", 0)), int(sa.get("PasswordComplexity", 0))
        if "MaximumPasswordAge" not in sa:  # Windows' default (42) would be a guess in the compliant direction
            raise Unreadable("secedit [System Access] has no MaximumPasswordAge")
        max_age = int(sa["MaximumPasswordAge"])
        attempts = int(sa.get("LockoutBadCount", 0))
        duration = int(sa["LockoutDuration"]) if "LockoutDuration" in sa else None
        source = "secedit"
    except Unreadable:
        na = _net_accounts(raw)
        if "min_length" not in na:
            raise
        length, complexity = na["min_length"] or 0, None
        max_age, attempts, duration = na.get("max_age_days"), na.get("lockout_threshold") or 0, na.get("lockout_minutes")
        source = "net accounts"
    return {"min_length": length, "complexity": 3 if complexity == 1 else (1 if complexity == 0 else None),
            "max_age_days": max_age if max_age not in (None, -1, 0) else None,
            "lockout": {"attempts": attempts or None, "lock_minutes": duration if attempts else None},
            "source": source}


def usb_storage(raw: dict[str, Any]) -> dict[str, Any]:
    start = reg_value(_ok(raw, "usbstor"))
    if start is None:
        raise Unreadable(r"HKLM\…\USBSTOR\Start not found")
    return {"usbstor_start": start, "blocked": start == 4}


def session_lock(raw: dict[str, Any]) -> dict[str, Any]:
    """The screen lock: the machine's inactivity limit, and the screen saver of every desktop user whose hive was
    loaded (all of them must lock; with none logged on, only the inactivity limit can be known)."""
    users = ps_json(_ok(raw, "screensaver"))
    inactivity = None
    try:
        inactivity = reg_value(_ok(raw, "inactivity"))
    except Unreadable:
        pass  # reg's "the value does not exist": no limit set

    def num(v: Any) -> int | None:
        try:
            return int(v)
        except (TypeError, ValueError):
            return None

    timeouts = [num(u.get("ScreenSaveTimeOut")) for u in users]
    return {"users_read": len(users),
            "screensaver_active": all(num(u.get("ScreenSaveActive")) == 1 for u in users) if users else None,
            "screensaver_secure": all(num(u.get("ScreenSaverIsSecure")) == 1 for u in users) if users else None,
            "screensaver_timeout_seconds": max(timeouts) if users and None not in timeouts else None,
            "inactivity_timeout_seconds": num(inactivity)}


def autologon(raw: dict[str, Any]) -> dict[str, Any]:
    v = reg_value(_ok(raw, "autologon"))
    return {"enabled": str(v).strip() == "1"}


def updates(raw: dict[str, Any]) -> dict[str, Any]:
    items = ps_json(_ok(raw, "updates"))
    security = [u.get("Title") or "" for u in items if (u.get("MsrcSeverity") or "") in ("Critical", "Important",
                                                                                     "Moderate", "Low")]
    return {"manager": "windows-update", "pending": len(items), "security": security, "lists_age_days": None}


def time_sync(raw: dict[str, Any]) -> dict[str, Any]:
    """The Windows Time service as chrony or ntpd are read on Linux: the daemon that runs (w32time, unless its
    type is NoSync) and the servers it is given (NtpServer without its flags; a domain member in NT5DS mode
    follows the domain hierarchy). Group Policy's Type and NtpServer win over the local ones. Whether the clock
    is synchronised now is not read (w32tm /query /status is worded in the display language): null."""
    services = ps_json(_ok(raw, "time_service"))
    if len(services) != 1:
        raise Unreadable(f"Get-Service W32Time returned {len(services)} services")
    status = services[0].get("Status")
    running = status == 4 or str(status).lower() == "running"
    local = reg_values(_ok(raw, "w32time"))
    if "Type" not in local:
        raise Unreadable(r"HKLM\…\W32Time\Parameters has no Type value")
    params = {**local, **_policy_values(raw, "w32time_policy")}
    kind = str(params.get("Type", "")).strip()
    servers: list[str] = []
    if kind.upper() in ("NTP", "ALLSYNC"):
        servers = [w.split(",")[0] for w in str(params.get("NtpServer") or "").split() if w.split(",")[0]]
    if kind.upper() in ("NT5DS", "ALLSYNC"):
        servers.append("(domain hierarchy)")
    return {"daemons": ["w32time"] if running and kind.upper() != "NOSYNC" else [], "servers": servers,
            "synchronized": None}


def listening(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Listening TCP sockets and bound UDP endpoints as on Linux: proto (tcp/udp, tcp6/udp6 for IPv6 addresses),
    address, port, the owning process's name. A Windows host always listens somewhere: an empty list is no read."""
    rows = ps_json(_ok(raw, "listening"))
    if not rows:
        raise Unreadable("no socket listed (Get-NetTCPConnection and Get-NetUDPEndpoint gave nothing)")
    out, seen = [], set()
    for r in rows:
        proto, addr, port = str(r.get("Protocol") or "").lower(), r.get("LocalAddress"), r.get("LocalPort")
        if proto not in ("tcp", "udp") or not isinstance(addr, str) or not isinstance(port, int) \
                or isinstance(port, bool) or not 0 <= port <= 65535:
            raise Unreadable(f"a socket row of another shape: {sorted(r)}")
        proto += "6" if ":" in addr else ""
        if (proto, addr, port) in seen:
            continue
        seen.add((proto, addr, port))
        process = r.get("Process")
        out.append({"proto": proto, "address": addr, "port": port,
                    "process": process if isinstance(process, str) else None})
    return sorted(out, key=lambda s: (s["port"], s["proto"], s["address"]))
