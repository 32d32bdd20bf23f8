"""Windows command outputs as values: text in any encoding, PS 5.1 JSON and dates, `reg query` lines."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from checker.fsio import decode


class Unreadable(ValueError):
    pass


def text(value: Any) -> str:
    """Command output as text, whatever encoding it arrived in."""
    if isinstance(value, str):
        return value.lstrip("\ufeff")
    if isinstance(value, (bytes, bytearray)):
        return decode(bytes(value))  # by its byte-order mark, else UTF-8, GB18030, Latin-1 (checker.fsio)
    raise Unreadable(f"unexpected output type {type(value).__name__}")


def ps_json(value: Any) -> list[dict[str, Any]]:
    """ConvertTo-Json output as a list of objects (one object, several, or none)."""
    t = text(value).strip()
    if not t:
        return []
    try:
        doc = json.loads(t)
    except ValueError as e:
        raise Unreadable(f"not JSON: {e}") from None
    if isinstance(doc, dict):
        return [doc]
    if isinstance(doc, list):
        return [d for d in doc if isinstance(d, dict)]
    raise Unreadable("JSON is neither an object nor a list")


def ps_date(value: Any) -> str | None:
    """PS 5.1 "\\/Date(1700000000000)\\/" (or {"value": …}) or ISO text → ISO 8601 UTC."""
    if isinstance(value, dict):
        value = value.get("value")
    if not isinstance(value, str):
        return None
    m = re.match(r"^/?\\?/?Date\((-?\d+)(?:[+-]\d{4})?\)\\?/?$", value.strip().strip("/"))
    if m:
        t = dt.datetime.fromtimestamp(int(m.group(1)) / 1000, dt.timezone.utc).replace(microsecond=0)
        return t.isoformat().replace("+00:00", "Z")
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    except ValueError:
        return None


def reg_value(value: Any) -> str | int | None:
    """`reg query … /v Name` → the value (int for REG_DWORD); None when the value does not exist."""
    t = text(value)
    m = re.search(r"^\s+(\S+)\s+(REG_\w+)\s+(.*?)\s*$", t, re.M)
    if not m:
        return None
    kind, data = m.group(2), m.group(3)
    if kind in ("REG_DWORD", "REG_QWORD"):
        return int(data, 16) if data.lower().startswith("0x") else int(data)
    return data


def _ok(raw: dict[str, Any], key: str) -> Any:
    """The output of one command, or Unreadable with the error the module recorded."""
    entry = raw.get(key)
    if entry is None:
        raise Unreadable("not collected")
    if isinstance(entry, dict):
        if entry.get("error") is not None and entry.get("out") in (None, ""):
            raise Unreadable(str(entry["error"]))
        return entry.get("out", "")
    return entry


def reg_values(value: Any) -> dict[str, str | int]:
    """Every value of a `reg query KEY` listing (REG_DWORD as int)."""
    out: dict[str, str | int] = {}
    for m in re.finditer(r"^\s+(\S+)\s+(REG_\w+)\s+(.*?)\s*$", text(value), re.M):
        kind, data = m.group(2), m.group(3)
        if kind in ("REG_DWORD", "REG_QWORD"):
            out[m.group(1)] = int(data, 16) if data.lower().startswith("0x") else int(data)
        else:
            out[m.group(1)] = data
    return out


#: what reg.exe says on stderr when the key or value does not exist (en-US, zh-CN)
_REG_NOT_FOUND = ("unable to find the specified registry key or value", "系统找不到指定的注册表项或值")


def _reg_absent(raw: dict[str, Any], key: str) -> bool:
    """reg query answered that the key does not exist (its not-found error, and nothing else printed)."""
    entry = raw.get(key)
    return isinstance(entry, dict) and bool(entry.get("error")) and not entry.get("out") \
        and any(w in str(entry["error"]) for w in _REG_NOT_FOUND)


def _policy_values(raw: dict[str, Any], key: str) -> dict[str, str | int]:
    """A Group Policy key's values; {} where no policy sets the key (reg's not-found error), else Unreadable."""
    return {} if _reg_absent(raw, key) else reg_values(_ok(raw, key))


def _str(row: dict[str, Any], key: str, what: str) -> str:
    v = row.get(key)
    if not isinstance(v, str) or not v:
        raise Unreadable(f"{what}: a row without {key}")
    return v
