"""Normalize stage: a gather outcome becomes one versioned facts document per host (zicha.facts/v1).

The document is checked against checker/schemas/facts.v1.schema.json before evaluation. A fact whose value
does not fit its schema is turned into an error envelope naming the violation (fail closed: the rules that
need it say `error`); a document whose envelope is broken is refused outright.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import platforms
from checker.errors import NormalizeError
from checker.models import GatherOutcome, Host, HostFacts

SCHEMA_PATH = Path(__file__).parent / "schemas" / "facts.v1.schema.json"
SCHEMA_ID = "zicha.facts/v1"


@lru_cache(maxsize=1)
def _validators() -> tuple[Any, dict[str, Any]]:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    whole = cls(schema)
    per_fact = {}
    for key, sub in schema["$defs"].items():
        if key != "envelope":
            per_fact[key] = cls({"$schema": schema["$schema"], **sub})
    return whole, per_fact


# The keywords the fast check understands the way JSON Schema 2020-12 means them (fastjsonschema implements
# draft-07; these mean the same in both). A schema that uses any other is refused: the fast check must never
# accept what the schema forbids.
FAST_KEYWORDS = {"$defs", "$id", "$ref", "$schema", "additionalProperties", "anyOf", "const", "description", "enum",
                 "items", "minItems", "minLength", "minimum", "maximum", "maxItems", "maxLength", "oneOf", "pattern",
                 "properties", "required", "title", "type"}


def _keywords(node: Any, out: set[str], named: bool = False) -> set[str]:
    """The keywords a schema uses (the names under properties and $defs are names, not keywords)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if not named:
                out.add(k)
            _keywords(v, out, named=not named and k in ("properties", "$defs", "patternProperties"))
    elif isinstance(node, list):
        for v in node:
            _keywords(v, out)
    return out


@lru_cache(maxsize=1)
def _fast_checks() -> dict[str, Any]:
    """Each fact's schema compiled to Python (fastjsonschema): the check every fact of every host goes through.
    Only a value it rejects is validated again by jsonschema, which words the violation (the same words as
    ever), so the two never disagree on a verdict without a test seeing it (tests/test_normalize.py)."""
    import fastjsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    unknown = _keywords(schema, set()) - FAST_KEYWORDS
    if unknown:
        raise NormalizeError(f"{SCHEMA_PATH.name}: keywords {sorted(unknown)} are not checked by the fast "
                             "validator: add them to normalize.FAST_KEYWORDS only if draft-07 means them alike")
    draft07 = "http://json-schema.org/draft-07/schema#"
    checks = {key: fastjsonschema.compile({**sub, "$schema": draft07}, use_default=False, use_formats=False)
              for key, sub in schema["$defs"].items() if key != "envelope"}
    checks[WHOLE] = fastjsonschema.compile({**schema, "$schema": draft07}, use_default=False, use_formats=False)
    return checks


WHOLE = ""  # the key of the whole document's check among _fast_checks()


def _fits(key: str, value: Any) -> bool:
    import fastjsonschema

    try:
        _fast_checks()[key](value)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _where(err: Any) -> str:
    path = "/".join(str(p) for p in err.absolute_path)
    return f"{path or '(top)'}: {err.message}"


def check_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the facts with every value that breaks its schema replaced by an error envelope."""
    _, per_fact = _validators()
    out = {}
    for key, env in facts.items():
        if not isinstance(env, dict) or "source" not in env:
            out[key] = {"source": "unknown", "error": "malformed fact envelope"}
            continue
        validator = per_fact.get(key)
        if "value" in env and validator is not None and not _fits(key, env["value"]):
            errors = sorted(validator.iter_errors(env["value"]), key=lambda e: list(e.absolute_path))
            if errors:
                out[key] = {"source": env["source"], "error": f"unparsable: {_where(errors[0])}"}
                continue
        out[key] = env
    return out


def validate(document: dict[str, Any]) -> None:
    if _fits(WHOLE, document):
        return
    whole, _ = _validators()
    errors = sorted(whole.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        raise NormalizeError(f"host {document.get('host', '?')}: facts document breaks {SCHEMA_ID}: {_where(errors[0])}")


def document(host: Host, outcome: GatherOutcome) -> HostFacts:
    """Build and validate the facts document for one host."""
    gather: dict[str, Any] = {"status": outcome.status, "method": outcome.method}
    if outcome.reason:
        gather["reason"] = outcome.reason
    if outcome.source:
        gather["source"] = outcome.source
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "host": host.name,
        "platform": host.platform,
        "gather": gather,
        "collected_at": None,
        "collector": None,
        "facts": {},
    }
    raw = outcome.raw if outcome.status == "ok" else None
    if raw is not None:
        if raw.get("platform") not in (None, host.platform):
            raise NormalizeError(
                f"host {host.name}: the inventory says {host.platform} but the collector says {raw.get('platform')}"
            )
        doc["collected_at"] = raw.get("collected_at")
        doc["collector"] = raw.get("collector")
        if "sha256" in raw:
            doc["gather"]["sha256"] = raw["sha256"]
        facts = raw.get("facts")
        if raw.get("facts") is None and platforms.known(host.platform) and platforms.get(host.platform).normalize:
            facts = platforms.get(host.platform).normalize(raw)  # e.g. Windows: command outputs as text
        if not isinstance(facts, dict):
            raise NormalizeError(f"host {host.name}: the collector returned no facts")
        doc["facts"] = check_facts(facts)
    validate(doc)
    return HostFacts(host.name, doc)
