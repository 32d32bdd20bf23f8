"""Render the 自查报告 as a reader sees it, into docs/report-sample/ (the pages checked into the repository).

    scripts/report_sample.py --from out/demo-…/evidence-….tar.gz   # any bundle or results.json (make demo does this)
    scripts/report_sample.py                                       # a sample without the lab (below)

Without --from it audits a sample estate that needs no lab: the device configurations of tests/fixtures/configs
(a snapshot) and the two recorded Windows terminals of tests/fixtures/windows (judged as of their recording),
decided by a real OPA server, framed by inventory/examples/unit.yml and attested by
inventory/examples/attestations.yml. The DOCX goes through LibreOffice to PDF and PNG pages, the HTML through
headless Chromium to a PNG; docs/report-sample/README.md lists what was rendered from what.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FONTS_CONF = ROOT / "scripts" / "report-fonts.conf"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
# the recorded Windows terminals were captured at the end of January 2024: they are judged as of then
WINDOWS_NOW = "2024-01-31T12:00:00Z"


def render_env() -> dict[str, str]:
    """LibreOffice and Chromium find Chinese fonts for the names a 公文 uses (仿宋, 黑体…) through this fontconfig."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


def sample_report():
    """An AuditReport of the sample estate (no lab needed), decided by a real OPA server."""
    from checker import attest, audit, catalog, config, evaluate, normalize, snapshot, unit
    from checker.devices import credentials
    from checker.models import AuditReport, GatherOutcome, Host, RunInfo
    from tests.test_windows_normalizer import raw_of

    params = config.load_params()
    judge = credentials.Judge(credentials.linux_candidates(config.collector_params(params)))
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp)
        (snap / "configs").mkdir()
        for cfg in sorted((ROOT / "tests" / "fixtures" / "configs").glob("*/*.cfg")):
            shutil.copy(cfg, snap / "configs" / cfg.name)
        inv, outcomes = snapshot.load(snap, judge)
    hosts = list(inv.hosts)
    for name, terminal in (("pc-xzb-0412", "terminal-a-compliant"), ("pc-lab-0907", "terminal-b-noncompliant")):
        h = Host(name, "windows", "terminal", "office")
        hosts.append(h)
        raw = {"platform": "windows", "collected_at": WINDOWS_NOW, "collector": {"name": "recorded"},
               "raw": raw_of(terminal)}
        outcomes[name] = GatherOutcome(name, "ok", raw=raw, method="ansible", source="tests/fixtures/windows")
    facts = {h.name: normalize.document(h, outcomes[h.name]) for h in hosts}
    topo = {"zones": {}, "hosts": {h.name: config.topology_entry(h) for h in hosts}}
    with tempfile.TemporaryDirectory() as tmp:
        with evaluate.OpaServer(log_path=Path(tmp) / "opa.log") as s, evaluate.Evaluator(s.url) as ev:
            ev.load(config.opa_data(params, topo))
            decision = ev.decide(evaluate.input_document(hosts, facts, WINDOWS_NOW))
            opa_version = evaluate.opa_version(s.binary)
    results = evaluate.complete([h.name for h in hosts], decision)
    examples = ROOT / "inventory" / "examples"
    # the examples are dated 2026; the sample is judged as of the Windows recording, so its dates move with it
    def moved(doc):
        text = json.dumps(doc, ensure_ascii=False)
        for a, b in (("2026-11-", "2024-01-"), ("2026-12-", "2024-03-"), ("2026", "2024")):
            text = text.replace(a, b)
        return json.loads(text)

    found = attest.load(examples / "attestations.yml")
    attested = attest.Attestations(found.file, moved(found.items))
    results += attest.results(attested, catalog.load(), {}, WINDOWS_NOW)
    run = RunInfo(id="sample", started_at=WINDOWS_NOW, finished_at=WINDOWS_NOW, inventory="(sample estate)",
                  zicha_version="sample", opa_version=opa_version, user="zicha", controller="sample",
                  hosts_attempted=[h.name for h in hosts],
                  hosts_reached=[h.name for h in hosts if facts[h.name].ok],
                  hosts=[{"name": h.name, "role": h.role, "zone": h.zone, "platform": h.platform,
                          "classified": h.classified, "method": facts[h.name].document["gather"]["method"]}
                         for h in hosts],
                  profile=moved(unit.load(examples / "unit.yml")), estate=audit.estate(hosts, topo),
                  params=audit.thresholds(params))
    return AuditReport(run=run, rules=decision.rules, results=results)


def docx_to_pdf(docx: Path, where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{where}/lo", "--convert-to", "pdf",
                    "--outdir", str(where), str(docx)], check=True, capture_output=True, timeout=300, env=render_env())
    return where / (docx.stem + ".pdf")


def html_to_pdf_and_png(page: Path, where: Path, width: int = 1000, height: int = 1400) -> tuple[Path, Path]:
    where.mkdir(parents=True, exist_ok=True)
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={where / 'profile'}"]
    png, pdf = where / "page.png", where / "page.pdf"
    subprocess.run(["chromium", *flags, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=180, env=render_env())
    subprocess.run(["chromium", *flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=180, env=render_env())
    return pdf, png


def body_pages(pdf: Path) -> int:
    """The pages before 附件1 (the body of the report)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    for i, p in enumerate(pages):
        if "".join(p.split()).startswith(("附件1", "Appendix1")):  # LibreOffice spaces CJK from digits
            return i
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="source", help="a results.json or an evidence bundle (default: the sample estate)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "report-sample"), help="where the pages go")
    ap.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = ap.parse_args(argv)

    from checker import evidence, report

    if args.source:
        rep, attached = evidence.load_report(Path(args.source))
        origin = f"`{Path(args.source).name}` (run {rep.run.id})"
    else:
        rep, attached = sample_report(), {}
        origin = ("the sample estate: tests/fixtures/configs (snapshot) and the two recorded Windows terminals, "
                  "framed by inventory/examples/unit.yml and attestations.yml (their dates moved to the recording's year)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        formats = [f for f in report.parse_formats("docx,html,md")]
        report.write(rep, formats, work, args.lang, attachments=attached)
        pdf = docx_to_pdf(work / "report.docx", work / "lo")
        n_body = body_pages(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", "-f", "1", "-l", str(n_body + 1), str(pdf),
                        str(out / "docx-page")], check=True)
        _, png = html_to_pdf_and_png(work / "report.html", work / "chromium")
        shutil.copy(png, out / "html-top.png")
        shutil.copy(work / "report.md", out / "report.md")
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        total = next(int(line.split()[-1]) for line in pages.splitlines() if line.startswith("Pages:"))
    shots = sorted(p.name for p in out.glob("*.png"))
    digest = hashlib.sha256(json.dumps([r.to_json() for r in rep.results], sort_keys=True).encode()).hexdigest()[:16]
    (out / "README.md").write_text(
        "# A rendered 自查报告\n\n"
        f"Rendered by `scripts/report_sample.py` (`make report-sample`; `make demo` renders the lab's) from {origin}.\n"
        f"The DOCX went through LibreOffice to PDF: {total} pages, the body (before 附件1) {n_body}; "
        f"`docx-page-*.png` are the body's pages and the first appendix page, `html-top.png` is the HTML in "
        f"headless Chromium, `report.md` the Markdown. Results digest {digest}.\n\n"
        + "".join(f"![{s}]({s})\n" for s in shots), encoding="utf-8")
    print(f"report sample: {len(shots)} pages in {out} ({total} pages in all, body {n_body})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
