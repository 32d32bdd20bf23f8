"""One exit-code contract for every command: 0 nothing failed, 1 some rule failed or could not be checked (or
a bundle did not verify), 2 zicha could not finish, said in one line, never with a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from checker import cli
from tests.conftest import ROOT, ZICHA, local_host, run_zicha, write_inventory
from tests.test_evidence import bundle, keys  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


def one_line_abort(p):
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
    return p.stderr


@pytest.fixture
def a_file(tmp_path):
    f = tmp_path / "a-file"
    f.write_text("not a folder\n")
    return f


@pytest.fixture
def inv(tmp_path):
    return write_inventory(tmp_path / "inv.yml", {"localhost": local_host()})


# -- 2: zicha could not finish ------------------------------------------------------------------------------------

def test_an_unwritable_output_folder_is_named(tmp_path, a_file, inv, keys, bundle):  # noqa: F811
    for args in (["audit", "-i", str(inv), "--out", str(a_file / "out")],
                 ["report", str(bundle), "--out", str(a_file / "r")],
                 ["keygen", "--out", str(a_file / "k")]):
        err = one_line_abort(run_zicha(*args))
        assert str(a_file) in err, (args, err)
    assert not (tmp_path / "out").exists()


def test_collect_names_the_file_it_cannot_write(tmp_path, keys):  # noqa: F811
    err = one_line_abort(run_zicha("collect", "--out", "/nonexistent-dir/x.json", "--sign-key", str(keys[0]),
                                   "--internet-probe", "127.0.0.1:9"))
    assert "/nonexistent-dir/x.json" in err


def test_bad_input_is_named(tmp_path, a_file, keys):  # noqa: F811
    one_line_abort(run_zicha("audit", "-i", str(tmp_path / "missing.yml"), "--out", str(tmp_path / "o")))
    one_line_abort(run_zicha("report", str(a_file), "--out", str(tmp_path / "r")))
    one_line_abort(run_zicha("verify", str(tmp_path / "missing.tar.gz")))
    one_line_abort(run_zicha("verify", str(a_file), "--pubkey", str(keys[1])))
    one_line_abort(run_zicha("keygen", "--out", str(keys[0].parent)))  # would overwrite
    one_line_abort(run_zicha("collect", "--out", str(tmp_path / "c.json")))  # no key
    one_line_abort(run_zicha("trust", "no-such-host", "-i", str(ROOT / "inventory" / "local.yml")))


def test_an_opa_that_does_not_answer_is_named(tmp_path, inv, keys, bundle):  # noqa: F811
    dead = "http://127.0.0.1:9"
    for args in (["audit", "-i", str(inv), "--out", str(tmp_path / "o"), "--opa-url", dead],
                 ["rules", "--opa-url", dead],
                 ["verify", str(bundle), "--pubkey", str(keys[1]), "--opa-url", dead]):
        err = one_line_abort(run_zicha(*args))
        assert "OPA at http://127.0.0.1:9 is not answering" in err, (args, err)


@pytest.mark.parametrize("command, target", [
    (["audit"], "checker.audit.run"),
    (["rules"], "checker.rules.load"),
    (["report", "x.json"], "checker.evidence.load_report"),
    (["keygen", "--out", "k"], "checker.signing.keygen"),
    (["verify", "b.tar.gz"], "checker.evidence.verify"),
    (["collect", "--out", "c.json", "--sign-key", "k"], "checker.offline.collect"),
    (["trust"], "checker.inventory.load"),
    (["attest", "--list"], "checker.catalog.load"),
    (["collect-script", "--out", "c.ps1"], "checker.winscript.render_for"),
    (["portal", "migrate", "--home", "portal"], "checker.portal.cli.configure"),
    (["submit", "b.tar.gz", "--portal", "http://127.0.0.1:9", "--token", "t"], "requests.post"),
])
def test_an_unexpected_failure_is_exit_2_with_a_crash_log(tmp_path, monkeypatch, capsys, command, target):
    import importlib

    (tmp_path / "b.tar.gz").write_bytes(b"a bundle")  # what submit sends

    module, name = target.rsplit(".", 1)

    def boom(*a, **k):
        raise RuntimeError("something zicha did not foresee")

    monkeypatch.setattr(importlib.import_module(module), name, boom)
    monkeypatch.setenv("ZICHA_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(command) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "RuntimeError" in err
    [log] = list((tmp_path / "state").glob("crash-*.log"))
    assert str(log) in err and "something zicha did not foresee" in log.read_text()
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_sigterm_stops_an_audit_with_exit_2_and_marks_it_partial(tmp_path):
    import socket

    # a host that accepts the TCP connection and never speaks: the audit waits there
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    inv = write_inventory(tmp_path / "inv.yml", {"srv-1": {"ansible_host": "127.0.0.1", "ansible_port": port,
                                                            "zicha_role": "server"}},
                          {"zicha_params": {"connect_timeout_seconds": 120}})
    out = tmp_path / "out"
    p = subprocess.Popen([*ZICHA, "audit", "-i", str(inv), "--out", str(out), "--no-bundle"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not (out / "ansible").exists():
            time.sleep(0.5)
        time.sleep(3)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
    finally:
        silent.close()
        if p.poll() is None:
            p.kill()
    assert p.returncode == 2 and "interrupted" in err and "Traceback" not in err, err
    doc = json.loads((out / "PARTIAL.json").read_text())
    assert doc["status"] == "partial" and doc["stage"] == "gather"


# -- 1 and 0 ------------------------------------------------------------------------------------------------------

def test_findings_are_exit_1_and_a_clean_verification_exit_0(tmp_path, inv, keys, bundle):  # noqa: F811
    p = run_zicha("audit", "-i", str(inv), "--out", str(tmp_path / "o"), "--format", "json", "--no-bundle")
    assert p.returncode == 1, p.stderr  # this machine does not comply with everything
    assert run_zicha("verify", str(bundle), "--pubkey", str(keys[1])).returncode == 0
    assert run_zicha("rules", "--format", "json").returncode == 0
    assert run_zicha("report", str(bundle), "--out", str(tmp_path / "r"), "-f", "md").returncode == 0


def test_an_audit_whose_output_is_cut_off_by_its_reader_ends_as_unfinished(tmp_path, inv):
    p = subprocess.run(f"{sys.executable} -m checker audit -i {inv} --out {tmp_path / 'o'} --no-bundle | head -1; "
                       "exit ${PIPESTATUS[0]}", shell=True, cwd=ROOT, capture_output=True, text=True,
                       executable="/bin/bash")
    # 2 when the reader left before zicha finished writing, 1 (findings) when everything fit in the pipe first
    assert p.returncode in (1, 2) and "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr, p.stderr
