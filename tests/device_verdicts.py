"""Device configurations decided by a real OPA server, without the CLI: for tests that compare many variants.

    with Decider() as d:
        d.verdicts({"sw1": (text, "huawei_vrp", "switch")})  # {(host, rule): status}
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from checker import config, devices, evaluate, normalize
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge, linux_candidates
from checker.models import GatherOutcome, Host

NOW = "2026-11-20T00:00:00Z"


class Decider:
    def __init__(self, judge: Judge | None = None) -> None:
        self.params = config.load_params()
        self.judge = judge or Judge(linux_candidates(config.collector_params(self.params)), key=b"d" * 32)
        self._dir = tempfile.TemporaryDirectory()
        self._server = evaluate.OpaServer(log_path=Path(self._dir.name) / "opa.log")

    def __enter__(self) -> "Decider":
        s = self._server.__enter__()
        self._ev = evaluate.Evaluator(s.url).__enter__()
        self._ev.load(config.opa_data(self.params, {"zones": {}, "hosts": {}}))
        return self

    def __exit__(self, *exc) -> None:
        self._ev.__exit__(*exc)
        self._server.__exit__(*exc)
        self._dir.cleanup()

    def facts(self, text: str, platform: str) -> dict:
        return devices.facts(text, platform, "test", self.judge)

    def verdicts(self, devices_: dict[str, tuple[str, str, str]]) -> dict[tuple[str, str], str]:
        """Each device (text, platform, role) decided; MAC tables are not given (UNKNOWN-DEVICE says error)."""
        hosts, docs = [], {}
        for name, (text, platform, role) in devices_.items():
            host = Host(name, platform, role, None)
            raw = {"platform": platform, "collected_at": NOW, "collector": {"name": "test"},
                   "facts": self.facts(text, platform)}
            hosts.append(host)
            docs[name] = normalize.document(host, GatherOutcome(name, "ok", raw=raw, method="snapshot"))
        decision = self._ev.decide(evaluate.input_document(hosts, docs, NOW))
        return {(r.host, r.rule): r.status for r in decision.results}
