"""Network devices on the controller: the zicha.audit collection's device parsers (zicha_devices), configured with
the platform registry's command lines, so that snapshot audits and the tests read a configuration exactly as the
Ansible module does on a live device.

The parsers live in the collection (playbooks/collections/ansible_collections/zicha/audit/plugins/module_utils/
zicha_devices) because the module that logs in to devices runs them where the configuration is read, and no module
imports checker. Here they are handed the registry (checker/platforms), which they do not import either.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils import zicha_devices as _zd
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import (  # noqa: F401 - re-exported
    FACT_KEYS, UnknownVendor, acl, ciphers, cisco, clean, common, credentials, h3c, huawei, mactable, passwords, tree)
from checker import platforms

_zd.configure(platforms.device_cli())

#: the device platforms of the registry, in its order
PLATFORMS = tuple(platforms.ids("device"))


def configure() -> None:
    """Hand the parsers the registry again (after a test registers or removes a device platform)."""
    _zd.configure(platforms.device_cli())


def detect(text: str | list[str]) -> str:
    return _zd.detect(text)


def tree_of(text: str | list[str], platform: str) -> tree.Config:
    return _zd.tree_of(text, platform)


def parse(text: str | list[str], platform: str, judge: credentials.Judge) -> tuple[dict[str, Any], dict[str, str],
                                                                                   tree.Config]:
    return _zd.parse(text, platform, judge)


def facts(text: str, platform: str, source: str, judge: credentials.Judge) -> dict[str, dict[str, Any]]:
    return _zd.facts(text, platform, source, judge)
