"""The worker verifies each bundle as `zicha verify` would, in a limited child process, against the key of the unit
that sent it. A genuine bundle is accepted with the verdicts of its own report; a tampered one, one signed with
another unit's key, a gzip bomb and one that takes too long are each kept, quarantined, with the reason."""

from __future__ import annotations

import dataclasses
import json
import gzip
import io
import tarfile
from pathlib import Path

import pytest

from checker import evidence
from checker.portal import worker
from checker.portal.models import ClauseVerdict, Event, HostResult, Submission
from tests.portal.helpers import members, receive, register, tampered

pytestmark = pytest.mark.django_db


def test_a_genuine_bundle_is_accepted_with_the_verdicts_of_its_own_report(bundles):
    unit = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    sub = receive(bundles.a1, unit)
    assert sub.state == Submission.RECEIVED
    assert worker.run(once=True) == 1
    sub.refresh_from_db()
    assert sub.state == Submission.ACCEPTED, sub.reason
    assert "【通过】" in sub.verdict["zh"] and "PASSED" in sub.verdict["en"]
    report, _ = evidence.load_report(bundles.a1)
    # the clause verdicts the unit's own results.json carries, host counts and all
    own = {cid: c for cid, c in json.loads(members(bundles.a1)["results.json"])["clauses"].items()
           if c["kind"] == "automated"}
    stored = {v.clause: v for v in ClauseVerdict.objects.filter(submission=sub)}
    assert set(stored) == set(own) and {"fail", "partial"} & {v.verdict for v in stored.values()}
    for cid, c in own.items():
        v = stored[cid]
        assert (v.verdict, v.n_pass, v.n_fail, v.n_error, v.n_waived) == \
            (c["verdict"], c["hosts"]["pass"], c["hosts"]["fail"], c["hosts"]["error"], c["hosts"]["waived"]), cid
    assert HostResult.objects.filter(submission=sub).count() == len(report.results)
    assert sub.run_unit == "第一中学" and sub.host_count == 3 and sub.run_started_at is not None
    weak = HostResult.objects.get(submission=sub, host="sw-floor3", rule="NO-WEAK-PASSWORD")
    assert weak.status == "fail" and weak.evidence["sources"]  # the evidence came along
    assert "NO-WEAK-PASSWORD" in sub.critical and sub.critical["NO-WEAK-PASSWORD"]["fail"] >= 1
    assert Event.objects.filter(submission=sub, action="accepted").exists()


def test_a_bundle_altered_after_signing_is_quarantined_naming_the_file(bundles, tmp_path):
    unit = register("hospital-b", "人民医院", bundles.keys["hospital-b"].pub)  # an SM2 key
    bad, victim = tampered(bundles.b, tmp_path / "evidence-b.tar.gz")
    sub = receive(bad, unit)
    worker.run(once=True)
    sub.refresh_from_db()
    assert sub.state == Submission.QUARANTINED
    assert "证据包内容与其清单不符" in sub.reason and "results.json" in sub.reason
    assert "results.json: sha256 differs from the manifest" in sub.problems
    assert sub.signature == "valid"  # the manifest itself is the unit's: only its contents were changed
    assert not ClauseVerdict.objects.filter(submission=sub).exists()
    assert not HostResult.objects.filter(submission=sub).exists()
    assert sub.path.read_bytes() == bad.read_bytes()  # kept as it came, for the record
    # and deciding again names the verdict that was changed
    assert f"{victim['host']} / {victim['rule']}: status pass in the bundle, fail decided again" in sub.problems


def test_a_bundle_signed_with_another_unit_s_key_is_quarantined(bundles):
    register("school-a", "第一中学", bundles.keys["school-a"].pub)
    unit_c = register("bureau-c", "区档案馆", bundles.keys["bureau-c"].pub)
    sub = receive(bundles.c_wrong_key, unit_c)
    worker.run(once=True)
    sub.refresh_from_db()
    assert sub.state == Submission.QUARANTINED
    assert "签名与本单位登记的公钥不符" in sub.reason
    assert "school-a" in sub.reason  # the key the manifest names belongs to another registered unit
    assert "签名无效" in sub.verdict["zh"]


