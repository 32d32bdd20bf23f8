"""Plain typed records passed between the stages: inventory → gather → normalize → evaluate → outputs."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Every (host, rule) ends in exactly one of these. `manual` is a manual clause nobody has attested yet
#: (an attested one is pass or fail like any other): it needs a person, and is no finding by itself.
STATUSES = ("pass", "fail", "error", "not_applicable", "waived", "manual")
SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Host:
    """One inventory host, in zicha's vocabulary (the zicha_* variables)."""

    name: str
    platform: str  # linux | windows | huawei_vrp | h3c_comware | cisco_ios | huawei_usg
    role: str  # server | terminal | switch | firewall | router
    zone: str | None
    classified: bool = False
    vars: dict[str, Any] = field(default_factory=dict)  # every zicha_* variable, as the inventory gave it

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Inventory:
    path: str
    hosts: tuple[Host, ...]
    groups: dict[str, list[str]]

    def host(self, name: str) -> Host:
        for h in self.hosts:
            if h.name == name:
                return h
        raise KeyError(name)


@dataclass(frozen=True)
class GatherOutcome:
    """What Ansible (or an import, or a snapshot) made of one host."""

    host: str
    status: str  # ok | unreachable | failed
    reason: str = ""
    raw: dict[str, Any] | None = None  # the collector's return value (facts, no secrets)
    method: str = "ansible"  # ansible | import | snapshot | local
    source: str = ""  # playbook, imported file or configuration file


@dataclass(frozen=True)
class HostFacts:
    """The normalised, schema-checked facts document of one host (schema zicha.facts/v1)."""

    host: str
    document: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.document.get("gather", {}).get("status") == "ok"


@dataclass(frozen=True)
class Result:
    host: str
    rule: str
    status: str
    severity: str
    clauses: list[str]
    gbt22239: list[str]
    title: dict[str, str]
    message: dict[str, str]
    evidence: dict[str, Any]
    remediation: dict[str, str] = field(default_factory=dict)
    waiver: dict[str, Any] | None = None
    # one verdict per clause the rule proves: {clause: {"status": ..., "message": {"zh", "en"}}}; a result
    # counts only against the clauses whose wording it disproves (empty in results from before they existed)
    clause_verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    kind: str = "rule"  # rule: decided by OPA on a host; attestation: a manual clause attested for the unit

    def to_json(self) -> dict[str, Any]:
        # its fields as they are (asdict would deep-copy every evidence document: a third of writing 25,000
        # results); the callers serialise it, none changes it
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def clause_status(self, clause: str) -> str:
        """This result's verdict on one of its clauses (the whole result's, where it has none per clause)."""
        cv = self.clause_verdicts.get(clause)
        return cv["status"] if isinstance(cv, dict) and "status" in cv else self.status

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Result":
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: d[k] for k in names if k in d})


@dataclass(frozen=True)
class RuleInfo:
    id: str
    package: str
    title: dict[str, str]
    severity: str
    clauses: list[str]
    gbt22239: list[str]
    remediation: dict[str, str]
    description: str = ""
    applies_to: dict[str, str] = field(default_factory=dict)
    law: list[str] = field(default_factory=list)


@dataclass
class RunInfo:
    id: str
    started_at: str
    finished_at: str = ""
    inventory: str = ""
    zicha_version: str = ""
    opa_version: str = ""
    opa_url: str = ""
    user: str = ""
    controller: str = ""
    hosts_attempted: list[str] = field(default_factory=list)
    hosts_reached: list[str] = field(default_factory=list)
    unit: str = ""  # the reporting unit's name (parameter report_unit)
    hosts: list[dict[str, Any]] = field(default_factory=list)  # name, role, zone, platform, classified, gathered by
    profile: dict[str, Any] = field(default_factory=dict)  # the unit profile (unit.yml) the report is framed by
    estate: dict[str, Any] = field(default_factory=dict)  # what the inventory lists (by kind), audited or not
    params: dict[str, Any] = field(default_factory=dict)  # the numeric thresholds the rules were decided with
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: setup, gather, normalize, decide, post

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "RunInfo":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class AuditReport:
    run: RunInfo
    rules: list[RuleInfo]
    results: list[Result]

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> "AuditReport":
        """An AuditReport back from results.json (zicha.results/v1)."""
        rules = [RuleInfo(**{k: v for k, v in r.items() if k in RuleInfo.__dataclass_fields__}) for r in doc["rules"]]
        return cls(run=RunInfo.from_json(doc["run"]), rules=rules, results=[Result.from_json(r) for r in doc["results"]])

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for r in self.results:
            out[r.status] += 1
        return out

    @property
    def failed(self) -> bool:
        """Any verdict that is not a pass stands against the estate: fail and error both (fail closed)."""
        return any(r.status in ("fail", "error") for r in self.results)

    def failed_at(self, severity: str = "info") -> bool:
        """A fail or error of this severity or higher."""
        floor = SEVERITIES.index(severity)
        return any(r.status in ("fail", "error") and SEVERITIES.index(r.severity) <= floor for r in self.results)
