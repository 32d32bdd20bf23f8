"""The 自查报告 as a Word document (report.docx, python-docx): opens in Word, WPS and LibreOffice.

Laid out as GB/T 9704-2012 lays out official documents: A4 with margins 37/35/28/26 mm, the title in
方正小标宋简体 22 pt, body in 仿宋 16 pt (三号) with 2-character first-line indents, 一、 headings in 黑体 and （一）
headings in 楷体, the marking at the top left, the signature and date at the right, the appendices each on a page of
its own with tables in 宋体 9 pt whose header row repeats on every page. The East Asian language is zh-CN, so a
reader without these fonts falls back to a Simplified Chinese font."""

from __future__ import annotations

import io

from checker.models import AuditReport
from checker.report import model as rm

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, TABLE_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体", "宋体"
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6


def _fonts(el, east_asia: str, ascii_font: str = "Times New Roman") -> None:
    """Set the fonts of a run or a style's run properties (East Asian and Latin)."""
    from docx.oxml.ns import qn

    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for k in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # theme fonts win over names
        if fonts.get(qn(k)) is not None:
            del fonts.attrib[qn(k)]
    for k in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(k), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asia)


def _lang(style, lang: str) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(el)
    el.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    el.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc, lang: str) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _fonts(normal.element, BODY_FONT)
    _lang(normal, lang)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28.9)
    pf.space_before = pf.space_after = Pt(0)
    for name, font, size in (("Title", TITLE_FONT, 22), ("Heading 1", H1_FONT, 16), ("Heading 2", H2_FONT, 16),
                             ("Heading 3", H1_FONT, 12)):
        st = doc.styles[name]
        st.font.size, st.font.bold, st.font.italic = Pt(size), False, False
        st.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(st.element, font)
        f = st.paragraph_format
        f.space_before, f.space_after = Pt(0), Pt(0)
        f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28.9 if size <= 16 else 36)
        f.keep_with_next = True
    # the Title style draws a rule under itself in Word's template: not in a 公文
    from docx.oxml.ns import qn

    ppr = doc.styles["Title"].element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)


def _para(doc, text: str, *, indent: bool = True, align=None, style: str | None = None, font: str | None = None,
          size: float | None = None):
    from docx.shared import Pt

    p = doc.add_paragraph(style=style)
    run = p.add_run(text)
    if font:
        _fonts(run._element, font)
    if size:
        run.font.size = Pt(size)
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        p.alignment = align
    return p


def _repeat_header(row) -> None:
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = trpr.makeelement(qn("w:tblHeader"), {})
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _table(doc, t: rm.Table) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(t.head))
    table.style = "Table Grid"
    table.autofit = False  # Word and LibreOffice both honour column widths only then
    total = sum(t.widths) or 1
    widths = [Cm(TEXT_WIDTH_CM * w / total) for w in t.widths]

    def fill(cell, text: str, bold_font: bool) -> None:
        cell.text = ""
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule, p.paragraph_format.line_spacing = WD_LINE_SPACING.SINGLE, 1.0
        run = p.add_run(str(text))
        run.font.size = Pt(9)
        _fonts(run._element, H1_FONT if bold_font else TABLE_FONT)

    for i, h in enumerate(t.head):
        fill(table.rows[0].cells[i], h, True)
    _repeat_header(table.rows[0])
    for row in t.rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            fill(cells[i], value, False)
    for i, w in enumerate(widths):
        table.columns[i].width = w
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = w


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    m = rm.build(report, lang, **kw)
    doc = Document()
    _styles(doc, lang)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    doc.core_properties.title = m.title
    doc.core_properties.author = m.unit
    doc.core_properties.comments = f"zicha {m.run.get('zicha_version')}, run {m.run.get('id')}"
    in_appendix = False
    for b in m.blocks:
        if isinstance(b, rm.Marking):
            _para(doc, b.text, indent=False, font=H1_FONT)
        elif isinstance(b, rm.Title):
            p = _para(doc, b.text, indent=False, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(14), Pt(14)
        elif isinstance(b, rm.Addressee):
            _para(doc, b.text, indent=False)
        elif isinstance(b, rm.Heading):
            if in_appendix:
                _para(doc, b.text, indent=False, style="Heading 3").paragraph_format.space_before = Pt(6)
            else:
                _para(doc, b.text, style=f"Heading {b.level}")
        elif isinstance(b, rm.Para):
            _para(doc, b.text, indent=b.indent, size=10.5 if in_appendix else None)
        elif isinstance(b, rm.AttachmentList):
            first, *rest = b.items
            p = _para(doc, b.label + first, indent=False)
            p.paragraph_format.left_indent = Pt(32)
            p.paragraph_format.space_before = Pt(16)
            for item in rest:
                _para(doc, item, indent=False).paragraph_format.left_indent = Pt(32 + 48)
        elif isinstance(b, rm.Signature):
            for i, line in enumerate((b.unit + b.seal, b.date)):
                p = _para(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.right_indent = Pt(64)
                if i == 0:
                    p.paragraph_format.space_before = Pt(32)
        elif isinstance(b, rm.Note):
            _para(doc, b.text).paragraph_format.space_before = Pt(16)
        elif isinstance(b, rm.AppendixTitle):
            p = doc.add_paragraph()
            p.add_run().add_break(WD_BREAK.PAGE)
            in_appendix = True
            _para(doc, b.label, indent=False, font=H1_FONT)
            t = _para(doc, b.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=18)
            t.paragraph_format.space_after = Pt(8)
        elif isinstance(b, rm.Table):
            _table(doc, b)
    del WD_SECTION  # (one section: the appendices keep the page size)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
