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

# -- vocabulary ---------------------------------------------------------------------------------------------------

VERDICTS = {
    "zh": {"pass": "符合", "partial": "部分符合", "fail": "不符合", "na": "不适用", "unverified": "未能核实",
           "not_attested": "未核验"},
    "en": {"pass": "compliant", "partial": "partly compliant", "fail": "not compliant", "na": "not applicable",
           "unverified": "not verified", "not_attested": "not attested"},
}
MANUAL_VERDICTS = {  # a manual clause: in place or not; a GAP-* clause: the problem is there or not
    "zh": {"pass": "已落实", "fail": "未落实", "unverified": "未能核实", "not_attested": "未核验"},
    "en": {"pass": "in place", "fail": "not in place", "unverified": "not verified", "not_attested": "not attested"},
}
GAP_VERDICTS = {
    "zh": {"pass": "不存在", "fail": "存在", "unverified": "未能核实", "not_attested": "未核验"},
    "en": {"pass": "absent", "fail": "present", "unverified": "not verified", "not_attested": "not attested"},
}
STATUS = {
    "zh": {"pass": "符合", "fail": "不符合", "error": "未能核实", "not_applicable": "不适用", "waived": "已豁免",
           "manual": "未核验"},
    "en": {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived",
           "manual": "not attested"},
}
ROLE_ORDER = ("terminal", "server", "switch", "firewall", "router")
ROLES = {"zh": {"server": "服务器", "terminal": "终端", "switch": "交换机", "firewall": "防火墙", "router": "路由器"},
         "en": {"server": "servers", "terminal": "terminals", "switch": "switches", "firewall": "firewalls",
                "router": "routers"}}
ROLE_ONE = {"server": "server", "terminal": "terminal", "switch": "switch", "firewall": "firewall", "router": "router"}
#: Chinese names of the zone names inventories use; the unit profile's zone_names add its own
ZONES_ZH = {
    "internet": "互联网", "dmz": "隔离区", "office": "办公区", "private": "业务专网", "classified": "涉密区",
    "secret": "涉密区", "admin": "管理区", "management": "管理区", "mgmt": "管理区", "boundary": "边界区",
    "server": "服务器区", "servers": "服务器区", "datacenter": "数据中心", "dc": "数据中心", "core": "核心区",
    "guest": "访客区", "wireless": "无线网络", "wifi": "无线网络", "wlan": "无线网络", "lab": "实验区",
    "test": "测试区", "intranet": "内网", "extranet": "外网", "business": "业务区", "video": "视频专网",
    "teaching": "教学区", "campus": "校园网", "dormitory": "宿舍区", "monitoring": "监控区", "ops": "运维区",
}
METHODS = {"zh": {"ansible": "远程采集", "import": "离线采集导入", "snapshot": "配置备份", "local": "本机采集"},
           "en": {"ansible": "remote", "import": "collected offline", "snapshot": "configuration backup",
                  "local": "local"}}
ORDINALS = "一二三四五六七八九十"
HOST_ORDER = ("fail", "error", "waived", "pass", "not_applicable")  # a host's status on a clause: the worst
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def _clean(text: Any) -> str:
    """Text as every renderer can carry it: no control characters (XML, and so DOCX, refuses them)."""
    return str(text).translate(_CONTROL) if text is not None else ""


def ordinal(i: int) -> str:
    """一 二 … 十 十一 … 二十 (for 一是、（一）)."""
    if i < 10:
        return ORDINALS[i]
    tens, ones = divmod(i + 1, 10)
    return (ORDINALS[tens - 1] if tens > 1 else "") + "十" + (ORDINALS[ones - 1] if ones else "")


def join_zh(items: list[str]) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1] if items else ""


def join_en(items: list[str]) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


# -- blocks: what the renderers lay out ---------------------------------------------------------------------------


@dataclass
class Block:
    pass


@dataclass
class Marking(Block):
    text: str


@dataclass
class Title(Block):
    text: str


@dataclass
class Addressee(Block):
    text: str


@dataclass
class Heading(Block):
    level: int  # 1: 一、 2: （一）
    text: str


@dataclass
class Para(Block):
    text: str
    indent: bool = True


@dataclass
class AttachmentList(Block):
    label: str
    items: list[str]


@dataclass
class Signature(Block):
    unit: str
    date: str
    seal: str


@dataclass
class Note(Block):
    text: str


