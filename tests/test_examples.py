"""The example CI pipelines under examples/: valid for their CI, and what they run and keep is what zicha does.

A pipeline that GitLab or GitHub would reject, or that uploads a file zicha never writes, is found here rather than
in a user's first failed run.
"""

from __future__ import annotations

import fnmatch
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, local_host, run_zicha, write_inventory

EXAMPLES = ROOT / "examples"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.parametrize("name, schema", [("gitlab-ci.yml", "vendor.gitlab-ci"),
                                          ("github-actions.yml", "vendor.github-workflows")])
def test_each_example_is_valid_for_its_ci(name, schema):
    p = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(EXAMPLES / name)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr


def gitlab_job() -> dict:
    return yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["self-inspection"]


def github_steps() -> list[dict]:
    return yaml.safe_load((EXAMPLES / "github-actions.yml").read_text(encoding="utf-8"))["jobs"]["audit"]["steps"]


def audit_args(commands: list[str]) -> list[str]:
    """The arguments of the pipeline's one `zicha audit`, after the `make setup` that installs zicha."""
    [i] = [n for n, c in enumerate(commands) if c.startswith(".venv/bin/zicha audit")]
    assert "make setup" in commands[:i], commands
    return shlex.split(commands[i])[2:]


def kept(paths: list[str], out: Path, prefix: str = "out/ci/") -> list[str]:
    """The artifact patterns that match no file zicha wrote."""
    written = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    return [pat for pat in paths if not fnmatch.filter(written, pat.removeprefix(prefix))]


@pytest.fixture(scope="module")
def audited_like_ci(tmp_path_factory):
    """This machine audited with the GitLab example's own arguments (its inventory swapped for this machine)."""
    tmp = tmp_path_factory.mktemp("ci")
    assert run_zicha("keygen", "--out", str(tmp / "keys")).returncode == 0
    inv = write_inventory(tmp / "inventory.yml", {"thishost": local_host()})
    args = [a.replace("$INVENTORY", str(inv)).replace("$ZICHA_LANG", "zh")
            .replace("$ZICHA_SIGNING_KEY", str(tmp / "keys" / "zicha-signing.key"))
            .replace("out/ci", str(tmp / "out")) for a in audit_args(gitlab_job()["script"])]
    p = run_zicha("audit", *args)
    return {"proc": p, "out": tmp / "out", "pub": tmp / "keys" / "zicha-signing.pub"}


def test_the_gitlab_audit_runs_and_keeps_what_zicha_wrote(audited_like_ci):
    p, out = audited_like_ci["proc"], audited_like_ci["out"]
    assert p.returncode in (0, 1), p.stderr  # 1: this machine fails high rules; 2 would be a broken command line
    job = gitlab_job()
    assert kept(job["artifacts"]["paths"], out) == ["out/ci/verify.txt"]  # written by the job itself, after zicha
    assert (out / Path(job["artifacts"]["reports"]["junit"]).name).is_file()
    assert job["artifacts"]["when"] == "always"  # the report matters most when the audit fails


def test_the_gitlab_verify_step_passes_on_the_bundle(audited_like_ci):
    [after] = gitlab_job()["after_script"]
    words = shlex.split(after.split("|")[0])
    assert words[:2] == [".venv/bin/zicha", "verify"]
    [bundle] = audited_like_ci["out"].glob("evidence-*.tar.gz")
    p = run_zicha("verify", str(bundle), "--pubkey", str(audited_like_ci["pub"]))
    assert p.returncode == 0 and "PASSED" in p.stdout, p.stdout + p.stderr


def test_the_github_workflow_runs_the_same_audit_and_keeps_what_zicha_wrote(audited_like_ci):
    steps = {s.get("name", s.get("uses")): s for s in github_steps()}
    args = audit_args([s["run"].strip() for s in github_steps() if "run" in s])
    gitlab = audit_args(gitlab_job()["script"])
    for flag in ("--lang", "--sign-key"):  # GitHub: Chinese by default, the key from ZICHA_SIGN_KEY
        i = gitlab.index(flag)
        del gitlab[i:i + 2]
    assert args == gitlab
    paths = steps["Keep the report and the evidence bundle"]["with"]["path"].split()
    assert kept(paths, audited_like_ci["out"]) == ["out/ci/verify.txt"]
    assert steps["Findings to code scanning"]["with"]["sarif_file"] == "out/ci/results.sarif"
    assert all(steps[n]["if"].startswith("always()") for n in ("Findings to code scanning",
                                                                "Keep the report and the evidence bundle"))
