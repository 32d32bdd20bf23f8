"""The evidence bundle: one archive per audit that an upper-level inspector can verify and re-evaluate offline.

    evidence-<run>.tar.gz
      manifest.json        sha256 and size of every other file; versions; policy digest; signer's key fingerprint
      manifest.sig         detached signature of manifest.json (Ed25519 or SM2/SM3); absent when unsigned
      results.json         every (host, rule) result with its evidence
      input.json data.json the exact OPA input and data the results were decided on
      policies/            the exact policies (and the clause catalog) used
      facts/<host>.json    normalised facts; raw/<host>.json what each collector returned (redacted)
      inventory.json       the inventory as used (zicha's vocabulary: no connection secret is ever kept)
      run.json             who, where, when, hosts attempted and reached, collectors of imported facts
      attachments/<clause>/ documents attached to manual clauses; attestations.json what people attested of them

Writing (`build`) and reading (`read`, `load_report`) live here; checker/evidence/verify.py checks a bundle and
decides it again; checker/evidence/redact.py keeps secrets out. A bundle comes from the unit being inspected:
reading it is bounded (members, sizes, decompressed total, JSON depth) and every member name is canonical.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from checker import __version__, evaluate, fsio, jsonio, signing
from checker.errors import ZichaError
from checker.evidence.redact import redact
from checker.models import AuditReport

SCHEMA = "zicha.bundle/v1"


class EvidenceError(ZichaError):
    stage = "evidence"


#: Limits on what a bundle may hold (a unit's bundle of 10,000 hosts holds about 20,000 members and tens of MB).
MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 2 << 30
MAX_BUNDLE_BYTES = 1 << 30  # the compressed file


# -- building ---------------------------------------------------------------------------------------------------


@dataclass
class Materials:
    """What an audit decided on, for the bundle."""

    report: AuditReport
    input_document: dict[str, Any]
    data: dict[str, Any]
    policy_dir: Path
    facts: dict[str, dict[str, Any]]
    raw: dict[str, dict[str, Any]]
    inventory: dict[str, Any]
    collectors: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, list[Path]] = field(default_factory=dict)  # clause id → files
    attestations: dict[str, Any] | None = None  # the attestations the manual verdicts were decided on


def _json(doc: Any) -> bytes:
    return jsonio.dumps(doc, sort_keys=True)


def policy_files(policy_dir: Path) -> dict[str, bytes]:
    files = {f"policies/{p.relative_to(policy_dir)}": p.read_bytes() for p in evaluate.policy_files(policy_dir)}
    catalog = policy_dir / "clauses.yaml"
    if catalog.exists():
        files["policies/clauses.yaml"] = catalog.read_bytes()
    return files


def policy_digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        if name.startswith("policies/"):
            h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def contents(m: Materials) -> tuple[dict[str, bytes], int]:
    from checker.report import jsonout

    counter = [0]
    memo: dict[int, tuple[Any, Any, int]] = {}  # the same objects recur (facts in input.json): redacted once

    def clean(doc: Any) -> bytes:
        return _json(redact(doc, counter, memo))

    files: dict[str, bytes] = {"results.json": clean(jsonout.document(m.report))}
    files["input.json"] = clean(m.input_document)
    files["data.json"] = clean(m.data)
    files.update(policy_files(m.policy_dir))
    for host, doc in m.facts.items():
        files[f"facts/{host}.json"] = clean(doc)
    for host, doc in m.raw.items():
        files[f"raw/{host}.json"] = clean(doc)
    files["inventory.json"] = clean(m.inventory)
    files["run.json"] = clean({"run": m.report.run.to_json(), "collectors": m.collectors})
    if m.attestations is not None:
        files["attestations.json"] = clean(m.attestations)
    for clause, paths in m.attachments.items():
        for p in paths:
            files[f"attachments/{clause}/{p.name}"] = p.read_bytes()
    return files, counter[0]


def _tar(files: dict[str, bytes], mtime: int) -> bytes:
    buf = io.BytesIO()
    import gzip

    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=mtime, compresslevel=6) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(files):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode, info.uid, info.gid = len(files[name]), mtime, 0o644, 0, 0
                tar.addfile(info, io.BytesIO(files[name]))
    return buf.getvalue()


def build(m: Materials, out: Path, sign_key: Path | None = None) -> Path:
    """Write the bundle; sign its manifest when a key is given. Returns the archive's path."""
    import datetime as dt

    files, redactions = contents(m)
    run = m.report.run
    manifest = {
        "schema": SCHEMA,
        "run_id": run.id,
        "created_at": run.finished_at or run.started_at,
        "zicha_version": __version__,
        "opa_version": run.opa_version,
        "policy_digest": policy_digest(files),
        "redactions": redactions,
        "files": {n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in sorted(files.items())},
        "signature": None,
    }
    signature = None
    if sign_key:
        # the manifest names the algorithm and key that sign it; the signature covers those bytes too
        signer = signing.load_signer(sign_key)
        manifest["signature"] = {"algorithm": signer.algorithm, "key_fingerprint": signer.public.fingerprint}
        manifest_bytes = _json(manifest)
        signature = signer.sign(manifest_bytes)
    else:
        manifest_bytes = _json(manifest)
    files["manifest.json"] = manifest_bytes
    if signature is not None:
        files["manifest.sig"] = signature
    started = dt.datetime.fromisoformat(run.started_at.replace("Z", "+00:00"))
    return fsio.write_bytes(fsio.inside(out, f"evidence-{run.id}", ".tar.gz"), _tar(files, int(started.timestamp())))




