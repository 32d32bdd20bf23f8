"""SARIF 2.1.0 for CI (results.sarif): one run, the rules as the tool's rules, one result per (host, rule).

Failures and errors are results of level error/warning/note by severity; passes and not-applicable results
are kept with kind `pass` / `notApplicable` so a dashboard sees the whole audit; a waived failure carries an
external suppression with the waiver's justification. Each result's location is the host's facts file. The manual
clauses are rules too (their id is the clause's): attested no is a failure at the clause's severity, attested yes a
pass, not yet attested a `review` (a person has to look); their location is the attestations file."""

from __future__ import annotations

import json

from checker.models import AuditReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def _where(r) -> dict:
    """The file a result rests on: the host's facts, or for an attested clause the attestations file."""
    if r.kind == "attestation":
        src = next((s.get("source", "") for s in r.evidence.get("sources") or []), "") or "attestations.yml"
        return {"uri": src.split("#")[0], "uriBaseId": "INVENTORYDIR"}
    return {"uri": f"facts/{r.host}.json", "uriBaseId": "OUTDIR"}


def render(report: AuditReport, lang: str = "zh", **_kw) -> bytes:
    rules = sorted(report.rules, key=lambda r: r.id)
    manual = sorted({r.rule: r for r in report.results if r.kind == "attestation"}.values(), key=lambda r: r.rule)
    index = {r.id: i for i, r in enumerate(rules)} | {r.rule: len(rules) + i for i, r in enumerate(manual)}
    driver = {
        "name": "zicha",
        "version": report.run.zicha_version or "0",
        "informationUri": "https://example.invalid/zicha",
        "rules": [{
            "id": r.id,
            "name": r.package,
            "shortDescription": {"text": r.title.get(lang) or r.title.get("zh", r.id)},
            "fullDescription": {"text": (r.description or r.title.get("en", "")).strip() or r.id},
            "help": {"text": r.remediation.get(lang) or r.remediation.get("en", "")},
            "defaultConfiguration": {"level": LEVEL.get(r.severity, "warning")},
            "properties": {"severity": r.severity, "clauses": r.clauses, "gbt22239": r.gbt22239,
                           "title_zh": r.title.get("zh", ""), "title_en": r.title.get("en", "")},
        } for r in rules] + [{
            "id": m.rule,
            "name": f"manual.{m.rule}",
            "shortDescription": {"text": m.title.get(lang) or m.title.get("zh", m.rule)},
            "fullDescription": {"text": m.title.get("en") or m.rule},
            "help": {"text": m.remediation.get(lang) or m.remediation.get("en", "")},
            "defaultConfiguration": {"level": LEVEL.get(m.severity, "warning")},
            "properties": {"severity": m.severity, "clauses": m.clauses, "gbt22239": m.gbt22239, "manual": True,
                           "title_zh": m.title.get("zh", ""), "title_en": m.title.get("en", "")},
        } for m in manual],
    }
    results = []
    for r in sorted(report.results, key=lambda r: (r.rule, r.host)):
        res = {
            "ruleId": r.rule,
            "message": {"text": r.message.get(lang) or r.message.get("zh", "")},
            "locations": [{
                "physicalLocation": {"artifactLocation": _where(r)},
                "logicalLocations": [{"name": r.host, "fullyQualifiedName": f"{r.host}/{r.rule}", "kind": "object"}],
            }],
            "partialFingerprints": {"host/rule": f"{r.host}/{r.rule}"},
            "properties": {"host": r.host, "status": r.status, "severity": r.severity, "clauses": r.clauses,
                           "observed": r.evidence.get("observed"), "sources": r.evidence.get("sources"),
                           "collected_at": r.evidence.get("collected_at")},
        }
        if r.rule in index:
            res["ruleIndex"] = index[r.rule]
        if r.status in ("fail", "error", "waived"):
            res["kind"] = "fail"
            res["level"] = LEVEL.get(r.severity, "warning") if r.status != "error" else "warning"
        elif r.status == "manual":
            res["kind"] = "review"
            res["level"] = "none"
        else:
            res["kind"] = "pass" if r.status == "pass" else "notApplicable"
            res["level"] = "none"
        if r.status == "waived" and r.waiver:
            res["suppressions"] = [{"kind": "external", "status": "accepted",
                                    "justification": f"{r.waiver.get('reason')} — {r.waiver.get('approver')}, "
                                                     f"until {r.waiver.get('expires')}"}]
        results.append(res)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"OUTDIR": {"description": {"text": "the audit's output folder"}},
                                   "INVENTORYDIR": {"description": {"text": "the inventory's folder"}}},
            "invocations": [{"executionSuccessful": True, "startTimeUtc": report.run.started_at,
                             **({"endTimeUtc": report.run.finished_at} if report.run.finished_at else {}),
                             "machine": report.run.controller or None, "account": report.run.user or None}],
            "results": results,
            "properties": {"run_id": report.run.id, "opa_version": report.run.opa_version},
        }],
    }
    inv = doc["runs"][0]["invocations"][0]
    for k in ("machine", "account"):
        if inv[k] is None:
            del inv[k]
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
