"""Property tests (hypothesis) of the device parsers: garbage and mutated configurations never crash them, never
read as facts, and what a terminal or a firmware version adds around the same configuration never changes
what it says.

- Garbage (any text, any bytes) through devices.facts: no exception, and no fact but the device's own name is
  read from it (so no rule can pass on it: a needed fact that is an error makes the rule an error).
- Mutations of the corpus configurations (lines deleted, duplicated, swapped, cut, re-indented, characters
  changed) through each vendor's parser: no exception, and the facts are valid against the facts schema.
- MAC tables and password forms, garbage and mutations: no exception; an empty table only where the vendor
  said so; round trips of the publicly reversible and verifiable forms hold.
- Issue 10: splicing noise lines (prompts, pager remnants, timestamps, messages), reordering views, inserting
  indented `#`/`!` where firmware prints them and adding commands the parser does not know leave every fact as
  it was, so no verdict can change; and, decided by a real OPA server, no fail or error becomes a pass.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import devices, normalize
from checker.devices import clean, mactable, passwords, tree
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
from checker.snapshot import decode

CORPUS = Path(__file__).parent.parent / "fixtures" / "devices"
# no candidate: the properties are about reading, not about which password is weak (and a candidate list would
# run scrypt and PBKDF2 for every hashed account of every example)
JUDGE = Judge(lambda user: [], key=b"p" * 32)
PLATFORM = {"hw": "huawei_vrp", "usg": "huawei_usg", "h3c": "h3c_comware", "c2": "cisco_ios", "c3": "cisco_ios",
            "c9": "cisco_ios", "isr": "cisco_ios"}


def platform_of(name: str) -> str:
    return next(p for prefix, p in PLATFORM.items() if name.startswith(prefix))


CONFIGS = {p.stem: decode(p.read_bytes()) for p in sorted((CORPUS / "configs").glob("*.cfg"))}
BY_LANGUAGE = {
    "huawei": [n for n in CONFIGS if platform_of(n) in ("huawei_vrp", "huawei_usg")],
    "comware": [n for n in CONFIGS if platform_of(n) == "h3c_comware"],
    "ios": [n for n in CONFIGS if platform_of(n) == "cisco_ios"],
}
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def lines_of(name: str) -> list[str]:
    return CONFIGS[name].replace("\r\n", "\n").split("\n")


# ---------------------------------------------------------------------------------------------------------------
# garbage
# ---------------------------------------------------------------------------------------------------------------

NOISE_TEXT = st.one_of(st.text(max_size=3000), st.binary(max_size=3000).map(decode))
#: fragments in the vocabulary of configurations, glued at random
FRAGMENTS = st.lists(st.sampled_from(["#", "!", " #", "return", "end", "sysname x", "hostname x", "aaa", " local-user a",
                              "username a", "interface Gi0/1", " password", "banner motd ^C", "^C", "version 15.2",
                              " version 7.1.070, Release 1", "\x1b[42D", "  ---- More ----", "\x08", "%^%#", "",
                              "Building configuration...", "<sw>", "[sw]", "sw#", " " * 40]),
             max_size=200).map("\n".join)
GARBAGE = st.one_of(NOISE_TEXT, FRAGMENTS)


@settings(max_examples=1000, **SETTINGS)
@given(NOISE_TEXT)
def test_garbage_never_crashes_and_reads_as_nothing(text):
    for platform in devices.PLATFORMS:
        facts = devices.facts(text, platform, "garbage", JUDGE)
        assert set(facts) == set(devices.FACT_KEYS)
        read = [k for k, v in facts.items() if k != "device" and "value" in v]
        # no rule can pass on it: every fact a rule needs is an error
        assert not read, (platform, read, text[:300])


@settings(max_examples=1000, **SETTINGS)
@given(FRAGMENTS)
def test_fragments_of_configurations_read_only_as_whole_ones(text):
    """Glued fragments are read only when they make a whole configuration: the device's name, an interface,
    the vty lines and the firmware's last line; a login account only where one was written."""
    for platform in devices.PLATFORMS:
        facts = devices.facts(text, platform, "fragments", JUDGE)
        read = [k for k, v in facts.items() if k != "device" and "value" in v]
        if read:
            lines = [line.strip() for line in clean.clean(text)]
            assert any(w in ("return", "end") for w in lines)
            assert any(w.startswith(("sysname", "hostname")) for w in lines)
            assert any(w.startswith("interface") for w in lines)
        if "value" in facts["users"]:
            assert any(w.strip().startswith(("local-user", "username")) for w in text.split("\n"))


# ---------------------------------------------------------------------------------------------------------------
# mutations of valid configurations, each vendor's parser
# ---------------------------------------------------------------------------------------------------------------

