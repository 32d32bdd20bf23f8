"""Scale of the portal: a region of 1,000 units, each with a bundle of 100 hosts, and how fast its pages answer.

    .venv/bin/python bench/portal_scale.py                 # PostgreSQL of its own (Debian's server), 1,000 × 100
    .venv/bin/python bench/portal_scale.py --database sqlite
    .venv/bin/python bench/portal_scale.py --units 100 --hosts 20      # a quick look

What is real and what is generated:
1. one real audit of 100 hosts (`zicha audit --snapshot` over 100 device configuration backups, signed), and that
   bundle received and verified by the real worker (a child process with its limits, a fresh OPA): the time one
   bundle costs a verifier;
2. the other units' submissions are GENERATED from that real report (each unit's verdicts changed at random,
   seeded, and its hosts renamed) and stored through the worker's own storing code (checker.portal.store.accept:
   clause verdicts as the unit report decides them, one row per host and rule with its evidence), without
   verifying them again: 1,000 verifications would take hours on this machine, and the time one takes is measured
   in step 1;
3. then the pages an inspector opens, through Django's test client (the whole stack but the socket): the region
   matrix (the target: under a second), a clause across units, the deadline, one unit, the 汇总报告 (HTML, DOCX).

Not a test: it asserts nothing; it prints the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "configs").glob("*/*.cfg"))


def zicha(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=3600)


def real_bundle(work: Path, hosts: int) -> tuple[Path, Path, float]:
    """A real signed bundle of `hosts` devices (configuration backups cycled from the test fixtures)."""
    snap = work / "snapshot"
    (snap / "configs").mkdir(parents=True)
    for i in range(hosts):
        src = FIXTURES[i % len(FIXTURES)]
        shutil.copy(src, snap / "configs" / f"dev-{i:03d}-{src.stem}.cfg")
    p = zicha("keygen", "--out", str(work / "keys"))
    assert p.returncode == 0, p.stderr
    t = time.perf_counter()
    p = zicha("audit", "--snapshot", str(snap), "-o", str(work / "out"), "--sign-key",
              str(work / "keys" / "zicha-signing.key"), "--format", "json")
    took = time.perf_counter() - t
    assert p.returncode in (0, 1), p.stderr
    [bundle] = (work / "out").glob("evidence-*.tar.gz")
    return bundle, work / "keys" / "zicha-signing.pub", took


def vary(report, rng: random.Random, unit: int):
    """Another unit's report made from the real one: hosts renamed, verdicts changed at random."""
    import dataclasses

    from checker.models import AuditReport

    p_fail, p_fix = rng.uniform(0, 0.15), rng.uniform(0, 0.5)
    results = []
    for r in report.results:
        status = r.status
        if status == "pass" and rng.random() < p_fail:
            status = "fail"
        elif status == "fail" and rng.random() < p_fix:
            status = "pass"
        results.append(dataclasses.replace(r, host=f"u{unit:04d}-{r.host}", status=status))
    run = dataclasses.replace(report.run, id=f"bench-{unit:04d}", unit=f"单位{unit:04d}",
                              hosts=[{**h, "name": f"u{unit:04d}-{h['name']}"} for h in report.run.hosts])
    return AuditReport(run=run, rules=report.rules, results=results)


