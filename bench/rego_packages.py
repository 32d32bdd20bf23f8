"""Rules or result assembly: each rule package evaluated alone (`opa eval data.zicha.rules.<package>`) against the
whole report (`data.zicha.main.report`), on the synthetic estate of bench/estate.py, at several sizes.

    .venv/bin/python bench/rego_packages.py 200 600

Prints OPA's own evaluation timer (timer_rego_query_eval_ns) per query and size, then the sum of the packages.
Not a test: it asserts nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.estate import _templates, estate  # noqa: E402
from bench.rego_scaling import OPA, topology  # noqa: E402
from checker import config  # noqa: E402


def main(sizes: list[int]) -> None:
    packages = sorted(p.name for p in (ROOT / "policies" / "rules").iterdir() if p.is_dir())
    templates = _templates()
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            doc = estate(n, templates=templates)
            (work / "input.json").write_text(json.dumps(doc), encoding="utf-8")
            (work / "data.json").write_text(json.dumps({"zicha": config.opa_data(config.load_params(), topology(doc))}),
                                            encoding="utf-8")
            total = 0.0
            for q in ["data.zicha.main.report"] + [f"data.zicha.rules.{p}" for p in packages]:
                p = subprocess.run([str(OPA), "eval", "--format", "json", "--metrics", "-d", str(ROOT / "policies"),
                                    "-d", str(work / "data.json"), "-i", str(work / "input.json"), q],
                                   capture_output=True, text=True, check=True)
                seconds = json.loads(p.stdout)["metrics"]["timer_rego_query_eval_ns"] / 1e9
                if q.startswith("data.zicha.rules."):
                    total += seconds
                print(f"{n:>6} {q:<55} {seconds:8.3f} s", flush=True)
            print(f"{n:>6} {'the rule packages together':<55} {total:8.3f} s", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 600])
