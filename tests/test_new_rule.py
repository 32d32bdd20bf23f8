"""`make new-rule` scaffolds a rule that starts from a passing skeleton: its folder, its test with a pass, a
fail, a not-applicable and a missing-fact case, and its clause in the catalog. Tried on a copy of policies/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.conftest import ROOT

OPA = str(ROOT / ".tools" / "bin" / "opa")


def test_a_scaffolded_rule_passes_its_own_tests_and_the_catalog_checks(tmp_path):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    p = subprocess.run([sys.executable, "scripts/new_rule.py", "WIFI-OFF", "WIRELESS-OFF", "wireless", "--domain",
                        "access", "--root", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    rule = tmp_path / "policies" / "rules" / "wifi_off"
    assert (rule / "wifi_off.rego").is_file() and (rule / "wifi_off_test.rego").is_file()
    subprocess.run([OPA, "fmt", "--write", str(rule)], check=True)
    # the catalog gained the clause, and still reads
    from checker import catalog

    clauses = catalog.load(tmp_path / "policies" / "clauses.yaml")
    assert clauses["WIRELESS-OFF"].status == "automated" and clauses["WIRELESS-OFF"].domain == "access"
    data = tmp_path / "data.json"
    subprocess.run([sys.executable, "scripts/rego_test_data.py", str(data)], cwd=ROOT, check=True)
    doc = json.loads(data.read_text())
    doc["zicha"]["catalog"]["WIRELESS-OFF"] = {"gbt22239": [], "law": []}
    data.write_text(json.dumps(doc))
    check = subprocess.run([OPA, "check", "--strict", str(tmp_path / "policies")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    t = subprocess.run([OPA, "test", str(tmp_path / "policies"), str(data), "--run", "wifi_off", "-v"],
                       capture_output=True, text=True)
    assert t.returncode == 0, t.stdout + t.stderr
    assert "PASS: 5/5" in t.stdout  # pass, fail, not applicable, two missing-fact cases
    # nothing is overwritten
    again = subprocess.run([sys.executable, "scripts/new_rule.py", "WIFI-OFF", "WIRELESS-OFF", "--root",
                            str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 2 and "exists" in again.stderr
