"""Cisco IOS and IOS-XE: `show running-config` as facts.

Read from the IOS configuration guides and command references: `username … password|secret`, `enable
password|secret`, `service password-encryption`, `security passwords min-length`, `login block-for`,
`line vty … transport input`, `ip ssh version`, `ip http server|secure-server`, `snmp-server community`,
`logging host`, `ntp server`, `switchport mode|port-security`, `ip dhcp snooping`, `ip source binding`,
`mac address-table static`, `zone security` / `zone-member security`, access lists (`ip access-list`,
`access-list N`) applied with `ip access-group NAME in`, CBAC `ip inspect`, and `ip nat inside source static`.
A vty range without `transport input` is not restricted to SSH (the IOS default admits Telnet). A switch
port with `switchport access vlan N` and no `switchport mode` (old IOS) is an access port.
"""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import acl
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.common import (nat_problems, read_bindings, interface_record, line_account, mac, no_authentication, num, port, prefix, unattached_passwords,
                                    unknown_credential, vlan_list)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.tree import Config


def _credential(words: list[str], start: int) -> tuple[str, str, str] | None:
    """From words[start] = password|secret: (kind, type digit, value); None when no value follows."""
    kind = words[start]
    rest = words[start + 1:]
    if len(rest) >= 2 and len(rest[0]) == 1 and rest[0].isdigit():
        return kind, rest[0], rest[-1]
    if rest:
        return kind, "0" if kind == "password" else "", rest[-1]
    return None


def users(cfg: Config, judge: Judge) -> list[dict[str, Any]]:
    found = []
    for _, n in cfg.each(r"^username\s"):
        words = n.text.split()
        if len(words) < 2:
            continue
        name = words[1]
        priv = words[words.index("privilege") + 1] if "privilege" in words[2:] and \
            words.index("privilege") + 1 < len(words) else "1"
        rec: dict[str, Any] = {"name": name, "kind": "username", "privilege": num(priv) or 1,
                               "services": [], "line": n.line, "state": "active"}
        at = next((i for i in range(2, len(words)) if words[i] in ("password", "secret")), None)
        cred = _credential(words, at) if at is not None else None
        if cred:
            kind, typ, value = cred
            rec.update(judge.credential("cisco", " ".join(x for x in (kind, typ, value) if x), name))
        elif "nopassword" in words[2:]:
            # `nopassword`: the account logs in with no password at all
            rec.update(storage="plain", scheme="cisco-nopassword", weak=True, weak_reason="empty", share_key=None)
        else:
            rec.update(unknown_credential("cisco-username-without-password", "a username line with no password or "
                                          "secret zicha reads", n.line))
        found.append(rec)
    for _, n in cfg.each(r"^enable\s+(password|secret)\b"):
        words = n.text.split()
        body = [w for i, w in enumerate(words) if not (w == "level" or (i > 0 and words[i - 1] == "level"))]
        cred = _credential(body, 1)
        rec = {"name": f"enable {words[1]}", "kind": "enable", "privilege": 15, "services": [], "line": n.line,
               "state": "active"}
        if cred:
            kind, typ, value = cred
            rec.update(judge.credential("cisco", " ".join(x for x in (kind, typ, value) if x), "enable"))
        else:
            rec.update(unknown_credential("cisco-unrecognised-enable", "an enable line in a form the parser does "
                                          "not read", n.line))
        found.append(rec)
    new_model = cfg.has(r"^aaa\s+new-model")
    for m, n in cfg.each(r"^line\s+(con|console|vty|aux)\s+(.+)$"):
        name = f"line {m.group(1)} {m.group(2)}"
        for c in n.children:
            words = c.text.split()
            if words[:1] != ["password"]:
                continue
            cred = _credential(words, 0)
            rec = line_account(name, line=c.line)
            rec.update(judge.credential("cisco", f"password {cred[1] or '0'} {cred[2]}", "cisco") if cred else
                       unknown_credential("cisco-unrecognised-line-password", "a line password in a form the parser "
                                          "does not read", c.line))
            found.append(rec)
        if m.group(1) == "vty" and n.has(r"^no\s+login$") and not new_model:
            found.append(line_account(name, **no_authentication(n.line)))
    found.extend(unattached_passwords(cfg, "line"))
    return found


