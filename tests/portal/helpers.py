"""Small helpers the portal's tests share: register a unit from its key files, receive a bundle, rewrite one."""

from __future__ import annotations

import json
from pathlib import Path

from checker import signing
from tests.test_evidence import members, rewrite  # noqa: F401 - the bundle-editing helpers, shared with the portal tests


def register(code: str, name: str, pub: Path, parent=None):
    from checker.portal.models import Unit

    key = signing.load_public(pub)
    return Unit.objects.create(code=code, name=name, parent=parent, algorithm=key.algorithm,
                               public_key=pub.read_text(), key_fingerprint=key.fingerprint)


def receive(path: Path, unit, channel: str = "upload", name: str | None = None):
    from checker.portal import ingest

    with path.open("rb") as f:
        return ingest.receive(f, unit=unit, channel=channel, original_name=name or path.name).submission


def tampered(src: Path, dst: Path) -> tuple[Path, dict]:
    """The bundle with one failing verdict turned into a pass after it was signed (manifest untouched)."""
    files = members(src)
    doc = json.loads(files["results.json"])
    victim = next(r for r in doc["results"] if r["status"] == "fail")
    victim["status"] = "pass"
    files["results.json"] = json.dumps(doc, ensure_ascii=False).encode()
    return rewrite(dst, files), victim
