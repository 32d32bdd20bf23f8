"""oscal.json: the run as an OSCAL assessment-results document, for GRC tools that read OSCAL.

OSCAL (NIST's Open Security Controls Assessment Language) is used here only as an exchange format, and mapped
simply: one `result` for the run; one inventory item per host; the GB/T 22239-2019 items the rules cover as the
reviewed controls; one observation per applicable (host, rule) carrying its message and evidence; one finding per
applicable (host, rule) saying whether the objective of the rule's first GB/T item is satisfied (pass) or not
(fail, error, waived - a waiver accepts a failure, it does not satisfy the objective). not_applicable results
appear in neither, nor do manual clauses nobody attested yet (OSCAL's objective state is satisfied or not: an
open question is neither); an attested clause is an EXAMINE observation of the unit. Every UUID is a uuid5 of the run id and what it names, so the same results give the same bytes.

Built with compliance-trestle 4.0.2 (OSCAL 1.2.1). Its models are pydantic.v1 models: the document is serialised
with trestle's own `oscal_serialize_json_bytes` (wrapped in the top-level `assessment-results` key), which is what
`AssessmentResults.oscal_read` reads back.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

from trestle.oscal import OSCAL_VERSION
from trestle.oscal import assessment_results as ar
from trestle.oscal import common

from checker.models import AuditReport, Result, RunInfo

NS = "https://zicha.example/ns/oscal"  # namespace of zicha's own props (props without ns are OSCAL's)
_UUIDS = uuid.uuid5(uuid.NAMESPACE_URL, NS)
_ITEM = re.compile(r"^(\d+(?:\.\d+)*)(?:\s+([a-z])\))?(\s+\[check\])?$")  # "8.1.4.1 a) [check]"
STATE = {"pass": "satisfied", "fail": "not-satisfied", "error": "not-satisfied", "waived": "not-satisfied"}
REASON = {"pass": "pass", "fail": "fail"}  # error (and a waived error) -> "other"

TEXT = {
    "title": {"zh": "网络安全自查结果", "en": "zicha self-inspection results"},
    "result": {"zh": "自查运行 {id}", "en": "self-inspection run {id}"},
    "result_desc": {"zh": "按 GB/T 22239-2019 自动检查清单 {inv} 中的 {n} 台主机（{m} 台可达）。",
                    "en": "Automated checks against GB/T 22239-2019 of {n} hosts in inventory {inv} ({m} reached)."},
    "controls": {"zh": "zicha 规则覆盖的 GB/T 22239-2019 条款（8.x 三级，7.x 二级）。",
                 "en": "GB/T 22239-2019 items covered by zicha's rules (8.x level 3, 7.x level 2)."},
    "plan": {"zh": "没有单独的评估计划：zicha 的规则集（policies/）即计划。",
             "en": "No separate assessment plan: zicha's rule set (policies/) is the plan."},
    "no_sources": {"zh": "未记录证据来源", "en": "no evidence sources recorded"},
    "waived": {"zh": "已豁免（原结论 {status_waived}）：{reason}；批准人 {approver}，有效期至 {expires}",
               "en": "waived (was {status_waived}): {reason}; approved by {approver}, expires {expires}"},
    "lapsed": {"zh": "豁免已于 {expires} 过期（批准人 {approver}）：{reason}",
               "en": "waiver expired on {expires} (approved by {approver}): {reason}"},
}


def _t(key: str, lang: str, **kw: Any) -> str:
    texts = TEXT[key]
    return texts.get(lang, texts["zh"]).format(**kw)


def _text(d: dict[str, str], lang: str) -> str:
    return d.get(lang) or d.get("zh") or d.get("en") or ""


def _line(s: Any) -> str:
    """Titles and prop values are single-line in OSCAL, with no leading or trailing space."""
    return " ".join(str(s).split())


def _uuid(run: RunInfo, *parts: str) -> str:
    return str(uuid.uuid5(_UUIDS, "\x1f".join((run.id, *parts))))


def _props(*pairs: tuple[str, Any]) -> list[common.Property] | None:
    """zicha's props (namespaced); a pair with an empty value is left out."""
    out = [common.Property(name=n, value=_line(v), ns=NS) for n, v in pairs if _line(v)]
    return out or None


