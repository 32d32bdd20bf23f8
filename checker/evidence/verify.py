"""Verifying a bundle: its hashes, its signature, the policies it was decided with, and its results decided again.

By default the inspector decides the captured input with the policies of the zicha the inspector trusts (this
installation's), not with the bundle's own: a unit that gutted its rules and signed the result must not pass.
Verify names every policy file that differs from the verifier's, with the differences, and every result that
decides differently. `--bundle-policies` decides with the bundle's own policies instead (to reproduce an older
zicha's verdicts); those are untrusted code: `opa check` without the built-ins that reach the network or the
environment, and OPA runs with an empty environment under a memory and time limit.
"""

from __future__ import annotations

import difflib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import config, evaluate, signing
from checker.errors import OpaUnavailable, ZichaError
from checker.evidence.bundle import EvidenceError, file_problems, manifest_of, member_json, policy_files, read
from checker.evidence.redact import redact
from checker.models import Result

#: OPA deciding a bundle may use this much memory, and answer within this many seconds
VERIFY_MEMORY = 4 << 30
VERIFY_TIMEOUT = 600
DATA_KEYS = {"params", "topology", "waivers", "catalog", "platforms"}


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
    decided_with: str = "verifier"  # verifier | bundle
    policy_changes: list[str] = field(default_factory=list)  # policy files that differ from the verifier's
    policy_diff: list[str] = field(default_factory=list)  # their unified differences (capped)
    notes: list[str] = field(default_factory=list)  # the unit's parameter overrides and waivers: to read

    @property
    def ok(self) -> bool:
        return (self.signature == "valid" and not self.file_problems and not self.result_problems
                and not self.policy_changes)

    def verdict(self, lang: str = "zh") -> str:
        m = self.manifest
        n_files = len(m.get("files", {})) if isinstance(m.get("files"), dict) else 0
        if lang == "zh":
            sig = {"valid": f"签名有效（公钥指纹 {self.key_fingerprint}）", "invalid": "签名无效",
                   "unsigned": "证据包未签名", "unchecked": "未提供公钥，签名未核验"}[self.signature]
            head = (f"核验结论：证据包 {self.bundle.name}（运行 {m.get('run_id')}，生成于 {m.get('created_at')}，"
                    f"zicha {m.get('zicha_version')}，OPA {m.get('opa_version')}）{sig}；")
            files = "清单所列 {} 个文件的 SHA-256 全部一致；".format(n_files) if not self.file_problems else \
                f"{len(self.file_problems)} 处文件不一致；"
            pol = ("所用策略与核验方策略一致；" if not self.policy_changes else
                   f"所用策略与核验方策略有 {len(self.policy_changes)} 个文件不同（{'、'.join(self.policy_changes[:5])}"
                   f"{'等' if len(self.policy_changes) > 5 else ''}）；")
            whose = "核验方策略" if self.decided_with == "verifier" else "包内策略（不受信任）"
            res = (f"用{whose}在 OPA {self.opa_version} 上重新评估 {self.results_checked} 条结果，与包内结果完全一致。"
                   if not self.result_problems else f"用{whose}重新评估后有 {len(self.result_problems)} 条结果与包内结果不同。")
            return head + files + pol + res + ("【通过】" if self.ok else "【不通过】")
        sig = {"valid": f"a valid signature (key fingerprint {self.key_fingerprint})", "invalid": "an INVALID signature",
               "unsigned": "no signature", "unchecked": "a signature not checked (no public key given)"}[self.signature]
        head = (f"Verification: evidence bundle {self.bundle.name} (run {m.get('run_id')}, made {m.get('created_at')}, "
                f"zicha {m.get('zicha_version')}, OPA {m.get('opa_version')}) carries {sig}; ")
        files = f"the sha256 of all {n_files} files in its manifest match; " if not self.file_problems else \
            f"{len(self.file_problems)} file problems; "
        pol = ("its policies equal the verifier's; " if not self.policy_changes else
               f"{len(self.policy_changes)} of its policy files differ from the verifier's "
               f"({', '.join(self.policy_changes[:5])}{' …' if len(self.policy_changes) > 5 else ''}); ")
        whose = "the verifier's policies" if self.decided_with == "verifier" else "its own (untrusted) policies"
        res = (f"re-evaluating its {self.results_checked} results with {whose} on OPA {self.opa_version} gives "
               "the same results." if not self.result_problems else
               f"re-evaluation with {whose} gives {len(self.result_problems)} different results.")
        return head + files + pol + res + (" PASSED" if self.ok else " FAILED")


