"""MAC address tables (`display mac-address`, `show mac address-table`) as rows: MAC, VLAN, port, type.

ntc-templates (TextFSM) reads them wherever it has the layout: Cisco IOS/IOS-XE (both the `Vlan Mac Address
Type Ports` table and the 2950's `Destination Address Address Type VLAN Destination Port`), H3C Comware V5
and V7, and Huawei's `MAC Address VLAN/VSI/BD Learned-From Type` table. It has no template for what most
Huawei S-series switches print (`MAC Address VLAN/ PEVLAN CEVLAN Port Type LSP/LSR-ID`, closed by `Total
matching items on slot 0 displayed = N`) nor for VRP8's table with its `Flags:` legend and `Age` column:
there a small parser of our own reads the columns under the table's own header. Both are tested on the
same recorded outputs.

What is not a device plugged into a port is left out: the switch's own entries (port CPU, Router, Switch,
Drop) and multicast or broadcast addresses. An empty list comes back only when the device said its table is
empty; a reply with no row read otherwise (an error, output cut short) raises MacTableError.
"""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import clean
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.common import mac


def ntc_of(platform: str) -> tuple[str, str] | None:
    """ntc-templates' platform and command for the platform's MAC table (the platform registry), if it has one."""
    from ansible_collections.zicha.audit.plugins.module_utils import zicha_devices

    cli = zicha_devices.CLI.get(platform) if platform in zicha_devices.platforms() else None
    return (cli["ntc_platform"], cli["mac_command"]) if cli and cli.get("ntc_platform") and cli.get("mac_command")         else None


class MacTableError(ValueError):
    """The reply to the MAC table command is not a table the parsers read (an error reply, a cut-off one)."""


# The reply each vendor gives when its MAC table is empty; anything else without a parsed row is an error.
# Huawei VRP: the table frame closed by `Total items displayed = 0` (S-series: `Total matching items … = 0`).
# Comware V5: `---  0 mac address(es) found  ---`; Comware V7: the column header alone.
# Cisco IOS: the table frame closed by `Total Mac Addresses for this criterion: 0`.
# (Within a line only: `^\s*` under (?m) would run over every following blank line from every line start.)
EMPTY = {
    "huawei_vrp": (r"(?im)^[ \t]*Total[ \t]+(?:matching[ \t]+)?items(?:[ \t]+on[ \t]+slot[ \t]+\S+)?"
                   r"[ \t]+displayed[ \t]*=[ \t]*0[ \t]*$",
                   r"(?im)^[ \t]*Total[ \t]+items[ \t]*:[ \t]*0[ \t]*$"),
    "h3c_comware": (r"(?im)^[ \t]*-+[ \t]*0[ \t]+mac[ \t]+address\(es\)[ \t]+found[ \t]*-+[ \t]*$",
                    r"(?i)^\s*MAC\s+ADDR(?:ESS)?\s+VLAN\s+ID\s+STATE\s+PORT[^\n]*$"),
    "cisco_ios": (r"(?im)^[ \t]*Total[ \t]+Mac[ \t]+Addresses[ \t]+for[ \t]+this[ \t]+criterion:[ \t]*0[ \t]*$",),
}
_MAC_TOKEN = re.compile(r"^(?:[0-9a-fA-F]{4}[.-][0-9a-fA-F]{4}[.-][0-9a-fA-F]{4}|(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2})$")
_MAC_LIKE = re.compile(r"(?i)\b[0-9a-f]{4}[.-][0-9a-f]{4}[.-][0-9a-f]{4}\b|\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b")
_ERROR_REPLY = re.compile(r"(?m)^[ \t]*(?:%|Error:|\^|Unrecognized command|Invalid input|Incomplete command|"
                          r"Ambiguous command)")
_PORT = re.compile(r"^(?:\d+GE|[A-Za-z][A-Za-z-]*)\d+(?:[/:.]\d+)*$")
_NOT_A_PORT = {"cpu", "router", "switch", "drop", "sup-eth1", "sup-eth2", "flood"}
_TYPES = ("dynamic", "static", "sticky", "security", "secure", "learned", "config", "blackhole", "self",
          "authen", "guest", "mux")
#: the header lines our parser knows, each with the order of its columns
_HEADERS = (
    re.compile(r"(?i)^\s*MAC\s+Address\s+VLAN/\s+PEVLAN\s+CEVLAN\s+Port"),   # Huawei S-series, AR
    re.compile(r"(?i)^\s*MAC\s+Address\s+VLAN/BD/\s+PEVLAN\s+CEVLAN\s+Port"),  # VRP8 routers
    re.compile(r"(?i)^\s*MAC\s+Address\s+VLAN/VSI(?:/BD)?\s+Learned-From\s+Type"),  # VRP8 CE, S-series V2R13+
    re.compile(r"(?i)^\s*MAC\s+ADDR(?:ESS)?\s+VLAN\s+ID\s+STATE\s+PORT"),  # Comware V5, V7
    re.compile(r"(?i)^\s*Vlan\s+Mac\s+Address\s+Type\s+Ports?\b"),  # Cisco IOS 12.2+, 15, IOS-XE
    re.compile(r"(?i)^\s*Destination\s+Address\s+Address\s+Type\s+VLAN\s+Destination\s+Port"),  # Cisco 2950
)


