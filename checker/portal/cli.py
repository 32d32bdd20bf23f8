"""`zicha portal …` and `zicha submit`: the commands behind checker/cli.py's subparsers.

    zicha portal serve       migrate, then the web server (gunicorn) and its verification worker(s)
    zicha portal migrate     apply the database migrations (serve does it too)
    zicha portal worker      verify waiting bundles (several may run, on several machines)
    zicha portal createuser  an inspector, or a unit's sign-in
    zicha portal unit        register a unit (code, name, parent, public key) from the command line
    zicha portal token       an API token for a unit's CI
    zicha submit BUNDLE --portal URL   send a bundle with a token (ZICHA_PORTAL_TOKEN)
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from checker.portal.config import PortalError

EXIT_OK, EXIT_FINDINGS, EXIT_ABORT = 0, 1, 2


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", metavar="DIR", help="the portal's folder: database (SQLite), secret key, bundles "
                   "(default: var/portal in the project; also ZICHA_PORTAL_HOME)")
    p.add_argument("--database", metavar="URL", help="postgresql://user@host:port/name (psycopg 3) or "
                   "sqlite:////path/file.sqlite3 (default: SQLite in the portal's folder; also ZICHA_PORTAL_DATABASE)")


def configure(args: argparse.Namespace) -> None:
    """Options into the environment Django's settings read (inherited by gunicorn's and the worker's processes)."""
    if getattr(args, "home", None):
        os.environ["ZICHA_PORTAL_HOME"] = str(Path(args.home).resolve())
    if getattr(args, "database", None):
        os.environ["ZICHA_PORTAL_DATABASE"] = args.database
    if getattr(args, "https_proxy", False):
        os.environ["ZICHA_PORTAL_HTTPS"] = "1"
    hosts = getattr(args, "allowed_host", None)
    if hosts:
        os.environ["ZICHA_PORTAL_ALLOWED_HOSTS"] = ",".join(["127.0.0.1", "localhost", "[::1]", *hosts])
    try:
        from checker import portal

        portal.setup()
    except PortalError:
        raise
    except Exception as e:  # Django's ImproperlyConfigured, a database driver's error: one line, exit 2
        raise PortalError(f"cannot start: {type(e).__name__}: {e}") from None


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command
    from django.db import connections
    from django.db.utils import Error as DbError

    try:
        call_command("migrate", interactive=False, verbosity=verbosity)
    except DbError as e:
        raise PortalError(f"database: {e}".strip()) from None
    finally:
        connections.close_all()


def cmd_migrate(args: argparse.Namespace) -> int:
    configure(args)
    _migrate(verbosity=1)
    return EXIT_OK


def _loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    host, _, port = args.bind.rpartition(":")
    if not port.isdigit():
        raise PortalError(f"--bind {args.bind!r}: HOST:PORT expected")
    if not _loopback(host) and not args.https_proxy and not args.insecure_http:
        raise PortalError(f"--bind {args.bind}: session cookies would cross the network unencrypted; put the portal "
                          "behind a TLS reverse proxy and pass --https-proxy (or --insecure-http for a closed test "
                          "network)")
    configure(args)
    _migrate()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from checker import proc
    from checker.portal.wsgi import application

    if not get_user_model().objects.exists():
        print("zicha portal: no account yet: make an inspector with `zicha portal createuser NAME --role inspector`",
              file=sys.stderr)
    from django.db import connections

    connections.close_all()  # nothing open across gunicorn's fork
    env = dict(os.environ)

    def start(i: int) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "checker", "portal", "worker"]
        if args.watch and i == 0:  # one watcher: the folder is read by one process only
            cmd += ["--watch", str(Path(args.watch).resolve())]
        return subprocess.Popen(cmd, env=env, preexec_fn=proc.child_limits())  # goes when serve goes

    workers = [start(i) for i in range(args.verifiers)]
    stopping = threading.Event()

    def supervise() -> None:  # a verification worker that dies is started again: the queue never stalls
        while not stopping.wait(5):
            for i, w in enumerate(workers):
                if w.poll() is not None and not stopping.is_set():
                    print(f"zicha portal: verification worker {w.pid} exited ({w.returncode}); starting another",
                          file=sys.stderr, flush=True)
                    workers[i] = start(i)

    threading.Thread(target=supervise, name="zicha-verifiers", daemon=True).start()
    print(f"zicha portal: http://{args.bind}/ (data in {settings.HOME}; database "
          f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; {args.workers} web workers, "
          f"{args.verifiers} verifiers{'; watching ' + args.watch if args.watch else ''})", file=sys.stderr, flush=True)
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            opts = {"bind": args.bind, "workers": args.workers, "accesslog": "-", "errorlog": "-",
                    "timeout": 120, "graceful_timeout": 20, "forwarded_allow_ips": "127.0.0.1,::1",
                    "limit_request_line": 8190, "proc_name": "zicha-portal",
                    "worker_tmp_dir": str(Path(settings.HOME) / "tmp"), "control_socket_disable": True}
            for k, v in opts.items():
                self.cfg.set(k, v)

        def load(self):
            return application

    try:
        Server().run()
    finally:
        stopping.set()
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    configure(args)
    from checker.portal import worker

    watch = Path(args.watch).resolve() if args.watch else None
    if watch is not None and not watch.is_dir():
        raise PortalError(f"--watch {args.watch}: no such folder")
    n = worker.run(once=args.once, poll=args.poll, watch=watch)
    if args.once:
        print(f"zicha portal worker: {n} bundle(s) verified")
    return EXIT_OK


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("密码 password: ")
    if first != getpass.getpass("再输一次 again: "):
        raise PortalError("the two passwords differ")
    return first


