"""Receiving bundles: from the page, from `zicha submit` (token), from the watched folder. Each becomes a
Submission in state `received`; the worker verifies it.

Uploads are untrusted. They are spooled to disk, never into memory, and cut off at the size limit
(LimitedUploadHandler); the stored file is named by its sha256 inside the portal's bundles/ folder, so no path is
ever built from a name the sender chose (that name is kept as text, for display). The same bundle sent twice by
the same unit is one submission.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.db import IntegrityError, transaction
from django.utils import timezone

from checker.portal.config import PortalError
from checker.portal.models import ApiToken, Event, Submission, Unit

log = logging.getLogger("zicha.portal")
CHUNK = 1 << 20
TOKEN_PREFIX = "zpt_"


class TooLarge(PortalError):
    pass


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file upload handler that stops at the portal's size limit. The request is marked
    (request.upload_too_large) so the view can say why the file is missing. A body declared far larger than the
    limit is refused without reading it."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.LIMITS.max_upload
        self.reset = content_length is not None and content_length > self.limit * 2 + CHUNK
        return None

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            self.file.close()
            raise StopUpload(connection_reset=self.reset)
        return super().receive_data_chunk(raw_data, start)


def stored_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise PortalError(f"not a sha256: {sha256!r}")
    return Path(settings.HOME) / "bundles" / sha256[:2] / f"{sha256}.tar.gz"


def _store(src: BinaryIO, limit: int) -> tuple[str, int]:
    """Copy a stream into the content store; returns (sha256, size). Over the limit: TooLarge, nothing kept."""
    tmp_dir = Path(settings.HOME) / "tmp"
    h, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"larger than the limit of {limit // 2**20} MiB")
                h.update(chunk)
                out.write(chunk)
        if size == 0:
            raise PortalError("an empty file is not a bundle")
        digest = h.hexdigest()
        final = stored_path(digest)
        final.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, final)  # the same content twice: the same file
        return digest, size
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Received:
    submission: Submission
    duplicate: bool  # the same unit sent the same bundle before: that submission is returned


def _display_name(name: str | None) -> str:
    """The sender's file name as text: its last part, printable, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200] or "bundle.tar.gz"


def receive(stream: BinaryIO, *, unit: Unit | None, channel: str, original_name: str | None, user=None,
            token: ApiToken | None = None, reason: str = "") -> Received:
    """Keep a bundle and queue it for verification. With no unit (a watched-folder file no unit claims), or with a
    reason, it is quarantined at once: kept and shown, never verified against a guessed key."""
    digest, size = _store(stream, settings.LIMITS.max_upload)
    if unit is not None:
        existing = Submission.objects.filter(unit=unit, sha256=digest).first()
        if existing is not None:
            return Received(existing, True)
    state = Submission.QUARANTINED if (unit is None or reason) else Submission.RECEIVED
    try:
        with transaction.atomic():
            sub = Submission.objects.create(
                unit=unit, channel=channel, original_name=_display_name(original_name), sha256=digest, size=size,
                submitted_by=user if user is not None and user.is_authenticated else None, token=token,
                state=state, reason=reason or ("" if unit else "无法确定提交单位 no unit claims this bundle"))
            Event.objects.create(user=sub.submitted_by, unit=unit, submission=sub, action="received",
                                 detail=f"{channel}: {sub.original_name} ({size} bytes, sha256 {digest[:16]}…)")
    except IntegrityError:  # the same bundle from the same unit, at the same moment
        return Received(Submission.objects.get(unit=unit, sha256=digest), True)
    log.info("received submission %s from %s via %s (%d bytes)", sub.pk, unit.code if unit else "?", channel, size)
    return Received(sub, False)


# -- tokens ------------------------------------------------------------------------------------------------------


def new_token(unit: Unit, name: str, user=None) -> tuple[ApiToken, str]:
    """A new API token for the unit: (its record, the token, shown this once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    rec = ApiToken.objects.create(unit=unit, name=name, digest=hashlib.sha256(token.encode()).hexdigest(),
                                  prefix=token[:10], created_by=user)
    Event.objects.create(user=user, unit=unit, action="token-created", detail=f"{name} ({rec.prefix}…)")
    return rec, token


def token_of(header: str | None) -> ApiToken | None:
    """The live token named by an `Authorization: Bearer …` header, or None. Looked up by its sha256."""
    if not header or not header.startswith("Bearer "):
        return None
    raw = header[len("Bearer "):].strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    digest = hashlib.sha256(raw.encode()).hexdigest()
    rec = ApiToken.objects.select_related("unit").filter(digest=digest, revoked_at__isnull=True).first()
    if rec is not None:
        ApiToken.objects.filter(pk=rec.pk).update(last_used_at=timezone.now())
    return rec


# -- the watched folder ------------------------------------------------------------------------------------------


_refused: set[Path] = set()


def scan_folder(folder: Path, seen: dict[Path, tuple[int, int]]) -> list[Received]:
    """One pass over a watched folder: FOLDER/<unit code>/<anything>.tar.gz, as copied from the media units send.

    A file is taken once its size and time have stayed the same since the previous pass (still being copied
    otherwise); `seen` carries what the previous pass saw. Each file taken is moved into FOLDER/<code>/received/
    under a name zicha makes, so the folder shows what is done. A file outside a registered unit's
    folder is kept too, quarantined as unattributed."""
    taken: list[Received] = []
    done_name = "received"
    now_seen: dict[Path, tuple[int, int]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if done_name in rel.parts or any(p.startswith(".") for p in rel.parts):
            continue
        if path.is_symlink() or (path.exists() and not path.is_file() and not path.is_dir()):
            if path not in _refused:  # never followed; said once
                _refused.add(path)
                log.warning("watched folder: %s is not a plain file (a link, a device, a pipe): left alone", rel)
                Event.objects.create(action="refused", detail=f"{rel}: not a plain file, left alone")
            continue
        if not path.is_file():
            continue
        st = path.stat()
        stamp = (st.st_size, st.st_mtime_ns)
        now_seen[path] = stamp
        if seen.get(path) != stamp:
            continue  # new or still growing: look again next pass
        code = rel.parts[0] if len(rel.parts) == 2 else None
        unit = Unit.objects.filter(code=code).first() if code else None
        reason = "" if unit else (f"监视目录中的文件不在已登记单位的子目录中（{rel}） not in a registered unit's folder")
        try:
            with path.open("rb") as f:
                got = receive(f, unit=unit, channel=Submission.WATCH, original_name=path.name, reason=reason)
        except PortalError as e:
            log.warning("watched folder: %s: %s", rel, e)
            got = None
            if isinstance(e, TooLarge) or "empty" in str(e):
                # kept on record although the file itself is not stored: nothing is dropped silently
                Event.objects.create(unit=unit, action="refused", detail=f"{rel}: {e}")
        target_dir = (folder / code / done_name) if unit else (folder / done_name)
        target_dir.mkdir(exist_ok=True)
        stamp_s = timezone.now().strftime("%Y%m%dT%H%M%S")
        suffix = f"{got.submission.sha256[:12]}" if got else "refused"
        shutil.move(str(path), target_dir / f"{stamp_s}-{suffix}.tar.gz")
        now_seen.pop(path, None)
        if got:
            taken.append(got)
    seen.clear()
    seen.update(now_seen)
    return taken
