"""The 自查报告 as one self-contained HTML page (report.html): the report's blocks laid out like the printed
document (A4, 仿宋 body, 黑体 headings, the appendices on pages of their own when printed), and in appendix 3 three
charts (compliance by clause, by zone, by kind of host) drawn by pygal as inline SVG, without any script.

The body sits in <main class="body">, the appendices in <section class="appendix">. Table cells wrap long words
(host names, hashes) instead of overflowing."""

from __future__ import annotations

import html

from checker.models import AuditReport
from checker.report import model as rm

COLORS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#ef6c00", "waived": "#6a1b9a"}
SERIF = '"FangSong","仿宋","仿宋_GB2312","Noto Serif CJK SC","Source Han Serif SC","Songti SC",serif'
SANS = '"SimHei","黑体","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
CSS = f"""
@page{{size:A4;margin:37mm 26mm 35mm 28mm}}
html{{background:#eee}}
body{{font-family:{SERIF};font-size:16pt;line-height:1.75;color:#000;background:#fff;max-width:156mm;
margin:1em auto;padding:20mm 26mm 20mm 28mm;box-sizing:content-box}}
@media print{{html{{background:none}}body{{margin:0;padding:0;max-width:none}}}}
.marking{{font-family:{SANS};margin:0}}
h1{{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S",{SANS};font-size:22pt;font-weight:normal;text-align:center;
line-height:1.5;margin:.8em 0 1em}}
h2{{font-family:{SANS};font-size:16pt;font-weight:normal;margin:0;text-indent:2em}}
h3{{font-family:"KaiTi","楷体","Noto Serif CJK SC",serif;font-size:16pt;font-weight:normal;margin:0;text-indent:2em}}
p{{margin:0;text-align:justify}} p.indent{{text-indent:2em}}
.addressee{{margin-top:.5em}}
.attachments{{margin-top:1em;padding-left:2em}} .attachments div{{padding-left:3em}}
.signature{{text-align:right;margin-top:2em;padding-right:2em}}
.note{{margin-top:1em;text-indent:2em}}
section.appendix{{break-before:page;page-break-before:always;margin-top:3em;font-size:10.5pt;line-height:1.5}}
section.appendix .label{{font-family:{SANS};font-size:16pt}}
section.appendix h2.appendix-title{{text-align:center;font-size:18pt;text-indent:0;margin:.4em 0 .8em}}
section.appendix h3{{font-size:12pt;text-indent:0;margin:.8em 0 .3em;font-family:{SANS}}}
table{{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4em 0 1em;font-size:9pt;line-height:1.4}}
th,td{{border:1px solid #555;padding:2px 4px;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}}
th{{font-family:{SANS};font-weight:normal;background:#f0f0f0}}
.charts{{display:flex;flex-wrap:wrap;gap:1em}} .chart{{flex:1 1 300px;max-width:100%}} .chart svg{{width:100%;height:auto}}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(t: rm.Table) -> str:
    total = sum(t.widths) or 1
    cols = "".join(f"<col style='width:{100 * w / total:.1f}%'>" for w in t.widths)
    out = [f"<table><colgroup>{cols}</colgroup><thead><tr>", *(f"<th>{_e(h)}</th>" for h in t.head), "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in t.rows]
    return "".join(out) + "</tbody></table>"


def _chart(title: str, labels: list[str], series: dict[str, list[int]], lang: str, horizontal: bool) -> str:
    import pygal
    from pygal.style import Style

    style = Style(font_family='"Noto Sans CJK SC",sans-serif', background="white", plot_background="white",
                  colors=tuple(COLORS[k] for k in series), label_font_size=11, major_label_font_size=11,
                  legend_font_size=12, title_font_size=15, opacity="1", opacity_hover=".8")
    kind = pygal.HorizontalStackedBar if horizontal else pygal.StackedBar
    height = max(300, 22 * len(labels) + 120) if horizontal else 360
    chart = kind(js=[], style=style, title=title, height=height, width=560, legend_at_bottom=True,
                 disable_xml_declaration=True, print_values=False, show_y_guides=True, truncate_label=-1)
    if horizontal:  # pygal stacks the first label at the bottom: read top-down in the table's order
        labels, series = labels[::-1], {k: v[::-1] for k, v in series.items()}
    chart.x_labels = labels
    top = max([sum(v) for v in zip(*series.values())] or [0])
    # whole hosts (not 0.2 of one), about ten ticks: steps of 1, 2, 5, 10, 20, 50 …
    step = next(s * 10 ** e for e in range(7) for s in (1, 2, 5) if s * 10 ** e * 10 >= top)
    chart.y_labels = list(range(0, top + step, step))
    names = rm.STATUS[lang]
    for key, values in series.items():
        chart.add(names[key], values)
    return chart.render(is_unicode=True)


def charts(c: rm.Charts, lang: str) -> list[str]:
    keys = ["pass", "fail", "error", "waived"]
    t = (lambda zh, en: zh) if lang == "zh" else (lambda zh, en: en)

    def series(d: dict[str, dict[str, int]]) -> dict[str, list[int]]:
        return {k: [d[x][k] for x in d] for k in keys}

    return [
        _chart(t("各条款检查结果（台）", "Results by clause (hosts)"), list(c.by_clause), series(c.by_clause), lang, True),
        _chart(t("按安全区域（项次）", "By zone (results)"), list(c.by_zone), series(c.by_zone), lang, False),
        _chart(t("按主机类别（项次）", "By kind of host (results)"), list(c.by_kind), series(c.by_kind), lang, False),
    ]


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    m = rm.build(report, lang, **kw)
    p = [f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>",
         f"<title>{_e(m.title)}</title><style>{CSS}</style></head><body><main class='body'>"]
    in_appendix = False
    for b in m.blocks:
        if isinstance(b, rm.AppendixTitle):
            p.append("</main>" if not in_appendix else "</section>")
            in_appendix = True
            p.append(f"<section class='appendix'><div class='label'>{_e(b.label)}</div>"
                     f"<h2 class='appendix-title'>{_e(b.title)}</h2>")
        elif isinstance(b, rm.Marking):
            p.append(f"<p class='marking'>{_e(b.text)}</p>")
        elif isinstance(b, rm.Title):
            p.append(f"<h1>{_e(b.text)}</h1>")
        elif isinstance(b, rm.Addressee):
            p.append(f"<p class='addressee'>{_e(b.text)}</p>")
        elif isinstance(b, rm.Heading):
            p.append(f"<h{b.level + 1}>{_e(b.text)}</h{b.level + 1}>")
        elif isinstance(b, rm.Para):
            p.append(f"<p class='{'indent' if b.indent else ''}'>{_e(b.text)}</p>")
        elif isinstance(b, rm.AttachmentList):
            first, *rest = b.items
            p.append(f"<div class='attachments'>{_e(b.label)}{_e(first)}" + "".join(f"<div>{_e(i)}</div>" for i in rest)
                     + "</div>")
        elif isinstance(b, rm.Signature):
            p.append(f"<div class='signature'><div>{_e(b.unit)}{_e(b.seal)}</div><div>{_e(b.date)}</div></div>")
        elif isinstance(b, rm.Note):
            p.append(f"<p class='note'>{_e(b.text)}</p>")
        elif isinstance(b, rm.Table):
            p.append(_table(b))
        elif isinstance(b, rm.Charts):
            p.append("<div class='charts'>" + "".join(f"<div class='chart'>{svg}</div>" for svg in charts(b, lang))
                     + "</div>")
    p.append("</section>" if in_appendix else "</main>")
    p.append("</body></html>\n")
    return "".join(p).encode("utf-8")