@st.composite
def mutated(draw, language: str) -> tuple[str, str]:
    name = draw(st.sampled_from(BY_LANGUAGE[language]))
    lines = lines_of(name)
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "cut", "indent", "dedent", "chars", "insert"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines = lines[:i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "chars":
            s = lines[i]
            k = draw(st.integers(0, len(s)))
            lines[i] = s[:k] + draw(st.text(max_size=12)) + s[k + 1:]
        else:
            lines.insert(i, draw(st.text(max_size=60)))
    return platform_of(name), "\n".join(lines)


def _check_parse(platform: str, text: str) -> None:
    # the parser itself, not the facts() safety net: a parser exception is a failure here
    facts, problems, cfg = devices.parse(clean.clean(text), platform, JUDGE)
    assert set(facts) == set(devices.FACT_KEYS)
    envs = normalize.check_facts(devices.facts(text, platform, "mutated", JUDGE))
    bad = [k for k, v in envs.items() if "error" in v and v["error"].startswith("unparsable")]
    assert not bad, (bad, envs)  # every value read is valid against the facts schema
    if not cfg.complete:
        assert all("error" in v for k, v in envs.items() if k != "device")


@settings(max_examples=1000, **SETTINGS)
@given(mutated("huawei"))
def test_the_huawei_parser_survives_mutations(case):
    _check_parse(*case)


@settings(max_examples=1000, **SETTINGS)
@given(mutated("comware"))
def test_the_comware_parser_survives_mutations(case):
    _check_parse(*case)


@settings(max_examples=1000, **SETTINGS)
@given(mutated("ios"))
def test_the_ios_parser_survives_mutations(case):
    _check_parse(*case)


# ---------------------------------------------------------------------------------------------------------------
# MAC tables and password forms
# ---------------------------------------------------------------------------------------------------------------

TABLES = {p.stem: p.read_text(encoding="utf-8") for p in sorted((CORPUS / "mac-tables").glob("*.txt"))}


@st.composite
def table(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(TABLES)))
    lines = TABLES[name].split("\n")
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        op = draw(st.sampled_from(["delete", "chars", "insert", "cut"]))
        if op == "delete" and lines:
            del lines[i]
        elif op == "chars" and lines:
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.text(max_size=10)) + lines[i][k + 1:]
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=80)))
        else:
            lines = lines[:i]
    platform = "huawei_vrp" if name.startswith("hw") else "h3c_comware" if name.startswith("h3c") else "cisco_ios"
    return platform, "\n".join(lines)


@settings(max_examples=1000, **SETTINGS)
@given(st.one_of(table(), st.tuples(st.sampled_from(["huawei_vrp", "h3c_comware", "cisco_ios"]), GARBAGE)))
def test_mac_tables_garbage_and_mutations(case):
    platform, text = case
    got = mactable.fact(platform, "mac", text)
    assert set(got) in ({"source", "value"}, {"source", "error"})
    if "value" in got:
        assert all(r["mac"].count(":") == 5 and r["interface"] for r in got["value"])
        if not got["value"]:
            assert mactable.empty_table(platform, "\n".join(clean.clean(text)).strip("\n") + "\n")


@settings(max_examples=1000, **SETTINGS)
@given(st.sampled_from(["huawei", "h3c", "cisco", "huawei_usg"]),
       st.one_of(st.text(max_size=200), st.sampled_from(["simple", "cipher", "hash", "irreversible-cipher",
                                                          "password 7", "secret 5", "secret 9"]).flatmap(
           lambda kw: st.text(max_size=120).map(lambda t: f"{kw} {t}"))))
def test_password_forms_garbage(vendor, text):
    c = passwords.classify(vendor, text)
    assert c["storage"] in ("plain", "reversible", "hash", "unknown")
    passwords.decrypt(vendor, text)
    passwords.verify(vendor, text, "Admin@123")
    rec = JUDGE.credential(vendor, text, "admin")
    assert rec["weak"] in (True, False, None)
    if c["storage"] == "unknown" or (c["storage"] in ("reversible", "hash") and not c["verifiable"]):
        assert rec["weak"] is None  # never "strong" for what could not be tested


@settings(max_examples=1000, **SETTINGS)
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e), min_size=1, max_size=64),
       st.integers(0, 15))
def test_reversible_forms_round_trip(password, seed):
    assert passwords.decrypt_huawei_des(passwords.encrypt_huawei_des(password)) == password
    assert passwords.decrypt_cisco7(passwords.encrypt_cisco7(password, seed)) == password
    des = passwords.encrypt_huawei_des(password)
    assert passwords.classify("huawei", f"cipher {des}")["scheme"] == "huawei-des-ecb"


