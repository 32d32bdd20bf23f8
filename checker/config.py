"""Parameters and topology: the OPA data zicha loads beside the policies.

Parameters: defaults in policies/params.yaml, then the organisation's overrides (the inventory variable
``zicha_params`` set for all hosts, then ``--params FILE``), validated against
checker/schemas/params.schema.json. Topology: zones (``zicha_zones``) and each host's role, zone and
addresses, from the inventory.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from checker import ROOT
from checker.errors import InventoryError, SetupError
from checker.models import Host, Inventory

DEFAULTS = ROOT / "policies" / "params.yaml"
PARAMS_SCHEMA = Path(__file__).parent / "schemas" / "params.schema.json"
WAIVERS_SCHEMA = Path(__file__).parent / "schemas" / "waivers.schema.json"


def read_yaml(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SetupError(f"{what} {path}: no such file") from None
    except yaml.YAMLError as e:
        raise SetupError(f"{what} {path}: not valid YAML: {e}") from None


@lru_cache(maxsize=1)
def _params_validator() -> Any:
    import jsonschema

    schema = json.loads(PARAMS_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def validate_params(params: dict[str, Any], where: str) -> None:
    errors = sorted(_params_validator().iter_errors(params), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        path = "/".join(map(str, e.absolute_path)) or "(top)"
        raise SetupError(f"parameters from {where}: {path}: {e.message}")


def load_params(inventory: Inventory | None = None, params_file: str | Path | None = None) -> dict[str, Any]:
    params = read_yaml(DEFAULTS, "default parameters")
    where = [str(DEFAULTS.relative_to(ROOT))]
    if inventory is not None:
        overrides = {json.dumps(h.vars.get("zicha_params"), sort_keys=True) for h in inventory.hosts}
        if len(overrides) > 1:
            raise InventoryError(f"{inventory.path}: zicha_params differs between hosts; set it once for group all")
        inv_over = inventory.hosts[0].vars.get("zicha_params") if inventory.hosts else None
        if inv_over:
            if not isinstance(inv_over, dict):
                raise InventoryError(f"{inventory.path}: zicha_params must be a mapping")
            params.update(inv_over)
            where.append(f"{inventory.path} (zicha_params)")
    if params_file:
        over = read_yaml(Path(params_file), "parameters file")
        if not isinstance(over, dict):
            raise SetupError(f"parameters file {params_file}: must be a mapping of parameter names to values")
        params.update(over)
        where.append(str(params_file))
    validate_params(params, " + ".join(where))
    return params


def load_waivers(path: str | Path | None) -> list[dict[str, Any]]:
    """Waivers from a YAML file, checked against checker/schemas/waivers.schema.json (none when no file)."""
    if path is None:
        return []
    import jsonschema

    doc = read_yaml(Path(path), "waivers file")
    if doc is None:
        return []
    if isinstance(doc, dict) and isinstance(doc.get("waivers"), list):
        for w in doc["waivers"]:  # `expires: 2027-02-28` unquoted is a YAML date: the day it names
            if isinstance(w, dict) and isinstance(w.get("expires"), dt.date):
                w["expires"] = w["expires"].isoformat()[:10]
            for k in ("reason", "approver", "hosts"):
                if isinstance(w, dict) and isinstance(w.get(k), str):
                    w[k] = w[k].strip()
    schema = json.loads(WAIVERS_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.validators.validator_for(schema)(schema).iter_errors(doc),
                    key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(top)"
        raise SetupError(f"waivers file {path}: {where}: {e.message}")
    for i, w in enumerate(doc["waivers"]):
        try:
            dt.date.fromisoformat(str(w["expires"]))
        except ValueError:
            raise SetupError(f"waivers file {path}: waivers/{i}/expires: {w['expires']!r} is not a date") from None
    return doc["waivers"]


def collector_params(params: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """What the fact collectors need of the parameters (years made concrete)."""
    year = (today or dt.date.today()).year
    out = {k: params[k] for k in ("internet_probes", "probe_timeout_seconds", "restore_log", "weak_passwords",
                                  "org_names", "connect_timeout_seconds")}
    out["org_years"] = [year - params["org_years_back"], year + 1]
    return out


def _is_ip(s: Any) -> bool:
    try:
        ipaddress.ip_address(str(s))
        return True
    except ValueError:
        return False


def topology(inventory: Inventory) -> dict[str, Any]:
    """Zones and devices as the rules see them (data.zicha.topology)."""
    zone_defs = {json.dumps(h.vars.get("zicha_zones"), sort_keys=True) for h in inventory.hosts
                 if h.vars.get("zicha_zones") is not None}
    if len(zone_defs) > 1:
        raise InventoryError(f"{inventory.path}: zicha_zones differs between hosts; declare it once for group all")
    zones = json.loads(zone_defs.pop()) if zone_defs else {}
    if not isinstance(zones, dict):
        raise InventoryError(f"{inventory.path}: zicha_zones must map zone names to {{subnets: [...], trust: N}}")
    for name, z in zones.items():
        for net in (z or {}).get("subnets", []):
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise InventoryError(f"{inventory.path}: zone {name}: {net!r} is not a subnet") from None
    hosts = {}
    for h in inventory.hosts:
        addrs = list(h.vars.get("zicha_addresses") or [])
        if not isinstance(addrs, list) or not all(_is_ip(a) for a in addrs):
            raise InventoryError(f"host {h.name}: zicha_addresses must be a list of IP addresses")
        ah = h.vars.get("ansible_host")
        if _is_ip(ah) and not ipaddress.ip_address(str(ah)).is_loopback and ah not in addrs:
            addrs.append(ah)  # the management address is one of the device's own
        hosts[h.name] = topology_entry(h, addrs)
    return {"zones": zones, "hosts": hosts}


def topology_entry(h: Host, addresses: list[str] | None = None) -> dict[str, Any]:
    return {"role": h.role, "zone": h.zone, "platform": h.platform, "classified": h.classified,
            "addresses": addresses if addresses is not None else list(h.vars.get("zicha_addresses") or [])}


# Parameters only the collectors use: they stay out of OPA's data (and so out of the evidence bundle, which holds
# that data exactly). The weak-password candidates are public, but next to a verdict they narrow a password down.
COLLECTOR_ONLY = ("weak_passwords",)


def opa_data(params: dict[str, Any], topo: dict[str, Any], waivers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    decided = {k: v for k, v in params.items() if k not in COLLECTOR_ONLY}
    from checker import platforms

    return {"params": decided, "topology": topo, "waivers": {"items": waivers or []}, "catalog": catalog_data(),
            "platforms": platforms.data()}


def catalog_data() -> dict[str, Any]:
    """What the rules read of the clause catalog (data.zicha.catalog): each clause's GB/T 22239 items, level 3
    first, and its laws. The rules name clauses only; these lists live in policies/clauses.yaml alone."""
    from checker import catalog

    return {c.id: {"gbt22239": c.items, "law": list(c.law)} for c in catalog.load().values()}
