"""Windows terminals: the outputs zicha_windows_facts.ps1 gathers, normalised into facts.

The module returns each command's own output as text (Windows PowerShell 5.1 `ConvertTo-Json`, `secedit
/export`, `reg query`, `net accounts`), so this normaliser reads exactly the formats an operator sees, and is
tested with recorded outputs in those formats (tests/fixtures/windows): no Windows host can run here.

Format notes: PS 5.1 JSON prints dates as "\\/Date(ms)\\/" and enums as integers; one object is `{…}`, several
`[…]`, none is empty output; files may carry a UTF-8 or UTF-16LE byte-order mark.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from checker.fsio import decode

SOURCES = {
    "mp_status": "Get-MpComputerStatus | ConvertTo-Json",
    "av_products": "Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | ConvertTo-Json",
    "firewall_profiles": "Get-NetFirewallProfile -PolicyStore ActiveStore | Select Name,Enabled,… | ConvertTo-Json",
    "secedit": "secedit /export /areas SECURITYPOLICY",
    "net_accounts": "net accounts",
    "usbstor": r"reg query HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR /v Start",
    "screensaver": r"HKEY_USERS\<desktop users>\[Software\Policies\Microsoft\Windows\]Control Panel\Desktop "
                   r"(ScreenSaveActive, ScreenSaverIsSecure, ScreenSaveTimeOut); HKLM\…\Policies\System /v "
                   "InactivityTimeoutSecs",
    "inactivity": r"reg query HKLM\…\Policies\System /v InactivityTimeoutSecs",
    "autologon": r'reg query "HKLM\…\Winlogon" /v AutoAdminLogon',
    "updates": "Microsoft.Update.Session … Search(\"IsInstalled=0 and Type='Software'\")",
    "listening": "Get-NetTCPConnection -State Listen; Get-NetUDPEndpoint (with Get-Process names) | ConvertTo-Json",
    "routes": "Get-NetRoute -PolicyStore ActiveStore | ConvertTo-Json",
    "adapters": "Get-NetAdapter (Name, Status, MacAddress, NdisPhysicalMedium); Get-NetIPAddress | ConvertTo-Json",
    "route_lookups": "Find-NetRoute -RemoteIPAddress <each zicha_internet_probes address>",
    "probes": "System.Net.Sockets.TcpClient connect to each zicha_internet_probes address (probe_timeout_seconds)",
    "network_config": "Get-NetIPInterface -AddressFamily IPv4 (Dhcp) | ConvertTo-Json",
    "local_users": "[ADSI]\"WinNT://<computer>\" users (UserFlags, PasswordAge, MaxPasswordAge); no logon tried",
    "remote_access": r"HKLM\…\Terminal Server (fDenyTSConnections), …\WinStations\RDP-Tcp (UserAuthentication, "
                     r"SecurityLayer), HKLM\SOFTWARE\Policies\…\Terminal Services; WSMan:\localhost\Service\AllowUnencrypted",
    "snmp": r"Get-Service SNMP; HKLM\SYSTEM\CurrentControlSet\Services\SNMP\Parameters\ValidCommunities and "
            r"HKLM\SOFTWARE\Policies\SNMP\Parameters\ValidCommunities (judged on the host)",
    "event_logs": "Get-WinEvent -ListLog Security, System, Application (LogMode, sizes); the oldest record of each",
    "log_forwarding": r"reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\EventForwarding\SubscriptionManager; "
                      r"Get-Service WinRM, nxlog; %ProgramFiles%\nxlog\conf\nxlog.conf",
    "port_mappings": r"reg query HKLM\SYSTEM\CurrentControlSet\Services\PortProxy /s (netsh interface portproxy); "
                     "Get-NetNatStaticMapping; Get-Service RemoteAccess",
    "backups": "wbadmin get versions [-backupTarget:REPO] (tool wbadmin); Get-ChildItem -Recurse REPO, newest 20 "
               "files (tool files): the repositories of zicha_backup_repos",
    "restore_log": r"C:\ProgramData\zicha\restore-tests.jsonl (zicha_restore_log): restore tests, JSON lines",
    "time_service": "Get-Service W32Time | Select Name,Status,StartType | ConvertTo-Json",
    "w32time": r"reg query HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters; "
               r"reg query HKLM\SOFTWARE\Policies\Microsoft\W32Time\Parameters",
}


class Unreadable(ValueError):
    pass


def text(value: Any) -> str:
    """Command output as text, whatever encoding it arrived in."""
    if isinstance(value, str):
        return value.lstrip("\ufeff")
    if isinstance(value, (bytes, bytearray)):
        return decode(bytes(value))  # by its byte-order mark, else UTF-8, GB18030, Latin-1 (checker.fsio)
    raise Unreadable(f"unexpected output type {type(value).__name__}")


def ps_json(value: Any) -> list[dict[str, Any]]:
    """ConvertTo-Json output as a list of objects (one object, several, or none)."""
    t = text(value).strip()
    if not t:
        return []
    try:
        doc = json.loads(t)
    except ValueError as e:
        raise Unreadable(f"not JSON: {e}") from None
    if isinstance(doc, dict):
        return [doc]
    if isinstance(doc, list):
        return [d for d in doc if isinstance(d, dict)]
    raise Unreadable("JSON is neither an object nor a list")


def ps_date(value: Any) -> str | None:
    """PS 5.1 "\\/Date(1700000000000)\\/" (or {"value": …}) or ISO text → ISO 8601 UTC."""
    if isinstance(value, dict):
        value = value.get("value")
    if not isinstance(value, str):
        return None
    m = re.match(r"^/?\\?/?Date\((-?\d+)(?:[+-]\d{4})?\)\\?/?$", value.strip().strip("/"))
    if m:
        t = dt.datetime.fromtimestamp(int(m.group(1)) / 1000, dt.timezone.utc).replace(microsecond=0)
        return t.isoformat().replace("+00:00", "Z")
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    except ValueError:
        return None


def reg_value(value: Any) -> str | int | None:
    """`reg query … /v Name` → the value (int for REG_DWORD); None when the value does not exist."""
    t = text(value)
    m = re.search(r"^\s+(\S+)\s+(REG_\w+)\s+(.*?)\s*$", t, re.M)
    if not m:
        return None
    kind, data = m.group(2), m.group(3)
    if kind in ("REG_DWORD", "REG_QWORD"):
        return int(data, 16) if data.lower().startswith("0x") else int(data)
    return data


def _ok(raw: dict[str, Any], key: str) -> Any:
    """The output of one command, or Unreadable with the error the module recorded."""
    entry = raw.get(key)
    if entry is None:
        raise Unreadable("not collected")
    if isinstance(entry, dict):
        if entry.get("error") is not None and entry.get("out") in (None, ""):
            raise Unreadable(str(entry["error"]))
        return entry.get("out", "")
    return entry


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


def reg_values(value: Any) -> dict[str, str | int]:
    """Every value of a `reg query KEY` listing (REG_DWORD as int)."""
    out: dict[str, str | int] = {}
    for m in re.finditer(r"^\s+(\S+)\s+(REG_\w+)\s+(.*?)\s*$", text(value), re.M):
        kind, data = m.group(2), m.group(3)
        if kind in ("REG_DWORD", "REG_QWORD"):
            out[m.group(1)] = int(data, 16) if data.lower().startswith("0x") else int(data)
        else:
            out[m.group(1)] = data
    return out


#: what reg.exe says on stderr when the key or value does not exist (en-US, zh-CN)
_REG_NOT_FOUND = ("unable to find the specified registry key or value", "系统找不到指定的注册表项或值")


def _reg_absent(raw: dict[str, Any], key: str) -> bool:
    """reg query answered that the key does not exist (its not-found error, and nothing else printed)."""
    entry = raw.get(key)
    return isinstance(entry, dict) and bool(entry.get("error")) and not entry.get("out") \
        and any(w in str(entry["error"]) for w in _REG_NOT_FOUND)


def _policy_values(raw: dict[str, Any], key: str) -> dict[str, str | int]:
    """A Group Policy key's values; {} where no policy sets the key (reg's not-found error), else Unreadable."""
    return {} if _reg_absent(raw, key) else reg_values(_ok(raw, key))


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


# ---------------------------------------------------------------- network (CLASSIFIED-OFFLINE, STATIC-IP)

#: NDIS_PHYSICAL_MEDIUM values of radios: WirelessLan 1, WirelessWan 8, Native802_11 9, Bluetooth 10, WiMax 12,
#: UWB 13, Irda 16, Native802_15_4 20 (ntddndis.h)
_RADIO_MEDIA = {1: "wlan", 8: "wwan", 9: "wlan", 10: "bluetooth", 12: "wimax", 13: "uwb", 16: "irda", 20: "802.15.4"}
_ORIGIN = {0: "Other", 1: "Manual", 2: "WellKnown", 3: "Dhcp", 4: "RouterAdvertisement"}
_DEFAULT = ("0.0.0.0/0", "::/0")


def _str(row: dict[str, Any], key: str, what: str) -> str:
    v = row.get(key)
    if not isinstance(v, str) or not v:
        raise Unreadable(f"{what}: a row without {key}")
    return v


def routes(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The routes in force as on Linux: dst ("default" for 0.0.0.0/0 and ::/0), gateway (null when on-link),
    dev, family. Multicast, broadcast and link-local routes are left out, as `ip route` leaves them out of main.
    Windows always has routes (loopback, its own subnets): an empty table is no read."""
    rows = ps_json(_ok(raw, "routes"))
    if not rows:
        raise Unreadable("Get-NetRoute listed no route")
    out = []
    for r in rows:
        prefix, family = _str(r, "DestinationPrefix", "Get-NetRoute"), str(r.get("AddressFamily") or "")
        family = {"ipv4": "inet", "2": "inet", "ipv6": "inet6", "23": "inet6"}.get(family.lower())
        if family is None:
            family = "inet6" if ":" in prefix else "inet"
        low = prefix.lower()
        if low.startswith(("224.", "255.255.255.255", "ff00:", "fe80:", "127.", "::1/")):
            continue
        hop = r.get("NextHop")
        gateway = hop if isinstance(hop, str) and hop not in ("0.0.0.0", "::", "") else None
        out.append({"dst": "default" if prefix in _DEFAULT else prefix, "gateway": gateway,
                    "dev": r.get("InterfaceAlias") if isinstance(r.get("InterfaceAlias"), str) else None,
                    "table": "main", "family": family, "type": "unicast"})
    return out


