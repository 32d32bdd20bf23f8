"""A PostgreSQL cluster of one's own, from Debian's package: initdb into a private folder, the server listening on
127.0.0.1 at a free port and on a socket in that folder only, stopped and removed on exit. As root the server runs
as the postgres user (it refuses root). Used by the tests and by bench/portal_scale.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class NoPostgres(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise NoPostgres("PostgreSQL's server is not installed: run `make setup-system` as root (Debian package "
                         "postgresql)")
    return found[-1].parent


@contextmanager
def cluster(fast: bool = True) -> Iterator[str]:
    """Yields the URL of a database `zicha` owned by the user `zicha` (trust authentication, 127.0.0.1 only)."""
    bins = bindir()
    top = Path(tempfile.mkdtemp(prefix="zicha-pg-"))
    data, sock, port = top / "data", top / "sock", free_port()
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(top, "postgres")
        shutil.chown(sock, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*cmd: str) -> None:
        p = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise NoPostgres(f"{Path(cmd[0]).name}: {p.stdout}{p.stderr}")

    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock}" + (" -c fsync=off" if fast else "")
    try:
        run(str(bins / "initdb"), "-D", str(data), "--auth=trust", "--username=zicha", "--encoding=UTF8",
            "--locale=C.UTF-8")
        run(str(bins / "pg_ctl"), "-D", str(data), "-l", str(top / "server.log"), "-w", "-t", "60", "-o", options,
            "start")
        try:
            run(str(bins / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "zicha", "zicha")
            yield f"postgresql://zicha@127.0.0.1:{port}/zicha"
        finally:
            subprocess.run([*as_user, str(bins / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
    finally:
        shutil.rmtree(top, ignore_errors=True)
