"""Applicability follows the inventory, not the collector (issue 11).

A rule concerns a host by its role, zone or classification. Whether zicha can read the facts it needs on that
host's platform is another matter: where it cannot, the answer is `error` ("cannot be checked on windows yet"),
never `not_applicable`. Decided by a real OPA server with the shipped policies and parameters: for every rule,
a Linux and a Windows computer of the same role, zone and classification are either both concerned or neither.
"""

from __future__ import annotations

import itertools

import pytest

from checker import config, evaluate, platforms

NOW = "2026-11-29T00:00:00Z"
ROLES = ("server", "terminal", "firewall")
ZONES = ("office", "private", "classified", "dmz")


def host(platform: str, role: str, zone: str, classified: bool, extra: dict | None = None) -> dict:
    return {"platform": platform, "role": role, "zone": zone, "classified": classified,
            "vars": {"zicha_backup_required": True, **(extra or {})},
            "gather": {"status": "ok", "method": "test"}, "collected_at": NOW, "facts": {}}


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    computers = platforms.ids("computer")
    assert {"linux", "windows"} <= set(computers)
    hosts = {}
    for platform, role, zone, classified in itertools.product(computers, ROLES, ZONES, (False, True)):
        hosts[f"{platform}-{role}-{zone}-{int(classified)}"] = host(platform, role, zone, classified)
    log = tmp_path_factory.mktemp("opa") / "opa.log"
    with evaluate.OpaServer(log_path=log) as s, evaluate.Evaluator(s.url) as ev:
        ev.load(config.opa_data(config.load_params(), {"zones": {}, "hosts": {}}))
        decision = ev.decide({"now": NOW, "hosts": hosts})
    return computers, {(r.host, r.rule): r for r in decision.results}


def test_every_rule_concerns_a_computer_whatever_its_platform(decided):
    computers, results = decided
    rules = sorted({rule for _, rule in results})
    assert len(rules) >= 25
    differ = []
    for rule, role, zone, classified in itertools.product(rules, ROLES, ZONES, (0, 1)):
        concerned = {p: results[(f"{p}-{role}-{zone}-{classified}", rule)].status != "not_applicable"
                     for p in computers}
        if len(set(concerned.values())) > 1:
            differ.append((rule, role, zone, classified, concerned))
    assert differ == []


def test_a_classified_windows_pc_without_facts_is_an_error_never_not_applicable(decided):
    _, results = decided
    r = results[("windows-terminal-classified-1", "CLASSIFIED-OFFLINE")]
    assert r.status == "error"
    assert "fact routes is missing" in r.message["en"], r.message  # zicha reads them on Windows: none were given


def test_where_windows_facts_are_not_gathered_yet_the_verdict_says_so(decided):
    """The rules that do not read Windows facts yet say so, by name of the platform; none of them passes."""
    _, results = decided
    windows = [r for (h, _), r in results.items() if h.startswith("windows-")]
    assert not [r for r in windows if r.status == "pass"]
    cannot = {r.rule for r in windows if r.status == "error" and "cannot be checked on windows yet" in r.message["en"]}
    # only a Windows host the inventory makes a firewall or router, for the policy between zones: zicha reads no
    # Windows forwarding configuration (its port mappings it reads: portproxy, WinNAT)
    assert cannot == {"BOUNDARY-FIREWALL"}, cannot
    cannot_hosts = {h for (h, _), r in results.items() if h.startswith("windows-") and r.status == "error"
                    and "cannot be checked on windows yet" in r.message["en"]}
    assert all("-firewall-" in h or "-router-" in h for h in cannot_hosts), cannot_hosts  # read on Windows now
