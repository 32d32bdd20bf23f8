"""Inventory stage: read an Ansible inventory (any format Ansible reads) into zicha's Host records.

Ansible itself parses the inventory (``ansible-inventory --list`` through ansible-runner), so group_vars,
host_vars and every inventory plugin work as they do for the playbooks. zicha keeps only its own vocabulary
(``zicha_*``) plus the few connection facts it reports; connection secrets never leave this module.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import fsio, hostkeys, platforms, proc
from checker.errors import InventoryError
from checker.evidence import URL_PASSWORD
from checker.models import Host, Inventory

HOSTVARS_SCHEMA = Path(__file__).parent / "schemas" / "hostvars.schema.json"
#: ansible-inventory may use this much memory and time, and print this much: a YAML alias bomb stops here.
INVENTORY_MEMORY = 2 << 30
INVENTORY_TIMEOUT = 300
INVENTORY_OUTPUT = 512 << 20

ROLES = ("server", "terminal", "switch", "firewall", "router")
DEVICE_ROLES = ("switch", "firewall", "router")

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
    """The host's platform: zicha_platform, else what ansible_network_os or ansible_connection imply (the
    platform registry knows both), else linux for a computer."""
    explicit = hv.get("zicha_platform")
    if explicit:
        if not platforms.known(explicit):
            raise InventoryError(f"host {name}: zicha_platform {explicit!r} is not one of "
                                 f"{', '.join(platforms.ids())}")
        return explicit
    nos = hv.get("ansible_network_os")
    if nos:
        p = platforms.by_network_os(nos)
        if p is None:
            raise InventoryError(f"host {name}: ansible_network_os {nos!r} is not supported; set zicha_platform")
        return p.id
    by_conn = platforms.by_connection(str(hv.get("ansible_connection", "")))
    if by_conn is not None:
        return by_conn.id
    role = hv.get("zicha_role")
    if role in DEVICE_ROLES:
        raise InventoryError(f"host {name}: a {role} needs zicha_platform (one of "
                             f"{', '.join(platforms.ids('device'))})")
    return "linux"


@lru_cache(maxsize=1)
def _hostvars_validator() -> Any:
    import jsonschema

    schema = json.loads(HOSTVARS_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _check_vars(name: str, hv: dict[str, Any]) -> None:
    mine = {k: v for k, v in hv.items() if isinstance(k, str) and k.startswith("zicha_")}
    errors = sorted(_hostvars_validator().iter_errors(mine), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(top)"
        msg = e.message
        if e.validator == "additionalProperties" and "zicha_backup_repos" in where and "password" in msg:
            msg = ("a repository password does not belong in the inventory (it would travel into Ansible's "
                   "logs); give password_file, a file that stays on the host")
        raise InventoryError(f"host {name}: {where}: {msg[:300]}")


def host_from_vars(name: str, hv: dict[str, Any]) -> Host:
    """Build a Host from one host's variables; raises InventoryError naming the host and variable."""
    if not fsio.safe_name(name):
        raise InventoryError(f"host {name!r}: not a host name zicha accepts (letters, digits, Chinese characters "
                             "and . _ - : @; no slash, not . or ..): its facts would be written under that name")
    if not isinstance(hv, dict):
        raise InventoryError(f"host {name}: its variables are not a mapping")
    _check_vars(name, hv)
    hostkeys.check_connection_vars(name, hv)
    hostkeys.known_hosts_file(name, hv)
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
    """`ansible-inventory --list` of an inventory (every variable resolved by Ansible), run under limits: it dies
    with zicha, and may use at most INVENTORY_MEMORY, INVENTORY_TIMEOUT seconds and INVENTORY_OUTPUT bytes."""
    p = Path(path)
    if not p.exists():
        raise InventoryError(f"{p}: no such inventory")
    exe = Path(sys.executable).parent / "ansible-inventory"
    with proc.scratch("inv") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")} | ansible_env() | {
            "ANSIBLE_HOME": str(tmp / "home"),
            "ANSIBLE_LOCAL_TEMP": str(tmp / "tmp"),
            "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True",
            "ANSIBLE_NOCOLOR": "True",
            "ANSIBLE_DEPRECATION_WARNINGS": "False",
        }
        try:
            done = proc.run([str(exe), "-i", str(p.resolve()), "--list"], env=env, cwd=str(tmp),
                            timeout=INVENTORY_TIMEOUT, max_output=INVENTORY_OUTPUT, memory_bytes=INVENTORY_MEMORY,
                            tree=True)
        except OSError as e:
            raise InventoryError(f"{p}: cannot run ansible-inventory: {e.strerror or e}") from None
    if done.timed_out:
        raise InventoryError(f"{p}: Ansible did not read it within {INVENTORY_TIMEOUT} s")
    if done.too_much_output:
        raise InventoryError(f"{p}: the inventory expands to more than {INVENTORY_OUTPUT >> 20} MiB "
                             "(a YAML alias bomb?)")
    out = None
    if done.returncode == 0:
        try:
            out = json.loads(done.stdout)
        except (ValueError, RecursionError):
            out = None
    if not isinstance(out, dict):
        lines = [ln for ln in done.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        why = lines[-1].strip() if lines else ("out of memory (a YAML alias bomb?)" if done.returncode else
                                               "no output")
        if any("MemoryError" in ln for ln in lines):
            why = f"more than {INVENTORY_MEMORY >> 30} GiB of memory (a YAML alias bomb?)"
        raise InventoryError(f"{p}: Ansible could not read it: {why[:300]}")
    return out
