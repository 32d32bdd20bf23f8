"""A configuration cut short is not a shorter configuration.

A backup interrupted mid-transfer, a session log closed too early, a banner whose closing delimiter was lost:
what the configuration would have said after the cut is unknown, so every rule that reads it says error. None
may pass where the whole configuration fails (issue 8: a Cisco configuration cut before its `username` lines,
a USG one cut inside `aaa`, an unclosed `banner motd ^C` that swallows the rest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import devices
from tests.device_verdicts import Decider

CORPUS = Path(__file__).parent.parent / "fixtures" / "devices" / "configs"


def config(name: str) -> str:
    from checker.snapshot import decode

    return decode((CORPUS / f"{name}.cfg").read_bytes())


def cut_before(text: str, marker: str) -> str:
    at = text.index(marker)
    assert at > 0
    return text[:at]


CASES = {
    # the users of a Cisco router come after the enable secret: cut between them
    "cisco cut before its username lines": (
        lambda: cut_before(config("isr1941-ios15-branch"), "username admin"), "isr1941-ios15-branch", "cisco_ios",
        "router"),
    # the manager-users of a USG sit inside aaa, after its schemes
    "USG cut inside aaa": (
        lambda: cut_before(config("usg6300-v500r001-hq"), " manager-user admin"), "usg6300-v500r001-hq",
        "huawei_usg", "firewall"),
    # a banner whose closing ^C never comes swallows everything after it
    "Cisco banner never closed": (
        lambda: config("c2960-ios122-3f").replace("ip default-gateway", "banner motd ^C\nAuthorized only\n"
                                                  "ip default-gateway", 1), "c2960-ios122-3f", "cisco_ios", "switch"),
    # a Huawei header (login banner) whose closing quote never comes
    "VRP header never closed": (
        lambda: config("hw-s3700-floor2").replace(' header login information "Authorized personnel only / '
                                                  '非授权人员禁止登录"', ' header login information "Authorized', 1),
        "hw-s3700-floor2", "huawei_vrp", "switch"),
    # a Comware configuration cut in the middle of its interfaces
    "Comware cut mid-interfaces": (
        lambda: cut_before(config("h3c-s5120-v5-4f"), "interface GigabitEthernet1/0/9\n"), "h3c-s5120-v5-4f",
        "h3c_comware", "switch"),
}


@pytest.fixture(scope="module")
def decided():
    with Decider() as d:
        full = {f"full-{k}": (config(name), platform, role) for k, (_, name, platform, role) in CASES.items()}
        cut = {f"cut-{k}": (make(), platform, role) for k, (make, _, platform, role) in CASES.items()}
        yield d.verdicts({**full, **cut}), d


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_pass_that_the_whole_configuration_fails(decided, case):
    verdicts, _ = decided
    rules = {rule for host, rule in verdicts if host == f"full-{case}"}
    turned = [rule for rule in rules if verdicts[(f"full-{case}", rule)] != "pass"
              and verdicts[(f"cut-{case}", rule)] == "pass"]
    assert not turned, turned


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_rule_that_reads_the_configuration_says_error(decided, case):
    verdicts, d = decided
    statuses = {rule: st for (host, rule), st in verdicts.items() if host == f"cut-{case}" and st != "not_applicable"}
    assert statuses and set(statuses.values()) == {"error"}, statuses
    make, _, platform, _ = CASES[case]
    facts = d.facts(make(), platform)
    assert facts["device"].get("value") is not None  # what the top said (name, version) is kept
    problems = {v["error"] for k, v in facts.items() if k != "device"}
    assert len(problems) == 1 and problems.pop().startswith("incomplete configuration:")


@pytest.mark.parametrize("name, platform", [
    ("hw-s5720-office-core", "huawei_vrp"), ("usg6550-v500r005-dc", "huawei_usg"), ("h3c-s5130-v7-6f", "h3c_comware"),
    ("c3750x-ios15-finance", "cisco_ios"), ("isr4331-iosxe16-hq", "cisco_ios"), ("h3c-msr3620-v5-wan", "h3c_comware"),
])
def test_a_cut_at_any_line_leaves_no_fact_readable(name, platform):
    """Wherever the file is cut, no fact but the device's name and version is read from it."""
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

    judge = Judge(lambda user: [], key=b"t" * 32)
    lines = config(name).splitlines(keepends=True)
    end = max(i for i, line in enumerate(lines) if line.strip() in ("return", "end"))
    for i in range(1, end, 3):
        facts = devices.facts("".join(lines[:i]), platform, "cut", judge)
        readable = [k for k, v in facts.items() if k != "device" and "value" in v]
        assert not readable, (i, readable)


def test_text_after_the_end_is_not_read():
    """Output after `end` (a second command's reply saved in the same file) changes nothing."""
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

    judge = Judge(lambda user: [], key=b"t" * 32)
    text = config("c3750x-ios15-finance")
    tail = text + "\nSW3750X-FIN#show version\nusername intruder privilege 15 password 0 intruder\nip http server\n"
    a, b = devices.facts(text, "cisco_ios", "x", judge), devices.facts(tail, "cisco_ios", "x", judge)
    assert a == b
