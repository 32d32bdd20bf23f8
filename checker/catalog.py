"""The clause catalog (policies/clauses.yaml): the claims of the self-inspection reports zicha tracks."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import ROOT
from checker.config import read_yaml
from checker.errors import SetupError

CATALOG = ROOT / "policies" / "clauses.yaml"


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    zh: str
    en: str
    status: str  # automated | manual
    gbt22239: dict[str, list[str]] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    attestation: str | None = None
    law: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def load(path: Path = CATALOG) -> dict[str, Clause]:
    doc = read_yaml(path, "clause catalog")
    out: dict[str, Clause] = {}
    for c in (doc or {}).get("clauses", []):
        try:
            clause = Clause(**{k: v for k, v in c.items() if k in Clause.__dataclass_fields__})
        except TypeError as e:
            raise SetupError(f"clause catalog {path}: clause {c.get('id', '?')}: {e}") from None
        if clause.id in out:
            raise SetupError(f"clause catalog {path}: clause {clause.id} appears twice")
        out[clause.id] = clause
    return out
