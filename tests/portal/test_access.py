"""A unit account sees its own unit and nothing of another's: not its pages, its drill-downs, its reports, its
bundles, its tokens, nor the region's pages. An inspector sees the region. Nobody signed out sees anything."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from checker import evidence
from checker.portal import ingest, store
from checker.portal.models import Account, Submission
from tests.portal.helpers import receive, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(bundles, django_user_model, tmp_path):
    a = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    b = register("hospital-b", "人民医院", bundles.keys["hospital-b"].pub)
    subs = {}
    for unit, path in ((a, bundles.a1), (b, bundles.b)):
        sub = receive(path, unit)
        report, attachments = evidence.load_report(path)
        store.accept(sub, report, attachments)  # stored as the worker stores it (verification is tested apart)
        subs[unit.code] = sub
    (tmp_path / "q.tar.gz").write_bytes(b"\x1f\x8bnot a bundle")
    held = receive(tmp_path / "q.tar.gz", b)
    Submission.objects.filter(pk=held.pk).update(state=Submission.QUARANTINED, reason="签名与本单位登记的公钥不符")
    _, token_a = ingest.new_token(a, "ci-a")
    _, token_b = ingest.new_token(b, "ci-b")
    users = {}
    for name, role, unit in (("insp", Account.INSPECTOR, None), ("staff-a", Account.UNIT, a),
                             ("staff-b", Account.UNIT, b)):
        user = django_user_model.objects.create_user(name, password=f"{name}-Passw0rd!")
        Account.objects.create(user=user, role=role, unit=unit)
        c = Client()
        c.force_login(user)
        users[name] = c
    return {"a": a, "b": b, "sub_a": subs["school-a"], "sub_b": subs["hospital-b"], "held_b": held,
            "token_a": token_a, "token_b": token_b, **users}


def _unit_urls(code: str, sub: int) -> list[str]:
    return [f"/units/{code}/", f"/units/{code}/tokens/", f"/submissions/{sub}/", f"/submissions/{sub}/bundle/",
            f"/submissions/{sub}/report.html", f"/submissions/{sub}/report.docx",
            f"/submissions/{sub}/clauses/PASSWORD-STRENGTH/"]


REGION_URLS = ["/region/", "/clauses/", "/clauses/PASSWORD-STRENGTH/", "/deadline/", "/quarantine/", "/units/",
               "/units/new/", "/rounds/", "/summary.html", "/summary.docx"]


def _text(resp) -> str:
    if resp.streaming:
        return b"".join(resp.streaming_content).decode("utf-8", "replace")
    return resp.content.decode("utf-8", "replace")


def test_a_unit_account_sees_its_own_unit(region):
    c, sub = region["staff-a"], region["sub_a"]
    assert c.get("/").url == "/units/school-a/"
    for url in _unit_urls("school-a", sub.pk):
        assert c.get(url).status_code == 200, url
    assert "第一中学" in _text(c.get("/units/school-a/"))


def test_a_unit_account_cannot_reach_another_unit_s_data(region):
    c = region["staff-a"]
    for url in _unit_urls("hospital-b", region["sub_b"].pk) + [f"/submissions/{region['held_b'].pk}/",
                                                               f"/submissions/{region['held_b'].pk}/bundle/"]:
        r = c.get(url)
        assert r.status_code == 404, url  # not even told that it exists
    for url in REGION_URLS + ["/units/school-a/edit/", "/units/school-a/accounts/new/"]:
        assert c.get(url).status_code == 403, url
    assert c.post("/units/hospital-b/tokens/", {"name": "mine now"}).status_code == 404
    assert not region["b"].tokens.filter(name="mine now").exists()


def test_nothing_of_another_unit_shows_on_any_page_a_unit_account_can_open(region):
    """Follow every link from the unit account's home, as someone clicking through would: B's name, hosts and
    bundle never appear."""
    c = region["staff-a"]
    b_hosts = {r.host for r in region["sub_b"].results.all()}
    seen, todo = set(), ["/"]
    while todo:
        url = todo.pop()
        if url in seen or url.startswith(("/logout", "/i18n")):
            continue
        seen.add(url)
        r = c.get(url, follow=True)
        assert r.status_code == 200, url
        body = _text(r)
        assert "人民医院" not in body and "hospital-b" not in body, url
        assert not any(h in body for h in b_hosts), url
        if r.get("Content-Type", "").startswith("text/html"):
            todo += [u for u in re.findall(r'href="(/[^"#?]*)', body) if not u.startswith("/static/")]
    assert len(seen) >= 8


def test_a_unit_account_uploads_only_for_itself(region):
    c = region["staff-a"]
    r = c.post("/upload/", {"bundle": SimpleUploadedFile("e.tar.gz", b"\x1f\x8bfor someone else"),
                            "unit": region["b"].pk})
    assert r.status_code == 302
    latest = Submission.objects.latest("id")
    assert latest.unit == region["a"]


def test_a_unit_s_token_answers_only_for_its_own_submissions(region):
    c = Client()
    own = c.get(f"/api/v1/submissions/{region['sub_a'].pk}", HTTP_AUTHORIZATION=f"Bearer {region['token_a']}")
    other = c.get(f"/api/v1/submissions/{region['sub_b'].pk}", HTTP_AUTHORIZATION=f"Bearer {region['token_a']}")
    assert own.status_code == 200 and own.json()["state"] == "accepted"
    assert other.status_code == 404 and "人民医院" not in other.content.decode()


def test_an_inspector_sees_the_region(region):
    c = region["insp"]
    for url in REGION_URLS + _unit_urls("hospital-b", region["sub_b"].pk) + _unit_urls("school-a", region["sub_a"].pk):
        assert c.get(url).status_code == 200, url
    body = _text(c.get("/region/"))
    assert "第一中学" in body and "人民医院" in body


def test_signed_out_visitors_and_roleless_users_see_nothing(region, django_user_model):
    anon = Client()
    for url in ["/", "/upload/"] + REGION_URLS + _unit_urls("school-a", region["sub_a"].pk):
        r = anon.get(url)
        assert r.status_code == 302 and r.url.startswith("/login/"), url
    nobody = django_user_model.objects.create_user("nobody", password="Nobody-passw0rd!")
    c = Client()
    c.force_login(nobody)
    for url in ["/", "/upload/", "/region/"] + _unit_urls("school-a", region["sub_a"].pk):
        assert c.get(url).status_code == 403, url
