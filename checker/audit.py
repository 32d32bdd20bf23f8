"""One audit run, stage after stage: inventory → gather → normalize → evaluate. Knows nothing of argv or exit codes."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from checker import __version__, attest, catalog, config, evaluate, evidence, fsio, gather, inventory, normalize, \
    offline, snapshot, unit
from checker.devices import credentials
from checker.errors import Interrupted, SetupError, ZichaError
from checker.models import AuditReport, GatherOutcome, Host, HostFacts, RunInfo


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso(t: dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


@dataclass
class AuditOptions:
    inventory: Path
    out_dir: Path
    opa_url: str | None = None
    opa_timeout: float = 300.0  # seconds OPA may take for one request
    params_file: Path | None = None
    on_gather_start: Callable[[int], None] | None = None
    on_host: Callable[[GatherOutcome], None] | None = None
    limit: list[str] = field(default_factory=list)
    import_dir: Path | None = None
    snapshot: Path | None = None
    waivers_file: Path | None = None
    attachments_dir: Path | None = None
    collector_keys: list[Path] = field(default_factory=list)  # trusted public keys of offline collectors
    unit_file: Path | None = None  # default: unit.yml beside the inventory
    attestations_file: Path | None = None  # default: attestations.yml beside the inventory


@dataclass(frozen=True)
class Audit:
    report: AuditReport
    materials: evidence.Materials


def run(opts: AuditOptions) -> Audit:
    started = utc_now()
    snapped: dict[str, GatherOutcome] = {}
    if opts.snapshot:
        # configuration backups: no connection at all
        params = config.load_params(None, opts.params_file)
        judge = credentials.Judge(credentials.linux_candidates(config.collector_params(params)))
        inv, snapped = snapshot.load(opts.snapshot, judge)
        params = config.load_params(inv, opts.params_file)
    else:
        inv = inventory.load(opts.inventory)
        params = config.load_params(inv, opts.params_file)
    hosts = [h for h in inv.hosts if not opts.limit or h.name in opts.limit]
    topo = config.topology(inv)
    waivers_file = opts.waivers_file or _default_waivers(Path(inv.path))
    waivers = config.load_waivers(waivers_file)
    # the report's frame and the attested clauses: read (and refused if malformed) before anything is gathered
    profile = unit.load(opts.unit_file or _beside_file(Path(inv.path), "unit.yml"))
    attested = attest.load(opts.attestations_file or _beside_file(Path(inv.path), attest.FILE))
    attachments = _attachments(opts.attachments_dir or _beside(Path(inv.path), "attachments"))
    all_hosts = list(inv.hosts)
    # hosts collected offline: the file stands in for gathering
    imported: dict[str, GatherOutcome] = {}
    if opts.import_dir:
        known = {h.name: h for h in inv.hosts}
        keys = offline.trusted_keys(opts.collector_keys or
                                    [p for p in [_beside(Path(inv.path), "collector-keys")] if p is not None])
        for name, (path, doc) in offline.read_dir(opts.import_dir).items():
            if opts.limit and name not in opts.limit:
                continue
            h = offline.host_of(doc, known.get(name))
            if name not in known:
                hosts.append(h)
                all_hosts.append(h)
                topo["hosts"][name] = config.topology_entry(h)
            imported[name] = offline.outcome(path, doc, keys, params)
    out = fsio.make_dir(opts.out_dir)
    run_info = RunInfo(
        id=fsio.name_of(out.name), started_at=iso(started), inventory=str(inv.path), zicha_version=__version__,
        user=getpass.getuser(), controller=socket.gethostname(), unit=params.get("report_unit", ""),
        profile=profile, estate=estate(all_hosts, topo), params=thresholds(params),
    )

    stage = "setup"  # OPA, policies and data: nothing gathered yet
    facts: dict[str, HostFacts] = {}
    try:
        with ExitStack() as stack:
            # OPA first: a broken policy or an unreachable --opa-url fails in a second, not after gathering.
            if opts.opa_url:
                url = opts.opa_url
                run_info.opa_version = "external"
            else:
                server = stack.enter_context(evaluate.OpaServer(log_path=out / "opa.log"))
                url = server.url
                run_info.opa_version = evaluate.opa_version(server.binary)
            run_info.opa_url = url
            ev = stack.enter_context(evaluate.Evaluator(url, timeout=opts.opa_timeout))
            ev.load(config.opa_data(params, topo, waivers))
            expected = evaluate.rule_ids()
            unknown = sorted({w["rule"] for w in waivers} - expected)
            if unknown:
                raise SetupError(f"waivers file {waivers_file}: no rule {', '.join(unknown)}")

            stage = "gather"
            to_gather = [h for h in hosts if h.name not in imported and h.name not in snapped
                         and h.vars.get("zicha_gather", "ansible") == "ansible"]
            if opts.on_gather_start:
                opts.on_gather_start(len(to_gather))
            gathered = gather.run(to_gather, opts.inventory, params, out / "ansible", on_host=opts.on_host) \
                if to_gather else []
            by_name = {o.host: o for o in gathered} | imported | snapped
            outcomes = [by_name.get(h.name) or _not_gathered(h) for h in hosts]
            stage = "normalize"
            facts_dir = fsio.make_dir(out / "facts")
            for h, o in zip(hosts, outcomes):
                hf = normalize.document(h, o)
                facts[h.name] = hf
                fsio.write_text(fsio.inside(facts_dir, h.name, ".json"),
                                json.dumps(hf.document, ensure_ascii=False, indent=1) + "\n")
            run_info.hosts_attempted = [h.name for h in hosts]
            run_info.hosts = [{"name": h.name, "role": h.role, "zone": h.zone, "platform": h.platform,
                               "classified": h.classified, "method": facts[h.name].document["gather"]["method"]}
                              for h in hosts]
            run_info.hosts_reached = [h.name for h in hosts if facts[h.name].ok]

            stage = "evaluate"
            document = evaluate.input_document(hosts, facts, iso(started))
            decision = ev.decide(document)
            results = evaluate.complete([h.name for h in hosts], decision, expected)
            # the manual clauses, as attested for the unit (documents checked against the sha256 attested)
            present = {c: {p.name: attest.sha256(p.read_bytes()) for p in ps} for c, ps in attachments.items()}
            results = results + attest.results(attested, catalog.load(), present, run_info.started_at)
    except (ZichaError, KeyboardInterrupt, Interrupted) as e:
        _mark_partial(out, stage, e, facts)
        raise
    run_info.finished_at = iso(utc_now())
    report = AuditReport(run=run_info, rules=decision.rules, results=results)
    materials = evidence.Materials(
        report=report, input_document=document, data=config.opa_data(params, topo, waivers),
        policy_dir=evaluate.POLICY_DIR, facts={n: f.document for n, f in facts.items()},
        raw={o.host: {"status": o.status, "reason": o.reason, "method": o.method, "source": o.source,
                      "raw": o.raw} for o in outcomes},
        inventory={"path": str(inv.path), "hosts": [h.to_json() for h in hosts], "groups": inv.groups,
                   "topology": topo},
        collectors={o.host: (o.raw or {}).get("collector") for o in outcomes if o.method == "import"},
        attachments=attachments, attestations=attested.to_json(),
    )
    return Audit(report, materials)


PARTIAL = "PARTIAL.json"


def _mark_partial(out: Path, stage: str, error: BaseException, facts: dict[str, HostFacts]) -> None:
    """The run stopped: say so beside what it had written (facts of the hosts gathered so far, Ansible's
    artifacts), so nobody takes a half-finished folder for an audit. Best effort: the error itself is what the
    user sees."""
    doc = {"status": "partial", "stage": stage,
           "reason": " ".join(str(error).split())[:1000] or type(error).__name__,
           "at": iso(utc_now()), "facts_written": sorted(facts),
           "note": "zicha stopped before deciding; no result here is a verdict (自查未完成，无结论)"}
    try:
        fsio.write_text(out / PARTIAL, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    except ZichaError:
        pass


def partial_stage(out: Path) -> str | None:
    """The stage a stopped run recorded in PARTIAL.json (None when it finished or wrote none)."""
    try:
        return json.loads((out / PARTIAL).read_text(encoding="utf-8")).get("stage")
    except (OSError, ValueError, AttributeError):
        return None


def _beside(inventory_path: Path, name: str) -> Path | None:
    folder = inventory_path if inventory_path.is_dir() else inventory_path.parent
    candidate = folder / name
    return candidate if candidate.exists() else None


def _attachments(folder: Path | None) -> dict[str, list[Path]]:
    """attachments/<CLAUSE-ID>/<document>: the documents that back manual clauses."""
    if folder is None:
        return {}
    from checker import catalog

    clauses = catalog.load()
    out: dict[str, list[Path]] = {}
    for d in sorted(p for p in folder.iterdir() if p.is_dir()):
        if d.name not in clauses:
            raise SetupError(f"attachments {d}: no clause {d.name} in the catalog")
        out[d.name] = sorted(p for p in d.iterdir() if p.is_file())
    return out


def _beside_file(inventory_path: Path, name: str) -> Path | None:
    p = _beside(inventory_path, name)
    return p if p and p.is_file() else None


def estate(hosts: list[Host], topo: dict) -> dict:
    """What the inventory lists, whether or not this run audits it all (--limit): hosts by role, classified
    computers, zones, and internet exits (firewalls and routers with an address in an internet zone: trust 0;
    None when the inventory declares no zones, so the report leaves it blank)."""
    import ipaddress
    from collections import Counter

    zones = topo.get("zones") or {}
    internet = [n for n, z in zones.items() if (z or {}).get("trust") == 0 or n == "internet"]
    exits = None
    if zones:
        nets = [ipaddress.ip_network(s, strict=False) for n in internet for s in (zones[n] or {}).get("subnets", [])]
        exits = sum(1 for h in hosts if h.role in ("firewall", "router") and any(
            ipaddress.ip_address(a) in net for a in (topo["hosts"].get(h.name) or {}).get("addresses", [])
            for net in nets))
    return {
        "hosts": len(hosts),
        "by_role": dict(Counter(h.role for h in hosts)),
        "classified": sum(1 for h in hosts if h.classified),
        "zones": sorted(set(zones) | {h.zone for h in hosts if h.zone}),
        "internet_exits": exits,
    }


def thresholds(params: dict) -> dict:
    """The numeric parameters (thresholds), which the report quotes: "病毒库超过7天未更新"."""
    return {k: v for k, v in params.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _default_waivers(inventory_path: Path) -> Path | None:
    """waivers.yml beside the inventory, when there is one."""
    p = _beside(inventory_path, "waivers.yml")
    return p if p and p.is_file() else None


def _not_gathered(h: Host) -> GatherOutcome:
    how = h.vars.get("zicha_gather")
    if how == "import":
        return GatherOutcome(h.name, "failed", "the inventory says this host is collected offline "
                             "(zicha_gather: import) but no collected file for it was imported (--import DIR)",
                             method="import")
    return GatherOutcome(h.name, "failed", f"zicha_gather {how!r} is not one of ansible, import")


def default_out_dir(base: Path = Path("out")) -> Path:
    return base / utc_now().strftime("%Y%m%dT%H%M%SZ")


def env_opa_url() -> str | None:
    return os.environ.get("ZICHA_OPA_URL") or None
