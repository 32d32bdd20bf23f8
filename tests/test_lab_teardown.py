"""`make lab-down` leaves no lab process, namespace or link behind, also after a killed `make lab-up`."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.conftest import ROOT, needs_root
from tests.test_lab import LAB, lab, leftovers

pytestmark = pytest.mark.lab


def test_lab_down_after_a_killed_lab_up_leaves_nothing():
    needs_root()
    p = subprocess.Popen([*LAB, "up"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (ROOT / ".lab" / "hosts").exists():
        time.sleep(0.05)
    time.sleep(1.0)  # in the middle of starting hosts
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    assert any(leftovers())  # the killed run did leave things behind
    down = lab("down")
    assert down.returncode == 0, down.stderr
    assert leftovers() == ([], [], [])
