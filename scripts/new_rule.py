"""Scaffold a new rule that starts from a passing skeleton: `make new-rule ID=WIFI-OFF CLAUSE=WIRELESS-OFF FACT=wireless`.

Writes policies/rules/<id>/<id>.rego (METADATA naming its clause; applicable, needs, violations), the test beside
it with a pass, a fail, a not-applicable and a missing-fact case, and, when the clause is new, its entry in
policies/clauses.yaml (status automated, with the report's phrasing to fill in). The skeleton reads one fact,
FACT, whose value `{"ok": true|false}` stands for what the rule will really check: replace it, and the tests,
with the real thing. Nothing is overwritten.

Usage: new_rule.py ID CLAUSE [FACT] [--domain DOMAIN]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RULE = '''# METADATA
# title: 【待填】{id} 的中文标题
# description: |
#   What this rule proves, in a sentence or two, and which facts it reads ({fact}).
# custom:
#   id: {id}
#   title_en: "[to fill] the English title of {id}"
#   severity: medium
#   clauses: [{clause}]
#   applies_to:
#     zh: 服务器和终端
#     en: servers and terminals
#   remediation:
#     zh: 【待填】整改措施。
#     en: "[to fill] what to do."
package zicha.rules.{pkg}

import data.zicha.lib.hosts

meta := rego.metadata.chain()

# the hosts the rule concerns: by role, zone or classification, whatever their platform (a platform zicha
# cannot read yet gives `error` through the missing fact, never `not_applicable`)
applicable contains name if {{
	some name, host in input.hosts
	hosts.is_computer(host)
}}

# the facts it reads: missing or unreadable, they make the result `error` (policies/lib/result.rego)
needs[name] := {{"{fact}"}} if some name in applicable

violations[name] contains msg if {{
	some name in applicable
	input.hosts[name].facts.{fact}.value.ok == false
	msg := {{"zh": "【待填】不符合的原因", "en": "[to fill] why it does not comply"}}
}}

observed[name] := input.hosts[name].facts.{fact}.value if some name in applicable
'''

TEST = '''package zicha.tests.{pkg}_test

import data.zicha.test.fixtures as f

fact(ok) := {{"{fact}": {{"ok": ok}}}}

test_success_a_compliant_host_passes if {{
	f.status("{id}", "h1", {{"h1": f.linux({{}}, fact(true))}}) == "pass"
}}

test_fail_a_non_compliant_host_fails if {{
	v := f.verdict("{id}", "h2", {{"h2": f.linux({{}}, fact(false))}})
	v.status == "fail"
	v.message.en == "[to fill] why it does not comply"
}}

test_not_applicable_to_a_switch if {{
	f.status("{id}", "sw1", {{"sw1": f.host("huawei_vrp", {{"role": "switch"}}, {{}})}}) == "not_applicable"
}}

test_error_when_the_fact_is_missing if {{
	f.status("{id}", "h3", {{"h3": f.linux({{}}, {{}})}}) == "error"
}}

test_error_when_the_fact_could_not_be_read if {{
	f.status("{id}", "h4", {{"h4": f.broken(f.linux({{}}, fact(true)), "{fact}", "permission denied")}}) == "error"
}}
'''

CLAUSE = '''- id: {clause}
  section: 技术防护
  zh: 【待填】条款原文（来自自查报告）
  en: "[to fill] the claim in English"
  status: automated
  domain: {domain}
  report:
    check: "【待填】检查内容"
    ok: "【待填】符合时的说法"
    finding: "【待填】不符合时的说法"
    remedy: "【待填】整改措施"
    check_en: "[to fill] what was checked"
    ok_en: "[to fill] compliant"
    finding_en: "[to fill] the finding"
    remedy_en: "[to fill] the remedy"
  gbt22239:
    level2: []
    level3: []
  law: []
  sources: []
  attestation: null
'''


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("id", help="the rule id, e.g. WIFI-OFF")
    ap.add_argument("clause", help="the clause it proves (an existing one, or a new id to add to the catalog)")
    ap.add_argument("fact", nargs="?", default="example", help="the fact the skeleton reads (default: example)")
    ap.add_argument("--domain", default="host", help="the report domain of a new clause (default: host)")
    ap.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # a copy of the project (tests)
    a = ap.parse_args(argv)
    root = a.root
    if not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*", a.id) or not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*",
                                                                                   a.clause):
        print("new-rule: ID and CLAUSE are upper-case words joined by -, e.g. WIFI-OFF", file=sys.stderr)
        return 2
    if not re.fullmatch(r"[a-z][a-z0-9_]*", a.fact):
        print("new-rule: FACT is a lower-case fact key, e.g. wireless", file=sys.stderr)
        return 2
    pkg = a.id.lower().replace("-", "_")
    folder = root / "policies" / "rules" / pkg
    if folder.exists():
        print(f"new-rule: {folder} exists; nothing written", file=sys.stderr)
        return 2
    catalog = root / "policies" / "clauses.yaml"
    text = catalog.read_text(encoding="utf-8")
    known_domains = set(re.findall(r"^- \{id: ([a-z]+),", text, re.M))
    if a.domain not in known_domains:
        print(f"new-rule: domain {a.domain!r} is not one of {', '.join(sorted(known_domains))}", file=sys.stderr)
        return 2
    new_clause = not re.search(rf"^- id: {re.escape(a.clause)}$", text, re.M)
    folder.mkdir(parents=True)
    values = {"id": a.id, "pkg": pkg, "clause": a.clause, "fact": a.fact, "domain": a.domain}
    (folder / f"{pkg}.rego").write_text(RULE.format(**values), encoding="utf-8")
    (folder / f"{pkg}_test.rego").write_text(TEST.format(**values), encoding="utf-8")
    written = [folder / f"{pkg}.rego", folder / f"{pkg}_test.rego"]
    if new_clause:
        catalog.write_text(text.rstrip("\n") + "\n" + CLAUSE.format(**values), encoding="utf-8")
        written.append(catalog)
    print("new-rule: wrote " + ", ".join(str(p.relative_to(root)) for p in written))
    print("  next: fill the 【待填】/[to fill] parts, make the rule read the real fact (the facts schema is "
          "checker/schemas/facts.v1.schema.json), then `make test-rego lint-rego` and scripts/readme_rules.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
