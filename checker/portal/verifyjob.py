"""One bundle verified in a process of its own: `python -m checker.portal.verifyjob BUNDLE PUBKEY OUT`.

The worker starts this under resource limits (address space, CPU time, file size, no core dumps) in a session of
its own, with an almost empty environment, and kills the whole session (OPA included) at the wall-clock limit.
It does exactly what `zicha verify` does (checker.evidence.verify: member names and sizes, hashes, the signature
against the unit's registered key, the bundle's input decided again with the portal's own policies by a fresh OPA,
every policy file that differs from the portal's named) and, for a bundle that passes, reads its results
(checker.evidence.load_report). It writes one JSON document to OUT; Django is never imported here.

Exit codes: 0 the document was written (whatever the verdict); 3 out of memory; anything else a crash.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXIT_MEMORY = 3


def run(bundle: Path, pubkey: Path) -> dict:
    from checker import evidence
    from checker.errors import ZichaError
    from checker.report import jsonout

    try:
        v = evidence.verify(bundle, pubkey)
    except ZichaError as e:
        return {"ok": False, "error": str(e)}
    m = v.manifest if isinstance(v.manifest, dict) else {}
    declared = m.get("signature") if isinstance(m.get("signature"), dict) else {}
    out = {
        "ok": v.ok,
        "signature": v.signature,
        "key_fingerprint": v.key_fingerprint,
        "file_problems": list(v.file_problems),
        "result_problems": list(v.result_problems),
        "results_checked": v.results_checked,
        "opa_version": v.opa_version,
        "verdict": {"zh": v.verdict("zh"), "en": v.verdict("en")},
        "manifest": {k: m.get(k) for k in ("run_id", "created_at", "zicha_version", "opa_version")
                     if isinstance(m.get(k), (str, type(None)))},
        "declared_fingerprint": declared.get("key_fingerprint") if isinstance(declared, dict) else None,
    }
    out["decided_with"] = v.decided_with  # the portal's own policies (verify's default), not the bundle's
    out["policy_changes"] = [str(x) for x in v.policy_changes]  # policy files that differ from the portal's
    out["policy_diff"] = [str(x) for x in v.policy_diff]
    out["notes"] = [str(x) for x in v.notes]  # the unit's own parameter overrides and waivers
    if v.ok:
        try:
            report, attachments = evidence.load_report(bundle)
        except ZichaError as e:
            out.update(ok=False, error=str(e))
            return out
        out["results"] = jsonout.document(report)
        out["attachments"] = attachments
    return out


def main(argv: list[str]) -> int:
    bundle, pubkey, target = (Path(a) for a in argv)
    try:
        doc = run(bundle, pubkey)
    except MemoryError:
        return EXIT_MEMORY
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    target.write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
