"""Cisco IOS and IOS-XE: `show running-config` as facts.

Read from the IOS configuration guides and command references: `username … password|secret`, `enable
password|secret`, `service password-encryption`, `security passwords min-length`, `login block-for`,
`line vty … transport input`, `ip ssh version`, `ip http server|secure-server`, `snmp-server community`,
`logging host`, `ntp server`, `switchport mode|port-security`, `ip dhcp snooping`, `ip source binding`,
`mac address-table static`, `zone security` / `zone-member security`, and `ip nat inside source static`.
A vty range without `transport input` is not restricted to SSH (the IOS default admits Telnet).
"""

from __future__ import annotations

import re
from typing import Any

from checker.devices.common import SECRET, mac, port, prefix, vlan_list
from checker.devices.credentials import Judge
from checker.devices.tree import Config


def users(cfg: Config, judge: Judge) -> list[dict[str, Any]]:
    found = []
    for m, n in cfg.each(rf"^username\s+(\S+)(?:\s+privilege\s+(\d+))?(?:\s+\S+)*?\s+(password|secret)"
                         rf"(?:\s+(\d))?\s+{SECRET}\s*$"):
        rec: dict[str, Any] = {"name": m.group(1), "kind": "username",
                               "privilege": int(m.group(2)) if m.group(2) else 1, "services": [],
                               "line": n.line, "state": "active"}
        rec.update(judge.credential("cisco", f"{m.group(3)} {m.group(4) or '0'} {m.group(5)}", m.group(1)))
        found.append(rec)
    for m, n in cfg.each(r"^username\s+(\S+)\s(?:.*\s)?nopassword(?:\s|$)"):
        # `nopassword`: the account logs in with no password at all
        pm = re.search(r"\sprivilege\s+(\d+)", n.text)
        found.append({"name": m.group(1), "kind": "username", "privilege": int(pm.group(1)) if pm else 1,
                      "services": [], "line": n.line, "state": "active", "storage": "plain",
                      "scheme": "cisco-nopassword", "weak": True, "weak_reason": "empty", "share_key": None})
    for m, n in cfg.each(rf"^enable\s+(password|secret)(?:\s+level\s+\d+)?(?:\s+(\d))?\s+{SECRET}\s*$"):
        rec = {"name": f"enable {m.group(1)}", "kind": "enable", "privilege": 15, "services": [], "line": n.line,
               "state": "active"}
        rec.update(judge.credential("cisco", f"{m.group(1)} {m.group(2) or '0'} {m.group(3)}", "enable"))
        found.append(rec)
    for m, n in cfg.each(r"^line\s+(con|console|vty|aux)\s+(.+)$"):
        pm = n.child(rf"^password(?:\s+(\d))?\s+{SECRET}\s*$")
        if pm:
            rec = {"name": f"line {m.group(1)} {m.group(2)}", "kind": "line", "privilege": None, "services": [],
                   "line": n.line, "state": "active"}
            rec.update(judge.credential("cisco", f"password {pm.group(1) or '0'} {pm.group(2)}", "cisco"))
            found.append(rec)
    return found


def password_policy(cfg: Config) -> dict[str, Any]:
    ml = cfg.first(r"^security\s+passwords\s+min-length\s+(\d+)")[0]
    block = cfg.first(r"^login\s+block-for\s+(\d+)\s+attempts\s+(\d+)\s+within\s+(\d+)")[0]
    maxfail = cfg.first(r"^aaa\s+local\s+authentication\s+attempts\s+max-fail\s+(\d+)")[0]
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


