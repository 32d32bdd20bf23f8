"""`make bench`: how long deciding an estate takes, five ways, at several sizes; writes docs/performance.md.

    .venv/bin/python bench/run.py                                   # 100, 1,000 and 10,000 hosts
    .venv/bin/python bench/run.py --sizes 100 1000 --budget 300     # a quicker look
    .venv/bin/python bench/run.py --sizes 200 --scenarios bare warm --no-write

The scenarios, each at each size, each in its own process tree (wall time, and the peak of the tree's summed
resident memory, sampled every 0.1 s from /proc):

- **e2e**: `zicha audit --snapshot S --import I` end to end: devices read from configuration backups (with their
  MAC tables), computers from signed collected files (bench/estate_files.py), OPA started, decided, results.json
  and the signed evidence bundle written;
- **warm**: the decision alone against a warm OPA server (zicha's own, policies preloaded): one opa-python-client
  query for the whole estate, after a first one that warmed it;
- **bare**: `opa eval` of zicha's query (data.zicha.main.report) with the same policies, data and input;
- **per-host**: one opa-python-client query per host (its own input), against the warm server;
- **conftest**: conftest (pinned, built through the Go module proxy) over one input file per host, zicha's rules
  behind a thin `deny` wrapper.

The facts-level scenarios (warm, bare, per-host, conftest) use bench/estate.py's input (the same real facts,
renamed). A scenario whose previous size, scaled linearly, would pass `--budget` seconds is not run and says so;
per-host and conftest stop at the budget and report what they measured and the rate. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPA = ROOT / ".tools" / "bin" / "opa"
CONFTEST = ROOT / ".tools" / "bin" / "conftest"
CONFTEST_VERSION = "v0.71.1"
PY = sys.executable
SCENARIOS = ("e2e", "warm", "bare", "per-host", "conftest")
WRAPPER = """package main

import data.zicha.main

# zicha's rules behind conftest's interface: a failure or an error of any rule on the file's host is a denial
deny contains msg if {
\tsome r in main.results
\tr.status in {"fail", "error"}
\tmsg := sprintf("%s %s %s", [r.host, r.rule, r.status])
}
"""


# -- measuring a process tree

def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(argv: list[str], env: dict | None = None, timeout: float | None = None) -> dict:
    """Run argv; its wall time, exit code and the peak of its process tree's summed RSS (MiB)."""
    peak = [0]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            kids, tree, total = _children(), [p.pid], 0
            while tree:
                pid = tree.pop()
                total += _rss_kib(pid)
                tree.extend(kids.get(pid, []))
            peak[0] = max(peak[0], total)
            done.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        out, err = p.communicate()
    done.set()
    th.join()
    return {"wall_s": round(time.perf_counter() - t0, 2), "peak_mib": round(peak[0] / 1024), "rc": p.returncode,
            "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")[-2000:]}


# -- the estates

