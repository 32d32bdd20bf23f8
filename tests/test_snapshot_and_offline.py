"""Audits without a connection: configuration backups (--snapshot) and air-gapped hosts (collect / --import)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT, ZICHA, results_of, run_zicha, write_inventory

FIX = ROOT / "tests" / "fixtures" / "configs"


@pytest.fixture
def snapshot(tmp_path):
    """A Batfish-style folder: configs/<device>.cfg for every vendor, with no inventory."""
    d = tmp_path / "snap"
    (d / "configs").mkdir(parents=True)
    for cfg in FIX.glob("*/*.cfg"):
        shutil.copy(cfg, d / "configs" / cfg.name)
    return d


def test_a_folder_of_configurations_audits_without_any_network(tmp_path, snapshot):
    if os.geteuid() != 0:
        pytest.skip("needs root to run in a network namespace of its own")
    out = tmp_path / "out"
    # a fresh network namespace has only a loopback interface: no route to anything
    cmd = f"ip link set lo up && exec {sys.executable} -m checker audit --snapshot {snapshot} -o {out} --lang en"
    p = subprocess.run(["unshare", "--net", "sh", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    doc = json.loads((out / "results.json").read_text())
    assert sorted(doc["run"]["hosts_attempted"]) == sorted(c.stem for c in FIX.glob("*/*.cfg"))
    r = results_of(out)
    assert r[("sw-floor3-noncompliant", "NO-WEAK-PASSWORD")]["status"] == "fail"
    assert r[("sw-office-compliant", "NO-WEAK-PASSWORD")]["status"] == "pass"
    assert r[("fw-secpath-v5-noncompliant", "NO-WEAK-PASSWORD")]["status"] == "fail"
    ev = r[("sw-floor3-noncompliant", "NO-WEAK-PASSWORD")]["evidence"]
    assert ev["gather"]["method"] == "snapshot" and ev["sources"] == [{"fact": "users", "source": "configs/sw-floor3-noncompliant.cfg"}]
    facts = json.loads((out / "facts" / "fw-boundary-noncompliant.json").read_text())
    assert facts["platform"] == "huawei_usg" and facts["facts"]["firewall"]["value"]["default_action"] == "permit"
    assert not (out / "ansible").exists()  # nothing was gathered


def test_the_snapshot_inventory_names_roles_and_zones(tmp_path, snapshot):
    (snapshot / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {
        "sw-core-compliant": {"zicha_role": "switch", "zicha_zone": "office"},
        "missing-switch": {"zicha_role": "switch", "zicha_platform": "cisco_ios"},
    }}}))
    out = tmp_path / "out"
    p = run_zicha("audit", "--snapshot", str(snapshot), "-o", str(out), "--lang", "en")
    assert p.returncode == 1, p.stderr
    r = results_of(out)
    assert "configs/missing-switch.cfg is missing" in r[("missing-switch", "NO-WEAK-PASSWORD")]["message"]["en"]
    doc = json.loads((out / "facts" / "sw-core-compliant.json").read_text())
    assert doc["platform"] == "huawei_vrp"  # detected: the inventory did not say


def test_timings_name_every_stage_and_results_keep_them(tmp_path, snapshot):
    """`--timings`: the seconds of each stage printed (the bundle and each format too), the decision stages kept in
    results.json; each is a duration, and together they fit in the run."""
    out = tmp_path / "out"
    p = run_zicha("audit", "--snapshot", str(snapshot), "-o", str(out), "--lang", "en", "--format", "json,junit",
                  "--timings")
    assert p.returncode == 1, p.stderr
    [line] = [x for x in p.stdout.splitlines() if x.startswith("timings: ")]
    printed = dict((k, float(v)) for k, v in re.findall(r"([\w:]+) ([0-9.]+) s", line))
    assert list(printed)[:5] == ["setup", "gather", "normalize", "decide", "post"]
    assert {"bundle", "write:json", "write:junit"} <= set(printed)
    kept = json.loads((out / "results.json").read_text())["run"]["timings"]
    assert list(kept) == ["setup", "gather", "normalize", "decide", "post"]
    assert all(v >= 0 for v in kept.values()) and kept["decide"] > 0
    assert 0 < sum(kept.values()) < 300
    quiet = run_zicha("audit", "--snapshot", str(snapshot), "-o", str(tmp_path / "quiet"), "--lang", "en",
                      "--format", "json")
    assert "timings: " not in quiet.stdout


def test_a_configuration_in_an_unknown_language_is_an_error(tmp_path):
    d = tmp_path / "snap"
    (d / "configs").mkdir(parents=True)
    (d / "configs" / "router.cfg").write_text("set system host-name r1\nset interfaces ge-0/0/0 unit 0\n")
    out = tmp_path / "out"
    run_zicha("audit", "--snapshot", str(d), "-o", str(out), "--lang", "en")
    assert all(v["status"] == "error" and "not in a language zicha reads" in v["message"]["en"]
               for v in results_of(out).values())


@pytest.fixture
def collector_key(tmp_path):
    """The collector's key pair (zicha keygen): the private half signs on the air-gapped host."""
    keys = tmp_path / "collector-keys"
    assert run_zicha("keygen", "--out", str(keys), "--name", "collector").returncode == 0
    return keys / "collector.key"