def _when(s: str | None, fallback: str) -> datetime:
    """OSCAL wants zoned datetimes; zicha writes UTC everywhere, so a zoneless stamp is read as UTC."""
    for cand in (s, fallback):
        try:
            t = datetime.fromisoformat(str(cand))
        except ValueError:
            continue
        return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
    raise ValueError(f"no usable timestamp in {s!r} or {fallback!r}")


def _item(item: str) -> tuple[str, str | None, bool]:
    """'8.1.4.1 a) [check]' -> ('gbt22239-8.1.4.1', 'a', True): control id, item letter, numbering unverified."""
    m = _ITEM.match(item.strip())
    if not m:  # not the catalog's format: keep what a token may hold
        return "gbt22239-" + re.sub(r"[^0-9a-z.]+", "-", item.lower()).strip("-"), None, False
    return f"gbt22239-{m[1]}", m[2], bool(m[3])


def _natural(control: str) -> list[Any]:
    """gbt22239-8.1.3.1 before gbt22239-8.1.10.11."""
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", control)]


def _objective(r: Result) -> str:
    """The finding's target: the objective of the rule's first GB/T item, e.g. gbt22239-8.1.4.1_obj.a."""
    if not r.gbt22239:
        return f"zicha-rule-{r.rule.lower()}"
    control, letter, _ = _item(r.gbt22239[0])
    return f"{control}_obj.{letter}" if letter else f"{control}_obj"


def _reviewed(report: AuditReport, lang: str) -> common.ReviewedControls:
    items = {i for rule in report.rules for i in rule.gbt22239} | {i for r in report.results for i in r.gbt22239}
    statements: dict[str, set[str]] = {}
    unverified: set[str] = set()
    for i in items:
        control, letter, check = _item(i)
        statements.setdefault(control, set()).update([f"{control}_smt.{letter}"] if letter else [])
        if check:
            unverified.add(control)
    selected = [common.SelectControlById(control_id=c, statement_ids=sorted(s) or None)
                for c, s in sorted(statements.items(), key=lambda kv: _natural(kv[0]))]
    # "[check]" in the catalog: the item number is derived, not verified against the standard's text
    flags = _props(*[("numbering-unverified", c) for c in sorted(unverified)])
    return common.ReviewedControls(control_selections=[common.ControlSelections(
        description=_t("controls", lang), include_controls=selected, props=flags)])


def _waiver_remark(w: dict[str, Any] | None, lang: str) -> str:
    if not w:
        return ""
    fields = {k: w.get(k, "") for k in ("reason", "approver", "expires", "status_waived")}
    text = _t("lapsed" if w.get("expired") else "waived", lang, **fields)
    return f"{text} ({w['ticket']})" if w.get("ticket") else text


def _observation(run: RunInfo, r: Result, host_uuid: str, lang: str) -> common.Observation:
    ev = r.evidence or {}
    sources = "; ".join(f"{s.get('fact', '')}: {s.get('source', '')}" for s in ev.get("sources") or [])
    gather = ev.get("gather") or {}
    return common.Observation(
        uuid=_uuid(run, "observation", r.host, r.rule),
        title=_line(f"{r.rule} @ {r.host}"),
        description=_text(r.message, lang),
        # OSCAL's values are EXAMINE, INTERVIEW, TEST, UNKNOWN: an automated check is a TEST, an attestation of
        # documents an EXAMINE
        methods=["EXAMINE" if r.kind == "attestation" else "TEST"],
        props=_props(("rule", r.rule), ("status", r.status), ("severity", r.severity),
                     *[("clause", c) for c in r.clauses], *[("gbt22239", i) for i in r.gbt22239],
                     ("gather-method", gather.get("method", "")), ("gather-status", gather.get("status", ""))),
        subjects=[common.SubjectReference(subject_uuid=host_uuid, type="inventory-item", title=_line(r.host))],
        relevant_evidence=[common.RelevantEvidence(
            description=sources or _t("no_sources", lang),
            remarks=json.dumps(ev.get("observed") or {}, ensure_ascii=False, sort_keys=True))],
        collected=_when(ev.get("collected_at"), run.started_at),
    )


