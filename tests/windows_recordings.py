"""Recorded Windows outputs (tests/fixtures/windows/), as zicha_windows_facts.ps1 and zicha-collect.ps1 return them,
and the file zicha-collect.ps1 would write from them: used by the tests and by the lab's Windows terminals, since no
Windows host can run here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from checker import offline, windows, winscript

FIX = Path(__file__).parent / "fixtures" / "windows"


def raw_of(terminal: str) -> dict:
    """What zicha_windows_facts.ps1 returns: each command's output as text, or the error it gave."""
    d = FIX / terminal

    def out(name: str) -> dict:
        p = d / name
        if p.exists():
            return {"out": windows.text(p.read_bytes())}
        err = d / (name.rsplit(".", 1)[0] + ".stderr.txt")  # what the command printed instead (its error)
        if err.exists():
            return {"out": "", "error": windows.text(err.read_bytes()).strip()}
        return {"out": "", "error": "not captured"}

    return {
        "mp_status": out("Get-MpComputerStatus.json"),
        "av_products": out("AntiVirusProduct.json"),
        "firewall_profiles": out("Get-NetFirewallProfile.json"),
        "secedit": out("secedit-export.inf"),
        "net_accounts": out("net-accounts.zh-CN.gbk.txt"),
        "usbstor": out("reg-USBSTOR-Start.txt"),
        "screensaver": out("HKU-Desktop.json"),
        "inactivity": out("reg-PoliciesSystem-InactivityTimeoutSecs.txt"),
        "autologon": out("reg-Winlogon-AutoAdminLogon.txt"),
        "updates": out("WindowsUpdate-pending.json"),
        "time_service": out("Get-Service-W32Time.json"),
        "listening": out("Listening.json"),
        "w32time": out("reg-W32Time-Parameters.txt"),
        "w32time_policy": out("reg-W32TimePolicy-Parameters.txt"),
        "routes": out("Get-NetRoute.json"),
        "adapters": out("Get-NetAdapter.json"),
        "ip_addresses": out("Get-NetIPAddress.json"),
        "ip_interfaces": out("Get-NetIPInterface.json"),
        "route_lookups": out("RouteLookups.json"),
        "probes": out("Probes.json"),
        "wef": out("reg-EventForwarding-SubscriptionManager.txt"),
        "forwarders": out("Get-Service-Forwarders.json"),
        "nxlog_conf": out("nxlog.conf"),
        "event_logs": out("EventLogs.json"),
        "snmp": out("Snmp.json"),
        "remote_access": out("RemoteAccess.json"),
        "local_users": out("LocalUsers.json"),
        "legacy_net": out("LegacyNet.json"),
        "port_proxy": out("reg-PortProxy.txt"),
        "nat_mappings": out("NatMappings.json"),
        "backups": out("Backups.json"),
        "restore_log": out("RestoreLog.json"),
    }


def collected(terminal: str, host: str, attributes: dict[str, Any], key: Path,
              collected_at: dt.datetime | None = None) -> dict[str, Any]:
    """The zicha.collected/v1 document zicha-collect.ps1 writes on the recorded terminal, signed with key
    (an rsa-sha256 private key of zicha keygen)."""
    when = (collected_at or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return winscript.document(raw_of(terminal), host, attributes, key, when, milliseconds=41250,
                              collector={"tool": f"zicha-collect.ps1 (replayed from tests/fixtures/windows/{terminal})",
                                         "user": "WIN-RECORDED\\Administrator", "hostname": host.upper(),
                                         "machine_id": None})


def write_collected(doc: dict[str, Any], path: Path) -> Path:
    """Written as the script writes it: canonical JSON, UTF-8 without a byte-order mark, one line feed."""
    path.write_bytes(offline.canonical(doc) + b"\n")
    return path
