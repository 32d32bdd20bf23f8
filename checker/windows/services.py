"""Windows accounts and services: local accounts, remote access, SNMP, event logs and their forwarding, port
mappings, backups and restore tests."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from checker.windows.sources import SOURCES
from checker.windows.values import Unreadable, _ok, _policy_values, _reg_absent, _str, ps_json, text


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
