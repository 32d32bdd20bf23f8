"""H3C Comware V5 and V7 switches and SecPath firewalls: `display current-configuration` as facts.

Read from the Comware V7 command references (fundamentals, security, layer-2): `local-user NAME class
manage` with `password simple|cipher|hash`, `password-control`, `telnet server enable`, `ssh server
enable`, `ip http enable`, `line vty` (V7) / `user-interface vty` (V5), `snmp-agent community`,
`info-center loghost`, `port link-type`, `port-security`, `ip source binding`, `dhcp snooping`,
`security-zone` / `zone name`, `firewall packet-filter default`, and `nat server`.
Bridge ports without `port link-type` are access ports (Comware's default).
"""

from __future__ import annotations

from typing import Any

from checker.devices import huawei
from checker.devices.common import SECRET, mac, prefix, vlan_list
from checker.devices.credentials import Judge
from checker.devices.tree import Config, Node

PW = rf"password\s+(simple|cipher|hash)\s+{SECRET}"


def _local_password(cfg: Config, user: Node, judge: Judge, name: str) -> dict[str, Any]:
    """How a local user's password is stored, when the view shows one, and what its absence means."""
    pm = user.child(rf"^{PW}")
    if pm:
        return judge.credential("h3c", f"{pm.group(1)} {pm.group(2)}", name)
    none = {"weak": None, "weak_reason": None, "share_key": None}
    if user.has(r"^password(\s|$)"):
        return {**none, "storage": "unknown", "scheme": "h3c-unrecognised-password-line",
                "unverifiable": "a password line in a form the parser does not read"}
    if cfg.has(r"^password-control\s+enable") and not _version(cfg).startswith("7"):
        # Comware V5 keeps local passwords out of the configuration once password-control is on
        return {**none, "storage": "unknown", "scheme": "h3c-hidden-by-password-control",
                "unverifiable": "Comware V5 with password-control does not show local passwords"}
    if cfg.has(r"^fips\s+mode\s+enable"):
        return {**none, "storage": "none", "scheme": None}  # FIPS mode refuses a login without password
    # no password line: Comware lets the user log in with no password at all
    return {**none, "storage": "plain", "scheme": "h3c-no-password", "weak": True, "weak_reason": "empty"}


def users(cfg: Config, judge: Judge) -> list[dict[str, Any]]:
    found = []
    for m, n in cfg.each(r"^local-user\s+(\S+)(?:\s+class\s+(\S+))?"):
        name = m.group(1)
        rec: dict[str, Any] = {"name": name, "kind": "local-user", "class": m.group(2) or "manage",
                               "privilege": None, "services": [], "storage": "none", "scheme": None,
                               "weak": None, "weak_reason": None, "share_key": None, "line": n.line,
                               "state": "block" if n.has(r"^state\s+block") else "active"}
        rec.update(_local_password(cfg, n, judge, name))
        rec["services"] = [w for st, _ in n.each(r"^service-type\s+(.+)$") for w in st.group(1).split()]
        role = n.child(r"^authorization-attribute\s+(?:user-role\s+(\S+)|level\s+(\d+))")
        lvl = n.child(r"^level\s+(\d+)")
        if role and role.group(1):
            rec["privilege"] = 15 if role.group(1) in ("network-admin", "level-15") else 1
            rec["role"] = role.group(1)
        elif role and role.group(2):
            rec["privilege"] = int(role.group(2))
        elif lvl:
            rec["privilege"] = int(lvl.group(1))
        if rec["class"] == "network" and not rec["services"]:
            continue  # network-access users (802.1X, portal) are not device logins
        found.append(rec)
    for m, n in cfg.each(rf"^super\s+password(?:\s+(?:role\s+(\S+)|level\s+(\d+)))?\s+(simple|cipher|hash)\s+{SECRET}"):
        rec = {"name": f"super {m.group(1) or m.group(2) or 'network-admin'}", "kind": "super", "services": [],
               "privilege": 15, "line": n.line, "state": "active"}
        rec.update(judge.credential("h3c", f"{m.group(3)} {m.group(4)}", "admin"))
        found.append(rec)
    for m, n in cfg.each(r"^(?:line|user-interface)\s+(aux|console|con|vty)\s+(.+)$"):
        pm = n.child(rf"^set\s+authentication\s+{PW}")
        if pm:
            rec = {"name": f"line {m.group(1)} {m.group(2)}", "kind": "line", "services": [], "privilege": None,
                   "line": n.line, "state": "active"}
            rec.update(judge.credential("h3c", f"{pm.group(1)} {pm.group(2)}", "admin"))
            found.append(rec)
    return found


