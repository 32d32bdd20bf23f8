"""The one way in: `zicha <command>`. Only this module knows argv, the terminal and exit codes.

Exit codes: 0 nothing failed; 1 some rule failed or could not be checked (fail / error), or a manual clause was
attested as not in place (a GAP-* problem as present): a finding like any other; 2 zicha itself could not finish
(one line on stderr says why). A manual clause nobody attested yet is shown, never a finding.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from checker import ROOT, __version__
from checker.errors import Interrupted, OutputError, SetupError, ZichaError, clear_interrupts, note_interrupt

EXIT_OK, EXIT_FINDINGS, EXIT_ABORT = 0, 1, 2


def _on_sigterm(signum: int, frame: object) -> None:
    note_interrupt(signum)  # kept: raised again at the next stage if this exception is dropped in a finalizer
    raise Interrupted(f"signal {signum}")


def _on_sigint(signum: int, frame: object) -> None:
    note_interrupt(signum)  # Ctrl-C: the same, a KeyboardInterrupt raised inside a finalizer is printed and dropped
    raise KeyboardInterrupt


def crash_dir() -> Path:
    """Where unexpected failures leave their traceback: $ZICHA_STATE_DIR, else $XDG_STATE_HOME/zicha, else
    ~/.local/state/zicha."""
    if os.environ.get("ZICHA_STATE_DIR"):
        return Path(os.environ["ZICHA_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "zicha"


def _crash_log(exc: BaseException, argv: list[str] | None) -> str:
    """Write the traceback to a file only the user can read; return its path (or why it could not be written)."""
    import datetime as dt
    import traceback

    text = (f"zicha {__version__} crashed at {dt.datetime.now(dt.timezone.utc).isoformat()}\n"
            f"command: zicha {' '.join((argv if argv is not None else sys.argv[1:]))}\n\n"
            + "".join(traceback.format_exception(exc)))
    try:
        folder = crash_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{dt.datetime.now(dt.timezone.utc).strftime('%Y%m%dT%H%M%S.%fZ')}-{os.getpid()}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return str(path)
    except OSError as e:
        return f"(the crash log could not be written: {e.strerror})"


def _progress():
    """A progress bar on stderr while hosts are gathered (hosts done / total)."""
    from tqdm import tqdm

    state: dict[str, object] = {}

    def start(total: int) -> None:
        state["bar"] = tqdm(total=total, desc="采集 gathering", unit="host", file=sys.stderr,
                            disable=not sys.stderr.isatty() or None, leave=True)

    def host(outcome: object) -> None:
        bar = state.get("bar")
        if bar is not None:
            bar.set_postfix_str(f"{outcome.host}: {outcome.status}", refresh=False)
            bar.update(1)

    def close() -> None:
        bar = state.pop("bar", None)
        if bar is not None:
            bar.close()

    return start, host, close


def cmd_audit(args: argparse.Namespace) -> int:
    from checker import audit, report

    formats = report.parse_formats(args.format)
    out_dir = Path(args.out) if args.out else audit.default_out_dir()
    previous = None
    if args.previous:
        from checker import evidence

        previous = evidence.load_report(Path(args.previous))[0]
    start, on_host, close = _progress()
    opts = audit.AuditOptions(
        inventory=Path(args.inventory), out_dir=out_dir, opa_url=args.opa_url or audit.env_opa_url(),
        params_file=Path(args.params) if args.params else None, on_gather_start=start, on_host=on_host,
        limit=args.limit or [], import_dir=Path(args.import_dir) if args.import_dir else None,
        snapshot=Path(args.snapshot) if args.snapshot else None,
        waivers_file=Path(args.waivers) if args.waivers else None,
        attachments_dir=Path(args.attachments) if args.attachments else None,
        unit_file=Path(args.unit) if args.unit else None,
        attestations_file=Path(args.attestations) if args.attestations else None,
        collector_keys=[Path(k) for k in args.collector_key or []], opa_timeout=args.opa_timeout,
    )
    try:
        done = audit.run(opts)
    except ZichaError as e:
        if audit.partial_stage(out_dir) not in (None, "setup"):
            raise type(e)(f"{str(e).split(': ', 1)[-1]} (partial output kept in {out_dir}; "
                          f"{audit.PARTIAL} says where it stopped)") from None
        raise
    finally:
        close()
    result = done.report
    table = report.formats()["table"]
    sys.stdout.write(table.render(result, args.lang).decode("utf-8"))
    attached = {c: [p.name for p in ps] for c, ps in done.materials.attachments.items()}
    bundle = []
    outputs: dict[str, float] = {}
    if not args.no_bundle:  # first: the evidence does not depend on any renderer
        import time

        from checker import evidence

        key = args.sign_key or os.environ.get("ZICHA_SIGN_KEY")
        t0 = time.perf_counter()
        bundle.append(str(evidence.build(done.materials, out_dir, Path(key) if key else None)))
        outputs["bundle"] = round(time.perf_counter() - t0, 3)
    try:
        written = report.write(result, formats, out_dir, args.lang, previous=previous, attachments=attached,
                               timings=outputs) + bundle
    except OutputError as e:
        raise OutputError(f"{e}{'; evidence bundle: ' + bundle[0] if bundle else ''}") from None
    sys.stdout.write(("输出 written: " if args.lang == "zh" else "written: ") + ", ".join(written) + "\n")
    if args.timings:
        stages = {**result.run.timings, **outputs}
        sys.stdout.write(("阶段耗时 timings: " if args.lang == "zh" else "timings: ")
                         + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items()) + "\n")
    return EXIT_FINDINGS if result.failed_at(args.fail_on) else EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    from checker import config, offline

    params = config.load_params(None, Path(args.params) if args.params else None)
    attrs = {"zicha_role": args.role, "zicha_classified": bool(args.classified)}
    if args.zone:
        attrs["zicha_zone"] = args.zone
    key = args.sign_key or os.environ.get("ZICHA_COLLECT_KEY")
    if not key:
        raise SetupError("zicha collect needs --sign-key (or ZICHA_COLLECT_KEY): an unsigned file is refused on "
                         "import, since anyone could have written it (zicha keygen makes a key pair)")
    signer_check = Path(key)
    doc = offline.collect(params, host=args.host, attributes=attrs, internet_probes=args.internet_probe)
    doc = offline.sign(doc, signer_check)
    out = Path(args.out)
    offline.write(doc, out)
    errors = [k for k, v in doc["raw"]["facts"].items() if "error" in v]
    print(f"zicha collect: {doc['host']}: {len(doc['raw']['facts'])} facts, sha256 {doc['sha256'][:16]}…, signed by "
          f"{doc['signature']['key_fingerprint']} → {out}")
    if errors:
        print(f"zicha collect: not readable here: {', '.join(errors)} (these rules will say error)", file=sys.stderr)
    return EXIT_OK


def cmd_collect_script(args: argparse.Namespace) -> int:
    from checker import config, winscript

    params = config.load_params(None, Path(args.params) if args.params else None)
    out = Path(args.out)
    winscript.write(out, winscript.render_for(params, args.internet_probe))
    print(f"zicha collect-script: {out} (Windows PowerShell 5.1; run it as administrator with -KeyFile "
          f"NAME{_ps_key_suffix()} from `zicha keygen --algorithm rsa-sha256`)")
    return EXIT_OK


def _ps_key_suffix() -> str:
    from checker import signing

    return signing.PS_KEY_SUFFIX


def cmd_report(args: argparse.Namespace) -> int:
    from checker import evidence, fsio, report

    formats = report.parse_formats(args.format)
    result, attached = evidence.load_report(Path(args.source))
    if args.unit:  # fill in the frame afterwards: the results stay as audited
        from checker import unit

        result.run.profile = unit.load(Path(args.unit))
    previous = evidence.load_report(Path(args.previous))[0] if args.previous else None
    out = fsio.make_dir(Path(args.out))
    written = report.write(result, formats, out, args.lang, previous=previous, attachments=attached)
    print(("输出 written: " if args.lang == "zh" else "written: ") + ", ".join(written))
    return EXIT_OK


def cmd_attest(args: argparse.Namespace) -> int:
    import datetime as dt

    from checker import attest, catalog
    from checker.errors import SetupError

    path = Path(args.file) if args.file else _beside_inventory(Path(args.inventory), attest.FILE)
    clauses = catalog.load()
    if args.list or not args.clause:
        return _list_attestations(path, clauses, args.lang)
    cid = args.clause.upper()
    c = clauses.get(cid)
    if c is None or c.status != "manual":
        raise SetupError(f"attest: {args.clause} is not a manual clause (zicha attest --list shows them)")
    if args.clear:
        gone = attest.clear(path, cid)
        print(f"zicha attest: {cid}: {'attestation removed' if gone else 'was not attested'} ({path})")
        return EXIT_OK
    if args.answer is None:
        raise SetupError("attest: say --yes or --no (does the clause's statement hold for the unit?)")
    if not args.by:
        raise SetupError("attest: say who attests (--by '部门 姓名')")
    at = args.at or dt.date.today().isoformat()
    rec = attest.record(path, cid, args.answer, args.by, at, [Path(f) for f in args.attach or []], note=args.note,
                        measure=args.measure, owner=args.owner, deadline=args.deadline,
                        attachments_dir=Path(args.attachments) if args.attachments else None)
    status, message = attest.verdict(c, rec)
    print(f"zicha attest: {cid} {c.zh}: {message['zh' if args.lang == 'zh' else 'en']} → {path}")
    if status == "fail":
        print("  (a finding: it goes into 三、存在的问题 and 四、整改措施, and the audit exits 1)" if args.lang == "en" else
              "  （这是一个问题：列入“三、存在的问题”和“四、整改措施及计划”，自查退出码为 1）")
    return EXIT_OK


def _beside_inventory(inventory: Path, name: str) -> Path:
    return (inventory if inventory.is_dir() else inventory.parent) / name


def _list_attestations(path: Path, clauses: dict, lang: str) -> int:
    from tabulate import tabulate

    from checker import attest

    att = attest.load(path if path.is_file() else None, clauses)
    rows = []
    for c in clauses.values():
        if c.status != "manual":
            continue
        rec = att.items.get(c.id)
        if rec is None:
            state = "未核验" if lang == "zh" else "not attested"
        else:
            state = attest.verdict(c, rec)[1][lang]
        rows.append([c.id, getattr(c, lang), state, ", ".join(a["file"] for a in (rec or {}).get("attachments", []))])
    head = ["条款 Clause", "内容", "核验情况", "材料"] if lang == "zh" else ["Clause", "Claim", "Attested", "Documents"]
    print(tabulate(rows, headers=head, tablefmt="simple_grid", maxcolwidths=[30, 40, 40, 24]))
    done = sum(1 for c in clauses.values() if c.status == "manual" and c.id in att.items)
    total = sum(1 for c in clauses.values() if c.status == "manual")
    print(f"{done}/{total} 个人工核验条款已核验 manual clauses attested ({path})")
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    from checker import signing

    priv, pub = signing.keygen(Path(args.out), args.algorithm, args.name)
    key = signing.load_public(pub)
    print(f"zicha keygen: {args.algorithm} key pair: private {priv} (keep it; it never goes into a bundle), "
          f"public {pub} (give it to the inspectors); fingerprint {key.fingerprint}")
    ps_key = priv.with_name(priv.stem + signing.PS_KEY_SUFFIX)
    if args.algorithm == "rsa-sha256" and ps_key.exists():
        print(f"zicha keygen: {ps_key}: the same private key for zicha-collect.ps1 -KeyFile (keep it on the "
              f"collector's stick only); trust {pub} on import with --collector-key")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from checker import evidence

    v = evidence.verify(Path(args.bundle), Path(args.pubkey) if args.pubkey else None,
                        args.opa_url or os.environ.get("ZICHA_OPA_URL"), bundle_policies=args.bundle_policies)
    for p in v.file_problems:
        print(f"文件 file: {p}")
    for p in v.policy_changes:
        print(f"策略 policy differs from the verifier's: {p}")
    if v.policy_diff:
        print("\n".join(v.policy_diff))
    for p in v.result_problems:
        print(f"结果 result: {p}")
    for n in v.notes:
        print(f"说明 note: {n}")
    print(v.verdict("zh"))
    print(v.verdict("en"))
    return EXIT_OK if v.ok else EXIT_FINDINGS


def cmd_trust(args: argparse.Namespace) -> int:
    """Show the host keys of inventory hosts and record them in their known_hosts file, after confirmation."""
    from checker import gather, hostkeys, inventory, proc
    from checker.errors import HostKeyError

    inv = inventory.load(Path(args.inventory))
    names = set(args.hosts or [])
    unknown = names - {h.name for h in inv.hosts}
    if unknown:
        raise HostKeyError(f"{args.inventory}: no host {', '.join(sorted(unknown))}")
    hosts = [h for h in inv.hosts if not names or h.name in names]
    with proc.scratch("trust") as tmp:
        ends = gather.endpoints(hosts, inv.path, tmp)
    if not ends:
        print("zicha trust: none of these hosts is reached over SSH (local or WinRM)")
        return EXIT_OK
    refused = 0
    for name in sorted(ends):
        try:
            st = hostkeys.standing(name, ends[name])
        except HostKeyError as e:
            print(f"{name}: {e}")
            refused += 1
            continue
        where = hostkeys.spelled(st.address, st.port)
        print(f"{name} ({where}) presents:")
        for k in st.presented:
            print(f"    {k.type:22} {k.fingerprint}")
        if st.state == "known":
            print(f"  already trusted in {st.known_hosts} (已信任)")
            continue
        if st.state == "changed":
            print(f"  CHANGED: {st.known_hosts} holds " + ", ".join(map(str, st.recorded)) + " (主机密钥已改变)")
            if not args.replace:
                print("  not recorded: find out why the key changed, then run again with --replace")
                refused += 1
                continue
        if not args.yes:
            if not sys.stdin.isatty():
                print("  not recorded: compare the fingerprints with the host's own (ssh-keygen -lf "
                      "/etc/ssh/ssh_host_*_key.pub, or the device's `display ssh server-info`), then --yes")
                refused += 1
                continue
            answer = input(f"  trust these keys for {name}? 信任？ [y/N] ").strip().lower()
            if answer not in ("y", "yes", "是"):
                print("  not recorded")
                refused += 1
                continue
        path = hostkeys.add(st.known_hosts, list(st.presented), replace=st.state == "changed")
        print(f"  recorded in {path} (已记录)")
    return EXIT_FINDINGS if refused else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    import json as _json

    from tabulate import tabulate

    from checker import catalog, rules

    found = rules.load(args.opa_url)
    if args.format == "json":
        print(_json.dumps([r.__dict__ for r in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    clauses = catalog.load()
    lang = args.lang
    rows = [[r.id, r.severity, f"{r.title['zh']}\n{r.title['en']}",
             "\n".join(f"{c} {getattr(clauses.get(c), lang, '?')}" for c in r.clauses), "\n".join(r.gbt22239)]
            for r in found]
    head = ["规则 Rule", "级别", "名称 Title", "条款 Clauses", "GB/T 22239"] if lang == "zh" else \
        ["Rule", "Severity", "Title", "Clauses", "GB/T 22239"]
    print(tabulate(rows, headers=head, tablefmt="simple_grid", maxcolwidths=[24, 8, 34, 44, 22]))
    auto = [c for c in clauses.values() if c.status == "automated"]
    print(f"{len(found)} 条规则 rules; {len(auto)} 个自动检查条款 automated clauses, "
          f"{len(clauses) - len(auto)} 个人工证明条款 manual clauses (policies/clauses.yaml)")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zicha", description="自查 zicha: 网络安全自查的证据 — compliance evidence for "
                                "network-security self-inspection")
    p.add_argument("--version", action="version", version=f"zicha {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    a = sub.add_parser("audit", help="gather facts with Ansible, let OPA decide, write results")
    a.add_argument("--inventory", "-i", default=str(ROOT / "inventory" / "local.yml"),
                   help="Ansible inventory (default: inventory/local.yml, this machine)")
    a.add_argument("--out", "-o", help="output folder (default: out/<UTC timestamp>/)")
    a.add_argument("--format", "-f", default="table,json,junit,sarif,md,html,docx",
                   help="comma-separated outputs: table, json, junit, sarif, md, html, docx, oscal "
                        "(default: all but oscal)")
    a.add_argument("--previous", metavar="BUNDLE", help="an earlier evidence bundle (or results.json): the report "
                   "says per clause what is new, what was put right and what is still open")
    a.add_argument("--opa-url", help="use this OPA server instead of starting one (also ZICHA_OPA_URL)")
    a.add_argument("--opa-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="how long OPA may take to answer one request (default 300)")
    a.add_argument("--params", help="YAML file of parameter overrides (see policies/params.yaml)")
    a.add_argument("--limit", action="append", metavar="HOST", help="audit only this host (repeatable)")
    a.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the table and messages")
    a.add_argument("--import", dest="import_dir", metavar="DIR",
                   help="also evaluate facts collected offline (zicha collect) from this folder")
    a.add_argument("--collector-key", action="append", metavar="PUB",
                   help="a trusted public key of offline collectors (repeatable; a folder of *.pub works too; "
                        "default: collector-keys/ beside the inventory): imported files must be signed by one")
    a.add_argument("--waivers", metavar="FILE",
                   help="waivers (rule, hosts, reason, approver, expires); default: waivers.yml beside the inventory")
    a.add_argument("--attachments", metavar="DIR",
                   help="documents backing manual clauses, DIR/<CLAUSE-ID>/<file> (default: attachments/ beside the "
                        "inventory); they go into the evidence bundle")
    a.add_argument("--unit", metavar="FILE", help="the unit profile that frames the report (unit, addressee, notice, "
                   "contact, leading group, marking); default: unit.yml beside the inventory")
    a.add_argument("--attestations", metavar="FILE", help="the attested manual clauses (zicha attest writes it); "
                   "default: attestations.yml beside the inventory")
    a.add_argument("--sign-key", metavar="KEY", help="sign the evidence bundle with this key (zicha keygen; "
                   "also ZICHA_SIGN_KEY)")
    a.add_argument("--no-bundle", action="store_true", help="do not write the evidence bundle")
    a.add_argument("--timings", action="store_true",
                   help="print the seconds each stage took (setup, gather, normalize, decide, post, the bundle and "
                        "each output format); the stages up to post are kept in results.json (run.timings)")
    a.add_argument("--fail-on", choices=("info", "low", "medium", "high", "critical"), default="info",
                   help="exit 1 only for a fail or error of this severity or higher (default: any)")
    a.add_argument("--snapshot", metavar="DIR",
                   help="audit configuration backups with no connection: DIR/configs/<device>.cfg "
                        "(+ optional DIR/inventory.yml); the vendor is detected from the text")
    a.set_defaults(func=cmd_audit)

    t = sub.add_parser("trust", help="show the SSH host keys of inventory hosts and record them (first use)")
    t.add_argument("hosts", nargs="*", metavar="HOST", help="inventory hosts (default: every SSH host)")
    t.add_argument("--inventory", "-i", default=str(ROOT / "inventory" / "local.yml"))
    t.add_argument("--yes", action="store_true", help="record without asking (after checking the fingerprints "
                   "out of band)")
    t.add_argument("--replace", action="store_true", help="replace a key on record that the host no longer "
                   "presents (only once you know why it changed)")
    t.set_defaults(func=cmd_trust)

    r = sub.add_parser("rules", help="list the rules: id, severity, titles, clauses, GB/T 22239 items")
    r.add_argument("--format", choices=("table", "json"), default="table")
    r.add_argument("--opa-url", help="use this OPA server instead of starting one (also ZICHA_OPA_URL)")
    r.add_argument("--lang", choices=("zh", "en"), default="zh")
    r.set_defaults(func=cmd_rules)

    rp = sub.add_parser("report", help="write the 自查报告 (and other formats) from results.json or a bundle")
    rp.add_argument("source", help="a results.json or an evidence bundle (evidence-*.tar.gz)")
    rp.add_argument("--format", "-f", default="docx,html,md", help="comma-separated: md, html, docx, json, junit, "
                    "sarif, oscal, table (default: docx,html,md)")
    rp.add_argument("--out", "-o", default=".", help="output folder (default: here)")
    rp.add_argument("--previous", metavar="BUNDLE", help="an earlier bundle or results.json, for the trend")
    rp.add_argument("--lang", choices=("zh", "en"), default="zh")
    rp.add_argument("--unit", metavar="FILE", help="frame the report with this unit profile (unit.yml) instead of "
                    "the one recorded at the audit")
    rp.set_defaults(func=cmd_report)

    at = sub.add_parser("attest", help="record who attested a manual clause, when, yes or no, with which documents")
    at.add_argument("clause", nargs="?", help="the manual clause (zicha attest --list shows them)")
    yn = at.add_mutually_exclusive_group()
    yn.add_argument("--yes", dest="answer", action="store_const", const=True,
                    help="the clause's statement holds for the unit (for GAP-*: the unit has that problem)")
    yn.add_argument("--no", dest="answer", action="store_const", const=False, help="it does not")
    yn.add_argument("--clear", action="store_true", help="remove the clause's attestation")
    at.add_argument("--by", help="who attests: department and name, e.g. '信息中心 王五'")
    at.add_argument("--at", metavar="YYYY-MM-DD", help="when (default: today)")
    at.add_argument("--attach", action="append", metavar="FILE",
                    help="a document backing it (repeatable): copied into attachments/<CLAUSE>/, its sha256 recorded")
    at.add_argument("--note", help="what was looked at, or the unit's own words for the finding")
    at.add_argument("--measure", help="整改措施 for a clause answered no (default: the catalog's)")
    at.add_argument("--owner", help="责任人 of the measure")
    at.add_argument("--deadline", metavar="YYYY-MM-DD", help="完成时限 of the measure")
    at.add_argument("--inventory", "-i", default=str(ROOT / "inventory" / "local.yml"),
                    help="the inventory: attestations.yml and attachments/ sit beside it (default: inventory/local.yml)")
    at.add_argument("--file", help="the attestations file (default: attestations.yml beside the inventory)")
    at.add_argument("--attachments", metavar="DIR", help="where documents go (default: attachments/ beside the file)")
    at.add_argument("--list", action="store_true", help="list every manual clause and how it stands")
    at.add_argument("--lang", choices=("zh", "en"), default="zh")
    at.set_defaults(func=cmd_attest)

    k = sub.add_parser("keygen", help="make a key pair for signing evidence bundles")
    k.add_argument("--out", "-o", default="keys", help="folder for NAME.key and NAME.pub (default: keys/)")
    k.add_argument("--name", default="zicha-signing")
    k.add_argument("--algorithm", choices=("ed25519", "sm2-sm3", "rsa-sha256"), default="ed25519",
                   help="rsa-sha256 for zicha-collect.ps1 (Windows PowerShell 5.1 has no Ed25519 or SM2): it also "
                        "writes NAME.ps-key.json, the private key in the form the script reads")
    k.set_defaults(func=cmd_keygen)

    v = sub.add_parser("verify", help="check an evidence bundle's hashes and signature, and decide it again")
    v.add_argument("bundle")
    v.add_argument("--pubkey", help="the signer's public key (without it the signature is not checked)")
    v.add_argument("--opa-url", help="decide again on this OPA server instead of a fresh one of zicha's own (also "
                   "ZICHA_OPA_URL); the policies used are loaded there")
    v.add_argument("--bundle-policies", action="store_true",
                   help="decide with the bundle's own policies (untrusted: no network or environment built-ins, "
                        "limited memory and time) instead of this zicha's; to reproduce an older zicha's verdicts")
    v.set_defaults(func=cmd_verify)

    c = sub.add_parser("collect", help="collect this host's facts locally, for an air-gapped host")
    c.add_argument("--out", "-o", required=True, help="the facts file to write")
    c.add_argument("--host", help="the host's name in the inventory (default: this hostname)")
    c.add_argument("--role", choices=("server", "terminal"), default="terminal",
                   help="zicha_role, used when the inventory does not list the host")
    c.add_argument("--zone", help="zicha_zone, used when the inventory does not list the host")
    c.add_argument("--classified", action="store_true", help="zicha_classified: a 涉密 computer")
    c.add_argument("--internet-probe", action="append", metavar="HOST:PORT",
                   help="an address standing for the internet (repeatable; default: the parameters')")
    c.add_argument("--params", help="YAML file of parameter overrides")
    c.add_argument("--sign-key", metavar="KEY", help="the collector's private key (zicha keygen; also "
                   "ZICHA_COLLECT_KEY): the auditor imports only files signed by a key it trusts")
    c.set_defaults(func=cmd_collect)

    cs = sub.add_parser("collect-script", help="write zicha-collect.ps1, the collector for an air-gapped Windows "
                        "computer, with this deployment's parameters")
    cs.add_argument("--out", "-o", default="zicha-collect.ps1", help="where to write it (default: ./zicha-collect.ps1)")
    cs.add_argument("--internet-probe", action="append", metavar="HOST:PORT",
                    help="an address standing for the internet (repeatable; default: the parameters')")
    cs.add_argument("--params", help="YAML file of parameter overrides")
    cs.set_defaults(func=cmd_collect_script)

    from checker.portal import cli as portal_cli  # the upper-level department's portal, and sending to it

    portal_cli.build(sub)
    portal_cli.build_submit(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Exit codes, whatever happens: 0 nothing failed, 1 some rule failed or could not be checked, 2 zicha could
    not finish (one line on stderr; an unexpected failure also leaves its traceback in a crash log)."""
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # what zicha writes holds facts about the estate: its owner's only
    clear_interrupts()
    old = signal.signal(signal.SIGTERM, _on_sigterm)
    # SIGINT as Python sets it up, unless it was ignored on entry (a job started in the background keeps it so)
    old_int = signal.getsignal(signal.SIGINT)
    if old_int is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        return args.func(args)
    except ZichaError as e:
        print(f"zicha: {_one_line(e)}", file=sys.stderr)
        return EXIT_ABORT
    except BrokenPipeError:  # `zicha audit | head`: the reader left; say nothing more, and stop as unfinished
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
        except OSError:
            pass
        return EXIT_ABORT
    except (KeyboardInterrupt, Interrupted):
        print("zicha: interrupted; stopped (中断)", file=sys.stderr)
        return EXIT_ABORT
    except MemoryError:
        print("zicha: out of memory; stopped (内存不足)", file=sys.stderr)
        return EXIT_ABORT
    except Exception as e:  # noqa: BLE001 - the contract: never a traceback, never exit 1 for a crash
        where = _crash_log(e, argv)
        print(f"zicha: internal error ({type(e).__name__}); nothing was decided from it; crash log: {where}",
              file=sys.stderr)
        return EXIT_ABORT
    finally:
        signal.signal(signal.SIGTERM, old)
        if old_int is signal.default_int_handler:
            signal.signal(signal.SIGINT, old_int)


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:2000]


if __name__ == "__main__":
    raise SystemExit(main())