def _mac(value: Any) -> str | None:
    """00-15-5D-0A-01-02 → 00:15:5d:0a:01:02"""
    if not isinstance(value, str):
        return None
    h = re.sub(r"[^0-9A-Fa-f]", "", value)
    return ":".join(h[i:i + 2] for i in range(0, 12, 2)).lower() if len(h) == 12 else None


def _addresses(raw: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Get-NetIPAddress rows by interface alias."""
    out: dict[str, list[dict[str, Any]]] = {}
    for a in ps_json(_ok(raw, "ip_addresses")):
        alias, ip = _str(a, "InterfaceAlias", "Get-NetIPAddress"), _str(a, "IPAddress", "Get-NetIPAddress")
        length = a.get("PrefixLength")
        if not isinstance(length, int) or isinstance(length, bool):
            raise Unreadable("Get-NetIPAddress: a row without PrefixLength")
        origin = a.get("PrefixOrigin")
        origin = _ORIGIN.get(origin, str(origin)) if isinstance(origin, int) else str(origin or "")
        out.setdefault(alias, []).append({"cidr": f"{ip.split('%')[0]}/{length}", "origin": origin})
    return out


def interfaces(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The adapters as Linux's interfaces: up means enabled (Windows' Status is not Disabled or Not Present, as
    Linux's UP flag says the interface is administratively up, cabled or not); wireless for radios (WLAN, WWAN,
    Bluetooth PAN, …) by the NDIS physical medium; addresses of adapters that are connected, but APIPA's
    169.254/16 (no address was assigned); dynamic = the ones DHCP leased (PrefixOrigin Dhcp)."""
    adapters = ps_json(_ok(raw, "adapters"))
    if not adapters:
        raise Unreadable("Get-NetAdapter listed no adapter")
    by_alias = _addresses(raw)
    out = []
    for a in adapters:
        name, status = _str(a, "Name", "Get-NetAdapter"), _str(a, "Status", "Get-NetAdapter")
        medium, media = a.get("NdisPhysicalMedium"), str(a.get("PhysicalMediaType") or "")
        if not isinstance(medium, int) or isinstance(medium, bool):
            raise Unreadable(f"Get-NetAdapter: {name} has no NdisPhysicalMedium")
        radio = _RADIO_MEDIA.get(medium)
        if radio is None and re.search(r"802\.11|wireless|bluetooth", media, re.I):
            radio = "wlan" if "802.11" in media else media.lower()
        addrs = [x for x in by_alias.get(name, []) if not x["cidr"].startswith("169.254.")] \
            if status.lower() == "up" else []
        out.append({
            "name": name, "mac": _mac(a.get("MacAddress")),
            "kind": radio or ("ether" if medium in (0, 14) else media.lower() or "other"),
            "up": status.lower() not in ("disabled", "not present"), "operstate": status.lower(),
            "wireless": radio is not None,
            "addresses": [x["cidr"] for x in addrs],
            "dynamic": [x["cidr"] for x in addrs if x["origin"].lower() == "dhcp" and "." in x["cidr"]],
        })
    return out


def network_config(raw: dict[str, Any]) -> dict[str, Any]:
    """Which enabled adapters take their IPv4 address from DHCP (Get-NetIPInterface Dhcp). The DHCP Client
    service runs on every Windows host (it also registers the host in DNS), so dhcp_clients_running is empty:
    the configuration and the leases (interfaces.dynamic) tell."""
    enabled = {i["name"] for i in interfaces(raw) if i["up"]}
    rows = ps_json(_ok(raw, "ip_interfaces"))
    if not rows:
        raise Unreadable("Get-NetIPInterface listed no interface")
    dhcp, static = [], []
    for r in rows:
        alias, mode = _str(r, "InterfaceAlias", "Get-NetIPInterface"), r.get("Dhcp")
        mode = {0: "disabled", 1: "enabled"}.get(mode, str(mode).lower()) if isinstance(mode, int) else str(mode).lower()
        if mode not in ("enabled", "disabled"):
            raise Unreadable(f"Get-NetIPInterface: {alias} has Dhcp {r.get('Dhcp')!r}")
        if alias not in enabled:
            continue  # loopback, disabled adapters
        entry = {"interface": alias, "source": "Get-NetIPInterface"}
        (dhcp if mode == "enabled" else static).append(entry)
    return {"dhcp": dhcp, "static": static, "dhcp_clients_running": []}


_PROBE_RESULTS = ("connected", "refused", "timeout", "unreachable", "unresolved", "error")


# ---------------------------------------------------------------- Windows 7 / Server 2008 R2 (no NetTCPIP cmdlets)

LEGACY_SOURCES = {
    "routes": "Get-WmiObject Win32_IP4RouteTable (Windows 7: no Get-NetRoute; IPv4 only)",
    "adapters": "Get-WmiObject Win32_NetworkAdapter, Win32_NetworkAdapterConfiguration; root/wmi "
                "MSNdis_PhysicalMediumType (Windows 7: no Get-NetAdapter)",
    "network_config": "Get-WmiObject Win32_NetworkAdapterConfiguration DHCPEnabled (Windows 7)",
    "listening": "netstat -ano; Get-Process (Windows 7: no Get-NetTCPConnection)",
    "firewall_profiles": "HNetCfg.FwPolicy2 FirewallEnabled, DefaultInboundAction (Windows 7: no Get-NetFirewallProfile)",
    "route_lookups": "the route table (Win32_IP4RouteTable), longest prefix then metric (Windows 7: no Find-NetRoute)",
}
#: NetConnectionStatus (Win32_NetworkAdapter): 2 connected; the others are states of a link that is not up
_NET_CONNECTED = 2


def _mask_len(mask: str) -> int:
    import ipaddress

    return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen


def _netstat(text_: str, names: dict[int, str]) -> list[dict[str, Any]]:
    """`netstat -ano` sockets that listen (TCP whose foreign address is 0.0.0.0:0 or [::]:0; every UDP one),
    in Get-NetTCPConnection's row shape. The state column is not read: it is translated on some Windows."""
    rows = []
    for line in text_.splitlines():
        f = line.split()
        if not f or f[0].upper() not in ("TCP", "UDP"):
            continue
        proto = f[0].upper()
        if proto == "TCP" and (len(f) != 5 or f[2] not in ("0.0.0.0:0", "[::]:0")):
            continue
        if proto == "UDP" and len(f) != 4:
            continue
        local, pid = f[1], f[-1]
        if ":" not in local or not pid.isdigit():
            raise Unreadable(f"netstat -ano: a socket line of another shape: {line.strip()[:80]}")
        addr, port = local.rsplit(":", 1)
        addr = addr.strip("[]").split("%")[0]
        if not port.isdigit():
            raise Unreadable(f"netstat -ano: port {port!r}")
        rows.append({"Protocol": proto, "LocalAddress": addr, "LocalPort": int(port), "Process": names.get(int(pid))})
    return rows


def legacy(raw: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """On Windows 7 / Server 2008 R2 the module sends `legacy_net` (WMI, the firewall's COM object, netstat) where
    the NetTCPIP cmdlets failed: translate it into those cmdlets' row shapes, so one normaliser reads both.
    Returns the raw outputs to normalise and the sources that were translated."""
    try:
        listing = text(_ok(raw, "legacy_net")).strip()
    except Unreadable:
        return raw, set()
    if not listing:
        return raw, set()  # Windows 8 / Server 2012 and later: the cmdlets answered
    try:
        doc = json.loads(listing)
    except ValueError as e:
        raise Unreadable(f"legacy network listing is not JSON: {e}") from None
    if not isinstance(doc, dict):
        raise Unreadable("legacy network listing is not an object")

    def rows(key: str) -> list[dict[str, Any]]:
        v = doc.get(key)
        v = [v] if isinstance(v, dict) else v
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            raise Unreadable(f"legacy network listing without {key}")
        return v

    adapters, configs, media = rows("Adapters"), rows("Configs"), rows("Media")
    alias = {a.get("InterfaceIndex"): a.get("NetConnectionID") for a in adapters if a.get("NetConnectionID")}
    medium = {m.get("InstanceName"): m.get("NdisPhysicalMediumType") for m in media}
    own: set[str] = set()
    out = dict(raw)
    a_rows, ip_rows, if_rows = [], [], []
    for a in adapters:
        name = a.get("NetConnectionID")
        if not name:
            continue  # a physical adapter Windows shows no connection for (a miniport without a binding)
        enabled, conn = a.get("NetEnabled"), a.get("NetConnectionStatus")
        status = "Disabled" if enabled is not True else ("Up" if conn == _NET_CONNECTED else "Disconnected")
        m = medium.get(a.get("Name"))
        if not isinstance(m, int) and enabled is not True:
            m = 0  # a disabled adapter's driver is not loaded, so NDIS tells no medium: it is down anyway
        a_rows.append({"Name": name, "InterfaceDescription": a.get("Name"), "Status": status,
                       "MacAddress": a.get("MACAddress"), "PhysicalMediaType": "", "NdisPhysicalMedium": m})
    for c in configs:
        name = alias.get(c.get("InterfaceIndex"))
        if name is None:
            continue
        ips, subnets = c.get("IPAddress") or [], c.get("IPSubnet") or []
        if not isinstance(ips, list) or not isinstance(subnets, list) or len(ips) != len(subnets):
            raise Unreadable(f"Win32_NetworkAdapterConfiguration of {name}: IPAddress and IPSubnet do not pair")
        dhcp = c.get("DHCPEnabled")
        if not isinstance(dhcp, bool):
            raise Unreadable(f"Win32_NetworkAdapterConfiguration of {name}: no DHCPEnabled")
        for ip, sub in zip(ips, subnets):
            v6 = ":" in str(ip)
            length = int(sub) if v6 else _mask_len(str(sub))
            own.add(str(ip))
            ip_rows.append({"InterfaceAlias": name, "IPAddress": str(ip), "PrefixLength": length,
                            "PrefixOrigin": "WellKnown" if v6 and str(ip).lower().startswith("fe80:")
                            else ("Dhcp" if dhcp and not v6 else "Manual"),
                            "AddressFamily": "IPv6" if v6 else "IPv4"})
        if_rows.append({"InterfaceAlias": name, "Dhcp": "Enabled" if dhcp else "Disabled"})
    r_rows = []
    for r in rows("Routes"):
        dest, mask, hop = r.get("Destination"), r.get("Mask"), r.get("NextHop")
        if not all(isinstance(x, str) for x in (dest, mask, hop)):
            raise Unreadable("Win32_IP4RouteTable: a route without Destination, Mask or NextHop")
        r_rows.append({"DestinationPrefix": f"{dest}/{_mask_len(mask)}",
                       "NextHop": "0.0.0.0" if hop in own else hop,  # on-link routes name the host's own address
                       "InterfaceAlias": alias.get(r.get("InterfaceIndex")),
                       "RouteMetric": r.get("Metric1"), "AddressFamily": "IPv4"})
    names = {p.get("Id"): p.get("Name") for p in rows("Processes") if isinstance(p.get("Id"), int)}
    netstat = doc.get("Netstat")
    if not isinstance(netstat, str):
        raise Unreadable("legacy network listing without netstat")
    inbound = {0: 4, 1: 2}  # NET_FW_ACTION block 0 / allow 1 → Get-NetFirewallProfile's Block 4 / Allow 2
    fw_rows = [{"Name": f.get("Name"), "Enabled": 1 if f.get("FirewallEnabled") is True else 0,
                "DefaultInboundAction": inbound.get(f.get("DefaultInboundAction"), f.get("DefaultInboundAction"))}
               for f in rows("Firewall")]
    translated = {"routes": r_rows, "adapters": a_rows, "ip_addresses": ip_rows, "ip_interfaces": if_rows,
                  "listening": _netstat(netstat, names), "firewall_profiles": fw_rows}
    for key, value in translated.items():
        out[key] = {"out": json.dumps(value, ensure_ascii=False)}
    out["_legacy_routes"] = r_rows  # where route_lookups looks the probes up (no Find-NetRoute there)
    return out, {"routes", "adapters", "network_config", "listening", "firewall_profiles", "route_lookups"}


def lookup(table: list[dict[str, Any]], address: str) -> dict[str, Any] | None:
    """The route Windows takes towards an IPv4 address: the longest prefix, then the lowest metric."""
    import ipaddress

    ip = ipaddress.ip_address(address)
    best = None
    for r in table:
        net = ipaddress.ip_network(r["DestinationPrefix"], strict=False)
        if ip.version == net.version and ip in net:
            key = (net.prefixlen, -(r.get("RouteMetric") or 0))
            if best is None or key > best[0]:
                best = (key, r)
    return best[1] if best else None


def route_lookups(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per probe address (both come from the same zicha_internet_probes): a lookup missing for a probe the
    collector tried is no read, never "no route"."""
    out = []
    for r in ps_json(_ok(raw, "route_lookups")):
        target, route = _str(r, "Target", "route lookup"), r.get("Route")
        if route is None and isinstance(r.get("Address"), str) and raw.get("_legacy_routes") is not None:
            # Windows 7: no Find-NetRoute there; the same choice made in the route table read from WMI
            found = lookup(raw["_legacy_routes"], r["Address"])
            r = dict(r, Route=found is not None, **({k: found[k] for k in ("DestinationPrefix", "NextHop",
                                                                          "InterfaceAlias")} if found else {}))
            route = r["Route"]
        if not isinstance(route, bool):
            raise Unreadable(f"route lookup of {target}: no Route")
        detail = f"{r.get('DestinationPrefix')} via {r.get('NextHop')} dev {r.get('InterfaceAlias')}" if route \
            else str(r.get("Detail") or "no route")
        out.append({"target": target, "address": r.get("Address") if isinstance(r.get("Address"), str) else None,
                    "route": route, "detail": detail})
    try:
        tried = sorted(p["target"] for p in probes(raw))
    except Unreadable:
        tried = None  # the probes fact says why
    if tried is not None and sorted(r["target"] for r in out) != tried:
        raise Unreadable(f"route lookups for {sorted(r['target'] for r in out)} but probes of {tried}")
    return out


def probes(raw: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in ps_json(_ok(raw, "probes")):
        target, result = _str(r, "Target", "probe"), r.get("Result")
        if result not in _PROBE_RESULTS:
            raise Unreadable(f"probe of {target}: result {result!r}")
        rec = {"target": target, "result": result, "answered": result in ("connected", "refused"),
               "detail": str(r.get("Detail") or "")}
        if isinstance(r.get("Port"), int) and not isinstance(r.get("Port"), bool):
            rec["port"] = r["Port"]
        if isinstance(r.get("Address"), str):
            rec["address"] = r["Address"]
        if isinstance(r.get("Seconds"), (int, float)) and not isinstance(r.get("Seconds"), bool):
            rec["seconds"] = r["Seconds"]
        out.append(rec)
    return out


# ---------------------------------------------------------------- local accounts (NO-WEAK-PASSWORD, PASSWORD-POLICY)

# ADS_USER_FLAG_ENUM (iads.h)
_UF_ACCOUNTDISABLE, _UF_PASSWD_NOTREQD, _UF_DONT_EXPIRE_PASSWD = 0x2, 0x20, 0x10000


def accounts(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The local accounts in the Linux shape. A disabled account is `locked`; an enabled one has a password `set`
    (whether it is blank or weak cannot be known without a logon attempt, which zicha does not make: `weak` is
    null) unless PASSWD_NOTREQD lets it have none, which is weak (`password_not_required`). max_days is null when
    the password never expires (DONT_EXPIRE_PASSWD, or no maximum age), else the machine's maximum age."""
    rows = ps_json(_ok(raw, "local_users"))
    if not rows:
        raise Unreadable("no local account listed (every Windows has its built-in Administrator)")
    out = []
    for r in rows:
        name, flags = _str(r, "Name", "WinNT users"), r.get("UserFlags")
        if not isinstance(flags, int) or isinstance(flags, bool):
            raise Unreadable(f"WinNT users: {name} has no UserFlags")
        age, cap = _num(r.get("PasswordAgeSeconds")), _num(r.get("MaxPasswordAgeSeconds"))
        enabled = not flags & _UF_ACCOUNTDISABLE
        never = bool(flags & _UF_DONT_EXPIRE_PASSWD) or cap is None or cap <= 0 or cap >= 0xFFFFFFFF
        free = enabled and bool(flags & _UF_PASSWD_NOTREQD)
        rec = {"name": name, "uid": None, "shell": None, "password": "set" if enabled else "locked",
               "scheme": None, "weak": True if free else None,
               "weak_reason": "password_not_required" if free else None,
               "last_change_days_ago": int(age // 86400) if age is not None else None,
               "max_days": None if never else int(cap // 86400), "expired": False}
        set_at = r.get("PasswordLastSet")
        if isinstance(set_at, str) and _SET_AT.fullmatch(set_at):
            rec["password_set_at"] = set_at  # to the 100 ns: NO-SHARED-PASSWORD finds copied account databases
        out.append(rec)
    return out


#: Get-LocalUser's PasswordLastSet in the round-trip form ('o', UTC): seven digits of fraction
_SET_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z")


# ---------------------------------------------------------------- remote access (REMOTE-MGMT-ENCRYPTED)

_SECURITY_LAYER = {0: "rdp", 1: "negotiate", 2: "tls"}


def remote_access(raw: dict[str, Any]) -> dict[str, Any]:
    """Remote Desktop and WinRM as they are in force (Group Policy's values win): RDP enabled or not, whether it
    asks for Network Level Authentication before a session, its security layer (0 RDP's own, 1 negotiate, 2 TLS),
    and whether WinRM accepts unencrypted traffic. Where RDP is enabled, a missing NLA or layer value is no read."""
    docs = ps_json(_ok(raw, "remote_access"))
    if len(docs) != 1:
        raise Unreadable(f"the remote access read gave {len(docs)} records")
    d = docs[0]

    def setting(name: str) -> int | None:
        for key in ("Policy" + name, name):
            v = d.get(key)
            if isinstance(v, int) and not isinstance(v, bool):
                return v
        return None

    deny = setting("DenyTSConnections")
    if deny is None:  # the local value is named fDenyTSConnections
        deny = d.get("fDenyTSConnections")
    if not isinstance(deny, int) or isinstance(deny, bool):
        raise Unreadable("Terminal Server has no fDenyTSConnections")
    enabled = deny == 0
    nla, layer = setting("UserAuthentication"), setting("SecurityLayer")
    if enabled and (nla is None or layer not in _SECURITY_LAYER):
        raise Unreadable("Remote Desktop is enabled but RDP-Tcp has no UserAuthentication or SecurityLayer")
    plain = str(d.get("WinRMAllowUnencrypted") or "").strip().lower()
    if plain not in ("true", "false"):
        raise Unreadable(f"WSMan AllowUnencrypted is {d.get('WinRMAllowUnencrypted')!r}")
    policy = d.get("PolicyAllowUnencryptedTraffic")
    unencrypted = bool(policy) if isinstance(policy, int) and not isinstance(policy, bool) else plain == "true"
    return {"rdp": {"enabled": enabled, "nla": None if nla is None else nla == 1,
                    "security_layer": _SECURITY_LAYER.get(layer) if layer is not None else None},
            "winrm": {"allow_unencrypted": unencrypted}}


# ---------------------------------------------------------------- SNMP (SNMP-NO-DEFAULT-COMMUNITY)

def snmpd(raw: dict[str, Any]) -> dict[str, Any]:
    """The SNMP service and its communities as on Linux (the `snmpd` fact): the collector judged each community on
    the host against the defaults and the weak candidates, and returns only the access and the verdict."""
    docs = ps_json(_ok(raw, "snmp"))
    if len(docs) != 1:
        raise Unreadable(f"the SNMP read gave {len(docs)} records")
    d = docs[0]
    if not isinstance(d.get("Present"), bool) or not isinstance(d.get("Running"), bool):
        raise Unreadable("the SNMP read has no Present/Running")
    rows = d.get("Communities")
    rows = [rows] if isinstance(rows, dict) else rows  # PS 5.1 writes a one-element array as its element
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        raise Unreadable("the SNMP communities are not a list")
    communities = []
    for r in rows:
        if not isinstance(r, dict) or r.get("Access") not in ("read", "write") or not isinstance(r.get("Default"), bool):
            raise Unreadable("an SNMP community row without Access or Default")
        communities.append({"access": r["Access"], "default": r["Default"], "source": str(r.get("Source") or "")})
    return {"present": d["Present"], "running": d["Running"], "communities": communities}


# ---------------------------------------------------------------- event logs (LOG-RETENTION)

EVENT_LOGS = ("Security", "System", "Application")
_FULL = 0.9  # a log this full has begun to overwrite (Circular) or archive (AutoBackup)


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def log_retention(raw: dict[str, Any]) -> dict[str, Any]:
    """The Security, System and Application logs as log stores. AutoBackup (archive the full log, do not
    overwrite) and Retain (never overwrite: new events are refused) keep records without bound. A Circular log
    keeps what fits: its oldest record's age once it is full, else that age projected to the full size at the
    rate so far (age × maximum ÷ size). An empty log, or one without its sizes, keeps an unknown span (null)."""
    rows = {str(r.get("LogName")): r for r in ps_json(_ok(raw, "event_logs"))}
    missing = [n for n in EVENT_LOGS if n not in rows]
    if missing:
        raise Unreadable(f"Get-WinEvent -ListLog did not list {', '.join(missing)}")
    stores = []
    for n in EVENT_LOGS:
        r = rows[n]
        mode = str(r.get("LogMode") or "")
        if mode not in ("Circular", "AutoBackup", "Retain"):
            raise Unreadable(f"event log {n}: LogMode {r.get('LogMode')!r}")
        age, size, cap = _num(r.get("OldestAgeDays")), _num(r.get("FileSize")), _num(r.get("MaximumSizeInBytes"))
        days = None
        if mode == "Circular" and age is not None and size and cap:
            days = round(age if size >= _FULL * cap else age * cap / size, 1)
        enabled = r.get("IsEnabled") is not False
        detail = f"{mode}, {int(cap or 0) // 1048576} MiB max, {int(size or 0) // 1048576} MiB used, oldest record " \
                 f"{'?' if age is None else age} days old" + ("" if enabled else ", disabled")
        stores.append({"name": n, "days": days if enabled else 0, "unbounded": enabled and mode != "Circular",
                       "detail": detail, "source": SOURCES["event_logs"]})
    return {"stores": stores}


# ---------------------------------------------------------------- log forwarding (SYSLOG-CENTRAL)

_NXLOG_NET = ("om_tcp", "om_udp", "om_ssl", "om_udpspoof", "om_syslog")


def _services(raw: dict[str, Any]) -> dict[str, str]:
    out = {}
    for r in ps_json(_ok(raw, "forwarders")):
        out[_str(r, "Name", "Get-Service").lower()] = _str(r, "Status", "Get-Service").lower()
    if "winrm" not in out:  # installed on every Windows since Vista: a list without it is no read
        raise Unreadable("Get-Service did not list WinRM")
    return out


def nxlog_outputs(conf: str) -> list[dict[str, Any]]:
    """The network outputs of an nxlog.conf: <Output> blocks whose Module sends over the network, with their Host
    (`Host a.b.c.d` or `Host a.b.c.d:514`) and Port. Comments and other blocks are skipped."""
    out, block = [], None
    for line in conf.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.match(r"^<(/?)(\w+)\b[^>]*>$", s)
        if m:
            block = None if m.group(1) else ({"kind": m.group(2).lower()} if m.group(2).lower() == "output" else None)
            if block is not None:
                out.append(block)
            continue
        if block is None:
            continue
        words = s.split(None, 1)
        if len(words) == 2:
            block[words[0].lower()] = words[1].strip().strip('"')
    targets = []
    for b in out:
        if b.get("module", "").lower() not in _NXLOG_NET:
            continue
        if not b.get("host"):
            raise Unreadable(f"nxlog.conf: an output by {b['module']} without a Host")
        host, port = b["host"], b.get("port")
        m = re.match(r"^\[(.+)\]:(\d+)$", host) or (re.match(r"^([^:]+):(\d+)$", host))  # [v6]:port, name:port
        if m:
            host, port = m.group(1), m.group(2)
        targets.append({"host": host, "port": int(port) if str(port or "").isdigit() else None,
                        "proto": b["module"].lower()[3:]})
    return targets


def log_forwarding(raw: dict[str, Any]) -> dict[str, Any]:
    """Where the host sends its events, in the Linux shape: each Windows Event Forwarding subscription manager
    (Group Policy's `Server=http://collector:5985/wsman/SubscriptionManager/WEC,Refresh=60`; carried by WinRM)
    and each network output of NXLog, with whether the service that carries it runs."""
    from urllib.parse import urlsplit

    services = _services(raw)
    targets = []
    for value in _policy_values(raw, "wef").values():
        m = re.search(r"(?:^|,)\s*Server\s*=\s*([^,]+)", str(value), re.I)
        host = urlsplit(m.group(1).strip()).hostname if m else None
        if not host:
            raise Unreadable(f"a SubscriptionManager value without a Server URL: {str(value)[:80]!r}")
        targets.append({"host": host, "port": urlsplit(m.group(1).strip()).port, "proto": "wsman", "via": "wef",
                        "running": services.get("winrm") == "running", "source": "EventForwarding\\SubscriptionManager"})
    conf = text(_ok(raw, "nxlog_conf"))
    if "nxlog" in services and not conf.strip():
        raise Unreadable("NXLog is installed but its configuration (nxlog.conf) was not read")
    for t in nxlog_outputs(conf):
        targets.append({**t, "via": "nxlog", "running": services.get("nxlog") == "running", "source": "nxlog.conf"})
    return {"targets": targets}


_PROXY_KEY = re.compile(r"\\PortProxy\\(v[46]tov[46])\\(tcp|udp)\s*$", re.I)
_PROXY_VALUE = re.compile(r"^\s+(\S+)/(\d+)\s+REG_SZ\s+(\S+)/(\d+)\s*$")


def nat_servers(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Port mappings in the devices' shape (protocol, global address and port → inside address and port):
    netsh interface portproxy's (the PortProxy registry key; reg's not-found error where none was ever added) and
    WinNAT's static mappings. RRAS running is no read: its NAT is not read here."""
    out: list[dict[str, Any]] = []
    if not _reg_absent(raw, "port_proxy"):
        kind = None
        listing = text(_ok(raw, "port_proxy"))
        if "\\PORTPROXY" not in listing.upper():  # reg names the key it lists, even one without values
            raise Unreadable("reg query of PortProxy listed no key")
        for line in listing.splitlines():
            if line.upper().startswith("HKEY_"):
                m = _PROXY_KEY.search(line)
                kind = m.groups() if m else None
                continue
            if not line.strip():
                continue
            v = _PROXY_VALUE.match(line)
            if v is None or kind is None:
                raise Unreadable(f"PortProxy: a line of another shape: {line.strip()[:80]}")
            listen, lport, connect, cport = v.groups()
            out.append({"protocol": kind[1].lower(), "global_address": listen, "global_port": int(lport),
                        "inside_address": connect, "inside_port": int(cport), "via": f"portproxy {kind[0].lower()}"})
    docs = ps_json(_ok(raw, "nat_mappings"))
    if len(docs) != 1:
        raise Unreadable("the NAT read gave no record")
    d = docs[0]
    if not isinstance(d.get("NetNatAvailable"), bool) or "RemoteAccess" not in d:
        raise Unreadable("the NAT read has no NetNatAvailable or RemoteAccess")
    if str(d.get("RemoteAccess") or "").lower() in ("running", "4"):
        raise Unreadable("Routing and Remote Access runs here: its NAT is not read (check it by hand)")
    nat = d.get("NetNat")
    for m in ([nat] if isinstance(nat, dict) else nat or []):
        if not isinstance(m, dict) or not isinstance(m.get("InternalIPAddress"), str):
            raise Unreadable("Get-NetNatStaticMapping: a row without InternalIPAddress")
        out.append({"protocol": str(m.get("Protocol") or "any").lower(),
                    "global_address": None if m.get("ExternalIPAddress") in (None, "0.0.0.0", "") else m["ExternalIPAddress"],
                    "global_port": m.get("ExternalPort"), "inside_address": m["InternalIPAddress"],
                    "inside_port": m.get("InternalPort"), "via": "winnat"})
    return out


# wbadmin's version identifier: MM/DD/YYYY-HH:MM in UTC in every locale (the form `wbadmin start recovery
# -version:` takes); the labels around it are translated, so they are not read
WBADMIN_VERSION = re.compile(r"(?<![\d/])(\d{2})/(\d{2})/(\d{4})-(\d{2}):(\d{2})(?![\d:])")


def wbadmin_versions(output: str) -> list[dict[str, str]]:
    """The backup versions `wbadmin get versions` lists, oldest first, each as its UTC time and identifier."""
    seen: dict[str, str] = {}
    for m in WBADMIN_VERSION.finditer(output):
        mo, d, y, hh, mi = (int(g) for g in m.groups())
        try:
            when = dt.datetime(y, mo, d, hh, mi, tzinfo=dt.timezone.utc)
        except ValueError:
            raise Unreadable(f"wbadmin version identifier {m.group(0)} is not a date") from None
        seen[m.group(0)] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [{"time": t, "id": vid} for vid, t in sorted(seen.items(), key=lambda kv: kv[1])]


def backups(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per declared repository, as on Linux: its snapshots (time, id) or why they could not be read.
    A wbadmin listing without any version identifier is an error (no backup, or an answer zicha cannot read:
    wbadmin words "none" differently in every language), never an empty repository."""
    listing = text(_ok(raw, "backups"))
    if not listing.strip():  # the module prints [] when no repository is declared: nothing at all is no read
        raise Unreadable("no output")
    out = []
    for r in ps_json(listing):
        tool, repo = str(r.get("Tool") or ""), r.get("Repo")
        rec: dict[str, Any] = {"tool": tool, "repo": repo if isinstance(repo, str) else None}
        if r.get("Error"):
            rec["error"] = str(r["Error"])[:300]
        elif tool == "wbadmin":
            rec["source"] = "wbadmin get versions" + (f" -backupTarget:{repo}" if repo and repo != "local" else "")
            listing = text(r.get("Output") or "")
            versions = wbadmin_versions(listing)
            if versions:
                rec["snapshots"] = versions
            else:
                last = next((ln.strip() for ln in reversed(listing.splitlines()) if ln.strip()), "no output")
                rec["error"] = (f"wbadmin get versions listed no backup version (exit code {r.get('ExitCode')}): "
                                f"{last[:200]}")
        elif tool == "files":
            rec["source"] = f"Get-ChildItem -Recurse {repo} (the newest 20 files)"
            files = r.get("Files")
            files = [files] if isinstance(files, dict) else files
            if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
                raise Unreadable(f"backup folder {repo}: no file list")
            rec["snapshots"] = [{"time": str(f.get("LastWriteTimeUtc")), "id": str(f.get("Name") or "")[-120:]}
                                for f in files]
        else:
            rec["error"] = f"backup tool {tool!r} is not read on Windows"
        out.append(rec)
    return out


def restore_tests(raw: dict[str, Any]) -> dict[str, Any]:
    """The restore tests recorded on the host (the same JSON-lines records as on Linux)."""
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_backups import restore_records
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError

    docs = ps_json(_ok(raw, "restore_log"))
    if len(docs) != 1 or not isinstance(docs[0].get("Path"), str):
        raise Unreadable("the restore-test record file was not described")
    path, present = docs[0]["Path"], docs[0].get("Present")
    if present is not True:
        return {"file": path, "present": False, "records": []}
    try:
        return restore_records(text(docs[0].get("Text") or ""), path)
    except FactError as e:
        raise Unreadable(str(e)) from None


FACTS = [
    ("antivirus", antivirus, "mp_status"),
    ("host_firewall", host_firewall, "firewall_profiles"),
    ("password_policy", password_policy, "secedit"),
    ("usb_storage", usb_storage, "usbstor"),
    ("session_lock", session_lock, "screensaver"),
    ("autologon", autologon, "autologon"),
    ("updates", updates, "updates"),
    ("audit_policy", audit_policy, "secedit"),
    ("builtin_accounts", accounts_policy, "secedit"),
    ("time_sync", time_sync, "w32time"),
    ("listening", listening, "listening"),
    ("routes", routes, "routes"),
    ("interfaces", interfaces, "adapters"),
    ("network_config", network_config, "network_config"),
    ("route_lookups", route_lookups, "route_lookups"),
    ("probes", probes, "probes"),
    ("log_forwarding", log_forwarding, "log_forwarding"),
    ("log_retention", log_retention, "event_logs"),
    ("snmpd", snmpd, "snmp"),
    ("remote_access", remote_access, "remote_access"),
    ("accounts", accounts, "local_users"),
    ("nat_servers", nat_servers, "port_mappings"),
    ("backups", backups, "backups"),
    ("restore_tests", restore_tests, "restore_log"),
]


def facts(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    try:
        raw, translated = legacy(raw)
    except (Unreadable, ValueError, KeyError, TypeError) as e:
        translated, why = set(), f"unreadable: Windows 7 network listing: {e}"
        raw = dict(raw, **{k: {"out": "", "error": why} for k in ("routes", "adapters", "ip_addresses",
                                                                  "ip_interfaces", "listening", "firewall_profiles")})
    for key, fn, src in FACTS:
        source = LEGACY_SOURCES[src] if src in translated else SOURCES[src]
        try:
            out[key] = {"source": source, "value": fn(raw)}
        except (Unreadable, ValueError, KeyError, TypeError) as e:
            out[key] = {"source": source, "error": f"unreadable: {e}"}
    return out
