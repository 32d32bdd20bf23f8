"""Configuration backups audited without any connection: a Batfish-style snapshot folder.

    SNAPSHOT/
      configs/<device>.cfg      one running configuration per device (.cfg, .conf, .txt)
      inventory.yml             optional: roles, zones, platforms in zicha's inventory vocabulary

The vendor is detected from the configuration's own language when the inventory does not name it; a device
the inventory does not list is a switch, or a firewall when its configuration has zones or policies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from checker import devices
from checker.devices.credentials import Judge
from checker.errors import GatherError
from checker.inventory import from_listing, host_from_vars, listing
from checker.models import GatherOutcome, Host, Inventory

SUFFIXES = (".cfg", ".conf", ".txt")


def configs(folder: Path) -> dict[str, Path]:
    cdir = folder / "configs"
    if not cdir.is_dir():
        raise GatherError(f"--snapshot {folder}: no configs/ folder (expected configs/<device>.cfg)")
    out = {p.stem: p for p in sorted(cdir.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES}
    if not out:
        raise GatherError(f"--snapshot {folder}: configs/ holds no configuration (*.cfg, *.conf, *.txt)")
    return out


def read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def load(folder: Path, judge: Judge) -> tuple[Inventory, dict[str, GatherOutcome]]:
    """The snapshot's hosts and, for each, the facts parsed from its configuration."""
    files = configs(folder)
    inv_path = folder / "inventory.yml"
    declared: dict[str, Host] = {}
    groups: dict[str, list[str]] = {}
    if inv_path.exists():
        raw = listing(inv_path)
        # a device's platform may be left to detection from its configuration
        for name, hv in raw.get("_meta", {}).get("hostvars", {}).items():
            if hv.get("zicha_role") in ("switch", "firewall", "router") and not hv.get("zicha_platform") \
                    and not hv.get("ansible_network_os") and name in files:
                try:
                    hv["zicha_platform"] = devices.detect(read_text(files[name]))
                except devices.UnknownVendor:
                    pass
        inv = from_listing(raw, str(inv_path))
        declared = {h.name: h for h in inv.hosts}
        groups = inv.groups
    hosts: list[Host] = []
    outcomes: dict[str, GatherOutcome] = {}
    for name in sorted(set(files) | set(declared)):
        path = files.get(name)
        rel = f"configs/{path.name}" if path else f"configs/{name}.cfg"
        if path is None:
            hosts.append(declared[name])
            outcomes[name] = GatherOutcome(name, "failed", f"the snapshot inventory lists {name} but {rel} is missing",
                                           method="snapshot", source=rel)
            continue
        text = read_text(path)
        host = declared.get(name)
        try:
            platform = host.platform if host and host.platform in devices.PLATFORMS else devices.detect(text)
        except devices.UnknownVendor as e:
            platform = None
            reason = f"{rel}: {e}"
        facts = devices.facts(text, platform, rel, judge) if platform else None
        if host is None:
            fw = ((facts or {}).get("firewall") or {}).get("value") or {}
            host = host_from_vars(name, {"zicha_role": "firewall" if fw.get("present") else "switch",
                                         "zicha_platform": platform or "cisco_ios"})
        hosts.append(host)
        if facts is None:
            outcomes[name] = GatherOutcome(name, "failed", reason, method="snapshot", source=rel)
            continue
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
        raw = {
            "platform": host.platform,
            "collected_at": mtime.isoformat().replace("+00:00", "Z"),
            "collector": {"name": "zicha snapshot", "file": rel, "detected_platform": platform,
                          "config_sha256": hashlib.sha256(path.read_bytes()).hexdigest()},
            "facts": facts,
        }
        outcomes[name] = GatherOutcome(name, "ok", raw=raw, method="snapshot", source=rel)
    return Inventory(path=str(inv_path if inv_path.exists() else folder), hosts=tuple(hosts), groups=groups), outcomes
