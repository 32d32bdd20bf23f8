"""A fake Linux host for the collector's tests: a folder that stands for its `/`, and the programs it has.

The collector reads every file through its run (HostRun), so a test hands it a fake host's folder as `root`
instead of patching paths; messages and facts still name the host's own paths (/etc/shadow)."""

from __future__ import annotations

from pathlib import Path

import checker  # noqa: F401  (puts the zicha.audit collection on sys.path)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError, HostRun

Programs = dict[tuple[str, ...], tuple[int, str, str]]


class FakeHost:
    """A host whose files are under `root` and whose only programs are `programs` (argv -> rc, out, err)."""

    def __init__(self, root: Path, programs: Programs | None = None, kernel: str = "6.1.0-zicha-test"):
        self.root = Path(root)
        self.programs: Programs = dict(programs or {})
        self.kernel = kernel
        self.ran: list[tuple[str, ...]] = []

    def write(self, path: str, text: str | bytes) -> Path:
        p = self.root / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
        return p

    def process(self, pid: int, name: str, state: str = "S", flags: int = 0x400100) -> None:
        """A running process as /proc shows it (stat: pid (comm) state ppid ... flags is the 9th field)."""
        self.write(f"/proc/{pid}/stat", f"{pid} ({name}) {state} 1 {pid} {pid} 0 -1 {flags} 0 0 0 0 1 2 0 0 20 0\n")
        self.write(f"/proc/{pid}/comm", name + "\n")
        self.write(f"/proc/{pid}/cmdline", f"{name}\0--password\0hunter2\0")

    def which(self, name: str) -> str | None:
        return "/usr/sbin/" + name if any(argv[0] == name for argv in self.programs) else None

    def run(self, argv, env=None, timeout=60):
        self.ran.append(tuple(argv))
        if tuple(argv) not in self.programs:
            raise FactError("%s: command not found" % argv[0])
        return self.programs[tuple(argv)]

    def run_for(self, params: dict | None = None, cls: type[HostRun] = HostRun) -> HostRun:
        """One collection run on this host."""
        (self.root / "proc").mkdir(parents=True, exist_ok=True)
        return cls(params or {}, root=str(self.root), run=self.run, which=self.which, kernel=self.kernel)
