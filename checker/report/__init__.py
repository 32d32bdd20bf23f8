"""Report stage: one renderer per output format behind one small interface, and a registry of them.

A renderer takes the AuditReport (and the language) and returns the bytes of one file. An unknown format is
an error, never a silent fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from checker import fsio
from checker.errors import OutputError
from checker.models import AuditReport

LABELS = {
    "zh": {"pass": "符合", "fail": "不符合", "error": "错误", "not_applicable": "不适用", "waived": "已豁免",
           "manual": "未核验"},
    "en": {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived",
           "manual": "not attested"},
}


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    help: str
    render: Callable[..., bytes]
    report: bool = False  # a 自查报告 (takes previous= and attachments=)


def _registry() -> dict[str, Format]:
    from checker.report import docx, html, jsonout, junit, markdown, oscal, sarif, table

    formats = [
        Format("table", "results.txt", "the terminal table, grouped by clause", table.render),
        Format("json", "results.json", "every result with its evidence (zicha.results/v1)", jsonout.render),
        Format("junit", "junit.xml", "JUnit XML: one testcase per host and rule", junit.render),
        Format("sarif", "results.sarif", "SARIF 2.1.0 for code-scanning dashboards", sarif.render),
        Format("md", "report.md", "the 自查报告 in Markdown", markdown.render, True),
        Format("html", "report.html", "the 自查报告 as one HTML page with charts", html.render, True),
        Format("docx", "report.docx", "the 自查报告 as a Word document", docx.render, True),
        Format("oscal", "assessment-results.json", "OSCAL assessment results", oscal.render),
    ]
    return {f.name: f for f in formats}


def write(report: AuditReport, formats: list[Format], out_dir, lang: str, previous: AuditReport | None = None,
          attachments: dict[str, list[str]] | None = None, timings: dict[str, float] | None = None) -> list[str]:
    """Render each format into out_dir; returns the paths written. A renderer that fails does not stop the
    others: the failures are raised together at the end (OutputError), naming what was written. `timings`, when
    given, receives the seconds each format took ("write:<name>")."""
    import time
    from pathlib import Path

    written, failed = [], []
    for f in formats:
        path = Path(out_dir) / f.filename
        t0 = time.perf_counter()
        try:
            data = f.render(report, lang, previous=previous, attachments=attachments) if f.report \
                else f.render(report, lang)
            fsio.write_bytes(path, data)
        except OutputError as e:
            failed.append(f"{f.name}: {e}")
            continue
        except Exception as e:  # noqa: BLE001 - one format's defect must not cost the others
            failed.append(f"{f.name}: {type(e).__name__}: {e}")
            continue
        finally:
            if timings is not None:
                timings[f"write:{f.name}"] = round(time.perf_counter() - t0, 3)
        written.append(str(path))
    if failed:
        raise OutputError("could not write " + "; ".join(failed) + (f" (written: {', '.join(written)})"
                                                                     if written else ""))
    return written


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
