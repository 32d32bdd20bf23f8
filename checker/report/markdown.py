"""The 自查报告 as Markdown (report.md)."""

from __future__ import annotations

import html
import re

from checker.models import AuditReport
from checker.report import model as rm


def _md(text: object) -> str:
    """Text from the estate (host names, account names, messages quoting a configuration) as Markdown that shows
    it and does nothing else: no HTML, no emphasis, no links."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), html.escape(str(text), quote=False)).replace("\n", " ")


_MD_SPECIAL = re.compile(r"[\\`*_\[\]|#!]")


def _cell(text: str) -> str:
    return _md(text)


def lines(m: rm.ReportModel) -> list[str]:
    t = m.t
    v = rm.VERDICTS[m.lang]
    out = [f"# {m.title}", "", f"{t('报告日期：', 'Date: ')}{m.date}　{t('检查工具：', 'Tool: ')}zicha {m.run.get('zicha_version')}"
           f"，OPA {m.run.get('opa_version')}　{t('运行编号：', 'Run: ')}{m.run.get('id')}", ""]
    s = m.scope
    out += [f"## {t('一、自查工作开展情况', '1. How the self-inspection was done')}", "",
            t(f"本次自查对 {s['hosts']} 台主机和设备（成功采集 {s['reached']} 台）逐项检查了 {len(m.clauses)} 个可自动核验的条款，"
              f"由 zicha 采集真实配置、以 Open Policy Agent 判定，每项结论均附证据。",
              f"{s['hosts']} hosts and devices ({s['reached']} gathered) were checked against {len(m.clauses)} "
              "automatically verifiable clauses: zicha gathered their real configuration and Open Policy Agent "
              "decided; every verdict carries its evidence."), "",
            f"| {t('类别', 'Kind')} | {t('数量', 'Count')} |", "| --- | --- |"]
    out += [f"| {_cell(k)} | {n} |" for k, n in sorted(s["by_role"].items())]
    out += ["", f"| {t('安全区域', 'Zone')} | {t('数量', 'Count')} |", "| --- | --- |"]
    out += [f"| {_cell(k)} | {n} |" for k, n in sorted(s["by_zone"].items())]
    out += ["", f"## {t('二、检查情况', '2. Findings by clause')}", "",
            f"| {t('条款', 'Clause')} | {t('内容', 'Claim')} | {t('结论', 'Verdict')} | {t('符合', 'pass')} | "
            f"{t('不符合', 'fail')} | {t('未能核实', 'error')} | {t('豁免', 'waived')} |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for c in m.clauses:
        n = c.counts
        out.append(f"| {c.id} | {_cell(c.text)} | {v[c.verdict]} | {n['pass']} | {n['fail']} | {n['error']} | "
                   f"{n['waived']} |")
    out += ["", f"## {t('三、存在的问题', '3. Problems found')}", ""]
    if not m.problems:
        out.append(t("未发现问题。", "No problem was found."))
    for p in m.problems:
        out += [f"### {p.clause} {p.text}", ""]
        out += [f"- **{_md(i['host'])}**（{i['rule']}，{i['status']}）：{_md(i['message'])}" for i in p.items]
        out.append("")
    if m.trend is not None:
        out += [f"### {t('与上次自查比较', 'Compared with the previous self-inspection')}", "",
                f"| {t('条款', 'Clause')} | {t('新出现', 'New')} | {t('已整改', 'Resolved (整改完成)')} | "
                f"{t('仍未整改', 'Still open')} | {t('已豁免或未复查', 'Waived or not re-checked')} |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {x.clause} | {_md(', '.join(x.new)) or '—'} | {_md(', '.join(x.resolved)) or '—'} | "
                f"{_md(', '.join(x.still_open)) or '—'} | {_md(', '.join(x.other)) or '—'} |" for x in m.trend]
        out.append("")
    out += [f"## {t('四、整改措施', '4. Remediation')}", "",
            f"| {t('规则', 'Rule')} | {t('整改措施', 'What to do')} | {t('涉及主机', 'Hosts')} | {t('责任人', 'Owner')} | "
            f"{t('完成时限', 'Deadline')} |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {r.rule} {_cell(r.title)} | {_cell(r.remediation)} | {_md(', '.join(r.hosts))} | | |" for r in m.remedies]
    if m.waived:
        out += ["", f"### {t('已豁免事项', 'Waived')}", ""]
        out += [f"- {_md(w['host'])} / {w['rule']}：{_md(w['reason'])}（{t('批准', 'approved by')} {_md(w['approver'])}，"
                f"{t('有效期至', 'until')} {w['expires']}）" for w in m.waived]
    out += ["", f"## {t('五、人工核实事项', '5. Items attested by hand')}", "",
            f"| {t('条款', 'Clause')} | {t('内容', 'Claim')} | {t('证明材料', 'Evidence to attach')} | "
            f"{t('附件', 'Attached')} | {t('是否落实', 'In place?')} |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {x.id} | {_cell(x.text)} | {_cell(x.attestation)} | {_md(', '.join(x.attachments)) or '—'} | "
            f"{t('□是 □否', '□ yes □ no')} |" for x in m.manual]
    out += ["", f"## {t('附录：证据表', 'Appendix: evidence')}", "",
            f"| {t('主机', 'Host')} | {t('规则', 'Rule')} | {t('结果', 'Result')} | {t('说明', 'Detail')} | "
            f"{t('证据来源', 'Evidence')} |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {_md(e['host'])} | {e['rule']} | {e['status']} | {_cell(e['message'])} | {_cell(e['evidence'])} |"
            for e in m.evidence]
    return out + [""]


def render(report: AuditReport, lang: str = "zh", **kw) -> bytes:
    return "\n".join(lines(rm.build(report, lang, **kw))).encode("utf-8")
