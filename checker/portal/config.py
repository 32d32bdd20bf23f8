"""Where the portal keeps its things, and its limits: all read from the environment (ZICHA_PORTAL_*), which the
`zicha portal` commands set from their options before Django starts.

    ZICHA_PORTAL_HOME       the portal's folder (default var/portal in the project tree): the SQLite database,
                            secret_key (mode 0600, made on first start), bundles/, tmp/
    ZICHA_PORTAL_DATABASE   a database URL: sqlite:////path/portal.sqlite3 (default) or postgresql://user@host/db
    ZICHA_PORTAL_HTTPS      1: served behind a TLS reverse proxy (secure cookies, HSTS, X-Forwarded-Proto)
    ZICHA_PORTAL_ALLOWED_HOSTS   comma-separated host names the portal answers to (default 127.0.0.1,localhost)
    ZICHA_PORTAL_MAX_UPLOAD_MB   the largest bundle accepted (default 100)
    ZICHA_PORTAL_VERIFY_SECONDS  wall-clock limit of one verification (default 600)
    ZICHA_PORTAL_VERIFY_MEMORY_MB  address-space limit of the verifying process and its OPA (default 4096, what
                            `zicha verify` gives OPA)
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import ROOT
from checker.errors import ZichaError


class PortalError(ZichaError):
    stage = "portal"


def home() -> Path:
    return Path(os.environ.get("ZICHA_PORTAL_HOME") or ROOT / "var" / "portal").resolve()


def ensure_home(path: Path) -> Path:
    """The portal's folder, made private (0700) when zicha makes it."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
    for sub in ("bundles", "tmp", "static"):
        (path / sub).mkdir(mode=0o700, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """Django's SECRET_KEY: generated once into folder/secret_key (0600), never in the repository. A key file that
    others can read is refused: whoever reads it can forge sessions."""
    ensure_home(folder)
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise PortalError(f"{path} is readable by others (mode {mode:04o}): chmod 600 it") from None
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 50:
            raise PortalError(f"{path}: too short to be a secret key")
        return key
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key


def database(url: str | None, folder: Path) -> dict[str, Any]:
    """Django's DATABASES['default'] from a URL; SQLite in the portal's folder when none is given."""
    import dj_database_url

    url = url or f"sqlite:///{folder / 'portal.sqlite3'}"
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise PortalError(f"database {url.split(':', 1)[0]}: only sqlite:/// and postgresql:// are supported")
    try:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as e:
        raise PortalError(f"database URL: {e}") from None
    if db["ENGINE"].endswith("sqlite3"):
        db["CONN_MAX_AGE"] = 0
        # the web server's processes read while the worker writes: WAL, and writers wait instead of failing
        db["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                         "transaction_mode": "IMMEDIATE", "timeout": 30}
    return db


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PortalError(f"{name}={raw!r} is not a whole number") from None
    if value <= 0:
        raise PortalError(f"{name}={raw!r} must be positive")
    return value


@dataclass(frozen=True)
class Limits:
    max_upload: int  # bytes
    verify_seconds: int
    verify_memory: int  # bytes, RLIMIT_AS of the verifying process and of its OPA
    verify_output: int  # bytes, RLIMIT_FSIZE: the largest file the verifying process may write


def limits() -> Limits:
    return Limits(
        max_upload=_int("ZICHA_PORTAL_MAX_UPLOAD_MB", 100) * 2**20,
        verify_seconds=_int("ZICHA_PORTAL_VERIFY_SECONDS", 600),
        verify_memory=_int("ZICHA_PORTAL_VERIFY_MEMORY_MB", 4096) * 2**20,
        verify_output=_int("ZICHA_PORTAL_VERIFY_OUTPUT_MB", 512) * 2**20,
    )
