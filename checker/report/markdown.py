"""The 自查报告 as Markdown (report.md): the same blocks as the DOCX and HTML, as plain text."""

from __future__ import annotations

from checker.models import AuditReport
from checker.report import model as rm


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def lines(m: rm.ReportModel) -> list[str]:
    out: list[str] = []
    for b in m.blocks:
        if isinstance(b, rm.Marking):
            out += [b.text, ""]
        elif isinstance(b, rm.Title):
            out += [f"# {b.text}", ""]
        elif isinstance(b, rm.Addressee):
            out += [b.text, ""]
        elif isinstance(b, rm.Heading):
            out += [("## " if b.level == 1 else "### ") + b.text, ""]
        elif isinstance(b, rm.Para):
            out += [("　　" if b.indent and m.lang == "zh" else "") + b.text, ""]
        elif isinstance(b, rm.AttachmentList):
            out += [b.label + b.items[0] if m.lang == "zh" else b.label, *(f"　　　{i}" if m.lang == "zh" else f"- {i}"
                                                                           for i in b.items[m.lang == "zh":]), ""]
        elif isinstance(b, rm.Signature):
            out += [f"<p align=\"right\">{b.unit}{b.seal}<br>{b.date}</p>", ""]
        elif isinstance(b, rm.Note):
            out += [b.text, ""]
        elif isinstance(b, rm.AppendixTitle):
            out += ["---", "", f"## {b.label}　{b.title}", ""]
        elif isinstance(b, rm.Table):
            out += ["| " + " | ".join(_cell(h) for h in b.head) + " |", "|" + " --- |" * len(b.head)]
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
    return out


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    return "\n".join(lines(rm.build(report, lang, **kw))).encode("utf-8")
