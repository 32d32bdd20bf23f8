"""Evidence stage: one archive per audit that an upper-level inspector can verify and re-evaluate offline.

    evidence-<run>.tar.gz
      manifest.json        sha256 and size of every other file; versions; policy digest; signer's key fingerprint
      manifest.sig         detached signature of manifest.json (Ed25519 or SM2/SM3); absent when unsigned
      results.json         every (host, rule) result with its evidence
      input.json data.json the exact OPA input and data the results were decided on
      policies/            the exact policies (and the clause catalog) used
      facts/<host>.json    normalised facts; raw/<host>.json what each collector returned (redacted)
      inventory.json       the inventory as used (zicha's vocabulary: no connection secret is ever kept)
      run.json             who, where, when, hosts attempted and reached, collectors of imported facts
      attachments/<clause>/ documents attached to manual clauses

`verify` checks every hash and the signature, then decides the captured input again with the captured policies
on a fresh OPA and names every result that differs. Secrets never enter: collectors return verdicts only, and a
redaction pass removes anything shaped like a password hash or a private key as a second line of defence.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from checker import __version__, evaluate, signing
from checker.devices.passwords import DELIMITERS
from checker.errors import ZichaError
from checker.models import AuditReport, Result

SCHEMA = "zicha.bundle/v1"


class EvidenceError(ZichaError):
    stage = "evidence"


# -- redaction ------------------------------------------------------------------------------------------------

# crypt(3) and network-device hash forms: $1$ $5$ $6$ (with rounds=), $y$ $gy$ $2b$, Cisco $8$ $9$, Huawei $1a$ $1c$,
# H3C $h$6$ and $c$3$, argon2; and the Huawei/H3C cipher envelopes %^%#…%^%#, %$%$…%$%$, %@%@…%@%@, @%@%…@%@%.
_CRYPT = re.compile(r"\$1[a-d]\$\S{8,}\$|\$(?:1|2[aby]|5|6|7|8|9|y|gy|sm3|sha1|md5|h\$6|c\$3|argon2(?:id|i|d))\$[./A-Za-z0-9$=,+]{8,}")
_ENVELOPE = re.compile("(" + "|".join(map(re.escape, DELIMITERS)) + r")\S{6,}?\1")
# a password inside a URL: scheme://user:password@host (restic rest:, s3:, sftp:, http:)
URL_PASSWORD = re.compile(r"(?<=://)([^/@\s:]+):([^/@\s]+)@")
_PEM_PRIVATE = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----", re.S)
# A setting whose name ends in one of these words holds a secret (ansible_password, ansible_become_pass,
# snmp_community, enable_secret, tacacs_key, ipsec_psk) unless its value only says what state the secret is in.
_SECRET_WORDS = {"password", "passwd", "pass", "passphrase", "pwd", "secret", "community", "token", "credential",
                 "credentials", "psk", "key", "cipher"}
_STATE_WORDS = {"set", "unset", "empty", "none", "locked", "disabled", "enabled", "yes", "no", "true", "false", "on",
                "off", "present", "absent", "plain", "hash", "reversible", "unknown", "*", "!", "!!", "x"}
_SAFE_KEYS = {"share_key", "public_key"}  # per-run keyed fingerprints, public keys


def _secret_setting(key: str, value: Any) -> bool:
    """A string value under a secret's name. Mappings (hosts named pc-secret-1, zones named secret) and lists
    (accounts with_password) keep their contents, and are searched like everything else."""
    if not isinstance(value, str) or not value or value.strip().lower() in _STATE_WORDS:
        return False
    last = re.split(r"[_\-.]", key.lower())[-1]
    return last in _SECRET_WORDS and key not in _SAFE_KEYS


def redact(obj: Any, counter: list[int]) -> Any:
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if isinstance(k, str) and _secret_setting(k, v):
                counter[0] += 1
                out[k] = "[redacted]"
                continue
            out[k] = redact(v, counter)
        return out
    if isinstance(obj, list):
        return [redact(v, counter) for v in obj]
    if isinstance(obj, str):
        new = _PEM_PRIVATE.sub("[redacted private key]", obj)
        new = _CRYPT.sub("[redacted hash]", new)
        new = _ENVELOPE.sub("[redacted cipher]", new)
        new = URL_PASSWORD.sub(r"\1:[redacted]@", new)
        if new != obj:
            counter[0] += 1
        return new
    return obj


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
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


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
    files: dict[str, bytes] = {"results.json": _json(redact(jsonout.document(m.report), counter))}
    files["input.json"] = _json(redact(m.input_document, counter))
    files["data.json"] = _json(redact(m.data, counter))
    files.update(policy_files(m.policy_dir))
    for host, doc in m.facts.items():
        files[f"facts/{host}.json"] = _json(redact(doc, counter))
    for host, doc in m.raw.items():
        files[f"raw/{host}.json"] = _json(redact(doc, counter))
    files["inventory.json"] = _json(redact(m.inventory, counter))
    files["run.json"] = _json(redact({"run": m.report.run.to_json(), "collectors": m.collectors}, counter))
    if m.attestations is not None:
        files["attestations.json"] = _json(redact(m.attestations, counter))
    for clause, paths in m.attachments.items():
        for p in paths:
            files[f"attachments/{clause}/{p.name}"] = p.read_bytes()
    return files, counter[0]


def _tar(files: dict[str, bytes], mtime: int) -> bytes:
    buf = io.BytesIO()
    import gzip

    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=mtime) as gz:
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
    path = out / f"evidence-{run.id}.tar.gz"
    path.write_bytes(_tar(files, int(started.timestamp())))
    return path


# -- verifying --------------------------------------------------------------------------------------------------


@dataclass
class Verification:
    bundle: Path
    manifest: dict[str, Any]
    signature: str  # valid | invalid | unsigned | unchecked
    key_fingerprint: str | None
    file_problems: list[str]
    result_problems: list[str]
    results_checked: int
    opa_version: str

    @property
    def ok(self) -> bool:
        return self.signature == "valid" and not self.file_problems and not self.result_problems

    def verdict(self, lang: str = "zh") -> str:
        m = self.manifest
        n_files = len(m.get("files", {}))
        if lang == "zh":
            sig = {"valid": f"签名有效（公钥指纹 {self.key_fingerprint}）", "invalid": "签名无效",
                   "unsigned": "证据包未签名", "unchecked": "未提供公钥，签名未核验"}[self.signature]
            head = (f"核验结论：证据包 {self.bundle.name}（运行 {m.get('run_id')}，生成于 {m.get('created_at')}，"
                    f"zicha {m.get('zicha_version')}，OPA {m.get('opa_version')}）{sig}；")
            files = "清单所列 {} 个文件的 SHA-256 全部一致；".format(n_files) if not self.file_problems else \
                f"{len(self.file_problems)} 处文件不一致；"
            res = (f"用包内策略在 OPA {self.opa_version} 上重新评估 {self.results_checked} 条结果，与包内结果完全一致。"
                   if not self.result_problems else f"重新评估后有 {len(self.result_problems)} 条结果与包内结果不同。")
            return head + files + res + ("【通过】" if self.ok else "【不通过】")
        sig = {"valid": f"a valid signature (key fingerprint {self.key_fingerprint})", "invalid": "an INVALID signature",
               "unsigned": "no signature", "unchecked": "a signature not checked (no public key given)"}[self.signature]
        head = (f"Verification: evidence bundle {self.bundle.name} (run {m.get('run_id')}, made {m.get('created_at')}, "
                f"zicha {m.get('zicha_version')}, OPA {m.get('opa_version')}) carries {sig}; ")
        files = f"the sha256 of all {n_files} files in its manifest match; " if not self.file_problems else \
            f"{len(self.file_problems)} file problems; "
        res = (f"re-evaluating its {self.results_checked} results with its own policies on OPA {self.opa_version} gives "
               "the same results." if not self.result_problems else
               f"re-evaluation gives {len(self.result_problems)} different results.")
        return head + files + res + (" PASSED" if self.ok else " FAILED")


def _canonical(name: str) -> bool:
    """A relative path in one spelling only: no leading or doubled slash, no . or .. part, no backslash."""
    p = PurePosixPath(name)
    return (bool(name) and str(p) == name and not p.is_absolute() and "\\" not in name
            and not any(part in (".", "..") for part in p.parts))


def _read_bundle(path: Path) -> dict[str, bytes]:
    if not path.is_file():
        raise EvidenceError(f"{path}: no such bundle")
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for info in tar.getmembers():
                if not info.isfile() or not _canonical(info.name):
                    raise EvidenceError(f"{path}: unexpected member {info.name!r} (not a plain file inside the bundle)")
                if info.name in files:
                    raise EvidenceError(f"{path}: member {info.name} appears twice")
                f = tar.extractfile(info)
                files[info.name] = f.read() if f else b""
    except (tarfile.TarError, OSError, EOFError) as e:
        raise EvidenceError(f"{path}: not a readable bundle: {e}") from None
    return files


def _file_problems(files: dict[str, bytes], manifest: dict[str, Any]) -> list[str]:
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


def _manifest(path: Path, files: dict[str, bytes]) -> dict[str, Any]:
    if "manifest.json" not in files:
        raise EvidenceError(f"{path}: no manifest.json")
    try:
        manifest = json.loads(files["manifest.json"])
    except ValueError:
        raise EvidenceError(f"{path}: manifest.json is not JSON") from None
    if not isinstance(manifest, dict):
        raise EvidenceError(f"{path}: manifest.json is not a zicha manifest")
    return manifest


def load_report(path: Path) -> tuple[AuditReport, dict[str, list[str]]]:
    """The results of an audit from its results.json or its evidence bundle, and the names of its attachments.
    A bundle whose files do not match its manifest is refused (the signature is `zicha verify`'s business)."""
    if path.suffix == ".json":
        try:
            return AuditReport.from_json(json.loads(path.read_text(encoding="utf-8"))), {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise EvidenceError(f"{path}: not a zicha results.json: {e}") from None
    files = _read_bundle(path)
    manifest = _manifest(path, files)
    files = {n: b for n, b in files.items() if n not in ("manifest.json", "manifest.sig")}
    problems = _file_problems(files, manifest)
    if problems:
        raise EvidenceError(f"{path}: the bundle was altered ({problems[0]}{' …' if len(problems) > 1 else ''}); "
                            "run zicha verify on it")
    if "results.json" not in files:
        raise EvidenceError(f"{path}: the bundle has no results.json")
    attachments: dict[str, list[str]] = {}
    for name in files:
        parts = name.split("/", 2)
        if parts[0] == "attachments" and len(parts) == 3:
            attachments.setdefault(parts[1], []).append(parts[2])
    try:
        return AuditReport.from_json(json.loads(files["results.json"])), attachments
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise EvidenceError(f"{path}: results.json is not zicha results: {e}") from None


def attested_again(files: dict[str, bytes], now: str) -> list[Result]:
    """The manual clauses decided again from the bundle's own attestations, catalog and attached documents
    (nothing for a bundle made before attestations were kept)."""
    if "attestations.json" not in files:
        return []
    import yaml

    from checker import attest, catalog

    try:
        doc = json.loads(files["attestations.json"])
        clauses = catalog.parse(yaml.safe_load(files.get("policies/clauses.yaml", b"")), "the bundle's clauses.yaml")
        att = attest.Attestations.from_json(doc)
        attest.validated(att, clauses, "the bundle's attestations.json")
    except (ValueError, TypeError, AttributeError, yaml.YAMLError) as e:
        raise EvidenceError(f"attestations.json or policies/clauses.yaml unreadable: {e}") from None
    present: dict[str, dict[str, str]] = {}
    for name, body in files.items():
        parts = name.split("/")
        if parts[0] == "attachments" and len(parts) == 3:
            present.setdefault(parts[1], {})[parts[2]] = attest.sha256(body)
    return attest.results(att, clauses, present, now)


def _comparable(r: dict[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


def verify(path: Path, pubkey: Path | None = None, opa_url: str | None = None) -> Verification:
    files = _read_bundle(path)
    manifest = _manifest(path, files)
    manifest_bytes = files.pop("manifest.json")
    sig = files.pop("manifest.sig", None)

    # signature
    fingerprint = None
    if sig is None:
        signature = "unsigned"
    elif pubkey is None:
        signature = "unchecked"
    else:
        key = signing.load_public(pubkey)
        fingerprint = key.fingerprint
        declared = manifest.get("signature")
        good = signing.verify(manifest_bytes, sig, key) and isinstance(declared, dict) \
            and declared.get("key_fingerprint") == key.fingerprint
        signature = "valid" if good else "invalid"

    # files
    problems = _file_problems(files, manifest)
    pol = {n: b for n, b in files.items() if n.startswith("policies/")}

    # re-evaluation: the captured input decided again by the captured policies. The bundle comes from the unit
    # being inspected, so its policies are untrusted code: they must pass `opa check` without the built-ins that
    # reach the network or the environment, and zicha's own OPA runs them with an empty environment.
    result_problems: list[str] = []
    opa_version = "?"

    def cannot(why: str) -> Verification:
        result_problems.append(f"cannot decide again: {why}")
        return Verification(path, manifest, signature, fingerprint, problems, result_problems, 0, opa_version)

    try:
        recorded = json.loads(files["results.json"])["results"]
        document = json.loads(files["input.json"])
        data = json.loads(files["data.json"])
        hosts = list(document["hosts"])
        before = {(r["host"], r["rule"]): r for r in recorded}
    except (KeyError, ValueError, TypeError, AttributeError) as e:
        return cannot(f"a captured file is missing or unreadable ({type(e).__name__}: {e})")
    if not isinstance(data, dict) or not pol:
        return cannot("no policies or data in the bundle")
    if not isinstance(document.get("hosts"), dict) or not all(isinstance(h, str) for h in hosts):
        return cannot("input.json has no table of hosts")
    with tempfile.TemporaryDirectory(prefix="zicha-verify-") as tmp:
        pdir = (Path(tmp) / "policies").resolve()
        for name, body in pol.items():
            target = (pdir / name[len("policies/"):]).resolve()
            if not target.is_relative_to(pdir) or target == pdir:
                return cannot(f"{name}: not a file inside policies/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        try:
            evaluate.check_untrusted(pdir)
        except ZichaError as e:
            return cannot(str(e))
        server = None
        if opa_url:
            url, opa_version = opa_url, "external"
        else:
            server = evaluate.OpaServer(log_path=Path(tmp) / "opa.log", bare_env=True).start()
            url, opa_version = server.url, evaluate.opa_version(server.binary)
        try:
            with evaluate.Evaluator(url) as ev:
                ev.load(data, policy_dir=pdir)
                decision = ev.decide(document)
            decided = evaluate.complete(hosts, decision)
            decided += attested_again(files, document["now"])
        except ZichaError as e:
            if "not answering" in str(e) or "did not answer" in str(e):
                raise
            return cannot(f"with the captured policies: {e}")
        finally:
            if server:
                server.stop()
    # compared as the bundle keeps them: redacted the same way
    again = {(r.host, r.rule): redact(r.to_json(), [0]) for r in decided}
    checked = 0
    for key in sorted(set(before) | set(again), key=str):
        checked += 1
        host, rule = key
        if key not in again:
            result_problems.append(f"{host} / {rule}: in results.json but not decided again")
        elif key not in before:
            result_problems.append(f"{host} / {rule}: decided again but missing from results.json")
        else:
            try:
                b = Result.from_json(before[key]).to_json()
            except TypeError as e:
                result_problems.append(f"{host} / {rule}: not a result in results.json ({e})")
                continue
            if _comparable(b) != _comparable(again[key]):
                a = again[key]
                what = f"status {b.get('status')} in the bundle, {a['status']} decided again" \
                    if b.get("status") != a["status"] else "same status, different message or evidence"
                result_problems.append(f"{host} / {rule}: {what}")
    return Verification(path, manifest, signature, fingerprint, problems, result_problems, checked, opa_version)
