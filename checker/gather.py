"""Gather stage: drive ansible-runner over playbooks/gather.yml and turn what happened into typed outcomes.

One module run per host (zicha_<platform>_facts): every fact of that platform in one round trip, read-only.
A failed play does not raise in ansible-runner: we read the per-host events (ok, failed, unreachable) and the
runner's status and rc ourselves. A host Ansible says nothing about is an error too, never a silent skip.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

from checker import COLLECTIONS, ROOT, hostkeys, platforms, proc
from ansible_collections.zicha.audit.plugins.module_utils.zicha_candidates import DEFAULT_COMMUNITIES
from checker.errors import GatherError
from checker.config import collector_params
from checker.inventory import ansible_env
from checker.models import GatherOutcome, Host

PLAYBOOK = ROOT / "playbooks" / "gather.yml"
ENDPOINTS = ROOT / "playbooks" / "endpoints.yml"
#: the plays of gather.yml: a host is gathered by the play its platform names (checker/platforms)
PLAYS = ("linux", "network", "windows")


def _gathering(h: Host) -> platforms.Gathering | None:
    return platforms.get(h.platform).gathering if platforms.known(h.platform) else None

OnHost = Callable[[GatherOutcome], None]


def ssh_hosts(hosts: Iterable[Host]) -> list[str]:
    """The hosts zicha reaches over SSH (Ansible's ssh connection, or netmiko for devices)."""
    return [h.name for h in hosts if _gathering(h) and _gathering(h).play in ("linux", "network")
            and h.vars.get("ansible_connection") != "local"]


def _env(work: Path, connect_timeout: int) -> dict[str, str]:
    return ansible_env() | {
        "ANSIBLE_HOME": str(work / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
        "ANSIBLE_LIBRARY": str(ROOT / "playbooks" / "library"),
        # the collectors' collection (zicha.audit) first, then what Ansible would search anyway (the installed
        # ansible package's collections are found on sys.path whatever this says)
        "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([str(COLLECTIONS), os.environ.get("ANSIBLE_COLLECTIONS_PATH") or
                                                     f"{work / 'ansible-home'}/collections:/usr/share/ansible/collections"]),
        "ANSIBLE_PIPELINING": "True",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_TIMEOUT": str(connect_timeout),
        # ansible-runner sets ANSIBLE_HOST_KEY_CHECKING=False unless told otherwise: host keys are checked
        # (gather.yml also pins StrictHostKeyChecking=yes and the known_hosts file at play level).
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        # One round trip per host: a persistent master would only leave `ssh [mux]` processes behind.
        "ANSIBLE_SSH_ARGS": "-o ControlMaster=no -o ControlPersist=no -o StrictHostKeyChecking=yes",
        "ANSIBLE_NOCOLOR": "True",
        proc.TAG: secrets.token_hex(8),  # every process of this run carries it (proc.kill_tagged)
    }


def _playbook(work: Path, playbook: Path, inventory_path: str | Path, extravars: dict[str, Any],
              handle: Callable[[dict[str, Any]], bool], n_hosts: int, timeout: int, connect_timeout: int) -> Any:
    """One ansible-playbook run through ansible-runner, artifacts under `work`; the runner's result."""
    import ansible_runner

    env = _env(work, connect_timeout)
    old_path = os.environ.get("PATH", "")
    os.environ["PATH"] = env["PATH"]  # ansible-runner looks up its helpers on our PATH
    # ansible-runner puts its own SIGINT and SIGTERM handlers in place (they cancel the run) and leaves them
    # there: a signal after gathering would only set an event nobody reads, and the audit would go on. zicha's
    # own handlers come back when the run ends.
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)} \
        if threading.current_thread() is threading.main_thread() else {}
    try:
        return ansible_runner.run(
            private_data_dir=str(work),
            project_dir=str(playbook.parent),
            playbook=str(playbook),
            inventory=str(Path(inventory_path).resolve()),
            extravars=extravars,
            envvars=env,
            forks=min(25, max(1, n_hosts)),
            event_handler=handle,
            quiet=True,
            timeout=timeout,
            ident=playbook.stem,
            binary=str(_dies_with_us(work, Path(sys.executable).parent / "ansible-playbook")),
            cmdline=shlex.quote(str(playbook)),
        )
    except Exception as e:  # ansible-runner raises its own types for setup problems
        raise GatherError(f"ansible-runner could not start: {type(e).__name__}: {e}") from e
    finally:
        os.environ["PATH"] = old_path
        for sig, handler in handlers.items():
            if handler is not None:
                signal.signal(sig, handler)
        proc.kill_tagged(env[proc.TAG])