def password_policy(cfg: Config) -> dict[str, Any]:
    enabled = cfg.has(r"^password-control\s+enable")
    length = cfg.first(r"^password-control\s+length\s+(\d+)")[0]
    comp = cfg.first(r"^password-control\s+composition\s+type-number\s+(\d+)")[0]
    aging = cfg.first(r"^password-control\s+aging\s+(\d+)")[0]
    att = cfg.first(r"^password-control\s+login-attempt\s+(\d+)(?:\s+exceed\s+(lock-time\s+(\d+)|lock|unlock))?")[0]
    if not enabled:
        return {"enabled": False, "min_length": None, "complexity": None, "max_age_days": None,
                "lockout": {"attempts": None, "lock_minutes": None}}
    # Comware V7 defaults once password-control is enabled (Security Configuration Guide)
    if att is None:
        lockout = {"attempts": 3, "lock_minutes": 1}
    elif att.group(2) == "unlock":
        lockout = {"attempts": None, "lock_minutes": None}  # `exceed unlock`: the account is never locked
    elif att.group(3):
        lockout = {"attempts": int(att.group(1)), "lock_minutes": int(att.group(3))}
    elif att.group(2) == "lock":
        lockout = {"attempts": int(att.group(1)), "lock_minutes": 0}  # locked until an administrator unlocks
    else:
        lockout = {"attempts": int(att.group(1)), "lock_minutes": None}
    return {
        "enabled": True,
        "min_length": int(length.group(1)) if length else 10,
        "complexity": int(comp.group(1)) if comp else 1,
        "max_age_days": int(aging.group(1)) if aging else 90,
        "lockout": lockout,
    }


def management(cfg: Config) -> dict[str, Any]:
    vty = []
    for m, n in cfg.each(r"^(?:line|user-interface)\s+vty\s+(.+)$"):
        proto = n.child(r"^protocol\s+inbound\s+(\S+)")
        auth = n.child(r"^authentication-mode\s+(\S+)")
        protocols = {"all": ["ssh", "telnet"], "ssh": ["ssh"], "telnet": ["telnet"]}.get(
            proto.group(1) if proto else "all", ["ssh", "telnet"])
        vty.append({"lines": m.group(1), "protocols": protocols, "auth": auth.group(1) if auth else None,
                    "protocol_stated": proto is not None, "line": n.line})
    v7 = _version(cfg).startswith("7")
    telnet = cfg.has(r"^telnet\s+server\s+enable")
    if not v7 and not cfg.has(r"^undo\s+telnet\s+server\s+enable"):
        telnet = telnet or any("telnet" in v["protocols"] for v in vty)  # V5: the Telnet server is on by default
    # V5 serves HTTP unless told not to; V7 only when told to
    http = not cfg.has(r"^undo\s+ip\s+http\s+enable") and (not v7 or cfg.has(r"^ip\s+http\s+enable"))
    https = cfg.has(r"^ip\s+https\s+enable")
    return {"telnet": telnet, "ssh": cfg.has(r"^ssh\s+server\s+enable"), "http": http, "https": https,
            "vty": vty, "service_manage": []}


def _version(cfg: Config) -> str:
    m = cfg.first(r"^version\s+(\d[\d.]*)")[0]
    return m.group(1) if m else ""


def interfaces(cfg: Config) -> list[dict[str, Any]]:
    out = []
    global_ps = cfg.has(r"^port-security\s+enable")
    for m, n in cfg.each(r"^interface\s+(\S+)$"):
        name = m.group(1)
        lt = n.child(r"^port\s+link-type\s+(\S+)")
        addrs = [prefix(a.group(1), a.group(2)) for a, _ in n.each(r"^ip\s+address\s+(\S+)\s+(\S+)")]
        routed = n.has(r"^port\s+link-mode\s+route") or bool(addrs)
        if name.lower().startswith(("vlan-interface", "loopback", "null", "m-gigabitethernet", "tunnel")):
            mode = "routed" if addrs else "virtual"
        elif lt:
            mode = lt.group(1)
        else:
            mode = "routed" if routed else "access"  # Comware bridge ports are access ports by default
        vlan = n.child(r"^port\s+access\s+vlan\s+(\d+)")
        pmode = n.child(r"^port-security\s+port-mode\s+(\S+)")
        maxm = n.child(r"^port-security\s+max-mac-count\s+(\d+)")
        sticky = [mac(s.group(1)) for s, _ in n.each(r"^port-security\s+mac-address\s+security\s+(?:sticky\s+)?(\S+)")]
        enabled = bool(pmode and pmode.group(1) not in ("noright",)) and global_ps
        out.append({
            "name": name,
            "description": (n.child(r"^description\s+(.+)$") or [None, None])[1],
            "mode": mode,
            "vlan": int(vlan.group(1)) if vlan else (1 if mode == "access" else None),
            "shutdown": n.has(r"^shutdown$"),
            "addresses": [a for a in addrs if a],
            "port_security": {"enabled": enabled, "mode": pmode.group(1) if pmode else None,
                              "max_macs": int(maxm.group(1)) if maxm else None,
                              "sticky": bool(pmode and "autolearn" in pmode.group(1)) or bool(sticky),
                              "macs": [x for x in sticky if x]},
            "ip_source_check": n.has(r"^ip\s+verify\s+source"),
            "dhcp_snooping_trusted": n.has(r"^dhcp\s+snooping\s+trust"),
            "line": n.line,
        })
    return out


