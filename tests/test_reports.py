"""The 自查报告 and the CI formats, looked at the way their readers see them.

An office audits its configuration backups with its unit profile and attestations beside the inventory, and sends
the report upward. The report must read like the ones offices write (docs/source-reports/): every section, the
numbers of results.json, a manual clause attested no among the problems and the remediation, no English in the
body. DOCX goes through LibreOffice to PDF, HTML through headless Chromium; the tests read the rendered text, the
fonts the PDF embeds, where each word sits on the page, and the pixels. SARIF is checked by Microsoft's SARIF
multitool and against the official 2.1.0 schema it ships."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, needs, run_zicha

FIX = ROOT / "tests" / "fixtures" / "configs"
EXAMPLES = ROOT / "inventory" / "examples"
MULTITOOL = ROOT / ".tools" / "npm" / "node_modules" / "@microsoft" / "sarif-multitool-linux"
FONTS = ROOT / "scripts" / "report-fonts.conf"
HEADINGS = ("一、基本情况", "二、自查工作开展情况", "三、存在的问题", "四、整改措施及计划", "五、下一步工作打算")
# Latin words a Chinese 自查报告 may carry in its body: the product (zicha), and the terms the eighteen source
# reports themselves write in Latin letters (IP, MAC, U盘, UPS, CA, SQL, Web, CERT, DDoS, A、B角)
ALLOWED_LATIN = {"zicha", "IP", "MAC", "U", "UPS", "CA", "SQL", "Web", "CERT", "DDoS", "A", "B"}
ORDER = ("fail", "error", "waived", "pass", "not_applicable")


def snapshot_audit(tmp, names, *extra, unit=True, attestations=True, attach=None):
    """Configuration backups in a snapshot folder, with the example unit.yml and attestations.yml beside them."""
    snap = tmp / "snap"
    (snap / "configs").mkdir(parents=True, exist_ok=True)
    for n in names:  # a fixture, or (fixture, the device's name in this estate)
        src, name = (n, Path(n).name) if isinstance(n, str) else (n[0], f"{n[1]}.cfg")
        shutil.copy(FIX / src, snap / "configs" / name)
    if unit:
        shutil.copy(EXAMPLES / "unit.yml", snap / "unit.yml")
    if attestations:
        shutil.copy(EXAMPLES / "attestations.yml", snap / "attestations.yml")
    for clause, files in (attach or {}).items():
        (snap / "attachments" / clause).mkdir(parents=True, exist_ok=True)
        for fname, body in files.items():
            (snap / "attachments" / clause / fname).write_bytes(body)
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


def results_json(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def own_verdicts(doc: dict) -> dict[str, str]:
    """Each clause's verdict, worked out here from the results alone: a host counts once per clause, by its
    worst verdict on that clause; a manual clause by its attestation."""
    hosts: dict[str, dict[str, str]] = {}
    manual: dict[str, str] = {}
    for r in doc["results"]:
        if r["kind"] == "attestation":
            manual[r["rule"]] = {"pass": "pass", "fail": "fail", "error": "unverified"}.get(r["status"], "not_attested")
            continue
        for c in r["clauses"]:
            s = r["clause_verdicts"][c]["status"]
            now = hosts.setdefault(c, {}).get(r["host"])
            if now is None or ORDER.index(s) < ORDER.index(now):
                hosts[c][r["host"]] = s
    out = dict(manual)
    for c, hs in hosts.items():
        n = Counter(hs.values())
        ok = n["pass"] + n["waived"]
        out[c] = ("partial" if ok else "fail") if n["fail"] else ("partial" if ok else "unverified") if n["error"] \
            else "pass" if ok else "na"
    return out


def docx_body_and_tables(path: Path) -> tuple[str, list]:
    """The text before 附件1 (the body), and the tables, as python-docx reads the document."""
    from docx import Document

    doc = Document(str(path))
    body = []
    for p in doc.paragraphs:
        if p.text.strip() in ("附件1", "Appendix 1"):
            break
        body.append(p.text)
    return "\n".join(body), doc.tables


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


# -- what the report says ------------------------------------------------------------------------------------------


def test_every_section_of_an_upward_report_is_there_in_order(audited):
    body, _ = docx_body_and_tables(audited / "report.docx")
    lines = [line for line in body.splitlines() if line.strip()]
    assert lines[0] == "内部"  # the marking from unit.yml
    assert lines[1] == "某某县教育局关于" + results_json(audited)["run"]["started_at"][:4] + "年网络安全自查情况的报告"
    assert lines[2] == "某某市教育局："  # 主送
    assert lines[3].startswith("按照某某市教育局《关于开展2026年度网络安全自查工作的通知》（某教办〔2026〕12号）要求")
    positions = [body.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert "成立了以局长李四为组长、副局长王五为副组长" in body  # the leading group from the profile
    assert re.search(r"附件：1．检查范围和设备清单", body)
    tail = lines[-3:]
    assert tail[0] == "某某县教育局（盖章）" and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", tail[1])
    assert tail[2] == "（联系人：张三，联系电话：0737-1234567）"


def body_numbers_match(md: str, doc: dict) -> None:
    """The body of report.md says what results.json holds: hosts checked and reached, the technical requirements by
    verdict, and each failed clause as a finding with the count of its hosts (the others are no finding)."""
    from checker import catalog

    body = md.split("## 附件1")[0]
    run = doc["run"]
    assert f"本次对其中{len(run['hosts_attempted'])}台逐台检查" in body
    assert f"成功采集配置{len(run['hosts_reached'])}台" in body
    auto = Counter(v["verdict"] for v in doc["clauses"].values() if v["kind"] == "automated")
    assert (f"对照{sum(auto.values())}项技术要求，符合{auto['pass']}项，部分符合{auto['partial']}项，"
            f"不符合{auto['fail']}项，未能核实{auto['unverified']}项，不适用{auto['na']}项") in body
    problems = section(body, "## 三、存在的问题", "## 四、")
    params = run["params"]
    for cid, v in doc["clauses"].items():
        if v["kind"] != "automated":
            continue
        finding = re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]), catalog.load()[cid].report["finding"])
        if v["hosts"]["fail"]:
            considered = sum(n for s, n in v["hosts"].items() if s != "not_applicable")
            assert re.search(rf"{considered}台[^，。；]*中{v['hosts']['fail']}台{re.escape(finding)}", problems), cid
        else:
            assert finding not in problems, cid


def md_clause_rows(md: str) -> dict[str, list[str]]:
    """The rows of report.md's table of clauses (条款 | 要求 | 类型 | 结论 | counts), by clause."""
    lines = md.split("| 条款 | 要求 | 类型 | 结论 |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))] for line in lines]
    return {r[0]: r for r in rows}


def clause_table_matches(docx: Path, doc: dict, md: Path | None = None) -> None:
    """The DOCX's table of clauses (and report.md's, when given) gives each clause the verdict results.json gives
    it, and its host counts."""
    assert {c: v["verdict"] for c, v in doc["clauses"].items()} == own_verdicts(doc)
    _, tables = docx_body_and_tables(docx)
    [clauses] = [t for t in tables if t.rows[0].cells[0].text == "条款" and t.rows[0].cells[3].text == "结论"]
    md_rows = md_clause_rows(md.read_text(encoding="utf-8")) if md else None
    if md_rows is not None:
        assert set(md_rows) == set(doc["clauses"])
    labels = {"automated": {"pass": "符合", "partial": "部分符合", "fail": "不符合", "unverified": "未能核实",
                            "na": "不适用"},
              "manual": {"pass": "已落实", "fail": "未落实", "unverified": "未能核实", "not_attested": "未核验"},
              "gap": {"pass": "不存在", "fail": "存在", "unverified": "未能核实", "not_attested": "未核验"}}
    shown = {row.cells[0].text: row.cells[3].text for row in clauses.rows[1:]}
    assert set(shown) == set(doc["clauses"])
    for cid, v in doc["clauses"].items():
        assert shown[cid] == labels[v["kind"]][v["verdict"]], cid
        if md_rows is not None:
            assert md_rows[cid][3] == labels[v["kind"]][v["verdict"]], (cid, md_rows[cid])
        if v["kind"] == "automated":  # and the host counts, each host once
            row = next(r for r in clauses.rows[1:] if r.cells[0].text == cid)
            counts = [v["hosts"][k] for k in ("pass", "fail", "error", "waived")]
            assert [int(row.cells[i].text) for i in (4, 5, 6, 7)] == counts, cid
            if md_rows is not None:
                assert [int(x) for x in md_rows[cid][4:8]] == counts, (cid, md_rows[cid])


def test_the_numbers_in_the_body_are_those_of_results_json(audited):
    body_numbers_match((audited / "report.md").read_text(encoding="utf-8"), results_json(audited))


def test_each_clause_has_the_same_verdict_in_the_report_and_in_results_json(audited):
    clause_table_matches(audited / "report.docx", results_json(audited), audited / "report.md")


def test_a_manual_clause_attested_no_is_a_problem_and_has_a_remedy(audited):
    doc = results_json(audited)
    drill = next(r for r in doc["results"] if r["rule"] == "EMERGENCY-DRILL")
    assert drill["host"] == "@unit" and drill["kind"] == "attestation" and drill["status"] == "fail"
    assert drill["evidence"]["attestation"]["by"] == "信息中心 钱七"
    md = (audited / "report.md").read_text(encoding="utf-8")
    problems = section(md, "## 三、存在的问题", "## 四、")
    assert "### （二）管理方面" in problems and "未开展网络安全应急演练（本年度尚未组织演练）（信息中心 钱七核验）" in problems
    # the admitted problem (GAP-*) in the unit's own words
    assert "网络安全专职人员仅1人，可投入的力量有限" in section(problems, "### （三）其他不足", "###")
    plan = section(md, "## 四、整改措施及计划", "## 五、")
    assert "未开展网络安全应急演练。12月组织一次网络安全应急演练，形成演练记录和总结。责任人：信息中心 钱七；完成时限：2026年12月20日" in plan
    # a finding elsewhere takes the profile's owner and deadline
    assert "责任人：信息中心 钱七；完成时限：2026年12月31日" in plan
    # CI counts it: a JUnit failure and a SARIF failure
    junit = (audited / "junit.xml").read_text(encoding="utf-8")
    assert re.search(r'<testcase classname="zicha.manual-clauses" name="EMERGENCY-DRILL">\s*<failure', junit)
    sarif = json.loads((audited / "results.sarif").read_text(encoding="utf-8"))
    [r] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "EMERGENCY-DRILL"]
    assert r["kind"] == "fail" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "attestations.yml"
    unattested = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SECURITY-BUDGET"]
    assert unattested[0]["kind"] == "review" and unattested[0]["level"] == "none"


