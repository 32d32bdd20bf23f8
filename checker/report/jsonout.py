"""results.json: the run, the rules and every (host, rule) result with its evidence."""

from __future__ import annotations

import json

from checker.models import AuditReport

SCHEMA = "zicha.results/v1"


def document(report: AuditReport) -> dict:
    return {
        "schema": SCHEMA,
        "run": report.run.to_json(),
        "summary": report.counts(),
        "rules": [r.__dict__ for r in report.rules],
        "results": [r.to_json() for r in report.results],
    }


def render(report: AuditReport, lang: str = "zh") -> bytes:
    return (json.dumps(document(report), ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