def _finding(run: RunInfo, r: Result, observation: str, lang: str) -> common.Finding:
    w = r.waiver or {}
    was = w.get("status_waived", "") if r.status == "waived" else r.status  # the verdict a waiver replaced
    remarks = [_waiver_remark(r.waiver, lang), "" if r.status == "pass" else _text(r.remediation, lang)]
    return common.Finding(
        uuid=_uuid(run, "finding", r.host, r.rule),
        title=_line(_text(r.title, lang)) or r.rule,
        description=_text(r.message, lang),
        props=_props(("rule", r.rule), ("host", r.host), ("status", r.status), ("severity", r.severity),
                     ("waiver-approver", w.get("approver", "")), ("waiver-expires", w.get("expires", "")),
                     ("waiver-expired", str(w["expired"]).lower() if "expired" in w else "")),
        target=common.FindingTarget(
            type="objective-id", target_id=_objective(r),
            status=common.ObjectiveStatus(state=STATE[r.status], reason=REASON.get(was, "other"))),
        related_observations=[common.RelatedObservation(observation_uuid=observation)],
        remarks="\n\n".join(x for x in remarks if x) or None,
    )


def model(report: AuditReport, lang: str = "zh") -> ar.AssessmentResults:
    run = report.run
    hosts = sorted(set(run.hosts_attempted) | {r.host for r in report.results})
    host_uuid = {h: _uuid(run, "host", h) for h in hosts}
    applicable = sorted((r for r in report.results if r.status not in ("not_applicable", "manual")),
                        key=lambda r: (r.rule, r.host))
    observations = [_observation(run, r, host_uuid[r.host], lang) for r in applicable]
    findings = [_finding(run, r, o.uuid, lang) for r, o in zip(applicable, observations)]
    about = {str(h.get("name")): h for h in run.hosts}  # role, zone, platform... when the run recorded them
    items = [common.InventoryItem(uuid=host_uuid[h], description=h, props=_props(
        ("host", h), ("reached", "yes" if h in run.hosts_reached else "no"),
        *[(k, about.get(h, {}).get(k) or "") for k in ("platform", "role", "zone")])) for h in hosts]
    unit = [common.Parties(uuid=_uuid(run, "unit"), type="organization", name=_line(run.unit))] if run.unit else None
    plan = _uuid(run, "assessment-plan")
    return ar.AssessmentResults(
        uuid=_uuid(run, "assessment-results"),
        metadata=common.Metadata(
            title=_t("title", lang), last_modified=_when(run.finished_at, run.started_at), version=_line(run.id),
            oscal_version=OSCAL_VERSION, parties=unit,
            props=_props(("tool", f"zicha {run.zicha_version}".strip()), ("opa-version", run.opa_version),
                         ("inventory", run.inventory))),
        # There is no assessment-plan document, but import-ap (an href) is required. "#uuid" points to a
        # back-matter resource in this document that says so: it resolves, unlike a made-up file name.
        import_ap=ar.ImportAp(href=f"#{plan}"),
        results=[ar.Result(
            uuid=_uuid(run, "result"), title=_t("result", lang, id=run.id),
            description=_t("result_desc", lang, inv=run.inventory or "-", n=len(run.hosts_attempted),
                           m=len(run.hosts_reached)),
            start=_when(run.started_at, run.started_at),
            end=_when(run.finished_at, run.started_at) if run.finished_at else None,
            props=_props(("hosts-attempted", len(run.hosts_attempted)), ("hosts-reached", len(run.hosts_reached))),
            local_definitions=ar.LocalDefinitions1(inventory_items=items or None),
            reviewed_controls=_reviewed(report, lang),
            observations=observations or None, findings=findings or None)],
        back_matter=common.BackMatter(resources=[common.Resource(uuid=plan, title=_t("plan", lang))]),
    )


def render(report: AuditReport, lang: str = "zh") -> bytes:
    return model(report, lang).oscal_serialize_json_bytes(pretty=True) + b"\n"