def test_no_english_word_in_the_body_of_the_chinese_report(audited):
    body, _ = docx_body_and_tables(audited / "report.docx")
    html = (audited / "report.html").read_text(encoding="utf-8")
    main = re.sub(r"<[^>]+>", " ", html.split("<main class='body'>")[1].split("</main>")[0])
    md = (audited / "report.md").read_text(encoding="utf-8").split("## 附件1")[0]
    for where, text in (("docx", body), ("html", main), ("md", re.sub(r"<[^>]+>", " ", md))):
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text))
        assert words <= ALLOWED_LATIN, (where, sorted(words - ALLOWED_LATIN))
    # hosts and rule ids are in the appendices only
    doc = results_json(audited)
    for r in doc["results"]:
        assert r["host"] not in body and r["rule"] not in body
    assert "sw-floor3-noncompliant" in (audited / "report.md").read_text(encoding="utf-8")


def test_a_missing_profile_field_is_a_blank_to_fill_in(tmp_path):
    p, out = snapshot_audit(tmp_path, ["huawei_vrp/sw-core-compliant.cfg"], "--format", "md,docx", unit=False,
                            attestations=False)
    assert p.returncode in (0, 1), p.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    head = md.split("## 一、")[0]
    assert "# ＿＿＿＿关于" in head and "\n＿＿＿＿：\n" in head  # unit and addressee
    assert "按照＿＿＿＿《＿＿＿＿》（＿＿＿＿）要求" in head
    assert "单位名称" not in md  # the parameter's placeholder is not a name either
    assert "责任人：＿＿＿＿；完成时限：＿＿＿＿" in md
    assert "另有46项管理要求尚未核验" in md


