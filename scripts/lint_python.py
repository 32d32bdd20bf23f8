"""Python lint that fails only on what is a bug, not a taste: names that are not defined (a NameError waiting for
the one path that runs it), star imports (which hide such names from the check) and files that do not compile.
pyflakes reads the sources without running them. Usage: lint_python.py PATH..."""

from __future__ import annotations

import sys

from pyflakes import api, messages, reporter

FATAL = (messages.UndefinedName, messages.UndefinedExport, messages.UndefinedLocal, messages.ImportStarUsed,
         messages.ImportStarUsage, messages.ImportStarNotPermitted)


class Fatal(reporter.Reporter):
    def __init__(self) -> None:
        super().__init__(sys.stdout, sys.stderr)
        self.count = 0

    def flake(self, message) -> None:
        if isinstance(message, FATAL):
            self.count += 1
            super().flake(message)

    def syntaxError(self, *args) -> None:
        self.count += 1
        super().syntaxError(*args)

    def unexpectedError(self, *args) -> None:
        self.count += 1
        super().unexpectedError(*args)


def main(paths: list[str]) -> int:
    rep = Fatal()
    api.checkRecursive(paths, rep)
    if rep.count:
        print(f"lint_python: {rep.count} problem(s)", file=sys.stderr)
        return 1
    print(f"pyflakes: no undefined names or star imports in {' '.join(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["checker", "scripts", "tests", "bench", "playbooks"]))
