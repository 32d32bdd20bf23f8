"""Access lists as firewall policy, and the interfaces they guard at the boundary.

A router or switch filters with access lists applied to interfaces: Cisco `ip access-group NAME in`, Huawei
`traffic-filter inbound acl 3000`, H3C `packet-filter 3000 inbound` (Comware V5 routers: `firewall
packet-filter 3000 inbound`). On an interface that faces outside, the inbound list is the boundary policy:
each entry is a rule, an entry that permits `ip` from any source to any destination is an any-to-any permit,
and what no entry matches is the list's default. Cisco denies what no entry permits (the implicit `deny ip
any any` at the end of every list); Huawei and H3C permit it (their packet filters forward unmatched
packets unless `packet-filter default deny` says otherwise). So a list decides by default what its first
any-to-any entry says, or else what the vendor does with unmatched packets.

Which interfaces face outside is read from the configuration itself: NAT outside (`ip nat outside`, `nat
outbound`), a port mapping (`nat server`) on the interface, the interface a default route leaves by, a
zone named outside/untrust/internet, or a public address of its own.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.common import num as common_num
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.tree import Config, Node


@dataclass
class Entry:
    """One entry of an access list."""

    action: str  # permit | deny
    protocol: str  # ip, tcp, udp, icmp, a number…
    source: str  # "any" or the address as written
    destination: str
    service: str | None  # the destination port condition ("tcp eq 443"), None for the whole protocol
    restricted: bool  # other conditions (established, tcp flags, DSCP, fragments, a VPN instance…)
    line: int

    @property
    def any_any(self) -> bool:
        return (self.protocol in ("ip", "any") and self.source == "any" and self.destination == "any"
                and self.service is None and not self.restricted)


@dataclass
class AccessList:
    name: str
    entries: list[Entry] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # lines of entries in a form not read here
    line: int | None = None

    def first_any_any(self) -> Entry | None:
        return next((e for e in self.entries if e.any_any), None)


# conditions that do not narrow what an entry matches
_HARMLESS = {"log", "log-input", "logging", "counting", "time-range"}
_PORT_OPS = {"eq": 1, "neq": 1, "gt": 1, "lt": 1, "range": 2}


def _wild(addr: str, wildcard: str) -> str:
    """An address and its wildcard as one value: `any` when the wildcard matches everything."""
    if wildcard in ("255.255.255.255",) or addr in ("0.0.0.0",) and wildcard in ("255.255.255.255",):
        return "any"
    if wildcard in ("0", "0.0.0.0"):
        return addr
    return f"{addr} {wildcard}"


# ---------------------------------------------------------------------------------------------------------------
# Cisco IOS
# ---------------------------------------------------------------------------------------------------------------

def _cisco_address(words: list[str], i: int) -> tuple[str, int] | None:
    """`any`, `host A`, `A W`, `object-group X`, `addrgroup X` at words[i]: the value and the next index."""
    if i >= len(words):
        return None
    w = words[i]
    if w == "any":
        return "any", i + 1
    if w in ("host", "object-group", "addrgroup") and i + 1 < len(words):
        return (words[i + 1] if w == "host" else f"{w} {words[i + 1]}"), i + 2
    if _is_ipv4(w):
        if i + 1 < len(words) and _is_ipv4(words[i + 1]):
            return _wild(w, words[i + 1]), i + 2
        return w, i + 1
    return None


def _ports(words: list[str], i: int) -> tuple[str | None, int]:
    if i < len(words) and words[i] in _PORT_OPS:
        n = _PORT_OPS[words[i]]
        return " ".join(words[i:i + 1 + n]), i + 1 + n
    return None, i


def cisco_entry(words: list[str], standard: bool, line: int) -> Entry | None:
    """`[seq] permit|deny …` of a named list, or what follows `access-list N` of a numbered one."""
    if words and words[0].isdigit():
        words = words[1:]
    if not words or words[0] not in ("permit", "deny"):
        return None
    action = words[0]
    if standard:
        src = _cisco_address(words, 1)
        if src is None:
            return None
        rest = words[src[1]:]
        return Entry(action, "ip", src[0], "any", None, any(w not in _HARMLESS for w in rest), line)
    if len(words) < 4:
        return None
    proto = words[1]
    src = _cisco_address(words, 2)
    if src is None:
        return None
    sport, i = _ports(words, src[1])
    dst = _cisco_address(words, i)
    if dst is None:
        return None
    dport, i = _ports(words, dst[1])
    rest = words[i:]
    service = f"{proto} {dport}" if dport else None
    return Entry(action, proto, src[0], dst[0], service, bool(sport) or any(w not in _HARMLESS for w in rest), line)


def cisco_lists(cfg: Config) -> dict[str, AccessList]:
    lists: dict[str, AccessList] = {}
    for _, n in cfg.each(r"^access-list\s"):
        words = n.text.split()
        if len(words) < 3 or words[2] == "remark":
            continue
        name = words[1]
        acl = lists.setdefault(name, AccessList(name, line=n.line))
        num = common_num(name) or 0
        e = cisco_entry(words[2:], num < 100 or 1300 <= num <= 1999, n.line)
        (acl.entries.append(e) if e else acl.unread.append(n.line))
    for m, n in cfg.each(r"^ip\s+access-list\s+(standard|extended)\s+(\S+)"):
        acl = lists.setdefault(m.group(2), AccessList(m.group(2), line=n.line))
        for c in n.children:
            words = c.text.split()
            if not words or words[0] == "remark" or (words[0].isdigit() and words[1:2] == ["remark"]):
                continue
            e = cisco_entry(words, m.group(1) == "standard", c.line)
            (acl.entries.append(e) if e else acl.unread.append(c.line))
    return lists


# ---------------------------------------------------------------------------------------------------------------
# Huawei VRP and H3C Comware: `rule [id] permit|deny [protocol] [source A W|any] [destination A W|any] …`
# ---------------------------------------------------------------------------------------------------------------

def vrp_entry(words: list[str], basic: bool, line: int) -> Entry | None:
    if not words or words[0] != "rule":
        return None
    i = 1
    if i < len(words) and words[i].isdigit():
        i += 1
    if i >= len(words) or words[i] not in ("permit", "deny"):
        return None
    action = words[i]
    i += 1
    proto = "ip"
    if not basic:
        if i >= len(words):
            return None
        proto = words[i]
        i += 1
    src, dst, service, restricted = "any", "any", None, False
    while i < len(words):
        w = words[i]
        if w in ("source", "destination") and i + 1 < len(words):
            if words[i + 1] == "any":
                value, i = "any", i + 2
            elif i + 2 < len(words) and _is_ipv4(words[i + 2]) or (i + 2 < len(words) and words[i + 2] == "0"):
                value, i = _wild(words[i + 1], words[i + 2]), i + 3
            else:
                value, i = words[i + 1], i + 2
            if w == "source":
                src = value
            else:
                dst = value
            continue
        if w in ("source-port", "destination-port"):
            op_words = words[i + 1:]
            n = _PORT_OPS.get(op_words[0], 0) if op_words else 0
            if w == "destination-port":
                service = f"{proto} {' '.join(op_words[:1 + n])}"
            else:
                restricted = True
            i += 2 + n
            continue
        if w in _HARMLESS:
            i += 2 if w == "time-range" else 1
            continue
        restricted = True
        i += 1
    return Entry(action, proto, src, dst, service, restricted, line)


def vrp_lists(cfg: Config) -> dict[str, AccessList]:
    """Huawei `acl number 3000` / `acl name X [advance|basic]`, H3C V7 `acl advanced 3000` / `acl basic name X`,
    V5 `acl number 3000 [name X]`. Basic lists are 2000-2999; a list is named by its number and its name."""
    lists: dict[str, AccessList] = {}
    for _, n in cfg.each(r"^acl\s"):
        words = n.text.split()
        number = next((w for w in words[1:] if w.isdigit()), None)
        name = words[words.index("name") + 1] if "name" in words and words.index("name") + 1 < len(words) else None
        n_ = common_num(number)
        basic = "basic" in words or (n_ is not None and 2000 <= n_ <= 2999)
        if "mac" in words or "ipv6" in words or "user" in words or (n_ is not None and n_ >= 4000):
            continue  # layer-2, IPv6 and user lists: not read here
        acl = AccessList(name or number or words[-1], line=n.line)
        for c in n.children:
            cw = c.text.split()
            if not cw or cw[0] in ("description", "step"):
                continue
            e = vrp_entry(cw, basic, c.line)
            (acl.entries.append(e) if e else acl.unread.append(c.line))
        for key in (number, name):
            if key:
                lists[key] = acl
    return lists


# ---------------------------------------------------------------------------------------------------------------
# the boundary
# ---------------------------------------------------------------------------------------------------------------

_OUTSIDE_ZONE = re.compile(r"(?i)^(untrust|outside|internet|wan|external|isp)")


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


def public(prefix: str) -> bool:
    """A global unicast address: not private (RFC 1918), not shared (RFC 6598), not reserved or documentation."""
    try:
        ip = ipaddress.ip_interface(prefix).ip
    except ValueError:
        return False
    if ip.version == 4 and ip in ipaddress.ip_network("100.64.0.0/10"):
        return False
    return ip.is_global


def default_route_interfaces(cfg: Config, interfaces: list[dict[str, Any]], pattern: str) -> set[str]:
    """Interfaces a default route leaves by: named in the route, or holding the next hop in their subnet."""
    out: set[str] = set()
    names = {i["name"].lower(): i["name"] for i in interfaces}
    for m, _ in cfg.each(pattern):
        for w in m.group(1).split():
            if w.lower() in names:
                out.add(names[w.lower()])
            elif _is_ipv4(w):
                for i in interfaces:
                    for a in i.get("addresses", []):
                        try:
                            if ipaddress.ip_address(w) in ipaddress.ip_interface(a).network:
                                out.add(i["name"])
                        except ValueError:
                            continue
    return out


def boundary(interfaces: list[dict[str, Any]], zones: list[dict[str, Any]], default_out: set[str],
             marks: dict[str, list[str]]) -> dict[str, list[str]]:
    """The interfaces that face outside, each with why: `marks` (NAT outside, port mappings… per interface),
    the default route, an outside zone, a public address of its own."""
    why: dict[str, list[str]] = {}
    for name, reasons in marks.items():
        why.setdefault(name, []).extend(reasons)
    for name in default_out:
        why.setdefault(name, []).append("default route")
    for z in zones:
        if _OUTSIDE_ZONE.match(z["name"]):
            for name in z["interfaces"]:
                why.setdefault(name, []).append(f"zone {z['name']}")
    for i in interfaces:
        if i.get("mode") in ("routed",) or i.get("addresses"):
            if any(public(a) for a in i.get("addresses", [])):
                why.setdefault(i["name"], []).append("public address")
    return {k: sorted(set(v)) for k, v in why.items()}


def as_policy(acl: AccessList, e: Entry, where: str) -> dict[str, Any]:
    """An access-list entry as a firewall policy (the shape the firewall rules read)."""
    return {
        "name": f"{acl.name} (line {e.line})",
        "source_zones": [],
        "destination_zones": [],
        "source_addresses": [e.source],
        "destination_addresses": [e.destination],
        "services": [] if e.protocol in ("ip", "any") and e.service is None else [e.service or e.protocol],
        "applications": [],
        "action": e.action,
        "disabled": False,
        "restricted": e.restricted,
        "line": e.line,
        "applied": where,
    }


def filtered_boundary(outside: dict[str, list[str]], inbound: dict[str, str | None],
                      lists: dict[str, AccessList], unmatched: str,
                      inspect: dict[str, str | None] | None = None) -> dict[str, Any]:
    """What the inbound access lists on the outside interfaces make of the boundary: their entries as
    policies, and the default (deny only when every outside interface filters inbound and each list denies
    what it does not permit)."""
    policies: list[dict[str, Any]] = []
    per_interface = []
    unread: list[int] = []
    defaults = []
    for name in sorted(outside):
        acl_name = inbound.get(name)
        acl = lists.get(acl_name) if acl_name else None
        rec: dict[str, Any] = {"interface": name, "why": outside[name], "inbound": acl_name,
                               "inspect": (inspect or {}).get(name)}
        if acl_name and acl is None:
            rec["default"] = None
            rec["note"] = f"access list {acl_name} is applied but not defined: the device {unmatched}s everything"
            defaults.append(unmatched)
        elif acl is None:
            rec["default"] = "permit"
            rec["note"] = "no inbound access list: everything is forwarded"
            defaults.append("permit")
        else:
            first = acl.first_any_any()
            rec["default"] = first.action if first else unmatched
            defaults.append(rec["default"])
            policies.extend(as_policy(acl, e, f"{name} inbound") for e in acl.entries)
            unread.extend(acl.unread)
        per_interface.append(rec)
    default = None
    if defaults:
        default = "deny" if all(d == "deny" for d in defaults) else "permit"
    return {"policies": policies, "boundary": per_interface, "default_action": default, "unread": sorted(set(unread))}


def inbound_of(node: Node, pattern: str) -> str | None:
    m = node.child(pattern)
    return m.group(1) if m else None


def boundary_marks(ifaces: list[dict], nats: list[dict], nat_mark: str, nat_outside) -> dict[str, list[str]]:
    """Why each interface looks like it faces outside: NAT towards it (nat_outside(interface) says, nat_mark names
    it), an address from the provider, a port mapping on it."""
    marks: dict[str, list[str]] = {}
    for i in ifaces:
        if nat_outside(i):
            marks.setdefault(i["name"], []).append(nat_mark)
        if i.get("dhcp_address"):
            marks.setdefault(i["name"], []).append("address from the provider (DHCP/PPP)")
    for s in nats:
        if s.get("interface"):
            marks.setdefault(s["interface"], []).append("port mapping")
    return marks


def note_undetermined(out: dict, ifaces: list[dict]) -> None:
    """Access lists are applied but no interface can be told to face outside: the firewall policy is undetermined
    (said, so that the rule gives error rather than deciding on nothing)."""
    if out["basis"] is None and not out["boundary"]:
        filtered = [i["name"] for i in ifaces if i.get("inbound_filter")]
        if filtered:
            out["undetermined"] = (f"inbound access lists are applied ({', '.join(filtered[:3])}) but no interface "
                                   "can be told to face outside (no NAT outside, default route, outside zone or "
                                   "public address)")
