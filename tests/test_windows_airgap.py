"""An air-gapped (涉密) Windows computer: zicha-collect.ps1 runs on it from a USB stick and signs what it gathered
with an RSA collector key (Windows PowerShell 5.1 has no Ed25519); the file is carried back and imported.

No Windows host runs here: the script is checked by a real PowerShell grammar (test_powershell_syntax.py) and for
being made from the WinRM module's own code; its output is made from recorded outputs by `winscript.document`,
which writes the same fields, canonical JSON and signature as the script's last part."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET

import pytest

from checker import cli, config, offline, signing, winscript
from tests.conftest import results_of, run_zicha, write_inventory
from tests.windows_recordings import collected, write_collected


@pytest.fixture(scope="module")
def collector_key(tmp_path_factory):
    d = tmp_path_factory.mktemp("collector-keys")
    priv, pub = signing.keygen(d, "rsa-sha256", "usb-collector")
    return priv, pub


def test_the_collector_key_for_powershell_is_the_same_rsa_key_in_dotnets_form(collector_key):
    """zicha-collect.ps1 reads NAME.ps-key.json: .NET's RSAKeyValue XML (FromXmlString wants P, Q, DP, DQ and
    InverseQ exactly half the modulus' length, D exactly its length) and the fingerprint the importer matches."""
    from cryptography.hazmat.primitives import serialization

    priv, pub = collector_key
    ps = json.loads(priv.with_name("usb-collector" + signing.PS_KEY_SUFFIX).read_text())
    assert oct(priv.with_name("usb-collector" + signing.PS_KEY_SUFFIX).stat().st_mode & 0o777) == "0o600"
    assert ps["algorithm"] == "rsa-sha256" and ps["key_fingerprint"] == signing.load_public(pub).fingerprint
    xml = ET.fromstring(ps["rsa_key_value"])
    got = {e.tag: base64.b64decode(e.text) for e in xml}
    numbers = serialization.load_pem_private_key(priv.read_bytes(), None).private_numbers()
    size = numbers.public_numbers.n.bit_length() // 8
    assert size == signing.RSA_BITS // 8
    want = {"Modulus": numbers.public_numbers.n, "Exponent": numbers.public_numbers.e, "P": numbers.p,
            "Q": numbers.q, "DP": numbers.dmp1, "DQ": numbers.dmq1, "InverseQ": numbers.iqmp, "D": numbers.d}
    assert {k: int.from_bytes(v, "big") for k, v in got.items()} == want
    assert {k: len(v) for k, v in got.items() if k in ("P", "Q", "DP", "DQ", "InverseQ")} == dict.fromkeys(
        ("P", "Q", "DP", "DQ", "InverseQ"), size // 2)
    assert len(got["D"]) == size and len(got["Modulus"]) == size


def test_the_script_is_the_modules_own_code_with_the_default_parameters(tmp_path):
    p = run_zicha("collect-script", "--out", str(tmp_path / "zicha-collect.ps1"))
    assert p.returncode == 0, p.stderr
    shipped = (tmp_path / "zicha-collect.ps1").read_bytes()
    assert shipped.startswith(b"\xef\xbb\xbf")  # Windows PowerShell 5.1 reads a script without a BOM as ANSI
    text = shipped[3:].decode("utf-8")
    assert text == winscript.render_for(config.load_params(None, None))
    assert winscript.shared_body().replace("\n", "\r\n") in text
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")


def test_a_module_without_its_shared_marks_makes_no_script():
    broken = winscript.MODULE.read_text().replace(winscript.END, "# end")
    with pytest.raises(Exception, match="shared marks"):
        winscript.render([], 3, [], [], module=broken)


def test_the_scripts_json_escapes_exactly_what_python_escapes():
    """The signature covers canonical JSON; the script writes it itself. Python's json.dumps(ensure_ascii=False)
    escapes exactly '"', '\\' and U+0000–U+001F, with the short forms \\b \\t \\n \\f \\r: the set and forms the
    script's ConvertTo-ZichaJsonString uses."""
    assert r"'[\x00-\x1f\"\\]'".replace('\\"', '"') in winscript.HEADER
    escaped = {c for c in map(chr, range(0x3000)) if json.dumps(c, ensure_ascii=False) != f'"{c}"'}
    assert escaped == {chr(i) for i in range(0x20)} | {'"', "\\"}
    short = {c: json.dumps(c)[1:-1] for c in escaped if not json.dumps(c)[1:-1].startswith("\\u")}
    assert short == {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
    for code, form in re.findall(r"(\d+) \{ '(\\.)' \}", winscript.HEADER):
        assert short[chr(int(code))] == form
    assert json.dumps("\x01") == '"\\u0001"' and "'\\u{0:x4}' -f $c" in winscript.HEADER


def _audit(tmp_path, files, keys, hosts=("pc-mj-07", "pc-mj-08")):
    """zicha audit of an inventory that lists the air-gapped PCs (zicha_gather: import), as the README walk does."""
    inv = write_inventory(tmp_path / "inventory.yml", {h: {
        "zicha_platform": "windows", "zicha_role": "terminal", "zicha_zone": "classified", "zicha_classified": True,
        "zicha_gather": "import"} for h in hosts})
    out = tmp_path / "out"
    rc = cli.main(["audit", "-i", str(inv), "--import", str(files), "--collector-key", str(keys), "--out", str(out),
                   "--format", "json", "--no-bundle", "--lang", "en"])
    return rc, results_of(out)


def test_a_classified_pc_collected_by_the_script_is_imported_and_fails_offline(tmp_path, collector_key):
    """The walk of the README: the script's file, carried back, imported with the collector's public key. The
    non-compliant recording has a default route: CLASSIFIED-OFFLINE fails on the imported host; the compliant one
    passes. Every result names the import and the file."""
    priv, pub = collector_key
    files = tmp_path / "usb"
    files.mkdir()
    attrs = {"zicha_role": "terminal", "zicha_classified": True, "zicha_zone": "classified"}
    write_collected(collected("terminal-b-noncompliant", "pc-mj-07", attrs, priv), files / "pc-mj-07.json")
    write_collected(collected("terminal-a-compliant", "pc-mj-08", attrs, priv), files / "pc-mj-08.json")
    rc, results = _audit(tmp_path, files, pub)
    assert rc == 1
    off_b, off_a = results[("pc-mj-07", "CLASSIFIED-OFFLINE")], results[("pc-mj-08", "CLASSIFIED-OFFLINE")]
    assert off_b["status"] == "fail" and off_a["status"] == "pass", (off_b, off_a)
    assert "pc-mj-07.json" in json.dumps(off_b["evidence"], ensure_ascii=False)
    assert {r["status"] for (h, _), r in results.items() if h == "pc-mj-08"} >= {"pass"}


def test_a_file_altered_after_collection_or_signed_by_an_unknown_key_is_refused(tmp_path, collector_key):
    priv, pub = collector_key
    files = tmp_path / "usb"
    files.mkdir()
    doc = collected("terminal-b-noncompliant", "pc-mj-07", {"zicha_classified": True}, priv)
    doc["raw"]["raw"]["routes"]["out"] = doc["raw"]["raw"]["routes"]["out"].replace("0.0.0.0/0", "10.0.0.0/8")
    write_collected(doc, files / "pc-mj-07.json")
    other = tmp_path / "other"
    stranger, _ = signing.keygen(other, "rsa-sha256", "stranger")
    write_collected(collected("terminal-a-compliant", "pc-mj-08", {"zicha_classified": True}, stranger),
                    files / "pc-mj-08.json")
    rc, results = _audit(tmp_path, files, pub)
    assert rc == 1
    for host, why in (("pc-mj-07", "signature does not match"), ("pc-mj-08", "not one of the trusted")):
        mine = [r for (h, _), r in results.items() if h == host]
        assert mine and {r["status"] for r in mine} == {"error"}
        assert all(why in r["message"]["en"] for r in mine), (host, mine[0]["message"])


def test_the_imported_file_keeps_its_custody(tmp_path, collector_key):
    priv, pub = collector_key
    doc = collected("terminal-a-compliant", "pc-mj-08", {}, priv)
    path = write_collected(doc, tmp_path / "pc-mj-08.json")
    [(name, (p, read))] = offline.read_dir(tmp_path).items()
    got = offline.outcome(p, read, [signing.load_public(pub)])
    assert got.status == "ok", got.error
    assert got.raw["sha256"] == doc["sha256"] == offline.digest(doc["raw"])
    assert got.raw["collector"]["signed_by"] == signing.load_public(pub).fingerprint
    assert got.raw["platform"] == "windows" and path.read_bytes()[:1] == b"{"
