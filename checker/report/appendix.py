"""The report's appendices: the hosts, the hosts of each finding, every clause's verdict, the attestations and
every result (the only place hosts, rule ids and raw zone names appear)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker import catalog
from checker.models import AuditReport, Result
from checker.unit import BLANK, person

from checker.report.blocks import (  # the vocabulary and blocks
    AppendixTitle, Charts, Finding, GAP_VERDICTS, Heading, MANUAL_VERDICTS, METHODS, Para, ROLES, STATUS, Table,
    VERDICTS)
from checker.report.blocks import _clean  # noqa: F401
from checker.report.clauses import ClauseView  # noqa: F401


class AppendixParts:
    """Mixed into the report's writer (model._Writer), whose state and helpers these methods use."""

    def appendix_hosts(self, title: str) -> None:
        self.blocks.append(AppendixTitle(self.t("附件1", "Appendix 1"), title))
        reached = set(self.run.hosts_reached)
        rows = [[str(i + 1), _clean(h["name"]), ROLES[self.lang].get(h.get("role"), h.get("role") or "—"),
                 self.zone(h.get("zone"), appendix=True), _clean(h.get("platform") or "—"),
                 METHODS[self.lang].get(h.get("method"), h.get("method") or "—"),
                 self.t("是", "yes") if h["name"] in reached else self.t("否", "no")]
                for i, h in enumerate(sorted(self.hosts.values(), key=lambda h: (h.get("zone") or "",
                                                                                 h.get("role") or "", h["name"])))]
        self.blocks.append(Table([self.t("序号", "#"), self.t("名称", "Host"), self.t("类别", "Kind"),
                                  self.t("安全区域", "Zone"), self.t("平台", "Platform"),
                                  self.t("采集方式", "Gathered"), self.t("已采集", "Read")], rows,
                                 [0.6, 2.6, 1.0, 1.8, 1.5, 1.4, 0.9]))
        estate = self.run.estate or {}
        if estate.get("hosts") and estate["hosts"] != len(self.hosts):
            self.blocks.append(Para(self.t(f"清单共列{estate['hosts']}台，本次检查{len(self.hosts)}台。",
                                           f"The inventory lists {estate['hosts']}; {len(self.hosts)} were checked."),
                                    indent=False))

    def appendix_findings(self, title: str, findings: list[Finding]) -> None:
        self.blocks.append(AppendixTitle(self.t("附件2", "Appendix 2"), title))
        tech = [f for f in findings if f.kind == "automated"]
        if not tech:
            self.blocks.append(Para(self.t("无。", "None."), indent=False))
        for i, f in enumerate(tech):
            c = self.catalog[f.clause]
            self.blocks.append(Heading(2, self.t(f"{i + 1}．{self.report_phrase(c, 'finding')}（{f.clause}）",
                                                 f"{i + 1}. {self.report_phrase(c, 'finding')} ({f.clause})")))
            self.blocks.append(Table([self.t("序号", "#"), self.t("设备", "Host"), self.t("情况", "What was found"),
                                      self.t("检查规则", "Rules")],
                                     [[str(j + 1), h, why, rules] for j, (h, why, rules) in enumerate(f.hosts)],
                                     [0.6, 2.4, 5.4, 2.4]))

    def appendix_clauses(self, title: str) -> None:
        self.blocks.append(AppendixTitle(self.t("附件3", "Appendix 3"), title))
        rows = []
        for v in self.views:
            if v.kind == "automated":
                label = VERDICTS[self.lang][v.verdict]
                n = v.counts
                counts = [str(n["pass"]), str(n["fail"]), str(n["error"]), str(n["waived"])]
                kind = self.t("技术", "technical")
            else:
                label = (GAP_VERDICTS if v.kind == "gap" else MANUAL_VERDICTS)[self.lang][v.verdict]
                counts = ["—"] * 4
                kind = self.t("自述问题" if v.kind == "gap" else "管理", "admitted" if v.kind == "gap" else "management")
            rows.append([v.id, _clean(v.text), kind, label, *counts])
        self.blocks.append(Table([self.t("条款", "Clause"), self.t("要求", "Requirement"), self.t("类型", "Kind"),
                                  self.t("结论", "Verdict"), self.t("符合", "Pass"), self.t("不符合", "Fail"),
                                  self.t("未能核实", "Error"), self.t("豁免", "Waived")], rows,
                                 [2.6, 4.4, 0.9, 1.1, 0.6, 0.7, 0.8, 0.6]))
        self.blocks.append(self._charts())
        waived = [r for r in self.rule_results if r.status == "waived"]
        if waived:
            self.blocks.append(Heading(2, self.t("经批准豁免的事项", "Waived")))
            self.blocks.append(Table([self.t("设备", "Host"), self.t("规则", "Rule"), self.t("理由", "Reason"),
                                      self.t("批准人", "Approver"), self.t("有效期至", "Until")],
                                     [[r.host, r.rule, _clean((r.waiver or {}).get("reason", "")),
                                       _clean((r.waiver or {}).get("approver", "")),
                                       _clean((r.waiver or {}).get("expires", ""))] for r in waived],
                                     [2.0, 2.2, 3.6, 1.6, 1.4]))
        if self.previous is not None:
            self.blocks.append(Heading(2, self.t("与上次自查比较", "Compared with the previous self-inspection")))
            self.blocks.append(Table([self.t("条款", "Clause"), self.t("新出现", "New"), self.t("已整改", "Resolved"),
                                      self.t("仍未整改", "Still open"), self.t("已豁免或未复查", "Waived or not re-checked")],
                                     [[cid, "、".join(a) or "—", "、".join(b) or "—", "、".join(c) or "—",
                                       "、".join(d) or "—"] for cid, a, b, c, d in self._trend()],
                                     [2.6, 2.0, 2.0, 2.0, 2.2]))

    def _charts(self) -> Charts:
        keys = ("pass", "fail", "error", "waived")
        by_clause = {v.id: {k: v.counts[k] for k in keys} for v in self.views
                     if v.kind == "automated" and v.verdict != "na"}
        zone: dict[str, Counter] = defaultdict(Counter)
        kind: dict[str, Counter] = defaultdict(Counter)
        for r in self.rule_results:
            if r.status == "not_applicable":
                continue
            h = self.hosts.get(r.host, {})
            zone[h.get("zone") or "-"][r.status] += 1
            kind[ROLES[self.lang].get(h.get("role"), h.get("role") or "-")][r.status] += 1
        return Charts(by_clause, {z: {k: c[k] for k in keys} for z, c in sorted(zone.items())},
                      {z: {k: c[k] for k in keys} for z, c in sorted(kind.items())})

    def appendix_attestations(self, title: str) -> None:
        self.blocks.append(AppendixTitle(self.t("附件4", "Appendix 4"), title))
        rows = []
        for v in self.views:
            if v.kind == "automated":
                continue
            rec = ((v.result.evidence or {}).get("attestation") or {}) if v.result else {}
            label = (GAP_VERDICTS if v.kind == "gap" else MANUAL_VERDICTS)[self.lang][v.verdict]
            docs = [a["file"] for a in rec.get("attachments") or []] or self.attached.get(v.id, [])
            why = _clean(v.result.message.get(self.lang, "")) if v.result and v.verdict == "unverified" else \
                _clean(rec.get("note", ""))
            rows.append([v.id, _clean(v.text), label, _clean(rec.get("by", "")) or "—", rec.get("at", "") or "—",
                         "、".join(_clean(d) for d in docs) or "—", why or "—"])
        self.blocks.append(Table([self.t("条款", "Clause"), self.t("要求", "Requirement"), self.t("结论", "Verdict"),
                                  self.t("核验人", "By"), self.t("日期", "On"), self.t("证明材料", "Documents"),
                                  self.t("说明", "Note")], rows, [2.4, 3.8, 0.9, 1.3, 1.2, 1.6, 1.6]))

    def appendix_results(self, title: str) -> None:
        self.blocks.append(AppendixTitle(self.t("附件5", "Appendix 5"), title))
        rows = []
        for r in sorted(self.rule_results, key=lambda r: (r.host, r.rule)):
            if r.status == "not_applicable":
                continue
            srcs = "; ".join(f"{s.get('fact')}: {s.get('source')}" for s in r.evidence.get("sources", []))
            when = r.evidence.get("collected_at") or ""
            how = (r.evidence.get("gather") or {}).get("method", "")
            rows.append([r.host, r.rule, STATUS[self.lang].get(r.status, r.status), _clean(r.message.get(self.lang, "")),
                         _clean(f"{srcs} ({how}, {when})")])
        self.blocks.append(Table([self.t("设备", "Host"), self.t("规则", "Rule"), self.t("结果", "Result"),
                                  self.t("说明", "Detail"), self.t("证据来源", "Evidence")], rows,
                                 [1.9, 2.2, 1.0, 4.2, 2.9]))
