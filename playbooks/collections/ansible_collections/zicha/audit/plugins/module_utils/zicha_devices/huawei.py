"""Huawei VRP switches and routers and USG firewalls: `display current-configuration` as facts.

Read from the VRP command references (S-series V200R, AR routers, CE VRP8, USG6000 V500R/V600R): `aaa` /
`local-user`, `local-aaa-user wrong-password`, `manager-user` and `lock-authentication` (USG), `user-interface
vty`, `telnet server enable`, `stelnet server enable`, `snmp-agent community`, `info-center loghost`,
`interface … port-security …`, `user-bind static`, `mac-address static`, `dhcp snooping`, `firewall zone …
add interface`, `security-policy` / `rule name`, `acl` with `traffic-filter inbound` on boundary interfaces,
`nat server` and `nat static`, `web-manager` and `service-manage`.

Every line that carries a credential becomes an account, read or not: a form not read here is an account
of unknown storage (the rules say error), never a line skipped.
"""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import acl
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.common import (nat_problems, read_bindings, interface_record, after, keyword_secret, line_account, mac, no_authentication, num, port,
                                    prefix, split_secret, unattached_password, unknown_credential, vlan_list)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.tree import Config, Node

PW_KEYWORDS = ("simple", "cipher", "irreversible-cipher")


def password_of(text: str) -> tuple[str, str] | None:
    """`password cipher X …` → ("cipher", "X"); None when the line does not read so."""
    rest = after(text, "password")
    ks = keyword_secret(rest, PW_KEYWORDS) if rest else None
    return (ks[0], ks[1]) if ks else None


