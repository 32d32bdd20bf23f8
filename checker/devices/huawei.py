"""Huawei VRP switches and USG firewalls: `display current-configuration` as facts.

Read from the VRP command references (S-series V200R, USG6000 V500R/V600R): `aaa` / `local-user`,
`manager-user` (USG), `user-interface vty`, `telnet server enable`, `stelnet server enable`,
`snmp-agent community`, `info-center loghost`, `interface … port-security …`, `user-bind static`,
`mac-address static`, `dhcp snooping`, `firewall zone … add interface`, `security-policy` / `rule name`,
`nat server`, `web-manager` and `service-manage`.
"""

from __future__ import annotations

import re
from typing import Any

from checker.devices.common import SECRET, mac, port, prefix, vlan_list
from checker.devices.credentials import Judge
from checker.devices.tree import Config, Node

PW = rf"password\s+(simple|cipher|irreversible-cipher)\s+{SECRET}"


def _user(users: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    return users.setdefault(name, {"name": name, "kind": "local-user", "privilege": None, "services": [],
                                   "storage": None, "scheme": None, "weak": None, "weak_reason": None,
                                   "share_key": None, "line": None, "state": "active"})


def users(cfg: Config, judge: Judge, vendor: str) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for _, aaa in cfg.each(r"^aaa$"):
        for c in aaa.children:
            m = re.match(rf"^local-user\s+(\S+)\s+{PW}", c.text)
            if m:
                u = _user(found, m.group(1))
                u.update(judge.credential(vendor, f"{m.group(2)} {m.group(3)}", m.group(1)), line=c.line)
                continue
            m = re.match(r"^local-user\s+(\S+)\s+privilege\s+level\s+(\d+)", c.text)
            if m:
                _user(found, m.group(1))["privilege"] = int(m.group(2))
                continue
            m = re.match(r"^local-user\s+(\S+)\s+service-type\s+(.+)$", c.text)
            if m:
                _user(found, m.group(1))["services"] = m.group(2).split()
                continue
            m = re.match(r"^local-user\s+(\S+)\s+state\s+(block|active)", c.text)
            if m:
                _user(found, m.group(1))["state"] = m.group(2)
                continue
            m = re.match(r"^manager-user\s+(\S+)$", c.text)  # USG: a view per administrator
            if m:
                u = _user(found, m.group(1))
                u["kind"] = "manager-user"
                for pm, pc in c.each(rf"^{PW}"):
                    u.update(judge.credential(vendor, f"{pm.group(1)} {pm.group(2)}", m.group(1),
                                              context=f"manager-user {m.group(1)}"), line=pc.line)
                st = c.child(r"^service-type\s+(.+)$")
                if st:
                    u["services"] = st.group(1).split()
                lv = c.child(r"^level\s+(\d+)")
                if lv:
                    u["privilege"] = int(lv.group(1))
    # console and vty passwords, and the super password, are credentials too
    for m, n in cfg.each(r"^user-interface\s+(con|vty|console)\s+(.+)$"):
        pm = n.child(rf"^set\s+authentication\s+{PW}")
        if pm and (n.child(r"^authentication-mode\s+password") or not n.child(r"^authentication-mode")):
            u = _user(found, f"user-interface {m.group(1)} {m.group(2)}")
            u.update(judge.credential(vendor, f"{pm.group(1)} {pm.group(2)}", "admin"), kind="line", line=n.line)
    for m, n in cfg.each(rf"^super\s+password(?:\s+level\s+(\d+))?\s+(simple|cipher|irreversible-cipher)\s+{SECRET}"):
        u = _user(found, f"super level {m.group(1) or 15}")
        u.update(judge.credential(vendor, f"{m.group(2)} {m.group(3)}", "admin"), kind="super", line=n.line,
                 privilege=int(m.group(1) or 15))
    return [found[k] for k in sorted(found)]


def password_policy(cfg: Config) -> dict[str, Any]:
    pol: dict[str, Any] = {"min_length": None, "complexity": None, "max_age_days": None,
                           "lockout": {"attempts": None, "lock_minutes": None}, "source_lines": []}
    for _, aaa in cfg.each(r"^aaa$"):
        m = aaa.child(r"^local-aaa-user\s+wrong-password\s+retry-interval\s+(\d+)\s+retry-time\s+(\d+)"
                      r"\s+block-time\s+(\d+)")
        if m:
            pol["lockout"] = {"attempts": int(m.group(2)), "lock_minutes": int(m.group(3))}
        for _, c in aaa.each(r"^local-aaa-user\s+password\s+policy\s+administrator"):
            e = c.child(r"^password\s+expire\s+(\d+)")
            if e:
                pol["max_age_days"] = int(e.group(1))
        for m2, c in aaa.each(r"^local-user\s+\S+\s+password-attempt\s+(\d+)"):
            pol["lockout"]["attempts"] = pol["lockout"]["attempts"] or int(m2.group(1))
    return pol


def management(cfg: Config) -> dict[str, Any]:
    vty = []
    for m, n in cfg.each(r"^user-interface\s+vty\s+(.+)$"):
        proto = n.child(r"^protocol\s+inbound\s+(\S+)")
        auth = n.child(r"^authentication-mode\s+(\S+)")
        protocols = {"all": ["ssh", "telnet"], "ssh": ["ssh"], "telnet": ["telnet"]}.get(
            proto.group(1) if proto else "", ["ssh", "telnet"] if not proto else [proto.group(1)])
        if not n.children:
            continue  # a range that only exists (vty 16 20) with no login configured
        vty.append({"lines": m.group(1), "protocols": protocols, "auth": auth.group(1) if auth else None,
                    "protocol_stated": proto is not None, "line": n.line})
    telnet_on = cfg.has(r"^telnet\s+server\s+enable")
    telnet_off = cfg.has(r"^undo\s+telnet\s+server\s+enable")
    vty_telnet = any("telnet" in v["protocols"] for v in vty)
    service_manage = []
    for m, n in cfg.each(r"^interface\s+(\S+)"):
        protos = [pm.group(1) for pm, _ in n.each(r"^service-manage\s+(\S+)\s+permit")]
        if protos:
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

_COMMUNITY_RBAC = rf"^snmp-agent\s+community\s+(?:(cipher|simple)\s+)?{SECRET}\s+user-role\s+(\S+)(?:\s+(.*))?$"
_COMMUNITY_VACM = rf"^snmp-agent\s+community\s+(read|write)\s+(?:(cipher|simple)\s+)?{SECRET}(?:\s+(.*))?$"
_NOT_A_COMMUNITY = r"^snmp-agent\s+community\s+complexity-check\b"  # VRP: a setting, not a community


def community(text: str, judge: Judge, vendor: str) -> dict[str, Any] | None:
    """One `snmp-agent community` line (VRP, Comware V5/V7 VACM or Comware V7 RBAC `user-role` form).

    A line that names a community in a form not read here still yields an entry, with `default` unknown, so
    the rule reports it instead of never seeing it; None only for lines that are settings, not communities."""
    if re.match(_NOT_A_COMMUNITY, text):
        return None
    m = re.match(_COMMUNITY_RBAC, text)
    if m:
        rec = judge.community(vendor, f"{m.group(1) or 'simple'} {m.group(2)}")
        rec.update(access="read" if m.group(3) in READ_ONLY_ROLES else "write", acl=_acl(m.group(4)))
        return rec
    m = re.match(_COMMUNITY_VACM, text)
    if m:
        rec = judge.community(vendor, f"{m.group(2) or 'simple'} {m.group(3)}")
        rec.update(access=m.group(1), acl=_acl(m.group(4)))
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
    enabled = cfg.has(r"^snmp-agent") and not cfg.has(r"^undo\s+snmp-agent$")
    if enabled and not versions:
        versions = {"v3"}  # the default once the agent runs (VRP and Comware V7)
    return {"enabled": enabled, "versions": sorted(versions), "communities": communities,
            "v3_users": sum(1 for _ in cfg.each(r"^snmp-agent\s+usm-user\s+v3\s"))}


def interfaces(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^interface\s+(\S+)$"):
        name = m.group(1)
        lt = n.child(r"^port\s+link-type\s+(\S+)")
        vlan = n.child(r"^port\s+default\s+vlan\s+(\d+)")
        addrs = [prefix(a.group(1), a.group(2)) for a, _ in n.each(r"^ip\s+address\s+(\S+)\s+(\S+)")]
        sticky = [mac(s.group(1)) for s, _ in n.each(r"^port-security\s+mac-address\s+sticky\s+(\S+)")]
        mode = lt.group(1) if lt else ("routed" if addrs else "unknown")
        if name.lower().startswith(("vlanif", "loopback", "null", "meth", "nve", "tunnel", "virtual")):
            mode = "routed" if addrs else "virtual"
        maxm = n.child(r"^port-security\s+max-mac-num\s+(\d+)")
        out.append({
            "name": name,
            "description": (n.child(r"^description\s+(.+)$") or [None, None])[1],
            "mode": mode,
            "vlan": int(vlan.group(1)) if vlan else None,
            "shutdown": n.has(r"^shutdown$"),
            "addresses": [a for a in addrs if a],
            "port_security": {
                "enabled": n.has(r"^port-security\s+enable"),
                "max_macs": int(maxm.group(1)) if maxm else (1 if n.has(r"^port-security\s+enable") else None),
                "sticky": n.has(r"^port-security\s+mac-address\s+sticky$") or bool(sticky),
                "macs": [x for x in sticky if x],
            },
            "ip_source_check": n.has(r"^ip\s+source\s+check\s+user-bind\s+enable"),
            "dhcp_snooping_trusted": n.has(r"^dhcp\s+snooping\s+trusted"),
            "line": n.line,
        })
    return out


def bindings(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^user-bind\s+static\s+ip-address\s+(\S+)\s+mac-address\s+(\S+)(?:\s+interface\s+(\S+))?"
                         r"(?:\s+vlan\s+(\d+))?"):
        out.append({"kind": "user-bind", "ip": m.group(1), "mac": mac(m.group(2)), "interface": m.group(3),
                    "vlan": int(m.group(4)) if m.group(4) else None, "line": n.line})
    for m, n in cfg.each(r"^mac-address\s+static\s+(\S+)\s+(\S+)\s+vlan\s+(\d+)"):
        out.append({"kind": "static-mac", "ip": None, "mac": mac(m.group(1)), "interface": m.group(2),
                    "vlan": int(m.group(3)), "line": n.line})
    for m, n in cfg.each(r"^interface\s+(\S+)$"):
        for s, c in n.each(r"^port-security\s+mac-address\s+sticky\s+(\S+)(?:\s+vlan\s+(\d+))?"):
            out.append({"kind": "sticky", "ip": None, "mac": mac(s.group(1)), "interface": m.group(1),
                        "vlan": int(s.group(2)) if s.group(2) else None, "line": c.line})
    return out


def dhcp_snooping(cfg: Config) -> dict[str, Any]:
    vlans: list[int] = []
    for m, n in cfg.each(r"^vlan\s+(\d+)$"):
        if n.has(r"^dhcp\s+snooping\s+enable"):
            vlans.append(int(m.group(1)))
    for m, _ in cfg.each(r"^dhcp\s+snooping\s+enable\s+vlan\s+(.+)$"):
        vlans.extend(vlan_list(m.group(1).split()))
    return {"enabled": cfg.has(r"^dhcp\s+snooping\s+enable$") or bool(vlans), "vlans": sorted(set(vlans))}


def firewall(cfg: Config) -> dict[str, Any]:
    zones = []
    for m, n in cfg.each(r"^firewall\s+zone\s+(?:name\s+)?(\S+)"):
        n = cfg.flat_block(n)
        pr = n.child(r"^set\s+priority\s+(\d+)")
        zones.append({"name": m.group(1), "priority": int(pr.group(1)) if pr else None,
                      "interfaces": [a.group(1) for a, _ in n.each(r"^(?:add|import)\s+interface\s+(\S+)")]})
    policies, default = [], None
    for _, sp in cfg.each(r"^security-policy$"):
        d = sp.child(r"^default\s+action\s+(permit|deny)")
        default = d.group(1) if d else "deny"  # USG's default rule denies unless changed
        for rm, r in sp.each(r"^rule\s+name\s+(\S+)"):
            policies.append(_policy(rm.group(1), r))
    legacy = []
    for m, n in cfg.each(r"^firewall\s+packet-filter\s+default\s+(permit|deny)(.*)$"):
        legacy.append({"action": m.group(1), "scope": m.group(2).strip(), "line": n.line})
    if default is None and legacy:
        default = "permit" if any(x["action"] == "permit" for x in legacy) else "deny"
    return {"zones": zones, "policies": policies, "default_action": default, "packet_filter_defaults": legacy,
            "present": bool(zones or policies or legacy)}


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


def nat_servers(cfg: Config) -> list[dict[str, Any]]:
    out = []
    pat = (r"^nat\s+server\s+(?:(?!protocol|global|zone)(\S+)\s+)?(?:zone\s+(\S+)\s+)?(?:protocol\s+(\S+)\s+)?"
           r"global\s+(\S+)(?:\s+(\S+))?\s+inside\s+(\S+)(?:\s+(\S+))?")
    nodes = list(cfg.walk())
    for n in nodes:
        m = re.match(pat, n.text)
        if not m:
            continue
        g_port, i_port = m.group(5), m.group(7)
        out.append({"name": m.group(1), "zone": m.group(2), "protocol": m.group(3) or "any",
                    "global_address": m.group(4), "global_port": port(g_port) if g_port else None,
                    "inside_address": m.group(6), "inside_port": port(i_port) if i_port else None, "line": n.line})
    return out


def syslog_hosts(cfg: Config) -> list[str]:
    return sorted({m.group(1) for m, _ in cfg.each(r"^info-center\s+loghost\s+(?!source)(\S+)")})


def ntp_servers(cfg: Config) -> list[str]:
    return sorted({m.group(1) for m, _ in cfg.each(r"^ntp-service\s+unicast-server\s+(\S+)")})


def device(cfg: Config) -> dict[str, Any]:
    ver = None
    for line in cfg.lines[:5]:
        m = re.match(r"^!Software Version\s+(\S+)", line.strip())
        if m:
            ver = m.group(1)
    name = cfg.first(r"^sysname\s+(\S+)")[0]
    return {"hostname": name.group(1) if name else None, "version": ver}


def parse(cfg: Config, judge: Judge, vendor: str = "huawei") -> dict[str, Any]:
    ifaces = interfaces(cfg)
    return {
        "device": device(cfg),
        "users": users(cfg, judge, vendor),
        "password_policy": password_policy(cfg),
        "management": management(cfg),
        "snmp": snmp(cfg, judge, vendor),
        "syslog": {"hosts": syslog_hosts(cfg)},
        "ntp": {"servers": ntp_servers(cfg)},
        "interfaces": ifaces,
        "bindings": bindings(cfg),
        "dhcp_snooping": dhcp_snooping(cfg),
        "firewall": firewall(cfg),
        "nat_servers": nat_servers(cfg),
    }
