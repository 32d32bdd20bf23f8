"""The platform registry is the one home of a platform: a platform that exists only in this test (registered
here, nowhere else in zicha) is read from the inventory, normalised by its own code and decided by the rules
for its kind of host."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from checker import cli, offline, platforms
from tests.conftest import results_of, write_inventory

pytestmark = pytest.mark.integration


def _acme_facts(raw):
    """The fake collector prints `av=<on|off> sig=<YYYY-MM-DD>`; this is how its text becomes zicha's facts."""
    words = dict(w.split("=", 1) for w in raw["raw"]["status"].split())
    return {"antivirus": {"source": "acme-status", "value": {"products": [{
        "product": "AcmeGuard", "enabled": words["av"] == "on", "realtime": words["av"] == "on",
        "signatures_updated_at": f"{words['sig']}T00:00:00Z", "signature_age_days": None,
        "signatures_up_to_date": None, "source": "acme-status"}]}}}


@pytest.fixture
def acme():
    p = platforms.register(platforms.Platform(id="acme_os", kind="computer", title={"zh": "Acme", "en": "Acme"},
                                              normalize=_acme_facts))
    yield p
    platforms.unregister("acme_os")


def _collected(folder, key, host, status):
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    raw = {"platform": "acme_os", "collected_at": now, "collector": {"name": "acme"}, "raw": {"status": status}}
    doc = {"schema": offline.SCHEMA, "host": host, "attributes": {}, "collector": {"tool": "acme"},
           "collected_at": now, "raw": raw, "sha256": offline.digest(raw)}
    (folder / f"{host}.json").write_text(json.dumps(offline.sign(doc, key)))


def test_a_platform_registered_in_a_test_is_audited_like_any_computer(tmp_path, acme, capsys):
    assert cli.main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    key = tmp_path / "keys" / "zicha-signing.key"
    imports = tmp_path / "import"
    imports.mkdir()
    today = dt.date.today().isoformat()
    _collected(imports, key, "pc-acme-good", f"av=on sig={today}")
    _collected(imports, key, "pc-acme-stale", "av=on sig=2020-01-01")
    host = {"zicha_role": "terminal", "zicha_platform": "acme_os", "zicha_gather": "import"}
    (tmp_path / "estate").mkdir()
    inv = write_inventory(tmp_path / "estate" / "inv.yml", {"pc-acme-good": host, "pc-acme-stale": host})
    out = tmp_path / "out"
    rc = cli.main(["audit", "-i", str(inv), "--import", str(imports), "--collector-key", str(tmp_path / "keys"),
                   "--out", str(out), "-f", "json", "--no-bundle", "--lang", "en"])
    assert rc == 1, capsys.readouterr().err
    r = results_of(out)
    assert r[("pc-acme-good", "ANTIVIRUS-UPDATED")]["status"] == "pass"
    stale = r[("pc-acme-stale", "ANTIVIRUS-UPDATED")]
    assert stale["status"] == "fail" and "signatures of AcmeGuard are out of date" in stale["message"]["en"]
    assert r[("pc-acme-good", "SWITCH-PORT-BINDING")]["status"] == "not_applicable"  # a computer, not a device
    facts = json.loads((out / "facts" / "pc-acme-good.json").read_text())
    assert facts["platform"] == "acme_os" and facts["facts"]["antivirus"]["source"] == "acme-status"


def test_an_unknown_platform_is_named_with_the_registered_ones(tmp_path):
    from checker import inventory
    from checker.errors import InventoryError

    with pytest.raises(InventoryError, match="is not one of linux, windows, huawei_vrp"):
        inventory.host_from_vars("x", {"zicha_role": "server", "zicha_platform": "acme_os"})
