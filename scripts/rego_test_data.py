"""Write the data the Rego tests run with: the shipped parameter defaults at data.zicha.params.

Usage: rego_test_data.py OUT.json  (the Makefile passes OUT.json to `opa test` beside policies/)
"""

import json
import sys
from pathlib import Path

import yaml

root = Path(__file__).resolve().parent.parent
params = yaml.safe_load((root / "policies" / "params.yaml").read_text(encoding="utf-8"))
out = Path(sys.argv[1])
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps({"zicha": {"params": params}}, ensure_ascii=False))
