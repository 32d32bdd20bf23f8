"""JUnit XML for CI: one testsuite per rule, one testcase per host; fail → failure, error → error,
not applicable and waived → skipped (with the reason). The manual clauses form one more suite, a testcase per
clause: attested no is a failure, not yet attested is skipped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from checker.models import AuditReport

MANUAL = "manual-clauses"  # the suite of the clauses people attest (zicha attest)


def render(report: AuditReport, lang: str = "zh") -> bytes:
    root = ET.Element("testsuites", name="zicha")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    by_rule: dict[str, list] = {}
    for r in report.results:  # the attested (manual) clauses: one suite, a test case per clause
        by_rule.setdefault(MANUAL if r.kind == "attestation" else r.rule, []).append(r)
    for rule_id in sorted(by_rule, key=lambda k: (k == MANUAL, k)):
        results = sorted(by_rule[rule_id], key=lambda r: (r.host, r.rule))
        suite = ET.SubElement(root, "testsuite", name=rule_id)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for r in results:
            case = ET.SubElement(suite, "testcase", classname=f"zicha.{rule_id}",
                                 name=r.rule if rule_id == MANUAL else r.host)
            text = r.message.get(lang) or r.message.get("zh", "")
            detail = json.dumps({"clauses": r.clauses, "severity": r.severity, "evidence": r.evidence},
                                ensure_ascii=False, indent=1)
            counts["tests"] += 1
            if r.status == "fail":
                ET.SubElement(case, "failure", message=text, type=r.severity).text = detail
                counts["failures"] += 1
            elif r.status == "error":
                ET.SubElement(case, "error", message=text, type="error").text = detail
                counts["errors"] += 1
            elif r.status in ("not_applicable", "waived", "manual"):
                ET.SubElement(case, "skipped", message=f"{r.status}: {text}")
                counts["skipped"] += 1
            ET.SubElement(case, "properties")
            props = case.find("properties")
            for k, v in (("status", r.status), ("severity", r.severity), ("clauses", ",".join(r.clauses))):
                ET.SubElement(props, "property", name=k, value=v)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
