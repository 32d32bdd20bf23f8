"""Waivers: a recorded decision turns a failure into `waived`, visibly, until it expires."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from tests.conftest import ROOT, results_of, run_zicha

FIX = ROOT / "tests" / "fixtures" / "configs"


@pytest.fixture
def snapshot(tmp_path):
    d = tmp_path / "snap"
    (d / "configs").mkdir(parents=True)
    for name in ("huawei_vrp/sw-floor3-noncompliant.cfg", "cisco_ios/sw-access-noncompliant.cfg"):
        shutil.copy(FIX / name, d / "configs")
    return d


def waivers(path, *items):
    path.write_text(yaml.safe_dump({"waivers": list(items)}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_waived_failure_stays_visible_with_its_waiver(tmp_path, snapshot):
    w = waivers(tmp_path / "w.yml",
                {"rule": "NO-WEAK-PASSWORD", "hosts": "sw-floor3-*", "reason": "交换机年底下线，已断开管理口",
                 "approver": "信息中心 王主任", "expires": "2099-12-31"},
                {"rule": "NO-WEAK-PASSWORD", "hosts": "sw-access-*", "reason": "已整改待复查",
                 "approver": "信息中心 王主任", "expires": "2020-01-01"})
    out = tmp_path / "out"
    p = run_zicha("audit", "--snapshot", str(snapshot), "--waivers", str(w), "-o", str(out))
    assert p.returncode == 1, p.stderr
    r = results_of(out)
    waived = r[("sw-floor3-noncompliant", "NO-WEAK-PASSWORD")]
    assert waived["status"] == "waived"
    assert waived["waiver"]["approver"] == "信息中心 王主任" and waived["waiver"]["status_waived"] == "fail"
    assert "（豁免：" in p.stdout and "已豁免" in p.stdout  # the table wraps long text
    lapsed = r[("sw-access-noncompliant", "NO-WEAK-PASSWORD")]
    assert lapsed["status"] == "fail" and lapsed["waiver"]["expired"] is True
    assert "豁免已于 2020-01-01 过期" in lapsed["message"]["zh"]
    junit = (out / "junit.xml").read_text(encoding="utf-8")
    assert 'skipped message="waived:' in junit


def test_waivers_beside_the_inventory_are_found(tmp_path, snapshot):
    waivers(snapshot / "waivers.yml", {"rule": "PASSWORD-STORAGE", "hosts": "*", "reason": "设备即将替换",
                                       "approver": "李科长", "expires": "2099-01-01"})
    out = tmp_path / "out"
    run_zicha("audit", "--snapshot", str(snapshot), "-o", str(out))
    assert {v["status"] for (h, rule), v in results_of(out).items() if rule == "PASSWORD-STORAGE"} == {"waived"}


@pytest.mark.parametrize("item, message", [
    ({"rule": "NO-SUCH-RULE", "hosts": "*", "reason": "whatever", "approver": "me", "expires": "2099-01-01"},
     "no rule NO-SUCH-RULE"),
    ({"rule": "NO-WEAK-PASSWORD", "hosts": "*", "reason": "whatever", "approver": "me"},
     "'expires' is a required property"),
    ({"rule": "NO-WEAK-PASSWORD", "hosts": "*", "reason": "whatever", "approver": "me", "expires": "2099-02-30"},
     "is not a date"),
])
def test_a_broken_waivers_file_stops_the_run(tmp_path, snapshot, item, message):
    w = waivers(tmp_path / "w.yml", item)
    p = run_zicha("audit", "--snapshot", str(snapshot), "--waivers", str(w), "-o", str(tmp_path / "out"))
    assert p.returncode == 2 and message in p.stderr, p.stderr
