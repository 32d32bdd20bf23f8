"""三、存在的问题, 四、整改措施及计划, 五、下一步工作打算 and 意见建议: the parts of the report built from the findings."""

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
    Finding, Heading, Para, Plan, ordinal)
from checker.report.blocks import _clean  # noqa: F401
from checker.report.clauses import ClauseView, clause_views


class FindingParts:
    """Mixed into the report's writer (model._Writer), whose state and helpers these methods use."""

    def problems(self) -> list[Finding]:
        self.blocks.append(Heading(1, self.t("三、存在的问题", "3. Problems found")))
        findings: list[Finding] = []
        tech = [v for v in self.views if v.kind == "automated" and v.counts.get("fail")]
        order = {d: i for i, d in enumerate(self.domains)}
        tech.sort(key=lambda v: order.get(v.domain, 99))
        for v in tech:
            c = self.catalog[v.id]
            n, k = len(v.considered), v.counts["fail"]
            failing = [h for h in v.considered if v.hosts[h] == "fail"]
            obj = self.objects([v.roles.get(h) or "" for h in v.considered])
            bad_obj = self.objects([v.roles.get(h) or "" for h in failing])
            finding = self.report_phrase(c, "finding")
            if self.zh:
                text = f"{self._whole(v)}{n}台{obj}中{k}台{finding}（设备清单见附件2）"
                short = f"{k}台{bad_obj}{finding}"
            else:
                text = f"{k} of the {self._whole(v)}{n} {obj} {finding} (appendix 2)"
                short = f"{k} {bad_obj} {finding}"
            findings.append(Finding(v.id, "automated", text, short, k, self._why(v, failing)))
        manual = [v for v in self.views if v.kind == "manual" and v.verdict == "fail"]
        gaps = [v for v in self.views if v.kind == "gap" and v.verdict == "fail"]
        for v in manual + gaps:
            c = self.catalog[v.id]
            rec = (v.result.evidence or {}).get("attestation") or {} if v.result else {}
            note = _clean(rec.get("note", ""))
            base = self.report_phrase(c, "finding") if (self.zh or v.kind == "gap") else ""
            if not base:
                base = self.t(f"未落实：{c.zh}", f"not in place: {c.en}")
            by = _clean(rec.get("by", ""))
            if v.kind == "gap" and note:
                text = note
            else:
                text = base + (self.t(f"（{note}）", f" ({note})") if note else "")
            text += self.t(f"（{by}核验）", f" (attested by {by})") if by else ""
            findings.append(Finding(v.id, v.kind, text, base, 0))
        unverified = [v for v in self.views if v.kind == "automated" and v.counts.get("error")]
        unverified_manual = [v for v in self.views if v.kind in ("manual", "gap") and v.verdict == "unverified"]

        if not findings:
            self.blocks.append(Para(self.t("经自查，未发现问题。", "No problem was found.")))
        else:
            self.blocks.append(Para(self.t("经自查，发现以下问题：", "The self-inspection found these problems:")))
        sub = 0
        for kind, head in (("automated", self.t("技术防护方面", "Technical protection")),
                           ("manual", self.t("管理方面", "Management")),
                           ("gap", self.t("其他不足", "Other shortcomings"))):
            items = [f for f in findings if f.kind == kind]
            if not items:
                continue
            self.blocks.append(Heading(2, self.t(f"（{ordinal(sub)}）{head}", f"3.{sub + 1} {head}")))
            sub += 1
            for i, f in enumerate(items):
                self.blocks.append(Para(self.t(f"{ordinal(i)}是{f.text}。", f"({i + 1}) {f.text}.")))
        if unverified or unverified_manual:
            self.blocks.append(Heading(2, self.t(f"（{ordinal(sub)}）未能核实的事项", f"3.{sub + 1} Not verified")))
            sub += 1
            parts = [self.t(f"{self.report_phrase(self.catalog[v.id], 'check')}（{v.counts['error']}台）",
                            f"{self.report_phrase(self.catalog[v.id], 'check')} ({v.counts['error']} hosts)")
                     for v in unverified]
            parts += [self.t(f"管理要求“{self.catalog[v.id].zh}”（证明材料与核验记录不符）",
                             f"\u201c{self.catalog[v.id].en}\u201d (its documents differ from those attested)")
                      for v in unverified_manual]
            self.blocks.append(Para(self.t(
                f"以下{len(parts)}项未能完成核实：" + "；".join(parts) + "。原因见附件5，查明后补充核验。",
                f"{len(parts)} items could not be verified: " + "; ".join(parts) + ". Appendix 5 says why.")))
            if unverified or unverified_manual:
                findings.append(Finding("", "unverified", "", self.t(
                    f"{len(parts)}项检查未能核实", f"{len(parts)} checks could not be verified"), 0))
        waived = [r for r in self.rule_results if r.status == "waived"]
        if waived:
            self.blocks.append(Para(self.t(f"另有{len(waived)}项检查结果经批准豁免（见附件3）。",
                                           f"{len(waived)} results are waived by approval (appendix 3).")))
        if self.previous is not None:
            self.blocks.append(Para(self._trend_sentence()))
        self.numbers["findings"] = len([f for f in findings if f.kind != "unverified"])
        return findings

    def _why(self, v: ClauseView, hosts: list[str]) -> list[tuple[str, str, str]]:
        out = []
        for h in hosts:
            msgs, rules = [], []
            for r in self.rule_results:
                if r.host == h and v.id in r.clauses and r.clause_status(v.id) == "fail":
                    cv = r.clause_verdicts.get(v.id) or {}
                    msgs.append(_clean((cv.get("message") or r.message).get(self.lang, "")))
                    rules.append(r.rule)
            out.append((h, "；".join(dict.fromkeys(m for m in msgs if m)) if self.zh else
                        "; ".join(dict.fromkeys(m for m in msgs if m)), ", ".join(sorted(set(rules)))))
        return out

    def _trend(self) -> list[tuple[str, list[str], list[str], list[str], list[str]]]:
        """Per clause: hosts newly failing, put right (audited again and now compliant), still failing, and
        those that failed before and are now waived or were not audited (neither resolved nor open)."""
        before = {v.id: v.hosts for v in clause_views(self.previous, self.lang) if v.kind == "automated"}
        audited = {r.host for r in self.rule_results}
        bad = ("fail", "error")
        out = []
        for v in self.views:
            if v.kind != "automated":
                continue
            b = {h for h, s in before.get(v.id, {}).items() if s in bad}
            n = {h for h, s in v.hosts.items() if s in bad}
            resolved = sorted(h for h in b - n if h in audited and v.hosts.get(h) in ("pass", "not_applicable"))
            other = [f"{h}（{self.t('已豁免', 'waived')}）" for h in sorted(b) if v.hosts.get(h) == "waived"] + \
                [f"{h}（{self.t('本次未检查', 'not audited this time')}）" for h in sorted(b) if h not in audited]
            if b or n:
                out.append((v.id, sorted(n - b), resolved, sorted(n & b), other))
        return out

    def _trend_sentence(self) -> str:
        rows = self._trend()
        new, fixed, still = (sum(len(r[i]) for r in rows) for i in (1, 2, 3))
        self.numbers.update(trend_new=new, trend_resolved=fixed, trend_open=still)
        return self.t(f"与上次自查相比，新发现问题{new}台次，已整改{fixed}台次，仍未整改{still}台次（明细见附件3）。",
                      f"Since the previous self-inspection: {new} new failures, {fixed} put right, {still} still "
                      "open (appendix 3).")

    def _plan_of(self, clause: str, rec: dict[str, Any]) -> tuple[str | None, str, str]:
        rem = self.profile.get("remediation") or {}
        own = (rem.get("by_clause") or {}).get(clause) or {}
        measure = own.get("measure") or rec.get("measure")
        owner = own.get("owner") or rec.get("owner") or rem.get("owner") or BLANK
        deadline = own.get("deadline") or rec.get("deadline") or rem.get("deadline")
        return measure, _clean(owner), (self.date_of(deadline + "T00:00:00") if deadline else BLANK)

    def remediation(self, findings: list[Finding]) -> list[Plan]:
        self.blocks.append(Heading(1, self.t("四、整改措施及计划", "4. Remediation and plan")))
        plans = []
        if not findings:
            self.blocks.append(Para(self.t("本次自查未发现需要整改的问题。", "Nothing needs remedying.")))
            return plans
        self.blocks.append(Para(self.t("针对上述问题，制定以下整改措施：", "For the problems above:")))
        for f in findings:
            if f.kind == "unverified":
                measure, owner, deadline = self._plan_of("", {})
                measure = measure or self.t("查明未能核实的原因（设备未能采集、证据缺失或与记录不符），补充采集或材料后重新核验。",
                                            "Find out why they could not be verified, gather again and re-check.")
            else:
                c = self.catalog[f.clause]
                rec = {}
                v = self.view[f.clause]
                if v.result is not None:
                    rec = (v.result.evidence or {}).get("attestation") or {}
                measure, owner, deadline = self._plan_of(f.clause, rec)
                if not measure:
                    measure = self.report_phrase(c, "remedy") or (v.result.remediation.get(self.lang, "")
                                                                  if v.result else "")
            plans.append(Plan(f.clause, f.short, _clean(measure), owner, deadline))
        for i, p in enumerate(plans):
            self.blocks.append(Para(self.t(
                f"{i + 1}．{p.finding}。{p.measure.rstrip('。')}。责任人：{p.owner}；完成时限：{p.deadline}。",
                f"{i + 1}. {p.finding}: {p.measure.rstrip('.')}. Owner: {p.owner}; deadline: {p.deadline}.")))
        self.blocks.append(Para(self.t("整改完成后，使用自查工具重新检查，核验整改效果，并将整改情况另行报告。",
                                       "Once remedied, everything is checked again with the tool and the outcome "
                                       "reported.")))
        return plans

    def next_steps(self, findings: list[Finding]) -> None:
        self.blocks.append(Heading(1, self.t("五、下一步工作打算", "5. Next steps")))
        own = [_clean(s) for s in self.profile.get("next_steps") or []]
        if not own:
            real = [f for f in findings if f.kind != "unverified"]
            open_ = sum(1 for v in self.views if v.kind == "manual" and v.verdict == "not_attested")
            if real:
                own.append(self.t(f"按照整改计划逐项落实{len(real)}项问题的整改，按期组织复查",
                                  f"remedy the {len(real)} problems as planned and check them again on time"))
            if open_:
                own.append(self.t(f"对尚未核验的{open_}项管理要求补充核验，留存证明材料",
                                  f"attest the {open_} management requirements still open, with their documents"))
            own.append(self.t("将网络安全自查纳入日常工作，定期开展检查，及时发现和消除安全隐患",
                              "make the self-inspection routine, to find and remove risks early"))
        self.blocks.append(Para("；".join(f"{ordinal(i)}是{s.rstrip('。；')}" for i, s in enumerate(own)) + "。"
                                if self.zh else "; ".join(f"({i + 1}) {s.rstrip('.;')}" for i, s in enumerate(own))
                                + "."))

    def suggestions(self) -> None:
        own = [_clean(s) for s in self.profile.get("suggestions") or []]
        if own:
            self.blocks.append(Heading(1, self.t("六、意见和建议", "6. Suggestions")))
            for i, s in enumerate(own):
                self.blocks.append(Para(self.t(f"{ordinal(i)}是{s.rstrip('。；')}。", f"({i + 1}) {s}")))

    # -- appendices (hosts, rule ids and raw names live here)
