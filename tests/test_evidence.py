"""An upper-level inspector receives an evidence bundle and checks it offline, months later.

The bundle comes from a real audit (configuration backups, so no network is needed); verification starts its
own OPA and decides the captured input again. Any flipped byte, any changed verdict, a wrong key: named."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile

import pytest

from checker import evidence, signing
from tests.conftest import ROOT, run_zicha

FIX = ROOT / "tests" / "fixtures" / "configs"


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    d = tmp_path_factory.mktemp("keys")
    p = run_zicha("keygen", "--out", str(d))
    assert p.returncode == 0, p.stderr
    return d / "zicha-signing.key", d / "zicha-signing.pub"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, keys):
    snap = tmp_path_factory.mktemp("snap")
    (snap / "configs").mkdir()
    for cfg in ("huawei_vrp/sw-floor3-noncompliant.cfg", "h3c_comware/sw-office-compliant.cfg",
                "huawei_usg/fw-boundary-noncompliant.cfg"):
        shutil.copy(FIX / cfg, snap / "configs")
    (snap / "attachments" / "SECURITY-LEADING-GROUP").mkdir(parents=True)
    (snap / "attachments" / "SECURITY-LEADING-GROUP" / "领导小组成立文件.txt").write_text("关于成立网络安全领导小组的通知\n")
    out = tmp_path_factory.mktemp("out") / "run"
    p = run_zicha("audit", "--snapshot", str(snap), "-o", str(out), "--sign-key", str(keys[0]), "--format", "json")
    assert p.returncode == 1, p.stderr
    [b] = list(out.glob("evidence-*.tar.gz"))
    return b


def members(path):
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def rewrite(path, files):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buf.getvalue())


def test_the_bundle_holds_what_an_inspector_needs(bundle, keys):
    files = members(bundle)
    manifest = json.loads(files["manifest.json"])
    assert {"results.json", "input.json", "data.json", "inventory.json", "run.json", "policies/main.rego",
            "policies/clauses.yaml", "policies/lib/result.rego"} <= set(files)
    assert any(n.startswith("facts/") for n in files) and any(n.startswith("raw/") for n in files)
    assert not any(n.endswith("_test.rego") for n in files)
    assert "attachments/SECURITY-LEADING-GROUP/领导小组成立文件.txt" in files
    assert manifest["signature"]["algorithm"] == "ed25519" and "manifest.sig" in files
    for name, meta in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == meta["sha256"]
    run = json.loads(files["run.json"])["run"]
    assert run["user"] and run["controller"] and run["hosts_attempted"] and run["opa_version"]
    # the private key never enters the bundle
    key_bytes = keys[0].read_bytes()
    assert not any(key_bytes.strip()[30:80] in data for data in files.values())


def test_an_untouched_bundle_verifies(bundle, keys):
    p = run_zicha("verify", str(bundle), "--pubkey", str(keys[1]))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "【通过】" in p.stdout and "PASSED" in p.stdout
    assert "签名有效" in p.stdout and "与包内结果完全一致" in p.stdout


@pytest.mark.parametrize("victim", ["results.json", "policies/main.rego", "facts/sw-floor3-noncompliant.json",
                                    "input.json", "manifest.json"])
def test_one_flipped_byte_anywhere_is_named(bundle, keys, tmp_path, victim):
    files = members(bundle)
    data = bytearray(files[victim])
    data[len(data) // 2] ^= 0x01
    files[victim] = bytes(data)
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]))
    assert p.returncode != 0
    if victim == "manifest.json":
        assert "签名无效" in p.stdout or "manifest.json is not JSON" in p.stderr
    else:
        assert f"{victim}: sha256 differs from the manifest" in p.stdout


def test_a_changed_verdict_is_named_even_with_a_rebuilt_manifest(bundle, keys, tmp_path):
    """Someone turns a fail into a pass and recomputes the manifest: the signature no longer holds, and deciding
    the captured input again names the result."""
    files = members(bundle)
    doc = json.loads(files["results.json"])
    victim = next(r for r in doc["results"] if r["status"] == "fail")
    victim["status"] = "pass"
    files["results.json"] = json.dumps(doc, ensure_ascii=False).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["results.json"]["sha256"] = hashlib.sha256(files["results.json"]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]))
    assert p.returncode == 1
    assert "签名无效" in p.stdout
    assert f"{victim['host']} / {victim['rule']}: status pass in the bundle, fail decided again" in p.stdout


def test_a_stranger_s_key_does_not_verify(bundle, tmp_path):
    _, other = signing.keygen(tmp_path, "ed25519", "stranger")
    p = run_zicha("verify", str(bundle), "--pubkey", str(other))
    assert p.returncode == 1 and "签名无效" in p.stdout


def test_without_a_public_key_the_signature_is_not_taken_on_trust(bundle):
    p = run_zicha("verify", str(bundle))
    assert p.returncode == 1 and "未提供公钥，签名未核验" in p.stdout


def test_sm2_with_sm3_signs_and_verifies(tmp_path):
    priv, pub = signing.keygen(tmp_path, "sm2-sm3")
    algorithm, public, sig = signing.sign(b"manifest bytes", priv)
    assert algorithm == "sm2-sm3" and len(sig) == 64
    key = signing.load_public(pub)
    assert key.fingerprint == public.fingerprint
    assert signing.verify(b"manifest bytes", sig, key)
    assert not signing.verify(b"manifest bytes!", sig, key)


def test_keygen_never_overwrites_a_private_key(keys):
    p = run_zicha("keygen", "--out", str(keys[0].parent))
    assert p.returncode == 2 and "will not overwrite a private key" in p.stderr


def test_redaction_catches_hashes_and_private_keys():
    counter = [0]
    doc = {"ok": "set", "password": "set", "ansible_password": "hunter22", "password_file": "/etc/x.pass",
           "note": "copied $6$saltsalt$0123456789abcdef/ here",
           "key": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----"}
    out = evidence.redact(doc, counter)
    assert out["ansible_password"] == "[redacted]" and out["password"] == "set" and out["password_file"] == "/etc/x.pass"
    assert "$6$" not in out["note"] and "PRIVATE KEY" not in out["key"].replace("[redacted private key]", "")
    assert counter[0] == 3


def test_redaction_keeps_hosts_whose_names_sound_secret():
    counter = [0]
    doc = {"hosts": {"pc-secret-1": {"name": "pc-secret-1", "vars": {"snmp_community": "public"}}}}
    out = evidence.redact(doc, counter)
    assert out["hosts"]["pc-secret-1"]["name"] == "pc-secret-1"
    assert out["hosts"]["pc-secret-1"]["vars"]["snmp_community"] == "[redacted]" and counter[0] == 1