@dataclass
class AppendixTitle(Block):
    """Starts an appendix on a new page; the first one ends the body."""
    label: str
    title: str


@dataclass
class Table(Block):
    head: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths


@dataclass
class Charts(Block):
    """Compliance by clause, by zone and by kind of host (the HTML draws them)."""
    by_clause: dict[str, dict[str, int]]
    by_zone: dict[str, dict[str, int]]
    by_kind: dict[str, dict[str, int]]


# -- verdicts per clause (results.json carries them too) ----------------------------------------------------------


@dataclass
class ClauseView:
    id: str
    kind: str  # automated | manual | gap
    domain: str
    text: str
    verdict: str  # pass | partial | fail | unverified | na | not_attested
    counts: dict[str, int]  # hosts by status on this clause (automated)
    hosts: dict[str, str]  # host → status on this clause
    roles: dict[str, str]  # host → role
    rules: list[str]
    result: Result | None = None  # a manual clause's attestation result

    @property
    def considered(self) -> list[str]:
        return [h for h, s in self.hosts.items() if s != "not_applicable"]


def _rank(status: str) -> int:
    return HOST_ORDER.index(status) if status in HOST_ORDER else 1  # an unknown status counts as an error


def host_status(results: list[Result], clause: str) -> dict[str, str]:
    """Each host's status on a clause: the worst of its results' verdicts on that clause."""
    out: dict[str, str] = {}
    for r in results:
        s = r.clause_status(clause)
        s = s if s in HOST_ORDER else "error"
        if r.host not in out or _rank(s) < _rank(out[r.host]):
            out[r.host] = s
    return out


def clause_verdict(c: Counter) -> str:
    if c["fail"]:
        return "partial" if c["pass"] + c["waived"] else "fail"
    if c["error"]:
        return "partial" if c["pass"] + c["waived"] else "unverified"
    if c["pass"] + c["waived"]:
        return "pass"
    return "na"


def clause_views(report: AuditReport, lang: str = "zh") -> list[ClauseView]:
    """Every clause of the catalog with its verdict, in the catalog's order."""
    clauses = catalog.load()
    roles = {h.get("name"): h.get("role") for h in report.run.hosts}
    by_clause: dict[str, list[Result]] = defaultdict(list)
    attested: dict[str, Result] = {}
    for r in report.results:
        if r.kind == "attestation":
            attested[r.rule] = r
            continue
        for c in r.clauses:
            by_clause[c].append(r)
    out = []
    for cid, c in clauses.items():
        text = getattr(c, lang)
        if c.status == "automated":
            hosts = host_status(by_clause.get(cid, []), cid)
            n = Counter(hosts.values())
            out.append(ClauseView(cid, "automated", c.domain, text, clause_verdict(n),
                                  {k: n[k] for k in HOST_ORDER}, hosts, {h: roles.get(h) or "" for h in hosts},
                                  sorted({r.rule for r in by_clause.get(cid, [])})))
        else:
            r = attested.get(cid)
            verdict = {"pass": "pass", "fail": "fail", "error": "unverified"}.get(r.status if r else "", "not_attested")
            out.append(ClauseView(cid, "gap" if c.gap else "manual", c.domain, text, verdict, {}, {}, {}, [], r))
    return out


def clause_summary(report: AuditReport) -> dict[str, dict[str, Any]]:
    """The verdict of every clause, as results.json carries it (the report's appendix shows the same)."""
    return {v.id: {"kind": v.kind, "verdict": v.verdict,
                   **({"hosts": {k: n for k, n in v.counts.items()}} if v.kind == "automated" else
                      {"status": v.result.status if v.result else "manual"})}
            for v in clause_views(report, "en")}


# -- the report -------------------------------------------------------------------------------------------------


@dataclass
class Finding:
    clause: str
    kind: str  # automated | manual | gap | unverified
    text: str  # the sentence in 三、存在的问题
    short: str  # the finding alone, for 四、整改措施
    count: int  # hosts (automated)
    hosts: list[tuple[str, str, str]] = field(default_factory=list)  # host, why, rules (appendix 2)


@dataclass
class Plan:
    clause: str
    finding: str
    measure: str
    owner: str
    deadline: str


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


class _Writer:
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


def build(report: AuditReport, lang: str = "zh", previous: AuditReport | None = None,
          attachments: dict[str, list[str]] | None = None) -> ReportModel:
    return _Writer(report, lang, previous, attachments).build()
