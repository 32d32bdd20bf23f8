"""H3C Comware V5 and V7 switches, routers and SecPath firewalls: `display current-configuration` as facts.

Read from the Comware V5 and V7 command references (fundamentals, security, layer-2, NAT): `local-user NAME
class manage` with `password simple|cipher|hash`, `password-control`, `telnet server enable`, `ssh server
enable`, `ip http enable`, `line vty` (V7) / `user-interface vty` (V5), `snmp-agent community`,
`info-center loghost`, `port link-type`, `port-security`, `ip source binding`, `dhcp snooping`,
`security-zone` / `zone name` / `firewall zone`, `security-policy ip`, `zone-pair security` with
`packet-filter` or `object-policy`, `firewall packet-filter default`, `packet-filter … inbound` on boundary
interfaces, and `nat server` / `nat static`.
Bridge ports without `port link-type` are access ports (Comware's default).

With `password-control enable`, Comware does not show local users' passwords (Security Configuration
Guide, password control: "local user passwords … are not displayed"): a local user with no password line
is then of unknown storage, not a user without a password.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import acl, huawei
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.common import (nat_problems, read_bindings, interface_record, after, keyword_secret, line_account, mac, no_authentication, prefix,
                                    unattached_passwords, unknown_credential, vlan_list)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.tree import Config, Node

PW_KEYWORDS = ("simple", "cipher", "hash")


def _password(text: str) -> tuple[str, str] | None:
    rest = after(text, "password")
    ks = keyword_secret(rest, PW_KEYWORDS) if rest else None
    return (ks[0], ks[1]) if ks else None


def _local_password(cfg: Config, user: Node, judge: Judge, name: str) -> dict[str, Any]:
    """How a local user's password is stored, when the view shows one, and what its absence means."""
    lines = [c for c in user.children if c.text.split()[:1] == ["password"]]
    for c in lines:
        pw = _password(c.text)
        if pw:
            return judge.credential("h3c", f"{pw[0]} {pw[1]}", name)
    if lines:
        return unknown_credential("h3c-unrecognised-password-line", "a password line in a form the parser does "
                                  "not read", lines[0].line)
    none = {"weak": None, "weak_reason": None, "share_key": None}
    if cfg.has(r"^password-control\s+enable"):
        return {**none, "storage": "unknown", "scheme": "h3c-hidden-by-password-control",
                "unverifiable": "with password-control enabled, Comware does not show local users' passwords"}
    if not _version(cfg).startswith("7"):
        # Comware V5 (and SecPath firewalls) may keep local passwords out of the configuration
        return {**none, "storage": "unknown", "scheme": "h3c-no-password-line",
                "unverifiable": "Comware V5 shows no password for this user: it may have none, or hide it"}
    if cfg.has(r"^fips\s+mode\s+enable"):
        return {**none, "storage": "none", "scheme": None}  # FIPS mode refuses a login without password
    # Comware V7 shows every password it keeps: no password line, no password at all
    return {**none, "storage": "plain", "scheme": "h3c-no-password", "weak": True, "weak_reason": "empty"}


