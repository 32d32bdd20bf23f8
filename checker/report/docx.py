"""The 自查报告 as a Word document (report.docx, python-docx): opens in Word and LibreOffice.

Chinese text is set in 宋体 for the East Asian script (Word's default for official documents; LibreOffice falls
back to the installed CJK font), headings in 黑体."""

from __future__ import annotations

import io

from checker.models import AuditReport
from checker.report import model as rm


def _font(run, east_asia: str) -> None:
    from docx.oxml.ns import qn

    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_fonts(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        st = doc.styles[name]
        st.element.get_or_add_rPr()
        rpr = st.element.rPr
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), "黑体")


def _table(doc, head: list[str], rows: list[list[str]], widths: list[float] | None = None):
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for i, h in enumerate(head):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        _font(run, "黑体")
    sizes = [Cm(w) for w in widths] if widths else []
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = ""
            run = cells[i].paragraphs[0].add_run(str(value))
            run.font.size = Pt(9)
            _font(run, "宋体")
        for i, w in enumerate(sizes):  # set here: a second pass over table.rows costs time in every row's cells
            cells[i].width = w
    if widths:
        table.autofit = False  # Word and LibreOffice both honour column widths only then
        for i, w in enumerate(sizes):
            table.columns[i].width = w
        head_cells = table.rows[0].cells
        for i, w in enumerate(sizes):
            head_cells[i].width = w
    return table


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    m = rm.build(report, lang, **kw)
    t = m.t
    v = rm.VERDICTS[lang]
    s = m.scope
    doc = Document()
    _style_fonts(doc)
    doc.core_properties.title = m.title
    doc.core_properties.author = f"zicha {m.run.get('zicha_version')}"
    title = doc.add_heading(m.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(f"{t('报告日期：', 'Date: ')}{m.date}　zicha {m.run.get('zicha_version')}　"
                             f"OPA {m.run.get('opa_version')}　{t('运行编号', 'run')} {m.run.get('id')}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(t("一、自查工作开展情况", "1. How the self-inspection was done"), level=1)
    doc.add_paragraph(t(f"本次自查对 {s['hosts']} 台主机和设备（成功采集 {s['reached']} 台）逐项检查了 {len(m.clauses)} "
                        "个可自动核验的条款：由 zicha 采集真实配置，以 Open Policy Agent 判定，每项结论均附证据。",
                        f"{s['hosts']} hosts and devices ({s['reached']} gathered) were checked against "
                        f"{len(m.clauses)} verifiable clauses; every verdict carries its evidence."))
    _table(doc, [t("主机", "Host"), t("类别", "Kind"), t("区域", "Zone"), t("平台", "Platform")],
           [[h["name"], rm.ROLES[lang].get(h.get("role"), h.get("role")), h.get("zone") or "-", h.get("platform")]
            for h in s["table"]])

    doc.add_heading(t("二、检查情况", "2. Findings by clause"), level=1)
    _table(doc, [t("条款", "Clause"), t("内容", "Claim"), t("结论", "Verdict"), t("符合", "pass"),
                 t("不符合", "fail"), t("未能核实", "error"), t("豁免", "waived")],
           [[c.id, c.text, v[c.verdict], c.counts["pass"], c.counts["fail"], c.counts["error"], c.counts["waived"]]
            for c in m.clauses],
           [3.4, 6.4, 2.0, 1.1, 1.1, 1.3, 1.1])

    doc.add_heading(t("三、存在的问题", "3. Problems found"), level=1)
    if not m.problems:
        doc.add_paragraph(t("未发现问题。", "No problem was found."))
    for prob in m.problems:
        doc.add_heading(f"{prob.clause} {prob.text}", level=2)
        for i in prob.items:
            doc.add_paragraph(f"{i['host']}（{i['rule']}，{i['status']}）：{i['message']}", style="List Bullet")
    if m.trend is not None:
        doc.add_heading(t("与上次自查比较", "Compared with the previous self-inspection"), level=2)
        _table(doc, [t("条款", "Clause"), t("新出现", "New"), t("已整改", "Resolved"), t("仍未整改", "Still open"),
                     t("已豁免或未复查", "Waived or not re-checked")],
               [[x.clause, ", ".join(x.new) or "—", ", ".join(x.resolved) or "—", ", ".join(x.still_open) or "—",
                 ", ".join(x.other) or "—"] for x in m.trend])

    doc.add_heading(t("四、整改措施", "4. Remediation"), level=1)
    _table(doc, [t("规则", "Rule"), t("整改措施", "What to do"), t("涉及主机", "Hosts"), t("责任人", "Owner"),
                 t("完成时限", "Deadline")],
           [[f"{r.rule}\n{r.title}", r.remediation, ", ".join(r.hosts), "", ""] for r in m.remedies],
           [3.4, 7.0, 3.0, 1.6, 1.6])
    if m.waived:
        doc.add_heading(t("已豁免事项", "Waived"), level=2)
        for w in m.waived:
            doc.add_paragraph(f"{w['host']} / {w['rule']}：{w['reason']}（{t('批准', 'approved by')} {w['approver']}，"
                              f"{t('有效期至', 'until')} {w['expires']}）", style="List Bullet")

    doc.add_heading(t("五、人工核实事项", "5. Items attested by hand"), level=1)
    _table(doc, [t("条款", "Clause"), t("内容", "Claim"), t("证明材料", "Evidence to attach"), t("附件", "Attached"),
                 t("是否落实", "In place?")],
           [[x.id, x.text, x.attestation, ", ".join(x.attachments) or "—", t("□是 □否", "□ yes □ no")]
            for x in m.manual], [3.4, 5.0, 4.4, 2.0, 1.8])

    doc.add_heading(t("附录：证据表", "Appendix: evidence"), level=1)
    _table(doc, [t("主机", "Host"), t("规则", "Rule"), t("结果", "Result"), t("说明", "Detail"), t("证据来源", "Evidence")],
           [[e["host"], e["rule"], e["status"], e["message"], e["evidence"]] for e in m.evidence],
           [2.4, 3.2, 1.4, 6.0, 3.6])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
