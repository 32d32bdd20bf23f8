"""zicha's own OPA server: started on 127.0.0.1, always stopped; a dead or absent OPA stops zicha with exit 2."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker import config, evaluate
from checker.errors import EvaluateError
from tests.conftest import ROOT, ZICHA, local_host, run_zicha, write_inventory

OPA = str(ROOT / ".tools" / "bin" / "opa")


def children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def opa_servers() -> list[int]:
    return [int(d.name) for d in Path("/proc").iterdir()
            if d.name.isdigit() and f"{OPA} run --server" in cmdline(int(d.name))]


def wait_for(pred, timeout=30.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return None


@pytest.fixture
def slow_inventory(tmp_path):
    """This machine, with a probe of a black-holed address so that gathering takes a few seconds."""
    return write_inventory(tmp_path / "inv.yml", {"localhost": local_host(zicha_internet_probes=["10.255.255.1:80"])},
                           {"zicha_params": {"probe_timeout_seconds": 4}})


def interactive() -> None:
    """SIGINT as at a terminal: a test run started in the background (`make test &`) has it ignored, and every
    child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_audit(inv: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*ZICHA, "audit", "-i", str(inv), "-o", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interactive)


def own_opa(p: subprocess.Popen) -> int:
    pid = wait_for(lambda: next((c for c in children(p.pid) if f"{OPA} run" in cmdline(c)), None))
    assert pid, "zicha did not start its OPA server"
    return pid


def test_server_starts_on_loopback_and_stops(tmp_path):
    with evaluate.OpaServer(log_path=tmp_path / "opa.log") as s:
        assert s.url.startswith("http://127.0.0.1:")
        pid = s.proc.pid
        assert alive(pid)
        with evaluate.Evaluator(s.url) as ev:
            ev.check()
    assert not alive(pid)


def test_unreachable_opa_url_exits_2_with_one_clear_line(tmp_path):
    before = set(opa_servers())
    p = run_zicha("audit", "-o", str(tmp_path / "out"), "--opa-url", "http://127.0.0.1:9")
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert lines == ["zicha: evaluate: OPA at http://127.0.0.1:9 is not answering (health check)"]
    assert set(opa_servers()) == before


def test_opa_url_from_the_environment_is_used(tmp_path):
    p = run_zicha("audit", "-o", str(tmp_path / "out"), env={"ZICHA_OPA_URL": "http://127.0.0.1:9"})
    assert p.returncode == 2 and "http://127.0.0.1:9" in p.stderr


def test_an_existing_opa_server_is_used_and_left_running(tmp_path):
    with evaluate.OpaServer(log_path=tmp_path / "opa.log") as s:
        out = tmp_path / "out"
        p = run_zicha("audit", "-o", str(out), "--opa-url", s.url)
        assert p.returncode in (0, 1), p.stderr
        assert (out / "results.json").is_file()
        assert alive(s.proc.pid)



def test_opa_killed_mid_run_exits_2_and_leaves_nothing(tmp_path, slow_inventory):
    out = tmp_path / "out"
    p = start_audit(slow_inventory, out)
    opa = own_opa(p)
    assert wait_for(lambda: (out / "ansible").exists()), "gathering never started"
    os.kill(opa, signal.SIGKILL)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 2
    assert err.strip().splitlines()[-1].startswith("zicha: evaluate: OPA at http://127.0.0.1:")
    assert "not answering" in err and "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_zicha_stops_its_opa(tmp_path, slow_inventory, sig):
    out = tmp_path / "out"
    p = start_audit(slow_inventory, out)
    opa = own_opa(p)
    assert wait_for(lambda: (out / "ansible").exists())
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 2, err
    assert "interrupted" in err
    assert wait_for(lambda: not alive(opa), timeout=10), "OPA outlived zicha"


def test_killed_zicha_takes_its_opa_along(tmp_path, slow_inventory):
    p = start_audit(slow_inventory, tmp_path / "out")
    opa = own_opa(p)
    p.kill()
    p.wait()
    assert wait_for(lambda: not alive(opa), timeout=10), "OPA outlived a killed zicha"


def test_a_rule_without_metadata_stops_the_run(tmp_path):
    pol = tmp_path / "policies"
    for src in (ROOT / "policies").rglob("*.rego"):
        if "_test" not in src.name:
            dst = pol / src.relative_to(ROOT / "policies")
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (pol / "rules" / "bare").mkdir()
    (pol / "rules" / "bare" / "bare.rego").write_text(
        "package zicha.rules.bare\n\napplicable contains name if some name, _ in input.hosts\n")
    with evaluate.OpaServer(log_path=tmp_path / "opa.log") as s, evaluate.Evaluator(s.url) as ev:
        ev.load(config.opa_data({}, {}), policy_dir=pol)
        with pytest.raises(EvaluateError, match="without complete METADATA: bare$"):
            ev.decide({"now": "2026-11-27T00:00:00Z", "hosts": {}})


def test_a_policy_that_does_not_compile_is_named(tmp_path):
    pol = tmp_path / "policies"
    pol.mkdir()
    (pol / "broken.rego").write_text("package zicha.broken\n\nx := if\n")
    with evaluate.OpaServer(log_path=tmp_path / "opa.log") as s, evaluate.Evaluator(s.url) as ev:
        with pytest.raises(EvaluateError, match="broken.rego"):
            ev.load({}, policy_dir=pol)


def test_a_preloaded_policy_that_does_not_compile_is_named(tmp_path):
    """Our own OPA starts with the policies as files: a broken one stops the start, by name, without retrying."""
    pol = tmp_path / "policies"
    pol.mkdir()
    (pol / "broken.rego").write_text("package zicha.broken\n\nx := if\n")
    with pytest.raises(EvaluateError, match=r"(?s)could not load the policies: .*broken\.rego:3"):
        evaluate.OpaServer(log_path=tmp_path / "opa.log", preload=(pol, {})).start()


def test_preloaded_and_uploaded_policies_decide_alike(tmp_path):
    """The audit's own server loads the policies at start; a user's server (--opa-url) has them uploaded. Both
    decide the recorded Windows terminals the same way, rule by rule."""
    from checker import normalize
    from checker.models import GatherOutcome, Host
    from tests.test_windows_normalizer import raw_of

    now = "2024-01-31T12:00:00Z"
    hosts = [Host("pc-a", "windows", "terminal", "office"), Host("pc-b", "windows", "terminal", "classified",
                                                                  classified=True)]
    facts = {h.name: normalize.document(h, GatherOutcome(h.name, "ok", raw={
        "platform": "windows", "collected_at": now, "collector": {"name": "recorded"}, "raw": raw_of(t)}))
        for h, t in zip(hosts, ("terminal-a-compliant", "terminal-b-noncompliant"))}
    document = evaluate.input_document(hosts, facts, now)
    data = config.opa_data(config.load_params(), {"zones": {}, "hosts": {}})
    decided = []
    with evaluate.OpaServer(log_path=tmp_path / "pre.log", preload=(evaluate.POLICY_DIR, data)) as s, \
            evaluate.Evaluator(s.url) as ev:
        decided.append(ev.decide(document))
    with evaluate.OpaServer(log_path=tmp_path / "up.log") as s, evaluate.Evaluator(s.url) as ev:
        ev.load(data)
        decided.append(ev.decide(document))
    pre, up = ({(r.host, r.rule): (r.status, r.message) for r in d.results} for d in decided)
    assert len(pre) == 2 * len(evaluate.rule_ids()) and pre == up
    assert {r.status for r in decided[0].results} >= {"pass", "fail", "error"}
