"""What a snapshot folder may hold besides plain configuration files, and what becomes of it.

Configurations saved by Windows tools come as UTF-16 (little- or big-endian, with a byte-order mark), UTF-8
with a BOM, or GB18030; each is read. An entry of configs/ or mac-tables/ that is not a regular file (a
symbolic link to nothing, a FIFO, a folder named x.cfg) is an error for its device, named as such, never
skipped; a FIFO is never opened for reading, so a writer that never comes cannot hang the audit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker import snapshot
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

CORPUS = Path(__file__).parent.parent / "fixtures" / "devices"
JUDGE = Judge(lambda user: [], key=b"s" * 32)


def corpus(name: str) -> str:
    return snapshot.decode((CORPUS / "configs" / f"{name}.cfg").read_bytes())


def folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    (tmp_path / "configs").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (tmp_path / "configs" / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                           ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b""), ("gb18030", b"")])
def test_configurations_in_every_encoding_windows_tools_save(tmp_path, encoding, bom):
    text = corpus("hw-s5720-office-core").replace("\n", "\r\n")
    snap = folder(tmp_path, {"core.cfg": bom + text.encode(encoding)})
    _, outcomes = snapshot.load(snap, JUDGE)
    o = outcomes["core"]
    assert o.status == "ok", o.reason
    facts = o.raw["facts"]
    assert facts["device"]["value"]["hostname"] == "OFFICE-CORE"
    assert {u["name"] for u in facts["users"]["value"]} == {"netadmin", "auditor"}
    assert o.raw["collector"]["identity"]["platform"] == "huawei_vrp"


def test_a_dangling_link_a_folder_and_a_fifo_are_errors_for_their_devices(tmp_path):
    snap = folder(tmp_path, {"good.cfg": corpus("c3750x-ios15-finance").encode()})
    cdir = snap / "configs"
    (cdir / "gone.cfg").symlink_to(tmp_path / "nowhere.cfg")
    (cdir / "dir.cfg").mkdir()
    os.mkfifo(cdir / "pipe.cfg")
    (cdir / "linked.cfg").symlink_to(cdir / "good.cfg")  # a link to a regular file is read like the file
    # in a child process: a regression that opened the FIFO would block forever; the timeout says so instead
    code = ("import sys, json; from pathlib import Path; from checker import snapshot; "
            "from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge; "
            "inv, out = snapshot.load(Path(sys.argv[1]), Judge(lambda u: [], key=b'k' * 32)); "
            "print(json.dumps({k: [o.status, o.reason] for k, o in out.items()}))")
    p = subprocess.run([sys.executable, "-c", code, str(snap)], capture_output=True, text=True, timeout=120,
                       cwd=Path(__file__).parent.parent.parent)
    assert p.returncode == 0, p.stderr
    import json

    got = json.loads(p.stdout)
    assert got["good"][0] == "ok" and got["linked"][0] == "ok"
    assert got["gone"] == ["failed", "configs/gone.cfg is a link to nothing (a dangling symbolic link)"]
    assert got["dir"] == ["failed", "configs/dir.cfg is a folder, not a file"]
    assert got["pipe"] == ["failed", "configs/pipe.cfg is a FIFO (named pipe), not a file: it is not read"]


def test_a_mac_table_that_is_not_a_file_is_an_error_for_that_table(tmp_path):
    snap = folder(tmp_path, {"sw.cfg": corpus("c3750x-ios15-finance").encode()})
    (snap / "mac-tables").mkdir()
    os.mkfifo(snap / "mac-tables" / "sw.txt")
    _, outcomes = snapshot.load(snap, JUDGE)
    facts = outcomes["sw"].raw["facts"]
    assert facts["mac_table"] == {"source": "mac-tables/sw.txt",
                                  "error": "mac-tables/sw.txt is a FIFO (named pipe), not a file: it is not read"}
    assert "value" in facts["users"]  # the configuration itself was read


def test_a_mac_table_without_a_configuration_is_reported_not_dropped(tmp_path):
    snap = folder(tmp_path, {"sw.cfg": corpus("c3750x-ios15-finance").encode()})
    (snap / "mac-tables").mkdir()
    (snap / "mac-tables" / "sw-9f.txt").write_text("Vlan    Mac Address       Type        Ports\n")
    inv, outcomes = snapshot.load(snap, JUDGE)
    assert outcomes["sw-9f"].status == "failed" and "configs/sw-9f.cfg is missing" in outcomes["sw-9f"].reason
    assert "sw-9f" in {h.name for h in inv.hosts}


def test_an_oversized_file_is_an_error_not_a_memory_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_BYTES", 1024)
    snap = folder(tmp_path, {"big.cfg": b"#\n" * 4096})
    _, outcomes = snapshot.load(snap, JUDGE)
    assert outcomes["big"].status == "failed" and "more than any configuration" in outcomes["big"].reason


def test_an_empty_or_binary_file_is_an_error(tmp_path):
    snap = folder(tmp_path, {"empty.cfg": b"", "bin.cfg": bytes(range(256)) * 64})
    _, outcomes = snapshot.load(snap, JUDGE)
    for name in ("empty", "bin"):
        o = outcomes[name]
        assert o.status == "failed" or all("error" in v for v in o.raw["facts"].values()), (name, o)
