"""Every file zicha writes goes through here: inside its folder, whole or not at all, readable by its owner only.

- `inside(folder, name)` joins a name that came from an input (a host name, a sysname, a bundle member) to its
  folder and refuses any that would land outside it.
- `write_bytes` writes to a temporary name beside the target and renames it into place, so a crash, a full disk
  or a Ctrl-C never leaves a half-written bundle or report; the file is created with mode 0600.
- Failures raise OutputError naming the path and the reason (never a traceback, exit code 2).
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from pathlib import Path

from checker.errors import OutputError

#: A name that may become one path component: a host name as inventories spell them (letters, digits, Chinese
#: characters, and . _ - : @), starting with a letter, digit or character; never `.` or `..`, no slash.
SAFE_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-:@\u4e00-\u9fff]{0,252}$")


def safe_name(name: object) -> bool:
    return isinstance(name, str) and bool(SAFE_NAME.fullmatch(name)) and name not in (".", "..") \
        and "/" not in name and "\\" not in name and "\0" not in name


def name_of(text: str, fallback: str = "run") -> str:
    """A safe name made from any text (an output folder's name as a run id): unsafe characters become _."""
    name = re.sub(r"[^A-Za-z0-9_.\-:@\u4e00-\u9fff]", "_", text).lstrip(".-_")[:200]
    return name if safe_name(name) else fallback


def inside(folder: Path, name: str, suffix: str = "") -> Path:
    """folder/name+suffix, refusing a name that is not one safe path component."""
    if not safe_name(name):
        raise OutputError(f"{folder}: refusing to write a file named {name!r} (not a plain host name)")
    path = Path(folder) / f"{name}{suffix}"
    if Path(os.path.abspath(path)).parent != Path(os.path.abspath(folder)):
        raise OutputError(f"{folder}: refusing {name!r}: it would be written outside the folder")
    return path


def make_dir(path: Path) -> Path:
    try:
        Path(path).mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise OutputError(f"{path}: cannot create the folder: {e.strerror or e}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder is not writable")
    return Path(path)


def write_bytes(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """Write whole or not at all: a temporary file in the same folder, flushed, then renamed over `path`."""
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return path


def write_text(path: Path, text: str, mode: int = 0o600) -> Path:
    return write_bytes(path, text.encode("utf-8"), mode)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode(data: bytes) -> str:
    """Text from bytes a tool saved or printed (configuration backups, PowerShell output): by its byte-order mark (UTF-8, UTF-16/32 LE/BE, as Windows tools save
    them), a UTF-16 file without one (a NUL in every other byte), else UTF-8, GB18030, Latin-1."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    head = data[:4096]
    if len(head) >= 4 and head.count(0) >= len(head) // 3:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        return data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
