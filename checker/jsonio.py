"""JSON from outside (imported facts, evidence bundles, results files): bounded in size and depth.

Python's parser recurses once per nesting level, and so does everything that walks the document afterwards
(redaction, comparison): a file of 100,000 nested brackets must be refused, not crash zicha with a
RecursionError. CPython's parser stops such a file with RecursionError (turned into a refusal here); what it
parses is then measured without recursion and refused beyond MAX_DEPTH.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class UntrustedJSONError(ValueError):
    pass


def _depth(doc: Any, limit: int) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, d = stack.pop()
        if d > deepest:
            deepest = d
            if deepest > limit:
                return deepest
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


def loads(data: bytes | str, what: str, max_bytes: int = 256 << 20, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON that came from outside zicha; UntrustedJSONError names `what` and the problem."""
    if len(data) > max_bytes:
        raise UntrustedJSONError(f"{what}: larger than {max_bytes >> 20} MiB")
    try:
        doc = json.loads(data)
    except RecursionError:
        raise UntrustedJSONError(f"{what}: nested too deeply") from None
    except ValueError as e:
        raise UntrustedJSONError(f"{what}: not JSON ({e.__class__.__name__}: {str(e)[:120]})") from None
    if _depth(doc, max_depth) > max_depth:
        raise UntrustedJSONError(f"{what}: nested deeper than {max_depth} levels")
    return doc


def dumps(doc: Any, sort_keys: bool = False) -> bytes:
    """`doc` as indented UTF-8 JSON ending in a newline, for the files zicha writes (results.json, facts, the
    bundle's members). orjson writes it (ten times faster than the json module on the large ones); what orjson
    refuses (an integer beyond 64 bits from a hostile file, a NaN) is written by the json module as before."""
    import orjson

    opts = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
    if sort_keys:
        opts |= orjson.OPT_SORT_KEYS
    try:
        return orjson.dumps(doc, option=opts)
    except (orjson.JSONEncodeError, TypeError):
        return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8")
