"""The region's 汇总报告 (summary report) of one round, from the stored results: the units checked and their
standing at the deadline, the clauses most often failed, the units with critical findings, and the trend since the
previous round. As data first (Summary), then HTML and DOCX in the unit report's style (checker/report: its CSS,
table and font helpers)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from checker import __version__
from checker.portal import charts, region
from checker.portal.models import Submission, Unit


@dataclass
class UnitLine:
    code: str
    name: str
    parent: str
    standing: str  # on_time | late | pending | quarantined | missing
    submission_id: int | None
    audited: str
    hosts: int
    cells: Counter
    failing: list[str]
    critical: dict


@dataclass
class ClauseLine:
    clause: str
    text: str
    cells: Counter
    units_bad: list[str]


@dataclass
class CriticalLine:
    unit: str
    rule: str
    title: str
    fail: int
    error: int


@dataclass
class TrendLine:
    clause: str
    text: str
    bad_before: int
    bad_now: int
    improved: list[str]
    worsened: list[str]


@dataclass
class Summary:
    lang: str
    title: str
    organiser: str
    round: str
    deadline: str
    generated: str
    totals: Counter
    units: list[UnitLine]
    clauses: list[ClauseLine]  # every clause, most units failing first
    critical: list[CriticalLine]
    trend: list[TrendLine] | None
    previous_round: str
    late_or_missing: list[tuple[str, str, str]] = field(default_factory=list)  # unit, standing label, reason
    chart_totals: dict = field(default_factory=dict)
    column_order: list[str] = field(default_factory=list)

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en


def _local(t: dt.datetime | None, lang: str) -> str:
    if t is None:
        return "—"
    return timezone.localtime(t).strftime("%Y年%m月%d日 %H:%M" if lang == "zh" else "%Y-%m-%d %H:%M")


def build(units: QuerySet[Unit], win: region.Window, lang: str = "zh") -> Summary:
    m = region.matrix(units, win)
    standing = {s.unit.pk: s for s in region.deadline_standing(units, win)}
    current = {s.pk: s for s in Submission.objects.filter(pk__in=[r.current_id for r in m.rows if r.current_id])
               .only("id", "run_started_at", "host_count", "critical")}
    texts = {c.id: (c.en if lang == "en" else c.zh) for c in m.columns}

    lines, critical = [], []
    totals: Counter = Counter(units=len(m.rows))
    for row in m.rows:
        st = standing[row.unit.pk]
        totals[st.status] += 1
        sub = current.get(row.current_id) if row.current_id else None
        if sub:
            totals["hosts"] += sub.host_count
        failing = [cid for cid, code in row.cells if code == "bad"]
        lines.append(UnitLine(row.unit.code, row.unit.name, row.unit.parent.name if row.unit.parent_id else "",
                              st.status, row.current_id, _local(sub.run_started_at if sub else None, lang),
                              sub.host_count if sub else 0, row.counts, failing, sub.critical if sub else {}))
        for rule, c in sorted((sub.critical if sub else {}).items()):
            title = (c.get("title") or {}).get(lang) or rule
            critical.append(CriticalLine(row.unit.name, rule, title, int(c.get("fail", 0)), int(c.get("error", 0))))
    names = {r.unit.pk: r.unit.name for r in m.rows}
    now_cells = {r.unit.pk: dict(r.cells) for r in m.rows}
    clause_lines = []
    verified = [r.unit.pk for r in m.rows if r.current_id]  # a quarantined or missing unit says nothing of a clause
    for c in m.columns:
        cells = Counter(now_cells[u][c.id] for u in verified)
        bad_units = [names[u] for u in verified if now_cells[u][c.id] == "bad"]
        clause_lines.append(ClauseLine(c.id, texts[c.id], cells, bad_units))
    clause_lines.sort(key=lambda x: (-x.cells["bad"], -x.cells["unverified"], x.clause))

    trend, prev_name = None, ""
    prev = region.previous_window(win)
    if prev is not None:
        prev_name = prev.round.name
        pm = region.matrix(units, prev)
        before = {r.unit.pk: dict(r.cells) for r in pm.rows}
        trend = []
        for c in m.columns:
            now = {u: cells[c.id] for u, cells in now_cells.items()}
            b = {u for u, cells in before.items() if cells[c.id] == "bad"}
            n = {u for u, code in now.items() if code == "bad"}
            improved = sorted(names[u] for u in b if now.get(u) == "ok")  # checked again and compliant
            worsened = sorted(names[u] for u in n if before.get(u, {}).get(c.id) in ("ok", "na"))
            if b or n:
                trend.append(TrendLine(c.id, texts[c.id], len(b), len(n), improved, worsened))

    labels = {k: v[1 if lang == "en" else 0] for k, v in region.STANDING.items()}
    late = [(names[u], labels[s.status], s.reason) for u, s in standing.items() if s.status != "on_time"]
    late.sort(key=lambda x: x[0])
    if win.round:
        title = (f"{win.round.name}汇总报告" if lang == "zh" else f"Summary report: {win.round.name}")
    else:
        title = "网络安全自查汇总报告" if lang == "zh" else "Network security self-inspection: summary report"
    return Summary(lang, title, win.round.organiser if win.round else "", win.round.name if win.round else "",
                   _local(win.deadline, lang), _local(timezone.now(), lang), totals, lines, clause_lines, critical,
                   trend, prev_name, late, m.totals, [c.id for c in m.columns])


# -- HTML --------------------------------------------------------------------------------------------------------------


def html(s: Summary) -> bytes:
    from checker.report.html import CSS, _e, _table

    t = s.t
    cl = {k: region.label(k, s.lang) for k in region.CELLS}
    std = {k: v[1 if s.lang == "en" else 0] for k, v in region.STANDING.items()}
    tot = s.totals
    p = [f"<!DOCTYPE html><html lang='{'zh-CN' if s.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>",
         f"<title>{_e(s.title)}</title><style>{CSS}.c-bad{{color:#c62828;font-weight:bold}}"
         ".c-ok{color:#2e7d32}.c-unverified{color:#ef6c00}</style></head><body>",
         f"<h1>{_e(s.title)}</h1>",
         f"<p class='meta'>{_e(s.organiser)}　{t('截止时间', 'Deadline')} {_e(s.deadline)}　"
         f"{t('生成于', 'made')} {_e(s.generated)}　zicha {_e(__version__)}</p>",
         f"<h2>{t('一、总体情况', '1. Overview')}</h2>",
         "<p>" + _e(t(
             f"本轮共登记 {tot['units']} 个单位：按时提交并通过核验 {tot['on_time']} 个，逾期提交 {tot['late']} 个，"
             f"尚在核验 {tot['pending']} 个，证据包核验未通过（已隔离）{tot['quarantined']} 个，未提交 {tot['missing']} 个；"
             f"已核验的证据包共覆盖 {tot['hosts']} 台主机和设备。每个证据包均以单位登记的公钥核验签名，并用包内策略"
             "重新判定，结论与包内一致方予采信。",
             f"{tot['units']} units are registered: {tot['on_time']} submitted in time and verified, {tot['late']} "
             f"late, {tot['pending']} still being verified, {tot['quarantined']} failed verification (quarantined), "
             f"{tot['missing']} submitted nothing; the verified bundles cover {tot['hosts']} hosts and devices. Each "
             "bundle's signature was checked against the unit's registered key and its results decided again.")) + "</p>",
         "<div class='chart'>" + charts.cells_by_clause(t("各条款单位情况（个）", "Units per clause"),
                                                        s.column_order,
                                                        s.chart_totals, s.lang) + "</div>",
         f"<h2>{t('二、各单位检查结果', '2. Units')}</h2>",
         _table([t("单位", "Unit"), t("上级", "Parent"), t("提交情况", "Standing"), t("自查时间", "Audited"),
                 t("主机", "Hosts"), cl["ok"], cl["bad"], cl["unverified"], t("不符合条款", "Failing clauses")],
                [[_e(u.name), _e(u.parent or "—"), _e(std[u.standing]), _e(u.audited), str(u.hosts),
                  str(u.cells["ok"]), f"<span class='c-bad'>{u.cells['bad']}</span>", str(u.cells["unverified"]),
                  _e(", ".join(u.failing) or "—")] for u in s.units]),
         f"<h2>{t('三、突出问题：不符合单位最多的条款', '3. The clauses most often failed')}</h2>"]
    worst = [c for c in s.clauses if c.cells["bad"] or c.cells["unverified"]][:10]
    p.append(f"<p class='meta'>{t('按已通过核验的证据包统计。', 'Counted over the verified bundles.')}</p>")
    if not worst:
        p.append(f"<p>{t('各单位均未发现不符合项。', 'No unit fails any clause.')}</p>")
    else:
            p.append(_table([t("条款", "Clause"), t("内容", "Claim"), cl["bad"], cl["unverified"], cl["ok"],
                         t("不符合的单位", "Units failing it")],
                        [[_e(c.clause), _e(c.text), f"<span class='c-bad'>{c.cells['bad']}</span>",
                          str(c.cells["unverified"]), str(c.cells["ok"]), _e("、".join(c.units_bad) or "—")]
                         for c in worst]))
    p.append(f"<h2>{t('四、存在严重问题的单位', '4. Units with critical findings')}</h2>")
    if not s.critical:
        p.append(f"<p>{t('未发现严重（critical）级别问题。', 'No critical finding.')}</p>")
    else:
        p.append(_table([t("单位", "Unit"), t("规则", "Rule"), t("名称", "Title"), t("不符合主机", "Hosts failing"),
                         t("未能核实主机", "Hosts not verified")],
                        [[_e(c.unit), _e(c.rule), _e(c.title), str(c.fail), str(c.error)] for c in s.critical]))
    p.append(f"<h2>{t('五、与上一轮比较', '5. Since the previous round')}</h2>")
    if s.trend is None:
        p.append(f"<p>{t('没有上一轮的数据。', 'There is no previous round.')}</p>")
    else:
        p.append(f"<p>{_e(t(f'上一轮：{s.previous_round}', f'Previous round: {s.previous_round}'))}</p>")
        p.append(_table([t("条款", "Clause"), t("内容", "Claim"), t("上轮不符合", "Failing before"),
                         t("本轮不符合", "Failing now"), t("已整改的单位", "Units put right"),
                         t("新出现问题的单位", "Units newly failing")],
                        [[_e(x.clause), _e(x.text), str(x.bad_before), str(x.bad_now), _e("、".join(x.improved) or "—"),
                          _e("、".join(x.worsened) or "—")] for x in s.trend]))
    p.append(f"<h2>{t('六、未按时提交或核验未通过的单位', '6. Units late, missing or not verified')}</h2>")
    if not s.late_or_missing:
        p.append(f"<p>{t('各单位均已按时提交并通过核验。', 'Every unit submitted in time and was verified.')}</p>")
    else:
        p.append(_table([t("单位", "Unit"), t("情况", "Standing"), t("原因", "Reason")],
                        [[_e(n), _e(st), _e(r or "—")] for n, st, r in s.late_or_missing]))
    p.append("</body></html>\n")
    return "".join(p).encode("utf-8")


# -- DOCX --------------------------------------------------------------------------------------------------------------


def _long_table(doc, head: list[str], rows: list[list], widths: list[float]):
    """The unit report's table (checker.report.docx._table) for a thousand rows: its first row is made by that
    helper, the others are copies of it with their own text (python-docx builds each row cell by cell, seconds
    per thousand)."""
    import copy

    from docx.oxml.ns import qn

    from checker.report.docx import _table

    table = _table(doc, head, rows[:1], widths)
    if len(rows) < 2:
        return table
    template = table._tbl.tr_lst[-1]
    for row in rows[1:]:
        tr = copy.deepcopy(template)
        for tc, value in zip(tr.iterchildren(qn("w:tc")), row):
            texts = tc.findall(".//" + qn("w:t"))
            for node in texts[:-1]:
                node.text = ""
            texts[-1].text = str(value)
        table._tbl.append(tr)
    return table



def docx(s: Summary) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from checker.report.docx import _style_fonts, _table

    t = s.t
    cl = {k: region.label(k, s.lang) for k in region.CELLS}
    std = {k: v[1 if s.lang == "en" else 0] for k, v in region.STANDING.items()}
    tot = s.totals
    doc = Document()
    _style_fonts(doc)
    doc.core_properties.title = s.title
    doc.core_properties.author = f"zicha {__version__}"
    doc.add_heading(s.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"{s.organiser}　{t('截止时间', 'Deadline')} {s.deadline}　{t('生成于', 'made')} {s.generated}"
                      ).alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(t("一、总体情况", "1. Overview"), level=1)
    doc.add_paragraph(t(
        f"本轮共登记 {tot['units']} 个单位：按时提交并通过核验 {tot['on_time']} 个，逾期提交 {tot['late']} 个，"
        f"尚在核验 {tot['pending']} 个，证据包核验未通过（已隔离）{tot['quarantined']} 个，未提交 {tot['missing']} 个；"
        f"已核验的证据包共覆盖 {tot['hosts']} 台主机和设备。每个证据包均以单位登记的公钥核验签名，并用包内策略重新判定，"
        "结论与包内一致方予采信。",
        f"{tot['units']} units are registered: {tot['on_time']} submitted in time and verified, {tot['late']} late, "
        f"{tot['pending']} still being verified, {tot['quarantined']} failed verification (quarantined), "
        f"{tot['missing']} submitted nothing; the verified bundles cover {tot['hosts']} hosts and devices."))

    doc.add_heading(t("二、各单位检查结果", "2. Units"), level=1)
    _long_table(doc, [t("单位", "Unit"), t("提交情况", "Standing"), t("自查时间", "Audited"), t("主机", "Hosts"),
                      cl["ok"], cl["bad"], cl["unverified"], t("不符合条款", "Failing clauses")],
                [[u.name, std[u.standing], u.audited, u.hosts, u.cells["ok"], u.cells["bad"], u.cells["unverified"],
                  ", ".join(u.failing) or "—"] for u in s.units], [3.2, 2.4, 2.6, 1.1, 1.1, 1.2, 1.2, 4.0])

    doc.add_heading(t("三、突出问题：不符合单位最多的条款", "3. The clauses most often failed"), level=1)
    worst = [c for c in s.clauses if c.cells["bad"] or c.cells["unverified"]][:10]
    doc.add_paragraph(t("按已通过核验的证据包统计。", "Counted over the verified bundles."))
    if not worst:
        doc.add_paragraph(t("各单位均未发现不符合项。", "No unit fails any clause."))
    else:
        _table(doc, [t("条款", "Clause"), t("内容", "Claim"), cl["bad"], cl["unverified"],
                     t("不符合的单位", "Units failing it")],
               [[c.clause, c.text, c.cells["bad"], c.cells["unverified"], "、".join(c.units_bad) or "—"]
                for c in worst], [3.4, 5.6, 1.3, 1.3, 5.2])

    doc.add_heading(t("四、存在严重问题的单位", "4. Units with critical findings"), level=1)
    if not s.critical:
        doc.add_paragraph(t("未发现严重（critical）级别问题。", "No critical finding."))
    else:
        _long_table(doc, [t("单位", "Unit"), t("规则", "Rule"), t("名称", "Title"), t("不符合主机", "Hosts failing"),
                          t("未能核实主机", "Hosts not verified")],
                    [[c.unit, c.rule, c.title, c.fail, c.error] for c in s.critical], [3.6, 3.6, 4.6, 2.0, 2.0])

    doc.add_heading(t("五、与上一轮比较", "5. Since the previous round"), level=1)
    if s.trend is None:
        doc.add_paragraph(t("没有上一轮的数据。", "There is no previous round."))
    else:
        doc.add_paragraph(t(f"上一轮：{s.previous_round}", f"Previous round: {s.previous_round}"))
        _table(doc, [t("条款", "Clause"), t("上轮不符合", "Failing before"), t("本轮不符合", "Failing now"),
                     t("已整改的单位", "Units put right"), t("新出现问题的单位", "Units newly failing")],
               [[x.clause, x.bad_before, x.bad_now, "、".join(x.improved) or "—", "、".join(x.worsened) or "—"]
                for x in s.trend], [3.6, 1.6, 1.6, 4.6, 4.6])

    doc.add_heading(t("六、未按时提交或核验未通过的单位", "6. Units late, missing or not verified"), level=1)
    if not s.late_or_missing:
        doc.add_paragraph(t("各单位均已按时提交并通过核验。", "Every unit submitted in time and was verified."))
    else:
        _long_table(doc, [t("单位", "Unit"), t("情况", "Standing"), t("原因", "Reason")],
                    [[n, st, r or "—"] for n, st, r in s.late_or_missing], [4.0, 4.0, 8.0])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
