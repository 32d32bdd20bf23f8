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
        if "value" in env and validator is not None:
            errors = sorted(validator.iter_errors(env["value"]), key=lambda e: list(e.absolute_path))
            if errors:
                out[key] = {"source": env["source"], "error": f"unparsable: {_where(errors[0])}"}
                continue
        out[key] = env
    return out


def validate(document: dict[str, Any]) -> None:
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
