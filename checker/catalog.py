"""The clause catalog (policies/clauses.yaml): the claims of the self-inspection reports zicha tracks.

Each clause is automated (rules prove it) or manual (a person attests it). GAP-* clauses are problems the source
reports admit: attested yes, they are findings. Each clause names its report domain and how the 自查报告 words it
(`report`: what was checked, the finding, the remedy); the domains say in which order the report tells them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import ROOT
from checker.config import read_yaml
from checker.errors import SetupError

CATALOG = ROOT / "policies" / "clauses.yaml"
SEVERITIES = ("critical", "high", "medium", "low", "info")


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
    domain: str = ""
    report: dict[str, str] = field(default_factory=dict)  # check, ok, finding, remedy, done (+ _en)
    related: list[str] = field(default_factory=list)
    severity: str = "medium"  # of an attested-no manual clause (automated ones take their rules')

    @property
    def gap(self) -> bool:
        """A problem the reports admit: attested yes, it is a finding."""
        return self.id.startswith("GAP-")

    @property
    def items(self) -> list[str]:
        """GB/T 22239-2019 items, level 3 first."""
        return [*self.gbt22239.get("level3", []), *self.gbt22239.get("level2", [])]


@dataclass(frozen=True)
class Domain:
    id: str
    zh: str
    en: str
    kind: str  # management | technical | gaps


def parse(doc: Any, where: str = "clause catalog") -> dict[str, Clause]:
    out: dict[str, Clause] = {}
    for c in (doc or {}).get("clauses", []):
        try:
            clause = Clause(**{k: v for k, v in c.items() if k in Clause.__dataclass_fields__})
        except TypeError as e:
            raise SetupError(f"{where}: clause {c.get('id', '?')}: {e}") from None
        if clause.id in out:
            raise SetupError(f"{where}: clause {clause.id} appears twice")
        if clause.severity not in SEVERITIES:
            raise SetupError(f"{where}: clause {clause.id}: severity {clause.severity!r} is not one of {SEVERITIES}")
        out[clause.id] = clause
    return out


@lru_cache(maxsize=4)
def load(path: Path = CATALOG) -> dict[str, Clause]:
    return parse(read_yaml(path, "clause catalog"), f"clause catalog {path}")


@lru_cache(maxsize=4)
def domains(path: Path = CATALOG) -> dict[str, Domain]:
    """The report's domains in the order the report tells them."""
    doc = read_yaml(path, "clause catalog") or {}
    try:
        return {d["id"]: Domain(d["id"], d["zh"], d["en"], d["kind"]) for d in doc.get("domains", [])}
    except (KeyError, TypeError) as e:
        raise SetupError(f"clause catalog {path}: domains: {e}") from None