def _policy_differences(theirs: dict[str, bytes], ours: dict[str, bytes], max_lines: int = 400
                        ) -> tuple[list[str], list[str]]:
    changes, diff = [], []
    for name in sorted(set(theirs) | set(ours)):
        if name not in theirs:
            changes.append(f"{name} (missing from the bundle)")
        elif name not in ours:
            changes.append(f"{name} (not in the verifier's policies)")
        elif theirs[name] != ours[name]:
            changes.append(name)
        else:
            continue
        if len(diff) < max_lines:
            a = ours.get(name, b"").decode("utf-8", "replace").splitlines()
            b = theirs.get(name, b"").decode("utf-8", "replace").splitlines()
            diff.extend(difflib.unified_diff(a, b, f"verifier/{name}", f"bundle/{name}", n=1, lineterm=""))
    if len(diff) > max_lines:
        diff = diff[:max_lines] + [f"… ({len(diff) - max_lines} more lines)"]
    return changes, diff


def _data_notes(data: dict[str, Any]) -> list[str]:
    """What the unit set for itself: parameters that differ from the defaults, and its waivers."""
    notes = []
    defaults = config.load_params()
    for k, v in sorted((data.get("params") or {}).items()):
        if k in defaults and defaults[k] != v:
            notes.append(f"parameter {k} = {json.dumps(v, ensure_ascii=False)[:120]} "
                         f"(default {json.dumps(defaults[k], ensure_ascii=False)[:60]})")
    for w in (data.get("waivers") or {}).get("items") or []:
        if isinstance(w, dict):
            notes.append(f"waiver {w.get('rule')} for {w.get('hosts')} until {w.get('expires')}: {w.get('reason')} "
                         f"({w.get('approver')})")
    return notes


def _check_data(data: Any) -> str | None:
    if not isinstance(data, dict) or not set(data) <= DATA_KEYS:
        return f"data.json must hold only {', '.join(sorted(DATA_KEYS))}"
    params = data.get("params")
    if not isinstance(params, dict):
        return "data.json holds no parameters"
    defaults = config.load_params()
    try:  # the collector-only parameters never travel in a bundle: the defaults stand in for the check
        config.validate_params({**{k: defaults[k] for k in config.COLLECTOR_ONLY}, **params},
                               "the bundle's data.json")
    except ZichaError as e:
        return str(e)
    return None