# -- reading ----------------------------------------------------------------------------------------------------


def canonical_name(name: str) -> bool:
    """A relative path in one spelling only: no leading or doubled slash, no . or .. part, no backslash."""
    p = PurePosixPath(name)
    return (bool(name) and str(p) == name and not p.is_absolute() and "\\" not in name and "\0" not in name
            and not any(part in (".", "..") for part in p.parts))


def read(path: Path) -> dict[str, bytes]:
    """Every member of a bundle, by name, within the limits: plain files only (no links, devices or sparse
    files), canonical names, each name once, no name both a file and a folder."""
    try:
        if not path.is_file():
            raise EvidenceError(f"{path}: no such bundle")
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise EvidenceError(f"{path}: larger than {MAX_BUNDLE_BYTES >> 20} MiB")
    except OSError as e:
        raise EvidenceError(f"{path}: cannot read it: {e.strerror}") from None
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(path, "r:gz") as tar:
            for info in tar:  # one header at a time: a bundle of a million members stops at the limit
                if len(files) >= MAX_MEMBERS:
                    raise EvidenceError(f"{path}: more than {MAX_MEMBERS} members")
                if not info.isreg() or info.issparse() or not canonical_name(info.name):
                    raise EvidenceError(f"{path}: unexpected member {info.name[:200]!r} (not a plain file inside "
                                        "the bundle)")
                if info.name in files:
                    raise EvidenceError(f"{path}: member {info.name} appears twice")
                if info.size > MAX_MEMBER_BYTES or total + info.size > MAX_TOTAL_BYTES:
                    raise EvidenceError(f"{path}: member {info.name} is too large ({info.size} bytes)")
                f = tar.extractfile(info)
                data = f.read(info.size + 1) if f else b""
                if len(data) != info.size:
                    raise EvidenceError(f"{path}: member {info.name} is not the size its header says")
                total += len(data)
                files[info.name] = data
    except (tarfile.TarError, OSError, EOFError, ValueError) as e:
        raise EvidenceError(f"{path}: not a readable bundle: {type(e).__name__}") from None
    folders = {str(parent) for name in files for parent in PurePosixPath(name).parents}
    clash = sorted(set(files) & folders)
    if clash:
        raise EvidenceError(f"{path}: {clash[0]} is both a file and a folder in the bundle")
    return files


def member_json(files: dict[str, bytes], name: str, path: Path) -> Any:
    if name not in files:
        raise EvidenceError(f"{path}: the bundle has no {name}")
    try:
        return jsonio.loads(files[name], name)
    except jsonio.UntrustedJSONError as e:
        raise EvidenceError(f"{path}: {e}") from None


def file_problems(files: dict[str, bytes], manifest: dict[str, Any]) -> list[str]:
    problems = []
    listed = manifest.get("files")
    if not isinstance(listed, dict) or not all(isinstance(v, dict) for v in listed.values()):
        return ["manifest.json: no table of files"]
    for name in sorted(set(listed) | set(files)):
        if name not in files:
            problems.append(f"{name}: listed in the manifest but missing")
        elif name not in listed:
            problems.append(f"{name}: in the bundle but not in the manifest")
        elif hashlib.sha256(files[name]).hexdigest() != listed[name].get("sha256"):
            problems.append(f"{name}: sha256 differs from the manifest")
    pol = {n: b for n, b in files.items() if n.startswith("policies/")}
    if not problems and policy_digest(pol) != manifest.get("policy_digest"):
        problems.append("policies/: the policy digest differs from the manifest")
    return problems


def manifest_of(path: Path, files: dict[str, bytes]) -> dict[str, Any]:
    manifest = member_json(files, "manifest.json", path)
    if not isinstance(manifest, dict):
        raise EvidenceError(f"{path}: manifest.json is not a zicha manifest")
    return manifest


def load_report(path: Path) -> tuple[AuditReport, dict[str, list[str]]]:
    """The results of an audit from its results.json or its evidence bundle, and the names of its attachments.
    A bundle whose files do not match its manifest is refused (the signature is `zicha verify`'s business)."""
    if path.suffix == ".json":
        try:
            if path.stat().st_size > MAX_MEMBER_BYTES:
                raise EvidenceError(f"{path}: larger than {MAX_MEMBER_BYTES >> 20} MiB")
            return AuditReport.from_json(jsonio.loads(path.read_bytes(), str(path))), {}
        except OSError as e:
            raise EvidenceError(f"{path}: cannot read it: {e.strerror}") from None
        except jsonio.UntrustedJSONError as e:
            raise EvidenceError(str(e)) from None
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            raise EvidenceError(f"{path}: not a zicha results.json: {type(e).__name__}: {str(e)[:200]}") from None
    files = read(path)
    manifest = manifest_of(path, files)
    files = {n: b for n, b in files.items() if n not in ("manifest.json", "manifest.sig")}
    problems = file_problems(files, manifest)
    if problems:
        raise EvidenceError(f"{path}: the bundle was altered ({problems[0]}{' …' if len(problems) > 1 else ''}); "
                            "run zicha verify on it")
    attachments: dict[str, list[str]] = {}
    for name in files:
        parts = name.split("/", 2)
        if parts[0] == "attachments" and len(parts) == 3:
            attachments.setdefault(parts[1], []).append(parts[2])
    doc = member_json(files, "results.json", path)
    try:
        return AuditReport.from_json(doc), attachments
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise EvidenceError(f"{path}: results.json is not zicha results: {type(e).__name__}") from None
