"""Write the data the Rego tests run with: the shipped parameter defaults at data.zicha.params and the clause
catalog's GB/T items and laws at data.zicha.catalog (as checker/config.py loads them), and the platform registry
at data.zicha.platforms.

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
sys.path.insert(0, str(root))
from checker import platforms  # noqa: E402 - the registry: data.zicha.platforms
from checker.config import catalog_data  # noqa: E402 - the one place that shapes it

out.write_text(json.dumps({"zicha": {"params": params, "catalog": catalog_data(), "platforms": platforms.data()}},
                          ensure_ascii=False))
