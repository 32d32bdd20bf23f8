"""An accepted bundle's results into the portal's tables: one ClauseVerdict per clause (as the unit's own report
decides it: checker.report.model), one HostResult per (host, rule) with its evidence, and the submission's summary
(run, hosts, counts, rules, critical findings)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction

from checker.models import AuditReport
from checker.portal.models import ClauseVerdict, HostResult, Submission
from checker.report import model as rm


def parse_time(text: str | None) -> dt.datetime | None:
    if not text or not isinstance(text, str):
        return None
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def _host_count(results, status: str) -> int:
    return len({r.host for r in results if r.status == status})


def summary(report: AuditReport) -> dict[str, Any]:
    """The submission's own fields from its results."""
    rules = {r.id: dict(r.__dict__) for r in report.rules}
    critical: dict[str, dict[str, Any]] = {}
    for rule in report.rules:
        if rule.severity != "critical":
            continue
        rs = [r for r in report.results if r.rule == rule.id]
        fail, error = _host_count(rs, "fail"), _host_count(rs, "error")
        if fail or error:
            critical[rule.id] = {"fail": fail, "error": error, "title": rule.title}
    run = report.run
    return {
        "run_id": run.id[:100], "run_started_at": parse_time(run.started_at), "run_unit": (run.unit or "")[:200],
        "zicha_version": (run.zicha_version or "")[:40], "opa_version": (run.opa_version or "")[:40],
        "host_count": len({r.host for r in report.results if r.kind == "rule"} | set(run.hosts_attempted)),
        "result_count": len(report.results), "counts": report.counts(), "rules": rules, "run": run.to_json(),
        "hosts": [{k: h.get(k) for k in ("name", "role", "zone", "platform", "classified", "method")}
                  for h in (run.hosts or []) if isinstance(h, dict)],
        "critical": critical,
    }


def clause_rows(report: AuditReport) -> list[ClauseVerdict]:
    """Each automated clause as the unit report decides it (checker.report.model.clause_views: a host counts once
    per clause, by its worst verdict on that clause)."""
    from checker.portal.region import cell_of

    rows = []
    for v in rm.clause_views(report, "zh"):
        if v.kind != "automated":
            continue
        n = v.counts
        rows.append(ClauseVerdict(clause=v.id[:64], verdict=v.verdict, n_pass=n["pass"], n_fail=n["fail"],
                                  n_error=n["error"], n_waived=n["waived"], n_na=n["not_applicable"],
                                  cell=cell_of(n["pass"], n["fail"], n["error"], n["waived"])))
    return rows


_COLUMNS = ("host", "rule", "status", "severity", "clauses", "message", "evidence", "waiver")


def result_rows(report: AuditReport) -> list[HostResult]:
    """One row per result; what has no column of its own (title, clause verdicts, kind, …) is kept in `extra`, so
    the unit report can be made again from the rows whatever the results carry."""
    out = []
    for r in report.results:
        doc = r.to_json()
        out.append(HostResult(host=r.host[:255], rule=r.rule[:64], status=r.status, severity=r.severity,
                              clauses=list(r.clauses), message=r.message, evidence=r.evidence, waiver=r.waiver,
                              extra={k: v for k, v in doc.items() if k not in _COLUMNS}))
    return out


def accept(sub: Submission, report: AuditReport, attachments: dict[str, list[str]], **fields: Any) -> None:
    """Store the results and mark the submission accepted, all in one transaction."""
    clauses, results = clause_rows(report), result_rows(report)
    values = {**summary(report), "attachments": attachments, **fields, "state": Submission.ACCEPTED}
    with transaction.atomic():
        ClauseVerdict.objects.filter(submission=sub).delete()
        HostResult.objects.filter(submission=sub).delete()
        for row in clauses:
            row.submission = sub
        for row in results:
            row.submission = sub
        ClauseVerdict.objects.bulk_create(clauses, batch_size=1000)
        HostResult.objects.bulk_create(results, batch_size=1000)
        for k, v in values.items():
            setattr(sub, k, v)
        sub.save()


def report_of(sub: Submission) -> AuditReport:
    """The accepted submission's AuditReport again, from the stored rows (the unit report is rendered from it)."""
    from checker.models import Result, RuleInfo, RunInfo

    rules = [RuleInfo(**{k: v for k, v in r.items() if k in RuleInfo.__dataclass_fields__})
             for r in sub.rules.values()]
    results = [Result.from_json({**(row.extra or {}), "host": row.host, "rule": row.rule, "status": row.status,
                                 "severity": row.severity, "clauses": row.clauses, "message": row.message,
                                 "evidence": row.evidence, "waiver": row.waiver})
               for row in sub.results.order_by("id")]
    return AuditReport(run=RunInfo.from_json(sub.run or {"id": sub.run_id, "started_at": ""}), rules=rules,
                       results=results)