def users(cfg: Config, judge: Judge) -> list[dict[str, Any]]:
    found = []
    for n in cfg.walk():
        words = n.text.split()
        if words[:1] != ["local-user"] or len(words) < 2 or words[1] in ("password-display-mode", "auto-delete"):
            continue
        name = words[1]
        cls = words[words.index("class") + 1] if "class" in words and words.index("class") + 1 < len(words) \
            else "manage"
        rec: dict[str, Any] = {"name": name, "kind": "local-user", "class": cls,
                               "privilege": None, "services": [], "storage": "none", "scheme": None,
                               "weak": None, "weak_reason": None, "share_key": None, "line": n.line,
                               "state": "block" if n.has(r"^state\s+block") else "active"}
        rec.update(_local_password(cfg, n, judge, name))
        rec["line"] = n.line
        rec["services"] = [w for st, _ in n.each(r"^service-type\s+(.+)$") for w in st.group(1).split()]
        role = n.child(r"^authorization-attribute\s+(?:user-role\s+(\S+)|level\s+(\d{1,9}))")
        lvl = n.child(r"^level\s+(\d{1,9})")
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
    for _, n in cfg.each(r"^super\s+password\b"):
        rest = after(n.text, "super", "password") or ""
        words = rest.split(None, 2)
        who = "network-admin"
        if words[:1] in (["role"], ["level"]) and len(words) > 1:
            who, rest = words[1], (words[2] if len(words) > 2 else "")
        ks = keyword_secret(rest, PW_KEYWORDS)
        rec = {"name": f"super {who}", "kind": "super", "services": [], "privilege": 15, "line": n.line,
               "state": "active"}
        rec.update(judge.credential("h3c", f"{ks[0]} {ks[1]}", "admin") if ks else
                   unknown_credential("unrecognised-super-password", "a super password in a form the parser does "
                                      "not read", n.line))
        found.append(rec)
    for m, n in cfg.each(r"^(?:line|user-interface)\s+(aux|console|con|vty)\s+(.+)$"):
        name = f"line {m.group(1)} {m.group(2)}"
        for c in n.children:
            rest = after(c.text, "set", "authentication")
            if rest is None:
                continue
            pw = _password(rest)
            rec = line_account(name, line=c.line)
            rec.update(judge.credential("h3c", f"{pw[0]} {pw[1]}", "admin") if pw else
                       unknown_credential("unrecognised-line-password", "a line password in a form the parser "
                                          "does not read", c.line))
            found.append(rec)
        mode = n.child(r"^authentication-mode\s+(\S+)")
        if m.group(1) == "vty" and mode and mode.group(1) == "none":
            found.append(line_account(name, **no_authentication(n.line)))
    found.extend(unattached_passwords(cfg, "account"))
    return found


def password_policy(cfg: Config) -> dict[str, Any]:
    enabled = cfg.has(r"^password-control\s+enable")
    length = cfg.first(r"^password-control\s+length\s+(\d{1,9})")[0]
    comp = cfg.first(r"^password-control\s+composition\s+type-number\s+(\d{1,9})")[0]
    aging = cfg.first(r"^password-control\s+aging\s+(\d{1,9})")[0]
    att = cfg.first(r"^password-control\s+login-attempt\s+(\d{1,9})(?:\s+exceed\s+(lock-time\s+(\d{1,9})|lock|unlock))?")[0]
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
    # each function can be turned off alone: `undo password-control aging enable` and so on
    off = {m.group(1) for m, _ in cfg.each(r"^undo\s+password-control\s+(aging|length|composition)\s+enable")}
    return {
        "enabled": True,
        "min_length": None if "length" in off else (int(length.group(1)) if length else 10),
        "complexity": None if "composition" in off else (int(comp.group(1)) if comp else 1),
        "max_age_days": None if "aging" in off else (int(aging.group(1)) if aging else 90),
        "lockout": lockout,
    }


def management(cfg: Config) -> dict[str, Any]:
    vty = huawei.user_interfaces(cfg, r"^(?:line|user-interface)\s+vty\s+(.+)$", skip_bare=False)
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


def _packet_filter(n: Node) -> str | None:
    """`packet-filter 3000 inbound`, `packet-filter name X inbound` (V7), `firewall packet-filter 3000 inbound`
    (V5 routers)."""
    for c in n.children:
        words = c.text.split()
        if words[:1] == ["firewall"]:
            words = words[1:]
        if words[:1] == ["packet-filter"] and words[-1:] == ["inbound"] and "ipv6" not in words and "mac" not in words:
            body = words[1:-1]
            if body[:1] == ["name"] and len(body) > 1:
                return body[1]
            if body:
                return body[0]
    return None


