"""The OSCAL assessment-results output: valid for trestle, faithful to the results, deterministic."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from trestle.oscal.assessment_results import AssessmentResults

from checker.models import AuditReport, Result, RuleInfo, RunInfo
from checker.report import oscal

NS = "https://zicha.example/ns/oscal"
STARTED = "2026-03-01T08:00:00Z"

PASSWD = RuleInfo(id="NO-WEAK-PASSWORD", package="zicha.rules.no_weak_password",
                  title={"zh": "不使用弱口令", "en": "No weak passwords"}, severity="high", clauses=["ACCT-PWD"],
                  gbt22239=["8.1.4.1 a)", "7.1.4.1 a)"], remediation={"zh": "修改口令", "en": "change it"})
LOGS = RuleInfo(id="LOG-RETENTION", package="zicha.rules.log_retention",
                title={"zh": "日志保存六个月以上", "en": "Logs are kept for six months"}, severity="medium",
                clauses=["LOG-6M"], gbt22239=["8.1.4.3 c) [check]", "8.1.10.11"],
                remediation={"zh": "延长日志保存期", "en": "keep logs longer"})
WAIVER = {"rule": "LOG-RETENTION", "hosts": "db-*", "reason": "replacement log server on order",
          "approver": "Zhang San", "expires": "2026-06-30", "ticket": "CHG-42", "expired": False,
          "status_waived": "fail"}


def _result(host: str, rule: RuleInfo, status: str, msg: str, **kw) -> Result:
    evidence = {"observed": {"weak": status != "pass"}, "collected_at": "2026-03-01T08:00:30Z",
                "sources": [{"fact": "accounts", "source": "/etc/shadow"}, {"fact": "pam", "source": "/etc/pam.d"}],
                "gather": {"status": "ok", "method": "ansible"}}
    return Result(host=host, rule=rule.id, status=status, severity=rule.severity, clauses=rule.clauses,
                  gbt22239=rule.gbt22239, title=rule.title, remediation=rule.remediation,
                  message={"zh": f"{host} {msg}（中文）", "en": f"{host} {msg} (english)"},
                  evidence=kw.pop("evidence", evidence), **kw)


def _report(results_order: int | None = None, run_id: str = "run-20260301T080000Z") -> AuditReport:
    results = [
        _result("web-1", PASSWD, "pass", "no weak password"),
        _result("db-1", PASSWD, "error", "could not read /etc/shadow",
                evidence={"observed": {}, "sources": [], "collected_at": None}),
        _result("web-1", LOGS, "fail", "logs kept 30 days, fewer than 180"),
        _result("db-1", LOGS, "waived", "logs kept 7 days", waiver=WAIVER),
        _result("printer-1", PASSWD, "not_applicable", "no accounts on this device"),
    ]
    if results_order is not None:
        random.Random(results_order).shuffle(results)
    run = RunInfo(id=run_id, started_at=STARTED, finished_at="2026-03-01T08:01:00Z", inventory="lab/inventory.yml",
                  zicha_version="0.1.0", opa_version="1.22.3",
                  hosts_attempted=["web-1", "db-1", "printer-1"], hosts_reached=["web-1", "printer-1"],
                  unit="某县教育局", hosts=[{"name": "web-1", "role": "server", "zone": "dmz", "platform": "linux"}])
    return AuditReport(run=run, rules=[PASSWD, LOGS], results=results)


APPLICABLE = {("NO-WEAK-PASSWORD", "web-1"): "pass", ("NO-WEAK-PASSWORD", "db-1"): "error",
              ("LOG-RETENTION", "web-1"): "fail", ("LOG-RETENTION", "db-1"): "waived"}


def _props(obj: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in obj.get("props", []):
        assert p["ns"] == NS
        out.setdefault(p["name"], []).append(p["value"])
    return out


def _doc(lang: str = "zh") -> dict:
    return json.loads(oscal.render(_report(), lang))["assessment-results"]


def _by_key(items: list[dict]) -> dict[tuple[str, str], dict]:
    out = {}
    for it in items:
        p = _props(it)
        key = (p["rule"][0], p["host"][0] if "host" in p else it["subjects"][0]["title"])  # finding / observation
        assert key not in out, f"two entries for {key}"
        out[key] = it
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trestle_reads_it_back(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "oscal.json"
    path.write_bytes(oscal.render(_report(), lang))
    model = AssessmentResults.oscal_read(path)  # trestle's own parsing and validation
    assert isinstance(model, AssessmentResults)
    assert len(model.results) == 1
    result = model.results[0]
    assert len(result.observations) == 4 and len(result.findings) == 4
    assert model.metadata.version == "run-20260301T080000Z"
    assert model.back_matter.resources[0].uuid == model.import_ap.href.removeprefix("#")


def test_result_metadata_and_hosts() -> None:
    doc = _doc("en")
    meta = doc["metadata"]
    assert meta["title"] == "zicha self-inspection results"
    assert meta["last-modified"].startswith("2026-03-01T08:01:00")
    assert _props(meta)["tool"] == ["zicha 0.1.0"] and _props(meta)["opa-version"] == ["1.22.3"]
    (result,) = doc["results"]
    assert result["start"].startswith("2026-03-01T08:00:00") and result["end"].startswith("2026-03-01T08:01:00")
    assert _props(result) == {"hosts-attempted": ["3"], "hosts-reached": ["2"]}
    items = {i["description"]: i for i in result["local-definitions"]["inventory-items"]}
    assert sorted(items) == ["db-1", "printer-1", "web-1"]
    assert _props(items["db-1"]) == {"host": ["db-1"], "reached": ["no"]}
    assert _props(items["web-1"]) == {"host": ["web-1"], "reached": ["yes"], "platform": ["linux"], "role": ["server"],
                                      "zone": ["dmz"]}
    (unit,) = meta["parties"]
    assert (unit["type"], unit["name"]) == ("organization", "某县教育局")


def test_reviewed_controls_are_the_gbt_items_as_tokens() -> None:
    (sel,) = _doc()["results"][0]["reviewed-controls"]["control-selections"]
    controls = {c["control-id"]: c.get("statement-ids") for c in sel["include-controls"]}
    assert controls == {
        "gbt22239-7.1.4.1": ["gbt22239-7.1.4.1_smt.a"],
        "gbt22239-8.1.4.1": ["gbt22239-8.1.4.1_smt.a"],
        "gbt22239-8.1.4.3": ["gbt22239-8.1.4.3_smt.c"],
        "gbt22239-8.1.10.11": None,
    }
    assert list(controls)[-1] == "gbt22239-8.1.10.11"  # numeric order, not string order
    assert _props(sel)["numbering-unverified"] == ["gbt22239-8.1.4.3"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_observations_carry_every_applicable_result(lang: str) -> None:
    result = _doc(lang)["results"][0]
    hosts = {i["uuid"]: i["description"] for i in result["local-definitions"]["inventory-items"]}
    report = _report()
    obs = _by_key(result["observations"])
    assert set(obs) == set(APPLICABLE)  # the not-applicable result is left out
    for r in report.results:
        if r.status == "not_applicable":
            assert r.message[lang] not in json.dumps(result, ensure_ascii=False)
            continue
        o = obs[(r.rule, r.host)]
        assert o["description"] == r.message[lang]  # no message text lost
        assert o["methods"] == ["TEST"]
        p = _props(o)
        assert p["status"] == [r.status] and p["severity"] == [r.severity] and p["clause"] == r.clauses
        assert p["gbt22239"] == r.gbt22239
        (subject,) = o["subjects"]
        assert subject["type"] == "inventory-item" and hosts[subject["subject-uuid"]] == r.host
        (ev,) = o["relevant-evidence"]
        if r.evidence["sources"]:
            assert ev["description"] == "accounts: /etc/shadow; pam: /etc/pam.d"
            assert o["collected"].startswith("2026-03-01T08:00:30")
            assert json.loads(ev["remarks"]) == r.evidence["observed"]
        else:  # nothing collected: say so, and date it at the run's start
            assert ev["description"] == oscal.TEXT["no_sources"][lang]
            assert o["collected"].startswith("2026-03-01T08:00:00")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_findings_state_per_rule_and_host(lang: str) -> None:
    result = _doc(lang)["results"][0]
    obs_uuid = {k: o["uuid"] for k, o in _by_key(result["observations"]).items()}
    findings = _by_key(result["findings"])
    assert {k: (f["target"]["status"]["state"], f["target"]["status"]["reason"]) for k, f in findings.items()} == {
        ("NO-WEAK-PASSWORD", "web-1"): ("satisfied", "pass"),
        ("NO-WEAK-PASSWORD", "db-1"): ("not-satisfied", "other"),
        ("LOG-RETENTION", "web-1"): ("not-satisfied", "fail"),
        ("LOG-RETENTION", "db-1"): ("not-satisfied", "fail"),  # waived, but the objective is still not met
    }
    rules = {"NO-WEAK-PASSWORD": PASSWD, "LOG-RETENTION": LOGS}
    by_key = {(r.rule, r.host): r for r in _report().results}
    for key, f in findings.items():
        rule, r = rules[key[0]], by_key[key]
        assert f["title"] == rule.title[lang]
        assert f["description"] == r.message[lang]
        assert _props(f)["status"] == [APPLICABLE[key]]
        assert f["target"]["type"] == "objective-id"
        assert f["target"]["target-id"] == {"NO-WEAK-PASSWORD": "gbt22239-8.1.4.1_obj.a",
                                            "LOG-RETENTION": "gbt22239-8.1.4.3_obj.c"}[key[0]]
        assert f["related-observations"] == [{"observation-uuid": obs_uuid[key]}]
        if APPLICABLE[key] == "pass":
            assert "remarks" not in f
        else:
            assert rule.remediation[lang] in f["remarks"]
    waived = findings[("LOG-RETENTION", "db-1")]
    assert _props(waived)["waiver-approver"] == ["Zhang San"]
    assert _props(waived)["waiver-expires"] == ["2026-06-30"]
    for text in ("replacement log server on order", "Zhang San", "2026-06-30", "CHG-42"):
        assert text in waived["remarks"]
    assert "waiver-approver" not in _props(findings[("LOG-RETENTION", "web-1")])


def test_languages_differ_only_in_text() -> None:
    zh, en = _doc("zh"), _doc("en")
    assert zh["metadata"]["title"] == "网络安全自查结果" != en["metadata"]["title"]
    assert {f["title"] for f in zh["results"][0]["findings"]} == {"不使用弱口令", "日志保存六个月以上"}
    assert {f["title"] for f in en["results"][0]["findings"]} == {"No weak passwords", "Logs are kept for six months"}
    uuids = lambda d: [d["uuid"], *(x["uuid"] for k in ("observations", "findings") for x in d["results"][0][k])]
    assert uuids(zh) == uuids(en)


def test_deterministic_and_unique_uuids() -> None:
    first = oscal.render(_report(), "zh")
    assert oscal.render(_report(), "zh") == first
    assert oscal.render(_report(results_order=7), "zh") == first  # input order does not matter
    doc = json.loads(first)["assessment-results"]
    res = doc["results"][0]
    all_uuids = [doc["uuid"], res["uuid"], *(i["uuid"] for i in res["local-definitions"]["inventory-items"]),
                 *(o["uuid"] for o in res["observations"]), *(f["uuid"] for f in res["findings"])]
    assert len(all_uuids) == len(set(all_uuids)) == 2 + 3 + 4 + 4
    other = json.loads(oscal.render(_report(run_id="run-other"), "zh"))["assessment-results"]
    assert other["uuid"] != doc["uuid"]
    assert {o["uuid"] for o in other["results"][0]["observations"]}.isdisjoint(o["uuid"] for o in res["observations"])


def test_multiline_titles_and_odd_items_still_validate(tmp_path: Path) -> None:
    rule = dataclasses.replace(PASSWD, title={"zh": "弱口令\n检查 ", "en": " weak\npasswords"},
                               gbt22239=["Annex A (x)"])
    r = dataclasses.replace(_result("web-1", rule, "fail", "bad"), title=rule.title, gbt22239=rule.gbt22239)
    report = AuditReport(run=_report().run, rules=[rule], results=[r])
    path = tmp_path / "oscal.json"
    path.write_bytes(oscal.render(report, "en"))
    finding = AssessmentResults.oscal_read(path).results[0].findings[0]
    assert finding.title == "weak passwords"
    assert str(finding.target.target_id) == "gbt22239-annex-a-x_obj"