def verify(path: Path, pubkey: Path | None = None, opa_url: str | None = None,
           bundle_policies: bool = False) -> Verification:
    files = read(path)
    manifest = manifest_of(path, files)
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

    problems = file_problems(files, manifest)
    theirs = {n: b for n, b in files.items() if n.startswith("policies/")}
    ours = policy_files(evaluate.POLICY_DIR)
    changes, diff = _policy_differences(theirs, ours)
    v = Verification(path, manifest, signature, fingerprint, problems, [], 0, "?",
                     "bundle" if bundle_policies else "verifier", changes, diff)

    def cannot(why: str) -> Verification:
        v.result_problems.append(f"cannot decide again: {why}")
        return v

    try:
        recorded = member_json(files, "results.json", path)["results"]
        document = member_json(files, "input.json", path)
        data = member_json(files, "data.json", path)
        before = {(r["host"], r["rule"]): r for r in recorded}
    except EvidenceError as e:
        return cannot(str(e))
    except (KeyError, TypeError, AttributeError) as e:
        return cannot(f"results.json holds no results ({type(e).__name__})")
    if not isinstance(document, dict) or not isinstance(document.get("hosts"), dict):
        return cannot("input.json has no table of hosts")
    why = _check_data(data)
    if why:
        return cannot(why)
    v.notes = _data_notes(data)
    hosts = list(document["hosts"])

    with tempfile.TemporaryDirectory(prefix="zicha-verify-") as tmp:
        if bundle_policies:
            if not theirs:
                return cannot("no policies in the bundle")
            pdir = (Path(tmp) / "policies").resolve()
            for name, body in theirs.items():
                target = (pdir / name[len("policies/"):]).resolve()
                if not target.is_relative_to(pdir) or target == pdir:
                    return cannot(f"{name}: not a file inside policies/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(body)
            try:
                evaluate.check_untrusted(pdir)
                expected = evaluate.rule_ids(pdir)
            except ZichaError as e:
                return cannot(str(e))
        else:
            pdir = evaluate.POLICY_DIR
            expected = evaluate.rule_ids(pdir)
            from checker import platforms

            # the verifier's catalog names the GB/T items, its registry the kinds of platform
            data = dict(data, catalog=config.catalog_data(), platforms=platforms.data())
        server = None
        try:
            if opa_url:
                url, v.opa_version = opa_url, "external"
            else:
                server = evaluate.OpaServer(log_path=Path(tmp) / "opa.log", bare_env=True,
                                            memory_bytes=VERIFY_MEMORY, preload=(pdir, data)).start()
                url, v.opa_version = server.url, evaluate.opa_version(server.binary)
            with evaluate.Evaluator(url, timeout=VERIFY_TIMEOUT) as ev:
                if opa_url:
                    ev.load(data, policy_dir=pdir)  # a user's server: uploaded (ours started with them)
                decision = ev.decide(document)
            decided = evaluate.complete(hosts, decision, expected)
            decided += attested_again(files, document.get("now", ""), theirs if bundle_policies else None)
        except OpaUnavailable as e:
            if opa_url:
                raise
            return cannot(f"OPA stopped while deciding (out of memory or time?): {e}")
        except ZichaError as e:
            return cannot(f"with the {'bundle' if bundle_policies else 'verifier'}'s policies: {e}")
        finally:
            if server:
                server.stop()
    # compared as the bundle keeps them: redacted the same way
    again = {(r.host, r.rule): redact(r.to_json(), [0]) for r in decided}
    for key in sorted(set(before) | set(again), key=str):
        v.results_checked += 1
        host, rule = key
        if key not in again:
            v.result_problems.append(f"{host} / {rule}: in results.json but not decided again")
        elif key not in before:
            v.result_problems.append(f"{host} / {rule}: decided again but missing from results.json")
        else:
            try:
                b = Result.from_json(before[key]).to_json()
            except (TypeError, AttributeError) as e:
                v.result_problems.append(f"{host} / {rule}: not a result in results.json ({type(e).__name__})")
                continue
            if _comparable(b) != _comparable(again[key]):
                a = again[key]
                what = f"status {b.get('status')} in the bundle, {a['status']} decided again" \
                    if b.get("status") != a["status"] else "same status, different message or evidence"
                v.result_problems.append(f"{host} / {rule}: {what}")
    return v


def attested_again(files: dict[str, bytes], now: str, bundle_policies: dict[str, bytes] | None) -> list[Result]:
    """The manual clauses decided again from the bundle's attestations and attached documents, against the
    verifier's clause catalog (or the bundle's, with its policies); nothing for a bundle made before attestations
    were kept."""
    if "attestations.json" not in files:
        return []
    import yaml

    from checker import attest, catalog

    try:
        doc = json.loads(files["attestations.json"])
        if bundle_policies is None:
            clauses = catalog.load()
        else:
            clauses = catalog.parse(yaml.safe_load(bundle_policies.get("policies/clauses.yaml", b"")),
                                    "the bundle's clauses.yaml")
        att = attest.validated(attest.Attestations.from_json(doc), clauses, "the bundle's attestations.json")
    except (ValueError, TypeError, AttributeError, yaml.YAMLError) as e:
        raise EvidenceError(f"attestations.json or the clause catalog unreadable: {e}") from None
    present: dict[str, dict[str, str]] = {}
    for name, body in files.items():
        parts = name.split("/")
        if parts[0] == "attachments" and len(parts) == 3:
            present.setdefault(parts[1], {})[parts[2]] = attest.sha256(body)
    return attest.results(att, clauses, present, now)


def _comparable(r: dict[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, ensure_ascii=False)