def interfaces(cfg: Config) -> list[dict[str, Any]]:
    out = []
    global_ps = cfg.has(r"^port-security\s+enable")
    for m, n in cfg.each(r"^interface\s+(\S+)"):
        name = m.group(1)
        lt = n.child(r"^port\s+link-type\s+(\S+)")
        addrs = [prefix(a.group(1), a.group(2)) for a, _ in n.each(r"^ip\s+address\s+(\d\S*)\s+(\S+)")]
        dhcp = n.has(r"^ip\s+address\s+(dhcp-alloc|ppp-negotiate)")
        routed = n.has(r"^port\s+link-mode\s+route") or bool(addrs) or dhcp
        if name.lower().startswith(("vlan-interface", "loopback", "null", "m-gigabitethernet", "tunnel", "dialer",
                                    "virtual-template")):
            mode = "routed" if addrs or dhcp else "virtual"
        elif "." in name:
            mode = "routed" if addrs else "virtual"
        elif lt:
            mode = lt.group(1)
        else:
            mode = "routed" if routed else "access"  # Comware bridge ports are access ports by default
        vlan = n.child(r"^port\s+access\s+vlan\s+(\d{1,9})")
        pmode = n.child(r"^port-security\s+port-mode\s+(\S+)")
        maxm = n.child(r"^port-security\s+max-mac-count\s+(\d{1,9})")
        sticky = [mac(s.group(1)) for s, _ in n.each(r"^port-security\s+mac-address\s+security\s+(?:sticky\s+)?(\S+)")]
        enabled = bool(pmode and pmode.group(1) not in ("noright",)) and global_ps
        out.append({
            **interface_record(n, name, mode, vlan, addrs, dhcp),
            "port_security": {"enabled": enabled, "mode": pmode.group(1) if pmode else None,
                              "max_macs": int(maxm.group(1)) if maxm else None,
                              "sticky": bool(pmode and "autolearn" in pmode.group(1)) or bool(sticky),
                              "macs": [x for x in sticky if x]},
            "ip_source_check": n.has(r"^ip\s+verify\s+source"),
            "dhcp_snooping_trusted": n.has(r"^dhcp\s+snooping\s+trust"),
            "nat_outbound": n.has(r"^nat\s+outbound\b"),
            "nat_static_enabled": n.has(r"^nat\s+static\s+enable") or n.has(r"^nat\s+outbound\s+static"),
            "inbound_filter": _packet_filter(n),
        })
    return out


def bindings(cfg: Config) -> list[dict[str, Any]]:
    return read_bindings(cfg, [
        ("ip-source", r"^ip\s+source\s+binding\s+ip-address\s+(\S+)\s+mac-address\s+(\S+)", (2, 0, 0, 1)),
        ("static-mac", r"^mac-address\s+static\s+(\S+)\s+interface\s+(\S+)\s+vlan\s+(\d{1,9})", (1, 2, 3, 0)),
    ], [
        ("ip-source", r"^ip\s+source\s+binding\s+ip-address\s+(\S+)\s+mac-address\s+(\S+)(?:\s+vlan\s+(\d{1,9}))?",
         (2, 3, 1)),
        ("static-mac", r"^mac-address\s+static\s+(\S+)\s+vlan\s+(\d{1,9})", (1, 2, 0)),
        ("sticky", r"^port-security\s+mac-address\s+security\s+(?:sticky\s+)?(\S+)\s+vlan\s+(\d{1,9})", (1, 2, 0)),
    ])


def dhcp_snooping(cfg: Config) -> dict[str, Any]:
    vlans: list[int] = []
    for m, _ in cfg.each(r"^dhcp\s+snooping\s+enable\s+vlan\s+(.+)$"):
        vlans.extend(vlan_list(m.group(1).split()))
    return {"enabled": cfg.has(r"^dhcp\s+snooping\s+enable"), "vlans": sorted(set(vlans))}


