"""The 自查报告 as Markdown (report.md): the same blocks as the DOCX and HTML, as plain text. Text from the estate
(host names, account names, messages quoting a configuration, the unit's own notes) is escaped: it shows and does
nothing else."""

from __future__ import annotations

import html
import re

from checker.models import AuditReport
from checker.report import model as rm

_MD_SPECIAL = re.compile(r"[\\`*_\[\]|#!]")


def _md(text: object) -> str:
    """Text as Markdown that shows it and does nothing else: no HTML, no emphasis, no links."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), html.escape(str(text), quote=False)).replace("\n", " ")


def _cell(text: str) -> str:
    return _md(text)


def lines(m: rm.ReportModel) -> list[str]:
    out: list[str] = []
    zh = m.lang == "zh"
    for b in m.blocks:
        if isinstance(b, rm.Marking):
            out += [_md(b.text), ""]
        elif isinstance(b, rm.Title):
            out += [f"# {_md(b.text)}", ""]
        elif isinstance(b, rm.Addressee):
            out += [_md(b.text), ""]
        elif isinstance(b, rm.Heading):
            out += [("## " if b.level == 1 else "### ") + _md(b.text), ""]
        elif isinstance(b, rm.Para):
            out += [("　　" if b.indent and zh else "") + _md(b.text), ""]
        elif isinstance(b, rm.AttachmentList):
            if zh:
                out += [_md(b.label + b.items[0]), *(f"　　　{_md(i)}" for i in b.items[1:]), ""]
            else:
                out += [_md(b.label), *(f"- {_md(i)}" for i in b.items), ""]
        elif isinstance(b, rm.Signature):
            out += [f"<p align=\"right\">{html.escape(b.unit + b.seal)}<br>{html.escape(b.date)}</p>", ""]
        elif isinstance(b, rm.Note):
            out += [_md(b.text), ""]
        elif isinstance(b, rm.AppendixTitle):
            out += ["---", "", f"## {_md(b.label)}　{_md(b.title)}", ""]
        elif isinstance(b, rm.Table):
            out += ["| " + " | ".join(_cell(h) for h in b.head) + " |", "|" + " --- |" * len(b.head)]
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
    return out


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    return "\n".join(lines(rm.build(report, lang, **kw))).encode("utf-8")
