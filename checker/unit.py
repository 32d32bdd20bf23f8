"""The unit profile (unit.yml beside the inventory): who reports, to whom, answering which notice.

It frames the 自查报告: title and signature (unit), 主送 (addressee), 依据 (the notice: issuer, title, 文号), the
contact person, the leading group, the marking (内部), and the owner and deadline of each remediation. Every
field is optional: the report prints a missing one as a blank to fill in (BLANK), never a guess. Checked against
checker/schemas/unit.schema.json on load.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.config import read_yaml
from checker.errors import SetupError

SCHEMA = Path(__file__).parent / "schemas" / "unit.schema.json"
BLANK = "＿＿＿＿"  # a field to fill in by hand


def plain(obj: Any) -> Any:
    """YAML as JSON would carry it: dates (which YAML reads as date objects) become ISO strings."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    if isinstance(obj, dt.datetime):
        return obj.date().isoformat() if obj.time() == dt.time() else obj.isoformat()
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


@lru_cache(maxsize=4)
def _validator(schema_path: Path) -> Any:
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def validate(doc: Any, schema_path: Path, what: str) -> None:
    errors = sorted(_validator(schema_path).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(top)"
        raise SetupError(f"{what}: {where}: {e.message}")


def check_dates(doc: Any, what: str, path: str = "") -> None:
    """Every YYYY-MM-DD string is a real day (the schema checks only the shape)."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            check_dates(v, what, f"{path}/{k}" if path else str(k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            check_dates(v, what, f"{path}/{i}")
    elif isinstance(doc, str) and len(doc) == 10 and doc[4] == "-" and doc[7] == "-" and doc.replace("-", "").isdigit():
        try:
            dt.date.fromisoformat(doc)
        except ValueError:
            raise SetupError(f"{what}: {path}: {doc!r} is not a date") from None


def load(path: Path | None) -> dict[str, Any]:
    """The profile from unit.yml (an empty profile when there is none)."""
    if path is None:
        return {}
    doc = plain(read_yaml(Path(path), "unit profile"))
    if doc is None:
        return {}
    what = f"unit profile {path}"
    validate(doc, SCHEMA, what)
    check_dates(doc, what)
    return doc


def person(p: Any) -> str:
    """A person of the leading group as the report names them: 局长李四 (title first, as Chinese does)."""
    if isinstance(p, dict):
        return f"{p.get('title', '')}{p['name']}"
    return str(p)
