"""The whole story in a real browser, on SQLite and on PostgreSQL.

A fresh `zicha portal serve` (it migrates its own database) with two verification workers and a watched folder.
The inspector signs in with Debian's Chromium, opens a round, registers three units and their parent with their
keys, gives one a sign-in. The units send their bundles by every way there is: `zicha submit` from CI, the page
(the unit's own staff, and the inspector for a bundle handed over on paper), and the watched folder. One bundle
was altered after signing and one is signed with another unit's key: both are quarantined with the reason shown.
The inspector reads the matrix, the quarantine, a unit over time, a drill-down, a clause, the deadline, and exports
the 汇总报告. A screenshot of each view is kept (ZICHA_PORTAL_SCREENSHOTS=docs/portal to refresh the README's)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, ZICHA
from tests.portal.pgcluster import free_port
from tests.portal.helpers import tampered

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
         "--window-size=1400,1000", "--hide-scrollbars"]
INSPECTOR = ("insp", "Insp3ctor-pass!")
STAFF_A = ("staff-a", "Sch00l-a-staff!")


@dataclass
class Portal:
    url: str
    args: list[str]  # --home … [--database …]
    watch: Path
    log: Path
    env: dict


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZICHA_PORTAL_") and k != "DJANGO_SETTINGS_MODULE"}
    return env


def _zicha(portal: Portal, *args: str, stdin: str | None = None, extra_env: dict | None = None):
    return subprocess.run([*ZICHA, *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=900,
                          env={**portal.env, **(extra_env or {})})


@pytest.fixture(params=["sqlite", "postgresql"])
def portal(request, tmp_path):
    home, watch, log = tmp_path / "home", tmp_path / "watch", tmp_path / "serve.log"
    watch.mkdir()
    args = ["--home", str(home)]
    if request.param == "postgresql":
        args += ["--database", request.getfixturevalue("postgresql")]
    port = free_port()
    env = _env()
    with log.open("wb") as out:
        proc = subprocess.Popen([*ZICHA, "portal", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                 "--verifiers", "2", "--watch", str(watch), *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/login/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield Portal(url, args, watch, log, env)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything of its session still there (workers, OPA)
        except ProcessLookupError:
            pass


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Debian's chromium and chromium-driver are needed: run `make setup-system` as root")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for f in FLAGS:
        opts.add_argument(f)
    return webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))


class Person:
    """Someone at a browser: signs in, follows links, fills forms, takes screenshots."""

    def __init__(self, portal: Portal, shots: Path):
        self.portal, self.shots, self.d = portal, shots, _browser()

    def go(self, path: str):
        self.d.get(self.portal.url + path)
        return self

    def el(self, css: str):
        from selenium.webdriver.common.by import By

        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css: str):
        from selenium.webdriver.common.by import By

        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str = "main") -> str:
        from selenium.common.exceptions import NoSuchElementException

        try:
            return self.el(css).text
        except NoSuchElementException:
            raise AssertionError(f"no {css} on {self.d.current_url}: {self.d.page_source[:1500]}\n"
                                 f"server log: {self.portal.log.read_text()[-3000:]}") from None

    def fill(self, form: str, values: dict[str, str], submit: bool = True):
        from selenium.webdriver.support.ui import Select

        for name, value in values.items():
            field = self.el(f"{form} [name={name}]")
            if field.tag_name == "select":
                Select(field).select_by_visible_text(value)
            elif field.get_attribute("type") in ("datetime-local",):
                self.d.execute_script("arguments[0].value = arguments[1]", field, value)
            else:
                field.clear() if field.get_attribute("type") != "file" else None
                field.send_keys(value)
        if submit:
            self.click(f"{form} button[type=submit]")
        return self

    def click(self, css_or_element) -> None:
        """Click and wait for the next page (the old page's root goes stale)."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        target = self.el(css_or_element) if isinstance(css_or_element, str) else css_or_element
        root = self.el("html")
        target.click()

        def gone(_) -> bool:
            try:
                root.is_enabled()
                return False
            except WebDriverException:  # stale, or already gone from the new document
                return True
        WebDriverWait(self.d, 60).until(gone)

    def sign_in(self, user: str, password: str):
        self.go("/login/").fill("main form", {"username": user, "password": password})
        assert "登录" not in self.d.title, self.text()
        return self

    def shot(self, name: str) -> Path:
        height = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.set_window_size(1400, min(max(height, 700), 4000))
        path = self.shots / f"{name}.png"
        self.d.save_screenshot(str(path))
        self.d.set_window_size(1400, 1000)
        return path

    def session(self) -> requests.Session:
        s = requests.Session()
        for c in self.d.get_cookies():
            s.cookies.set(c["name"], c["value"])
        return s

    def quit(self):
        self.d.quit()


def _wait(check, what: str, timeout: float = 600):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(2)


def test_three_units_from_registration_to_the_summary_report(portal, bundles, tmp_path, request):
    is_sqlite = "sqlite" in request.node.callspec.id
    wanted = os.environ.get("ZICHA_PORTAL_SCREENSHOTS")
    shots = Path(wanted) if wanted and is_sqlite else tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    p = _zicha(portal, "portal", "createuser", INSPECTOR[0], "--role", "inspector", "--password-stdin", *portal.args,
               stdin=INSPECTOR[1] + "\n")
    assert p.returncode == 0, p.stderr
    insp = Person(portal, shots)
    staff = None
    try:
        insp.go("/login/")
        insp.shot("login")
        insp.sign_in(*INSPECTOR)
        assert insp.d.current_url.endswith("/region/")

        # a round that opened an hour ago and closes in a week
        now = dt.datetime.now()
        insp.go("/rounds/").fill("#round-form", {
            "name": "2026年第四季度网络安全自查", "organiser": "某区教育局",
            "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "deadline": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")})
        assert "2026年第四季度网络安全自查" in insp.text()

        # the parent, then the three units, each with the .pub its own zicha keygen wrote
        insp.go("/units/new/").fill("#unit-form", {"code": "edu-bureau", "name": "区教育局",
                                                   "key_file": str(_spare_key(tmp_path))})
        for code, name, unit in (("school-a", "第一中学", "school-a"), ("hospital-b", "人民医院", "hospital-b"),
                                 ("archive-c", "区档案馆", "bureau-c")):
            insp.go("/units/new/").fill("#unit-form", {"code": code, "name": name, "parent": "区教育局（edu-bureau）",
                                                       "key_file": str(bundles.keys[unit].pub)}, submit=False)
            if code == "school-a":
                insp.shot("unit-register")
            insp.click("#unit-form button[type=submit]")
            assert name in insp.text("h1"), insp.text()
        assert "SM2" in insp.go("/units/").text("#units")  # hospital-b signs with 国密

        # a sign-in for school-a's staff, and a token for its CI
        insp.go("/units/school-a/accounts/new/").fill("#account-form", {
            "username": STAFF_A[0], "password1": STAFF_A[1], "password2": STAFF_A[1]})
        insp.go("/units/school-a/tokens/").fill("#token-form", {"name": "GitLab CI"})
        token = insp.text("#new-token")
        assert token.startswith("zpt_")

        # school-a's CI sends its first audit and waits for the verdict
        p = _zicha(portal, "submit", str(bundles.a1), "--portal", portal.url + "/", "--wait", "--wait-timeout", "300",
                   extra_env={"ZICHA_PORTAL_TOKEN": token})
        assert p.returncode == 0 and "accepted" in p.stdout, p.stdout + p.stderr

        # its staff upload the next audit through the page
        staff = Person(portal, shots)
        staff.sign_in(*STAFF_A)
        assert staff.d.current_url.endswith("/units/school-a/")
        staff.go("/upload/").fill("#upload-form", {"bundle": str(bundles.a2)}, submit=False)
        staff.shot("upload")
        staff.click("#upload-form button[type=submit]")
        assert "/submissions/" in staff.d.current_url

        # hospital-b's bundle was altered after it was signed; the inspector uploads it for them
        bad, victim = tampered(bundles.b, tmp_path / "evidence-hospital-b.tar.gz")
        insp.go("/upload/").fill("#upload-form", {"bundle": str(bad), "unit": "人民医院（hospital-b）"})
        tampered_page = insp.d.current_url

        # archive-c's bundle, signed with school-a's key, arrives on a USB stick into the watched folder
        (portal.watch / "archive-c").mkdir()
        shutil.copy(bundles.c_wrong_key, portal.watch / "archive-c" / "evidence-archive-c.tar.gz")

        s = insp.session()

        def settled() -> bool:
            q = s.get(f"{portal.url}/quarantine/").text
            u = s.get(f"{portal.url}/units/school-a/").text
            return q.count("<tr>") == 3 and u.count(">已通过<") == 2
        _wait(settled, "the four bundles to be verified")

        # the quarantine: both reasons shown
        insp.go("/quarantine/")
        quarantined = insp.text("#quarantined")
        assert "人民医院" in quarantined and "证据包内容与其清单不符" in quarantined
        assert "区档案馆" in quarantined and "签名与本单位登记的公钥不符" in quarantined and "school-a" in quarantined
        insp.shot("quarantine")
        insp.d.get(tampered_page)
        assert "results.json: sha256 differs from the manifest" in insp.text("#problems")
        assert f"{victim['host']} / {victim['rule']}: status pass in the bundle, fail decided again" in \
            insp.text("#problems")
        insp.shot("submission-quarantined")

        # the matrix
        insp.go("/region/")
        rows = {r.find_element("css selector", "th").text: r for r in insp.els("#matrix tbody tr")}
        assert set(rows) == {"第一中学", "人民医院", "区档案馆", "区教育局"}
        def cells(name: str) -> set[str]:
            return {c.get_attribute("class") for c in rows[name].find_elements("css selector", "td[class^='c-']")}

        assert {"c-ok", "c-bad"} <= cells("第一中学")
        for name in ("人民医院", "区档案馆"):
            assert cells(name) == {"c-unverified"} and "已隔离" in rows[name].text
        assert cells("区教育局") == {"c-missing"} and "未提交" in rows["区教育局"].text
        legend = insp.text(".legend")
        assert all(word in legend for word in ("符合", "不符合", "未核验", "未提交"))
        insp.shot("matrix")

        # a failing cell leads to the hosts and their evidence
        insp.click(rows["第一中学"].find_element("css selector", "td.c-bad a"))
        evidence = insp.text("#evidence")
        assert "不符合" in evidence and ("sw-floor3" in evidence or "fw-boundary" in evidence)
        insp.shot("drill-down")

        # school-a over time: better since its last submission
        insp.go("/units/school-a/")
        assert "好转" in insp.text("#changes") and "REMOTE-MGMT-SECURE" in insp.text("#changes")
        assert len(insp.els("main svg")) == 1
        insp.shot("unit")
        insp.click("main a[href$='report.html']")
        assert "第一中学" in insp.d.title and "自查" in insp.d.title  # the unit's own 自查报告
        insp.shot("unit-report")

        # one clause across the units
        insp.go("/clauses/REMOTE-MGMT-SECURE/")
        assert "第一中学" in insp.text("#clause-units") and "未提交" in insp.text("#clause-units")
        insp.shot("clause")

        # the deadline
        insp.go("/deadline/")
        late = {td.text for td in insp.els("#late tr td:first-child")}
        assert late == {"区教育局", "人民医院", "区档案馆"}  # school-a submitted in time and was verified
        insp.shot("deadline")

        # the 汇总报告, on the page and as a Word document
        insp.go("/summary.html")
        assert "2026年第四季度网络安全自查汇总报告" in insp.d.title
        insp.shot("summary")
        r = s.get(f"{portal.url}/summary.docx")
        assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")
        from docx import Document

        doc = Document(io.BytesIO(r.content))
        text = "\n".join(par.text for par in doc.paragraphs)
        assert "2026年第四季度网络安全自查汇总报告" in text and "四、存在严重问题的单位" in text
        assert "第一中学" in "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)

        # English on request
        from selenium.webdriver.support.ui import Select

        insp.go("/region/")
        Select(insp.el("header select[name=language]")).select_by_value("en")
        insp.click("header form button[type=submit]")
        assert "The region" in insp.go("/region/").text("h1")

        # school-a's staff see their own unit, and not the hospital
        staff.go("/units/hospital-b/")
        assert "404" in staff.d.title or "Not Found" in staff.d.page_source
        assert staff.session().get(f"{portal.url}/region/").status_code == 403
    finally:
        insp.quit()
        if staff:
            staff.quit()
    for png in shots.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000, png
    assert len(list(shots.glob("*.png"))) >= 12


def _spare_key(tmp_path: Path) -> Path:
    from checker import signing

    _, pub = signing.keygen(tmp_path / "bureau-key", "ed25519")
    return pub
