"""The clauses no rule can check: a named person attests them, with documents, and the audit carries what they said.

The office's security officer records the leading group (with its founding document) and admits there was no
drill this year; the audit turns both into verdicts for the unit, checks the document against the sha256 attested,
and the inspector's `zicha verify` decides them again from the bundle."""

from __future__ import annotations

import hashlib
import json
import shutil

import yaml

from checker import evidence
from tests.conftest import ROOT, run_zicha
from tests.test_evidence import members, rewrite

FIX = ROOT / "tests" / "fixtures" / "configs"


def estate(tmp):
    snap = tmp / "snap"
    (snap / "configs").mkdir(parents=True)
    shutil.copy(FIX / "huawei_vrp" / "sw-core-compliant.cfg", snap / "configs")
    return snap


def attest(snap, *args):
    return run_zicha("attest", *args, "--file", str(snap / "attestations.yml"))


def audit(snap, out, *extra):
    return run_zicha("audit", "--snapshot", str(snap), "-o", str(out), "-f", "json,junit", *extra)


def manual(out):
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {r["rule"]: r for r in doc["results"] if r["kind"] == "attestation"}


def test_the_officer_attests_and_the_audit_carries_it(tmp_path):
    snap = estate(tmp_path)
    doc = tmp_path / "领导小组文件.pdf"
    doc.write_bytes(b"%PDF-1.4 leading group")
    p = attest(snap, "SECURITY-LEADING-GROUP", "--yes", "--by", "办公室 赵六", "--at", "2026-11-20", "--attach",
               str(doc), "--note", "某教发〔2026〕3号")
    assert p.returncode == 0, p.stderr
    assert "已落实（办公室 赵六 2026-11-20 核验，附材料 1 份）" in p.stdout
    assert (snap / "attachments" / "SECURITY-LEADING-GROUP" / "领导小组文件.pdf").read_bytes() == doc.read_bytes()
    p = attest(snap, "EMERGENCY-DRILL", "--no", "--by", "信息中心 钱七", "--at", "2026-11-21")
    assert p.returncode == 0 and "这是一个问题" in p.stdout
    saved = yaml.safe_load((snap / "attestations.yml").read_text(encoding="utf-8"))["attestations"]
    assert saved["SECURITY-LEADING-GROUP"]["answer"] is True and saved["EMERGENCY-DRILL"]["answer"] is False
    assert saved["SECURITY-LEADING-GROUP"]["attachments"] == [
        {"file": "领导小组文件.pdf", "sha256": hashlib.sha256(doc.read_bytes()).hexdigest()}]
    listed = attest(snap, "--list")
    assert "2/59" in listed.stdout and "未落实（信息中心 钱七" in listed.stdout

    out = tmp_path / "out"
    p = audit(snap, out)
    assert p.returncode == 1, p.stderr  # the drill that did not happen is a finding
    m = manual(out)
    assert m["SECURITY-LEADING-GROUP"]["status"] == "pass"
    assert m["EMERGENCY-DRILL"]["status"] == "fail" and m["EMERGENCY-DRILL"]["severity"] == "medium"
    assert m["SECURITY-BUDGET"]["status"] == "manual"  # nobody attested it: shown, no finding
    assert m["EMERGENCY-DRILL"]["evidence"]["sources"] == [{"fact": "attestation",
                                                            "source": "attestations.yml#EMERGENCY-DRILL"}]
    # the inspector decides them again from the bundle: its attestations, catalog and documents
    [bundle] = out.glob("evidence-*.tar.gz")
    files = members(bundle)
    assert "attachments/SECURITY-LEADING-GROUP/领导小组文件.pdf" in files and "attestations.json" in files
    v = evidence.verify(bundle)
    assert v.result_problems == [] and v.file_problems == []
    # an attestation changed inside the bundle (its hash made to match): the verdict no longer follows from it
    changed = json.loads(files["attestations.json"])
    changed["attestations"]["EMERGENCY-DRILL"]["answer"] = True
    files["attestations.json"] = json.dumps(changed, ensure_ascii=False).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["attestations.json"]["sha256"] = hashlib.sha256(files["attestations.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    rewrite(tmp_path / bundle.name, files)
    v = evidence.verify(tmp_path / bundle.name)
    assert any(p.startswith("@unit / EMERGENCY-DRILL: status fail in the bundle, pass decided again")
               for p in v.result_problems), v.result_problems


def test_a_document_changed_after_it_was_attested_is_an_error(tmp_path):
    snap = estate(tmp_path)
    doc = tmp_path / "培训签到表.txt"
    doc.write_text("签到 20 人", encoding="utf-8")
    assert attest(snap, "SECURITY-TRAINING", "--yes", "--by", "办公室 赵六", "--attach", str(doc)).returncode == 0
    (snap / "attachments" / "SECURITY-TRAINING" / "培训签到表.txt").write_text("签到 2 人", encoding="utf-8")
    out = tmp_path / "out"
    p = audit(snap, out)
    assert p.returncode == 1
    r = manual(out)["SECURITY-TRAINING"]
    assert r["status"] == "error"
    assert r["message"]["zh"] == "材料 attachments/SECURITY-TRAINING/培训签到表.txt 与核验时登记的不一致（sha256 不符）"


def test_a_missing_document_and_a_date_after_the_audit_are_errors(tmp_path):
    snap = estate(tmp_path)
    (snap / "attestations.yml").write_text(yaml.safe_dump({"attestations": {
        "EMERGENCY-PLAN": {"answer": True, "by": "信息中心 钱七", "at": "2026-01-05",
                           "attachments": [{"file": "预案.pdf", "sha256": "0" * 64}]},
        "DUTY-ROSTER": {"answer": True, "by": "信息中心 钱七", "at": "2999-01-01"},
    }}, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert audit(snap, out).returncode == 1
    m = manual(out)
    assert m["EMERGENCY-PLAN"]["status"] == "error" and "attachments/EMERGENCY-PLAN/预案.pdf is missing" in \
        m["EMERGENCY-PLAN"]["message"]["en"]
    assert m["DUTY-ROSTER"]["status"] == "error" and "after the audit" in m["DUTY-ROSTER"]["message"]["en"]


def test_a_gap_attested_yes_is_a_finding_and_no_is_not(tmp_path):
    snap = estate(tmp_path)
    assert attest(snap, "GAP-STAFF-SHORTAGE", "--yes", "--by", "办公室 赵六").returncode == 0
    assert attest(snap, "GAP-LOW-AWARENESS", "--no", "--by", "办公室 赵六").returncode == 0
    out = tmp_path / "out"
    audit(snap, out)
    m = manual(out)
    assert m["GAP-STAFF-SHORTAGE"]["status"] == "fail" and m["GAP-STAFF-SHORTAGE"]["message"]["zh"].startswith("存在该问题")
    assert m["GAP-LOW-AWARENESS"]["status"] == "pass"


def test_only_manual_clauses_are_attested_and_only_with_a_name(tmp_path):
    snap = estate(tmp_path)
    p = attest(snap, "AV-INSTALLED", "--yes", "--by", "办公室 赵六")
    assert p.returncode == 2 and "not a manual clause" in p.stderr
    p = attest(snap, "SECURITY-TRAINING", "--yes")
    assert p.returncode == 2 and "--by" in p.stderr
    (snap / "attestations.yml").write_text("attestations:\n  AV-INSTALLED: {answer: yes, by: 某人, at: '2026-01-01'}\n",
                                           encoding="utf-8")
    p = audit(snap, tmp_path / "out")
    assert p.returncode == 2 and "AV-INSTALLED is checked by rules" in p.stderr


def test_clearing_an_attestation_leaves_the_clause_open(tmp_path):
    snap = estate(tmp_path)
    assert attest(snap, "SECURITY-TRAINING", "--no", "--by", "办公室 赵六").returncode == 0
    p = attest(snap, "SECURITY-TRAINING", "--clear")
    assert p.returncode == 0 and "attestation removed" in p.stdout
    out = tmp_path / "out"
    audit(snap, out)
    assert manual(out)["SECURITY-TRAINING"]["status"] == "manual"
