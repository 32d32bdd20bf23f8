"""Where an audit's hosts come from: one `Source` interface for the three ways in.

- `InventorySource`: an Ansible inventory; every host is gathered live (Ansible), none is ready.
- `SnapshotSource`: a folder of configuration backups (`--snapshot`): the hosts and their facts come from the
  files, with no connection at all.
- `ImportSource`: facts collected offline on air-gapped hosts (`--import`), layered over either of the others:
  an imported host the inventory lists takes the inventory's attributes, one it does not brings its own.

Each `read` returns an `Estate`: the hosts to audit, the parameters, the topology, and the outcomes that are
ready without gathering. audit.run gathers the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from checker import config, inventory, offline, snapshot
from checker.models import GatherOutcome, Host, Inventory


@dataclass
class Estate:
    inventory: Inventory  # as read: its path anchors the files beside it (waivers.yml, unit.yml, …)
    params: dict
    hosts: list[Host]  # the hosts this run audits (after --limit)
    declared: list[Host]  # every host of the estate, audited or not (the report counts them)
    topology: dict
    ready: dict[str, GatherOutcome] = field(default_factory=dict)  # known without gathering

    def beside(self, name: str) -> Path | None:
        """A file or folder beside the inventory (or inside the snapshot folder), when there is one."""
        p = Path(self.inventory.path)
        candidate = (p if p.is_dir() else p.parent) / name
        return candidate if candidate.exists() else None

    def to_gather(self) -> list[Host]:
        return [h for h in self.hosts if h.name not in self.ready and h.vars.get("zicha_gather", "ansible") == "ansible"]


class Source(Protocol):
    def read(self, under: Estate | None, limit: list[str], params_file: Path | None) -> Estate: ...


def _estate(inv: Inventory, params: dict, limit: list[str], ready: dict[str, GatherOutcome] | None = None) -> Estate:
    return Estate(inventory=inv, params=params, hosts=[h for h in inv.hosts if not limit or h.name in limit],
                  declared=list(inv.hosts), topology=config.topology(inv), ready=dict(ready or {}))


@dataclass(frozen=True)
class InventorySource:
    path: Path

    def read(self, under: Estate | None, limit: list[str], params_file: Path | None) -> Estate:
        inv = inventory.load(self.path)
        return _estate(inv, config.load_params(inv, params_file), limit)


@dataclass(frozen=True)
class SnapshotSource:
    folder: Path

    def read(self, under: Estate | None, limit: list[str], params_file: Path | None) -> Estate:
        from checker.devices import credentials

        # the weak-password candidates come from the parameters, before the snapshot's inventory is known
        judge = credentials.Judge(credentials.linux_candidates(
            config.collector_params(config.load_params(None, params_file))))
        inv, outcomes = snapshot.load(self.folder, judge)
        return _estate(inv, config.load_params(inv, params_file), limit, outcomes)


@dataclass(frozen=True)
class ImportSource:
    folder: Path
    collector_keys: tuple[Path, ...] = ()

    def read(self, under: Estate | None, limit: list[str], params_file: Path | None) -> Estate:
        if under is None:
            raise ValueError("imported facts are layered over an inventory or a snapshot")
        keys = offline.trusted_keys(list(self.collector_keys) or
                                    [p for p in [under.beside("collector-keys")] if p is not None])
        known = {h.name: h for h in under.declared}
        for name, (path, doc) in offline.read_dir(self.folder).items():
            if limit and name not in limit:
                continue
            h = offline.host_of(doc, known.get(name))
            if name not in known:
                under.hosts.append(h)
                under.declared.append(h)
                under.topology["hosts"][name] = config.topology_entry(h)
            under.ready[name] = offline.outcome(path, doc, keys, under.params)
        return under


def read(inventory_path: Path, snapshot_dir: Path | None, import_dir: Path | None, collector_keys: list[Path],
         limit: list[str], params_file: Path | None) -> Estate:
    """The estate of one audit: the inventory or the snapshot, then what was collected offline."""
    base: Source = SnapshotSource(snapshot_dir) if snapshot_dir else InventorySource(inventory_path)
    estate = base.read(None, limit, params_file)
    if import_dir:
        estate = ImportSource(import_dir, tuple(collector_keys)).read(estate, limit, params_file)
    return estate
