"""Hostile imported files (`zicha collect` output carried from air-gapped hosts): altered, re-hashed, unsigned,
signed by an unknown key, dated in 2019, 2099 or not at all, naming a path as their host, or carrying attributes
that are no mapping. Each is an error on every rule of that host, or refused in one line (exit 2)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import results_of, run_zicha
from tests.test_snapshot_and_offline import audit_import, collected, collector_key  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


def _rewrite(path, change):
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def _rehash(doc):
    from checker import offline

    doc["sha256"] = offline.digest(doc["raw"])


def _route_removed(doc):
    doc["raw"]["facts"]["routes"]["value"] = []  # someone removed the default route from the file


@pytest.mark.parametrize("change, why", [
    (_route_removed, "signature does not match its contents"),
    # an editor who recomputes the hash: the signature still gives it away
    (lambda d: (_route_removed(d), _rehash(d)), "signature does not match its contents"),
    (lambda d: d.pop("signature"), "the file is not signed"),
    (lambda d: (d.update(collected_at="2019-01-01T00:00:00Z"), d["raw"].update(collected_at="2019-01-01T00:00:00Z")),
     "signature does not match"),
])
def test_an_altered_import_is_an_error_on_every_rule(tmp_path, collected, change, why):
    _rewrite(collected, change)
    p, out = audit_import(tmp_path, collected.parent, "--collector-key", str(tmp_path / "collector-keys"))
    r = results_of(out)
    assert p.returncode == 1
    assert r and all(v["status"] == "error" and why in v["message"]["en"] for v in r.values()), \
        next(iter(r.values()))["message"]["en"]


def test_an_import_signed_by_a_key_nobody_trusts_is_an_error(tmp_path, collected):
    # collector-keys/ beside an inventory is trusted by default
    estate = tmp_path / "estate"
    estate.mkdir()
    (estate / "collector-keys").symlink_to(tmp_path / "collector-keys")
    p, out = audit_import(tmp_path, collected.parent)
    assert all(v["status"] != "error" or "not accepted" not in v["message"]["en"] for v in results_of(out).values())
    (estate / "collector-keys").unlink()
    p, out = audit_import(tmp_path, collected.parent)  # no --collector-key, no collector-keys/ beside it
    assert all(v["status"] == "error" and "no collector key is trusted" in v["message"]["en"]
               for v in results_of(out).values())
    other = tmp_path / "other-keys"
    run_zicha("keygen", "--out", str(other), "--name", "someone")
    p, out = audit_import(tmp_path, collected.parent, "--collector-key", str(other / "someone.pub"))
    assert all("not one of the trusted collector keys" in v["message"]["en"] for v in results_of(out).values())


@pytest.mark.parametrize("when, why", [
    ("2019-06-01T08:00:00Z", "more than 30 days ago"),
    ("2099-01-01T00:00:00Z", "in the future"),
    ("not a date", "is not a time"),
])
def test_an_import_collected_too_long_ago_or_in_the_future_is_refused(tmp_path, collected, collector_key, when, why):
    from checker import offline

    def redate(doc):
        doc["collected_at"] = doc["raw"]["collected_at"] = when
        _rehash(doc)
        doc.update(offline.sign(doc, collector_key))  # signed by the real key: only the date is wrong

    _rewrite(collected, redate)
    p, out = audit_import(tmp_path, collected.parent, "--collector-key", str(tmp_path / "collector-keys"))
    assert all(v["status"] == "error" and why in v["message"]["en"] for v in results_of(out).values())


@pytest.mark.parametrize("change, why", [
    (lambda d: d.update(host="../../x"), "not a host name zicha accepts"),
    (lambda d: d.update(host="/abs/x"), "not a host name zicha accepts"),
    (lambda d: d.update(host="sub/dir"), "not a host name zicha accepts"),
    (lambda d: d.update(attributes=["zicha_role", "terminal"]), "attributes must be a mapping"),
])
def test_an_imported_file_cannot_name_a_path_or_crash_zicha(tmp_path, collected, change, why):
    _rewrite(collected, change)
    p, out = audit_import(tmp_path, collected.parent, "--collector-key", str(tmp_path / "collector-keys"))
    assert p.returncode == 2 and why in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert not (tmp_path / "x.json").exists() and not (out / "facts").exists()
