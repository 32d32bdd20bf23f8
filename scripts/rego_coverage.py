"""Print the Rego coverage of `opa test --coverage` over policies/ and fail below the threshold.

Usage: rego_coverage.py OPA POLICY_DIR [DATA.json] [MIN_PERCENT]
"""

import json
import subprocess
import sys

opa, policies = sys.argv[1], sys.argv[2]
extra = [a for a in sys.argv[3:] if not a.replace(".", "").isdigit()]
numbers = [a for a in sys.argv[3:] if a.replace(".", "").isdigit()]
minimum = float(numbers[0]) if numbers else 95.0
out = subprocess.run([opa, "test", "--coverage", "--format=json", policies, *extra], capture_output=True, text=True)
if out.returncode != 0:
    sys.stderr.write(out.stdout[-2000:] + out.stderr[-2000:])
    sys.exit(out.returncode)
report = json.loads(out.stdout)
total = report.get("coverage", 0.0)
worst = sorted(((f.get("coverage", 0.0), name) for name, f in report.get("files", {}).items()
                if not name.endswith("_test.rego")))[:3]
print(f"Rego coverage: {total:.1f}% over {policies}/ (minimum {minimum:.0f}%)")
for cov, name in worst:
    if cov < 100:
        print(f"  lowest: {name} {cov:.1f}%")
if total < minimum:
    print(f"Rego coverage {total:.1f}% is below {minimum:.0f}%", file=sys.stderr)
    sys.exit(1)
