"""Evidence bundles come from the unit being inspected: a hostile one is refused in one line, never a hang,
a crash, a write outside its folder, or a verifier that runs out of memory."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import tarfile

import pytest

from checker.evidence import bundle as eb
from tests.conftest import run_zicha
from tests.test_evidence import _gut_weak_passwords, bundle, forge, keys, members, rewrite  # noqa: F401

pytestmark = pytest.mark.integration


def _verify(path, keys):
    p = run_zicha("verify", str(path), "--pubkey", str(keys[1]), timeout=300)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def test_a_bundle_of_too_many_members_is_refused_at_the_limit(tmp_path, keys, monkeypatch):
    bad = tmp_path / "many.tar.gz"
    n = eb.MAX_MEMBERS + 1
    with gzip.open(bad, "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for i in range(n):
            tar.addfile(tarfile.TarInfo(f"facts/h{i}.json"), io.BytesIO(b""))
    p = _verify(bad, keys)
    assert p.returncode == 2 and f"more than {eb.MAX_MEMBERS} members" in p.stderr


def test_a_sparse_member_of_50_gb_is_refused_without_reading_it(tmp_path, keys):
    sparse = tmp_path / "src" / "results.json"
    sparse.parent.mkdir()
    with open(sparse, "wb") as f:
        f.truncate(50 << 30)
    bad = tmp_path / "sparse.tar.gz"
    subprocess.run(["tar", "--sparse", "-czf", str(bad), "-C", str(sparse.parent), "results.json"], check=True)
    assert bad.stat().st_size < 10 << 20
    p = _verify(bad, keys)
    assert p.returncode == 2 and "results.json" in p.stderr
    p = run_zicha("report", str(bad), "--out", str(tmp_path / "r"))
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_a_member_bigger_than_its_limit_is_refused(tmp_path, keys, bundle, monkeypatch):  # noqa: F811
    files = members(bundle)
    files["attachments/GAP-X/huge.bin"] = b"\0" * (eb.MAX_MEMBER_BYTES + 1)
    bad = tmp_path / "big.tar.gz"
    rewrite(bad, files)
    p = _verify(bad, keys)
    assert p.returncode == 2 and "too large" in p.stderr


@pytest.mark.parametrize("victim", ["results.json", "input.json", "manifest.json"])
def test_deeply_nested_json_is_refused_in_one_line(tmp_path, keys, bundle, victim):  # noqa: F811
    files = members(bundle)
    files[victim] = b"[" * 200_000 + b"]" * 200_000
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    for cmd in (["verify", str(bad), "--pubkey", str(keys[1])], ["report", str(bad), "--out", str(tmp_path / "r")]):
        p = run_zicha(*cmd)
        assert p.returncode in (1, 2) and "Traceback" not in p.stderr and "RecursionError" not in p.stderr + p.stdout
        assert "nested" in p.stderr + p.stdout or "sha256 differs" in p.stderr + p.stdout, p.stdout + p.stderr


def test_a_name_that_is_both_a_file_and_a_folder_is_refused(tmp_path, keys, bundle):  # noqa: F811
    files = members(bundle)
    files["policies/lib"] = b"package zicha.lib\n"
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    p = _verify(bad, keys)
    assert p.returncode == 2 and "both a file and a folder" in p.stderr


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.FIFOTYPE, tarfile.CHRTYPE])
def test_links_and_devices_in_a_bundle_are_refused(tmp_path, keys, bundle, kind):  # noqa: F811
    files = members(bundle)
    bad = tmp_path / bundle.name
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("facts/evil.json")
        link.type = kind
        link.linkname = "/etc/shadow"
        tar.addfile(link)
    bad.write_bytes(buf.getvalue())
    p = _verify(bad, keys)
    assert p.returncode == 2 and "unexpected member 'facts/evil.json'" in p.stderr


def test_a_policy_that_eats_memory_is_stopped_by_the_verifier_s_limits(tmp_path, keys, bundle):  # noqa: F811
    files = members(bundle)
    files["policies/lib/bomb.rego"] = (b"package zicha.lib.bomb\n\n"
                                       b"import rego.v1\n\nbig := count(numbers.range(1, 3000000000))\n")
    # the bomb must be evaluated: make a rule depend on it
    name = "policies/rules/time_sync/time_sync.rego"
    files[name] = files[name].replace(b"import data.zicha.lib.hosts",
                                      b"import data.zicha.lib.bomb\nimport data.zicha.lib.hosts", 1) \
        .replace(b"applicable contains name if {", b"applicable contains name if {\n\tbomb.big > 0", 1)
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]), "--bundle-policies", timeout=600)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    assert "cannot decide again: OPA stopped while deciding" in p.stdout and "【不通过】" in p.stdout, p.stdout
    # OPA is gone, with its memory
    left = subprocess.run(["pgrep", "-f", "opa run --server.*--disable-telemetry"], capture_output=True, text=True)
    mine = [pid for pid in left.stdout.split() if str(tmp_path) in open(f"/proc/{pid}/cmdline").read()] \
        if left.stdout else []
    assert mine == []


def test_a_validly_signed_bundle_with_gutted_policies_does_not_pass(bundle, keys, tmp_path):
    files = forge(bundle, keys[0], _gut_weak_passwords)
    before = json.loads(files["results.json"])["results"]
    assert all(r["status"] == "not_applicable" for r in before if r["rule"] == "NO-WEAK-PASSWORD")
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]))
    assert p.returncode == 1, p.stdout + p.stderr
    assert "签名有效" in p.stdout and "【不通过】" in p.stdout and "FAILED" in p.stdout
    assert "policy differs from the verifier's: policies/rules/no_weak_password/no_weak_password.rego" in p.stdout
    assert "+\tfalse" in p.stdout  # the difference itself is shown
    # decided with the verifier's own policies: the weak passwords the unit hid are named again
    assert "sw-floor3-noncompliant / NO-WEAK-PASSWORD: status not_applicable in the bundle, fail decided again" \
        in p.stdout
    # with the bundle's own policies the forgery is self-consistent, and still not PASSED
    p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]), "--bundle-policies")
    assert p.returncode == 1 and "与包内结果完全一致" in p.stdout and "【不通过】" in p.stdout
