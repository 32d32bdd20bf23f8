"""Small helpers the portal's tests share: register a unit from its key files, receive a bundle, rewrite one."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

from checker import signing


def register(code: str, name: str, pub: Path, parent=None):
    from checker.portal.models import Unit

    key = signing.load_public(pub)
    return Unit.objects.create(code=code, name=name, parent=parent, algorithm=key.algorithm,
                               public_key=pub.read_text(), key_fingerprint=key.fingerprint)


def receive(path: Path, unit, channel: str = "upload", name: str | None = None):
    from checker.portal import ingest

    with path.open("rb") as f:
        return ingest.receive(f, unit=unit, channel=channel, original_name=name or path.name).submission


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def rewrite(path: Path, files: dict[str, bytes]) -> Path:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buf.getvalue())
    return path


def tampered(src: Path, dst: Path) -> tuple[Path, dict]:
    """The bundle with one failing verdict turned into a pass after it was signed (manifest untouched)."""
    files = members(src)
    doc = json.loads(files["results.json"])
    victim = next(r for r in doc["results"] if r["status"] == "fail")
    victim["status"] = "pass"
    files["results.json"] = json.dumps(doc, ensure_ascii=False).encode()
    return rewrite(dst, files), victim
