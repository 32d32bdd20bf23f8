"""Inventory stage: read an Ansible inventory (any format Ansible reads) into zicha's Host records.

Ansible itself parses the inventory (``ansible-inventory --list`` through ansible-runner), so group_vars,
host_vars and every inventory plugin work as they do for the playbooks. zicha keeps only its own vocabulary
(``zicha_*``) plus the few connection facts it reports; connection secrets never leave this module.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from checker.errors import InventoryError
from checker.evidence import URL_PASSWORD
from checker.models import Host, Inventory

ROLES = ("server", "terminal", "switch", "firewall", "router")
PLATFORMS = ("linux", "windows", "huawei_vrp", "h3c_comware", "cisco_ios", "huawei_usg")

# ansible_network_os values (short and FQCN) mapped to zicha platforms.
_NETWORK_OS = {
    "ios": "cisco_ios",
    "cisco.ios.ios": "cisco_ios",
    "ce": "huawei_vrp",
    "community.network.ce": "huawei_vrp",
    "huawei_vrp": "huawei_vrp",
    "comware": "h3c_comware",
    "h3c_comware": "h3c_comware",
    "huawei_usg": "huawei_usg",
}

#: Host variables kept besides zicha_*: where the host is, never how to log in.
_KEPT = ("ansible_host", "ansible_port", "ansible_connection", "ansible_network_os")


def ansible_env() -> dict[str, str]:
    """Environment for Ansible commands: this venv's bin first (ansible-runner needs ansible-* on PATH)."""
    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bindir not in path.split(os.pathsep):
        path = bindir + os.pathsep + path
    return {"PATH": path}


def _platform(name: str, hv: dict[str, Any]) -> str:
    explicit = hv.get("zicha_platform")
    if explicit:
        if explicit not in PLATFORMS:
            raise InventoryError(f"host {name}: zicha_platform {explicit!r} is not one of {', '.join(PLATFORMS)}")
        return explicit
    nos = hv.get("ansible_network_os")
    if nos:
        if nos not in _NETWORK_OS:
            raise InventoryError(f"host {name}: ansible_network_os {nos!r} is not supported; set zicha_platform")
        return _NETWORK_OS[nos]
    if hv.get("ansible_connection") in ("winrm", "psrp"):
        return "windows"
    role = hv.get("zicha_role")
    if role in ("switch", "firewall", "router"):
        raise InventoryError(f"host {name}: a {role} needs zicha_platform (one of huawei_vrp, h3c_comware, cisco_ios, huawei_usg)")
    return "linux"


def host_from_vars(name: str, hv: dict[str, Any]) -> Host:
    """Build a Host from one host's variables; raises InventoryError naming the host and variable."""
    role = hv.get("zicha_role")
    if role is None:
        raise InventoryError(f"host {name}: zicha_role is missing (one of {', '.join(ROLES)})")
    if role not in ROLES:
        raise InventoryError(f"host {name}: zicha_role {role!r} is not one of {', '.join(ROLES)}")
    classified = hv.get("zicha_classified", False)
    if not isinstance(classified, bool):
        raise InventoryError(f"host {name}: zicha_classified must be true or false, not {classified!r}")
    zone = hv.get("zicha_zone")
    if zone is not None and not isinstance(zone, str):
        raise InventoryError(f"host {name}: zicha_zone must be a zone name, not {zone!r}")
    for repo in hv.get("zicha_backup_repos") or []:
        where = repo.get("repo") if isinstance(repo, dict) else None
        if isinstance(where, str) and URL_PASSWORD.search(where):
            # it would travel as a module argument into Ansible's logs, the facts and the results
            raise InventoryError(f"host {name}: zicha_backup_repos: the repository URL carries a password "
                                 "(scheme://user:password@…); keep it out of the URL (password_file, or the "
                                 "backup tool's own credential variables)")
    kept = {k: v for k, v in hv.items() if k.startswith("zicha_") or k in _KEPT}
    return Host(name=name, platform=_platform(name, hv), role=role, zone=zone, classified=classified, vars=kept)


def from_listing(listing: dict[str, Any], path: str) -> Inventory:
    """Turn ``ansible-inventory --list`` JSON into an Inventory."""
    hostvars = listing.get("_meta", {}).get("hostvars", {})
    groups: dict[str, list[str]] = {}
    for gname, g in listing.items():
        if gname == "_meta" or not isinstance(g, dict):
            continue
        groups[gname] = list(g.get("hosts", []))
    names = set(hostvars)
    for members in groups.values():
        names.update(members)
    if not names:
        raise InventoryError(f"{path}: the inventory has no hosts")
    hosts = tuple(host_from_vars(n, hostvars.get(n, {})) for n in sorted(names))
    return Inventory(path=path, hosts=hosts, groups=groups)


def load(path: str | Path) -> Inventory:
    """Read an inventory with Ansible's own parser."""
    return from_listing(listing(path), str(path))


def listing(path: str | Path) -> dict[str, Any]:
    """`ansible-inventory --list` of an inventory (every variable resolved by Ansible)."""
    import ansible_runner

    p = Path(path)
    if not p.exists():
        raise InventoryError(f"{p}: no such inventory")
    with tempfile.TemporaryDirectory(prefix="zicha-inv-") as tmp:
        env = ansible_env() | {
            "ANSIBLE_HOME": os.path.join(tmp, "home"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(tmp, "tmp"),
            "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True",
        }
        old = os.environ.get("PATH")
        os.environ["PATH"] = env["PATH"]
        try:
            out, err = ansible_runner.get_inventory(
                action="list",
                inventories=[str(p.resolve())],
                response_format="json",
                private_data_dir=tmp,
                envvars=env,
                quiet=True,
            )
        finally:
            if old is not None:
                os.environ["PATH"] = old
    if not isinstance(out, dict):
        lines = [ln for ln in (err or "").splitlines() if ln.strip()]
        raise InventoryError(f"{p}: Ansible could not read it: {lines[-1] if lines else 'no output'}")
    return out