def _object_policies(cfg: Config) -> dict[str, list[dict[str, Any]]]:
    """`object-policy ip NAME` with `rule N pass|drop|inspect [source-ip X] [destination-ip Y] [service Z]`."""
    out: dict[str, list[dict[str, Any]]] = {}
    for m, n in cfg.each(r"^object-policy\s+ip\s+(\S+)"):
        rules = out.setdefault(m.group(1), [])
        for c in n.children:
            words = c.text.split()
            if words[:1] != ["rule"]:
                continue
            i = 2 if len(words) > 1 and words[1].isdigit() else 1
            action = {"pass": "permit", "inspect": "permit", "drop": "deny"}.get(words[i] if i < len(words) else "")
            kv: dict[str, list[str]] = {}
            for k, v in zip(words[i + 1:], words[i + 2:]):
                if k in ("source-ip", "destination-ip", "service", "application"):
                    kv.setdefault(k, []).append(v)
            rules.append({"name": f"{m.group(1)} rule {words[1] if i == 2 else '?'}", "source_zones": [],
                          "destination_zones": [], "source_addresses": kv.get("source-ip", []),
                          "destination_addresses": kv.get("destination-ip", []), "services": kv.get("service", []),
                          "applications": kv.get("application", []), "action": action,
                          "disabled": "disable" in words, "line": c.line})
    return out


def firewall(cfg: Config, ifaces: list[dict[str, Any]], nats: list[dict[str, Any]]) -> dict[str, Any]:
    zones = huawei.zones(cfg, r"^(?:security-zone\s+name|zone\s+name|firewall\s+zone(?:\s+name)?)\s+(\S+)",
                         r"^(?:set\s+)?priority\s+(\d{1,9})")
    legacy = [{"action": m.group(1), "scope": m.group(2).strip(), "line": n.line}
              for m, n in cfg.each(r"^firewall\s+packet-filter\s+default\s+(permit|deny)(.*)$")]
    policies = []
    for _, sp in cfg.each(r"^security-policy\s+ip$"):
        for rm, r in sp.each(r"^rule\s+(?:\d+\s+)?name\s+(\S+)"):
            p = huawei._policy(rm.group(1), r)
            p["action"] = {"pass": "permit", "drop": "deny"}.get(p["action"], p["action"])
            policies.append(p)
    lists = acl.vrp_lists(cfg)
    objects = _object_policies(cfg)
    unread: list[int] = []
    for m, n in cfg.each(r"^zone-pair\s+security\s+source\s+(\S+)\s+destination\s+(\S+)"):
        src, dst = m.group(1), m.group(2)
        pf = n.child(r"^packet-filter\s+(?:name\s+)?(\S+)")
        op = n.child(r"^object-policy\s+apply\s+ip\s+(\S+)")
        if pf and pf.group(1) in lists:
            for e in lists[pf.group(1)].entries:
                p = acl.as_policy(lists[pf.group(1)], e, f"zone-pair {src}->{dst}")
                p.update(source_zones=[src], destination_zones=[dst])
                policies.append(p)
            unread.extend(lists[pf.group(1)].unread)
        if op and op.group(1) in objects:
            for p in objects[op.group(1)]:
                policies.append({**p, "source_zones": [src], "destination_zones": [dst]})
    default = None
    basis = None
    if legacy:
        default = "permit" if any(x["action"] == "permit" for x in legacy) else "deny"
        basis = "firewall packet-filter default"
    elif zones or policies:
        default = "deny"  # Comware V7 drops inter-zone traffic no policy permits
        basis = "security zones"
    out: dict[str, Any] = {"zones": zones, "policies": policies, "default_action": default,
                           "packet_filter_defaults": legacy, "basis": basis, "boundary": [], "unread": unread}
    if basis is None or (basis == "firewall packet-filter default" and not policies):
        marks = acl.boundary_marks(ifaces, nats, "nat outbound", lambda i: i.get("nat_outbound"))
        default_out = acl.default_route_interfaces(
            cfg, ifaces, r"^ip\s+route-static\s+0\.0\.0\.0\s+(?:0\.0\.0\.0|0)\s+(.+)$")
        outside = acl.boundary(ifaces, zones, default_out, marks)
        if outside:
            unmatched = "deny" if cfg.has(r"^packet-filter\s+default\s+deny") else "permit"
            if legacy:  # Comware V5 routers: the packet-filter firewall's own default decides unmatched packets
                unmatched = default
            f = acl.filtered_boundary(outside, {i["name"]: i.get("inbound_filter") for i in ifaces}, lists,
                                      unmatched)
            out.update(policies=f["policies"], unread=f["unread"])
            if not legacy:  # (with a packet-filter default, that default decides; the lists still hold the rules)
                out.update(default_action=f["default_action"], boundary=f["boundary"],
                           basis="inbound packet filters on the boundary interfaces")
    acl.note_undetermined(out, ifaces)
    out["present"] = bool(zones or policies or legacy or any(b["inbound"] for b in out["boundary"]))
    return out


