"""zicha (自查): compliance-as-code for network-security self-inspection."""

from importlib import metadata as _md
from pathlib import Path

try:
    __version__ = _md.version("zicha")
except _md.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+src"

#: The project tree (policies/, playbooks/, inventory/ live beside the package).
ROOT = Path(__file__).resolve().parent.parent