def test_the_report_in_english(audited, tmp_path):
    p = run_zicha("report", str(audited / "results.json"), "--lang", "en", "-f", "md", "-o", str(tmp_path))
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for h in ("## 1. Overview", "## 2. How the self-inspection was done", "## 3. Problems found",
              "## 4. Remediation and plan", "## 5. Next steps", "## Appendix 3"):
        assert h in md, h
    assert "Report of 某某县教育局 on its" in md.splitlines()[2]


def test_report_reframes_a_bundle_with_another_profile(audited, tmp_path):
    [bundle] = audited.glob("evidence-*.tar.gz")
    profile = tmp_path / "unit.yml"
    profile.write_text(yaml.safe_dump({"unit": "另一单位", "addressee": "上级部门"}, allow_unicode=True))
    p = run_zicha("report", str(bundle), "--unit", str(profile), "-f", "md", "-o", str(tmp_path / "r"))
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "# 另一单位关于" in md and "\n上级部门：\n" in md and "某某县教育局" not in md


def test_a_profile_with_an_unknown_field_is_refused(tmp_path):
    snap = tmp_path / "snap"
    (snap / "configs").mkdir(parents=True)
    shutil.copy(FIX / "huawei_vrp" / "sw-core-compliant.cfg", snap / "configs")
    (snap / "unit.yml").write_text("unit: 某单位\nadressee: 上级\n", encoding="utf-8")
    p = run_zicha("audit", "--snapshot", str(snap), "-o", str(tmp_path / "out"), "-f", "json")
    assert p.returncode == 2
    assert "unit profile" in p.stderr and "adressee" in p.stderr


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
    trend = md.split("### 与上次自查比较")[1].split("##")[0]
    telnet = next(line for line in trend.splitlines() if line.startswith("| REMOTE-MGMT-SECURE"))
    assert telnet == "| REMOTE-MGMT-SECURE | sw-access | sw-floor3 | — | sw-lab（本次未检查） |"
    assert re.search(r"与上次自查相比，新发现问题\d+台次，已整改\d+台次，仍未整改\d+台次", md.split("## 附件1")[0])


