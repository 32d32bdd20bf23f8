"""The platform registry: one home for everything zicha knows about a kind of host.

Each platform is one module here giving a `PLATFORM` record: its id, whether it is a computer or a network
device, its names (zh/en, the `ansible_network_os` and `ansible_connection` values that imply it), how Ansible
gathers it (the play and the collector module), and how its raw output becomes facts. Inventory, gather,
normalize and snapshot read this registry, and the policies get it as data (`data.zicha.platforms`), so a rule
says "devices" or "computers", never a list of vendors.

Adding a platform: one module here (plus its collector and fixtures). A test may `register()` one of its own.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

#: the modules of this package that define the built-in platforms, in the order they are listed
BUILTIN = ("linux", "windows", "huawei_vrp", "huawei_usg", "h3c_comware", "cisco_ios")
KINDS = ("computer", "device")


@dataclass(frozen=True)
class Gathering:
    """How Ansible gathers a platform: the play of playbooks/gather.yml that runs its collector (one play per
    transport: `linux` over SSH, `network` on the controller through netmiko, `windows` over WinRM)."""

    play: str
    module: str  # the collector's FQCN


@dataclass(frozen=True)
class DeviceCli:
    """What the collector of a network device runs, and in which language its configuration is written."""

    language: str  # huawei | comware | ios: the configuration parser that reads it
    netmiko: str  # netmiko's device_type
    config_command: str
    mac_command: str | None = None  # the MAC address table (None: the device has none worth reading)
    ntc_platform: str | None = None  # ntc-templates' platform name for the MAC table, where it has one


@dataclass(frozen=True)
class Platform:
    id: str
    kind: str  # computer | device
    title: dict[str, str]
    gathering: Gathering | None = None
    network_os: tuple[str, ...] = ()  # ansible_network_os values (short and FQCN) that mean this platform
    connections: tuple[str, ...] = ()  # ansible_connection values that mean this platform
    cli: DeviceCli | None = None  # network devices
    #: raw collector output → fact envelopes; None: the collector already returns zicha's facts
    normalize: Callable[[dict[str, Any]], dict[str, dict[str, Any]]] | None = None
    #: configuration text → fact envelopes (network devices: snapshots of configuration backups)
    parse_config: Callable[..., dict[str, dict[str, Any]]] | None = None
    offline: bool = False  # `zicha collect` / `--import` exists for it
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"platform {self.id}: kind {self.kind!r} is not one of {KINDS}")

    def data(self) -> dict[str, Any]:
        """What the policies know of it (data.zicha.platforms[id])."""
        return {"kind": self.kind, "title": self.title}


_REGISTRY: dict[str, Platform] = {}


def register(p: Platform) -> Platform:
    """Add a platform (a test may add one of its own; `unregister` takes it away again)."""
    if p.id in _registry():
        raise ValueError(f"platform {p.id} is registered already")
    _REGISTRY[p.id] = p
    return p


def unregister(pid: str) -> None:
    _REGISTRY.pop(pid, None)


def _registry() -> dict[str, Platform]:
    if not _REGISTRY:
        for name in BUILTIN:
            p = importlib.import_module(f"checker.platforms.{name}").PLATFORM
            _REGISTRY[p.id] = p
    return _REGISTRY


def get(pid: str) -> Platform:
    return _registry()[pid]


def known(pid: str) -> bool:
    return pid in _registry()


def all_platforms() -> list[Platform]:
    return list(_registry().values())


def ids(kind: str | None = None) -> list[str]:
    return [p.id for p in _registry().values() if kind is None or p.kind == kind]


def by_network_os(value: str) -> Platform | None:
    return next((p for p in _registry().values() if value in p.network_os), None)


def by_connection(value: str) -> Platform | None:
    return next((p for p in _registry().values() if value in p.connections), None)


def data() -> dict[str, Any]:
    """data.zicha.platforms: every platform's kind and names, for the policies."""
    return {p.id: p.data() for p in _registry().values()}


def device_cli() -> dict[str, dict[str, Any]]:
    """Each device platform's command line, as plain data for the device collector and parsers (the zicha.audit
    collection's zicha_devices, which does not import checker): language, netmiko driver, commands."""
    return {p.id: dataclasses.asdict(p.cli) for p in all_platforms() if p.kind == "device" and p.cli}
