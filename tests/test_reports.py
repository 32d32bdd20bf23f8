"""The 自查报告 and the CI formats, looked at the way their readers see them.

DOCX goes through LibreOffice to PDF and pdftoppm to PNG; HTML through headless Chromium to PNG and PDF; the
tests read the rendered text and look at the pixels. SARIF is checked by Microsoft's SARIF multitool and against
the official 2.1.0 schema it ships."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, needs, run_zicha

FIX = ROOT / "tests" / "fixtures" / "configs"
MULTITOOL = ROOT / ".tools" / "npm" / "node_modules" / "@microsoft" / "sarif-multitool-linux"


def snapshot_audit(tmp, names, *extra):
    snap = tmp / "snap"
    (snap / "configs").mkdir(parents=True, exist_ok=True)
    for n in names:  # a fixture, or (fixture, the device's name in this estate)
        src, name = (n, Path(n).name) if isinstance(n, str) else (n[0], f"{n[1]}.cfg")
        shutil.copy(FIX / src, snap / "configs" / name)
    out = tmp / "out"
    p = run_zicha("audit", "--snapshot", str(snap), "-o", str(out), *extra)
    return p, out


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reports")
    p, out = snapshot_audit(tmp, ["huawei_vrp/sw-floor3-noncompliant.cfg", "h3c_comware/sw-office-compliant.cfg",
                                  "huawei_usg/fw-boundary-noncompliant.cfg", "cisco_ios/sw-access-compliant.cfg"],
                            "--format", "json,sarif,md,html,docx,junit")
    assert p.returncode == 1, p.stderr
    return out


def render_docx(docx: Path, where: Path) -> tuple[str, list[Path]]:
    """LibreOffice → PDF → text and PNG pages, as a reader of the document would see it."""
    needs("soffice", "pdftoppm", "pdftotext")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{where}/lo", "--convert-to", "pdf",
                    "--outdir", str(where), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = where / (docx.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(pdf), str(where / "page")], check=True)
    return text, sorted(where.glob("page-*.png"))


def render_html(page: Path, where: Path) -> tuple[str, Path]:
    """Headless Chromium: a screenshot of the page, and its PDF print for the text it shows."""
    needs("chromium", "pdftotext")
    where.mkdir(parents=True, exist_ok=True)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={where / 'profile'}"]
    png = where / "page.png"
    subprocess.run(["chromium", *flags, "--window-size=1200,1800", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    pdf = where / "page.pdf"
    subprocess.run(["chromium", *flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text, png


def colour_share(png: Path, rgb: tuple[int, int, int], tolerance: int = 40) -> float:
    from PIL import Image

    img = Image.open(png).convert("RGB")
    px = list(img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata())
    near = sum(1 for p in px if all(abs(a - b) <= tolerance for a, b in zip(p, rgb)))
    return near / len(px)


def ink_share(png: Path) -> float:
    from PIL import Image

    img = Image.open(png).convert("L")
    px = list(img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata())
    return sum(1 for p in px if p < 128) / len(px)


def test_the_docx_report_renders_in_libreoffice(audited, tmp_path):
    text, pages = render_docx(audited / "report.docx", tmp_path / "docx")
    text = "".join(text.split())  # narrow table columns wrap their headings
    for heading in ("网络安全自查报告", "一、自查工作开展情况", "二、检查情况", "三、存在的问题", "四、整改措施",
                    "五、人工核实事项", "附录：证据表", "责任人", "完成时限"):
        assert heading in text, heading
    assert "sw-floor3-noncompliant" in text and "PASSWORD-STRENGTH" in text
    assert "领导小组" in text  # the manual clauses, with their attestation fields
    assert len(pages) == 3 and all(ink_share(p) > 0.01 for p in pages)  # pages with text on them, not blank


def test_the_html_report_renders_in_chromium_with_its_charts(audited, tmp_path):
    text, png = render_html(audited / "report.html", tmp_path / "html")
    for heading in ("一、自查工作开展情况", "二、检查情况", "三、存在的问题", "四、整改措施", "各条款检查结果", "按安全区域",
                    "按主机类别"):
        assert heading in text, heading
    # the charts drew bars: the pass green and the fail red cover part of the screenshot
    assert colour_share(png, (0x2E, 0x7D, 0x32)) > 0.002
    assert colour_share(png, (0xC6, 0x28, 0x28)) > 0.002


def test_the_report_in_english(audited, tmp_path):
    p = run_zicha("report", str(audited / "results.json"), "--lang", "en", "-f", "md", "-o", str(tmp_path))
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## 3. Problems found" in md and "| Owner | Deadline |" in md
    assert md.splitlines()[0].startswith("# Network security self-inspection report")


def test_problems_and_remediation_follow_the_results(audited):
    md = (audited / "report.md").read_text(encoding="utf-8")
    results = json.loads((audited / "results.json").read_text(encoding="utf-8"))["results"]
    failing = {(r["host"], r["rule"]) for r in results if r["status"] == "fail"}
    problems = md.split("## 三、存在的问题")[1].split("## 四、整改措施")[0]
    for host, rule in failing:
        assert f"**{host}**（{rule}，不符合）" in problems
    remediation = md.split("## 四、整改措施")[1].split("## 五、")[0]
    assert all(rule in remediation for _, rule in failing)


def test_the_trend_against_a_previous_bundle(tmp_path):
    """Last month sw-floor3 (Huawei) and sw-lab (H3C) allowed Telnet. This month sw-floor3 was put right, a Cisco
    switch that allows Telnet was added, and sw-lab was not audited: it is not counted as put right."""
    p1, before = snapshot_audit(tmp_path / "a", [("huawei_vrp/sw-floor3-noncompliant.cfg", "sw-floor3"),
                                                 ("h3c_comware/sw-lab-noncompliant.cfg", "sw-lab")], "--format", "json")
    [prev] = before.glob("evidence-*.tar.gz")
    p2, now = snapshot_audit(tmp_path / "b", [("huawei_vrp/sw-core-compliant.cfg", "sw-floor3"),
                                              ("cisco_ios/sw-access-noncompliant.cfg", "sw-access")],
                             "--format", "md", "--previous", str(prev))
    assert p2.returncode == 1, p2.stderr
    md = (now / "report.md").read_text(encoding="utf-8")
    trend = md.split("### 与上次自查比较")[1].split("## 四、")[0]
    telnet = next(line for line in trend.splitlines() if line.startswith("| REMOTE-MGMT-SECURE"))
    assert telnet == "| REMOTE-MGMT-SECURE | sw-access | sw-floor3 | — | sw-lab（本次未检查） |"


def test_clause_counts_are_hosts_not_results(audited):
    """A clause proven by several rules counts each host once, by its worst result."""
    md = (audited / "report.md").read_text(encoding="utf-8")
    results = json.loads((audited / "results.json").read_text(encoding="utf-8"))["results"]
    hosts = {r["host"] for r in results}
    section = md.split("## 二、检查情况")[1].split("## 三、")[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows
    for row in rows:
        clause, counts = row[0].strip("| "), [int(x.strip(" |")) for x in row[-4:]]
        assert sum(counts) <= len(hosts), (clause, counts)
        touched = [r for r in results if clause in r["clauses"]]
        failing = {r["host"] for r in touched if r["status"] == "fail"}
        assert counts[1] == len(failing), (clause, counts, failing)


def test_sarif_is_valid_for_the_schema_and_microsofts_validator(audited, tmp_path):
    import jsonschema

    sarif = json.loads((audited / "results.sarif").read_text(encoding="utf-8"))
    schema = json.loads((MULTITOOL / "sarif-2.1.0.json").read_text(encoding="utf-8-sig"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    p = subprocess.run([str(MULTITOOL / "Sarif.Multitool"), "validate", str(audited / "results.sarif"),
                        "-o", str(tmp_path / "validation.sarif")], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    report = json.loads((tmp_path / "validation.sarif").read_text(encoding="utf-8-sig"))
    errors = [r for run in report["runs"] for r in run.get("results", []) if r.get("level") == "error"]
    assert errors == [], errors
    results = sarif["runs"][0]["results"]
    assert {r["kind"] for r in results} >= {"fail", "pass", "notApplicable"}
    assert all(r["ruleId"] == sarif["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in results)


@pytest.mark.parametrize("floor", ["low", "high", "critical"])
def test_fail_on_sets_the_exit_code_by_severity(tmp_path, floor):
    """Only the compliant Huawei core switch: its remaining findings are of known severities."""
    p, out = snapshot_audit(tmp_path, ["huawei_vrp/sw-core-compliant.cfg"], "--format", "json", "--fail-on", floor)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    order = ["critical", "high", "medium", "low", "info"]
    expect = any(r["status"] in ("fail", "error") and order.index(r["severity"]) <= order.index(floor) for r in results)
    assert p.returncode == (1 if expect else 0), (floor, p.stderr)


def test_an_unknown_format_is_refused(tmp_path):
    p = run_zicha("report", str(tmp_path / "nothing.json"), "-f", "pdf")
    assert p.returncode == 2 and "unknown format 'pdf'" in p.stderr


def test_control_characters_in_observed_text_do_not_break_the_docx(audited, tmp_path):
    """A banner or description read from a device may carry control characters; Word's XML refuses them."""
    doc = json.loads((audited / "results.json").read_text(encoding="utf-8"))
    victim = next(r for r in doc["results"] if r["status"] == "fail")
    victim["message"]["zh"] += " 横幅\x07\x1b[0m"
    src = tmp_path / "results.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    p = run_zicha("report", str(src), "-f", "docx,md", "-o", str(tmp_path / "r"))
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "横幅[0m" in md and "\x07" not in md
