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
from checker.report import model as rm


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


# -- the document, as blocks (checker.report.model's), then HTML and DOCX ----------------------------------------------


@dataclass
class Chart(rm.Block):
    """Units per clause (the HTML draws it; the DOCX has the tables)."""
    totals: dict
    order: list[str]


def blocks(s: Summary) -> list[rm.Block]:
    t = s.t
    cl = {k: region.label(k, s.lang) for k in region.CELLS}
    std = {k: v[1 if s.lang == "en" else 0] for k, v in region.STANDING.items()}
    tot = s.totals
    out: list[rm.Block] = [
        rm.Title(s.title),
        rm.Para(f"{s.organiser}　{t('截止时间', 'Deadline')} {s.deadline}　{t('生成于', 'made')} {s.generated}　"
                f"zicha {__version__}", indent=False),
        rm.Heading(1, t("一、总体情况", "1. Overview")),
        rm.Para(t(
            f"本轮共登记 {tot['units']} 个单位：按时提交并通过核验 {tot['on_time']} 个，逾期提交 {tot['late']} 个，"
            f"尚在核验 {tot['pending']} 个，证据包核验未通过（已隔离）{tot['quarantined']} 个，未提交 {tot['missing']} 个；"
            f"已核验的证据包共覆盖 {tot['hosts']} 台主机和设备。每个证据包均以单位登记的公钥核验签名，文件与清单逐一比对，"
            "并用本平台的策略重新判定，结论与包内一致方予采信。",
            f"{tot['units']} units are registered: {tot['on_time']} submitted in time and verified, {tot['late']} "
            f"late, {tot['pending']} still being verified, {tot['quarantined']} failed verification (quarantined), "
            f"{tot['missing']} submitted nothing; the verified bundles cover {tot['hosts']} hosts and devices. Each "
            "bundle's signature was checked against the unit's registered key, its files against its manifest, and "
            "its results decided again with the portal's policies.")),
        Chart(s.chart_totals, s.column_order),
        rm.Heading(1, t("二、各单位检查结果", "2. Units")),
        rm.Table([t("单位", "Unit"), t("上级", "Parent"), t("提交情况", "Standing"), t("自查时间", "Audited"),
                  t("主机", "Hosts"), cl["ok"], cl["bad"], cl["unverified"], t("不符合条款", "Failing clauses")],
                 [[u.name, u.parent or "—", std[u.standing], u.audited, str(u.hosts), str(u.cells["ok"]),
                   str(u.cells["bad"]), str(u.cells["unverified"]), ", ".join(u.failing) or "—"] for u in s.units],
                 [3, 2.4, 2.6, 2.6, 1, 1.1, 1.2, 1.2, 5]),
        rm.Heading(1, t("三、突出问题：不符合单位最多的条款", "3. The clauses most often failed")),
        rm.Para(t("按已通过核验的证据包统计。", "Counted over the verified bundles.")),
    ]
    worst = [c for c in s.clauses if c.cells["bad"] or c.cells["unverified"]][:10]
    if worst:
        out.append(rm.Table([t("条款", "Clause"), t("内容", "Claim"), cl["bad"], cl["unverified"], cl["ok"],
                             t("不符合的单位", "Units failing it")],
                            [[c.clause, c.text, str(c.cells["bad"]), str(c.cells["unverified"]), str(c.cells["ok"]),
                              "、".join(c.units_bad) or "—"] for c in worst], [3.4, 5.6, 1.2, 1.2, 1.2, 5.2]))
    else:
        out.append(rm.Para(t("各单位均未发现不符合项。", "No unit fails any clause.")))
    out.append(rm.Heading(1, t("四、存在严重问题的单位", "4. Units with critical findings")))
    if s.critical:
        out.append(rm.Table([t("单位", "Unit"), t("规则", "Rule"), t("名称", "Title"), t("不符合主机", "Hosts failing"),
                             t("未能核实主机", "Hosts not verified")],
                            [[c.unit, c.rule, c.title, str(c.fail), str(c.error)] for c in s.critical],
                            [3.6, 3.6, 4.6, 2, 2]))
    else:
        out.append(rm.Para(t("未发现严重（critical）级别问题。", "No critical finding.")))
    out.append(rm.Heading(1, t("五、与上一轮比较", "5. Since the previous round")))
    if s.trend is None:
        out.append(rm.Para(t("没有上一轮的数据。", "There is no previous round.")))
    else:
        out.append(rm.Para(t(f"上一轮：{s.previous_round}", f"Previous round: {s.previous_round}")))
        out.append(rm.Table([t("条款", "Clause"), t("内容", "Claim"), t("上轮不符合", "Failing before"),
                             t("本轮不符合", "Failing now"), t("已整改的单位", "Units put right"),
                             t("新出现问题的单位", "Units newly failing")],
                            [[x.clause, x.text, str(x.bad_before), str(x.bad_now), "、".join(x.improved) or "—",
                              "、".join(x.worsened) or "—"] for x in s.trend], [3.2, 4.6, 1.4, 1.4, 3.6, 3.6]))
    out.append(rm.Heading(1, t("六、未按时提交或核验未通过的单位", "6. Units late, missing or not verified")))
    if s.late_or_missing:
        out.append(rm.Table([t("单位", "Unit"), t("情况", "Standing"), t("原因", "Reason")],
                            [[n, st, r or "—"] for n, st, r in s.late_or_missing], [4, 4, 8]))
    else:
        out.append(rm.Para(t("各单位均已按时提交并通过核验。", "Every unit submitted in time and was verified.")))
    return out


