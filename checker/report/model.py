"""The self-inspection report (自查报告) as data: what every renderer (Markdown, HTML, DOCX) lays out.

It follows the structure of the source reports: 一、自查工作开展情况 (scope, date, hosts by kind and zone),
二、检查情况 (each clause 符合 / 部分符合 / 不符合 / 不适用, with host counts), 三、存在的问题 (each failing clause with
its hosts and evidence), 四、整改措施 (remediation from the rules, with owner and deadline to fill in), the manual
clauses with attestation fields, and an appendix of evidence. With a previous bundle it also says, per clause,
what is newly failing, what was put right (整改完成) and what is still open.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker import catalog
from checker.models import AuditReport, Result

VERDICTS = {
    "zh": {"pass": "符合", "partial": "部分符合", "fail": "不符合", "na": "不适用", "unverified": "未能核实"},
    "en": {"pass": "compliant", "partial": "partly compliant", "fail": "not compliant", "na": "not applicable",
           "unverified": "not verified"},
}
STATUS = {
    "zh": {"pass": "符合", "fail": "不符合", "error": "错误", "not_applicable": "不适用", "waived": "已豁免"},
    "en": {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived"},
}
ROLES = {"zh": {"server": "服务器", "terminal": "终端", "switch": "交换机", "firewall": "防火墙", "router": "路由器"},
         "en": {"server": "servers", "terminal": "terminals", "switch": "switches", "firewall": "firewalls",
                "router": "routers"}}
SECTION_ORDER = ["涉密管理", "技术防护", "数据安全", "组织管理", "制度建设", "应急处置", "教育培训", "存在的问题"]


@dataclass
class ClauseRow:
    id: str
    section: str
    text: str
    verdict: str  # pass | partial | fail | na | unverified
    counts: dict[str, int]
    rules: list[str]
    failing_hosts: list[str]


@dataclass
class Problem:
    clause: str
    text: str
    items: list[dict[str, str]]  # host, rule, status, message, evidence


@dataclass
class Remedy:
    rule: str
    title: str
    severity: str
    remediation: str
    hosts: list[str]


@dataclass
class ManualClause:
    id: str
    section: str
    text: str
    attestation: str
    attachments: list[str]


@dataclass
class Trend:
    clause: str
    text: str
    new: list[str]
    resolved: list[str]
    still_open: list[str]


@dataclass
class ReportModel:
    lang: str
    title: str
    unit: str
    date: str
    run: dict[str, Any]
    scope: dict[str, Any]
    totals: dict[str, int]
    clauses: list[ClauseRow]
    problems: list[Problem]
    remedies: list[Remedy]
    manual: list[ManualClause]
    evidence: list[dict[str, str]]
    trend: list[Trend] | None = None
    waived: list[dict[str, str]] = field(default_factory=list)

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en


def _clause_verdict(c: Counter) -> str:
    bad = c["fail"]
    if bad:
        return "partial" if c["pass"] + c["waived"] else "fail"
    if c["error"]:
        return "partial" if c["pass"] + c["waived"] else "unverified"
    if c["pass"] + c["waived"]:
        return "pass"
    return "na"


def _evidence_text(r: Result) -> str:
    srcs = "; ".join(f"{s.get('fact')}: {s.get('source')}" for s in r.evidence.get("sources", []))
    when = r.evidence.get("collected_at") or ""
    how = (r.evidence.get("gather") or {}).get("method", "")
    return f"{srcs} ({how}, {when})".strip()


def _failing(results: list[Result]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in results:
        if r.status in ("fail", "error"):
            for c in r.clauses:
                out[c].add(r.host)
    return out


def build(report: AuditReport, lang: str = "zh", previous: AuditReport | None = None,
          attachments: dict[str, list[str]] | None = None) -> ReportModel:
    clauses = catalog.load()
    results = report.results
    by_clause: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        for c in r.clauses:
            by_clause[c].append(r)

    rows = []
    for cid, c in clauses.items():
        if c.status != "automated":
            continue
        rs = by_clause.get(cid, [])
        counts = Counter(r.status for r in rs)
        rows.append(ClauseRow(
            id=cid, section=c.section, text=getattr(c, lang), verdict=_clause_verdict(counts),
            counts={k: counts[k] for k in ("pass", "fail", "error", "waived", "not_applicable")},
            rules=sorted({r.rule for r in rs}),
            failing_hosts=sorted({r.host for r in rs if r.status in ("fail", "error")})))
    rows.sort(key=lambda r: (SECTION_ORDER.index(r.section) if r.section in SECTION_ORDER else 99, r.id))

    problems = []
    for row in rows:
        if row.verdict in ("pass", "na"):
            continue
        items = [{"host": r.host, "rule": r.rule, "status": STATUS[lang][r.status], "message": r.message.get(lang, ""),
                  "evidence": _evidence_text(r)}
                 for r in sorted(by_clause[row.id], key=lambda r: (r.host, r.rule)) if r.status in ("fail", "error")]
        problems.append(Problem(row.id, row.text, items))

    remedies = []
    for rule in report.rules:
        hosts = sorted({r.host for r in results if r.rule == rule.id and r.status in ("fail", "error")})
        if hosts:
            remedies.append(Remedy(rule.id, rule.title.get(lang, rule.id), rule.severity,
                                   rule.remediation.get(lang, ""), hosts))
    sev = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    remedies.sort(key=lambda r: (sev.get(r.severity, 9), r.rule))

    manual = [ManualClause(c.id, c.section, getattr(c, lang), c.attestation or "", (attachments or {}).get(c.id, []))
              for c in clauses.values() if c.status == "manual" and not c.id.startswith("GAP-")]
    manual.sort(key=lambda m: (SECTION_ORDER.index(m.section) if m.section in SECTION_ORDER else 99, m.id))

    hosts = report.run.hosts or [{"name": h, "role": "?", "zone": None, "platform": "?"}
                                 for h in report.run.hosts_attempted]
    scope = {
        "hosts": len(hosts),
        "reached": len(report.run.hosts_reached),
        "by_role": dict(Counter(ROLES[lang].get(h.get("role"), h.get("role")) for h in hosts)),
        "by_zone": dict(Counter(h.get("zone") or "-" for h in hosts)),
        "by_platform": dict(Counter(h.get("platform") for h in hosts)),
        "table": sorted(hosts, key=lambda h: (h.get("zone") or "", h.get("role") or "", h["name"])),
    }
    evidence_rows = [{"host": r.host, "rule": r.rule, "status": STATUS[lang][r.status],
                      "message": r.message.get(lang, ""), "evidence": _evidence_text(r)}
                     for r in sorted(results, key=lambda r: (r.host, r.rule)) if r.status != "not_applicable"]
    waived = [{"host": r.host, "rule": r.rule, "reason": (r.waiver or {}).get("reason", ""),
               "approver": (r.waiver or {}).get("approver", ""), "expires": (r.waiver or {}).get("expires", "")}
              for r in results if r.status == "waived"]

    trend = None
    if previous is not None:
        before, now = _failing(previous.results), _failing(results)
        trend = []
        for row in rows:
            b, n = before.get(row.id, set()), now.get(row.id, set())
            if b or n:
                trend.append(Trend(row.id, row.text, sorted(n - b), sorted(b - n), sorted(n & b)))

    started = report.run.started_at or ""
    try:
        date = dt.datetime.fromisoformat(started.replace("Z", "+00:00")).astimezone(
            dt.timezone(dt.timedelta(hours=8))).strftime("%Y年%m月%d日" if lang == "zh" else "%Y-%m-%d")
    except ValueError:
        date = started
    unit = report.run.unit or ("（单位名称）" if lang == "zh" else "(unit)")
    return ReportModel(
        lang=lang,
        title=f"{unit}网络安全自查报告" if lang == "zh" else f"Network security self-inspection report of {unit}",
        unit=unit, date=date, run=report.run.to_json(), scope=scope, totals=report.counts(), clauses=rows,
        problems=problems, remedies=remedies, manual=manual, evidence=evidence_rows, trend=trend, waived=waived)
