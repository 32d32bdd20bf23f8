"""Faults while auditing: each ends in `error` results with reasons, or exit 2 with one line. Partial results
are kept and marked, no process is left behind, and no half-written file remains."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, ZICHA, results_of, run_zicha, write_inventory
from tests.test_opa_lifecycle import interactive
from tests.sshpeer import SshPeer

pytestmark = pytest.mark.integration


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(p.name))
    return out


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _is_opa_server(pid: int) -> bool:
    words = _cmdline(pid).split()
    return len(words) > 2 and words[0].endswith("/opa") and words[1:3] == ["run", "--server"]


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _mentioning(text: str) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and text in _cmdline(int(p.name))]


@pytest.fixture
def silent_host():
    """A host that accepts TCP and never says a word (a hung sshd): gathering waits on it."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    yield s.getsockname()[1]
    s.close()


def _known(tmp_path, peer):
    f = tmp_path / f"known_hosts-{peer.port}"
    f.write_text(peer.known_hosts_line + "\n")
    return str(f)


def _key(tmp_path):
    k = tmp_path / "id_ed25519"
    if not k.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(k)], check=True)
    return str(k)


def test_every_way_a_host_can_fail_is_an_error_with_its_reason(tmp_path, silent_host):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    with SshPeer("refuse") as refusing, SshPeer("drop") as dropping, SshPeer("garbage") as garbage:
        linux = {"ansible_host": "127.0.0.1", "ansible_user": "root", "zicha_role": "server",
                 "ansible_ssh_private_key_file": _key(tmp_path)}
        hosts = {
            "unreachable": {**linux, "ansible_port": closed_port},
            "timeout": {**linux, "ansible_port": silent_host},
            "refused": {**linux, "ansible_port": refusing.port, "zicha_known_hosts": _known(tmp_path, refusing)},
            "dropped": {**linux, "ansible_port": dropping.port, "zicha_known_hosts": _known(tmp_path, dropping)},
            "sw-garbage": {"ansible_host": "127.0.0.1", "ansible_port": garbage.port, "ansible_user": "admin",
                           "ansible_password": "x", "zicha_role": "switch", "zicha_platform": "huawei_vrp",
                           "zicha_known_hosts": str(tmp_path / "kh-garbage")},
        }
        (tmp_path / "kh-garbage").write_text(garbage.known_hosts_line + "\n")
        inv = write_inventory(tmp_path / "inv.yml", hosts, {"zicha_params": {"connect_timeout_seconds": 5}})
        out = tmp_path / "out"
        p = run_zicha("audit", "-i", str(inv), "--out", str(out), "--lang", "en", "-f", "json")
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    r = results_of(out)
    reasons = {}
    for host in hosts:
        mine = [v for (h, _), v in r.items() if h == host]
        assert mine and {v["status"] for v in mine} == {"error"}, host
        reasons[host] = mine[0]["message"]["en"]
    assert "Connection refused" in reasons["unreachable"], reasons["unreachable"]
    assert "timed out" in reasons["timeout"].lower() or "timeout" in reasons["timeout"].lower(), reasons["timeout"]
    assert "Permission denied" in reasons["refused"] or "denied" in reasons["refused"], reasons["refused"]
    assert "host not gathered" in reasons["dropped"], reasons["dropped"]
    assert "host not gathered" in reasons["sw-garbage"], reasons["sw-garbage"]
    assert json.loads((out / "results.json").read_text())["run"]["hosts_reached"] == []


def _zicha(tmp_path, inv, *extra):
    out = tmp_path / "out"
    p = subprocess.Popen([*ZICHA, "audit", "-i", str(inv), "--out", str(out), "--no-bundle", *extra], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interactive)
    return p, out


