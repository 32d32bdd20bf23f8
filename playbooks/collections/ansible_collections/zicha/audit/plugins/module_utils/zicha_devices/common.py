"""Small helpers shared by the vendor parsers."""

from __future__ import annotations

import ipaddress
from typing import Any
import re

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.passwords import DELIMITERS


def split_secret(text: str) -> tuple[str, str]:
    """The stored secret at the start of `text`, and what follows it: a delimited cipher envelope (which may
    hold any character, spaces too: `%^%#a b%^%#`), a quoted string, or one token. Linear in the text:
    a secret of any size or shape cannot make the parsers slow."""
    text = text.strip()
    for d in DELIMITERS:
        if text.startswith(d):
            end = text.find(d, len(d))
            if end != -1:
                return text[:end + len(d)], text[end + len(d):].strip()
    if text.startswith('"'):
        end = text.find('"', 1)
        if end != -1:
            return text[:end + 1], text[end + 1:].strip()
    parts = text.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (parts[1] if len(parts) > 1 else "")


def keyword_secret(text: str, keywords: tuple[str, ...]) -> tuple[str, str, str] | None:
    """`text` as KEYWORD SECRET [REST] (`cipher %^%#…%^%# mib-view x`): the keyword, the secret and the rest;
    None when it does not start with one of `keywords` followed by a secret."""
    parts = text.strip().split(None, 1)
    if len(parts) < 2 or parts[0] not in keywords:
        return None
    secret, rest = split_secret(parts[1])
    return (parts[0], secret, rest) if secret else None


def after(text: str, *words: str) -> str | None:
    """What follows the leading `words` of `text` (compared word by word, any spacing), or None."""
    rest = text
    for w in words:
        parts = rest.split(None, 1)
        if not parts or parts[0] != w:
            return None
        rest = parts[1] if len(parts) > 1 else ""
    return rest.strip()


def mac(text: str) -> str | None:
    """Any vendor's MAC notation (5489-98c0-7e34, 0050.7966.6800, 00:50:79:66:68:00) as aa:bb:cc:dd:ee:ff."""
    hexes = re.sub(r"[^0-9a-fA-F]", "", text)
    if len(hexes) != 12:
        return None
    h = hexes.lower()
    return ":".join(h[i:i + 2] for i in range(0, 12, 2))


def prefix(address: str, mask: str) -> str | None:
    """'10.1.2.3', '255.255.255.0' or '24' → '10.1.2.3/24'."""
    try:
        if mask.isdigit():
            return str(ipaddress.ip_interface(f"{address}/{num(mask, 3)}"))
        return str(ipaddress.ip_interface(f"{address}/{mask}"))
    except ValueError:
        return None