# -- a result counts against the clause it disproves ---------------------------------------------------------------


def _result(host, rule, clauses, verdicts, message):
    from checker.models import Result

    worst = min(verdicts.values(), key=ORDER.index)
    return Result(host=host, rule=rule, status=worst, severity="high", clauses=clauses, gbt22239=["8.1.4.5"],
                  title={"zh": rule, "en": rule}, message={"zh": message, "en": message},
                  evidence={"sources": [], "gather": {"method": "ansible"}},
                  clause_verdicts={c: {"status": s, "message": {"zh": message if s == "fail" else "符合",
                                                                "en": message}} for c, s in verdicts.items()})


def test_a_stale_virus_database_is_not_a_missing_antivirus():
    from checker.models import AuditReport, RunInfo
    from checker.report import model

    run = RunInfo(id="t", started_at="2026-11-27T08:00:00Z", hosts_attempted=["pc1", "pc2"],
                  hosts_reached=["pc1", "pc2"], hosts=[{"name": "pc1", "role": "terminal", "zone": "office"},
                                                       {"name": "pc2", "role": "terminal", "zone": "office"}],
                  estate={"hosts": 2, "by_role": {"terminal": 2}}, params={"antivirus_max_signature_age_days": 7})
    av = ["AV-INSTALLED", "AV-SIGNATURES-UPDATED"]
    results = [_result("pc1", "ANTIVIRUS-UPDATED", av, {"AV-INSTALLED": "pass", "AV-SIGNATURES-UPDATED": "fail"},
                       "病毒库 31 天前"),
               _result("pc2", "ANTIVIRUS-UPDATED", av, {"AV-INSTALLED": "pass", "AV-SIGNATURES-UPDATED": "pass"}, "")]
    m = model.build(AuditReport(run=run, rules=[], results=results), "zh")
    assert [f.clause for f in m.findings if f.kind == "automated"] == ["AV-SIGNATURES-UPDATED"]
    [f] = [f for f in m.findings if f.kind == "automated"]
    assert f.text.startswith("全单位2台终端中1台病毒库超过7天未更新") and [h for h, _, _ in f.hosts] == ["pc1"]
    verdicts = {v.id: v.verdict for v in m.clauses}
    assert verdicts["AV-INSTALLED"] == "pass" and verdicts["AV-SIGNATURES-UPDATED"] == "partial"