def _wait_for(cond, timeout=120.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def test_opa_killed_mid_run_ends_in_one_line_with_the_partial_results_kept(tmp_path, silent_host):
    inv = write_inventory(tmp_path / "inv.yml", {"srv-1": {"ansible_host": "127.0.0.1", "ansible_port": silent_host,
                                                            "zicha_role": "server"}},
                          {"zicha_params": {"connect_timeout_seconds": 6}})
    p, out = _zicha(tmp_path, inv)
    opa = _wait_for(lambda: [c for c in _children(p.pid) if _is_opa_server(c)])[0]
    _wait_for(lambda: (out / "ansible").exists())
    os.kill(opa, signal.SIGKILL)  # OPA dies while the host is being gathered
    _, err = p.communicate(timeout=180)
    assert p.returncode == 2 and "OPA at http://127.0.0.1" in err and "not answering" in err, err
    assert "partial output kept" in err and "Traceback" not in err
    partial = json.loads((out / "PARTIAL.json").read_text())
    assert partial["stage"] == "evaluate" and partial["facts_written"] == ["srv-1"]
    assert (out / "facts" / "srv-1.json").exists() and not (out / "results.json").exists()


def test_an_opa_slower_than_its_timeout_ends_in_one_line(tmp_path):
    """An --opa-url that answers everything but the decision, which it holds past --opa-timeout."""
    from checker import evaluate
    from tests.opaproxy import OpaProxy

    slow = lambda method, path: 8.0 if path.startswith("/v1/data/zicha/main/report") else 0.0  # noqa: E731
    with evaluate.OpaServer() as real, OpaProxy(real.url, delay=slow) as proxy:
        inv = write_inventory(tmp_path / "inv.yml", {"pc-1": {"zicha_role": "terminal", "zicha_gather": "import"}})
        p = run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "out"), "--no-bundle",
                      "--opa-url", proxy.url, "--opa-timeout", "3")
    assert p.returncode == 2 and "did not answer in time" in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert json.loads((tmp_path / "out" / "PARTIAL.json").read_text())["stage"] == "evaluate"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_audit_leaves_no_process_behind(tmp_path, silent_host, sig):
    inv = write_inventory(tmp_path / "inv.yml", {"srv-1": {"ansible_host": "127.0.0.1", "ansible_port": silent_host,
                                                            "zicha_role": "server"}},
                          {"zicha_params": {"connect_timeout_seconds": 120}})
    p, out = _zicha(tmp_path, inv)
    opa = _wait_for(lambda: [c for c in _children(p.pid) if _is_opa_server(c)])[0]
    playbook = _wait_for(lambda: [c for c in _children(p.pid) if "ansible-playbook" in _cmdline(c)])[0]
    time.sleep(3)  # ssh is now waiting on the silent host
    stragglers_before = _mentioning(str(tmp_path))
    assert playbook in stragglers_before
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert p.returncode == 2 and "interrupted" in err and "Traceback" not in err, err
        assert (out / "PARTIAL.json").exists()
    try:
        _wait_for(lambda: not _alive(opa) and not _alive(playbook) and not _mentioning(str(tmp_path)), timeout=60)
    except AssertionError:
        left = {pid: _cmdline(pid) for pid in {opa, playbook, *_mentioning(str(tmp_path))} if _alive(pid)}
        raise AssertionError(f"left running 60 s after zicha stopped: {left}") from None


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts a tiny tmpfs (CI runs as root)")
def test_a_full_output_folder_ends_in_one_line_and_leaves_no_half_written_file(tmp_path):
    from tests.test_evidence import FIX

    snap = tmp_path / "snap" / "configs"
    snap.mkdir(parents=True)
    for cfg in FIX.glob("*/*.cfg"):
        (snap / cfg.name).write_bytes(cfg.read_bytes())
    full = tmp_path / "full"
    full.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(full)], check=True)
    try:
        p = run_zicha("audit", "--snapshot", str(snap.parent), "--out", str(full / "out"))
        assert p.returncode == 2 and "No space left on device" in p.stderr and "Traceback" not in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1
        leftovers = [f for f in (full / "out").rglob("*") if f.name.endswith(".part")]
        assert leftovers == []
        for f in (full / "out").rglob("*.json"):
            json.loads(f.read_text())  # whatever was written is whole
    finally:
        subprocess.run(["umount", str(full)], check=False)


def test_a_signal_whose_exception_a_finalizer_dropped_still_stops_the_audit(tmp_path, monkeypatch):
    """Python prints and drops an exception raised while it runs a finalizer (weakref.finalize, __del__): a
    SIGTERM that lands there must still stop the run, at the next stage, with the partial output marked."""
    from checker import audit, errors
    from tests.test_evidence import FIX

    snap = tmp_path / "snap" / "configs"
    snap.mkdir(parents=True)
    for cfg in list(FIX.glob("*/*.cfg"))[:2]:
        (snap / cfg.name).write_bytes(cfg.read_bytes())
    monkeypatch.setattr(errors, "_pending", [])
    errors.note_interrupt(signal.SIGTERM)  # as the handler does, its exception then lost
    with pytest.raises(errors.Interrupted, match="signal 15"):
        audit.run(audit.AuditOptions(inventory=snap.parent / "inventory.yml", snapshot=snap.parent,
                                     out_dir=tmp_path / "out"))
    assert json.loads((tmp_path / "out" / "PARTIAL.json").read_text())["stage"] == "setup"


def test_after_gathering_a_signal_stops_zicha_again(tmp_path):
    """ansible-runner replaces the SIGINT and SIGTERM handlers for its run (they cancel it) and leaves its own
    behind: a signal after gathering only set an event nobody read, so an audit interrupted while deciding ran on
    and exited 1. The handlers in place before the run are back after it."""
    from checker import gather

    playbook = tmp_path / "noop.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: {msg: hi}\n")
    inv = write_inventory(tmp_path / "inv.yml", {"h": {"ansible_connection": "local",
                                                       "ansible_python_interpreter": sys.executable}})

    def ours(signum, frame):  # a handler of zicha's
        pass

    before = {s: signal.signal(s, ours) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        (tmp_path / "work").mkdir()
        r = gather._playbook(tmp_path / "work", playbook, inv, {}, lambda event: True, 1, 120, 5)
        assert r.status == "successful"
        assert signal.getsignal(signal.SIGINT) is ours and signal.getsignal(signal.SIGTERM) is ours
    finally:
        for s, h in before.items():
            signal.signal(s, h)


def test_ctrl_c_is_kept_like_sigterm_so_a_finalizer_cannot_drop_it(monkeypatch):
    """The fresh-clone run saw Ctrl-C's KeyboardInterrupt raised inside a weakref finalizer, printed as "Exception
    ignored" and dropped: the audit ran on and exited 1. zicha's SIGINT handler notes the signal before raising,
    so the next stage stops the run (as for SIGTERM above); a SIGINT ignored on entry stays ignored."""
    from checker import cli, errors

    monkeypatch.setattr(errors, "_pending", [])
    with pytest.raises(KeyboardInterrupt):
        cli._on_sigint(signal.SIGINT, None)
    with pytest.raises(errors.Interrupted, match="signal 2"):
        errors.raise_if_interrupted()
    seen = {}
    monkeypatch.setattr(cli, "build_parser", lambda: type("P", (), {"parse_args": lambda self, argv: type(
        "A", (), {"func": staticmethod(lambda a: seen.update(int=signal.getsignal(signal.SIGINT)) or 0)})()})())
    saved = signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python sets it up at a terminal
    try:
        cli.main([])
        assert seen["int"] is cli._on_sigint and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert errors._pending == []  # a new command starts with none pending
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # ignored on entry (a background job): left so
        cli.main([])
        assert seen["int"] is signal.SIG_IGN and signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, saved)