def nat_servers(cfg: Config, ifaces: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """`nat server …` (interface view, or global on V7 SecPath) and static NAT one-to-one: V7 `nat static
    outbound LOCAL GLOBAL` and V5 `nat static LOCAL GLOBAL`, when an interface turns it on (`nat static
    enable`, `nat outbound static`)."""
    out, unread = huawei.nat_servers(cfg, other_static=True)
    static_on = any(i.get("nat_static_enabled") for i in ifaces)
    for n in cfg.roots:
        words = n.text.split()
        if words[:2] != ["nat", "static"]:
            continue
        body = words[3:] if words[2:3] == ["outbound"] else words[2:]
        if words[2:3] in (["enable"], ["inbound"]):
            continue
        if body[:1] == ["net-to-net"]:  # net-to-net START END global NET MASK: a whole subnet mapped
            body = [w for w in body[1:] if w != "global"][:1] + [w for w in body if w != "global"][3:4]
        addrs = [w for w in body if acl._is_ipv4(w)]
        if len(addrs) >= 2 and static_on:
            out.append({"name": None, "zone": None, "protocol": "any", "global_address": addrs[1],
                        "global_port": None, "inside_address": addrs[0], "inside_port": None, "line": n.line,
                        "interface": None})
        elif len(addrs) < 2:
            unread.append(n.line)
    return out, unread


def device(cfg: Config) -> dict[str, Any]:
    v = cfg.first(r"^version\s+(.+)$")[0]
    name = cfg.first(r"^sysname\s+(\S+)")[0]
    return {"hostname": name.group(1) if name else None, "version": v.group(1).strip() if v else None}


MARKERS = (
    ("interfaces", r"^interface\s", lambda v: v),
    ("syslog", r"^info-center\s+loghost\s+(?!source)", lambda v: v["hosts"]),
    ("ntp", r"^(ntp-service|sntp)\s+(unicast-server|server)\s", lambda v: v["servers"]),
    ("firewall", r"^(security-zone\s+name|zone\s+name|firewall\s+zone)\s", lambda v: v["zones"]),
)


def parse(cfg: Config, judge: Judge) -> tuple[dict[str, Any], dict[str, str]]:
    ifaces = interfaces(cfg)
    nats, unread_nat = nat_servers(cfg, ifaces)
    facts = {
        "device": device(cfg),
        "users": users(cfg, judge),
        "password_policy": password_policy(cfg),
        "management": management(cfg),
        "snmp": huawei.snmp(cfg, judge, "h3c"),
        "syslog": {"hosts": huawei.syslog_hosts(cfg)},
        "ntp": {"servers": huawei.ntp_servers(cfg)},
        "interfaces": ifaces,
        "bindings": bindings(cfg),
        "dhcp_snooping": dhcp_snooping(cfg),
        "firewall": firewall(cfg, ifaces, nats),
        "nat_servers": nats,
    }
    return facts, nat_problems(unread_nat, "NAT")
