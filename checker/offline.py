"""Air-gapped hosts: collect facts locally (`zicha collect`), carry the file across, import it (`--import DIR`).

The collected file holds the same raw document the Ansible module returns (the same code gathers it), the
collector's identity, the time, the sha256 of the raw document in canonical JSON, and a signature by the
collector's key (`zicha collect --sign-key`) over the whole file. A hash alone proves nothing: whoever edits
the facts can recompute it. On import every rule of the host is `error`, never a pass, when the file is not
signed by a collector key the auditor trusts (`--collector-key`, or collector-keys/*.pub beside the inventory),
when its signature or hash does not match, or when it was collected too long ago or in the future
(parameters import_max_age_days and import_max_future_minutes).
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import json
import socket
from pathlib import Path
from typing import Any

from checker import __version__, fsio, jsonio, signing
from checker.config import collector_params
from checker.errors import GatherError, InventoryError, ZichaError
from checker.models import GatherOutcome, Host
from checker.inventory import host_from_vars

#: an imported file larger than this is refused before it is parsed
MAX_FILE_BYTES = 64 << 20

SCHEMA = "zicha.collected/v1"


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
    from ansible_collections.zicha.audit.plugins.modules import linux_facts  # the module Ansible runs

    cp = collector_params(params)
    if internet_probes is not None:
        cp["internet_probes"] = internet_probes
    mod_params = {
        "internet_probes": cp["internet_probes"], "probe_timeout": cp["probe_timeout_seconds"],
        "backup_repos": (attributes or {}).get("zicha_backup_repos", []), "restore_log": cp["restore_log"],
        "weak_passwords": cp["weak_passwords"], "org_names": cp["org_names"], "org_years": cp["org_years"],
    }
    raw = linux_facts.collect(mod_params)
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


def _signed_part(doc: dict[str, Any]) -> bytes:
    return canonical({k: v for k, v in doc.items() if k != "signature"})


def sign(doc: dict[str, Any], key: "Path | signing.Signer") -> dict[str, Any]:
    """The collected file with the collector's signature over everything in it (key: a private key file, or a
    signer already loaded, to sign many files)."""
    signer = key if isinstance(key, signing.Signer) else signing.load_signer(key)
    doc = {k: v for k, v in doc.items() if k != "signature"}
    doc["signature"] = {"algorithm": signer.algorithm, "key_fingerprint": signer.public.fingerprint}
    doc["signature"]["value"] = base64.b64encode(signer.sign(_signed_part(doc))).decode()
    return doc


def _signature_problem(doc: dict[str, Any], keys: list[signing.PublicKey]) -> str | None:
    sig = doc.get("signature")
    if not isinstance(sig, dict) or not isinstance(sig.get("value"), str):
        return ("the file is not signed: anyone could have written these facts (collect with "
                "`zicha collect --sign-key`, and give the collector's public key with --collector-key)")
    if not keys:
        return (f"signed by key {sig.get('key_fingerprint')}, but no collector key is trusted here (give it with "
                "--collector-key, or put it in collector-keys/ beside the inventory)")
    key = next((k for k in keys if k.fingerprint == sig.get("key_fingerprint")), None)
    if key is None:
        return f"signed by key {sig.get('key_fingerprint')}, which is not one of the trusted collector keys"
    try:
        value = base64.b64decode(sig["value"].encode(), validate=True)
    except ValueError:
        return "its signature is not base64"
    unsigned = {k: v for k, v in doc.items() if k != "signature"}
    unsigned["signature"] = {k: v for k, v in sig.items() if k != "value"}
    if not signing.verify(_signed_part(unsigned), value, key):
        return f"its signature does not match its contents (altered after collection; key {key.fingerprint})"
    return None


def _date_problem(collected_at: Any, now: dt.datetime, max_age_days: int, max_future_minutes: int) -> str | None:
    try:
        t = dt.datetime.fromisoformat(str(collected_at).replace("Z", "+00:00"))
    except ValueError:
        return f"collected_at {str(collected_at)[:40]!r} is not a time"
    if t.tzinfo is None:
        return f"collected_at {collected_at} has no time zone"
    if t > now + dt.timedelta(minutes=max_future_minutes):
        return f"collected_at {collected_at} is in the future (more than {max_future_minutes} min ahead)"
    if t < now - dt.timedelta(days=max_age_days):
        return f"collected at {collected_at}, more than {max_age_days} days ago: collect again"
    return None


def write(doc: dict[str, Any], path: Path) -> None:
    fsio.write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def read_dir(directory: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every collected file of a folder, by host name. A file that is not one is an error (named)."""
    if not directory.is_dir():
        raise GatherError(f"--import {directory}: no such folder")
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for p in sorted(directory.glob("*.json")):
        try:
            if not p.is_file():
                raise GatherError(f"--import {p}: not a regular file")
            if p.stat().st_size > MAX_FILE_BYTES:
                raise GatherError(f"--import {p}: larger than {MAX_FILE_BYTES >> 20} MiB")
            doc = jsonio.loads(p.read_bytes(), str(p), max_bytes=MAX_FILE_BYTES)
        except OSError as e:
            raise GatherError(f"--import {p}: cannot read it: {e.strerror}") from None
        except jsonio.UntrustedJSONError as e:
            raise GatherError(f"--import {e}") from None
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("host"), str):
            raise GatherError(f"--import {p}: not a zicha collected file (schema {SCHEMA})")
        if not fsio.safe_name(doc["host"]):
            raise GatherError(f"--import {p}: host {doc['host'][:80]!r} is not a host name zicha accepts")
        if not isinstance(doc.get("attributes", {}), dict):
            raise GatherError(f"--import {p}: attributes must be a mapping of zicha_* variables")
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
    try:
        return host_from_vars(doc["host"], doc.get("attributes") or {})
    except InventoryError as e:
        raise GatherError(f"--import: {e}") from None