def test_a_host_failing_a_clause_under_two_rules_is_listed_once():
    from checker.models import AuditReport, RunInfo
    from checker.report import model

    run = RunInfo(id="t", started_at="2026-11-27T08:00:00Z", hosts_attempted=["sw1"], hosts_reached=["sw1"],
                  hosts=[{"name": "sw1", "role": "switch", "zone": "office"}])
    results = [_result("sw1", "NO-WEAK-PASSWORD", ["PASSWORD-STRENGTH"], {"PASSWORD-STRENGTH": "fail"}, "弱口令 admin"),
               _result("sw1", "PASSWORD-POLICY", ["PASSWORD-STRENGTH"], {"PASSWORD-STRENGTH": "fail"}, "未要求8位")]
    m = model.build(AuditReport(run=run, rules=[], results=results), "zh")
    [f] = [f for f in m.findings if f.clause == "PASSWORD-STRENGTH"]
    assert f.count == 1 and f.hosts == [("sw1", "弱口令 admin；未要求8位", "NO-WEAK-PASSWORD, PASSWORD-POLICY")]


# -- looked at as a reader would ---------------------------------------------------------------------------------


def render_env() -> dict:
    import os

    return {**os.environ, "FONTCONFIG_FILE": str(FONTS)}


def render_docx(docx: Path, where: Path) -> tuple[str, Path, list[Path]]:
    """LibreOffice → PDF → text and PNG pages, as a reader of the document would see it."""
    needs("soffice", "pdftoppm", "pdftotext", "pdffonts")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{where}/lo", "--convert-to", "pdf",
                    "--outdir", str(where), str(docx)], check=True, capture_output=True, timeout=300, env=render_env())
    pdf = where / (docx.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(pdf), str(where / "page")], check=True)
    return text, pdf, sorted(where.glob("page-*.png"))


CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def render_html(page: Path, where: Path) -> tuple[str, Path, Path]:
    """Headless Chromium: a screenshot of the page, and its PDF print for the text it shows."""
    needs("chromium", "pdftotext")
    where.mkdir(parents=True, exist_ok=True)
    flags = [*CHROMIUM, f"--user-data-dir={where / 'profile'}"]
    png = where / "page.png"
    subprocess.run(["chromium", *flags, "--window-size=1200,1800", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120, env=render_env())
    pdf = where / "page.pdf"
    subprocess.run(["chromium", *flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=120, env=render_env())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text, png, pdf


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


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    out = []
    for line in lines:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID: emb is the fifth field from the end
        out.append({"name": parts[0], "emb": parts[-5]})
    return out


def embedded_subsets(pdf: Path) -> set[str]:
    """The font programs a PDF carries as subsets (ABCDEF+Name): embedded, whoever opens the file. (Chromium's
    PDFs wrap their fonts so pdffonts shows no names; their font descriptors still name them.)"""
    return {m.decode() for m in re.findall(rb"/FontName\s*/[A-Z]{6}\+([^\s/>\]]+)", pdf.read_bytes())} | \
        {f["name"].split("+", 1)[1] for f in pdf_fonts(pdf) if "+" in f["name"]}


def words_on_pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """(page width, page height, words with their boxes) of each page, from pdftotext -bbox."""
    import xml.etree.ElementTree as ET

    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(xml.encode("utf-8"))
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                 for w in page.iter("{http://www.w3.org/1999/xhtml}word")]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def overlaps(words) -> list[tuple[str, str]]:
    """Words drawn over each other: text that ran out of its cell into its neighbour's."""
    out = []
    rows: dict[int, list] = {}
    for w in words:
        rows.setdefault(round(w[1] / 2), []).append(w)
    for row in rows.values():
        row.sort()
        for a, b in zip(row, row[1:]):
            overlap = min(a[2], b[2]) - max(a[0], b[0])
            if overlap > 1.5 and min(a[3], b[3]) - max(a[1], b[1]) > 1.5:
                out.append((a[4], b[4]))
    return out


def test_the_docx_report_renders_in_libreoffice(audited, tmp_path):
    text, pdf, pages = render_docx(audited / "report.docx", tmp_path / "docx")
    flat = "".join(text.split())  # LibreOffice spaces CJK from digits, narrow columns wrap
    for heading in ("网络安全自查情况的报告", *HEADINGS, "附件1", "检查范围和设备清单", "附件3", "各项要求核验结果",
                    "责任人", "完成时限"):
        assert heading in flat, heading
    assert "sw-floor3-noncompliant" in flat and "PASSWORD-STRENGTH" in flat  # the appendices
    assert len(pages) == 3 and all(ink_share(p) > 0.01 for p in pages)  # pages with text on them, not blank
    # the page count: the body of an upward report is a few pages; the appendices follow on pages of their own
    pages_text = text.split("\f")
    body = next(i for i, p in enumerate(pages_text) if "".join(p.split()).startswith("附件1"))
    assert 2 <= body <= 12, body
    assert len([p for p in pages_text if p.strip()]) > body + 4
    # the Chinese fonts are in the file, whoever opens it
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert any("CJK" in f["name"] for f in fonts), fonts
    # no text runs off the page or over another word (out of a table cell); a line may end in one hanging
    # punctuation mark (a full-width character, 16 pt) in the right margin, as Chinese typesetting does
    edge = 21.0 / 2.54 * 72 - 2.6 / 2.54 * 72 + 17
    for width, height, words in words_on_pages(pdf):
        assert words
        assert all(0 <= w[0] and w[2] <= edge for w in words), [w[4] for w in words if w[2] > edge][:5]
        assert overlaps(words) == []


OVERFLOW_PROBE = """<script>
window.addEventListener('load', () => {
  const bad = [];
  for (const el of document.querySelectorAll('td, th, p, h1, h2, h3')) {
    if (el.scrollWidth > el.clientWidth + 1) bad.push(el.tagName + ':' + el.textContent.slice(0, 40));
  }
  for (const t of document.querySelectorAll('table')) {
    if (t.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1) bad.push('table');
  }
  document.body.setAttribute('data-overflow', JSON.stringify(bad));
});
</script>"""


def test_the_html_report_renders_in_chromium_without_overflow(audited, tmp_path):
    text, png, pdf = render_html(audited / "report.html", tmp_path / "html")
    flat = "".join(text.split())
    for heading in (*HEADINGS, "各条款检查结果", "按安全区域", "按主机类别"):
        assert heading in flat, heading
    # the charts drew bars: the pass green and the fail red cover part of the printed appendix
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "html" / "p")], check=True)
    shots = sorted((tmp_path / "html").glob("p-*.png"))
    assert any(colour_share(s, (0x2E, 0x7D, 0x32)) > 0.002 for s in shots)
    assert any(colour_share(s, (0xC6, 0x28, 0x28)) > 0.002 for s in shots)
    assert ink_share(png) > 0.01
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert any("CJK" in name for name in embedded_subsets(pdf)), embedded_subsets(pdf)
    # no cell, paragraph or table wider than its box, measured by the browser itself
    probe = tmp_path / "probe.html"
    probe.write_text((audited / "report.html").read_text(encoding="utf-8").replace("</body>", OVERFLOW_PROBE + "</body>"),
                     encoding="utf-8")
    dom = subprocess.run(["chromium", *CHROMIUM, f"--user-data-dir={tmp_path / 'profile2'}", "--window-size=1200,1800",
                          "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120,
                         env=render_env()).stdout
    m = re.search(r"data-overflow=\"([^\"]*)\"", dom)
    assert m, dom[:300]
    assert json.loads(m.group(1).replace("&quot;", '"')) == []


# -- the CI formats ------------------------------------------------------------------------------------------------


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
    assert {r["kind"] for r in results} >= {"fail", "pass", "notApplicable", "review"}
    assert all(r["ruleId"] == sarif["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in results)


@pytest.mark.parametrize("floor", ["low", "high", "critical"])
def test_fail_on_sets_the_exit_code_by_severity(tmp_path, floor):
    """Only the compliant Huawei core switch: its remaining findings are of known severities (the attested
    problems are medium)."""
    p, out = snapshot_audit(tmp_path, ["huawei_vrp/sw-core-compliant.cfg"], "--format", "json", "--fail-on", floor)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    order = ["critical", "high", "medium", "low", "info"]
    expect = any(r["status"] in ("fail", "error") and order.index(r["severity"]) <= order.index(floor) for r in results)
    assert p.returncode == (1 if expect else 0), (floor, p.stderr)


def test_an_attested_problem_alone_makes_the_exit_code_1(tmp_path):
    """A compliant device and nothing attested: exit 0; the same with one manual clause attested no: exit 1."""
    names = ["huawei_vrp/sw-core-compliant.cfg"]
    p0, out0 = snapshot_audit(tmp_path / "a", names, "--format", "json", attestations=False)
    failing = [r for r in results_json(out0)["results"] if r["status"] in ("fail", "error")]
    snap = tmp_path / "b" / "snap"
    snap.mkdir(parents=True)
    (snap / "attestations.yml").write_text(
        "attestations:\n  SECURITY-TRAINING: {answer: no, by: 办公室 赵六, at: '2026-01-05'}\n", encoding="utf-8")
    p1, out1 = snapshot_audit(tmp_path / "b", names, "--format", "json", attestations=False)
    assert p1.returncode == 1, p1.stderr
    assert [r["rule"] for r in results_json(out1)["results"] if r["status"] == "fail" and r["kind"] == "attestation"] \
        == ["SECURITY-TRAINING"]
    assert p0.returncode == (1 if failing else 0)


def test_an_unknown_format_is_refused(tmp_path):
    p = run_zicha("report", str(tmp_path / "nothing.json"), "-f", "pdf")
    assert p.returncode == 2 and "unknown format 'pdf'" in p.stderr


def test_control_characters_in_observed_text_do_not_break_the_docx(audited, tmp_path):
    """A banner or description read from a device may carry control characters; Word's XML refuses them."""
    doc = json.loads((audited / "results.json").read_text(encoding="utf-8"))
    victim = next(r for r in doc["results"] if r["status"] == "fail" and r["kind"] == "rule")
    victim["message"]["zh"] += " 横幅\x07\x1b[0m"
    src = tmp_path / "results.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    p = run_zicha("report", str(src), "-f", "docx,md", "-o", str(tmp_path / "r"))
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "横幅\\[0m" in md and "\x07" not in md  # shown, escaped for Markdown


# -- the terminal table of a large estate ------------------------------------------------------------------------


def _table_of(n_hosts: int) -> str:
    from checker.models import AuditReport, RunInfo
    from checker.report import table

    hosts = [f"pc{i:04d}" for i in range(n_hosts)]
    run = RunInfo(id="t", started_at="2026-11-27T08:00:00Z", hosts_attempted=hosts, hosts_reached=hosts)
    results = [_result(h, "SCREEN-LOCK", ["SCREEN-LOCK"], {"SCREEN-LOCK": "fail" if i % 10 == 0 else "pass"},
                       "未设置锁屏" if i % 20 == 0 else "锁屏时间 30 分钟") for i, h in enumerate(hosts)]
    return table.render(AuditReport(run=run, rules=[], results=results), "zh").decode()


def test_a_large_estate_gets_one_table_line_per_verdict_and_message():
    from checker.report import table

    small, large = _table_of(table.GROUP_ABOVE), _table_of(table.GROUP_ABOVE + 1)
    assert "pc0020" in small and small.count("│ 不符合") == table.GROUP_ABOVE // 10  # one line per host
    # 201 hosts: two failing messages, one passing, each on one line that counts its hosts
    assert large.count("│ 不符合") == 2 and large.count("│ 符合") == 1
    assert all(n in large for n in ("(+8)", "(+7)", "(+177)", "pc0000", "pc0040", "pc0050", "pc0003"))
    assert "pc0060" not in large and "pc0004" not in large  # the first three hosts of each line, then a count
