"""The 自查报告 as one self-contained HTML page (report.html): the report's sections and three charts
(compliance by clause, by zone, by kind of host) drawn by pygal as inline SVG, without any script."""

from __future__ import annotations

import html
from collections import Counter, defaultdict

from checker.models import AuditReport
from checker.report import model as rm

COLORS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#ef6c00", "waived": "#6a1b9a"}
CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;
max-width:1100px;color:#222;line-height:1.5}
h1{text-align:center;font-size:1.8em}h2{border-bottom:2px solid #1565c0;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #999;padding:.3em .5em;vertical-align:top}th{background:#e3f2fd}
.v-pass{color:#2e7d32;font-weight:bold}.v-fail{color:#c62828;font-weight:bold}
.v-partial{color:#ef6c00;font-weight:bold}.v-unverified{color:#ef6c00}.v-na{color:#777}
.meta{text-align:center;color:#555}.charts{display:flex;flex-wrap:wrap;gap:1em}
.chart{flex:1 1 480px;max-width:560px}.chart svg{width:100%;height:auto}.fill{display:inline-block;min-width:6em;border-bottom:1px solid #333}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A table; head labels are plain text, row cells already HTML (escaped by the caller)."""
    out = ["<table><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "".join(out) + "</table>"


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


def charts(m: rm.ReportModel, report: AuditReport) -> list[str]:
    keys = ["pass", "fail", "error", "waived"]
    clause_labels = [c.id for c in m.clauses if c.verdict != "na"]
    by_clause = {k: [next(c.counts[k] for c in m.clauses if c.id == cid) for cid in clause_labels] for k in keys}
    hosts = {h["name"]: h for h in (report.run.hosts or [])}
    zone: dict[str, Counter] = defaultdict(Counter)
    kind: dict[str, Counter] = defaultdict(Counter)
    for r in report.results:
        if r.status == "not_applicable":
            continue
        h = hosts.get(r.host, {})
        zone[h.get("zone") or "-"][r.status] += 1
        kind[rm.ROLES[m.lang].get(h.get("role"), h.get("role") or "-")][r.status] += 1
    t = m.t
    return [
        _chart(t("各条款检查结果（台）", "Results by clause (hosts)"), clause_labels, by_clause, m.lang, True),
        _chart(t("按安全区域（项次）", "By zone (results)"), sorted(zone),
               {k: [zone[z][k] for z in sorted(zone)] for k in keys}, m.lang, False),
        _chart(t("按主机类别（项次）", "By kind of host (results)"), sorted(kind),
               {k: [kind[z][k] for z in sorted(kind)] for k in keys}, m.lang, False),
    ]


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    m = rm.build(report, lang, **kw)
    t = m.t
    v = rm.VERDICTS[lang]
    s = m.scope
    p = [f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>",
         f"<title>{_e(m.title)}</title><style>{CSS}</style></head><body>",
         f"<h1>{_e(m.title)}</h1>",
         f"<p class='meta'>{t('报告日期：', 'Date: ')}{_e(m.date)}　zicha {_e(m.run.get('zicha_version'))}"
         f"　OPA {_e(m.run.get('opa_version'))}　{t('运行编号', 'run')} {_e(m.run.get('id'))}</p>",
         f"<h2>{t('一、自查工作开展情况', '1. How the self-inspection was done')}</h2>",
         "<p>" + _e(t(f"本次自查对 {s['hosts']} 台主机和设备（成功采集 {s['reached']} 台）逐项检查了 {len(m.clauses)} "
                      f"个可自动核验的条款：由 zicha 采集真实配置，以 Open Policy Agent 判定，每项结论均附证据。",
                      f"{s['hosts']} hosts and devices ({s['reached']} gathered) were checked against "
                      f"{len(m.clauses)} verifiable clauses; every verdict carries its evidence.")) + "</p>",
         _table([t('主机', 'Host'), t('类别', 'Kind'), t('区域', 'Zone'), t('平台', 'Platform'),
                 t('采集方式', 'Gathered by')],
                [[_e(h['name']), _e(rm.ROLES[lang].get(h.get('role'), h.get('role'))), _e(h.get('zone') or '-'),
                  _e(h.get('platform')), _e(h.get('method', ''))] for h in s["table"]])]
    p.append(f"<h2>{t('二、检查情况', '2. Findings by clause')}</h2><div class='charts'>")
    p += [f"<div class='chart'>{svg}</div>" for svg in charts(m, report)]
    p.append("</div>")
    p.append(_table([t('条款', 'Clause'), t('内容', 'Claim'), t('结论', 'Verdict'), t('符合', 'pass'),
                     t('不符合', 'fail'), t('未能核实', 'error'), t('豁免', 'waived')],
                    [[_e(c.id), _e(c.text), (f"<span class='v-{c.verdict}'>{_e(v[c.verdict])}</span>"),
                      *(str(c.counts[k]) for k in ("pass", "fail", "error", "waived"))] for c in m.clauses]))
    p.append(f"<h2>{t('三、存在的问题', '3. Problems found')}</h2>")
    if not m.problems:
        p.append(f"<p>{t('未发现问题。', 'No problem was found.')}</p>")
    for prob in m.problems:
        p.append(f"<h3>{_e(prob.clause)} {_e(prob.text)}</h3><ul>")
        p += [f"<li><b>{_e(i['host'])}</b>（{_e(i['rule'])}，{_e(i['status'])}）：{_e(i['message'])}</li>"
              for i in prob.items]
        p.append("</ul>")
    if m.trend is not None:
        p.append(f"<h3>{t('与上次自查比较', 'Compared with the previous self-inspection')}</h3>")
        p.append(_table([t('条款', 'Clause'), t('新出现', 'New'), t('已整改', 'Resolved'), t('仍未整改', 'Still open'),
                         t('已豁免或未复查', 'Waived or not re-checked')],
                        [[_e(x.clause), *(_e(', '.join(hs) or '—') for hs in (x.new, x.resolved, x.still_open, x.other))]
                         for x in m.trend]))
    fill = "<span class='fill'></span>"
    p.append(f"<h2>{t('四、整改措施', '4. Remediation')}</h2>")
    p.append(_table([t('规则', 'Rule'), t('整改措施', 'What to do'), t('涉及主机', 'Hosts'), t('责任人', 'Owner'),
                     t('完成时限', 'Deadline')],
                    [[f"{_e(r.rule)}<br>{_e(r.title)}", _e(r.remediation), _e(', '.join(r.hosts)), fill, fill]
                     for r in m.remedies]))
    if m.waived:
        p.append(f"<h3>{t('已豁免事项', 'Waived')}</h3><ul>")
        p += [f"<li>{_e(w['host'])} / {_e(w['rule'])}：{_e(w['reason'])}（{t('批准', 'approved by')} "
              f"{_e(w['approver'])}，{t('有效期至', 'until')} {_e(w['expires'])}）</li>" for w in m.waived]
        p.append("</ul>")
    p.append(f"<h2>{t('五、人工核实事项', '5. Items attested by hand')}</h2>")
    p.append(_table([t('条款', 'Clause'), t('内容', 'Claim'), t('证明材料', 'Evidence to attach'), t('附件', 'Attached'),
                     t('是否落实', 'In place?')],
                    [[_e(x.id), _e(x.text), _e(x.attestation), _e(', '.join(x.attachments) or '—'),
                      t('□是 □否', '□ yes □ no')] for x in m.manual]))
    p.append(f"<h2>{t('附录：证据表', 'Appendix: evidence')}</h2>")
    p.append(_table([t('主机', 'Host'), t('规则', 'Rule'), t('结果', 'Result'), t('说明', 'Detail'),
                     t('证据来源', 'Evidence')],
                    [[_e(e[k]) for k in ("host", "rule", "status", "message", "evidence")] for e in m.evidence]))
    p.append("</body></html>\n")
    return "".join(p).encode("utf-8")
