"""Evaluate stage: a real OPA server decides, spoken to only through opa-python-client.

By default zicha starts its own ``opa run --server`` on 127.0.0.1 with a free port and stops it on every exit
path (normal end, error, Ctrl-C, SIGTERM; PR_SET_PDEATHSIG covers a killed zicha). ``--opa-url`` or
``ZICHA_OPA_URL`` uses an existing server instead. Either way zicha uploads its policies and data, then asks for
the whole estate's verdicts in one request (data.zicha.main.report).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from checker import ROOT, proc
from checker.errors import EvaluateError, OpaUnavailable
from checker.models import HostFacts, Host, Result, RuleInfo

POLICY_DIR = ROOT / "policies"
OPA_BIN = ROOT / ".tools" / "bin" / "opa"
ENTRY = ("zicha.main", "report")
POLICY_PREFIX = "zicha/"


def opa_binary() -> Path:
    env = os.environ.get("ZICHA_OPA_BIN")
    p = Path(env) if env else OPA_BIN
    if not p.is_file():
        raise EvaluateError(f"no OPA binary at {p}: run `make setup` (or set ZICHA_OPA_BIN)")
    return p


def opa_version(binary: Path) -> str:
    try:
        out = subprocess.run([str(binary), "version"], capture_output=True, text=True, timeout=30).stdout
    except OSError as e:
        raise EvaluateError(f"{binary}: cannot run: {e}") from e
    for line in out.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def policy_files(policy_dir: Path = POLICY_DIR) -> list[Path]:
    """The policy files OPA loads in production: every .rego but the tests."""
    files = sorted(p for p in policy_dir.rglob("*.rego") if not p.name.endswith("_test.rego"))
    if not files:
        raise EvaluateError(f"{policy_dir}: no policies")
    return files


# Built-ins that reach outside the evaluation: the network, DNS, OPA's environment and configuration. zicha's own
# policies use none of them; policies from someone else's evidence bundle must not either.
UNSAFE_BUILTINS = ("http.send", "net.lookup_ip_addr", "opa.runtime")


def check_untrusted(policy_dir: Path, binary: Path | None = None) -> None:
    """Refuse policies that could do more than decide: `opa check` against OPA's capabilities less UNSAFE_BUILTINS
    (Rego cannot call a built-in by a computed name, so this static check is enough)."""
    opa = binary or opa_binary()
    try:
        caps = json.loads(subprocess.run([str(opa), "capabilities", "--current"], capture_output=True, text=True,
                                         timeout=60, check=True).stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        raise EvaluateError(f"{opa}: cannot list its capabilities: {e}") from None
    caps["builtins"] = [b for b in caps.get("builtins", []) if b.get("name") not in UNSAFE_BUILTINS]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(caps, f)
    try:
        p = subprocess.run([str(opa), "check", "--capabilities", f.name, str(policy_dir)], capture_output=True,
                           text=True, timeout=120)
    finally:
        os.unlink(f.name)
    if p.returncode != 0:
        lines = [ln.strip() for ln in (p.stderr or p.stdout).splitlines() if ln.strip()]
        raise EvaluateError("the policies do not pass `opa check` without network or environment built-ins ("
                            + ", ".join(UNSAFE_BUILTINS) + "): " + "; ".join(lines[:5]))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OpaServer:
    """An `opa run --server` of our own on 127.0.0.1; a context manager that always stops it."""

    def __init__(self, binary: Path | None = None, log_path: Path | None = None, start_timeout: float = 20.0,
                 bare_env: bool = False, memory_bytes: int | None = None,
                 preload: tuple[Path, dict[str, Any]] | None = None):
        self.binary = binary or opa_binary()
        # (policy_dir, data): the policies and data.zicha given to OPA as files when it starts. One compile, where
        # uploading the policies one by one recompiles them all at each (15 s for zicha's 30 files, growing with
        # the square of their number); a policy that does not compile stops the start, named.
        self.preload = preload
        self._preload_dir: str | None = None
        self.memory_bytes = memory_bytes  # an address-space limit (untrusted policies or input)
        self.bare_env = bare_env  # start OPA with no environment (untrusted policies: nothing to read there)
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "OpaServer":
        from opa_client import OpaClient
        from opa_client.errors import ConnectionsError

        files: list[str] = []
        if self.preload is not None:
            import json
            import tempfile

            policy_dir, data = self.preload
            self._preload_dir = tempfile.mkdtemp(prefix="zicha-opa-")
            data_file = Path(self._preload_dir) / "data.json"
            data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            files = [str(p) for p in policy_files(policy_dir)] + [f"zicha:{data_file}"]
            if self.log_path is None:
                self.log_path = Path(self._preload_dir) / "opa.log"
        for _attempt in range(3):
            self.port = _free_port()
            log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
            try:
                self.proc = subprocess.Popen(
                    [str(self.binary), "run", "--server", "--addr", f"127.0.0.1:{self.port}",
                     "--log-level", "error", "--disable-telemetry", *files],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    preexec_fn=proc.child_limits(self.memory_bytes),  # dies with zicha, even on SIGKILL
                    env={} if self.bare_env else None,
                )
            finally:
                if log is not subprocess.DEVNULL:
                    log.close()
            client = OpaClient(host="127.0.0.1", port=self.port, timeout=2, retries=0)
            try:
                deadline = time.monotonic() + self.start_timeout
                while time.monotonic() < deadline:
                    if self.proc.poll() is not None:
                        self._refused_policies()
                        break  # exited: port taken, or worse; try again
                    try:
                        client.wait_for_ready(timeout=0.5, interval=0.1)
                        return self
                    except ConnectionsError:
                        continue
            finally:
                client.close_connection()
            self._stop_process()
        self.stop()
        raise EvaluateError(f"OPA ({self.binary}) did not start on 127.0.0.1 (see {self.log_path or 'its log'})")

    def _refused_policies(self) -> None:
        """OPA exited at start: a preloaded policy or data file it could not load is named, not retried."""
        if self.preload is None or self.log_path is None:
            return
        try:
            log = Path(self.log_path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        if "load error" in log or "rego_" in log:
            self.stop()
            tail = log[log.rfind("error: load error"):] if "error: load error" in log else log[-1500:]
            raise EvaluateError(f"OPA could not load the policies: {tail.strip()[:1500]}")

    def stop(self) -> None:
        self._stop_process()
        if self._preload_dir is not None:
            import shutil

            shutil.rmtree(self._preload_dir, ignore_errors=True)
            self._preload_dir = None

    def _stop_process(self) -> None:
        p, self.proc = self.proc, None
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)

    def __enter__(self) -> "OpaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class Decision:
    rules: list[RuleInfo]
    results: list[Result]


class Evaluator:
    """Loads zicha's policies and data into an OPA server and asks it for verdicts."""

    def __init__(self, url: str, timeout: float = 300.0):
        from opa_client import OpaClient

        u = urlparse(url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise EvaluateError(f"--opa-url {url!r} is not an http(s) URL")
        self.url = url
        self.client = OpaClient(
            host=u.hostname, port=u.port or (443 if u.scheme == "https" else 80),
            ssl=u.scheme == "https", timeout=timeout, retries=0,
        )

    def close(self) -> None:
        self.client.close_connection()

    def __enter__(self) -> "Evaluator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, what: str, fn: Any, *args: Any, **kw: Any) -> Any:
        import requests
        from opa_client.errors import ConnectionsError

        try:
            return fn(*args, **kw)
        except (requests.ConnectionError, ConnectionsError) as e:
            raise OpaUnavailable(f"OPA at {self.url} is not answering ({what})") from e
        except requests.Timeout as e:
            raise OpaUnavailable(f"OPA at {self.url} did not answer in time ({what})") from e
        except requests.HTTPError as e:
            body = e.response.text[:500] if e.response is not None else ""
            raise EvaluateError(f"OPA at {self.url} refused {what}: {e} {body}") from e
        except Exception as e:  # opa-python-client's own errors carry .message
            msg = getattr(e, "message", None) or str(e)
            errs = getattr(e, "errors", None)
            if errs:
                msg = f"{msg}: " + "; ".join(
                    f"{x.get('location', {}).get('file', '')}:{x.get('location', {}).get('row', '')} {x.get('message', '')}"
                    for x in errs[:5]
                )
            raise EvaluateError(f"OPA at {self.url}: {what}: {msg}") from e

    def check(self) -> None:
        if not self._call("health check", self.client.check_health):
            raise OpaUnavailable(f"OPA at {self.url} is not answering (health check)")

    def load(self, data: dict[str, Any], policy_dir: Path = POLICY_DIR) -> list[str]:
        """Upload every policy (dependencies first, by retrying) and zicha's data. Returns the policy ids."""
        self.check()
        pending = {POLICY_PREFIX + str(p.relative_to(policy_dir)): p.read_text(encoding="utf-8")
                   for p in policy_files(policy_dir)}
        ids = sorted(pending)
        # data first: policies may refer to it
        for key, value in data.items():
            self._call(f"loading data zicha/{key}", self.client.update_or_create_data, value, f"zicha/{key}")
        last_error: EvaluateError | None = None
        while pending:
            progress = False
            for pid in sorted(pending, key=lambda k: (not k.startswith(POLICY_PREFIX + "lib/"), k)):
                try:
                    self._call(f"loading policy {pid}", self.client.update_policy_from_string,
                               pending[pid], pid, rego_compat=False)
                except OpaUnavailable:
                    raise
                except EvaluateError as e:
                    last_error = e
                    continue
                del pending[pid]
                progress = True
            if not progress:
                raise last_error or EvaluateError("policies could not be loaded")
        # drop policies a previous zicha version left on a shared server
        try:
            existing = self._call("listing policies", self.client.get_policies_list)
        except EvaluateError:
            existing = []
        for pid in existing or []:
            if isinstance(pid, str) and pid.startswith(POLICY_PREFIX) and pid not in ids:
                self._call(f"deleting stale policy {pid}", self.client.delete_policy, pid)
        return ids

    def rule_ids(self) -> list[str]:
        """The ids of the loaded rules (data.zicha.main.rules)."""
        resp = self._call("listing the rules", self.client.get_data, "zicha/main/rules")
        rules = resp.get("result") if isinstance(resp, dict) else None
        if not isinstance(rules, dict):
            raise EvaluateError("data.zicha.main.rules is undefined: the policies are broken or not loaded")
        return sorted(rules)

    def decide(self, document: dict[str, Any]) -> Decision:
        """One request for the whole estate."""
        resp = self._call("evaluating data.zicha.main.report", self.client.query_rule,
                          document, ENTRY[0], ENTRY[1])
        report = resp.get("result") if isinstance(resp, dict) else None
        if not isinstance(report, dict):
            raise EvaluateError("data.zicha.main.report is undefined: the policies are broken or not loaded")
        if report.get("broken"):
            raise EvaluateError(f"rule packages without complete METADATA: {', '.join(sorted(report['broken']))}")
        rules = [RuleInfo(**{k: v for k, v in r.items() if k in RuleInfo.__dataclass_fields__})
                 for r in sorted(report["rules"].values(), key=lambda r: r["id"])]
        results = [Result.from_json(r) for r in report["results"]]
        return Decision(rules=rules, results=results)


def input_document(hosts: list[Host], facts: dict[str, HostFacts], now: str) -> dict[str, Any]:
    """The OPA input: every host's inventory attributes beside its facts document."""
    doc: dict[str, Any] = {"now": now, "hosts": {}}
    for h in hosts:
        f = facts[h.name].document
        doc["hosts"][h.name] = {
            "platform": h.platform,
            "role": h.role,
            "zone": h.zone,
            "classified": h.classified,
            "vars": h.vars,
            "gather": f["gather"],
            "collected_at": f.get("collected_at"),
            "facts": f["facts"],
        }
    return doc


def rule_ids(policy_dir: Path = POLICY_DIR) -> set[str]:
    """The rule ids the policy files declare (their package METADATA custom.id), read here, not asked of OPA:
    an OPA that answers with fewer rules (a stale or foreign server) must not shrink the audit."""
    import yaml

    ids = set()
    for p in policy_files(policy_dir):
        if "rules" not in p.relative_to(policy_dir).parts[:1]:
            continue
        block: list[str] = []
        lines = p.read_text(encoding="utf-8").splitlines()
        if not lines or lines[0].strip() != "# METADATA":
            continue
        for line in lines[1:]:
            if not line.startswith("#"):
                break
            block.append(line[2:] if line.startswith("# ") else line[1:])
        try:
            meta = yaml.safe_load("\n".join(block)) or {}
            ids.add(str(meta["custom"]["id"]))
        except (yaml.YAMLError, KeyError, TypeError) as e:
            raise EvaluateError(f"{p}: its METADATA names no rule id ({type(e).__name__})") from None
    return ids


def complete(hosts: list[str], decision: Decision, expected: set[str] | None = None) -> list[Result]:
    """Every (host, rule) has exactly one verdict; a missing one becomes `error` (fail closed). Hosts by name.
    `expected`: the rule ids that were loaded; OPA must describe exactly these (an empty or partial answer is a
    broken server, never a clean audit)."""
    if expected is not None:
        got = {r.id for r in decision.rules}
        if got != expected:
            missing, extra = sorted(expected - got), sorted(got - expected)
            raise EvaluateError(
                f"OPA described {len(got)} rules, {len(expected)} were loaded"
                + (f"; missing {', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}" if missing else "")
                + (f"; unknown {', '.join(extra[:10])}" if extra else "")
                + ": the server is not deciding with zicha's policies")
    seen: dict[tuple[str, str], Result] = {}
    for r in decision.results:
        key = (r.host, r.rule)
        if key in seen:
            raise EvaluateError(f"rule {r.rule} gave two verdicts for host {r.host}: the policy is broken")
        seen[key] = r
    out = []
    for rule in decision.rules:
        for h in hosts:
            r = seen.get((h, rule.id))
            if r is None:
                r = Result(
                    host=h, rule=rule.id, status="error", severity=rule.severity, clauses=rule.clauses,
                    gbt22239=rule.gbt22239, title=rule.title, remediation=rule.remediation,
                    message={"zh": "规则未给出结论（策略缺陷），按错误处理",
                             "en": "the rule gave no verdict (a policy defect): counted as an error"},
                    evidence={"observed": {}, "sources": [], "collected_at": None},
                )
            out.append(r)
    return out
