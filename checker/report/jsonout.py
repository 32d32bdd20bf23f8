"""results.json: the run, the rules and every (host, rule) result with its evidence."""

from __future__ import annotations

from checker import jsonio
from checker.models import AuditReport

SCHEMA = "zicha.results/v1"


def document(report: AuditReport) -> dict:
    from checker.report.model import clause_summary

    return {
        "schema": SCHEMA,
        "run": report.run.to_json(),
        "summary": report.counts(),
        # every clause of the catalog: its verdict (pass, partial, fail, unverified, na, not_attested) and, for
        # those rules prove, its hosts by status (each host once, by its worst verdict on the clause)
        "clauses": clause_summary(report),
        "rules": [r.__dict__ for r in report.rules],
        "results": [r.to_json() for r in report.results],
    }


def render(report: AuditReport, lang: str = "zh") -> bytes:
    return jsonio.dumps(document(report))
