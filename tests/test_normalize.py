"""Facts documents are versioned and schema-checked; what does not fit becomes an error, never a pass."""

from __future__ import annotations

import pytest

from checker import normalize
from checker.errors import NormalizeError
from checker.models import GatherOutcome, Host

HOST = Host(name="pc1", platform="linux", role="terminal", zone="office")


def raw(**facts):
    return {"platform": "linux", "collected_at": "2026-11-27T08:00:00Z", "collector": {"name": "t"},
            "facts": {k: {"source": "test", "value": v} for k, v in facts.items()}}


def test_a_good_document_passes_the_schema():
    out = GatherOutcome("pc1", "ok", raw=raw(routes=[{"dst": "default", "gateway": "10.0.0.1", "dev": "eth0",
                                                       "table": "main", "family": "inet", "type": "unicast"}]))
    doc = normalize.document(HOST, out).document
    assert doc["schema"] == "zicha.facts/v1"
    assert doc["facts"]["routes"]["value"][0]["gateway"] == "10.0.0.1"


def test_a_fact_that_breaks_its_schema_becomes_an_error():
    out = GatherOutcome("pc1", "ok", raw=raw(routes=[{"dst": 42, "gateway": None, "family": "inet"}], probes=[]))
    facts = normalize.document(HOST, out).document["facts"]
    assert "value" not in facts["routes"]
    assert facts["routes"]["error"].startswith("unparsable: 0/dst: 42 is not of type 'string'")
    assert facts["probes"] == {"source": "test", "value": []}


def test_accounts_may_not_carry_anything_but_verdicts():
    acc = {"name": "root", "password": "set", "weak": False, "hash": "$y$j9T$..."}
    facts = normalize.document(HOST, GatherOutcome("pc1", "ok", raw=raw(accounts=[acc]))).document["facts"]
    assert "Additional properties are not allowed ('hash'" in facts["accounts"]["error"]
    assert "$y$" not in str(facts)


def test_an_unreachable_host_gets_a_document_without_facts():
    doc = normalize.document(HOST, GatherOutcome("pc1", "unreachable", "ssh: timed out")).document
    assert doc["gather"] == {"status": "unreachable", "method": "ansible", "reason": "ssh: timed out"}
    assert doc["facts"] == {}


def test_a_collector_of_another_platform_is_refused():
    r = raw()
    r["platform"] = "windows"
    with pytest.raises(NormalizeError, match="the inventory says linux but the collector says windows"):
        normalize.document(HOST, GatherOutcome("pc1", "ok", raw=r))


# -- the fast check (fastjsonschema) must never accept what the schema (jsonschema) refuses

def _real_facts() -> list[tuple[str, object]]:
    """(fact, value) pairs as zicha reads them: this machine's Linux facts, the device corpus, the Windows
    recordings."""
    from pathlib import Path

    import checker.devices as devices
    from ansible_collections.zicha.audit.plugins.modules import linux_facts
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
    from checker import fsio, windows
    from tests import windows_recordings

    docs = [linux_facts.collect({"internet_probes": []})["facts"]]
    judge = Judge(lambda u: [], key=b"k" * 32)
    for cfg in sorted((Path(__file__).parent / "fixtures" / "devices" / "configs").glob("*.cfg"))[::3]:
        text = fsio.decode(cfg.read_bytes())
        docs.append(devices.facts(text, devices.detect(text), "cfg", judge))
    for t in ("terminal-a-compliant", "terminal-b-noncompliant", "terminal-c-win7"):
        docs.append(windows.facts(windows_recordings.raw_of(t)))
    return [(k, env["value"]) for d in docs for k, env in d.items() if isinstance(env, dict) and "value" in env]


@pytest.fixture(scope="module")
def real_facts():
    pairs = _real_facts()
    assert len({k for k, _ in pairs}) >= 25  # most facts of the schema are seen
    return pairs


def _schema_says(key, value) -> bool:
    return normalize._validators()[1][key].is_valid(value)


def test_every_real_fact_fits_both_checks(real_facts):
    for key, value in real_facts:
        assert normalize._fits(key, value) is True, key
        assert _schema_says(key, value) is True, key


def _leaves(v, path=()):
    if isinstance(v, dict):
        for k, x in v.items():
            yield from _leaves(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from _leaves(x, path + (i,))
    yield path


def _replace(v, path, new):
    import copy

    if not path:
        return new
    v = copy.deepcopy(v)
    at = v
    for p in path[:-1]:
        at = at[p]
    at[path[-1]] = new
    return v


ODD = [True, False, None, 0, -1, 1.0, 1.5, 2 ** 70, "", "x" * 300, "0", [], {}, [None], {"k": 1}, "10.0.0.1/33"]


def test_the_fast_check_never_accepts_what_the_schema_refuses(real_facts):
    """Every leaf and branch of every real fact replaced by odd values, one at a time (type, bool for a number,
    a float for an integer, null, empty): wherever the schema refuses the result, so does the fast check."""
    refused = 0
    for key, value in real_facts[::2]:
        for path in list(_leaves(value))[:40]:
            for odd in ODD:
                mutated = _replace(value, path, odd)
                schema = _schema_says(key, mutated)
                if not schema:
                    refused += 1
                    assert normalize._fits(key, mutated) is False, (key, path, odd)
    assert refused > 1000  # the mutations did reach what the schema forbids


def test_a_schema_keyword_the_fast_check_does_not_know_is_refused(monkeypatch):
    normalize._fast_checks.cache_clear()
    monkeypatch.setattr(normalize, "FAST_KEYWORDS", normalize.FAST_KEYWORDS - {"pattern"})
    try:
        with pytest.raises(NormalizeError, match="pattern"):
            normalize._fast_checks()
    finally:
        normalize._fast_checks.cache_clear()


def test_a_broken_envelope_is_refused_by_the_fast_check_too():
    good = normalize.document(HOST, GatherOutcome("pc1", "ok", raw=raw(probes=[]))).document
    assert normalize._fits(normalize.WHOLE, good)
    for broken in ({**good, "extra": 1}, {**good, "gather": {"status": "maybe", "method": "ansible"}},
                   {**good, "facts": {"probes": {"value": []}}}, {k: v for k, v in good.items() if k != "host"}):
        assert not normalize._validators()[0].is_valid(broken)
        assert not normalize._fits(normalize.WHOLE, broken)
        with pytest.raises(NormalizeError):
            normalize.validate(broken)