def cmd_createuser(args: argparse.Namespace) -> int:
    configure(args)
    _migrate()
    from django.contrib.auth import get_user_model, password_validation
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from checker.portal.models import Account, Event, Unit

    unit = None
    if args.role == "unit":
        if not args.unit:
            raise PortalError("--role unit needs --unit CODE")
        unit = Unit.objects.filter(code=args.unit).first()
        if unit is None:
            raise PortalError(f"no unit {args.unit!r} (register it first)")
    elif args.unit:
        raise PortalError("an inspector belongs to no unit: leave out --unit")
    User = get_user_model()
    if User.objects.filter(username__iexact=args.name).exists():
        raise PortalError(f"user {args.name!r} exists")
    password = _password(args)
    user = User(username=args.name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise PortalError("password refused: " + " ".join(e.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        Account.objects.create(user=user, role=args.role, unit=unit)
        Event.objects.create(unit=unit, action="account-created", detail=f"{args.name} ({args.role}) from the CLI")
    print(f"zicha portal: {args.role} {args.name}{' of ' + unit.code if unit else ''} created")
    return EXIT_OK


def cmd_unit(args: argparse.Namespace) -> int:
    configure(args)
    _migrate()
    from checker import signing
    from checker.portal.models import Event, Unit

    key = signing.load_public(Path(args.key))
    parent = None
    if args.parent:
        parent = Unit.objects.filter(code=args.parent).first()
        if parent is None:
            raise PortalError(f"no parent unit {args.parent!r}")
    clash = Unit.objects.filter(key_fingerprint=key.fingerprint).exclude(code=args.code).first()
    if clash:
        raise PortalError(f"this key is registered to unit {clash.code}: each unit needs its own")
    unit, made = Unit.objects.update_or_create(code=args.code, defaults={
        "name": args.name, "parent": parent, "algorithm": key.algorithm,
        "public_key": Path(args.key).read_text(encoding="ascii").strip() + "\n", "key_fingerprint": key.fingerprint})
    Event.objects.create(unit=unit, action="unit-registered" if made else "unit-changed",
                         detail=f"{unit.code} {unit.name}, {key.algorithm} key {key.fingerprint} (CLI)")
    print(f"zicha portal: unit {unit.code} {'registered' if made else 'updated'} ({key.algorithm}, {key.fingerprint})")
    return EXIT_OK


def cmd_token(args: argparse.Namespace) -> int:
    configure(args)
    _migrate()
    from checker.portal import ingest
    from checker.portal.models import Unit

    unit = Unit.objects.filter(code=args.unit).first()
    if unit is None:
        raise PortalError(f"no unit {args.unit!r}")
    _, token = ingest.new_token(unit, args.name)
    print(token)
    print(f"zicha portal: token for {unit.code} ({args.name}); it is shown this once: keep it in your CI's secrets",
          file=sys.stderr)
    return EXIT_OK


def build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("portal", help="the upper-level department's portal: receive, verify and compare units' "
                       "bundles (Django)")
    ps = p.add_subparsers(dest="portal_command", required=True, metavar="COMMAND")

    s = ps.add_parser("serve", help="migrate, then serve the portal with its verification worker(s)")
    add_common(s)
    s.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (default 127.0.0.1:8000)")
    s.add_argument("--workers", type=int, default=2, help="web server processes (default 2)")
    s.add_argument("--verifiers", type=int, default=1, help="verification workers to start (default 1; 0 when "
                   "`zicha portal worker` runs elsewhere)")
    s.add_argument("--watch", metavar="DIR", help="take bundles from DIR/<unit code>/ (carried on media)")
    s.add_argument("--https-proxy", action="store_true", help="behind a TLS reverse proxy: secure cookies, HSTS, "
                   "X-Forwarded-Proto (also ZICHA_PORTAL_HTTPS=1)")
    s.add_argument("--allowed-host", action="append", metavar="NAME", help="a host name the portal answers to "
                   "(repeatable; 127.0.0.1 and localhost always)")
    s.add_argument("--insecure-http", action="store_true", help="allow plain HTTP on a non-loopback address")
    s.set_defaults(func=cmd_serve)

    m = ps.add_parser("migrate", help="apply the database migrations")
    add_common(m)
    m.set_defaults(func=cmd_migrate)

    w = ps.add_parser("worker", help="verify waiting bundles (in a limited child process each)")
    add_common(w)
    w.add_argument("--once", action="store_true", help="stop when nothing is waiting")
    w.add_argument("--poll", type=float, default=2.0, help="seconds between looks at the queue (default 2)")
    w.add_argument("--watch", metavar="DIR", help="also take bundles from DIR/<unit code>/")
    w.set_defaults(func=cmd_worker)

    c = ps.add_parser("createuser", help="make an inspector, or a sign-in for a unit")
    add_common(c)
    c.add_argument("name")
    c.add_argument("--role", choices=("inspector", "unit"), required=True)
    c.add_argument("--unit", metavar="CODE", help="the unit of a unit account")
    c.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    c.set_defaults(func=cmd_createuser)

    u = ps.add_parser("unit", help="register (or update) a unit with its public signing key")
    add_common(u)
    u.add_argument("code", help="the unit's code (letters, digits, - and _): its folder in the watched folder")
    u.add_argument("--name", required=True, help="the unit's name (单位名称)")
    u.add_argument("--key", required=True, help="the unit's public key (the .pub of zicha keygen)")
    u.add_argument("--parent", metavar="CODE", help="the parent unit's code")
    u.set_defaults(func=cmd_unit)

    t = ps.add_parser("token", help="make an API token for a unit's CI (printed once)")
    add_common(t)
    t.add_argument("--unit", required=True, metavar="CODE")
    t.add_argument("--name", default="CI", help="what it is for")
    t.set_defaults(func=cmd_token)


# -- zicha submit -------------------------------------------------------------------------------------------------


def cmd_submit(args: argparse.Namespace) -> int:
    """Send a bundle to the portal with the unit's token; with --wait, until it is verified: 0 accepted,
    1 quarantined (the reason is printed), 2 could not send."""
    import requests

    token = args.token or os.environ.get("ZICHA_PORTAL_TOKEN")
    if not token:
        raise PortalError("no token: --token or ZICHA_PORTAL_TOKEN")
    bundle = Path(args.bundle)
    if not bundle.is_file():
        raise PortalError(f"{bundle}: no such bundle")
    base = args.portal.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise PortalError(f"--portal {args.portal!r}: an http(s) URL expected")
    verify: bool | str = args.ca_file or True
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with bundle.open("rb") as f:
            r = requests.post(f"{base}/api/v1/submissions", headers=headers, timeout=args.timeout, verify=verify,
                              files={"bundle": (bundle.name, f, "application/gzip")}, allow_redirects=False)
    except requests.RequestException as e:
        raise PortalError(f"{base}: {e}") from None
    doc = _json(r)
    if r.status_code not in (200, 201):
        raise PortalError(f"{base} refused the bundle ({r.status_code}): {doc.get('error') or r.text[:200]}")
    print(f"zicha submit: {bundle.name} → submission {doc['id']} ({'sent before; ' if doc.get('duplicate') else ''}"
          f"{doc['state']}) {doc.get('page', '')}")
    if not args.wait:
        return EXIT_OK
    deadline = time.monotonic() + args.wait_timeout
    while doc.get("state") in ("received", "verifying"):
        if time.monotonic() > deadline:
            raise PortalError(f"submission {doc['id']} not verified after {args.wait_timeout} s (still {doc['state']})")
        time.sleep(2)
        try:
            r = requests.get(doc["status_url"], headers=headers, timeout=args.timeout, verify=verify,
                             allow_redirects=False)
        except requests.RequestException as e:
            raise PortalError(f"{base}: {e}") from None
        if r.status_code != 200:
            raise PortalError(f"{base}: status of submission {doc['id']}: {r.status_code}")
        doc = _json(r)
    if doc["state"] == "accepted":
        print(f"zicha submit: accepted. {(doc.get('verdict') or {}).get('zh', '')}")
        return EXIT_OK
    print(f"zicha submit: quarantined: {doc.get('reason')}")
    for p in doc.get("problems") or []:
        print(f"  {p}")
    return EXIT_FINDINGS


def _json(r) -> dict:
    try:
        doc = r.json()
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def build_submit(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("submit", help="send an evidence bundle to the upper-level portal (token auth)")
    s.add_argument("bundle")
    s.add_argument("--portal", required=True, metavar="URL", help="the portal's address, e.g. https://zicha.example/")
    s.add_argument("--token", help="the unit's API token (better: ZICHA_PORTAL_TOKEN, kept out of the process list)")
    s.add_argument("--wait", action="store_true", help="wait for the verdict: exit 0 accepted, 1 quarantined")
    s.add_argument("--wait-timeout", type=int, default=1800, help="seconds to wait at most (default 1800)")
    s.add_argument("--timeout", type=float, default=300, help="seconds for one HTTP request (default 300)")
    s.add_argument("--ca-file", metavar="PEM", help="trust this CA for the portal's certificate (TLS is always "
                   "verified)")
    s.set_defaults(func=cmd_submit)