@settings(max_examples=200, **SETTINGS)
@given(st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_verifiable_hashes_verify_their_own_password(password):
    for vendor, form in (("h3c", passwords.h3c_h6(password)), ("cisco", "4 " + passwords.cisco_type4(password)),
                         ("cisco", "8 " + passwords.cisco_type8(password))):
        assert passwords.verify(vendor, form, password) is True
        assert passwords.verify(vendor, form, password + "x") is False


# ---------------------------------------------------------------------------------------------------------------
# issue 10: what a terminal or firmware adds around the same configuration changes nothing
# ---------------------------------------------------------------------------------------------------------------

NOISE = st.sampled_from([
    "", "<SW-NOISE>", "<SW-NOISE>display current-configuration", "[SW-NOISE]", "[~SW-NOISE-aaa]", "SW-NOISE#",
    "SW-NOISE#show running-config", "SW-NOISE>", "  ---- More ----", "  ---- More ----\x1b[42D" + " " * 42 + "\x1b[42D",
    " --More-- " + "\x08" * 10 + " " * 10 + "\x08" * 10, "14:38:43  2026/11/20", "2026-11-20 10:02:17.405 +08:00",
    "Load for five secs: 2%/0%; one minute: 1%; five minutes: 1%", "Time source is NTP, 10:15:32.118 CST Fri Nov 20 2026",
    "Info: The max number of VTY users is 5, and the number of current VTY users on line is 1.",
])


def _sections(lines: list[str], sep: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line[:1] in sep and not line[:1].isspace() and line.strip() in (sep[0], "!"):
            out.append([line])
        else:
            out[-1].append(line)
    return out


@st.composite
def dressed(draw, name: str) -> str:
    """The same configuration as another terminal, firmware build or capture would print it."""
    platform = platform_of(name)
    sep = "!" if platform == "cisco_ios" else "#"
    lines = lines_of(name)
    cfg = tree.parse(clean.clean(CONFIGS[name]), {"cisco_ios": "ios", "h3c_comware": "comware"}.get(platform, "huawei"))
    # commands the parser does not know: a sub-command as the first child of a view, at its children's depth
    # (added from the bottom up, so the line numbers of the tree still point where they should)
    views = [n for n in cfg.walk() if n.children and n.line <= len(lines)]
    for node in sorted(draw(st.lists(st.sampled_from(views), max_size=3, unique_by=lambda n: n.line)) if views else [],
                       key=lambda n: -n.line):
        lines.insert(node.line, " " * node.children[0].indent + "zz-unknown-subcommand 7 fast")
    # reorder the sections between column-0 separators (the first two and the last stay: header and end)
    if draw(st.booleans()):
        secs = _sections(lines, sep)
        if len(secs) > 4:
            middle = secs[2:-1]
            order = draw(st.permutations(range(len(middle))))
            lines = [line for s in secs[:2] + [middle[k] for k in order] + secs[-1:] for line in s]
    # a new top-level command in a section of its own, before some column-0 separator
    if draw(st.booleans()):
        at = [i for i, line in enumerate(lines) if line.strip() == sep and not line.startswith(" ")][1:]
        if at:
            i = draw(st.sampled_from(at))
            lines[i:i] = [sep, "zz-unknown-feature enable"]
    # indented separators where firmware prints them: before a line of at most that depth
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(1, len(lines) - 1))
        depth = len(lines[i]) - len(lines[i].lstrip(" "))
        if depth > 0 and lines[i].strip():
            lines.insert(i, " " * draw(st.integers(depth, depth + 2)) + sep)
    # noise a terminal adds, between lines
    for _ in range(draw(st.integers(0, 6))):
        lines.insert(draw(st.integers(0, len(lines))), draw(NOISE))
    return "\n".join(lines)


def essence(facts: dict) -> str:
    """The facts without where each came from (line numbers) and in one order."""
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("line", "source_lines", "unread")}
        if isinstance(x, list):
            return sorted((strip(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(x, str):
            return re.sub(r"\(line \d+\)|line \d+|lines? [\d, ]+", "line N", x)
        return x
    return json.dumps(strip(facts), sort_keys=True, ensure_ascii=False)


ESSENCE = {name: essence(devices.facts(text, platform_of(name), "x", JUDGE)) for name, text in CONFIGS.items()}


@settings(max_examples=600, **SETTINGS)
@given(st.sampled_from(sorted(CONFIGS)).flatmap(lambda n: st.tuples(st.just(n), dressed(n))))
def test_noise_order_separators_and_unknown_commands_change_no_fact(case):
    name, text = case
    assert essence(devices.facts(text, platform_of(name), "x", JUDGE)) == ESSENCE[name], name


@pytest.fixture(scope="module")
def decider():
    from tests.device_verdicts import Decider

    with Decider(JUDGE) as d:
        yield d


ROLES = {name: __import__("yaml").safe_load((CORPUS / "expected" / f"{name}.yml").read_text(encoding="utf-8"))["role"]
         for name in CONFIGS}


@settings(max_examples=20, **SETTINGS)
@given(st.tuples(*(dressed(n) for n in sorted(CONFIGS))))
def test_no_fail_or_error_becomes_a_pass(decider, texts):
    """Decided by a real OPA server: every corpus device as printed, and dressed otherwise, side by side."""
    names = sorted(CONFIGS)
    original = decider.verdicts({n: (CONFIGS[n], platform_of(n), ROLES[n]) for n in names})
    dressed_ = decider.verdicts({n: (t, platform_of(n), ROLES[n]) for n, t in zip(names, texts)})
    turned = [(h, r) for (h, r), st_ in original.items() if st_ in ("fail", "error") and dressed_[(h, r)] == "pass"]
    assert not turned, turned