def html(s: Summary) -> bytes:
    """The unit report's page (checker.report.html: its CSS and tables) with the region's blocks."""
    from checker.report.html import CSS, _e, _table

    p = [f"<!DOCTYPE html><html lang='{'zh-CN' if s.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>",
         f"<title>{_e(s.title)}</title><style>{CSS}</style></head><body><main class='body'>"]
    for b in blocks(s):
        if isinstance(b, rm.Title):
            p.append(f"<h1>{_e(b.text)}</h1>")
        elif isinstance(b, rm.Heading):
            p.append(f"<h{b.level + 1}>{_e(b.text)}</h{b.level + 1}>")
        elif isinstance(b, rm.Para):
            p.append(f"<p class='{'indent' if b.indent else ''}'>{_e(b.text)}</p>")
        elif isinstance(b, rm.Table):
            p.append(_table(b))
        elif isinstance(b, Chart):
            p.append("<div class='charts'><div class='chart'>" + charts.cells_by_clause(
                s.t("各条款单位情况（个）", "Units per clause"), b.order, b.totals, s.lang) + "</div></div>")
    p.append("</main></body></html>\n")
    return "".join(p).encode("utf-8")


def _long_table(doc, table: rm.Table) -> None:
    """checker.report.docx's table for a thousand rows: the helper makes the header and the first row, the others
    are copies of that row with their own text (python-docx fills a cell in about a millisecond)."""
    import copy

    from docx.oxml.ns import qn

    from checker.report.docx import _table

    _table(doc, rm.Table(table.head, table.rows[:1], table.widths))
    if len(table.rows) < 2:
        return
    tbl = doc.tables[-1]._tbl
    template = tbl.tr_lst[-1]
    for row in table.rows[1:]:
        tr = copy.deepcopy(template)
        for tc, value in zip(tr.iterchildren(qn("w:tc")), row):
            texts = tc.findall(".//" + qn("w:t"))
            for node in texts[:-1]:
                node.text = ""
            texts[-1].text = str(value)
        tbl.append(tr)


def docx(s: Summary) -> bytes:
    """As a Word document in the unit report's layout (checker.report.docx: A4, GB/T 9704 fonts and margins)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from checker.report.docx import _para, _styles

    doc = Document()
    _styles(doc, s.lang)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    doc.core_properties.title = s.title
    doc.core_properties.author = s.organiser or "zicha"
    doc.core_properties.comments = f"zicha {__version__}"
    for b in blocks(s):
        if isinstance(b, rm.Title):
            p = _para(doc, b.text, indent=False, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(14), Pt(14)
        elif isinstance(b, rm.Heading):
            _para(doc, b.text, style=f"Heading {b.level}")
        elif isinstance(b, rm.Para):
            _para(doc, b.text, indent=b.indent)
        elif isinstance(b, rm.Table):
            _long_table(doc, b)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
