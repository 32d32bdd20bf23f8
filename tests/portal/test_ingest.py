"""Bundles come in three ways — the page, `zicha submit` with a token, a watched folder — and every one of them is
untrusted: size-limited, stored under a name zicha makes, and kept on record even when it cannot be attributed."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from checker.portal import ingest
from checker.portal.models import Account, Submission, Unit
from tests.portal.helpers import register

pytestmark = pytest.mark.django_db

PAYLOAD = b"\x1f\x8b" + os.urandom(4096)  # the bytes are the worker's business, not the door's


@pytest.fixture
def unit(bundles):
    return register("school-a", "第一中学", bundles.keys["school-a"].pub)


@pytest.fixture
def inspector(django_user_model):
    user = django_user_model.objects.create_user("insp", password="Insp3ctor-pass!")
    Account.objects.create(user=user, role=Account.INSPECTOR)
    c = Client()
    c.force_login(user)
    return c


def _stored() -> set[Path]:
    return set((Path(django_settings.HOME) / "bundles").rglob("*.tar.gz"))


def _leftovers() -> list[Path]:
    return [p for p in (Path(django_settings.HOME) / "tmp").iterdir() if p.is_file()]


def test_an_upload_over_the_limit_is_refused_and_nothing_is_kept(unit, inspector, settings):
    settings.LIMITS = dataclasses.replace(settings.LIMITS, max_upload=64 * 1024)
    before = _stored()
    big = SimpleUploadedFile("evidence-big.tar.gz", b"\x1f\x8b" + b"x" * (80 * 1024))
    r = inspector.post("/upload/", {"bundle": big, "unit": unit.pk})
    assert r.status_code == 200 and "文件超过大小限制" in r.content.decode()
    assert not Submission.objects.exists() and _stored() == before and not _leftovers()
    rec, token = ingest.new_token(unit, "ci")
    r = Client().post("/api/v1/submissions", {"bundle": SimpleUploadedFile("e.tar.gz", b"y" * (80 * 1024))},
                      HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 413 and not Submission.objects.exists() and _stored() == before


def test_the_sender_s_file_name_never_becomes_a_path(unit, inspector, tmp_path):
    target = tmp_path / "escaped.tar.gz"
    name = f"../../../../..{target}"
    r = inspector.post("/upload/", {"bundle": SimpleUploadedFile(name, PAYLOAD), "unit": unit.pk})
    assert r.status_code == 302
    sub = Submission.objects.get()
    assert not target.exists()
    assert sub.original_name == "escaped.tar.gz"
    assert sub.path == Path(django_settings.HOME) / "bundles" / sub.sha256[:2] / f"{sub.sha256}.tar.gz"
    assert sub.path.read_bytes() == PAYLOAD and oct(sub.path.stat().st_mode & 0o777) == "0o600"


def test_the_same_bundle_sent_twice_is_one_submission(unit):
    _, token = ingest.new_token(unit, "ci")
    c = Client()
    first = c.post("/api/v1/submissions", {"bundle": SimpleUploadedFile("e.tar.gz", PAYLOAD)},
                   HTTP_AUTHORIZATION=f"Bearer {token}")
    again = c.post("/api/v1/submissions", {"bundle": SimpleUploadedFile("e.tar.gz", PAYLOAD)},
                   HTTP_AUTHORIZATION=f"Bearer {token}")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["id"] == first.json()["id"]
    assert first.json()["state"] == "received" and first.json()["unit"] == "school-a"
    assert Submission.objects.count() == 1 and Submission.objects.get().channel == Submission.API


def test_the_api_wants_a_live_token_and_answers_only_for_its_unit(unit, bundles):
    other = register("hospital-b", "人民医院", bundles.keys["hospital-b"].pub)
    rec, token = ingest.new_token(unit, "ci")
    _, other_token = ingest.new_token(other, "ci")
    c = Client()
    upload = {"bundle": SimpleUploadedFile("e.tar.gz", PAYLOAD)}
    assert c.post("/api/v1/submissions", upload).status_code == 401
    assert c.post("/api/v1/submissions", upload, HTTP_AUTHORIZATION="Bearer zpt_forged").status_code == 401
    r = c.post("/api/v1/submissions", {"bundle": SimpleUploadedFile("e.tar.gz", PAYLOAD)},
               HTTP_AUTHORIZATION=f"Bearer {token}")
    sub_id = r.json()["id"]
    assert c.get(f"/api/v1/submissions/{sub_id}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert c.get(f"/api/v1/submissions/{sub_id}", HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code == 404
    rec.revoked_at = rec.created_at
    rec.save()
    assert c.get(f"/api/v1/submissions/{sub_id}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    # only the token's digest is stored
    assert token not in str(list(type(rec).objects.values_list("digest", "prefix", "name")))


def test_a_page_upload_without_the_csrf_token_is_refused(unit, django_user_model):
    user = django_user_model.objects.create_user("unit-a", password="Unit-a-pass!")
    Account.objects.create(user=user, role=Account.UNIT, unit=unit)
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    r = c.post("/upload/", {"bundle": SimpleUploadedFile("e.tar.gz", PAYLOAD)})
    assert r.status_code == 403 and "CSRF" in r.content.decode()
    assert not Submission.objects.exists()


def test_the_watched_folder_takes_finished_files_and_keeps_strays_on_record(unit, tmp_path):
    watch = tmp_path / "watch"
    (watch / "school-a").mkdir(parents=True)
    (watch / "no-such-unit").mkdir()
    (watch / "school-a" / "从U盘拷贝 evidence.tar.gz").write_bytes(PAYLOAD)
    (watch / "stray.tar.gz").write_bytes(PAYLOAD + b"stray")
    (watch / "no-such-unit" / "e.tar.gz").write_bytes(PAYLOAD + b"unknown")
    growing = watch / "school-a" / "still-copying.tar.gz"
    growing.write_bytes(b"\x1f\x8b partial")
    seen: dict = {}
    assert ingest.scan_folder(watch, seen) == []  # first look: wait until the files stop changing
    growing.write_bytes(b"\x1f\x8b partial, more")
    taken = ingest.scan_folder(watch, seen)
    assert len(taken) == 3
    mine = Submission.objects.get(unit=unit)
    assert mine.channel == Submission.WATCH and mine.state == Submission.RECEIVED
    assert mine.original_name == "从U盘拷贝 evidence.tar.gz"
    strays = Submission.objects.filter(unit__isnull=True)
    assert strays.count() == 2 and all(s.state == Submission.QUARANTINED for s in strays)
    assert all("不在已登记单位的子目录中" in s.reason for s in strays)
    assert growing.exists()  # still growing at the second look
    assert len(list((watch / "school-a" / "received").iterdir())) == 1
    assert len(list((watch / "received").iterdir())) == 2
    assert ingest.scan_folder(watch, seen) and Submission.objects.filter(unit=unit).count() == 2  # now it is done


def test_a_unit_is_registered_only_with_a_key_zicha_can_read(inspector, bundles):
    sm2 = bundles.keys["hospital-b"].pub
    r = inspector.post("/units/new/", {"code": "hospital-b", "name": "人民医院",
                                       "key_file": SimpleUploadedFile("k.pub", sm2.read_bytes())})
    assert r.status_code == 302
    assert Unit.objects.get(code="hospital-b").algorithm == "sm2-sm3"
    r = inspector.post("/units/new/", {"code": "junk", "name": "X", "public_key": "-----BEGIN PUBLIC KEY-----\nAAAA\n"})
    assert r.status_code == 200 and "not a zicha public key" in r.content.decode()
    r = inspector.post("/units/new/", {"code": "copycat", "name": "Y", "public_key": sm2.read_text()})
    assert r.status_code == 200 and "该公钥已登记给单位 hospital-b" in r.content.decode()
    assert set(Unit.objects.values_list("code", flat=True)) == {"hospital-b"}