def interfaces(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^interface\s+(\S+)$"):
        name = m.group(1)
        sw = n.child(r"^switchport\s+mode\s+(\S+)")
        addrs = [prefix(a.group(1), a.group(2)) for a, _ in n.each(r"^ip\s+address\s+(\d\S+)\s+(\d\S+)")]
        if name.lower().startswith(("vlan", "loopback", "null", "tunnel", "port-channel")) and not sw:
            mode = "routed" if addrs else "virtual"
        elif sw:
            mode = {"dynamic": "unknown"}.get(sw.group(1), sw.group(1))
        elif n.has(r"^no\s+switchport$") or addrs:
            mode = "routed"
        else:
            mode = "unknown"  # a switch port left in dynamic mode: it may negotiate a trunk
        vlan = n.child(r"^switchport\s+access\s+vlan\s+(\d+)")
        maxm = n.child(r"^switchport\s+port-security\s+maximum\s+(\d+)")
        enabled = n.has(r"^switchport\s+port-security$")
        macs = [mac(s.group(1)) for s, _ in n.each(r"^switchport\s+port-security\s+mac-address\s+(?:sticky\s+)?"
                                                     r"([0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4})")]
        out.append({
            "name": name,
            "description": (n.child(r"^description\s+(.+)$") or [None, None])[1],
            "mode": mode,
            "vlan": int(vlan.group(1)) if vlan else (1 if mode == "access" else None),
            "shutdown": n.has(r"^shutdown$"),
            "addresses": [a for a in addrs if a],
            "port_security": {"enabled": enabled, "max_macs": int(maxm.group(1)) if maxm else (1 if enabled else None),
                              "sticky": n.has(r"^switchport\s+port-security\s+mac-address\s+sticky"),
                              "macs": [x for x in macs if x]},
            "ip_source_check": n.has(r"^ip\s+verify\s+source"),
            "dhcp_snooping_trusted": n.has(r"^ip\s+dhcp\s+snooping\s+trust"),
            "zone": (n.child(r"^zone-member\s+security\s+(\S+)") or [None, None])[1],
            "nat": (n.child(r"^ip\s+nat\s+(inside|outside)") or [None, None])[1],
            "line": n.line,
        })
    return out


def bindings(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^ip\s+source\s+binding\s+(\S+)\s+vlan\s+(\d+)\s+(\S+)\s+interface\s+(\S+)"):
        out.append({"kind": "ip-source", "ip": m.group(3), "mac": mac(m.group(1)), "interface": m.group(4),
                    "vlan": int(m.group(2)), "line": n.line})
    for m, n in cfg.each(r"^mac\s+address-table\s+static\s+(\S+)\s+vlan\s+(\d+)\s+interface\s+(\S+)"):
        out.append({"kind": "static-mac", "ip": None, "mac": mac(m.group(1)), "interface": m.group(3),
                    "vlan": int(m.group(2)), "line": n.line})
    for m, n in cfg.each(r"^interface\s+(\S+)$"):
        for s, c in n.each(r"^switchport\s+port-security\s+mac-address\s+(?:sticky\s+)?"
                           r"([0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4})(?:\s+vlan\s+(\d+))?"):
            out.append({"kind": "sticky", "ip": None, "mac": mac(s.group(1)), "interface": m.group(1),
                        "vlan": int(s.group(2)) if s.group(2) else None, "line": c.line})
    return out


def dhcp_snooping(cfg: Config) -> dict[str, Any]:
    vlans: list[int] = []
    for m, _ in cfg.each(r"^ip\s+dhcp\s+snooping\s+vlan\s+(.+)$"):
        vlans.extend(vlan_list(m.group(1).replace(",", " ").split()))
    return {"enabled": cfg.has(r"^ip\s+dhcp\s+snooping$"), "vlans": sorted(set(vlans))}


def firewall(cfg: Config, ifaces: list[dict[str, Any]]) -> dict[str, Any]:
    zones = []
    for m, _ in cfg.each(r"^zone\s+security\s+(\S+)"):
        zones.append({"name": m.group(1), "priority": None,
                      "interfaces": [i["name"] for i in ifaces if i.get("zone") == m.group(1)]})
    pairs = [{"name": m.group(1), "source_zones": [m.group(2)], "destination_zones": [m.group(3)],
              "source_addresses": [], "destination_addresses": [], "services": [], "applications": [],
              "action": "inspect", "disabled": False, "line": n.line}
             for m, n in cfg.each(r"^zone-pair\s+security\s+(\S+)\s+source\s+(\S+)\s+destination\s+(\S+)")]
    # zone-based firewall: traffic between zones without a zone-pair is dropped
    return {"zones": zones, "policies": pairs, "default_action": "deny" if zones else None,
            "packet_filter_defaults": [], "present": bool(zones)}


def nat_servers(cfg: Config) -> list[dict[str, Any]]:
    out = []
    for m, n in cfg.each(r"^ip\s+nat\s+inside\s+source\s+static\s+(?:(tcp|udp)\s+)?(\d\S+)\s+(?:(\S+)\s+)?"
                         r"(?:interface\s+(\S+)|(\d\S+))\s*(\S+)?"):
        proto, local, lport, iface, glob, gport = m.groups()
        if proto is None:  # static 1:1 NAT: local global
            lport, gport = None, None
        out.append({"name": None, "zone": None, "protocol": proto or "any", "global_address": glob or iface,
                    "global_port": port(gport) if gport and gport != "extendable" else None,
                    "inside_address": local, "inside_port": port(lport) if lport else None, "line": n.line})
    return out


def device(cfg: Config) -> dict[str, Any]:
    v = cfg.first(r"^version\s+(\S+)")[0]
    h = cfg.first(r"^hostname\s+(\S+)")[0]
    return {"hostname": h.group(1) if h else None, "version": v.group(1) if v else None}


def parse(cfg: Config, judge: Judge) -> dict[str, Any]:
    ifaces = interfaces(cfg)
    return {
        "device": device(cfg),
        "users": users(cfg, judge),
        "password_policy": password_policy(cfg),
        "management": management(cfg),
        "snmp": snmp(cfg, judge),
        "syslog": {"hosts": sorted({m.group(1) for m, _ in cfg.each(r"^logging\s+(?:host\s+)?(\d[\d.]+)")})},
        "ntp": {"servers": sorted({m.group(1) for m, _ in cfg.each(r"^ntp\s+server\s+(?:vrf\s+\S+\s+)?(\S+)")})},
        "interfaces": ifaces,
        "bindings": bindings(cfg),
        "dhcp_snooping": dhcp_snooping(cfg),
        "firewall": firewall(cfg, ifaces),
        "nat_servers": nat_servers(cfg),
    }
