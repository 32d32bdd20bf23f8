"""Thirty-odd whole device configurations, as firmware prints them, judged the way a new user would audit them.

tests/fixtures/devices/ is a snapshot folder (configs/, mac-tables/, inventory.yml) of configurations written in
each firmware's own syntax, with the noise real captures carry: prompts and command echoes, pager remnants
(`---- More ----` erased with ESC[42D, `--More--` erased with backspaces, the same with the ESC byte lost),
timestamps, `Building configuration...`, banners that hold text looking like commands, CRLF, UTF-16 and GB18030
files. Each has an expected-verdicts file, judged by hand, beside it (expected/<device>.yml). What each was
modelled on is in tests/fixtures/devices/SOURCES.md.

One audit of the whole folder (the real CLI path: snapshot → facts → a real OPA) decides every rule for every
device; each verdict must be the expected one, and first of all no verdict may be a pass where the expected
one is a fail or an error.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from checker import audit
from tests.conftest import results_of, run_zicha

CORPUS = Path(__file__).parent / "fixtures" / "devices"


def expected() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "expected").glob("*.yml"))}


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "out"
    done = audit.run(audit.AuditOptions(inventory=CORPUS / "inventory.yml", out_dir=out, snapshot=CORPUS))
    results = {(r.host, r.rule): r for r in done.report.results}
    hosts = {h["name"]: h for h in done.report.run.hosts}
    return results, hosts


def test_the_corpus_spans_every_firmware_family():
    exp = expected()
    configs = {p.stem for p in (CORPUS / "configs").iterdir()}
    assert len(configs) >= 30 and configs == set(exp), configs ^ set(exp)
    versions = {name: (CORPUS / "configs" / f"{name}.cfg").read_bytes() for name in configs}
    families = {
        "VRP V100": r"V100R\d{3}", "VRP V200": r"V200R0(0|1)\d", "VRP8": r"!Last configuration was updated",
        "USG6000": r"USG6\d{3}", "Comware 5": r"version 5\.20", "Comware 7": r"version 7\.1\.",
        "IOS 12": r"version 12\.", "IOS 15": r"version 15\.", "IOS-XE": r"version 1[67]\.",
    }
    for family, pattern in families.items():
        hits = [n for n, raw in versions.items() if re.search(pattern, _text(raw))]
        assert hits, f"no configuration of {family} in the corpus"


def _text(raw: bytes) -> str:
    from checker.snapshot import decode

    return decode(raw)


def test_no_false_pass(judged):
    """The one thing that must not happen: a pass where the configuration fails or cannot be judged."""
    results, _ = judged
    false = [f"{host} {rule}: expected {want}, got pass ({results[(host, rule)].message['en'][:120]})"
             for host, exp in expected().items() for rule, want in exp["verdicts"].items()
             if want in ("fail", "error") and results[(host, rule)].status == "pass"]
    assert not false, "\n".join(false)


def test_every_verdict_is_the_expected_one(judged):
    results, _ = judged
    wrong = []
    for host, exp in expected().items():
        for (h, rule), r in results.items():
            if h != host:
                continue
            want = exp["verdicts"].get(rule, "not_applicable")
            if r.status != want:
                wrong.append(f"{host} {rule}: expected {want}, got {r.status}: {r.message['en'][:160]}")
    assert not wrong, "\n".join(wrong)


def test_each_verdict_says_why(judged):
    results, _ = judged
    for host, exp in expected().items():
        for rule, fragment in (exp.get("messages") or {}).items():
            assert fragment in results[(host, rule)].message["en"], (host, rule, results[(host, rule)].message["en"])


def test_vendor_and_role_are_identified(judged):
    """Read from the configuration where the inventory does not say, and printed with where they came from."""
    _, hosts = judged
    for host, exp in expected().items():
        ident = hosts[host]["identity"]
        assert (ident["platform"], ident["role"]) == (exp["platform"], exp["role"]), (host, ident)


def test_a_snapshot_with_mac_tables_exits_0_where_everything_complies(tmp_path):
    snap = tmp_path / "snap"
    (snap / "configs").mkdir(parents=True)
    (snap / "mac-tables").mkdir()
    compliant = ["c3750x-ios15-finance", "h3c-s5130-v7-6f", "h3c-f1060-v7-secpol", "isr4321-iosxe16-zbf"]
    for name in compliant:
        shutil.copy(CORPUS / "configs" / f"{name}.cfg", snap / "configs")
        mac = CORPUS / "mac-tables" / f"{name}.txt"
        if mac.exists():
            shutil.copy(mac, snap / "mac-tables")
    inv = yaml.safe_load((CORPUS / "inventory.yml").read_text(encoding="utf-8"))
    inv["all"]["hosts"] = {"isr4321-iosxe16-zbf": {"zicha_role": "firewall"}}
    (snap / "inventory.yml").write_text(yaml.safe_dump(inv), encoding="utf-8")
    out = tmp_path / "out"
    p = run_zicha("audit", "--snapshot", str(snap), "-o", str(out), "--lang", "en")
    r = results_of(out)
    assert p.returncode == 0, [f"{k}: {v['status']} {v['message']['en'][:100]}" for k, v in r.items()
                               if v["status"] in ("fail", "error")]
    assert {h for h, _ in r} == set(compliant)
    # the identities come first, each with where it came from
    head = p.stdout.split("Self-inspection results")[0]
    assert "Snapshot devices" in head and "h3c-s5130-v7-6f" in head and "guessed: 26 switch ports" in head
    assert "firewall (inventory)" in head
    rows = {line.split()[0]: line for line in head.splitlines() if line.split()[:1] and line.split()[0] in compliant}
    assert set(rows) == set(compliant)
    assert "Version (from the configuration)" in head
    for name, line in rows.items():  # the vendor with where it came from, and the version the configuration states
        assert "(detected)" in line or "(inventory)" in line, line
        assert re.search(r"\)\s{2,}\d", line), line
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    unknown = [x for x in doc["results"] if x["host"] == "c3750x-ios15-finance" and x["rule"] == "UNKNOWN-DEVICE"][0]
    assert unknown["status"] == "pass" and unknown["evidence"]["sources"] == [
        {"fact": "interfaces", "source": "configs/c3750x-ios15-finance.cfg"},
        {"fact": "mac_table", "source": "mac-tables/c3750x-ios15-finance.txt"}]
