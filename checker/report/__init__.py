"""Report stage: one renderer per output format behind one small interface, and a registry of them.

A renderer takes the AuditReport (and the language) and returns the bytes of one file. An unknown format is
an error, never a silent fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from checker.errors import OutputError
from checker.models import AuditReport

LABELS = {
    "zh": {"pass": "符合", "fail": "不符合", "error": "错误", "not_applicable": "不适用", "waived": "已豁免"},
    "en": {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived"},
}


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    help: str
    render: Callable[[AuditReport, str], bytes]


def _registry() -> dict[str, Format]:
    from checker.report import jsonout, junit, table

    formats = [
        Format("table", "results.txt", "the terminal table, grouped by clause", table.render),
        Format("json", "results.json", "every result with its evidence (zicha.results/v1)", jsonout.render),
        Format("junit", "junit.xml", "JUnit XML: one testcase per host and rule", junit.render),
    ]
    return {f.name: f for f in formats}


def formats() -> dict[str, Format]:
    return _registry()


def parse_formats(spec: str) -> list[Format]:
    known = _registry()
    out = []
    for name in [s.strip() for s in spec.split(",") if s.strip()]:
        if name not in known:
            raise OutputError(f"unknown format {name!r}; known: {', '.join(known)}")
        out.append(known[name])
    if not out:
        raise OutputError("no output format given")
    return out
