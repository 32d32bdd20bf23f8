"""Hostile inputs other than bundles and device configurations: each attack that once crashed zicha, hung it,
wrote outside its folder or passed on nothing is refused in one line (exit 2), or decided as `error`."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, ZICHA, local_host, results_of, run_zicha, write_inventory

pytestmark = pytest.mark.integration


def _one_line(p):
    assert p.returncode == 2 and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
    return p.stderr


def test_an_inventory_alias_bomb_stops_in_one_line_and_leaves_nothing_running(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 10)]
    inv = tmp_path / "bomb.yml"
    inv.write_text("\n".join(lines) + "\nall:\n  hosts:\n    h1:\n      zicha_role: server\n      boom: *a9\n")
    started = time.monotonic()
    err = _one_line(run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "out"), timeout=900))
    assert "inventory" in err and str(inv) in err
    assert time.monotonic() - started < 600
    left = subprocess.run(["pgrep", "-f", f"ansible-inventory -i {inv}"], capture_output=True, text=True)
    assert left.stdout.strip() == ""
    assert not list(tmp_path.rglob("job_events"))  # no event files at all


def test_zicha_killed_while_an_inventory_script_runs_leaves_none_of_its_processes(tmp_path):
    """An executable inventory is a program: ansible-inventory runs it, and it may start children of its own.
    SIGKILL reaches zicha alone; ansible-inventory, the script and the script's children must all go with it."""
    marker = f"zicha-inventory-child-{tmp_path.name}"
    inv = tmp_path / "inv.sh"
    inv.write_text("#!/bin/sh\n"
                   f"{sys.executable} -c 'import time; time.sleep(300)' {marker} &\n"
                   "wait\n")
    inv.chmod(0o755)

    def running() -> list[str]:
        found = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True).stdout
        return [line for line in found.splitlines() if "pgrep" not in line]

    p = subprocess.Popen([*ZICHA, "audit", "-i", str(inv), "--out", str(tmp_path / "out")], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not running():
            assert p.poll() is None and time.monotonic() < deadline, "the inventory script never started"
            time.sleep(0.2)
        time.sleep(0.5)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        deadline = time.monotonic() + 30
        while running() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert running() == []
        assert subprocess.run(["pgrep", "-f", f"ansible-inventory -i {inv}"], capture_output=True).returncode == 1
    finally:
        for line in running():
            subprocess.run(["kill", "-9", line.split()[0]], check=False)


def test_a_backup_password_in_the_inventory_is_refused_before_ansible_runs(tmp_path):
    inv = write_inventory(tmp_path / "inv.yml", {"localhost": local_host(
        zicha_backup_required=True,
        zicha_backup_repos=[{"tool": "restic", "repo": "/srv/restic", "password": "Backup-Pass#2026"}])})
    out = tmp_path / "out"
    err = _one_line(run_zicha("audit", "-i", str(inv), "--out", str(out)))
    assert "password_file" in err and "Backup-Pass#2026" not in err
    assert not (out / "ansible").exists()


def test_the_readme_waiver_example_is_accepted_and_a_blank_approver_is_not(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\nwaivers:", 1)[1].split("```", 1)[0]
    waivers = tmp_path / "waivers.yml"
    waivers.write_text("waivers:" + block, encoding="utf-8")
    assert yaml.safe_load(waivers.read_text())["waivers"]  # the README's own text, unquoted date included
    inv = write_inventory(tmp_path / "inv.yml", {"pc-1": {"zicha_role": "terminal", "zicha_gather": "import"}})
    p = run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "o1"), "--waivers", str(waivers), "-f", "json",
                  "--no-bundle")
    assert p.returncode == 1, p.stderr
    original = waivers.read_text()
    for field, value in (("approver", "   "), ("reason", "  \t  ")):
        doc = yaml.safe_load(original)
        doc["waivers"][0][field] = value
        waivers.write_text(yaml.safe_dump(doc, allow_unicode=True))
        err = _one_line(run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "o2"), "--waivers", str(waivers)))
        assert field in err


def test_opa_answering_with_no_rules_is_a_broken_server_not_a_clean_audit(tmp_path):
    from checker import evaluate
    from tests.opaproxy import OpaProxy

    inv = write_inventory(tmp_path / "inv.yml", {"pc-1": {"zicha_role": "terminal", "zicha_gather": "import"}})
    with evaluate.OpaServer() as real, OpaProxy(real.url, decision={"rules": {}, "results": []}) as liar:
        p = run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "out"), "--opa-url", liar.url)
    err = _one_line(p)
    assert "OPA described 0 rules, 25 were loaded" in err or "were loaded" in err, err


def test_sigterm_during_the_policy_upload_is_not_swallowed(tmp_path):
    from checker import evaluate
    from tests.opaproxy import OpaProxy

    inv = write_inventory(tmp_path / "inv.yml", {"pc-1": {"zicha_role": "terminal", "zicha_gather": "import"}})
    slow_upload = lambda method, path: 1.0 if method == "PUT" and path.startswith("/v1/policies") else 0.0  # noqa
    with evaluate.OpaServer() as real, OpaProxy(real.url, delay=slow_upload) as proxy:
        p = subprocess.Popen([*ZICHA, "audit", "-i", str(inv), "--out", str(tmp_path / "out"), "--opa-url", proxy.url],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(8)  # inventory read; the upload of ~60 policy files at 1 s each has begun
        assert p.poll() is None
        p.send_signal(signal.SIGTERM)
        t = time.monotonic()
        _, err = p.communicate(timeout=30)
    assert time.monotonic() - t < 10, "the upload went on after SIGTERM"
    assert p.returncode == 2 and "interrupted" in err and "Traceback" not in err, err


def _seconds(fn, *args) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


def _grows_linearly(fn, make, n):
    """Doubling the input must not much more than double the time: a complexity check, not a speed target."""
    small, big = _seconds(fn, make(n)), _seconds(fn, make(2 * n))
    assert big < max(4 * small, 0.05), (small, big)


def test_redaction_is_linear_in_hostile_text():
    from checker.evidence.redact import redact_text

    _grows_linearly(redact_text, lambda n: "-----BEGIN RSA PRIVATE KEY-----\n" * n, 20_000)
    _grows_linearly(redact_text, lambda n: "$1a$" + "x$1a$" * n, 40_000)
    _grows_linearly(redact_text, lambda n: "%^%#" + "a" * n, 400_000)
    assert "PRIVATE KEY" not in redact_text("x -----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY----- y")


def test_the_table_of_a_huge_message_stays_linear():
    from checker.models import AuditReport, Result, RuleInfo, RunInfo
    from checker.report import table

    def report(n):
        rule = RuleInfo("R-1", "p", {"zh": "t", "en": "t"}, "high", ["C-1"], [], {})
        msg = {"zh": "配置 " * n, "en": "config " * n}
        r = Result("h1", "R-1", "fail", "high", ["C-1"], [], rule.title, msg, {})
        return AuditReport(RunInfo("r", "2026-01-01T00:00:00Z"), [rule], [r])

    _grows_linearly(lambda rep: table.render(rep, "zh"), report, 300_000)  # 2 MB and more of message


def test_a_markdown_report_shows_hostile_text_and_runs_nothing():
    from checker.models import AuditReport, Result, RuleInfo, RunInfo
    from checker.report import markdown

    rule = RuleInfo("NO-WEAK-PASSWORD", "p", {"zh": "t", "en": "t"}, "high", ["PASSWORD-STRENGTH"], [], {})
    evil = '<img src=x onerror="alert(1)"> [link](javascript:alert(1)) **x**'
    r = Result("pc-1", rule.id, "fail", "high", rule.clauses, [], rule.title, {"zh": evil, "en": evil}, {})
    md = markdown.render(AuditReport(RunInfo("r", "2026-01-01T00:00:00Z"), [rule], [r]), "zh").decode()
    import re

    assert "<img" not in md and "&lt;img" in md
    assert not re.search(r"(?<!\\)\]\(javascript", md) and "\\*\\*x" in md  # no live link, no emphasis


def test_a_snapshot_cannot_name_a_host_outside_its_folder(tmp_path):
    from tests.test_evidence import FIX

    snap = tmp_path / "snap"
    (snap / "configs").mkdir(parents=True)
    (snap / "configs" / "sw-1.cfg").write_bytes((FIX / "cisco_ios" / "sw-access-compliant.cfg").read_bytes())
    (snap / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {
        "../../escaped": {"zicha_role": "switch", "zicha_platform": "cisco_ios"}}}}))
    out = tmp_path / "out"
    err = _one_line(run_zicha("audit", "--snapshot", str(snap), "--out", str(out)))
    assert "not a host name zicha accepts" in err
    assert not list(tmp_path.rglob("escaped*"))


@pytest.mark.parametrize("sysname", ["../../escaped", "/tmp/escaped-abs", "sub/escaped"])
def test_a_device_s_own_name_never_becomes_a_path(tmp_path, sysname):
    """A configuration names its device (`hostname`, `sysname`): zicha records it as a fact, and names every file
    after the snapshot's file or the inventory, never after what the device says it is."""
    from tests.test_evidence import FIX

    snap = tmp_path / "snap"
    (snap / "configs").mkdir(parents=True)
    text = (FIX / "cisco_ios" / "sw-access-compliant.cfg").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^hostname .*$", f"hostname {sysname}", text)
    assert f"hostname {sysname}" in text
    (snap / "configs" / "sw-1.cfg").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    p = run_zicha("audit", "--snapshot", str(snap), "--out", str(out), "--format", "json,md")
    assert p.returncode in (0, 1) and "Traceback" not in p.stderr, p.stderr
    assert sorted(f.name for f in (out / "facts").iterdir()) == ["sw-1.json"]
    written = [f for f in tmp_path.rglob("*") if "escaped" in f.name]
    elsewhere = [f for d in (Path("/"), Path("/tmp"), ROOT, ROOT.parent, out / "facts", out / "ansible")
                 for f in (d.glob("*escaped*") if d.is_dir() else [])]
    assert written == [] and elsewhere == []
    assert {host for host, _ in results_of(out)} == {"sw-1"}


@pytest.mark.parametrize("extra, why", [
    ({"zicha_zones": {"office": 5}}, "zicha_zones/office: 5 is not of type 'object'"),
    ({"zicha_backup_repos": 5}, "zicha_backup_repos: 5 is not of type 'array'"),
])
def test_an_inventory_value_of_the_wrong_shape_is_one_line_not_a_traceback(tmp_path, extra, why):
    inv = write_inventory(tmp_path / "inv.yml", {"localhost": local_host(**extra)})
    err = _one_line(run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "out")))
    assert why in err and "host localhost" in err
