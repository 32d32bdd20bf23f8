"""The ops team audits this machine with `zicha audit`: real Ansible, a real OPA server, real restic."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import local_host, needs, results_of, run_zicha, write_inventory

pytestmark = pytest.mark.integration


def this_machine_topology() -> tuple[dict, list[str]]:
    """Zones and a 'firewall' that describe this machine's real network: all its subnets are one office
    zone, and its real default gateway is declared as the office firewall."""
    addrs = json.loads(subprocess.run(["ip", "-j", "addr"], capture_output=True, text=True, check=True).stdout)
    subnets = sorted({str(ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}").network)
                      for i in addrs for a in i.get("addr_info", [])
                      if not ipaddress.ip_address(a["local"]).is_loopback
                      and not ipaddress.ip_address(a["local"]).is_link_local})
    routes = json.loads(subprocess.run(["ip", "-j", "route", "show", "table", "all"], capture_output=True,
                                       text=True, check=True).stdout)
    gateways = sorted({r["gateway"] for r in routes if r.get("gateway")})
    return {"office": {"subnets": subnets, "trust": 3}}, gateways


@pytest.fixture
def finance_data(tmp_path):
    """A restic repository of 'finance' data whose only backup is three months old."""
    needs("restic")
    data = tmp_path / "finance"
    data.mkdir()
    (data / "ledger.csv").write_text("2026-11,收入,100\n", encoding="utf-8")
    pw = tmp_path / "restic.pass"
    pw.write_text("correct horse battery staple\n")
    repo = tmp_path / "repo"
    env = {"RESTIC_PASSWORD_FILE": str(pw), "RESTIC_REPOSITORY": str(repo), "RESTIC_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run(["restic", "init"], env=env, check=True, capture_output=True)
    old = (dt.datetime.now() - dt.timedelta(days=90)).strftime("%Y-%m-%d %H:%M:%S")
    subprocess.run(["restic", "backup", "--time", old, "--host", "localhost", str(data)], env=env, check=True,
                   capture_output=True)
    return {"repo": repo, "password_file": pw, "env": env, "data": data, "log": tmp_path / "restore-tests.jsonl"}


def test_an_old_backup_fails_and_a_fresh_backup_with_a_restore_test_passes(tmp_path, finance_data):
    zones, gateways = this_machine_topology()
    hosts = {
        "localhost": local_host(
            zicha_backup_required=True,
            zicha_backup_repos=[{"tool": "restic", "repo": str(finance_data["repo"]),
                                 "password_file": str(finance_data["password_file"])}],
            zicha_restore_log=str(finance_data["log"]),
            zicha_internet_probes=[],  # not classified: nothing to probe
        ),
        "gw": {"zicha_role": "firewall", "zicha_platform": "huawei_usg", "zicha_addresses": gateways},
    }
    inv = write_inventory(tmp_path / "inventory.yml", hosts, {"zicha_zones": zones})

    out1 = tmp_path / "run1"
    p = run_zicha("audit", "-i", str(inv), "-o", str(out1), "--limit", "localhost")
    assert p.returncode == 1, p.stderr
    r = results_of(out1)[("localhost", "BACKUP-MONTHLY")]
    assert r["status"] == "fail"
    assert "more than 31" in r["message"]["en"] and "超过 31 天" in r["message"]["zh"]
    assert "no successful restore test recorded" in r["message"]["en"]
    assert r["evidence"]["observed"]["repositories"][0]["snapshots"] == 1
    assert any("restic" in s["source"] for s in r["evidence"]["sources"] if s["fact"] == "backups")
    assert "BACKUP-MONTHLY" in p.stdout and "不符合" in p.stdout

    # The ops team backs up today and tests a restore: restic restores the data, they compare, record it.
    env = finance_data["env"]
    subprocess.run(["restic", "backup", "--host", "localhost", str(finance_data["data"])], env=env, check=True,
                   capture_output=True)
    target = tmp_path / "restored"
    subprocess.run(["restic", "restore", "latest", "--target", str(target)], env=env, check=True, capture_output=True)
    restored = target / str(finance_data["data"]).lstrip("/") / "ledger.csv"
    assert restored.read_text(encoding="utf-8") == "2026-11,收入,100\n"
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    finance_data["log"].write_text(json.dumps({"time": now, "repo": str(finance_data["repo"]), "snapshot": "latest",
                                               "result": "ok", "by": "ops"}) + "\n")

    out2 = tmp_path / "run2"
    p = run_zicha("audit", "-i", str(inv), "-o", str(out2), "--limit", "localhost")
    results = results_of(out2)
    assert results[("localhost", "BACKUP-MONTHLY")]["status"] == "pass", results[("localhost", "BACKUP-MONTHLY")]
    failing = {k: v["message"]["en"] for k, v in results.items() if v["status"] in ("fail", "error")}
    assert p.returncode == (1 if failing else 0), (p.stderr, failing)


def test_results_json_and_junit_carry_every_host_and_rule(tmp_path):
    out = tmp_path / "out"
    p = run_zicha("audit", "-o", str(out))  # the default inventory: this machine
    assert p.returncode in (0, 1), p.stderr
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rules = {r["id"] for r in doc["rules"]}
    assert {"CLASSIFIED-OFFLINE", "BOUNDARY-FIREWALL", "BACKUP-MONTHLY", "NO-WEAK-PASSWORD"} <= rules
    checked = [r for r in doc["results"] if r["kind"] == "rule"]
    assert len(checked) == len(rules) and {r["host"] for r in checked} == {"localhost"}  # one host
    # and each manual clause, for the unit: nothing is attested beside inventory/local.yml
    manual = [r for r in doc["results"] if r["kind"] == "attestation"]
    assert manual and all(r["host"] == "@unit" and r["status"] == "manual" for r in manual)
    assert {r["rule"] for r in manual} == {c for c, v in doc["clauses"].items() if v["kind"] in ("manual", "gap")}
    for r in doc["results"]:
        assert {"host", "rule", "status", "severity", "clauses", "message", "evidence", "clause_verdicts"} <= set(r)
        assert r["status"] in ("pass", "fail", "error", "not_applicable", "waived", "manual")
        assert r["message"]["zh"] and r["message"]["en"]
        assert r["clauses"]
    assert p.returncode == (1 if any(r["status"] in ("fail", "error") for r in doc["results"]) else 0)
    facts = json.loads((out / "facts" / "localhost.json").read_text(encoding="utf-8"))
    assert facts["schema"] == "zicha.facts/v1" and facts["gather"]["status"] == "ok"
    suites = ET.parse(out / "junit.xml").getroot()
    cases = suites.findall("testsuite/testcase")
    assert len(cases) == len(doc["results"])
    assert int(suites.get("failures")) == sum(r["status"] == "fail" for r in doc["results"])


def test_an_unreachable_host_is_reported_on_every_rule(tmp_path):
    inv = write_inventory(tmp_path / "inv.yml", {
        "ghost": {"ansible_host": "127.0.0.1", "ansible_port": 1, "ansible_user": "nobody",
                  "zicha_role": "server", "zicha_zone": "office"},
    })
    out = tmp_path / "out"
    p = run_zicha("audit", "-i", str(inv), "-o", str(out))
    assert p.returncode == 1, p.stderr
    results = {k: r for k, r in results_of(out).items() if k[0] == "ghost"}
    assert results and all(r["status"] == "error" for r in results.values())
    assert all("unreachable" in r["message"]["en"] for r in results.values())
