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
