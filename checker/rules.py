"""The rules as OPA sees them: ids, titles, severity, clauses and GB/T 22239 items, from their METADATA."""

from __future__ import annotations

from pathlib import Path

from checker import config, evaluate
from checker.models import RuleInfo


def load(opa_url: str | None = None, log_path: Path | None = None) -> list[RuleInfo]:
    """Load the policies into OPA (zicha's own server unless opa_url) and read every rule's description."""
    params = config.load_params()
    data = config.opa_data(params, {"zones": {}, "hosts": {}})
    if opa_url:
        with evaluate.Evaluator(opa_url) as ev:
            ev.load(data)
            return ev.decide({"now": "1970-01-01T00:00:00Z", "hosts": {}}).rules
    with evaluate.OpaServer(log_path=log_path, preload=(evaluate.POLICY_DIR, data)) as server, \
            evaluate.Evaluator(server.url) as ev:
        return ev.decide({"now": "1970-01-01T00:00:00Z", "hosts": {}}).rules
