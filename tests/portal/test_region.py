"""The region over two rounds: who stands where in the matrix, who missed the deadline, how a unit changed, one
clause across units, and the 汇总报告 (DOCX and HTML) with the trend since the previous round.

The submissions hold real audits' results, stored as the worker stores them; their receipt times are set to fall
inside or outside each round."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from checker import evidence
from checker.portal import region, store, summary
from checker.portal.models import Account, Round, Submission, Unit
from tests.portal.helpers import receive, register

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=60)


def _accepted(path, unit, received):
    sub = receive(path, unit)
    report, attachments = evidence.load_report(path)
    store.accept(sub, report, attachments)
    Submission.objects.filter(pk=sub.pk).update(received_at=received)
    return Submission.objects.get(pk=sub.pk)


@pytest.fixture
def rounds(bundles, tmp_path):
    r1 = Round.objects.create(name="2026年第三季度网络安全自查", organiser="某区教育局", opens_at=T0,
                              deadline=T0 + dt.timedelta(days=10))
    r2 = Round.objects.create(name="2026年第四季度网络安全自查", organiser="某区教育局",
                              opens_at=T0 + dt.timedelta(days=30), deadline=T0 + dt.timedelta(days=40))
    bureau = register("bureau", "区教育局", bundles.keys["bureau-c"].pub)  # registered, never submits
    a = register("school-a", "第一中学", bundles.keys["school-a"].pub, parent=bureau)
    b = register("hospital-b", "人民医院", bundles.keys["hospital-b"].pub)
    c = Unit.objects.create(code="archive-c", name="区档案馆", parent=bureau, algorithm="ed25519",
                            public_key="(not used here)", key_fingerprint="c" * 32)
    subs = {
        "a1": _accepted(bundles.a1, a, T0 + dt.timedelta(days=2)),  # round 1, in time
        "b1": _accepted(bundles.b, b, T0 + dt.timedelta(days=15)),  # round 1, late
        "a2": _accepted(bundles.a2, a, T0 + dt.timedelta(days=31)),  # round 2, in time
        "c2": _accepted(bundles.c_wrong_key, c, T0 + dt.timedelta(days=35)),  # round 2 (key not checked here)
    }
    (tmp_path / "x.tar.gz").write_bytes(b"\x1f\x8b round two, failed")
    held = receive(tmp_path / "x.tar.gz", b)
    Submission.objects.filter(pk=held.pk).update(state=Submission.QUARANTINED, received_at=T0 + dt.timedelta(days=33),
                                                 reason="证据包内容与其清单不符")
    # school-a re-sends its older audit in round 2: received later, audited earlier; it must not count as current
    resent = receive(bundles.a1, a)  # the same bundle again is the same submission …
    assert resent.pk == subs["a1"].pk
    return {"r1": r1, "r2": r2, "a": a, "b": b, "c": c, "bureau": bureau, **subs}


def _row(m, code):
    return next(r for r in m.rows if r.unit.code == code)


def test_the_matrix_shows_each_unit_s_current_verified_verdicts(rounds):
    m = region.matrix(Unit.objects.all(), region.window(rounds["r2"].pk))
    a, b, c, bureau = (_row(m, k) for k in ("school-a", "hospital-b", "archive-c", "bureau"))
    assert a.current_id == rounds["a2"].pk  # round 2's audit, not round 1's
    assert dict(a.cells) == region.clause_cells(rounds["a2"].pk) | {
        cid: "unverified" for cid, _ in a.cells if cid not in region.clause_cells(rounds["a2"].pk)}
    assert b.current_id is None and b.state == "quarantined" and set(dict(b.cells).values()) == {"unverified"}
    assert bureau.state == "missing" and set(dict(bureau.cells).values()) == {"missing"}
    assert c.current_id == rounds["c2"].pk
    assert m.summary() == {"units": 4, "accepted": 2, "unaccepted": 1, "missing": 1}
    # round 1: school-a's first audit; hospital-b's late bundle still shows (the deadline is its own question)
    m1 = region.matrix(Unit.objects.all(), region.window(rounds["r1"].pk))
    assert _row(m1, "school-a").current_id == rounds["a1"].pk and _row(m1, "hospital-b").current_id == rounds["b1"].pk
    assert _row(m1, "archive-c").state == "missing"


def test_a_cell_is_not_compliant_when_any_host_fails_and_never_compliant_with_an_error(rounds):
    m = region.matrix(Unit.objects.all(), region.window(rounds["r2"].pk))
    cells = dict(_row(m, "school-a").cells)
    stored = {v.clause: v for v in rounds["a2"].clause_verdicts.all()}
    for clause, cell in cells.items():
        v = stored[clause]
        if v.n_fail:
            assert cell == "bad", clause
        elif v.n_error:
            assert cell == "unverified", clause  # zicha could not check a host: not a pass
        elif v.n_pass or v.n_waived:
            assert cell == "ok", clause
        else:
            assert cell == "na", clause
    # the unit report calls a clause with passes and errors "partly compliant"; the region does not call it failing
    mixed = [v for v in stored.values() if v.verdict == "partial" and not v.n_fail]
    assert mixed and all(cells[v.clause] == "unverified" for v in mixed)
    assert {"ok", "bad", "unverified", "na"} <= set(cells.values())


def test_the_deadline_names_who_is_late_missing_or_not_verified(rounds):
    st1 = {s.unit.code: s.status for s in region.deadline_standing(Unit.objects.all(), region.window(rounds["r1"].pk))}
    assert st1 == {"school-a": "on_time", "hospital-b": "late", "archive-c": "missing", "bureau": "missing"}
    st2 = {s.unit.code: s for s in region.deadline_standing(Unit.objects.all(), region.window(rounds["r2"].pk))}
    assert {k: s.status for k, s in st2.items()} == {"school-a": "on_time", "hospital-b": "quarantined",
                                                     "archive-c": "on_time", "bureau": "missing"}
    assert "证据包内容与其清单不符" in st2["hospital-b"].reason


def test_a_unit_s_page_says_what_got_better_since_its_last_submission(rounds, django_user_model):
    user = django_user_model.objects.create_user("staff-a", password="Staff-a-passw0rd!")
    Account.objects.create(user=user, role=Account.UNIT, unit=rounds["a"])
    changes = region.changes(rounds["a1"].pk, rounds["a2"].pk)
    better = {c.clause for c in changes if c.direction == "better"}
    before, after = region.clause_cells(rounds["a1"].pk), region.clause_cells(rounds["a2"].pk)
    assert better == {k for k, v in after.items() if v == "ok" and before[k] == "bad"}
    assert not {c.clause for c in changes if c.direction == "worse"}
    assert "REMOTE-MGMT-SECURE" in better  # telnet was switched off on the switch and the firewall
    c = Client()
    c.force_login(user)
    body = c.get("/units/school-a/").content.decode()
    assert "与上一次相比" in body and "好转" in body and "变差" not in body
    host_trend = body.split('id="host-trend"')[1].split("</table>")[0]
    remote = next(row for row in host_trend.split("<tr>") if "REMOTE-MGMT-SECURE" in row)
    assert "sw-floor3" in remote and "fw-boundary" in remote  # the hosts put right are named
    assert body.count("<svg") == 1  # the chart over time


def test_one_clause_across_units_lists_the_failing_first(rounds, django_user_model):
    rows = region.clause_across("PASSWORD-STRENGTH", Unit.objects.all(), region.window(rounds["r1"].pk))
    cells = [r.cell for r in rows]
    assert cells == sorted(cells, key=["bad", "unverified", "missing", "ok", "na"].index)
    assert {r.unit.code: r.cell for r in rows}["school-a"] == "bad"


def test_the_summary_report_in_docx_and_html(rounds):
    from docx import Document

    s = summary.build(Unit.objects.all(), region.window(rounds["r2"].pk), "zh")
    assert s.title == "2026年第四季度网络安全自查汇总报告" and s.previous_round == "2026年第三季度网络安全自查"
    assert s.totals["units"] == 4 and s.totals["on_time"] == 2 and s.totals["quarantined"] == 1
    assert s.totals["missing"] == 1
    improved = {t.clause for t in s.trend if "第一中学" in t.improved}
    assert "REMOTE-MGMT-SECURE" in improved and "PASSWORD-STRENGTH" not in improved  # still partly failing
    # critical findings come from the stored results: every unit whose current audit fails a critical rule
    critical_units = {c.unit for c in s.critical}
    expected = {sub.unit.name for sub in (rounds["a2"], rounds["c2"]) if sub.critical}
    assert critical_units == expected
    doc = Document(io.BytesIO(summary.docx(s)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for heading in ("一、总体情况", "二、各单位检查结果", "三、突出问题", "四、存在严重问题的单位", "五、与上一轮比较",
                    "六、未按时提交或核验未通过的单位"):
        assert heading in text
    assert "第一中学" in cells and "人民医院" in cells and "区教育局" in cells
    html = summary.html(s).decode()
    assert "<svg" in html and "PASSWORD-STRENGTH" in html and "已整改的单位" in html
    en = summary.build(Unit.objects.all(), region.window(rounds["r2"].pk), "en")
    assert "Since the previous round" in summary.html(en).decode()


def test_the_matrix_of_one_parent_shows_its_subtree(rounds, django_user_model):
    user = django_user_model.objects.create_user("insp", password="Insp3ctor-pass!")
    Account.objects.create(user=user, role=Account.INSPECTOR)
    c = Client()
    c.force_login(user)
    body = c.get(f"/region/?round={rounds['r2'].pk}&parent=bureau").content.decode()
    assert "第一中学" in body and "区档案馆" in body and "人民医院" not in body
    full = c.get(f"/region/?round={rounds['r2'].pk}").content.decode()
    assert "人民医院" in full and full.count("<tr>") >= 5


@pytest.mark.parametrize("before, after, way", [
    ("bad", "ok", "better"), ("unverified", "ok", "better"), ("missing", "na", "better"),
    ("ok", "bad", "worse"), ("unverified", "bad", "worse"), ("ok", "unverified", "worse"),
    ("bad", "unverified", "unclear"),  # no longer failing, but not verified: not counted as put right
    ("ok", "na", "same"), ("bad", "bad", "same")])
def test_better_means_checked_again_and_compliant(before, after, way):
    assert region.direction(before, after) == way
