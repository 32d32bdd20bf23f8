"""How the decision grows with the estate: bare `opa eval` of zicha's query (data.zicha.main.report) with the
shipped policies, parameters and a synthetic estate (bench/estate.py: real facts, renamed), at several sizes.

    .venv/bin/python bench/rego_scaling.py                      # 200, 1000, 2000 hosts
    .venv/bin/python bench/rego_scaling.py --sizes 1000 10000 --profile 1000

Prints, per size: wall time of the opa process, OPA's own evaluation timer (timer_rego_query_eval_ns), peak RSS,
and the ratio of each size's evaluation time to the smallest one's per host. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.estate import _templates, estate  # noqa: E402
from checker import config  # noqa: E402

OPA = ROOT / ".tools" / "bin" / "opa"


def topology(doc: dict) -> dict:
    return {"zones": {}, "hosts": {n: {"role": h["role"], "zone": h["zone"], "platform": h["platform"],
                                       "classified": h["classified"], "addresses": []}
                                   for n, h in doc["hosts"].items()}}


def run(size: int, work: Path, templates, profile: bool = False) -> dict:
    doc = estate(size, templates=templates)
    (work / "input.json").write_text(json.dumps(doc), encoding="utf-8")
    (work / "data.json").write_text(json.dumps({"zicha": config.opa_data(config.load_params(), topology(doc))}),
                                    encoding="utf-8")
    argv = [str(OPA), "eval", "--format", "json", "--metrics", "-d", str(ROOT / "policies"), "-d",
            str(work / "data.json"), "-i", str(work / "input.json"), "data.zicha.main.report"]
    if profile:
        argv[2:2] = ["--profile", "--profile-limit", "25", "--profile-sort", "total_time_ns"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    out = json.loads(p.stdout)
    results = out["result"][0]["expressions"][0]["value"]["results"]
    res = {"size": size, "wall_s": round(wall, 2), "eval_s": round(out["metrics"]["timer_rego_query_eval_ns"] / 1e9, 2),
           "peak_mib": round(peak), "results": len(results),
           "statuses": {s: sum(1 for r in results if r["status"] == s) for s in sorted({r["status"] for r in results})}}
    if profile:
        res["profile"] = [{k: e[k] for k in ("total_time_ns", "num_eval", "location")} for e in out.get("profile", [])]
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 2000])
    ap.add_argument("--profile", type=int, nargs="*", default=[], help="sizes to profile (opa eval --profile)")
    a = ap.parse_args()
    templates = _templates()
    rows = []
    with tempfile.TemporaryDirectory(prefix="zicha-bench-") as d:
        for size in a.sizes:
            r = run(size, Path(d), templates, profile=size in a.profile)
            rows.append(r)
            print(json.dumps({k: v for k, v in r.items() if k != "profile"}), flush=True)
            for e in r.get("profile", []):
                loc = e["location"]
                print(f"    {e['total_time_ns'] / 1e9:8.2f} s  {e['num_eval']:>9}  {loc['file']}:{loc['row']}")
    base = rows[0]
    for r in rows[1:]:
        per = (r["eval_s"] / r["size"]) / max(base["eval_s"] / base["size"], 1e-9)
        print(f"{r['size']} hosts: {r['eval_s'] / max(base['eval_s'], 1e-9):.1f} x the evaluation of {base['size']} "
              f"({per:.1f} x per host)")


if __name__ == "__main__":
    main()