def trusted_keys(paths: list[Path]) -> list[signing.PublicKey]:
    """The collector public keys given (files, or folders of *.pub)."""
    keys = []
    for p in paths:
        for f in (sorted(p.glob("*.pub")) if p.is_dir() else [p]):
            try:
                keys.append(signing.load_public(f))
            except ZichaError as e:
                raise GatherError(f"collector key {f}: {e}") from None
    return keys


def outcome(path: Path, doc: dict[str, Any], keys: list[signing.PublicKey] | None = None,
            params: dict[str, Any] | None = None, now: dt.datetime | None = None) -> GatherOutcome:
    """The imported file as a gather outcome: `ok` only when it is signed by a trusted collector key, whole, and
    collected within the allowed time; otherwise `failed` with the reason (every rule of the host is error)."""
    params = params or {}
    now = now or dt.datetime.now(dt.timezone.utc)

    def refused(why: str) -> GatherOutcome:
        return GatherOutcome(doc["host"], "failed", f"imported facts not accepted: {why}", method="import",
                             source=path.name)

    raw = doc.get("raw")
    if not isinstance(raw, dict):
        return refused("the file has no raw facts")
    problem = _signature_problem(doc, keys or [])
    if problem:
        return refused(problem)
    got = digest(raw)
    if doc.get("sha256") != got:
        return refused(f"sha256 {got[:16]}… does not match the recorded {str(doc.get('sha256'))[:16]}…")
    when = _date_problem(doc.get("collected_at"), now, int(params.get("import_max_age_days", 30)),
                         int(params.get("import_max_future_minutes", 10)))
    if when is None and raw.get("collected_at") != doc.get("collected_at"):
        when = "the file's collected_at differs from its facts' own"
    if when:
        return refused(when)
    collector = dict(raw.get("collector") or {}, offline=doc.get("collector"),
                     signed_by=doc["signature"].get("key_fingerprint"))
    raw = dict(raw, sha256=got, collector=collector)
    return GatherOutcome(doc["host"], "ok", raw=raw, method="import", source=path.name)