def bindings(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^interface\s+(\S+)$"):
        for b, c in n.each(r"^ip\s+source\s+binding\s+ip-address\s+(\S+)\s+mac-address\s+(\S+)(?:\s+vlan\s+(\d+))?"):
            out.append({"kind": "ip-source", "ip": b.group(1), "mac": mac(b.group(2)), "interface": m.group(1),
                        "vlan": int(b.group(3)) if b.group(3) else None, "line": c.line})
        for b, c in n.each(r"^mac-address\s+static\s+(\S+)\s+vlan\s+(\d+)"):
            out.append({"kind": "static-mac", "ip": None, "mac": mac(b.group(1)), "interface": m.group(1),
                        "vlan": int(b.group(2)), "line": c.line})
        for b, c in n.each(r"^port-security\s+mac-address\s+security\s+(?:sticky\s+)?(\S+)\s+vlan\s+(\d+)"):
            out.append({"kind": "sticky", "ip": None, "mac": mac(b.group(1)), "interface": m.group(1),
                        "vlan": int(b.group(2)), "line": c.line})
    for b, c in cfg.each(r"^ip\s+source\s+binding\s+ip-address\s+(\S+)\s+mac-address\s+(\S+)"):
        out.append({"kind": "ip-source", "ip": b.group(1), "mac": mac(b.group(2)), "interface": None,
                    "vlan": None, "line": c.line})
    for b, c in cfg.each(r"^mac-address\s+static\s+(\S+)\s+interface\s+(\S+)\s+vlan\s+(\d+)"):
        out.append({"kind": "static-mac", "ip": None, "mac": mac(b.group(1)), "interface": b.group(2),
                    "vlan": int(b.group(3)), "line": c.line})
    return out


def dhcp_snooping(cfg: Config) -> dict[str, Any]:
    vlans: list[int] = []
    for m, _ in cfg.each(r"^dhcp\s+snooping\s+enable\s+vlan\s+(.+)$"):
        vlans.extend(vlan_list(m.group(1).split()))
    return {"enabled": cfg.has(r"^dhcp\s+snooping\s+enable"), "vlans": sorted(set(vlans))}


def firewall(cfg: Config) -> dict[str, Any]:
    zones = []
    for m, n in cfg.each(r"^(?:security-zone\s+name|zone\s+name|firewall\s+zone(?:\s+name)?)\s+(\S+)"):
        n = cfg.flat_block(n)
        pr = n.child(r"^(?:set\s+)?priority\s+(\d+)")
        zones.append({"name": m.group(1), "priority": int(pr.group(1)) if pr else None,
                      "interfaces": [a.group(1) for a, _ in n.each(r"^(?:import|add)\s+interface\s+(\S+)")]})
    legacy = [{"action": m.group(1), "scope": m.group(2).strip(), "line": n.line}
              for m, n in cfg.each(r"^firewall\s+packet-filter\s+default\s+(permit|deny)(.*)$")]
    policies = []
    for _, sp in cfg.each(r"^security-policy\s+ip$"):
        for rm, r in sp.each(r"^rule\s+(?:\d+\s+)?name\s+(\S+)"):
            p = huawei._policy(rm.group(1), r)
            p["action"] = {"pass": "permit", "drop": "deny"}.get(p["action"], p["action"])
            policies.append(p)
    default = None
    if legacy:
        default = "permit" if any(x["action"] == "permit" for x in legacy) else "deny"
    elif zones or policies:
        default = "deny"  # Comware V7 drops inter-zone traffic no policy permits
    return {"zones": zones, "policies": policies, "default_action": default, "packet_filter_defaults": legacy,
            "present": bool(zones or policies or legacy)}


def device(cfg: Config) -> dict[str, Any]:
    v = cfg.first(r"^version\s+(.+)$")[0]
    name = cfg.first(r"^sysname\s+(\S+)")[0]
    return {"hostname": name.group(1) if name else None, "version": v.group(1).strip() if v else None}


def parse(cfg: Config, judge: Judge) -> dict[str, Any]:
    return {
        "device": device(cfg),
        "users": users(cfg, judge),
        "password_policy": password_policy(cfg),
        "management": management(cfg),
        "snmp": huawei.snmp(cfg, judge, "h3c"),
        "syslog": {"hosts": huawei.syslog_hosts(cfg)},
        "ntp": {"servers": huawei.ntp_servers(cfg)},
        "interfaces": interfaces(cfg),
        "bindings": bindings(cfg),
        "dhcp_snooping": dhcp_snooping(cfg),
        "firewall": firewall(cfg),
        "nat_servers": huawei.nat_servers(cfg),
    }