def _bomb(path, size, members=1):
    class Zeros(io.RawIOBase):
        def __init__(self, n):
            self.n = n

        def readable(self):
            return True

        def readinto(self, b):
            k = min(len(b), self.n)
            b[:k] = bytes(k)
            self.n -= k
            return k

    with gzip.open(path, "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for i in range(members):
            info = tarfile.TarInfo(f"facts/host-{i}.json")
            info.size = size
            tar.addfile(info, io.BufferedReader(Zeros(size), 1 << 20))
    return path


def test_a_gzip_bomb_runs_the_verifier_out_of_memory_not_the_portal(bundles, tmp_path, settings):
    """A 6 MB upload that unpacks to 1.2 GiB in members each under the bundle reader's own size limits: the
    verifier hits its address-space limit and the bundle is quarantined with that reason."""
    settings.LIMITS = dataclasses.replace(settings.LIMITS, verify_memory=512 * 2**20)
    unit = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    bomb = _bomb(tmp_path / "evidence-bomb.tar.gz", 200 * 2**20, members=6)
    assert bomb.stat().st_size < 8 * 2**20
    sub = receive(bomb, unit)
    worker.run(once=True)
    sub.refresh_from_db()
    assert sub.state == Submission.QUARANTINED
    assert "核验超出内存限制" in sub.reason and "512 MiB" in sub.reason


def _sleepers(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().split(b"\0")[:2] == [b"sleep", marker.encode()]:
                found.append(int(proc.name))
        except OSError:
            pass
    return found


def test_a_verification_that_takes_too_long_is_stopped(bundles, settings, tmp_path, monkeypatch):
    """The verifier's OPA starts but never answers (a hung server, not a fast one: a genuine bundle verifies in
    about two seconds, which no time limit can tell apart from slow). The worker stops the verifier at the limit,
    takes its OPA along, and quarantines the bundle with the reason."""
    from checker.evaluate import opa_binary

    marker = "617"
    hung = tmp_path / "hung-opa"
    hung.write_text(f'#!/bin/sh\ncase "$1" in version) exec {opa_binary()} version;; esac\nexec sleep {marker}\n')
    hung.chmod(0o755)
    monkeypatch.setenv("ZICHA_OPA_BIN", str(hung))
    settings.LIMITS = dataclasses.replace(settings.LIMITS, verify_seconds=2)
    unit = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    sub = receive(bundles.a1, unit)
    worker.run(once=True)
    sub.refresh_from_db()
    assert sub.state == Submission.QUARANTINED, sub.reason
    assert "核验超时" in sub.reason and "2 秒" in sub.reason
    assert _sleepers(marker) == []


def test_a_bundle_a_dead_worker_held_is_taken_again_then_given_up(bundles, settings):
    """The database is the queue: a claim holds a lease; when it runs out another worker takes the bundle; after
    three tries it is quarantined rather than retried for ever."""
    import datetime as dt

    from django.utils import timezone

    unit = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    sub = receive(bundles.a1, unit)
    first = worker.claim("host:1", settings.LIMITS)
    assert first.pk == sub.pk and first.state == Submission.VERIFYING and first.attempts == 1
    assert worker.claim("host:2", settings.LIMITS) is None  # held
    Submission.objects.filter(pk=sub.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    again = worker.claim("host:2", settings.LIMITS)
    assert again.pk == sub.pk and again.attempts == 2 and again.worker == "host:2"
    Submission.objects.filter(pk=sub.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1), attempts=3)
    last = worker.claim("host:3", settings.LIMITS)
    worker.process(last, settings.LIMITS)
    sub.refresh_from_db()
    assert sub.state == Submission.QUARANTINED and "3 次均未完成" in sub.reason


def test_a_stopped_worker_gives_its_bundle_back(bundles, settings):
    unit = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    sub = receive(bundles.a1, unit)
    claimed = worker.claim("host:1", settings.LIMITS)
    worker.release(claimed)
    sub.refresh_from_db()
    assert sub.state == Submission.RECEIVED and sub.attempts == 0 and sub.lease_until is None


def test_a_bundle_decided_by_the_unit_s_own_edited_rules_is_quarantined_even_when_signed(bundles, tmp_path):
    """The unit edits a rule, rebuilds the manifest and signs it with its own registered key: the signature holds,
    but the portal decides with its own policies and names the file that differs."""
    import hashlib
    import json

    from checker import signing
    from tests.portal.helpers import members, rewrite

    unit = register("school-a", "第一中学", bundles.keys["school-a"].pub)
    files = members(bundles.a1)
    victim = next(n for n in sorted(files) if n.startswith("policies/rules/") and "weak" in n.lower())
    files[victim] += "\n# 本单位自行修改的规则\n".encode()
    manifest = json.loads(files.pop("manifest.json"))
    files.pop("manifest.sig")
    manifest["files"][victim] = {"sha256": hashlib.sha256(files[victim]).hexdigest(), "size": len(files[victim])}
    manifest["policy_digest"] = evidence.policy_digest({n: b for n, b in files.items() if n.startswith("policies/")})
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    files["manifest.json"] = data
    files["manifest.sig"] = signing.load_signer(bundles.keys["school-a"].key).sign(data)
    sub = receive(rewrite(tmp_path / "evidence-edited.tar.gz", files), unit)
    worker.run(once=True)
    sub.refresh_from_db()
    assert sub.state == Submission.QUARANTINED and sub.signature == "valid"
    assert "所用策略与本平台的策略不同" in sub.reason and victim in sub.reason
    assert f"{victim}: differs from the portal's policies" in sub.problems
    assert any("本单位自行修改的规则" in line for line in sub.details["policy_diff"])