def endpoints(hosts: Iterable[Host], inventory_path: str | Path, work_dir: Path) -> dict[str, dict[str, Any]]:
    """Where each SSH host is reached and which known_hosts file holds its key, as Ansible renders them (no
    connection is made)."""
    names = ssh_hosts(hosts)
    found: dict[str, dict[str, Any]] = {}

    def handle(event: dict[str, Any]) -> bool:
        data = event.get("event_data") or {}
        res = data.get("res") or {}
        if event.get("event") == "runner_on_ok" and isinstance(res.get("msg"), dict) \
                and isinstance(res["msg"].get("zicha_endpoint"), dict):
            found[data.get("host")] = res["msg"]["zicha_endpoint"]
        return True

    if names:
        work = Path(work_dir).resolve()
        work.mkdir(parents=True, exist_ok=True)
        _playbook(work, ENDPOINTS, inventory_path, {"zicha_hosts_endpoints": names}, handle, len(names), 300, 15)
    missing = [n for n in names if n not in found]
    if missing:
        raise GatherError(f"Ansible did not render the endpoints of {', '.join(missing[:10])}")
    return found


def _dies_with_us(work: Path, real: Path) -> Path:
    """A launcher for ansible-playbook that takes every process of the run with it: the playbook, its forked
    workers (which start sessions of their own) and their ssh. It gets SIGTERM when zicha dies, even by SIGKILL
    (setpriv --pdeathsig), and on TERM, INT or HUP it signals every process carrying this run's ZICHA_RUN_TAG.
    zicha does the same itself when the run ends, however it ends (proc.kill_tagged)."""
    setpriv = shutil.which("setpriv")
    launcher = work / "ansible-playbook"
    inner = work / "ansible-playbook.group"
    inner.write_text(
        "#!/bin/sh\n"
        # several rounds: a worker forked while the first scan ran would otherwise live on (TERM, then KILL)
        "stop() {\n"
        "  trap - TERM INT HUP\n"
        "  for sig in TERM TERM TERM KILL KILL KILL; do\n"
        "    found=\n"
        "    for e in /proc/[0-9]*/environ; do\n"
        "      p=${e#/proc/}; p=${p%/environ}\n"
        "      [ \"$p\" = \"$$\" ] && continue\n"
        f"      tr '\\000' '\\n' < \"$e\" 2>/dev/null | grep -qx \"{proc.TAG}=${proc.TAG}\" && kill -$sig \"$p\" 2>/dev/null && found=1\n"
        "    done\n"
        "    [ -z \"$found\" ] && break\n"
        "    sleep 0.3\n"
        "  done\n"
        "  exit 143\n"
        "}\n"
        "trap stop TERM INT HUP\n"
        f"{shlex.quote(str(real))} \"$@\" &\n"
        "wait $!\n")
    inner.chmod(0o700)
    death = f"{shlex.quote(setpriv)} --pdeathsig TERM -- " if setpriv else ""
    launcher.write_text(f"#!/bin/sh\nexec {death}/bin/sh {shlex.quote(str(inner))} \"$@\"\n")
    launcher.chmod(0o700)
    return launcher


def _explained(reason: str, endpoint: dict[str, Any] | None) -> str:
    """A refused host key, explained with the fingerprints the host presents and the ones on record."""
    if endpoint is None or not hostkeys.HOST_KEY_FAILURE.search(reason):
        return reason
    try:
        port = int(endpoint.get("port") or 22)
    except (TypeError, ValueError):
        port = 22
    return hostkeys.diagnose(str(endpoint.get("address")), port, str(endpoint.get("known_hosts")))


def _reason(res: dict[str, Any]) -> str:
    msg = res.get("msg") or res.get("module_stderr") or res.get("stderr") or ""
    if isinstance(msg, list):
        msg = " ".join(map(str, msg))
    msg = " ".join(str(msg).split())
    return msg[:500] or "no message from Ansible"


