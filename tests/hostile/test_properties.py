"""Property tests (hypothesis): every parser and normaliser outside the device parsers is fed garbage and
mutations of valid input. No crash, no traceback, and nothing read from garbage: where the input is not what
the parser reads, its facts are errors, never values a rule could pass on.

(The device configuration parsers have their own in tests/hostile/test_device_*.py.)"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import jsonio, normalize, windows
from checker.models import GatherOutcome, Host
from tests.test_windows_normalizer import raw_of

EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOOD = raw_of("terminal-a-compliant")
KEYS = sorted(GOOD)

garbage_text = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["", "null", "[]", "{}", "[{}]", '"x"', "0", "-1", "1e999", "true", "\ufeff", "\x00\x00",
                     "ERROR: 拒绝访问。", "Access is denied.", "[System Access]", "The command completed successfully."]),
)


@EXAMPLES
@given(st.dictionaries(st.sampled_from(KEYS), st.fixed_dictionaries({"out": garbage_text}), min_size=len(KEYS)))
def test_windows_garbage_gives_errors_not_values(raw):
    facts = normalize.check_facts(windows.facts(raw))  # never raises
    for key, env in facts.items():
        assert "error" in env or "value" in env, key
        if "value" in env:
            # the only facts read out of garbage are those whose absence means something: then the value
            # must say "nothing found", never a compliant setting
            assert key in PERMISSIVE, (key, env["value"], raw)
            PERMISSIVE[key](env["value"])


def _no_working_antivirus(v):
    assert not any(p.get("enabled") and p.get("signature_age_days") is not None for p in v.get("products", []))


def _no_compliant_usb(v):
    assert v.get("blocked") is not True


def _no_compliant_lock(v):
    assert v.get("screensaver_secure") is not True and not v.get("inactivity_timeout_seconds")


def _no_autologon(v):
    pass


def _no_updates_claim(v):
    assert v.get("pending", 0) >= 0


def _nothing_tried(v):
    assert v == []  # no probe tried: CLASSIFIED-OFFLINE then says "no probe configured", an error


def _no_backup_read(v):
    # "[]" is the module's answer when no repository is declared: the rule then says none is declared (error)
    assert not any(r.get("snapshots") for r in v)


PERMISSIVE = {"antivirus": _no_working_antivirus, "usb_storage": _no_compliant_usb, "session_lock": _no_compliant_lock, "autologon": _no_autologon,
              "updates": _no_updates_claim, "probes": _nothing_tried, "route_lookups": _nothing_tried,
              "backups": _no_backup_read}


@st.composite
def mutated(draw):
    """A valid recording with one command's output cut, spliced with noise, or replaced by an error."""
    raw = {k: dict(v) for k, v in GOOD.items()}
    key = draw(st.sampled_from(KEYS))
    out = raw[key].get("out", "")
    how = draw(st.sampled_from(["cut", "noise", "error", "empty", "dup"]))
    if how == "cut" and out:
        raw[key]["out"] = out[:draw(st.integers(0, len(out) - 1))]
    elif how == "noise":
        at = draw(st.integers(0, len(out)))
        raw[key]["out"] = out[:at] + draw(garbage_text) + out[at:]
    elif how == "error":
        raw[key] = {"out": "", "error": draw(garbage_text) or "failed"}
    elif how == "empty":
        raw[key] = {"out": ""}
    else:
        raw[key]["out"] = out + "\n" + out
    return key, raw


@EXAMPLES
@given(mutated())
def test_windows_mutations_never_crash_and_stay_in_the_schema(case):
    key, raw = case
    facts = normalize.check_facts(windows.facts(raw))
    assert set(facts) == set(windows.facts(GOOD))
    for k, env in facts.items():
        assert ("error" in env) != ("value" in env), k


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=30)


@EXAMPLES
@given(st.dictionaries(st.text(max_size=20), json_values, max_size=6))
def test_a_collector_returning_nonsense_is_refused_or_made_errors(facts):
    host = Host("pc-1", "linux", "terminal", "office")
    out = GatherOutcome("pc-1", "ok", raw={"platform": "linux", "collected_at": "2026-01-01T00:00:00Z", "facts": facts})
    try:
        doc = normalize.document(host, out).document
    except Exception as e:  # a broken envelope is refused as a whole, by name
        assert type(e).__name__ == "NormalizeError", e
        return
    for key, env in doc["facts"].items():
        assert ("error" in env) != ("value" in env)


@EXAMPLES
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode),
                 st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
                 st.integers(1, 3000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n)))
def test_untrusted_json_is_parsed_or_refused_never_a_crash(data):
    try:
        doc = jsonio.loads(data, "x")
    except jsonio.UntrustedJSONError:
        return
    json.dumps(doc)  # whatever was accepted can be walked again


@EXAMPLES
@given(json_values)
def test_an_imported_file_of_any_shape_is_refused_or_an_outcome(doc):
    import tempfile
    from pathlib import Path

    from checker import offline
    from checker.errors import ZichaError

    with tempfile.TemporaryDirectory() as d:
        doc = {"schema": "zicha.collected/v1", "host": "pc-1", "raw": doc} if not isinstance(doc, dict) else \
            {"schema": "zicha.collected/v1", "host": "pc-1", **doc}
        (Path(d) / "pc-1.json").write_text(json.dumps(doc))
        try:
            files = offline.read_dir(Path(d))
        except ZichaError:
            return
        for name, (path, got) in files.items():
            o = offline.outcome(path, got, [], {})
            assert o.status == "failed"  # nothing unsigned, let alone garbage, is ever accepted