@pytest.fixture
def collected(tmp_path, collector_key):
    """`zicha collect` on this machine, as on an air-gapped classified terminal."""
    f = tmp_path / "import" / "pc-secret-9.json"
    f.parent.mkdir()
    p = subprocess.run([*ZICHA, "collect", "--out", str(f), "--host", "pc-secret-9", "--zone", "classified",
                        "--classified", "--internet-probe", "127.0.0.1:9", "--sign-key", str(collector_key)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return f


def audit_import(tmp_path, folder, *extra):
    (tmp_path / "estate").mkdir(exist_ok=True)  # no collector-keys/ beside this inventory
    inv = write_inventory(tmp_path / "estate" / "inv.yml", {"pc-secret-9": {"zicha_role": "terminal", "zicha_classified": True,
                                                                  "zicha_gather": "import"}})
    out = tmp_path / "out"
    p = run_zicha("audit", "-i", str(inv), "--import", str(folder), "-o", str(out), "--lang", "en",
                  "--no-bundle", "-f", "json", *extra)
    return p, out


def test_collected_facts_carry_their_hash_collector_and_time(collected):
    doc = json.loads(collected.read_text())
    assert doc["schema"] == "zicha.collected/v1" and len(doc["sha256"]) == 64
    assert doc["collector"]["user"] and doc["collector"]["hostname"] and doc["collected_at"].endswith("Z")
    assert doc["attributes"] == {"zicha_role": "terminal", "zicha_classified": True, "zicha_zone": "classified"}


def test_imported_facts_are_evaluated_beside_gathered_ones(tmp_path, collected):
    inv = write_inventory(tmp_path / "inv.yml", {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "zicha_role": "server", "zicha_zone": "office"}})
    out = tmp_path / "out"
    run_zicha("audit", "-i", str(inv), "--import", str(collected.parent), "-o", str(out), "--lang", "en",
              "--collector-key", str(tmp_path / "collector-keys"))
    r = results_of(out)
    assert {h for h, _ in r} == {"localhost", "pc-secret-9"}
    v = r[("pc-secret-9", "CLASSIFIED-OFFLINE")]
    # 127.0.0.1:9 stands for the internet here, and the kernel answers it: the terminal is not offline
    assert v["status"] == "fail" and "reached internet address 127.0.0.1:9 (refused)" in v["message"]["en"]
    assert v["evidence"]["gather"]["method"] == "import"


def test_collect_refuses_to_write_an_unsigned_file(tmp_path):
    p = run_zicha("collect", "--out", str(tmp_path / "f.json"))
    assert p.returncode == 2 and "--sign-key" in p.stderr and not (tmp_path / "f.json").exists()


def test_a_host_expected_offline_without_its_file_is_reported(tmp_path):
    inv = write_inventory(tmp_path / "inv.yml", {"pc-secret-8": {"zicha_role": "terminal", "zicha_gather": "import"}})
    out = tmp_path / "out"
    run_zicha("audit", "-i", str(inv), "-o", str(out), "--lang", "en")
    assert all("no collected file for it was imported" in v["message"]["en"] for v in results_of(out).values())


@pytest.mark.parametrize("text", [
    "show running-config\n             ^\n% Invalid input detected at '^' marker.\n",  # saved as the backup
    (FIX / "huawei_vrp" / "sw-floor3-noncompliant.cfg").read_text(encoding="utf-8"),  # another vendor's
])
def test_a_backup_that_is_not_the_declared_platforms_configuration_is_all_errors(tmp_path, text):
    from checker import snapshot
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

    d = tmp_path / "snap"
    (d / "configs").mkdir(parents=True)
    (d / "configs" / "sw-edge.cfg").write_text(text)
    (d / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {
        "sw-edge": {"zicha_role": "switch", "zicha_platform": "cisco_ios"}}}}))
    _, outcomes = snapshot.load(d, Judge(lambda user: []))
    facts = outcomes["sw-edge"].raw["facts"]
    assert facts and all("error" in v and "value" not in v for v in facts.values())