def run(
    hosts: Iterable[Host],
    inventory_path: str | Path,
    params: dict[str, Any],
    work_dir: str | Path,
    on_host: OnHost | None = None,
    timeout: int = 1800,
) -> list[GatherOutcome]:
    """Gather every host once. Returns one outcome per host, in the order given."""
    hosts = list(hosts)
    targets = [h for h in hosts if _gathering(h)]
    outcomes: dict[str, GatherOutcome] = {}
    for h in hosts:
        if not _gathering(h):
            outcomes[h.name] = GatherOutcome(
                h.name, "failed", f"zicha cannot gather platform {h.platform!r} over Ansible yet", method="ansible"
            )
            if on_host:
                on_host(outcomes[h.name])
    if not targets:
        return [outcomes[h.name] for h in hosts]

    work = Path(work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    modules = {_gathering(h).module.split(".")[-1] for h in targets}
    wanted = {h.name for h in targets}
    endpoints: dict[str, dict[str, Any]] = {}

    def handle(event: dict[str, Any]) -> bool:
        data = event.get("event_data") or {}
        host = data.get("host")
        kind = event.get("event")
        res = data.get("res") or {}
        if kind == "runner_on_ok" and host in wanted and isinstance(res.get("msg"), dict) \
                and isinstance(res["msg"].get("zicha_endpoint"), dict):
            endpoints[host] = res["msg"]["zicha_endpoint"]
            return True
        if host not in wanted or host in outcomes or data.get("task_action", "").split(".")[-1] not in modules:
            return True
        if kind == "runner_on_ok":
            raw = res.get("zicha")
            if isinstance(raw, dict):
                out = GatherOutcome(host, "ok", raw=raw, source=str(PLAYBOOK.relative_to(ROOT)))
            else:
                out = GatherOutcome(host, "failed", "the fact module returned no zicha document")
        elif kind == "runner_on_unreachable":
            out = GatherOutcome(host, "unreachable", _explained(_reason(res), endpoints.get(host)))
        elif kind == "runner_on_failed":
            out = GatherOutcome(host, "failed", _explained(_reason(res), endpoints.get(host)))
        else:
            return True
        outcomes[host] = out
        if on_host:
            on_host(out)
        return True

    # The run's fingerprint key: equal passwords give equal fingerprints within this run, and the key is
    # gone when the run ends. A file read by the playbook (lookup), so it is in no runner artifact. Both
    # files are written inside the try: whatever fails after the first byte, the finally removes them.
    key_file = work / ".share-key"
    cand_file = work / ".candidates.json"
    try:
        for f in (key_file, cand_file):
            f.unlink(missing_ok=True)  # a leftover of a killed run: recreate it with our mode
            f.touch(mode=0o600)
        key_file.write_text(secrets.token_hex(32))
        run = collector_params(params)
        cand_file.write_text(json.dumps(run.pop("weak_passwords"), ensure_ascii=False))
        run |= {"share_key_file": str(key_file), "candidates_file": str(cand_file),
                "device_cli": platforms.device_cli(),  # the device module knows no vendor of its own
                "snmp_defaults": list(DEFAULT_COMMUNITIES)}  # Windows judges its communities with these
        extravars: dict[str, Any] = {"zicha_run": run}
        for play in PLAYS:
            extravars[f"zicha_hosts_{play}"] = [h.name for h in targets if _gathering(h).play == play]
        extravars["zicha_hosts_endpoints"] = ssh_hosts(targets)
        r = _playbook(work, PLAYBOOK, inventory_path, extravars, handle, len(targets), timeout,
                      params.get("connect_timeout_seconds", 15))
    finally:
        key_file.unlink(missing_ok=True)
        cand_file.unlink(missing_ok=True)

    if r.status == "canceled":
        raise GatherError("interrupted: the Ansible run was cancelled by a signal")
    if r.status == "timeout":
        raise GatherError(f"gathering did not finish within {timeout} s")
    missing = [h.name for h in targets if h.name not in outcomes]
    if missing and len(missing) == len(targets) and r.rc not in (0, 2, 4):
        tail = ""
        try:
            tail = " ".join(r.stdout.read().split()[-40:])
        except Exception:
            pass
        raise GatherError(
            f"{PLAYBOOK.name}: ansible-playbook ended with status {r.status}, rc {r.rc}, and no host result: {tail}"
        )
    for name in missing:
        outcomes[name] = GatherOutcome(
            name, "failed", f"Ansible gave no result for this host (runner status {r.status}, rc {r.rc})"
        )
        if on_host:
            on_host(outcomes[name])
    return [outcomes[h.name] for h in hosts]