def password_policy(cfg: Config) -> dict[str, Any]:
    ml = cfg.first(r"^security\s+passwords\s+min-length\s+(\d{1,9})")[0]
    block = cfg.first(r"^login\s+block-for\s+(\d{1,9})\s+attempts\s+(\d{1,9})\s+within\s+(\d{1,9})")[0]
    maxfail = cfg.first(r"^aaa\s+local\s+authentication\s+attempts\s+max-fail\s+(\d{1,9})")[0]
    attempts = int(block.group(2)) if block else (int(maxfail.group(1)) if maxfail else None)
    lock_minutes = (int(block.group(1)) + 59) // 60 if block else (0 if maxfail else None)
    return {"min_length": int(ml.group(1)) if ml else None, "complexity": 1 if cfg.has(r"^password\s+strength-check")
            else None, "max_age_days": None, "lockout": {"attempts": attempts, "lock_minutes": lock_minutes},
            "service_password_encryption": cfg.has(r"^service\s+password-encryption")}


def management(cfg: Config) -> dict[str, Any]:
    vty = []
    for m, n in cfg.each(r"^line\s+vty\s+(.+)$"):
        tr = n.child(r"^transport\s+input\s+(.+)$")
        words = tr.group(1).split() if tr else ["all"]
        protocols = ["ssh", "telnet"] if "all" in words else [w for w in words if w in ("ssh", "telnet")]
        login = n.child(r"^login(?:\s+(\S+))?")
        vty.append({"lines": m.group(1), "protocols": protocols,
                    "auth": (login.group(1) or "line") if login else ("aaa" if cfg.has(r"^aaa\s+new-model") else None),
                    "protocol_stated": tr is not None, "line": n.line})
    http = cfg.has(r"^ip\s+http\s+server$") and not cfg.has(r"^no\s+ip\s+http\s+server$")
    return {"telnet": any("telnet" in v["protocols"] for v in vty),
            "ssh": cfg.has(r"^ip\s+ssh\s") or any("ssh" in v["protocols"] for v in vty),
            "http": http, "https": cfg.has(r"^ip\s+http\s+secure-server"), "vty": vty, "service_manage": []}


def snmp(cfg: Config, judge: Judge) -> dict[str, Any]:
    communities = []
    for m, n in cfg.each(r"^snmp-server\s+community\s+(\S+)(.*)$"):
        rest = [w.upper() if w.lower() in ("ro", "rw") else w for w in m.group(2).split()]
        access = next((w for w in rest if w in ("RO", "RW")), "RO")
        after = rest[rest.index(access) + 1:] if access in rest else []
        rec = judge.community("cisco", f"snmp-server community {m.group(1)}")
        rec.update(access="write" if access == "RW" else "read", acl=bool(after), line=n.line)
        communities.append(rec)
    versions = set()
    if communities:
        versions.update({"v1", "v2c"})
    if cfg.has(r"^snmp-server\s+group\s+\S+\s+v3") or cfg.has(r"^snmp-server\s+user\s+\S+\s+\S+\s+v3"):
        versions.add("v3")
    return {"enabled": bool(versions) or cfg.has(r"^snmp-server\s"), "versions": sorted(versions),
            "communities": communities,
            "v3_users": sum(1 for _ in cfg.each(r"^snmp-server\s+user\s+\S+\s+\S+\s+v3"))}


_VIRTUAL = ("vlan", "loopback", "null", "tunnel", "port-channel", "dialer", "virtual-", "bvi", "nve")


