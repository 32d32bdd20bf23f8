"""Shared fixtures: run zicha the way a user does, and build small estates on this machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import checker  # noqa: F401  (puts the zicha.audit collection on sys.path, as zicha does)
import checker.devices  # noqa: F401  (the collection's device parsers, configured with the platform registry)
from hypothesis import settings as _hypothesis_settings

# Property tests: the same examples on every run (derandomized, no example database), so that CI's verdict on a
# commit does not depend on luck. HYPOTHESIS_PROFILE=explore draws new examples each run, for hunting.
_hypothesis_settings.register_profile("zicha", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "zicha"))

ROOT = Path(__file__).resolve().parent.parent
ZICHA = [sys.executable, "-m", "checker"]


def run_zicha(*args: str, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (a separate process), from the project root."""
    return subprocess.run(
        [*ZICHA, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def write_inventory(path: Path, hosts: dict, all_vars: dict | None = None) -> Path:
    doc = {"all": {"hosts": hosts}}
    if all_vars:
        doc["all"]["vars"] = all_vars
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def local_host(**zicha_vars) -> dict:
    """This machine as an inventory host (local connection, this venv's Python)."""
    return {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
            "zicha_role": "server", "zicha_zone": "office", **zicha_vars}


def results_of(out_dir: Path) -> dict[tuple[str, str], dict]:
    """The (host, rule) results of an audit (the unit's attested clauses left out)."""
    doc = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    return {(r["host"], r["rule"]): r for r in doc["results"] if r.get("kind", "rule") == "rule"}


def needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (CI runs as root)")


def needs(*programs: str) -> None:
    missing = [p for p in programs if not shutil.which(p)]
    if missing:
        pytest.fail(f"missing programs {missing}: run `make setup-system` as root")
