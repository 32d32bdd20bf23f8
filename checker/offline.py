"""Air-gapped hosts: collect facts locally (`zicha collect`), carry the file across, import it (`--import DIR`).

The collected file holds the same raw document the Ansible module returns (the same code gathers it), the
collector's identity, the time, and the sha256 of the raw document in canonical JSON. On import a file whose
hash does not match gives `error` on every rule of that host (altered in transit), never a pass.
"""

from __future__ import annotations

import getpass
import hashlib
import importlib.util
import json
import socket
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import ROOT, __version__
from checker.config import collector_params
from checker.errors import GatherError
from checker.models import GatherOutcome, Host
from checker.inventory import host_from_vars

SCHEMA = "zicha.collected/v1"
LINUX_MODULE = ROOT / "playbooks" / "library" / "zicha_linux_facts.py"


@lru_cache(maxsize=1)
def linux_collector() -> Any:
    """The Linux fact module, loaded from playbooks/library: one code path for Ansible and offline use."""
    spec = importlib.util.spec_from_file_location("zicha_linux_facts", LINUX_MODULE)
    if spec is None or spec.loader is None:
        raise GatherError(f"{LINUX_MODULE}: cannot load the Linux collector")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def canonical(doc: Any) -> bytes:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(raw: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(raw)).hexdigest()


def _machine_id() -> str | None:
    for p in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            return Path(p).read_text().strip() or None
        except OSError:
            continue
    return None


def collect(params: dict[str, Any], host: str | None = None, attributes: dict[str, Any] | None = None,
            internet_probes: list[str] | None = None) -> dict[str, Any]:
    """Run the Linux collector here and wrap its document for carrying across an air gap."""
    cp = collector_params(params)
    if internet_probes is not None:
        cp["internet_probes"] = internet_probes
    mod_params = {
        "internet_probes": cp["internet_probes"], "probe_timeout": cp["probe_timeout_seconds"],
        "backup_repos": (attributes or {}).get("zicha_backup_repos", []), "restore_log": cp["restore_log"],
        "weak_passwords": cp["weak_passwords"], "org_names": cp["org_names"], "org_years": cp["org_years"],
    }
    raw = linux_collector().collect(mod_params)
    name = host or socket.gethostname()
    return {
        "schema": SCHEMA,
        "host": name,
        "attributes": attributes or {},
        "collector": {"tool": f"zicha {__version__}", "user": getpass.getuser(), "hostname": socket.gethostname(),
                      "machine_id": _machine_id()},
        "collected_at": raw["collected_at"],
        "raw": raw,
        "sha256": digest(raw),
    }


def write(doc: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_dir(directory: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every collected file of a folder, by host name. A file that is not one is an error (named)."""
    if not directory.is_dir():
        raise GatherError(f"--import {directory}: no such folder")
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for p in sorted(directory.glob("*.json")):
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise GatherError(f"--import {p}: not a zicha collected file: {e}") from None
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("host"), str):
            raise GatherError(f"--import {p}: not a zicha collected file (schema {SCHEMA})")
        if doc["host"] in out:
            raise GatherError(f"--import: host {doc['host']} is in both {out[doc['host']][0].name} and {p.name}")
        out[doc["host"]] = (p, doc)
    if not out:
        raise GatherError(f"--import {directory}: no collected files (*.json)")
    return out


def host_of(doc: dict[str, Any], inventory_host: Host | None) -> Host:
    """The inventory's view of the host wins; a host the inventory does not know brings its own attributes."""
    if inventory_host is not None:
        return inventory_host
    return host_from_vars(doc["host"], doc.get("attributes") or {})


def outcome(path: Path, doc: dict[str, Any]) -> GatherOutcome:
    raw = doc.get("raw")
    if not isinstance(raw, dict):
        return GatherOutcome(doc["host"], "failed", "imported file has no raw facts", method="import",
                             source=path.name)
    got = digest(raw)
    if doc.get("sha256") != got:
        return GatherOutcome(doc["host"], "failed",
                             f"imported facts were altered: sha256 {got[:16]}… does not match the recorded "
                             f"{str(doc.get('sha256'))[:16]}…", method="import", source=path.name)
    collector = dict(raw.get("collector") or {}, offline=doc.get("collector"))
    raw = dict(raw, sha256=got, collector=collector)
    return GatherOutcome(doc["host"], "ok", raw=raw, method="import", source=path.name)
