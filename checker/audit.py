"""One audit run, stage after stage: inventory → gather → normalize → evaluate. Knows nothing of argv or exit codes."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from checker import __version__, attest, catalog, config, evaluate, evidence, fsio, gather, jsonio, normalize, sources, \
    unit
from checker.errors import Interrupted, SetupError, ZichaError, raise_if_interrupted
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
    est = sources.read(opts.inventory, opts.snapshot, opts.import_dir, opts.collector_keys, opts.limit,
                       opts.params_file)
    inv, params, hosts, topo = est.inventory, est.params, est.hosts, est.topology
    waivers_file = opts.waivers_file or _file(est.beside("waivers.yml"))
    waivers = config.load_waivers(waivers_file)
    # the report's frame and the attested clauses: read (and refused if malformed) before anything is gathered
    profile = unit.load(opts.unit_file or _file(est.beside("unit.yml")))
    attested = attest.load(opts.attestations_file or _file(est.beside(attest.FILE)))
    attachments = _attachments(opts.attachments_dir or est.beside("attachments"))
    all_hosts = est.declared
    out = fsio.make_dir(opts.out_dir)
    run_info = RunInfo(
        id=fsio.name_of(out.name), started_at=iso(started), inventory=str(inv.path), zicha_version=__version__,
        user=getpass.getuser(), controller=socket.gethostname(), unit=params.get("report_unit", ""),
        profile=profile, estate=estate(all_hosts, topo), params=thresholds(params),
    )

    stage = "setup"  # OPA, policies and data: nothing gathered yet
    facts: dict[str, HostFacts] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:  # the seconds of the stage just finished (`zicha audit --timings`, results.json)
        raise_if_interrupted()  # a signal whose exception a finalizer swallowed still stops the run here
        now = time.perf_counter()
        run_info.timings[name] = round(now - clock[0], 3)
        clock[0] = now

    try:
        with ExitStack() as stack:
            # OPA first: a broken policy or an unreachable --opa-url fails in a second, not after gathering.
            data = config.opa_data(params, topo, waivers)
            if opts.opa_url:
                url = opts.opa_url
                run_info.opa_version = "external"
            else:  # our own server starts with the policies and data loaded (one compile)
                server = stack.enter_context(evaluate.OpaServer(log_path=out / "opa.log",
                                                                preload=(evaluate.POLICY_DIR, data)))
                url = server.url
                run_info.opa_version = evaluate.opa_version(server.binary)
            run_info.opa_url = url
            ev = stack.enter_context(evaluate.Evaluator(url, timeout=opts.opa_timeout))
            if opts.opa_url:
                ev.load(data)  # the user's server: uploaded, and stale zicha policies dropped
            else:
                ev.check()
            expected = evaluate.rule_ids()
            unknown = sorted({w["rule"] for w in waivers} - expected)
            if unknown:
                raise SetupError(f"waivers file {waivers_file}: no rule {', '.join(unknown)}")

            lap("setup")
            stage = "gather"
            to_gather = est.to_gather()
            if opts.on_gather_start:
                opts.on_gather_start(len(to_gather))
            gathered = gather.run(to_gather, opts.inventory, params, out / "ansible", on_host=opts.on_host) \
                if to_gather else []
            by_name = {o.host: o for o in gathered} | est.ready
            outcomes = [by_name.get(h.name) or _not_gathered(h) for h in hosts]
            lap("gather")
            stage = "normalize"
            facts_dir = fsio.make_dir(out / "facts")
            for h, o in zip(hosts, outcomes):
                hf = normalize.document(h, o)
                facts[h.name] = hf
                fsio.write_bytes(fsio.inside(facts_dir, h.name, ".json"), jsonio.dumps(hf.document))
            run_info.hosts_attempted = [h.name for h in hosts]
            run_info.hosts = [{"name": h.name, "role": h.role, "zone": h.zone, "platform": h.platform,
                               "classified": h.classified, "method": facts[h.name].document["gather"]["method"],
                               **_identity(by_name.get(h.name))}
                              for h in hosts]
            run_info.hosts_reached = [h.name for h in hosts if facts[h.name].ok]

            lap("normalize")
            stage = "evaluate"
            document = evaluate.input_document(hosts, facts, iso(started))
            decision = ev.decide(document)
            lap("decide")
            results = evaluate.complete([h.name for h in hosts], decision, expected)
            # the manual clauses, as attested for the unit (documents checked against the sha256 attested)
            present = {c: {p.name: attest.sha256(p.read_bytes()) for p in ps} for c, ps in attachments.items()}
            results = results + attest.results(attested, catalog.load(), present, run_info.started_at)
            lap("post")
    except (ZichaError, KeyboardInterrupt, Interrupted) as e:
        _mark_partial(out, stage, e, facts)
        raise
    run_info.finished_at = iso(utc_now())
    report = AuditReport(run=run_info, rules=decision.rules, results=results)
    materials = evidence.Materials(
        report=report, input_document=document, data=data,
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


def _file(p: Path | None) -> Path | None:
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


def _identity(outcome: GatherOutcome | None) -> dict:
    """A snapshot device's identity (vendor, version, role and where each came from), for the run record."""
    if outcome is None or outcome.method != "snapshot":
        return {}
    ident = ((outcome.raw or {}).get("collector") or {}).get("identity")
    return {"identity": ident} if ident else {}
