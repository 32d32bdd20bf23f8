"""The terminal table (tabulate), grouped by clause, with a summary line."""

from __future__ import annotations

from tabulate import tabulate

from checker import catalog
from checker.models import AuditReport, STATUSES
from checker.report import LABELS

#: the table is a summary: longer messages are cut (the whole message is in results.json and the report)
MAX_CELL = 600


def _short(text: str, limit: int = MAX_CELL) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + " …"


def _message(r, lang: str) -> str:
    text = _short(r.message.get(lang, ""))
    w = r.waiver
    if w and r.status == "waived":
        text += (f"（豁免：{w.get('reason')}；批准：{w.get('approver')}；至 {w.get('expires')}）" if lang == "zh"
                 else f" (waived: {w.get('reason')}; approved by {w.get('approver')}; until {w.get('expires')})")
    return text


def _applies(report: AuditReport, rule_id: str, lang: str) -> str:
    for rule in report.rules:
        if rule.id == rule_id:
            return (getattr(rule, "applies_to", None) or {}).get(lang, "")
    return ""


ORDER = {s: i for i, s in enumerate(("fail", "error", "waived", "pass", "not_applicable"))}

#: an estate of more hosts than this gets one line per rule, verdict and message (its hosts listed as the
#: hosts a rule does not concern are), not one per host: 10,000 hosts would print 170,000 lines
GROUP_ABOVE = 200


def _hosts(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= 4 else f"{', '.join(names[:3])} … (+{len(names) - 3})"


def _grouped(shown: list, lang: str) -> list[tuple[str, str, str]]:
    """(hosts, status, message) for each distinct verdict and message, in the order of `shown`."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in shown:
        groups.setdefault((r.status, _short(_message(r, lang))), []).append(r.host)
    return [(_hosts(names), status, text) for (status, text), names in groups.items()]


def render(report: AuditReport, lang: str = "zh") -> bytes:
    clauses = catalog.load()
    labels = LABELS[lang]
    rows = []
    groups: dict[str, list] = {}
    attested = [r for r in report.results if r.kind == "attestation"]
    large = len({r.host for r in report.results}) > GROUP_ABOVE
    for r in report.results:
        if r.kind == "attestation":
            continue
        groups.setdefault(r.clauses[0] if r.clauses else "-", []).append(r)
    for cid in sorted(groups):
        c = clauses.get(cid)
        ctext = f"{cid}\n{getattr(c, lang, '')}" if c else cid
        first = True
        by_rule: dict[str, list] = {}
        for r in groups[cid]:
            by_rule.setdefault(r.rule, []).append(r)
        for rule in sorted(by_rule):
            shown = sorted((r for r in by_rule[rule] if r.status != "not_applicable"),
                           key=lambda r: (ORDER.get(r.status, 9), r.host))
            for hosts, status, text in (_grouped(shown, lang) if large else
                                        ((r.host, r.status, _short(_message(r, lang))) for r in shown)):
                rows.append([ctext if first else "", rule, hosts, labels[status], text])
                first = False
            na = sorted(r.host for r in by_rule[rule] if r.status == "not_applicable")
            if na:  # one line for the hosts the rule does not concern
                rows.append([ctext if first else "", rule, _hosts(na), labels["not_applicable"],
                             ("本规则只检查" if lang == "zh" else "checks only ") + _applies(report, rule, lang)])
                first = False
    # manual clauses: the findings and the errors one by one, the rest counted
    unit = "单位" if lang == "zh" else "the unit"
    for r in sorted((r for r in attested if r.status in ("fail", "error")), key=lambda r: (ORDER[r.status], r.rule)):
        c = clauses.get(r.rule)
        rows.append([f"{r.rule}\n{getattr(c, lang, '')}" if c else r.rule, "人工核验" if lang == "zh" else "attested",
                     unit, labels[r.status], r.message.get(lang, "")])
    ok = sum(r.status == "pass" for r in attested)
    open_ = sum(r.status == "manual" for r in attested)
    if attested:
        rows.append(["人工核验条款" if lang == "zh" else "manual clauses", "", unit, "",
                     f"符合 {ok} 条；未核验 {open_} 条（zicha attest --list）" if lang == "zh" else
                     f"{ok} in place; {open_} not attested (zicha attest --list)"])
    head = ["条款 Clause", "规则 Rule", "主机 Host", "结果", "说明"] if lang == "zh" else \
        ["Clause", "Rule", "Host", "Result", "Detail"]
    text = tabulate(rows, headers=head, tablefmt="simple_grid", maxcolwidths=[24, 20, 18, 8, 56])
    counts = report.counts()
    summary = "  ".join(f"{labels[s]} {counts[s]}" for s in STATUSES)
    hosts = len({r.host for r in report.results if r.kind != "attestation"})
    title = identities(report, lang) + ("自查结果" if lang == "zh" else "Self-inspection results")
    return f"{title}: {hosts} 台主机, {len(report.rules)} 条规则 — {summary}\n{text}\n".encode("utf-8") if lang == "zh" \
        else f"{title}: {hosts} hosts, {len(report.rules)} rules — {summary}\n{text}\n".encode("utf-8")


def identities(report: AuditReport, lang: str = "zh") -> str:
    """Before the table of a snapshot audit: each device's vendor, version and role, and where each came from
    (the inventory, or read from the configuration)."""
    rows = []
    for h in report.run.hosts or []:
        ident = h.get("identity")
        if not ident:
            continue
        src = {"inventory": "清单" if lang == "zh" else "inventory"}
        platform_from = src.get(ident["platform_from"], "识别自配置" if lang == "zh" else "detected")
        rf = ident["role_from"]
        role_from = src["inventory"] if rf == "inventory" else (rf.get(lang, "") if isinstance(rf, dict) else str(rf))
        # always read from the configuration's own version line or banner (the column's heading says so)
        version = ident.get("version") or ("配置中未写明" if lang == "zh" else "not stated")
        rows.append([h["name"], f"{ident['platform'] or '?'} ({platform_from})", version,
                     f"{ident['role']} ({role_from})", (ident.get("mac_table") or "-").rsplit("/", 1)[-1]])
    if not rows:
        return ""
    head = ["设备", "厂商/平台（来源）", "版本（读自配置）", "角色（来源）", "MAC 地址表"] if lang == "zh" else \
        ["Device", "Vendor (from)", "Version (from the configuration)", "Role (from)", "MAC table"]
    title = "快照设备（识别结果）" if lang == "zh" else "Snapshot devices (as identified)"
    return f"{title}\n{tabulate(rows, headers=head, tablefmt='simple', maxcolwidths=[20, 34, 34, 60, 28])}\n\n"