def num(text: str | None, digits: int = 9) -> int | None:
    """A number as the configuration writes it (ASCII digits, at most `digits` of them), else None: a
    hostile `privilege 99999…` of thousands of digits is not a number any firmware prints."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > digits:
        return None
    return int(text)


def vlan_list(words: list[str]) -> list[int]:
    """'10 20 to 25 30' → [10, 20, 21, …, 25, 30]; 'all' → [] (caller decides). Only VLAN IDs (1-4094)."""
    out: set[int] = set()

    def span(a: int | None, b: int | None) -> None:
        if a is not None and b is not None:
            out.update(range(max(a, 1), min(b, 4094) + 1))

    i = 0
    while i < len(words):
        w = words[i]
        if num(w) is not None:
            if i + 2 < len(words) and words[i + 1] == "to" and num(words[i + 2]) is not None:
                span(num(w), num(words[i + 2]))
                i += 3
                continue
            span(num(w), num(w))
        elif re.match(r"^\d{1,9}-\d{1,9}$", w):
            a, b = w.split("-")
            span(num(a), num(b))
        elif "," in w:
            out.update(vlan_list(w.replace(",", " ").split()))
        i += 1
    return sorted(out)


def port(value: str | None) -> int | None:
    """A port number or a well-known service keyword as the vendors print it."""
    if value is None:
        return None
    if value.isdigit():
        return num(value, 5)
    return {"www": 80, "http": 80, "https": 443, "ftp": 21, "telnet": 23, "smtp": 25, "pop3": 110, "ssh": 22,
            "domain": 53, "dns": 53, "ntp": 123, "snmp": 161, "rdp": 3389}.get(value.lower())



# ---------------------------------------------------------------- records the three languages share


def unknown_credential(scheme: str, note: str, line: int) -> dict[str, Any]:
    """What a credential line not read here becomes: present, of unknown storage (the rules say error)."""
    return {"storage": "unknown", "scheme": scheme, "weak": None, "weak_reason": None, "share_key": None,
            "unverifiable": note, "line": line}


def no_authentication(line: int) -> dict[str, Any]:
    """A login line that asks for nothing (`authentication-mode none`; Cisco `no login`)."""
    return {"storage": "plain", "scheme": "no-authentication", "weak": True, "weak_reason": "no_authentication",
            "share_key": None, "line": line}


def unattached_password(line: int, owner: str) -> dict[str, object]:
    """A password line outside any account's (or line's) view: its view was lost (paging, a cut), so not read."""
    return {"name": f"line {line}", "kind": "unattached", "privilege": None, "services": [], "state": "active",
            **unknown_credential("unattached-password-line", f"a password line outside any {owner}'s view", line)}


def line_account(name: str, **credential: object) -> dict[str, object]:
    """A console, vty or user-interface line as an account: no user name, no privilege of its own, always active."""
    return {"name": name, "kind": "line", "privilege": None, "services": [], "state": "active", **credential}


def binding(kind: str, mac_text: str, interface: str | None, vlan: str | None, line: int,
            ip: str | None = None) -> dict[str, object]:
    """An address binding (ip-source, static-mac, sticky): the MAC as zicha writes it, the VLAN as a number."""
    return {"kind": kind, "ip": ip, "mac": mac(mac_text), "interface": interface,
            "vlan": int(vlan) if vlan else None, "line": line}


def unattached_passwords(cfg, owner: str) -> list[dict[str, object]]:
    """The password lines at the top level of a configuration (cfg: tree.Config): each an unread credential."""
    return [unattached_password(n.line, owner) for n in cfg.roots if n.text.split()[:1] == ["password"]]


def interface_record(n, name: str, mode: str, vlan, addrs: list, dhcp: bool) -> dict[str, object]:
    """What every language's interface record starts with (n: the interface's tree.Node; vlan: the match of its
    access VLAN, if any). An access port without one is in VLAN 1, the default of all three vendors."""
    return {"name": name, "description": (n.child(r"^description\s+(.+)$") or [None, None])[1], "mode": mode,
            "vlan": int(vlan.group(1)) if vlan else (1 if mode == "access" else None),
            "shutdown": n.has(r"^shutdown$"), "addresses": [a for a in addrs if a], "dhcp_address": dhcp,
            "line": n.line}


def read_bindings(cfg, top: list[tuple], per_interface: list[tuple]) -> list[dict[str, object]]:
    """The address bindings a configuration declares (cfg: tree.Config). top: (kind, pattern, groups) of global
    lines, groups giving the match groups of (mac, interface, vlan, ip), 0 for none; per_interface: the same for
    the lines inside an interface view, groups (mac, vlan, ip), the interface being the view's."""
    def g(m, i):
        return m.group(i) if i else None

    out: list[dict[str, object]] = []
    for kind, pattern, (mc, iface, vlan, ip) in top:
        for m, n in cfg.each(pattern):
            out.append(binding(kind, m.group(mc), g(m, iface), g(m, vlan), n.line, ip=g(m, ip)))
    if per_interface:
        for m, n in cfg.each(r"^interface\s+(\S+)"):
            for kind, pattern, (mc, vlan, ip) in per_interface:
                for b, c in n.each(pattern):
                    out.append(binding(kind, b.group(mc), m.group(1), g(b, vlan), c.line, ip=g(b, ip)))
    return out


def nat_problems(unread: list[int], what: str) -> dict[str, str]:
    """The problem a device's facts carry when NAT lines were not read (their line numbers): a port mapping may be
    missed, so the rules that count mappings say error."""
    if not unread:
        return {}
    return {"nat_servers": (f"{len(unread)} {what} line(s) in a form the parser does not read (line "
                            f"{', '.join(map(str, unread[:5]))}): a port mapping may be missed")}