def interfaces(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^interface\s+(\S+)"):
        name = m.group(1)
        sw = n.child(r"^switchport\s+mode\s+(\S+)")
        addrs = [prefix(a.group(1), a.group(2)) for a, _ in n.each(r"^ip\s+address\s+(\d\S+)\s+(\d\S+)")]
        dhcp = n.has(r"^ip\s+address\s+(dhcp|negotiated)\b")
        vlan = n.child(r"^switchport\s+access\s+vlan\s+(\d{1,9})")
        if name.lower().startswith(_VIRTUAL) and not sw:
            mode = "routed" if addrs or dhcp else "virtual"
        elif sw:
            mode = {"dynamic": "unknown"}.get(sw.group(1), sw.group(1))
        elif n.has(r"^no\s+switchport$") or addrs or dhcp or "." in name:
            mode = "routed"
        elif vlan and not n.has(r"^switchport\s+trunk\s"):
            mode = "access"  # old IOS: an access VLAN and no mode printed is an access port
        else:
            mode = "unknown"  # a switch port left in dynamic mode: it may negotiate a trunk
        maxm = n.child(r"^switchport\s+port-security\s+maximum\s+(\d{1,9})")
        enabled = n.has(r"^switchport\s+port-security$")
        macs = [mac(s.group(1)) for s, _ in n.each(r"^switchport\s+port-security\s+mac-address\s+(?:sticky\s+)?"
                                                     r"([0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4})")]
        ag = n.child(r"^ip\s+access-group\s+(\S+)\s+in\b")
        insp = n.child(r"^ip\s+inspect\s+(\S+)\s+(in|out)\b")
        out.append({
            **interface_record(n, name, mode, vlan, addrs, dhcp),
            "port_security": {"enabled": enabled, "max_macs": int(maxm.group(1)) if maxm else (1 if enabled else None),
                              "sticky": n.has(r"^switchport\s+port-security\s+mac-address\s+sticky"),
                              "macs": [x for x in macs if x]},
            "ip_source_check": n.has(r"^ip\s+verify\s+source"),
            "dhcp_snooping_trusted": n.has(r"^ip\s+dhcp\s+snooping\s+trust"),
            "zone": (n.child(r"^zone-member\s+security\s+(\S+)") or [None, None])[1],
            "nat": (n.child(r"^ip\s+nat\s+(inside|outside)") or [None, None])[1],
            "inbound_filter": ag.group(1) if ag else None,
            "inspect": insp.group(1) if insp else None,
        })
    return out


def bindings(cfg: Config) -> list[dict[str, Any]]:
    return read_bindings(cfg, [
        ("ip-source", r"^ip\s+source\s+binding\s+(\S+)\s+vlan\s+(\d{1,9})\s+(\S+)\s+interface\s+(\S+)", (1, 4, 2, 3)),
        ("static-mac", r"^mac\s+address-table\s+static\s+(\S+)\s+vlan\s+(\d{1,9})\s+interface\s+(\S+)", (1, 3, 2, 0)),
    ], [
        ("sticky", r"^switchport\s+port-security\s+mac-address\s+(?:sticky\s+)?"
                   r"([0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4})(?:\s+vlan\s+(\d{1,9}))?", (1, 2, 0)),
    ])


def dhcp_snooping(cfg: Config) -> dict[str, Any]:
    vlans: list[int] = []
    for m, _ in cfg.each(r"^ip\s+dhcp\s+snooping\s+vlan\s+(.+)$"):
        vlans.extend(vlan_list(m.group(1).replace(",", " ").split()))
    return {"enabled": cfg.has(r"^ip\s+dhcp\s+snooping$"), "vlans": sorted(set(vlans))}


_OUTSIDE_ZONE = re.compile(r"(?i)^(untrust|outside|internet|wan|external|isp)")


def firewall(cfg: Config, ifaces: list[dict[str, Any]]) -> dict[str, Any]:
    zones = []
    for m, _ in cfg.each(r"^zone\s+security\s+(\S+)"):
        zones.append({"name": m.group(1), "priority": None,
                      "interfaces": [i["name"] for i in ifaces if i.get("zone") == m.group(1)]})
    pairs = [{"name": m.group(1), "source_zones": [m.group(2)], "destination_zones": [m.group(3)],
              "source_addresses": [], "destination_addresses": [], "services": [], "applications": [],
              "action": "inspect", "disabled": False, "line": n.line}
             for m, n in cfg.each(r"^zone-pair\s+security\s+(\S+)\s+source\s+(\S+)\s+destination\s+(\S+)")]
    out: dict[str, Any] = {"zones": zones, "policies": pairs, "default_action": "deny" if zones else None,
                           "packet_filter_defaults": [], "basis": "zone-based firewall" if zones else None,
                           "boundary": [], "unread": []}
    if not zones:
        # no zone-based firewall: the inbound access lists on the outside interfaces are the policy
        marks = acl.boundary_marks(ifaces, [], "ip nat outside", lambda i: i.get("nat") == "outside")
        default_out = acl.default_route_interfaces(cfg, ifaces, r"^ip\s+route\s+0\.0\.0\.0\s+0\.0\.0\.0\s+(.+)$")
        outside = acl.boundary(ifaces, [], default_out, marks)
        if outside:
            f = acl.filtered_boundary(outside, {i["name"]: i.get("inbound_filter") for i in ifaces},
                                      acl.cisco_lists(cfg), "deny", {i["name"]: i.get("inspect") for i in ifaces})
            out.update(policies=f["policies"], default_action=f["default_action"], boundary=f["boundary"],
                       unread=f["unread"], basis="inbound access lists on the outside interfaces")
    acl.note_undetermined(out, ifaces)
    out["present"] = bool(zones or any(b["inbound"] or b["inspect"] for b in out["boundary"]))
    return out


def nat_servers(cfg: Config) -> tuple[list[dict[str, Any]], list[int]]:
    """`ip nat inside source static [tcp|udp] LOCAL [LPORT] {GLOBAL | interface IF} [GPORT] [options]` and
    `ip nat inside source static network LOCAL GLOBAL {MASK | /LEN}`: what the outside reaches inside."""
    out, unread = [], []
    for n in cfg.walk():
        words = n.text.split()
        if words[:5] != ["ip", "nat", "inside", "source", "static"]:
            continue
        w = words[5:]
        proto = "any"
        if w[:1] in (["tcp"], ["udp"]):
            proto, w = w[0], w[1:]
        if w[:1] == ["network"]:
            w = w[1:]
        if len(w) < 2 or not acl._is_ipv4(w[0]):
            unread.append(n.line)
            continue
        local, w = w[0], w[1:]
        lport = None
        if proto != "any" and w and not acl._is_ipv4(w[0]) and w[0] != "interface":
            lport, w = w[0], w[1:]
        if w[:1] == ["interface"] and len(w) > 1:
            glob, w = w[1], w[2:]
        elif w and acl._is_ipv4(w[0]):
            glob, w = w[0], w[1:]
        else:
            unread.append(n.line)
            continue
        gport = w[0] if proto != "any" and w and w[0] not in ("extendable", "no-alias", "no-payload", "route-map",
                                                               "vrf", "reversible", "redundancy", "mapping-id") else None
        out.append({"name": None, "zone": None, "protocol": proto, "global_address": glob,
                    "global_port": port(gport) if gport else None, "inside_address": local,
                    "inside_port": port(lport) if lport else None, "line": n.line})
    return out, unread


def syslog_hosts(cfg: Config) -> list[str]:
    out = set()
    for _, n in cfg.each(r"^logging\s"):
        words = n.text.split()[1:]
        if words[:1] == ["host"]:
            words = words[1:]
            if words[:1] in (["ipv6"], ["ip"]):
                words = words[1:]
            if words:
                out.add(words[0])
        elif words and (acl._is_ipv4(words[0]) or re.fullmatch(r"[0-9a-fA-F:]+:[0-9a-fA-F:]*", words[0])):
            out.add(words[0])
    return sorted(out)


def ntp_servers(cfg: Config) -> list[str]:
    out = set()
    for _, n in cfg.each(r"^(?:ntp|sntp)\s+server\s"):
        words = n.text.split()[2:]
        if words[:1] == ["vrf"]:
            words = words[2:]
        if words[:1] in (["ip"], ["ipv6"]):
            words = words[1:]
        if words:
            out.add(words[0])
    return sorted(out)


def device(cfg: Config) -> dict[str, Any]:
    v = cfg.first(r"^version\s+(\S+)")[0]
    h = cfg.first(r"^hostname\s+(\S+)")[0]
    return {"hostname": h.group(1) if h else None, "version": v.group(1) if v else None}


MARKERS = (
    ("interfaces", r"^interface\s", lambda v: v),
    ("syslog", r"^logging\s+host\s", lambda v: v["hosts"]),
    ("ntp", r"^(ntp|sntp)\s+server\s", lambda v: v["servers"]),
)


def parse(cfg: Config, judge: Judge) -> tuple[dict[str, Any], dict[str, str]]:
    ifaces = interfaces(cfg)
    nats, unread_nat = nat_servers(cfg)
    facts = {
        "device": device(cfg),
        "users": users(cfg, judge),
        "password_policy": password_policy(cfg),
        "management": management(cfg),
        "snmp": snmp(cfg, judge),
        "syslog": {"hosts": syslog_hosts(cfg)},
        "ntp": {"servers": ntp_servers(cfg)},
        "interfaces": ifaces,
        "bindings": bindings(cfg),
        "dhcp_snooping": dhcp_snooping(cfg),
        "firewall": firewall(cfg, ifaces),
        "nat_servers": nats,
    }
    return facts, nat_problems(unread_nat, "static NAT")