def empty_table(platform: str, text: str) -> bool:
    """True when `text` is this vendor's own answer for an empty MAC table (and nothing else)."""
    text = text or ""
    if _ERROR_REPLY.search(text) or _MAC_LIKE.search(text):
        return False
    return any(re.search(p, text.strip()) for p in EMPTY.get(platform, ()))


def _row(m: str, vlan: Any, port: Any, kind: Any) -> dict[str, Any] | None:
    norm = mac(m or "")
    if not norm or int(norm[:2], 16) & 1:  # not a MAC, or a multicast/broadcast address
        return None
    if isinstance(port, list):
        port = port[0] if port else None
    if not port or str(port).lower() in _NOT_A_PORT:
        return None
    try:
        v = int(str(vlan).split("/")[0])
    except (TypeError, ValueError):
        v = None
    return {"mac": norm, "vlan": v, "interface": str(port), "type": str(kind or "").lower()}


def ntc_rows(platform: str, text: str) -> list[dict[str, Any]]:
    """The rows ntc-templates reads; raises whatever TextFSM raises on a layout its template does not know."""
    from ntc_templates.parse import parse_output

    ntc_platform, command = ntc_of(platform)
    rows = parse_output(platform=ntc_platform, command=command, data=text)
    out = []
    for r in rows:
        rec = _row(r.get("destination_address") or r.get("mac_address") or r.get("mac") or "",
                   r.get("vlan") or r.get("vlan_id"),
                   r.get("destination_port") or r.get("port") or r.get("interface") or r.get("learned_from"),
                   r.get("type") or r.get("state"))
        if rec:
            out.append(rec)
    return out


def own_rows(text: str) -> list[dict[str, Any]]:
    """The rows under a header this module knows, read word by word: the MAC, the first VLAN-like word
    after it (`10`, `10/-/-`, `BD 1`), the word that names a port, and the entry type."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if any(h.match(line) for h in _HEADERS)), None)
    if start is None:
        raise MacTableError("no MAC table header this parser knows")
    out = []
    for line in lines[start + 1:]:
        words = line.split()
        at = next((i for i, w in enumerate(words[:3]) if _MAC_TOKEN.match(w)), None)
        if at is None:
            continue
        others = words[:at] + words[at + 1:]
        vlan = next((w.split("/")[0] for w in others if re.match(r"^\d+(?:/|$)", w)), None)
        port = next((w for w in words[at + 1:] if _PORT.match(w) and not w.lower().startswith(_TYPES)), None)
        if port is None:
            port = next((w for w in words[at + 1:] if w.lower() in _NOT_A_PORT), None)
        kind = next((w for w in words if w.lower().startswith(_TYPES)), "")
        rec = _row(words[at], vlan, port, kind)
        if rec:
            out.append(rec)
        elif port is None and mac(words[at]) and not int(mac(words[at])[:2], 16) & 1:
            raise MacTableError(f"a row with no port this parser can tell (line {lines.index(line) + 1})")
    return out


def rows(platform: str, text: str) -> tuple[list[dict[str, Any]], str]:
    """The table's rows, and which parser read them ("ntc-templates" or "zicha")."""
    body = "\n".join(line for line in clean.clean(text or "")).strip("\n") + "\n"
    got: list[dict[str, Any]] | None = None
    how = "zicha"
    if ntc_of(platform):
        try:
            got = ntc_rows(platform, body)
            how = "ntc-templates"
        except Exception:  # TextFSM's own errors quote the line they stopped at: the layout is not its
            got = None
        if got == [] and _MAC_LIKE.search(body):
            got = None  # a table with rows the template does not read
    if got is None:
        got, how = own_rows(body), "zicha"
    if not got and not empty_table(platform, body):
        raise MacTableError("no MAC address entry was read, and the reply is not the device's answer for an "
                            "empty table (an error reply, or output cut short)")
    return got, how


def fact(platform: str, source: str, text: str) -> dict[str, Any]:
    """The mac_table fact envelope: the rows, or an error that quotes nothing of the reply."""
    try:
        return {"source": source, "value": rows(platform, text)[0]}
    except MacTableError as e:
        return {"source": source, "error": f"unparsable: {e}"}
    except Exception as e:  # noqa: BLE001 - any parser failure is an unreadable table, named by kind only
        return {"source": source, "error": f"unparsable: the reply does not match the {platform} MAC table layout "
                                           f"({type(e).__name__})"}