def _user(users: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    return users.setdefault(name, {"name": name, "kind": "local-user", "privilege": None, "services": [],
                                   "storage": None, "scheme": None, "weak": None, "weak_reason": None,
                                   "share_key": None, "line": None, "state": "active"})


def users(cfg: Config, judge: Judge, vendor: str) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    extra: list[dict[str, Any]] = []
    for n in cfg.walk():
        t = n.text
        if t.startswith("local-user ") or t == "local-user":
            _local_user_line(found, n, judge, vendor)
        elif t.startswith("manager-user ") and len(t.split()) == 2:
            _manager_user(found, n, judge, vendor)
        elif t.startswith("password") and n.indent == 0 and not t.startswith("password-"):
            # a password line outside any view: its account's view was lost (paging, a cut): not read
            extra.append(unattached_password(n.line, "account"))
    for u in found.values():
        if u["storage"] is None:
            u.update(unknown_credential(f"{vendor}-no-password-line",
                                        "no password line is shown for this account", u["line"] or 0))
    # console and vty passwords, and the super password, are credentials too
    for m, n in cfg.each(r"^user-interface\s+(con|vty|console)\s+(.+)$"):
        name = f"user-interface {m.group(1)} {m.group(2)}"
        mode = n.child(r"^authentication-mode\s+(\S+)")
        for sm, c in n.each(r"^set\s+authentication\s+password\b"):
            pw = password_of(after(c.text, "set", "authentication") or "")
            if pw is None:
                extra.append(line_account(name, **unknown_credential(
                    "unrecognised-line-password", "a line password in a form the parser does not read", c.line)))
            elif mode is None or mode.group(1) == "password":
                rec = line_account(name, line=c.line)
                rec.update(judge.credential(vendor, f"{pw[0]} {pw[1]}", "admin"))
                extra.append(rec)
        if mode and mode.group(1) == "none" and m.group(1) == "vty":
            extra.append(line_account(name, **no_authentication(n.line)))
    for _, n in cfg.each(r"^super\s+password\b"):
        rest = after(n.text, "super", "password") or ""
        words = rest.split(None, 2)
        level = "15"
        if words[:1] == ["level"] and len(words) > 1:
            level, rest = words[1], (words[2] if len(words) > 2 else "")
        ks = keyword_secret(rest, PW_KEYWORDS)
        rec = {"name": f"super level {level}", "kind": "super", "services": [], "state": "active",
               "privilege": num(level) or 15, "line": n.line}
        rec.update(judge.credential(vendor, f"{ks[0]} {ks[1]}", "admin") if ks else
                   unknown_credential("unrecognised-super-password", "a super password in a form the parser does "
                                      "not read", n.line))
        extra.append(rec)
    return [found[k] for k in sorted(found)] + extra


def _local_user_line(found: dict[str, dict[str, Any]], n: Node, judge: Judge, vendor: str) -> None:
    parts = n.text.split(None, 2)
    if len(parts) < 2:
        return
    name = parts[1]
    rest = parts[2] if len(parts) > 2 else ""
    u = _user(found, name)
    u["line"] = u["line"] or n.line
    words = rest.split()
    if not words:
        return
    if words[0] == "password":
        pw = password_of(rest)
        if pw is None:
            u.update(unknown_credential(f"{vendor}-unrecognised-password-line",
                                        "a password line in a form the parser does not read", n.line))
        else:
            u.update(judge.credential(vendor, f"{pw[0]} {pw[1]}", name), line=n.line)
    elif words[:2] == ["privilege", "level"] and len(words) > 2 and num(words[2]) is not None:
        u["privilege"] = num(words[2])
    elif words[0] == "level" and len(words) > 1 and num(words[1]) is not None:  # VRP8
        u["privilege"] = num(words[1])
    elif words[0] == "service-type":
        u["services"] = words[1:]
    elif words[0] == "state" and len(words) > 1 and words[1] in ("block", "active"):
        u["state"] = words[1]


def _manager_user(found: dict[str, dict[str, Any]], n: Node, judge: Judge, vendor: str) -> None:
    """USG: a view per administrator."""
    name = n.text.split()[1]
    u = _user(found, name)
    u["kind"] = "manager-user"
    u["line"] = u["line"] or n.line
    for c in n.children:
        words = c.text.split()
        if words[:1] == ["password"]:
            pw = password_of(c.text)
            if pw is None:
                u.update(unknown_credential(f"{vendor}-unrecognised-password-line",
                                            "a password line in a form the parser does not read", c.line))
            else:
                u.update(judge.credential(vendor, f"{pw[0]} {pw[1]}", name, context=f"manager-user {name}"),
                         line=c.line)
        elif words[:1] == ["service-type"]:
            u["services"] = words[1:]
        elif words[:1] == ["level"] and len(words) > 1 and num(words[1]) is not None:
            u["privilege"] = num(words[1])


def _vrp_release(version: str | None) -> tuple[int, int] | None:
    """`V200R019C10SPC500` → (200, 19); VRP8 releases (`V800R…`, CE `V200R005C10` is VRP8 too) alike."""
    m = re.match(r"^V(\d{3})R(\d{3})", version or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _vrp8(cfg: Config) -> bool:
    """VRP8 (CE switches, NE routers) numbers its releases like V200R005 too, but prints when the
    configuration was last changed as a comment at the top, which VRP5 does not."""
    return any(line.startswith("!Last configuration was") for line in cfg.lines[:60])


def password_policy(cfg: Config, vendor: str, version: str | None) -> dict[str, Any]:
    pol: dict[str, Any] = {"min_length": None, "complexity": None, "max_age_days": None,
                           "lockout": {"attempts": None, "lock_minutes": None}, "source_lines": []}
    aaa_nodes = [n for _, n in cfg.each(r"^aaa$")]
    lines = [c for a in aaa_nodes for c in a.children]
    release = _vrp_release(version)
    usg = vendor == "huawei_usg" or any(c.text.startswith(("lock-authentication", "manager-user")) for c in lines)
    if usg:
        # USG: the administrator lock is on by default, 3 failures, 30 minutes (lock-authentication)
        pol["lockout"] = {"attempts": 3, "lock_minutes": 30}
        pol["source_lines"].append("USG default: lock-authentication enable, failed-count 3, timeout 30")
    elif (release and (release[0] >= 800 or release >= (200, 10))) or _vrp8(cfg):
        # VRP V200R010 and later, and VRP8 (CE/NE): local accounts lock after 3 wrong passwords for 5 minutes by
        # default (command reference, local-aaa-user wrong-password: "By default, the local account locking
        # function is enabled")
        pol["lockout"] = {"attempts": 3, "lock_minutes": 5}
        pol["source_lines"].append(f"VRP {version} default: local-aaa-user wrong-password retry-time 3 block-time 5")
    for c in lines:
        words = c.text.split()
        if words[:2] == ["local-aaa-user", "wrong-password"]:
            kv = dict(zip(words[2::2], words[3::2]))
            if num(kv.get("retry-time")) is not None and num(kv.get("block-time")) is not None:
                pol["lockout"] = {"attempts": num(kv["retry-time"]), "lock_minutes": num(kv["block-time"])}
                pol["source_lines"].append(c.line)
        elif words[:3] == ["undo", "local-aaa-user", "wrong-password"] or \
                words[:3] == ["undo", "lock-authentication", "enable"]:
            pol["lockout"] = {"attempts": None, "lock_minutes": None}
            pol["source_lines"].append(c.line)
        elif words[:2] == ["lock-authentication", "failed-count"] and len(words) > 2 and num(words[2]) is not None:
            pol["lockout"]["attempts"] = num(words[2])
            pol["source_lines"].append(c.line)
        elif words[:2] == ["lock-authentication", "timeout"] and len(words) > 2 and num(words[2]) is not None:
            pol["lockout"]["lock_minutes"] = num(words[2])
            pol["source_lines"].append(c.line)
        elif words[:4] == ["local-aaa-user", "password", "policy", "administrator"]:
            e = c.child(r"^password\s+expire\s+(\d{1,9})")
            if e:
                pol["max_age_days"] = int(e.group(1))
    # the lock switched off wins over the counts printed beside it
    if any(c.text.split()[:3] in (["undo", "lock-authentication", "enable"], ["undo", "local-aaa-user",
                                                                           "wrong-password"]) for c in lines):
        pol["lockout"] = {"attempts": None, "lock_minutes": None}
    return pol


def user_interfaces(cfg: Config, head: str, skip_bare: bool) -> list[dict[str, Any]]:
    """The VTY lines of VRP and of Comware, which took VRP's syntax: `protocol inbound all|ssh|telnet` (all when
    absent, and for any other word) and `authentication-mode`. skip_bare: a range with nothing configured in it
    (VRP's `user-interface vty 16 20`) is not a login."""
    vty = []
    for m, n in cfg.each(head):
        if skip_bare and not n.children:
            continue
        proto = n.child(r"^protocol\s+inbound\s+(\S+)")
        auth = n.child(r"^authentication-mode\s+(\S+)")
        protocols = {"ssh": ["ssh"], "telnet": ["telnet"]}.get(proto.group(1) if proto else "all", ["ssh", "telnet"])
        vty.append({"lines": m.group(1), "protocols": protocols, "auth": auth.group(1) if auth else None,
                    "protocol_stated": proto is not None, "line": n.line})
    return vty


def management(cfg: Config) -> dict[str, Any]:
    vty = user_interfaces(cfg, r"^user-interface\s+vty\s+(.+)$", skip_bare=True)
    telnet_on = cfg.has(r"^telnet\s+server\s+enable")
    telnet_off = cfg.has(r"^undo\s+telnet\s+server\s+enable") or cfg.has(r"^telnet\s+server\s+disable")  # VRP8
    vty_telnet = any("telnet" in v["protocols"] for v in vty)
    service_manage = []
    for m, n in cfg.each(r"^interface\s+(\S+)"):
        protos = [pm.group(1) for pm, _ in n.each(r"^service-manage\s+(\S+)\s+permit")]
        if protos and not n.has(r"^undo\s+service-manage\s+enable"):
            service_manage.append({"interface": m.group(1), "protocols": protos})
    http = cfg.has(r"^http\s+server\s+enable") or cfg.has(r"^web-manager\s+enable") or \
        any("http" in s["protocols"] for s in service_manage)
    https = cfg.has(r"^http\s+secure-server\s+enable") or cfg.has(r"^web-manager\s+security\s+enable")
    if cfg.has(r"^undo\s+http\s+server\s+enable"):
        http = False
    return {
        "telnet": telnet_on or (vty_telnet and not telnet_off),
        "ssh": cfg.has(r"^stelnet\s+server\s+enable") or cfg.has(r"^ssh\s+server\s+enable"),
        "http": http,
        "https": https,
        "vty": vty,
        "service_manage": service_manage,
    }


#: Comware V7 roles that only read MIB objects (H3C SNMP command reference, RBAC mode); any other role is
#: taken as able to write (network-admin, mdc-admin, level-15 and custom roles may).
READ_ONLY_ROLES = ("network-operator", "mdc-operator")


def community(text: str, judge: Judge, vendor: str) -> dict[str, Any] | None:
    """One `snmp-agent community` line (VRP, Comware V5/V7 VACM or Comware V7 RBAC `user-role` form).

    A line that names a community in a form not read here still yields an entry, with `default` unknown, so
    the rule reports it instead of never seeing it; None only for lines that are settings, not communities."""
    rest = after(text, "snmp-agent", "community")
    if rest is None:
        return None
    words = rest.split()
    if words[:1] == ["complexity-check"]:
        return None  # VRP: a setting, not a community
    access = None
    if words[:1] in (["read"], ["write"]):
        access, rest = words[0], rest.split(None, 1)[1] if len(words) > 1 else ""
    form = "simple"
    ks = keyword_secret(rest, ("cipher", "simple"))
    if ks:
        form, secret, tail = ks
    else:
        secret, tail = split_secret(rest)
    tail_words = tail.split()
    if secret and access is None and tail_words[:1] == ["user-role"] and len(tail_words) > 1:
        rec = judge.community(vendor, f"{form} {secret}")
        rec.update(access="read" if tail_words[1] in READ_ONLY_ROLES else "write", acl=_acl(" ".join(tail_words[2:])))
        return rec
    if secret and access is not None and secret not in ("cipher", "simple"):
        rec = judge.community(vendor, f"{form} {secret}")
        rec.update(access=access, acl=_acl(tail))
        return rec
    rec = judge.unreadable_community("unrecognised-community-line",
                                     "an snmp-agent community line in a form the parser does not read")
    rec.update(access="write", acl=False)  # what it allows is not known: the wider access
    return rec


def _acl(rest: str | None) -> bool:
    return any(w == "acl" or w.startswith("acl-") for w in (rest or "").split())


def snmp(cfg: Config, judge: Judge, vendor: str) -> dict[str, Any]:
    """SNMP of VRP, USG and Comware (one syntax): agent, versions, communities and v3 users."""
    communities = []
    for _, n in cfg.each(r"^snmp-agent\s+community\s"):
        rec = community(n.text, judge, vendor)
        if rec is not None:
            rec["line"] = n.line
            communities.append(rec)
    versions: set[str] = set()
    for m, _ in cfg.each(r"^snmp-agent\s+sys-info\s+version\s+(.+)$"):
        versions.update({"all": ["v1", "v2c", "v3"]}.get(m.group(1).strip(), m.group(1).split()))
    for m, _ in cfg.each(r"^undo\s+snmp-agent\s+sys-info\s+version\s+(.+)$"):
        versions.difference_update(m.group(1).split())
    versions &= {"v1", "v2c", "v3"}
    enabled = cfg.has(r"^snmp-agent") and not cfg.has(r"^undo\s+snmp-agent$")
    if enabled and not versions:
        versions = {"v3"}  # the default once the agent runs (VRP and Comware V7)
    return {"enabled": enabled, "versions": sorted(versions), "communities": communities,
            "v3_users": sum(1 for _ in cfg.each(r"^snmp-agent\s+usm-user\s+v3\s"))}


_VIRTUAL = ("vlanif", "loopback", "null", "meth", "nve", "tunnel", "virtual", "dialer")


def interfaces(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^interface\s+(\S+)"):
        name = m.group(1)
        lt = n.child(r"^port\s+link-type\s+(\S+)")
        vlan = n.child(r"^port\s+default\s+vlan\s+(\d{1,9})")
        addrs = [prefix(a.group(1), a.group(2)) for a, _ in n.each(r"^ip\s+address\s+(\d\S*)\s+(\S+)")]
        dhcp = n.has(r"^ip\s+address\s+(dhcp-alloc|ppp-negotiate)")
        sticky = [mac(s.group(1)) for s, _ in n.each(r"^port-security\s+mac-address\s+sticky\s+(\S+)")]
        mode = lt.group(1) if lt else ("routed" if addrs or dhcp or n.has(r"^undo\s+portswitch") else "unknown")
        if name.lower().startswith(_VIRTUAL):
            mode = "routed" if addrs or dhcp else "virtual"
        if "." in name and not lt:
            mode = "routed" if addrs else "virtual"  # a sub-interface
        maxm = n.child(r"^port-security\s+max-mac-num\s+(\d{1,9})")
        out.append({
            **interface_record(n, name, mode, vlan, addrs, dhcp),
            "port_security": {
                "enabled": n.has(r"^port-security\s+enable"),
                "max_macs": int(maxm.group(1)) if maxm else (1 if n.has(r"^port-security\s+enable") else None),
                "sticky": n.has(r"^port-security\s+mac-address\s+sticky$") or bool(sticky),
                "macs": [x for x in sticky if x],
            },
            "ip_source_check": n.has(r"^ip\s+source\s+check\s+user-bind\s+enable"),
            "dhcp_snooping_trusted": n.has(r"^dhcp\s+snooping\s+trusted"),
            "nat_outbound": n.has(r"^nat\s+outbound\b"),
            "inbound_filter": _traffic_filter(n),
        })
    return out


def _traffic_filter(n: Node) -> str | None:
    """`traffic-filter inbound acl 3000` / `traffic-filter inbound acl name X` (VRP)."""
    for c in n.children:
        rest = after(c.text, "traffic-filter", "inbound")
        if rest is not None:
            words = rest.split()
            if words[:2] == ["acl", "name"] and len(words) > 2:
                return words[2]
            if words[:1] == ["acl"] and len(words) > 1:
                return words[-1] if words[1] in ("ipv6",) else words[1]
    return None


def bindings(cfg: Config) -> list[dict[str, Any]]:
    return read_bindings(cfg, [
        ("user-bind", r"^user-bind\s+static\s+ip-address\s+(\S+)\s+mac-address\s+(\S+)(?:\s+interface\s+(\S+))?"
                      r"(?:\s+vlan\s+(\d{1,9}))?", (2, 3, 4, 1)),
        ("static-mac", r"^mac-address\s+static\s+(\S+)\s+(\S+)\s+vlan\s+(\d{1,9})", (1, 2, 3, 0)),
    ], [
        ("sticky", r"^port-security\s+mac-address\s+sticky\s+(\S+)(?:\s+vlan\s+(\d{1,9}))?", (1, 2, 0)),
    ])


def dhcp_snooping(cfg: Config) -> dict[str, Any]:
    vlans: list[int] = []
    for m, n in cfg.each(r"^vlan\s+(\d{1,9})$"):
        if n.has(r"^dhcp\s+snooping\s+enable"):
            vlans.append(int(m.group(1)))
    for m, _ in cfg.each(r"^dhcp\s+snooping\s+enable\s+vlan\s+(.+)$"):
        vlans.extend(vlan_list(m.group(1).split()))
    return {"enabled": cfg.has(r"^dhcp\s+snooping\s+enable$") or bool(vlans), "vlans": sorted(set(vlans))}


def zones(cfg: Config, head: str = r"^firewall\s+zone\s+(?:name\s+)?(\S+)",
          priority: str = r"^set\s+priority\s+(\d{1,9})") -> list[dict[str, Any]]:
    """Security zones with their priority and interfaces (`add interface`, or Comware's `import interface`)."""
    out = []
    for m, n in cfg.each(head):
        n = cfg.flat_block(n)
        pr = n.child(priority)
        out.append({"name": m.group(1), "priority": int(pr.group(1)) if pr else None,
                    "interfaces": [a.group(1) for a, _ in n.each(r"^(?:add|import)\s+interface\s+(\S+)")]})
    return out


def firewall(cfg: Config, ifaces: list[dict[str, Any]], nats: list[dict[str, Any]]) -> dict[str, Any]:
    zs = zones(cfg)
    policies, default = [], None
    basis = None
    for _, sp in cfg.each(r"^security-policy$"):
        d = sp.child(r"^default\s+action\s+(permit|deny)")
        default = d.group(1) if d else "deny"  # USG's default rule denies unless changed
        basis = "security-policy"
        for rm, r in sp.each(r"^rule\s+name\s+(\S+)"):
            policies.append(_policy(rm.group(1), r))
    legacy = []
    for m, n in cfg.each(r"^firewall\s+packet-filter\s+default\s+(permit|deny)(.*)$"):
        legacy.append({"action": m.group(1), "scope": m.group(2).strip(), "line": n.line})
    if default is None and legacy:
        default = "permit" if any(x["action"] == "permit" for x in legacy) else "deny"
        basis = "firewall packet-filter default"
    out: dict[str, Any] = {"zones": zs, "policies": policies, "default_action": default,
                           "packet_filter_defaults": legacy, "basis": basis, "boundary": [], "unread": []}
    # no security policy: the inbound access lists on the interfaces that face outside are the policy
    if basis is None:
        marks = acl.boundary_marks(ifaces, nats, "nat outbound", lambda i: i.get("nat_outbound"))
        default_out = acl.default_route_interfaces(
            cfg, ifaces, r"^ip\s+route-static\s+0\.0\.0\.0\s+(?:0\.0\.0\.0|0)\s+(.+)$")
        outside = acl.boundary(ifaces, zs, default_out, marks)
        if outside:
            f = acl.filtered_boundary(outside, {i["name"]: i.get("inbound_filter") for i in ifaces},
                                      acl.vrp_lists(cfg), "permit")
            out.update(policies=f["policies"], default_action=f["default_action"], boundary=f["boundary"],
                       unread=f["unread"], basis="inbound access lists on the boundary interfaces")
    acl.note_undetermined(out, ifaces)
    out["present"] = bool(zs or policies or legacy or any(b["inbound"] for b in out["boundary"]))
    return out


def _policy(name: str, r: Node) -> dict[str, Any]:
    def values(kw: str) -> list[str]:
        out = []
        for m, _ in r.each(rf"^{kw}\s+(.+)$"):
            out.append(m.group(1).strip())
        return out

    act = r.child(r"^action\s+(\S+)")
    return {
        "name": name,
        "source_zones": values("source-zone"),
        "destination_zones": values("destination-zone"),
        "source_addresses": values("source-address"),
        "destination_addresses": values("destination-address"),
        "services": values("service"),
        "applications": values("application"),
        "action": act.group(1) if act else None,
        "disabled": r.has(r"^disable$"),
        "line": r.line,
    }


def nat_mapping(words: list[str], line: int, interface: str | None = None) -> dict[str, Any] | None:
    """One `nat server …` (Huawei, H3C) or `nat static …` line as a mapping, read word by word: the name may
    be anything (an address, a garbled encoding glued to `protocol`), so only the keywords are trusted.
    None when the line holds no `global`/`inside` pair."""
    low = [w.lower() for w in words]
    if "global" not in low or "inside" not in low:
        return None
    g, i = low.index("global"), low.index("inside")
    proto = "any"
    for k, w in enumerate(low):
        if w.endswith("protocol") and k + 1 < len(low):
            proto = low[k + 1]
            break
    zone = low[low.index("zone") + 1] if "zone" in low and low.index("zone") + 1 < len(low) else None

    def address_port(k: int, stop: str | None) -> tuple[str | None, int | None]:
        vals = words[k + 1:]
        if stop and stop in [v.lower() for v in vals]:
            vals = vals[:[v.lower() for v in vals].index(stop)]
        if not vals:
            return None, None
        addr = vals[0]
        if addr.lower() == "interface" and len(vals) > 1:
            addr, vals = vals[1], vals[1:]
        elif addr.lower() == "current-interface":
            addr = interface or "current-interface"
        p = vals[1] if len(vals) > 1 else None
        return addr, port(p) if p else None

    g_addr, g_port = address_port(g, "inside" if g < i else None)
    i_addr, i_port = address_port(i, "global" if i < g else None)
    if g_addr is None or i_addr is None:
        return None
    name = words[2] if len(words) > 2 and low[2] not in ("protocol", "global", "zone", "inside", "id") else None
    return {"name": name, "zone": zone, "protocol": proto, "global_address": g_addr, "global_port": g_port,
            "inside_address": i_addr, "inside_port": i_port, "line": line, "interface": interface}


def nat_servers(cfg: Config, other_static: bool = False) -> tuple[list[dict[str, Any]], list[int]]:
    """Port mappings (`nat server`) and static one-to-one NAT (`nat static global A inside B`), wherever
    printed (system view on a USG, interface view on an AR router); and the lines of any not read.
    `other_static`: `nat static` lines without `global` are another form, read by the caller (H3C)."""
    out, unread = [], []
    for n in cfg.walk():
        words = n.text.split()
        if words[:1] != ["nat"] or len(words) < 2 or words[1] not in ("server", "static"):
            continue
        if words[1] == "static" and (other_static or "global" not in (w.lower() for w in words)):
            if not other_static and words[2:3] not in (["enable"],):
                unread.append(n.line)
            continue
        iface = None
        parent = _parent_interface(cfg, n)
        if parent is not None:
            iface = parent
        rec = nat_mapping(words, n.line, iface)
        if rec is None:
            unread.append(n.line)
        else:
            out.append(rec)
    return out, unread


def _parent_interface(cfg: Config, node: Node) -> str | None:
    for m, n in cfg.each(r"^interface\s+(\S+)"):
        if node in n.children:
            return m.group(1)
    return None


def syslog_hosts(cfg: Config) -> list[str]:
    out = set()
    for m, _ in cfg.each(r"^info-center\s+loghost\s+(.+)$"):
        words = m.group(1).split()
        if not words or words[0] in ("source",):
            continue
        if words[0] in ("ipv6", "domain") and len(words) > 1:
            out.add(words[1])
        else:
            out.add(words[0])
    return sorted(out)


def ntp_servers(cfg: Config) -> list[str]:
    out = set()
    for m, _ in cfg.each(r"^(?:ntp-service|ntp)\s+unicast-server\s+(.+)$"):
        words = m.group(1).split()
        if words and words[0] in ("ipv6", "domain") and len(words) > 1:
            out.add(words[1])
        elif words:
            out.add(words[0])
    for m, _ in cfg.each(r"^sntp\s+(?:unicast-server|server)\s+(\S+)"):
        out.add(m.group(1))
    return sorted(out)


def device(cfg: Config) -> dict[str, Any]:
    ver = None
    for line in cfg.lines[:60]:
        m = re.match(r"^!Software Version\s+(\S+)", line.strip()) or re.match(r"^\[(V\d{3}R\d{3}\S*)\]$", line.strip())
        if m:
            ver = m.group(1)
            break
    name = cfg.first(r"^sysname\s+(\S+)")[0]
    return {"hostname": name.group(1) if name else None, "version": ver}


#: lines that carry what a fact counts: if any is present and the fact holds none, the parser missed them
MARKERS = (
    ("interfaces", r"^interface\s", lambda v: v),
    ("syslog", r"^info-center\s+loghost\s+(?!source)", lambda v: v["hosts"]),
    ("ntp", r"^(ntp-service|ntp|sntp)\s+(unicast-server|server)\s", lambda v: v["servers"]),
    ("firewall", r"^firewall\s+zone\s", lambda v: v["zones"]),
    # the USG V300 / Eudemon interzone model is not read: its policies are not counted as none
    ("firewall", r"^policy\s+interzone\s", lambda v: [p for p in v["policies"] if p.get("interzone")]),
)


def parse(cfg: Config, judge: Judge, vendor: str = "huawei") -> tuple[dict[str, Any], dict[str, str]]:
    ifaces = interfaces(cfg)
    nats, unread_nat = nat_servers(cfg)
    dev = device(cfg)
    fw = firewall(cfg, ifaces, nats)
    facts = {
        "device": dev,
        "users": users(cfg, judge, vendor),
        "password_policy": password_policy(cfg, vendor, dev["version"]),
        "management": management(cfg),
        "snmp": snmp(cfg, judge, vendor),
        "syslog": {"hosts": syslog_hosts(cfg)},
        "ntp": {"servers": ntp_servers(cfg)},
        "interfaces": ifaces,
        "bindings": bindings(cfg),
        "dhcp_snooping": dhcp_snooping(cfg),
        "firewall": fw,
        "nat_servers": nats,
    }
    return facts, nat_problems(unread_nat, "NAT")
