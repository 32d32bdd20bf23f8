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
    "zh": {"pass": "符合", "fail": "不符合", "error": "错误", "not_applicable": "不适用", "waived": "已豁免", "manual": "未核验"},
    "en": {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived",
           "manual": "not attested"},
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
    resolved: list[str]  # failing before, audited again and now compliant (整改完成)
    still_open: list[str]
    other: list[str] = field(default_factory=list)  # failing before and now waived, or not audited this time


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


# one status per host for a clause that several rules prove: the worst of them
_HOST_ORDER = ("fail", "error", "waived", "pass", "not_applicable")
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def _clean(text: str) -> str:
    """Text as every renderer can carry it: no control characters (XML, and so DOCX, refuses them)."""
    return text.translate(_CONTROL) if isinstance(text, str) else text


def _rank(status: str) -> int:
    return _HOST_ORDER.index(status) if status in _HOST_ORDER else 1  # an unknown status counts as an error


def _host_status(results: list[Result]) -> dict[str, str]:
    """clause-level status of each host: fail if any of its rules fails, else error, waived, pass, n/a."""
    out: dict[str, str] = {}
    for r in results:
        now = out.get(r.host)
        if now is None or _rank(r.status) < _rank(now):
            out[r.host] = r.status if r.status in _HOST_ORDER else "error"
    return out


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
    return _clean(f"{srcs} ({how}, {when})".strip())


def _by_clause(results: list[Result]) -> dict[str, list[Result]]:
    out: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        for c in r.clauses:
            out[c].append(r)
    return out


def build(report: AuditReport, lang: str = "zh", previous: AuditReport | None = None,
          attachments: dict[str, list[str]] | None = None) -> ReportModel:
    clauses = catalog.load()
    results = report.results
    by_clause = _by_clause(results)
    per_host = {c: _host_status(rs) for c, rs in by_clause.items()}  # counts are of hosts, not of results

    rows = []
    for cid, c in clauses.items():
        if c.status != "automated":
            continue
        rs, hosts_of = by_clause.get(cid, []), per_host.get(cid, {})
        counts = Counter(hosts_of.values())
        rows.append(ClauseRow(
            id=cid, section=c.section, text=getattr(c, lang), verdict=_clause_verdict(counts),
            counts={k: counts[k] for k in ("pass", "fail", "error", "waived", "not_applicable")},
            rules=sorted({r.rule for r in rs}),
            failing_hosts=sorted(h for h, st in hosts_of.items() if st in ("fail", "error"))))
    rows.sort(key=lambda r: (SECTION_ORDER.index(r.section) if r.section in SECTION_ORDER else 99, r.id))

    problems = []
    for row in rows:
        if row.verdict in ("pass", "na"):
            continue
        items = [{"host": r.host, "rule": r.rule, "status": STATUS[lang][r.status],
                  "message": _clean(r.message.get(lang, "")),
                  "evidence": _evidence_text(r)}
                 for r in sorted(by_clause[row.id], key=lambda r: (r.host, r.rule)) if r.status in ("fail", "error")]
        problems.append(Problem(row.id, row.text, items))

    remedies = []
    for rule in report.rules:
        hosts = sorted({r.host for r in results if r.rule == rule.id and r.status in ("fail", "error")})
        if hosts:
            remedies.append(Remedy(rule.id, rule.title.get(lang, rule.id), rule.severity,
                                   _clean(rule.remediation.get(lang, "")), hosts))
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
                      "message": _clean(r.message.get(lang, "")), "evidence": _evidence_text(r)}
                     for r in sorted(results, key=lambda r: (r.host, r.rule)) if r.status != "not_applicable"]
    waived = [{"host": r.host, "rule": r.rule, "reason": _clean((r.waiver or {}).get("reason", "")),
               "approver": (r.waiver or {}).get("approver", ""), "expires": (r.waiver or {}).get("expires", "")}
              for r in results if r.status == "waived"]

    trend = None
    if previous is not None:
        # resolved means audited again and found compliant: a host left out of this run, or now waived, is
        # neither resolved nor still open, and is named as such
        before = {c: _host_status(rs) for c, rs in _by_clause(previous.results).items()}
        now = per_host
        audited = {r.host for r in results}
        bad = ("fail", "error")
        trend = []
        for row in rows:
            b = {h for h, st in before.get(row.id, {}).items() if st in bad}
            n_all = now.get(row.id, {})
            n = {h for h, st in n_all.items() if st in bad}
            waived_now = sorted(h for h in b if n_all.get(h) == "waived")
            unchecked = sorted(h for h in b if h not in audited)
            resolved = sorted(h for h in b - n if h in audited and n_all.get(h) in ("pass", "not_applicable"))
            other = [f"{h}（{'已豁免' if lang == 'zh' else 'waived'}）" for h in waived_now] + \
                    [f"{h}（{'本次未检查' if lang == 'zh' else 'not audited this time'}）" for h in unchecked]
            if b or n:
                trend.append(Trend(row.id, row.text, sorted(n - b), resolved, sorted(n & b), other))

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
