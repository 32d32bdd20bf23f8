"""The portal's tests: real bundles made by real audits (configuration backups, no network), verified by the real
worker with a real OPA; a real PostgreSQL beside SQLite; a real browser (Debian's Chromium).

Django's settings are read from the environment, so this file points them at a private portal folder before
pytest-django sets Django up (its `db` and `client` fixtures then work on a test database of that configuration)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

_HOME = tempfile.mkdtemp(prefix="zicha-portal-test-")
os.environ["ZICHA_PORTAL_HOME"] = _HOME
os.environ.pop("ZICHA_PORTAL_DATABASE", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "checker.portal.settings"

import django  # noqa: E402

django.setup()

from tests.conftest import ROOT, ZICHA  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "configs"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HOME, ignore_errors=True)


# -- real bundles ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitKeys:
    key: Path
    pub: Path


@dataclass(frozen=True)
class Bundles:
    """Evidence bundles of four audits, as the units would send them."""

    keys: dict[str, UnitKeys]  # unit code → its key pair
    a1: Path  # school-a, first audit: a weak-password switch and a permissive firewall
    a2: Path  # school-a, audited again after putting them right
    b: Path  # hospital-b, signed with SM2 (the test tampers with it)
    c_wrong_key: Path  # bureau-c's audit, signed with school-a's key


UNITS = {"school-a": ("第一中学", "ed25519"), "hospital-b": ("人民医院", "sm2-sm3"), "bureau-c": ("区档案馆", "ed25519")}


def _snapshot(d: Path, configs: dict[str, str], unit_name: str) -> tuple[Path, Path]:
    (d / "configs").mkdir(parents=True)
    for host, fixture in configs.items():
        shutil.copy(FIX / fixture, d / "configs" / f"{host}.cfg")
    params = d / "params.yml"
    params.write_text(yaml.safe_dump({"report_unit": unit_name}, allow_unicode=True), encoding="utf-8")
    return d, params


@pytest.fixture(scope="session")
def bundles(tmp_path_factory) -> Bundles:
    base = tmp_path_factory.mktemp("units")
    keys = {}
    for code, (_, algorithm) in UNITS.items():
        p = subprocess.run([*ZICHA, "keygen", "--out", str(base / code / "keys"), "--algorithm", algorithm], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        keys[code] = UnitKeys(base / code / "keys" / "zicha-signing.key", base / code / "keys" / "zicha-signing.pub")
    audits = {
        "a1": ("school-a", {"sw-floor3": "huawei_vrp/sw-floor3-noncompliant.cfg",
                            "fw-boundary": "huawei_usg/fw-boundary-noncompliant.cfg",
                            "sw-office": "h3c_comware/sw-office-compliant.cfg"}, "school-a"),
        "a2": ("school-a", {"sw-floor3": "huawei_vrp/sw-core-compliant.cfg",
                            "fw-boundary": "huawei_usg/fw-boundary-compliant.cfg",
                            "sw-office": "h3c_comware/sw-office-compliant.cfg"}, "school-a"),
        "b": ("hospital-b", {"sw-ward": "cisco_ios/sw-access-noncompliant.cfg",
                             "sw-lab": "h3c_comware/sw-lab-noncompliant.cfg"}, "hospital-b"),
        "c": ("bureau-c", {"sw-archive": "cisco_ios/sw-access-compliant.cfg"}, "school-a"),  # the wrong key
    }
    procs, outs = {}, {}
    for name, (unit, configs, signer) in audits.items():
        snap, params = _snapshot(base / f"snap-{name}", configs, UNITS[unit][0])
        outs[name] = base / f"out-{name}"
        procs[name] = subprocess.Popen(
            [*ZICHA, "audit", "--snapshot", str(snap), "--params", str(params), "-o", str(outs[name]),
             "--sign-key", str(keys[signer].key), "--format", "json"], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        if name == "a1":
            time.sleep(1.5)  # a2 audits later than a1 (run ids and times are by the second)
    found = {}
    for name, p in procs.items():
        _, err = p.communicate(timeout=600)
        assert p.returncode in (0, 1), err
        [found[name]] = outs[name].glob("evidence-*.tar.gz")
    return Bundles(keys, found["a1"], found["a2"], found["b"], found["c"])


# -- a real PostgreSQL ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of the tests' own (tests/portal/pgcluster.py), on 127.0.0.1 at a free port."""
    from tests.portal import pgcluster

    try:
        with pgcluster.cluster() as url:
            yield url
    except pgcluster.NoPostgres as e:
        pytest.fail(str(e))


@pytest.fixture
def postgresql(pg_cluster):
    """A fresh, empty database in that cluster for one test: its URL."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.rsplit("/", 1)[0] + "/" + name
