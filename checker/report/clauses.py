"""Every clause's verdict, from the results: a host counts once per clause, by the worst of the rules that prove
it (results.json carries the same summary)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker import catalog
from checker.models import AuditReport, Result
from checker.unit import BLANK, person

from checker.report.blocks import HOST_ORDER  # noqa: F401

# -- verdicts per clause (results.json carries them too) ----------------------------------------------------------


@dataclass
class ClauseView:
    id: str
    kind: str  # automated | manual | gap
    domain: str
    text: str
    verdict: str  # pass | partial | fail | unverified | na | not_attested
    counts: dict[str, int]  # hosts by status on this clause (automated)
    hosts: dict[str, str]  # host → status on this clause
    roles: dict[str, str]  # host → role
    rules: list[str]
    result: Result | None = None  # a manual clause's attestation result

    @property
    def considered(self) -> list[str]:
        return [h for h, s in self.hosts.items() if s != "not_applicable"]


def _rank(status: str) -> int:
    return HOST_ORDER.index(status) if status in HOST_ORDER else 1  # an unknown status counts as an error


def host_status(results: list[Result], clause: str) -> dict[str, str]:
    """Each host's status on a clause: the worst of its results' verdicts on that clause."""
    out: dict[str, str] = {}
    for r in results:
        s = r.clause_status(clause)
        s = s if s in HOST_ORDER else "error"
        if r.host not in out or _rank(s) < _rank(out[r.host]):
            out[r.host] = s
    return out


def clause_verdict(c: Counter) -> str:
    if c["fail"]:
        return "partial" if c["pass"] + c["waived"] else "fail"
    if c["error"]:
        return "partial" if c["pass"] + c["waived"] else "unverified"
    if c["pass"] + c["waived"]:
        return "pass"
    return "na"


def clause_views(report: AuditReport, lang: str = "zh") -> list[ClauseView]:
    """Every clause of the catalog with its verdict, in the catalog's order."""
    clauses = catalog.load()
    roles = {h.get("name"): h.get("role") for h in report.run.hosts}
    by_clause: dict[str, list[Result]] = defaultdict(list)
    attested: dict[str, Result] = {}
    for r in report.results:
        if r.kind == "attestation":
            attested[r.rule] = r
            continue
        for c in r.clauses:
            by_clause[c].append(r)
    out = []
    for cid, c in clauses.items():
        text = getattr(c, lang)
        if c.status == "automated":
            hosts = host_status(by_clause.get(cid, []), cid)
            n = Counter(hosts.values())
            out.append(ClauseView(cid, "automated", c.domain, text, clause_verdict(n),
                                  {k: n[k] for k in HOST_ORDER}, hosts, {h: roles.get(h) or "" for h in hosts},
                                  sorted({r.rule for r in by_clause.get(cid, [])})))
        else:
            r = attested.get(cid)
            verdict = {"pass": "pass", "fail": "fail", "error": "unverified"}.get(r.status if r else "", "not_attested")
            out.append(ClauseView(cid, "gap" if c.gap else "manual", c.domain, text, verdict, {}, {}, {}, [], r))
    return out


def clause_summary(report: AuditReport) -> dict[str, dict[str, Any]]:
    """The verdict of every clause, as results.json carries it (the report's appendix shows the same)."""
    return {v.id: {"kind": v.kind, "verdict": v.verdict,
                   **({"hosts": {k: n for k, n in v.counts.items()}} if v.kind == "automated" else
                      {"status": v.result.status if v.result else "manual"})}
            for v in clause_views(report, "en")}
