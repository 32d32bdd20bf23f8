"""The self-inspection report (自查报告) as data: the blocks every renderer (Markdown, HTML, DOCX) lays out.

It follows the reports offices send upward (docs/source-reports/): title, 主送, 依据, 一、基本情况 (unit, scope, the
estate by kind against what was checked, the overall result), 二、自查工作开展情况 (organisation from the
attestations, then the technical checks as 一是…二是… per domain), 三、存在的问题 (unit-level findings by clause with
their counts, then the attested problems, then what could not be verified), 四、整改措施及计划 (per finding, with 责任人
and 时限 from the unit profile or blanks), 五、下一步工作打算, 附件说明 and 落款. The evidence goes to the appendices:
the hosts and their zones, the hosts of each finding, every clause's verdict, the attestations, every result.

The body is Chinese only (with --lang zh): zone and role names are translated, hosts, rule ids and raw zone names
appear only in the appendices. A field the unit profile leaves out is a visible blank (unit.BLANK), never a guess.
A result counts against a clause by its verdict on that clause (Result.clause_status), and a host once per clause:
by the worst of the rules that prove it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker import catalog
from checker.models import AuditReport, Result
from checker.unit import BLANK, person

from checker.report.appendix import AppendixParts
from checker.report.blocks import (  # noqa: F401 - the vocabulary and blocks, re-exported for the renderers
    Addressee, AppendixTitle, AttachmentList, Block, Charts, Finding, GAP_VERDICTS, HOST_ORDER, Heading,
    MANUAL_VERDICTS, METHODS, Marking, Note, ORDINALS, Para, Plan, ROLES, ROLE_ONE, ROLE_ORDER, STATUS, Signature,
    Table, Title, VERDICTS, ZONES_ZH, join_en, join_zh, ordinal)
from checker.report.blocks import _clean  # noqa: F401
from checker.report.clauses import ClauseView, clause_summary, clause_verdict, clause_views, host_status  # noqa: F401
from checker.report.findings import FindingParts

# -- the report -------------------------------------------------------------------------------------------------


@dataclass
class ReportModel:
    lang: str
    title: str
    unit: str
    date: str
    blocks: list[Block]
    clauses: list[ClauseView]
    findings: list[Finding]
    plans: list[Plan]
    numbers: dict[str, Any]  # the figures the body states (the tests hold them against results.json)
    run: dict[str, Any]

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    @property
    def body(self) -> list[Block]:
        """The blocks before the first appendix."""
        out = []
        for b in self.blocks:
            if isinstance(b, AppendixTitle):
                break
            out.append(b)
        return out


class _Writer(FindingParts, AppendixParts):
    """Builds the blocks of one report; one method per part."""

    def __init__(self, report: AuditReport, lang: str, previous: AuditReport | None,
                 attachments: dict[str, list[str]] | None):
        self.report, self.lang, self.previous = report, lang, previous
        self.attached = attachments or {}
        self.zh = lang == "zh"
        self.run = report.run
        self.profile = dict(report.run.profile or {})
        self.params = dict(report.run.params or {})
        self.catalog = catalog.load()
        self.domains = catalog.domains()
        self.views = clause_views(report, lang)
        self.view = {v.id: v for v in self.views}
        self.blocks: list[Block] = []
        self.numbers: dict[str, Any] = {}
        self.hosts = {h.get("name"): h for h in self.run.hosts} or \
            {n: {"name": n, "role": "", "zone": None, "platform": "", "method": ""} for n in self.run.hosts_attempted}
        self.rule_results = [r for r in report.results if r.kind != "attestation"]

    # -- small helpers

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def field(self, *keys: str) -> str:
        """A profile field, or a blank to fill in."""
        v: Any = self.profile
        for k in keys:
            v = v.get(k) if isinstance(v, dict) else None
        return _clean(v) if v else BLANK

    def unit_name(self) -> str:
        if not self.zh and self.profile.get("unit_en"):
            return _clean(self.profile["unit_en"])
        if self.profile.get("unit"):
            return _clean(self.profile["unit"])
        legacy = self.run.unit
        return _clean(legacy) if legacy and "单位名称" not in legacy else BLANK

    def we(self) -> str:
        return _clean(self.profile.get("short_name") or "本单位") if self.zh else "the unit"

    def phrase(self, text: str) -> str:
        """A catalog phrase with its parameters filled in: 病毒库超过{antivirus_max_signature_age_days}天未更新."""
        def sub(m: re.Match) -> str:
            v = self.params.get(m.group(1))
            return str(v) if v is not None else self.t("规定", "the set")
        out = re.sub(r"\{(\w+)\}", sub, text)
        if self.zh:
            for a, b in (("规定天", "规定天数"), ("规定秒", "规定时间"), ("规定位", "规定长度"), ("规定次", "规定次数")):
                out = out.replace(a, b)
        return out

    def report_phrase(self, c: catalog.Clause, key: str) -> str:
        r = c.report or {}
        if self.zh:
            return self.phrase(r.get(key, ""))
        return self.phrase(r.get(f"{key}_en", ""))

    def zone(self, z: str | None, appendix: bool = False) -> str:
        if not z:
            return "—"
        names = {**ZONES_ZH, **(self.profile.get("zone_names") or {})}
        if not self.zh:
            return z
        zh = names.get(z) or names.get(z.lower())
        if appendix:
            return f"{zh}（{z}）" if zh else z
        return zh or ""

    def objects(self, roles: list[str]) -> str:
        present = [r for r in ROLE_ORDER if r in roles] + sorted(r for r in set(roles) if r not in ROLE_ORDER and r)
        names = ROLES[self.lang]
        words = [names.get(r, r) for r in present]
        return join_zh(words) if self.zh else join_en(words)

    def date_of(self, iso: str | None) -> str:
        if not iso:
            return BLANK
        try:
            t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
            if t.tzinfo:
                t = t.astimezone(dt.timezone(dt.timedelta(hours=8)))
        except ValueError:
            return iso
        return f"{t.year}年{t.month}月{t.day}日" if self.zh else t.strftime("%-d %B %Y")

    # -- parts

    def build(self) -> ReportModel:
        unit = self.unit_name()
        year = (self.run.started_at or "")[:4] or BLANK
        title = self.t(f"{unit}关于{year}年网络安全自查情况的报告",
                       f"Report of {unit} on its {year} network security self-inspection")
        self.blocks.append(Marking(self.field("marking")))
        self.blocks.append(Title(title))
        self.blocks.append(Addressee(self.field("addressee") + self.t("：", ":")))
        self.opening(unit)
        self.basics(unit)
        self.work()
        findings = self.problems()
        plans = self.remediation(findings)
        self.next_steps(findings)
        self.suggestions()
        appendices = [self.t("检查范围和设备清单", "Scope and hosts"),
                      self.t("存在问题的设备清单", "Hosts of each finding"),
                      self.t("各项要求核验结果", "Verdict of every requirement"),
                      self.t("管理要求核验记录", "Attestations of the management requirements"),
                      self.t("检查结果明细", "Every result with its evidence")]
        self.blocks.append(AttachmentList(self.t("附件：", "Appendices:"),
                                          [f"{i + 1}．{a}" if self.zh else f"{i + 1}. {a}"
                                           for i, a in enumerate(appendices)]))
        report_date = self.profile.get("report_date")
        date = self.date_of(report_date + "T00:00:00" if report_date else self.run.started_at)
        self.blocks.append(Signature(unit, date, self.t("（盖章）", "(seal)")))
        self.blocks.append(Note(self.t(f"（联系人：{self.field('contact', 'name')}，"
                                       f"联系电话：{self.field('contact', 'phone')}）",
                                       f"(Contact: {self.field('contact', 'name')}, "
                                       f"telephone {self.field('contact', 'phone')})")))
        self.appendix_hosts(appendices[0])
        self.appendix_findings(appendices[1], findings)
        self.appendix_clauses(appendices[2])
        self.appendix_attestations(appendices[3])
        self.appendix_results(appendices[4])
        return ReportModel(self.lang, title, unit, date, self.blocks, self.views, findings, plans, self.numbers,
                           self.run.to_json())

    def opening(self, unit: str) -> None:
        issuer, ttl, number = self.field("notice", "issuer"), self.field("notice", "title"), \
            self.field("notice", "number")
        when = self.date_of(self.run.started_at)
        self.blocks.append(Para(self.t(
            f"按照{issuer}《{ttl}》（{number}）要求，{unit}于{when}开展了网络安全自查。现将自查情况报告如下：",
            f"As {issuer} required in \u201c{ttl}\u201d ({number}), {unit} carried out its network security "
            f"self-inspection on {when}. This report sets out what was found.")))

    def basics(self, unit: str) -> None:
        self.blocks.append(Heading(1, self.t("一、基本情况", "1. Overview")))
        scope = self.field("scope")
        estate = self.run.estate or {}
        by_role = Counter(estate.get("by_role") or Counter(h.get("role") for h in self.hosts.values()))
        listed = estate.get("hosts", len(self.hosts))
        computers = by_role["terminal"] + by_role["server"]
        exits = estate.get("internet_exits")
        zones = estate.get("zones") or sorted({h.get("zone") for h in self.hosts.values() if h.get("zone")})
        known = [self.zone(z) for z in zones if self.zone(z)]
        unknown = [z for z in zones if not self.zone(z)]
        classified = estate.get("classified", sum(1 for h in self.hosts.values() if h.get("classified")))
        self.numbers.update(listed=listed, computers=computers, terminals=by_role["terminal"],
                            servers=by_role["server"], switches=by_role["switch"], firewalls=by_role["firewall"],
                            routers=by_role["router"], classified=classified, internet_exits=exits)
        if self.zh:
            kinds = [f"交换机{by_role['switch']}台", f"防火墙{by_role['firewall']}台"]
            if by_role["router"]:
                kinds.append(f"路由器{by_role['router']}台")
            zone_text = ""
            if zones:
                names = "、".join(dict.fromkeys(known))
                more = f"，另有自定义区域{len(unknown)}个（名称见附件1）" if unknown else ""
                zone_text = f"网络划分为{names}等{len(zones)}个安全区域{more}。" if known else \
                    f"网络划分为{len(zones)}个安全区域（名称见附件1）。"
            text = (f"本次自查范围：{scope}。按资产清单，{self.we()}共有计算机{computers}台（终端{by_role['terminal']}台、"
                    f"服务器{by_role['server']}台，其中涉密计算机{classified}台），{'，'.join(kinds)}，"
                    f"互联网出口{exits if exits is not None else BLANK}个。{zone_text}")
        else:
            kinds = [f"{by_role['switch']} switches", f"{by_role['firewall']} firewalls"] + \
                ([f"{by_role['router']} routers"] if by_role["router"] else [])
            text = (f"Scope: {scope}. The inventory lists {computers} computers ({by_role['terminal']} terminals and "
                    f"{by_role['server']} servers, {classified} of them classified), {', '.join(kinds)}, and "
                    f"{exits if exits is not None else BLANK} internet exits"
                    + (f"; the network has {len(zones)} security zones ({', '.join(zones)})." if zones else "."))
        self.blocks.append(Para(text))

        attempted = len(self.run.hosts_attempted)
        reached = len(self.run.hosts_reached)
        methods = Counter(h.get("method") for h in self.hosts.values())
        self.numbers.update(checked=attempted, reached=reached)
        if self.zh:
            share = f"（占清单{listed}台的{round(100 * attempted / listed)}%）" if listed else ""
            text = f"本次对其中{attempted}台逐台检查{share}，成功采集配置{reached}台"
            if attempted > reached:
                text += f"，{attempted - reached}台未能采集（相关检查记为未能核实）"
            extra = []
            if methods.get("import"):
                extra.append(f"{methods['import']}台涉密计算机离线采集后导入")
            if methods.get("snapshot"):
                extra.append(f"{methods['snapshot']}台设备依据配置备份检查")
            text += ("；其中" + "，".join(extra) if extra else "") + "。"
        else:
            text = f"{attempted} of them were checked one by one, {reached} gathered"
            if attempted > reached:
                text += f"; {attempted - reached} could not be gathered (their checks are not verified)"
            text += "."
        self.blocks.append(Para(text))

        auto = [v for v in self.views if v.kind == "automated"]
        manual = [v for v in self.views if v.kind == "manual"]
        gaps = [v for v in self.views if v.kind == "gap"]
        va = Counter(v.verdict for v in auto)
        vm = Counter(v.verdict for v in manual)
        problems = va["fail"] + va["partial"] + vm["fail"] + sum(1 for g in gaps if g.verdict == "fail")
        self.numbers.update(auto=len(auto), auto_verdicts=dict(va), manual=len(manual), manual_verdicts=dict(vm),
                            problems=problems)
        if self.zh:
            text = (f"经自查，对照{len(auto)}项技术要求，符合{va['pass']}项，部分符合{va['partial']}项，不符合{va['fail']}项，"
                    f"未能核实{va['unverified']}项，不适用{va['na']}项；{len(manual)}项管理要求中，已落实{vm['pass']}项，"
                    f"未落实{vm['fail']}项，未能核实{vm['unverified']}项，尚未核验{vm['not_attested']}项。"
                    f"共发现问题{problems}项（见第三部分）。")
        else:
            text = (f"Against {len(auto)} technical requirements: {va['pass']} compliant, {va['partial']} partly, "
                    f"{va['fail']} not compliant, {va['unverified']} not verified, {va['na']} not applicable. Of "
                    f"{len(manual)} management requirements, {vm['pass']} are in place, {vm['fail']} are not, "
                    f"{vm['unverified']} could not be verified and {vm['not_attested']} are not attested yet. "
                    f"{problems} problems were found (section 3).")
        self.blocks.append(Para(text))

    def _done(self, v: ClauseView) -> str:
        c = self.catalog[v.id]
        return _clean(c.report.get("done") or c.zh) if self.zh else _clean(c.en)

    def work(self) -> None:
        self.blocks.append(Heading(1, self.t("二、自查工作开展情况", "2. How the self-inspection was done")))
        self.blocks.append(Heading(2, self.t("（一）组织领导和制度建设", "2.1 Organisation and rules")))
        kinds = {d.id: d.kind for d in self.domains.values()}
        done = [v for v in self.views if v.kind == "manual" and v.verdict == "pass"
                and kinds.get(v.domain) == "management"]
        group = self.profile.get("leading_group") or {}
        lead = self.view.get("SECURITY-LEADING-GROUP")
        sentences = []
        if group and not (lead and lead.verdict == "fail"):
            leader = person(group["leader"]) if group.get("leader") else BLANK
            deputies = "、".join(person(p) for p in group.get("deputies") or [])
            members = "、".join(person(p) for p in group.get("members") or [])
            if self.zh:
                s = f"成立了以{leader}为组长" + (f"、{deputies}为副组长" if deputies else "") + \
                    (f"，{members}为成员" if members else "") + "的网络安全工作领导小组"
                s += f"，领导小组办公室设在{_clean(group['office'])}" if group.get("office") else ""
            else:
                s = f"A network security leading group is headed by {leader}" + \
                    (f", with {deputies} as deputies" if deputies else "") + \
                    (f" and {members} as members" if members else "")
            sentences.append(s)
            done = [v for v in done if v.id != "SECURITY-LEADING-GROUP"]
        items = [self._done(v) for v in done]
        if self.zh:
            text = "。".join(sentences) + ("。" if sentences else "")
            if items:
                text += "".join(f"{ordinal(i)}是{x}；" for i, x in enumerate(items)).rstrip("；") + "。"
        else:
            text = ". ".join(sentences) + (". " if sentences else "") + \
                "".join(f"({i + 1}) {x}; " for i, x in enumerate(items)).rstrip("; ") + ("." if items else "")
        open_ = sum(1 for v in self.views if v.kind == "manual" and v.verdict == "not_attested")
        who = sorted({v.result.evidence["attestation"]["by"] for v in self.views
                      if v.result is not None and (v.result.evidence or {}).get("attestation")})
        if who:
            text += self.t(f"以上管理要求由{'、'.join(_clean(w) for w in who)}核验，核验记录和证明材料见附件4。",
                           f" Attested by {', '.join(_clean(w) for w in who)} (appendix 4).")
        if open_:
            text += self.t(f"另有{open_}项管理要求尚未核验（见附件4）。",
                           f" {open_} management requirements are not attested yet (appendix 4).")
        self.blocks.append(Para(text.strip() or self.t("管理要求尚未核验（见附件4）。",
                                                       "The management requirements are not attested yet.")))

        self.blocks.append(Heading(2, self.t("（二）技术检查情况", "2.2 Technical checks")))
        n_rules = len(self.report.rules)
        when = self.date_of(self.run.started_at)
        self.blocks.append(Para(self.t(
            f"{when}，使用zicha自查工具对{len(self.run.hosts_attempted)}台设备逐台采集实际配置，按{n_rules}条检查规则判定，"
            "每项结论均记录采集来源和时间，证据包随本报告报送，可供核验。",
            f"On {when} the zicha self-inspection tool gathered the actual configuration of "
            f"{len(self.run.hosts_attempted)} hosts and judged it by {n_rules} rules; every verdict records where and "
            "when its evidence was read, and the evidence bundle goes with this report.")))
        i = 0
        for d in self.domains.values():
            if d.kind != "technical":
                continue
            parts = []
            for v in self.views:
                if v.domain != d.id or v.kind != "automated" or not v.considered:
                    continue
                parts.append(self._check_sentence(v))
            manual_done = [self._done(v) for v in self.views if v.domain == d.id and v.kind == "manual"
                           and v.verdict == "pass"]
            if manual_done:
                parts.append(self.t("经人工核验，" + "，".join(manual_done),
                                    "attested by hand: " + "; ".join(manual_done)))
            if not parts:
                continue
            name = d.zh if self.zh else d.en
            text = (f"{ordinal(i)}是{name}。" + "；".join(parts) + "。") if self.zh else \
                (f"({i + 1}) {name}: " + "; ".join(parts) + ".")
            self.blocks.append(Para(text))
            i += 1

    def _check_sentence(self, v: ClauseView) -> str:
        c = self.catalog[v.id]
        n = len(v.considered)
        roles = [v.roles.get(h) or "" for h in v.considered]
        obj = self.objects(roles)
        k, e, w = v.counts["fail"], v.counts["error"], v.counts["waived"]
        check, ok, finding = (self.report_phrase(c, x) for x in ("check", "ok", "finding"))
        if self.zh:
            if k == 0 and e == n:
                s = f"{obj}{n}台的{check}未能核实"
            elif k == 0 and e == 0:
                s = f"{obj}{n}台均{ok}" if not w else f"{obj}{n}台中{n - w}台{ok}"
            else:
                s = f"{obj}{n}台中{k}台{finding}" if k else f"{obj}{n}台中{n - e - w}台{ok}"
            if e and not (k == 0 and e == n):
                s += f"，{e}台未能核实"
            if w:
                s += f"，{w}台经批准豁免"
        else:
            if k == 0 and e == n:
                s = f"{check} of {n} {obj} could not be verified"
            elif k == 0 and e == 0:
                s = f"all {n} {obj} {ok}" if not w else f"{n - w} of {n} {obj} {ok}"
            else:
                s = f"{k} of {n} {obj} {finding}" if k else f"{n - e - w} of {n} {obj} {ok}"
            if e and not (k == 0 and e == n):
                s += f", {e} not verified"
            if w:
                s += f", {w} waived"
        return s

    def _whole(self, v: ClauseView) -> str:
        """全单位 when the clause looked at every host of its kinds the inventory lists, else 检查的."""
        by_role = Counter((self.run.estate or {}).get("by_role") or {})
        seen = Counter(v.roles.get(h) for h in v.considered)
        whole = bool(seen) and all(by_role.get(r, 0) == n for r, n in seen.items())
        return self.t("全单位" if whole else "检查的", "" if whole else "checked ")


def build(report: AuditReport, lang: str = "zh", previous: AuditReport | None = None,
          attachments: dict[str, list[str]] | None = None) -> ReportModel:
    return _Writer(report, lang, previous, attachments).build()
