"""The database is the verification queue: several workers (separate processes, as on several machines) claim
from it at once, on SQLite and on PostgreSQL, and no bundle is ever taken twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, ZICHA

SEED = """
import io, os
from checker import portal; portal.setup()
from checker.portal import ingest
from checker.portal.models import Unit
unit = Unit.objects.create(code="u", name="u", algorithm="ed25519", public_key="-", key_fingerprint="f" * 32)
for i in range({n}):
    ingest.receive(io.BytesIO(os.urandom(64)), unit=unit, channel="api", original_name=f"{{i}}.tar.gz")
"""
CLAIM = """
import json, sys, time
from pathlib import Path
from checker import portal; portal.setup()
from django.conf import settings
from checker.portal import worker
Path(sys.argv[2], "ready-" + sys.argv[1]).touch()
while not Path(sys.argv[2], "go").exists():  # all start together
    time.sleep(0.01)
got = []
while (sub := worker.claim(sys.argv[1], settings.LIMITS)) is not None:
    got.append(sub.pk)
    time.sleep(0.02)  # the verification a real worker does next (SQLite's lock is not handed out fairly)
print(json.dumps(got))
"""


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_workers_claiming_at_once_never_take_the_same_bundle(db, tmp_path, request):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZICHA_PORTAL_") and k != "DJANGO_SETTINGS_MODULE"}
    env["ZICHA_PORTAL_HOME"] = str(tmp_path / "home")
    if db == "postgresql":
        env["ZICHA_PORTAL_DATABASE"] = request.getfixturevalue("postgresql")
    p = subprocess.run([*ZICHA, "portal", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    n = 200
    p = subprocess.run([sys.executable, "-c", SEED.format(n=n)], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    gate = tmp_path / "gate"
    gate.mkdir()
    claimers = [subprocess.Popen([sys.executable, "-c", CLAIM, f"w{i}", str(gate)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
    deadline = time.monotonic() + 120
    while len(list(gate.glob("ready-*"))) < len(claimers):
        assert time.monotonic() < deadline and all(c.poll() is None for c in claimers)
        time.sleep(0.1)
    (gate / "go").touch()
    taken = []
    for c in claimers:
        out, err = c.communicate(timeout=300)
        assert c.returncode == 0, err
        taken.append(json.loads(out))
    flat = [pk for got in taken for pk in got]
    assert len(flat) == n and len(set(flat)) == n  # every bundle once, none twice
    assert sum(1 for got in taken if got) >= 2  # they really ran side by side
