"""Write (or check) the README's table of rules and clauses from the rules' METADATA and the catalog.

    python scripts/readme_rules.py          rewrite the table between the markers in README.md
    python scripts/readme_rules.py --check  exit 1 when README.md is out of date (a test runs this)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import catalog, rules  # noqa: E402

BEGIN, END = "<!-- rules:begin (scripts/readme_rules.py) -->", "<!-- rules:end -->"


def table() -> str:
    clauses = catalog.load()
    found = rules.load()
    lines = ["| id | 规则 | severity | clauses (条款) | GB/T 22239-2019 |", "| --- | --- | --- | --- | --- |"]
    for r in found:
        cl = "<br>".join(f"`{c}` {clauses[c].zh}" for c in r.clauses)
        lines.append(f"| `{r.id}` | {r.title['zh']}<br>{r.title['en']} | {r.severity} | {cl} | "
                     f"{', '.join(r.gbt22239)} |")
    auto = [c for c in clauses.values() if c.status == "automated"]
    manual = [c for c in clauses.values() if c.status == "manual"]
    lines += ["", f"{len(found)} rules prove {len(auto)} automated clauses; {len(manual)} clauses are manual "
              f"(attested in the report with documents attached): "
              + ", ".join(f"`{c.id}`" for c in sorted(manual, key=lambda c: c.id)) + "."]
    return "\n".join(lines)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:start] + "\n" + table() + "\n" + text[end:]
    if "--check" in sys.argv:
        if new != text:
            print("README.md: the rules table is out of date: run python scripts/readme_rules.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
