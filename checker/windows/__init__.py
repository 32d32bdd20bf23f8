"""Windows terminals: the outputs zicha_windows_facts.ps1 gathers, normalised into facts.

The module returns each command's own output as text (Windows PowerShell 5.1 `ConvertTo-Json`, `secedit
/export`, `reg query`, `net accounts`), so this normaliser reads exactly the formats an operator sees, and is
tested with recorded outputs in those formats (tests/fixtures/windows): no Windows host can run here.

Format notes: PS 5.1 JSON prints dates as "\\/Date(ms)\\/" and enums as integers; one object is `{…}`, several
`[…]`, none is empty output; files may carry a UTF-8 or UTF-16LE byte-order mark.
"""

from __future__ import annotations

from typing import Any

from checker.windows.network import (LEGACY_SOURCES, interfaces, legacy, lookup, network_config, probes,
                                     route_lookups, routes)
from checker.windows.security import (accounts_policy, antivirus, audit_policy, autologon, host_firewall, listening,
                                      password_policy, session_lock, time_sync, updates, usb_storage)
from checker.windows.services import (EVENT_LOGS, accounts, backups, log_forwarding, log_retention, nat_servers,
                                      nxlog_outputs, remote_access, restore_tests, snmpd, wbadmin_versions)
from checker.windows.sources import SOURCES
from checker.windows.values import Unreadable, ps_date, ps_json, reg_value, text

# what tests and other stages read from this package: the whole and the parsers worth testing alone
__all__ = ["EVENT_LOGS", "FACTS", "LEGACY_SOURCES", "SOURCES", "Unreadable", "facts", "lookup", "nxlog_outputs",
           "ps_date", "ps_json", "reg_value", "text", "wbadmin_versions"]

FACTS = [
    ("antivirus", antivirus, "mp_status"),
    ("host_firewall", host_firewall, "firewall_profiles"),
    ("password_policy", password_policy, "secedit"),
    ("usb_storage", usb_storage, "usbstor"),
    ("session_lock", session_lock, "screensaver"),
    ("autologon", autologon, "autologon"),
    ("updates", updates, "updates"),
    ("audit_policy", audit_policy, "secedit"),
    ("builtin_accounts", accounts_policy, "secedit"),
    ("time_sync", time_sync, "w32time"),
    ("listening", listening, "listening"),
    ("routes", routes, "routes"),
    ("interfaces", interfaces, "adapters"),
    ("network_config", network_config, "network_config"),
    ("route_lookups", route_lookups, "route_lookups"),
    ("probes", probes, "probes"),
    ("log_forwarding", log_forwarding, "log_forwarding"),
    ("log_retention", log_retention, "event_logs"),
    ("snmpd", snmpd, "snmp"),
    ("remote_access", remote_access, "remote_access"),
    ("accounts", accounts, "local_users"),
    ("nat_servers", nat_servers, "port_mappings"),
    ("backups", backups, "backups"),
    ("restore_tests", restore_tests, "restore_log"),
]


def facts(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    try:
        raw, translated = legacy(raw)
    except (Unreadable, ValueError, KeyError, TypeError) as e:
        translated, why = set(), f"unreadable: Windows 7 network listing: {e}"
        raw = dict(raw, **{k: {"out": "", "error": why} for k in ("routes", "adapters", "ip_addresses",
                                                                  "ip_interfaces", "listening", "firewall_profiles")})
    for key, fn, src in FACTS:
        source = LEGACY_SOURCES[src] if src in translated else SOURCES[src]
        try:
            out[key] = {"source": source, "value": fn(raw)}
        except (Unreadable, ValueError, KeyError, TypeError) as e:
            out[key] = {"source": source, "error": f"unreadable: {e}"}
    return out