def facts_estate(size: int, work: Path) -> tuple[Path, Path]:
    """bench/estate.py's input and zicha's data for it, as files."""
    inp, data = work / f"input-{size}.json", work / f"data-{size}.json"
    if not inp.exists():
        r = subprocess.run([PY, "-c", f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from bench.estate import estate
from bench.rego_scaling import topology
from checker import config
doc = estate({size})
open({str(inp)!r}, "w").write(json.dumps(doc))
open({str(data)!r}, "w").write(json.dumps({{"zicha": config.opa_data(config.load_params(), topology(doc))}}))
"""], capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(r.stderr)
    return inp, data


def ensure_conftest() -> Path | None:
    if CONFTEST.exists():
        return CONFTEST
    env = dict(os.environ, GOBIN=str(CONFTEST.parent), GOFLAGS="-mod=mod")
    print(f"building conftest {CONFTEST_VERSION} through the Go module proxy …", flush=True)
    r = subprocess.run(["go", "install", f"github.com/open-policy-agent/conftest@{CONFTEST_VERSION}"], env=env,
                       capture_output=True, text=True, cwd=tempfile.gettempdir())
    if r.returncode:
        print(r.stderr[-1000:], file=sys.stderr)
        return None
    return CONFTEST


# -- the scenarios: each returns a row (wall_s, peak_mib, and what it adds)

def s_e2e(size: int, work: Path, budget: float) -> dict:
    est = work / f"files-{size}"
    if not est.exists():
        r = subprocess.run([PY, str(ROOT / "bench" / "estate_files.py"), str(size), str(est)], capture_output=True,
                           text=True)
        if r.returncode:
            raise SystemExit(r.stderr)
    out = work / f"out-{size}"
    shutil.rmtree(out, ignore_errors=True)
    m = measure([str(ROOT / ".venv" / "bin" / "zicha"), "audit", "--snapshot", str(est / "snapshot"), "--import",
                 str(est / "import"), "--collector-key", str(est / "keys" / "bench-collector.pub"), "--out",
                 str(out), "--format", "json", "--timings", "--opa-timeout", str(budget * 3)], timeout=budget * 4)
    row = {"wall_s": m["wall_s"], "peak_mib": m["peak_mib"]}
    try:
        doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
        row["timings"] = doc["run"]["timings"]
        row["results"] = sum(1 for r in doc["results"] if r.get("kind", "rule") == "rule")
    except (OSError, ValueError, KeyError) as e:
        row["error"] = f"no results.json ({e}); rc {m['rc']}: {m['stderr'][-300:]}"
    return row


WARM = """
import json, sys, time
sys.path.insert(0, {root!r})
from checker import evaluate
inp = json.load(open({inp!r}))
data = json.load(open({data!r}))["zicha"]
with evaluate.OpaServer(preload=(evaluate.POLICY_DIR, data)) as server:
    ev = evaluate.Evaluator(server.url, timeout=3600)
    ev.check()
    mode = {mode!r}
    if mode == "warm":
        ev.decide(inp)                      # warms the server
        t0 = time.perf_counter()
        d = ev.decide(inp)
        print(json.dumps({{"decide_s": round(time.perf_counter() - t0, 2), "results": len(d.results)}}))
    else:                                   # one query per host, until the budget
        hosts = sorted(inp["hosts"])
        ev.decide({{"now": inp["now"], "hosts": {{hosts[0]: inp["hosts"][hosts[0]]}}}})
        t0, n, results = time.perf_counter(), 0, 0
        for h in hosts:
            d = ev.decide({{"now": inp["now"], "hosts": {{h: inp["hosts"][h]}}}})
            n, results = n + 1, results + len(d.results)
            if time.perf_counter() - t0 > {budget}:
                break
        dt_ = time.perf_counter() - t0
        print(json.dumps({{"queried": n, "of": len(hosts), "query_s": round(dt_, 2), "results": results,
                          "per_host_ms": round(1000 * dt_ / n, 1)}}))
"""


def _warm(size: int, work: Path, budget: float, mode: str) -> dict:
    inp, data = facts_estate(size, work)
    m = measure([PY, "-c", WARM.format(root=str(ROOT), inp=str(inp), data=str(data), mode=mode, budget=budget)],
                timeout=budget * 4)
    if m["rc"]:
        return {"wall_s": m["wall_s"], "peak_mib": m["peak_mib"], "error": m["stderr"][-300:]}
    row = json.loads(m["stdout"].strip().splitlines()[-1])
    row.update(wall_s=m["wall_s"], peak_mib=m["peak_mib"])
    return row


def s_warm(size: int, work: Path, budget: float) -> dict:
    return _warm(size, work, budget, "warm")


def s_per_host(size: int, work: Path, budget: float) -> dict:
    return _warm(size, work, budget, "per-host")


def s_bare(size: int, work: Path, budget: float) -> dict:
    inp, data = facts_estate(size, work)
    m = measure([str(OPA), "eval", "--format", "json", "--metrics", "-d", str(ROOT / "policies"), "-d", str(data),
                 "-i", str(inp), "data.zicha.main.report"], timeout=budget * 3)
    row = {"wall_s": m["wall_s"], "peak_mib": m["peak_mib"]}
    try:
        out = json.loads(m["stdout"])
        row["eval_s"] = round(out["metrics"]["timer_rego_query_eval_ns"] / 1e9, 2)
        row["results"] = len(out["result"][0]["expressions"][0]["value"]["results"])
    except (ValueError, KeyError, IndexError) as e:
        row["error"] = f"{type(e).__name__}; rc {m['rc']}: {m['stderr'][-300:]}"
    return row


def s_conftest(size: int, work: Path, budget: float) -> dict:
    exe = ensure_conftest()
    if exe is None:
        return {"error": "conftest could not be built"}
    inp, data = facts_estate(size, work)
    doc = json.loads(inp.read_text(encoding="utf-8"))
    files = work / f"conftest-{size}"
    if not files.exists():
        files.mkdir()
        for name, host in doc["hosts"].items():
            (files / f"{name}.json").write_text(json.dumps({"now": doc["now"], "hosts": {name: host}}),
                                                encoding="utf-8")
    wrapper = work / "wrapper"
    wrapper.mkdir(exist_ok=True)
    (wrapper / "deny.rego").write_text(WRAPPER, encoding="utf-8")
    policies = work / "policies"  # the rules alone (conftest loads every file under --policy)
    if not policies.exists():
        shutil.copytree(ROOT / "policies", policies, ignore=shutil.ignore_patterns("*_test.rego", "test", "*.yaml"))
    names = sorted(p.name for p in files.glob("*.json"))
    # conftest is handed the files in batches, until the budget is spent
    t_start, done, denials, peak, batch = time.perf_counter(), 0, 0, 0, 50
    error = None
    while done < len(names) and time.perf_counter() - t_start < budget:
        chunk = [str(files / n) for n in names[done:done + batch]]
        m = measure([str(exe), "test", "--no-color", "--output", "json", "--rego-version", "v1", "--policy",
                     str(policies), "--policy", str(wrapper), "--data", str(data), *chunk], timeout=budget * 2)
        peak = max(peak, m["peak_mib"])
        try:
            out = json.loads(m["stdout"])
            denials += sum(len(f.get("failures") or []) for f in out)
        except ValueError:
            error = f"rc {m['rc']}: {m['stderr'][-300:]}"
            break
        done += len(chunk)
    wall = round(time.perf_counter() - t_start, 2)
    row = {"wall_s": wall, "peak_mib": peak, "files": done, "of": len(names), "denials": denials,
           "per_host_ms": round(1000 * wall / max(done, 1), 1)}
    if error:
        row["error"] = error
    return row


RUNNERS = {"e2e": s_e2e, "warm": s_warm, "bare": s_bare, "per-host": s_per_host, "conftest": s_conftest}


# -- the page

def _cell(row: dict | None) -> str:
    if row is None:
        return "—"
    if "skipped" in row:
        return f"not run ({row['skipped']})"
    if "error" in row:
        return f"error: {row['error'][:80]}"
    text = f"{row['wall_s']:.1f} s, {row['peak_mib']:,} MiB"
    if "of" in row and row.get("queried", row.get("files")) != row["of"]:
        n = row.get("queried", row.get("files"))
        text = (f"{n:,} of {row['of']:,} hosts in {row.get('query_s', row['wall_s']):.0f} s "
                f"({row['per_host_ms']} ms/host; all ≈ {row['per_host_ms'] * row['of'] / 1000:,.0f} s), "
                f"{row['peak_mib']:,} MiB")
    elif "per_host_ms" in row:
        text += f" ({row['per_host_ms']} ms/host)"
    if "eval_s" in row:
        text += f"; eval {row['eval_s']:.1f} s"
    if "decide_s" in row:
        text = f"{row['decide_s']:.1f} s decide ({row['wall_s']:.0f} s with start and warm-up), {row['peak_mib']:,} MiB"
    return text


def page(rows: dict, sizes: list[int], argv: list[str]) -> str:
    head = ["scenario"] + [f"{s:,} hosts" for s in sizes]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    names = {"e2e": "`zicha audit` end to end", "warm": "decision alone, warm OPA (one query)",
             "bare": "bare `opa eval`", "per-host": "one query per host (opa-python-client)",
             "conftest": f"conftest {CONFTEST_VERSION}, one file per host"}
    for s in SCENARIOS:
        if s in rows:
            lines.append("| " + " | ".join([names[s]] + [_cell(rows[s].get(n)) for n in sizes]) + " |")
    stages = []
    for n in sizes:
        t = (rows.get("e2e", {}).get(n) or {}).get("timings")
        if t:
            stages.append(f"| {n:,} | " + " | ".join(f"{t.get(k, 0):.1f}" for k in
                                                       ("setup", "normalize", "decide", "post")) + " |")
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"<!-- written by bench/run.py ({when}); run `make bench` to measure again -->",
           "## `make bench`: five ways to decide an estate", "",
           f"Measured {when} on {platform.machine()}, {os.cpu_count()} cores, {_mem_gib()} GiB, OPA "
           f"{_opa_version()}, with `{' '.join(['.venv/bin/python', 'bench/run.py', *argv])}`. Wall time and the "
           "peak of the process tree's summed resident memory.", "", *lines, ""]
    if stages:
        out += ["The end-to-end run's own stages (`--timings`, seconds; the bundle and results.json come after):", "",
                "| hosts | setup | normalize | decide | post |", "|---|---|---|---|---|", *stages, ""]
    return "\n".join(out) + "\n"


def _mem_gib() -> int:
    with open("/proc/meminfo") as f:
        return round(int(f.readline().split()[1]) / 1024 / 1024)


def _opa_version() -> str:
    r = subprocess.run([str(OPA), "version"], capture_output=True, text=True)
    return r.stdout.split()[1] if r.returncode == 0 else "?"


MARK = "<!-- make bench -->"


def write_page(text: str, path: Path) -> None:
    """Replace the part of docs/performance.md after the mark (the notes above it are kept)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    keep = old.split(MARK, 1)[0] if MARK in old else old
    path.write_text(keep.rstrip() + f"\n\n{MARK}\n" + text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    ap.add_argument("--budget", type=float, default=600.0, help="seconds a scenario may take at one size")
    ap.add_argument("--cap", type=float, help="seconds per-host and conftest may run at one size (default: --budget)")
    ap.add_argument("--work", type=Path, help="keep the estates here (default: a temporary folder)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    a = ap.parse_args()
    rows: dict[str, dict[int, dict]] = {s: {} for s in a.scenarios}
    work = a.work or Path(tempfile.mkdtemp(prefix="zicha-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in sorted(a.sizes):
            for s in a.scenarios:
                prev = [(n, r) for n, r in rows[s].items() if "wall_s" in r and "error" not in r]
                if prev and s not in ("per-host", "conftest"):
                    n0, r0 = prev[-1]
                    guess = r0["wall_s"] * size / n0
                    if guess > a.budget:
                        rows[s][size] = {"skipped": f"{n0:,} hosts took {r0['wall_s']:.0f} s: ≈{guess:,.0f} s "
                                                    f"here, over the {a.budget:.0f} s budget"}
                        print(json.dumps({"scenario": s, "size": size, **rows[s][size]}), flush=True)
                        continue
                row = RUNNERS[s](size, work, a.cap if a.cap and s in ("per-host", "conftest") else a.budget)
                rows[s][size] = row
                print(json.dumps({"scenario": s, "size": size, **row}, ensure_ascii=False), flush=True)
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = page(rows, sorted(a.sizes), sys.argv[1:])
    print(text)
    if not a.no_write:
        write_page(text, ROOT / "docs" / "performance.md")
        (ROOT / "bench" / "results.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n",
                                                     encoding="utf-8")


if __name__ == "__main__":
    main()
