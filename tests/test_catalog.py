"""The clause catalog and the rules agree: one source of truth each way, every quote from its report."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from checker import catalog, rules
from tests.conftest import ROOT

REPORTS = ROOT / "docs" / "source-reports" / "self-inspection-reports.zh.txt"
DOC = yaml.safe_load((ROOT / "policies" / "clauses.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded_rules():
    return rules.load()


def report_spans() -> dict[str, str]:
    """Report id (P1…P18) → its text, cut at the next 篇 heading."""
    text = REPORTS.read_text(encoding="utf-8")
    marks = [(int(m.group(1)), m.start()) for m in re.finditer(r"虚拟自查报告 篇(\d+)", text)]
    spans = {}
    for i, (n, start) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else len(text)
        spans[f"P{n}"] = text[start:end]
    return spans


def test_clause_ids_are_stable_and_unique():
    ids = [c["id"] for c in DOC["clauses"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", i) for i in ids)


def test_every_clause_is_automated_or_manual_with_what_each_needs():
    for c in DOC["clauses"]:
        assert c["status"] in ("automated", "manual"), c["id"]
        assert c["zh"] and c["en"], c["id"]
        if c["status"] == "manual":
            assert c.get("attestation"), f"{c['id']}: a manual clause needs an attestation field"
        else:
            assert c.get("attestation") is None, c["id"]
        assert c["sources"] or c.get("basis"), f"{c['id']}: no report states it and no basis is given"


def test_every_quote_is_verbatim_in_its_own_report():
    spans = report_spans()
    reports = {r["id"]: r for r in DOC["reports"]}
    assert len(spans) == 18
    for c in DOC["clauses"]:
        for s in c["sources"]:
            assert reports[s["report"]]["in_scope"], (c["id"], s["report"])
            span = spans[s["report"]]
            assert s["quote"] in span, (c["id"], s["report"], s["quote"])
            assert span.index(s["heading"]) <= span.index(s["quote"]), (c["id"], s["heading"])


def test_every_clause_a_rule_names_exists(loaded_rules):
    clauses = catalog.load()
    for r in loaded_rules:
        assert r.clauses, r.id
        for c in r.clauses:
            assert c in clauses, f"{r.id} names clause {c}, which the catalog does not have"
            assert clauses[c].status == "automated", f"{r.id} proves {c}, a manual clause"


def test_every_automated_clause_has_a_rule(loaded_rules):
    proved = {c for r in loaded_rules for c in r.clauses}
    automated = {c.id for c in catalog.load().values() if c.status == "automated"}
    assert automated - proved == set()


def test_at_least_the_rules_the_issue_named(loaded_rules):
    ids = {r.id for r in loaded_rules}
    assert len(ids) >= 24
    assert {"CLASSIFIED-OFFLINE", "BOUNDARY-FIREWALL", "BACKUP-MONTHLY", "NO-WEAK-PASSWORD", "NO-SHARED-PASSWORD",
            "PASSWORD-POLICY", "PASSWORD-STORAGE", "REMOTE-MGMT-ENCRYPTED", "SNMP-NO-DEFAULT-COMMUNITY",
            "NO-BOUNDARY-PORT-MAPPING", "FIREWALL-DEFAULT-DENY", "FIREWALL-NO-ANY-ANY", "ANTIVIRUS-UPDATED",
            "PATCHES-CURRENT", "USB-STORAGE-CONTROLLED", "LOG-RETENTION", "AUDIT-LOGGING", "SYSLOG-CENTRAL",
            "SWITCH-PORT-BINDING", "STATIC-IP", "UNKNOWN-DEVICE", "DEFAULT-ACCOUNTS", "UNNEEDED-SERVICES",
            "SCREEN-LOCK", "TIME-SYNC"} <= ids


def test_every_rule_sits_in_its_folder_beside_its_test(loaded_rules):
    for r in loaded_rules:
        folder = ROOT / "policies" / "rules" / r.package
        assert r.id.lower().replace("-", "_") == r.package, r.id
        assert (folder / f"{r.package}.rego").is_file() and (folder / f"{r.package}_test.rego").is_file(), r.id
        meta = r.__dict__
        for lang in ("zh", "en"):
            assert meta["title"][lang] and meta["remediation"][lang] and meta["applies_to"][lang], (r.id, lang)
        assert meta["severity"] in ("critical", "high", "medium", "low") and meta["gbt22239"], r.id


def test_no_rule_keeps_its_own_copy_of_the_standard_or_the_law(loaded_rules):
    """GB/T 22239 items and laws live in the clause catalog only; a rule names clauses, and result.info() joins
    them: a rule's items are exactly those of its clauses."""
    import yaml

    from checker import catalog

    clauses = catalog.load()
    for r in loaded_rules:
        text = (ROOT / "policies" / "rules" / r.package / f"{r.package}.rego").read_text(encoding="utf-8")
        block = "\n".join(ln[2:] for ln in text.split("package ", 1)[0].splitlines()[1:] if ln.startswith("# "))
        custom = yaml.safe_load(block)["custom"]
        assert not {"gbt22239", "law", "laws", "gbt"} & set(custom), r.id
        expected = []
        for c in r.clauses:
            expected += [i for i in clauses[c].items if i not in expected]
        assert r.gbt22239 == expected and r.gbt22239, r.id


def test_the_readme_table_of_rules_is_current():
    p = subprocess.run([sys.executable, "scripts/readme_rules.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_zicha_rules_lists_them(loaded_rules):
    p = subprocess.run([sys.executable, "-m", "checker", "rules", "--format", "json"], cwd=ROOT, capture_output=True,
                       text=True)
    import json

    listed = json.loads(p.stdout)
    assert [r["id"] for r in listed] == [r.id for r in loaded_rules]
    assert all({"id", "severity", "title", "clauses", "gbt22239"} <= set(r) for r in listed)
