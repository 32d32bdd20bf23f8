"""zicha (自查): compliance-as-code for network-security self-inspection."""

import sys
from importlib import metadata as _md
from pathlib import Path

try:
    __version__ = _md.version("zicha")
except _md.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+src"

#: The project tree (policies/, playbooks/, inventory/ live beside the package).
ROOT = Path(__file__).resolve().parent.parent

#: The collectors' Ansible collection (zicha.audit). zicha imports its module_utils as Ansible bundles them,
#: `ansible_collections.zicha.audit.plugins.module_utils.zicha_*`: with this folder on sys.path, that name
#: is a namespace package (PEP 420) that merges with the ansible package's own `ansible_collections`.
COLLECTIONS = ROOT / "playbooks" / "collections"
if str(COLLECTIONS) not in sys.path:
    sys.path.append(str(COLLECTIONS))