def timed(fn, repeat: int = 5) -> tuple[float, float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return min(runs), statistics.median(runs), max(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--database", default="postgresql",
                    help="postgresql (a cluster of its own), sqlite, or a postgresql://… URL")
    ap.add_argument("--keep", action="store_true", help="keep the portal folder (and print where it is)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: still stop the database and clean up

    work = Path(tempfile.mkdtemp(prefix="zicha-bench-portal-"))
    with contextlib.ExitStack() as stack:
        if args.database == "postgresql":
            from tests.portal import pgcluster

            url = stack.enter_context(pgcluster.cluster())
        elif args.database == "sqlite":
            url = ""
        else:
            url = args.database
        os.environ["ZICHA_PORTAL_HOME"] = str(work / "home")
        os.environ["ZICHA_PORTAL_ALLOWED_HOSTS"] = "testserver"
        if url:
            os.environ["ZICHA_PORTAL_DATABASE"] = url
        run(args, work)
    if args.keep:
        print(f"portal folder kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def run(args, work: Path) -> None:
    from checker import portal

    portal.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from checker import evidence, signing
    from checker.portal import ingest, store, summary, worker
    from checker.portal import region as reg
    from checker.portal.models import Account, HostResult, Round, Submission, Unit

    call_command("migrate", verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"portal scale bench: {args.units} units × {args.hosts} hosts on {engine}")

    bundle, pub, audit_s = real_bundle(work, args.hosts)
    print(f"  real audit of {args.hosts} hosts (zicha audit --snapshot, signed): {audit_s:.1f} s; "
          f"bundle {bundle.stat().st_size / 2**20:.2f} MiB")
    key = signing.load_public(pub)
    Round.objects.create(name="基准测试轮次", opens_at=timezone.now() - dt.timedelta(days=1),
                         deadline=timezone.now() + dt.timedelta(days=7))
    districts = [Unit.objects.create(code=f"district-{d:02d}", name=f"第{d:02d}区", algorithm="ed25519",
                                     public_key="-", key_fingerprint=f"{d:032x}") for d in range(10)]
    first = Unit.objects.create(code="unit-0000", name="单位0000", parent=districts[0], algorithm=key.algorithm,
                                public_key=pub.read_text(), key_fingerprint=key.fingerprint)
    with bundle.open("rb") as f:
        sub = ingest.receive(f, unit=first, channel="api", original_name=bundle.name).submission
    t = time.perf_counter()
    worker.run(once=True)
    verify_s = time.perf_counter() - t
    sub.refresh_from_db()
    assert sub.state == Submission.ACCEPTED, sub.reason
    print(f"  real ingest of that bundle (worker: limited child process, fresh OPA, store): {verify_s:.1f} s "
          f"→ 1,000 bundles ≈ {verify_s * 1000 / 3600:.1f} h on one verifier, "
          f"{verify_s * 1000 / 3600 / 8:.1f} h on eight")

    report, attachments = evidence.load_report(bundle)
    rng = random.Random(20261130)
    t = time.perf_counter()
    for i in range(1, args.units):
        unit = Unit.objects.create(code=f"unit-{i:04d}", name=f"单位{i:04d}", parent=districts[i % 10],
                                   algorithm="ed25519", public_key="-", key_fingerprint=f"{i:032x}"[-32:])
        s = Submission.objects.create(unit=unit, channel="api", original_name="generated", sha256=f"{i:064x}",
                                      size=0, state=Submission.VERIFYING)
        store.accept(s, vary(report, rng, i), attachments, verdict={"zh": "（基准测试生成）", "en": "(generated)"})
        if i % 100 == 0:
            el = time.perf_counter() - t
            print(f"    {i} generated submissions stored ({el:.0f} s, {el / i * 1000:.0f} ms each)", flush=True)
    store_s = time.perf_counter() - t
    n_results = HostResult.objects.count()
    print(f"  generated and stored {args.units - 1} submissions: {store_s:.0f} s; "
          f"{n_results:,} host results in the database")
    if engine == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
            c.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"  database size: {c.fetchone()[0]}")
    else:
        print(f"  database size: {Path(settings.DATABASES['default']['NAME']).stat().st_size / 2**20:.0f} MiB")

    user = get_user_model().objects.create_user("bench-inspector", password="Bench-inspector-1")
    Account.objects.create(user=user, role=Account.INSPECTOR)
    client = Client()
    client.force_login(user)

    def page(url: str):
        def get():
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            return r
        return get

    print("  pages (min / median / max of 5, seconds):")
    for name, url in [("region matrix", "/region/"), ("region matrix, one district", "/region/?parent=district-03"),
                      ("one clause across units", "/clauses/REMOTE-MGMT-SECURE/"), ("deadline", "/deadline/"),
                      ("one unit", "/units/unit-0001/"), ("drill-down", f"/submissions/{sub.pk}/clauses/"
                                                                       "PASSWORD-STRENGTH/"),
                      ("汇总报告 HTML", "/summary.html"), ("汇总报告 DOCX", "/summary.docx")]:
        get = page(url)
        get()  # warm
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            r = get()
        lo, med, hi = timed(get)
        print(f"    {name:32s} {lo:6.3f} {med:6.3f} {hi:6.3f}   {count[0]:3d} queries, "
              f"{len(r.content) / 1024:,.0f} KiB")
    win = reg.window()
    lo, med, hi = timed(lambda: reg.matrix(Unit.objects.all(), win))
    print(f"    {'  of which the matrix queries':32s} {lo:6.3f} {med:6.3f} {hi:6.3f}")
    lo, med, hi = timed(lambda: summary.build(Unit.objects.all(), win), repeat=3)
    print(f"    {'  of which the summary model':32s} {lo:6.3f} {med:6.3f} {hi:6.3f}")
    if engine == "postgresql":
        qs = reg.with_current(Unit.objects.all(), win)
        from checker.portal.models import ClauseVerdict

        sql, params = ClauseVerdict.objects.filter(submission_id__in=qs.values("current_id")).query.sql_with_params()
        with connection.cursor() as c:
            c.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [row[0] for row in c.fetchall()]
        print("  plan of the matrix's verdict query:")
        for line in plan[:14]:
            print("    " + line)


if __name__ == "__main__":
    raise SystemExit(main())
