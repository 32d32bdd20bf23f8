"""Child processes and scratch folders that never outlive zicha, and never grow without bound.

- `child_limits(memory)` is a preexec_fn: the child gets SIGTERM when zicha dies, even by SIGKILL
  (PR_SET_PDEATHSIG), and an address-space limit when one is given.
- `run(cmd, ...)` runs a command under those limits, with a wall-clock timeout and a cap on what it may print.
- `scratch(kind)` is a temporary folder named after this process; folders of processes that no longer exist
  (a zicha killed with SIGKILL cannot clean up after itself) are removed by the next zicha that makes one.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

PR_SET_PDEATHSIG = 1


def _pdeathsig(sig: int = signal.SIGTERM) -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig)
    except OSError:
        pass


def child_limits(memory_bytes: int | None = None, cpu_seconds: int | None = None) -> Callable[[], None]:
    """A preexec_fn for subprocess: dies with its parent; optional address-space and CPU limits."""
    def setup() -> None:
        _pdeathsig()
        if memory_bytes:  # never above a limit zicha itself runs under (raising it fails, or escapes it as root)
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if cpu_seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    return setup


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool = False
    too_much_output: bool = False


# A shell between zicha and a command whose own children must die with zicha too (an executable inventory
# script run by ansible-inventory): PR_SET_PDEATHSIG reaches only the direct child, which alone would die and
# leave its children to PID 1. The shell gets that signal and passes it to its whole process group.
_GROUP_KEEPER = 'trap "trap - TERM INT HUP; kill -TERM 0" TERM INT HUP; "$@" & wait $!'


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 120, max_output: int = 256 << 20,
        memory_bytes: int | None = None, cwd: str | None = None, tree: bool = False) -> Completed:
    """Run `cmd`; kill it (and its process group) when it runs past `timeout` or prints more than `max_output`
    bytes on stdout or stderr. tree: the command's children die with zicha as well, even when zicha is killed
    with SIGKILL (a killed command then reports 128 + the signal, as a shell does)."""
    if tree:
        cmd = ["/bin/sh", "-c", _GROUP_KEEPER, "sh", *cmd]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd,
                             preexec_fn=child_limits(memory_bytes), start_new_session=True)
        deadline = time.monotonic() + timeout
        timed_out = too_much = False
        try:
            while p.poll() is None:
                if time.monotonic() > deadline:
                    timed_out = True
                    break
                if os.fstat(out.fileno()).st_size > max_output or os.fstat(err.fileno()).st_size > max_output:
                    too_much = True
                    break
                time.sleep(0.05)
        finally:
            if p.poll() is None:
                kill_group(p)
        out.seek(0)
        err.seek(0)
        return Completed(p.returncode, out.read(max_output + 1), err.read(1 << 20), timed_out, too_much)


def kill_group(p: subprocess.Popen) -> None:
    """SIGTERM the child's process group, then SIGKILL what is left after a grace period."""
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(p.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            p.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


_SCRATCH = re.compile(r"^zicha-[a-z]+-(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(base: str | None = None) -> list[str]:
    """Remove scratch folders left by zicha processes that no longer run. Returns what was removed."""
    base = base or tempfile.gettempdir()
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for e in entries:
        m = _SCRATCH.match(e.name)
        if not m or not e.is_dir(follow_symlinks=False):
            continue
        try:
            if e.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        if not _alive(int(m.group(1))):
            shutil.rmtree(e.path, ignore_errors=True)
            removed.append(e.path)
    return removed


@contextlib.contextmanager
def scratch(kind: str) -> Iterator[Path]:
    """A private temporary folder (mode 0700), removed on exit; stale ones of dead zicha processes go first."""
    sweep()
    path = Path(tempfile.mkdtemp(prefix=f"zicha-{kind}-{os.getpid()}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


TAG = "ZICHA_RUN_TAG"


def tagged(tag: str) -> list[int]:
    """Processes whose environment carries ZICHA_RUN_TAG=tag: a run's whole tree, even the parts that started
    sessions of their own (Ansible's workers do) or were re-parented to PID 1."""
    needle = f"{TAG}={tag}".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def kill_tagged(tag: str, grace: float = 3.0) -> list[int]:
    """SIGTERM every process of the tagged tree, then SIGKILL what is left after `grace` seconds."""
    victims = tagged(tag)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in victims:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            victims = [p for p in victims if _alive_not_zombie(p)]
            if not victims:
                return []
            time.sleep(0.1)
    return victims


def _alive_not_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False
