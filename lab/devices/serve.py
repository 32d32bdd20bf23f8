#!/usr/bin/env python3
"""The lab's network devices: several fake devices answering over SSH from ONE fakenos process.

lab/lab.py starts it (`make lab-up`) with the device list it writes to .lab/devices/devices.yml; each device
answers its vendor's commands with the configuration text in lab/devices/configs/ and a MAC address table
that lab.py writes from the lab hosts' real MAC addresses.

Usage:
    python lab/devices/serve.py devices.yml [--address 127.0.0.1] [--ready-file F] [--log-level WARNING]

Runs in the foreground; SIGTERM or SIGINT stops every server and the process exits.
When all listeners are bound it prints "READY <n> devices" (and writes --ready-file if given).

Lab YAML (our own format, translated to a fakenos inventory):

    address: 127.0.0.1            # optional, default 127.0.0.1 (--address overrides)
    devices:
      - name: SW-CORE             # fakenos host name (only used in logs)
        plugin: huawei_vrp        # fakenos NOS plugin
        port: 6101
        username: admin
        password: Admin@123
        prompt: "<SW-CORE>"       # full user-mode prompt; or give base_prompt directly
        intro: ""                 # optional text printed after login (default: none)
        enable_secret: s3cret     # optional (Cisco): "enable" asks "Password:" and checks it
        unknown_command: "..."    # optional: output for unknown commands
        ssh_key_file: keys/sw.rsa # optional RSA host key (PEM/OpenSSH); default: fakenos'
                                  # built-in key, the SAME for every device
        commands:                 # command -> file (relative to the YAML) or mapping
          display current-configuration: configs/huawei_sw.cfg
          show running-config: {file: configs/cisco_sw.cfg, prompt: "#"}
          terminal width 512: {output: ""}
          dis cur: {alias: display current-configuration}   # fakenos matches exact strings only
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
import fakenos.core.nos as _fakenos_nos
from fakenos import FakeNOS
from fakenos.plugins.servers.ssh_server_paramiko import ParamikoSshServer
from fakenos.plugins.shell.cmd_shell import CMDShell

log = logging.getLogger("lab_devices")

USER_PROMPT = "{base_prompt}>"  # initial_prompt of huawei_vrp, hp_comware and cisco_ios
PRIV_PROMPT = "{base_prompt}#"  # their enable_prompt
PASSWORD_PROMPT = "Password: "


def _speed_up_plugin_loading() -> None:
    """fakenos parses each host's NOS plugin YAML with pure-Python yaml.safe_load on every
    host start (cisco_ios.yaml is ~4600 lines: 0.3-1 s per host). Use LibYAML's CSafeLoader
    when PyYAML has it; the parsed data is identical (checked for all bundled plugins)."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return

    class _Yaml:  # stands in for the 'yaml' module inside fakenos.core.nos only
        @staticmethod
        def safe_load(stream: Any) -> Any:
            return yaml.load(stream, Loader=loader)  # noqa: S506 (safe C loader)

    _fakenos_nos.yaml = _Yaml  # type: ignore[assignment]


class LabShell(CMDShell):
    """fakenos' CMDShell plus an optional Cisco-like 'enable' secret check.

    fakenos itself has no password step for 'enable' (it just switches to '#').
    With enable_secret set: 'enable' at the user prompt shows 'Password: ', the right
    secret switches to the '#' prompt, anything else prints '% Bad secrets' and goes back
    to the user prompt (immediately, not after three tries like real IOS).
    Note: fakenos' SSH server echoes every byte, so the secret is echoed too.
    """

    def __init__(self, *args: Any, enable_secret: Optional[str] = None, **kwargs: Any) -> None:
        self.enable_secret = enable_secret
        super().__init__(*args, **kwargs)

    def _fmt(self, prompt: str) -> str:
        return prompt.format(base_prompt=self.base_prompt)

    def onecmd(self, line: str) -> bool:
        if self.enable_secret is not None:
            stripped = line.strip()
            if self.prompt == PASSWORD_PROMPT:
                # bypass cmd.Cmd parsing ('?', '!' prefixes) for the secret
                if stripped == self.enable_secret:
                    self.prompt = self._fmt(PRIV_PROMPT)
                else:
                    self.writeline("% Bad secrets")
                    self.prompt = self._fmt(USER_PROMPT)
                return not self.is_running.is_set()
            if stripped == "enable" and self.prompt == self._fmt(USER_PROMPT):
                self.prompt = PASSWORD_PROMPT
                return not self.is_running.is_set()
        return super().onecmd(line)


class ExclusiveSshServer(ParamikoSshServer):
    """ParamikoSshServer with two fixes:

    1. fakenos binds with SO_REUSEPORT on Linux, so a second (stale) fakenos process can bind
       the same port and the kernel then spreads connections over both. Bind without it, so a
       busy port fails loudly (EADDRINUSE).
    2. A client that authenticated but never opened a channel leaves fakenos' connection
       thread in paramiko Transport.accept() with no timeout; closing the transport from the
       server side does not wake it (paramiko only notifies when its own loop ends the
       session), so stop() would leave a non-daemon thread and the process would never exit.
       Wake those waiters after closing the transports.
    """

    def _close_active_connections(self) -> None:
        super()._close_active_connections()
        with self._active_sessions_lock:
            sessions = list(self._active_sessions)
        for session in sessions:
            with session.lock:
                session.server_accept_cv.notify_all()

    def _bind_sockets(self) -> None:
        import socket

        self._socket = socket.socket(socket.AF_INET6 if ":" in str(self.address) else socket.AF_INET,
                                     socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
        self._socket.settimeout(self.timeout)
        self._socket.bind((self.address, self.port))


def _read_text(path: Path) -> str:
    # newline="" keeps the file's bytes; fakenos splits lines itself (str.splitlines)
    with open(path, "r", encoding="utf-8", newline="") as f:
        return f.read()


def _command_entry(spec: Any, base_dir: Path) -> Dict[str, Any]:
    """Turn 'file path' or {file|output, prompt, new_prompt, help} into a fakenos command."""
    if isinstance(spec, str):
        spec = {"file": spec}
    if not isinstance(spec, dict):
        raise ValueError(f"bad command spec {spec!r}")
    entry: Dict[str, Any] = {}
    if "alias" in spec:
        # fakenos merges {**commands[alias], **this_entry}: keep this entry minimal so the
        # aliased command's output and prompt list apply
        return {"alias": spec["alias"], "help": spec.get("help", f"alias of {spec['alias']}")}
    if "file" in spec:
        entry["output"] = _read_text((base_dir / spec["file"]).resolve())
    else:
        entry["output"] = spec.get("output")
    prompt = spec.get("prompt", "any")
    # shorthands: ">" user mode, "#" privileged mode, "any" both
    short = {">": USER_PROMPT, "#": PRIV_PROMPT}
    if prompt == "any":
        entry["prompt"] = [USER_PROMPT, PRIV_PROMPT]
    elif isinstance(prompt, list):
        entry["prompt"] = [short.get(p, p) for p in prompt]
    else:
        entry["prompt"] = short.get(prompt, prompt)
    if "new_prompt" in spec:
        entry["new_prompt"] = short.get(spec["new_prompt"], spec["new_prompt"])
    entry["help"] = spec.get("help", "lab command")
    return entry


def build_inventory(lab: dict, base_dir: Path, address: str) -> dict:
    hosts: Dict[str, dict] = {}
    for dev in lab["devices"]:
        name = dev["name"]
        if "base_prompt" in dev:
            base_prompt = dev["base_prompt"]
        else:
            prompt = dev.get("prompt", name + ">")
            if not prompt.endswith(">"):
                raise ValueError(f"{name}: prompt must end with '>' (user mode), got {prompt!r}")
            base_prompt = prompt[:-1]  # "<SW-CORE>" -> "<SW-CORE"; "CORE-IOS>" -> "CORE-IOS"
        commands = {cmd: _command_entry(spec, base_dir) for cmd, spec in (dev.get("commands") or {}).items()}
        if dev.get("unknown_command") is not None:
            commands["_default_"] = {"output": dev["unknown_command"], "help": "unknown command"}
        shell_cfg: Dict[str, Any] = {"base_prompt": base_prompt, "intro": dev.get("intro", "")}
        if dev.get("enable_secret") is not None:
            shell_cfg["enable_secret"] = str(dev["enable_secret"])
        hosts[name] = {
            "username": str(dev["username"]),
            "password": str(dev["password"]),
            "port": int(dev["port"]),
            "server": {
                "plugin": "ParamikoSshServer",
                "configuration": {
                    "address": dev.get("address", address),
                    "timeout": 1,
                    "ssh_banner": dev.get("ssh_banner", ""),
                    **(
                        {"ssh_key_file": str((base_dir / dev["ssh_key_file"]).resolve())}
                        if dev.get("ssh_key_file")
                        else {}
                    ),
                },
            },
            "shell": {"plugin": "CMDShell", "configuration": shell_cfg},
            "nos": {"plugin": dev["plugin"], "configuration": {"commands": commands}},
        }
    return {"hosts": hosts}


def stop_all(net: FakeNOS) -> None:
    """Stop all hosts in parallel: each server's stop() may block ~1 s (accept() timeout,
    watchdog interval), so a sequential net.stop() costs ~1 s per device."""
    workers = [threading.Thread(target=net.stop, args=(name,)) for name in net.hosts]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def wait_listening(ports: List[int], timeout: float = 5.0) -> bool:
    """fakenos binds in start() but calls listen() in its thread: wait for LISTEN state
    (read /proc/net/tcp*, so no probe connection reaches the SSH servers)."""
    want = {f"{p:04X}" for p in ports}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = set()
        for fn in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(fn, encoding="ascii") as f:
                    for row in f.readlines()[1:]:
                        cols = row.split()
                        if cols[3] == "0A":  # TCP_LISTEN
                            seen.add(cols[1].rsplit(":", 1)[1])
            except FileNotFoundError:
                pass
        if want <= seen:
            return True
        time.sleep(0.01)
    return False


def _quiet_excepthook(args: threading.ExceptHookArgs) -> None:
    # fakenos' connection thread raises AttributeError ('NoneType' ... 'makefile') when a
    # client fails authentication or disconnects before opening a channel: harmless.
    if args.exc_type is AttributeError and "makefile" in str(args.exc_value):
        log.info("connection closed before a shell channel was opened (failed login?)")
        return
    threading.__excepthook__(args)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lab_yaml")
    ap.add_argument("--address", default=None, help="listen address (default: from YAML or 127.0.0.1)")
    ap.add_argument("--ready-file", default=None, help="write this file once all ports listen")
    ap.add_argument("--log-level", default="WARNING")
    args = ap.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    t0 = time.monotonic()
    lab_path = Path(args.lab_yaml).resolve()
    with open(lab_path, encoding="utf-8") as f:
        lab = yaml.safe_load(f)
    address = args.address or lab.get("address", "127.0.0.1")
    inventory = build_inventory(lab, lab_path.parent, address)

    stop = threading.Event()

    def _on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # kill -USR1 PID: dump stacks

    threading.excepthook = _quiet_excepthook
    _speed_up_plugin_loading()
    t_init = time.monotonic()
    net = FakeNOS(inventory=inventory)
    # Host.start() looks the shell class up in this per-instance dict; the inventory
    # schema only accepts plugin "CMDShell", so swap the class behind that name.
    net.shell_plugins["CMDShell"] = LabShell
    net.servers_plugins["ParamikoSshServer"] = ExclusiveSshServer
    t_start = time.monotonic()
    try:
        net.start()
    except OSError as e:
        print(f"ERROR: cannot listen: {e}", file=sys.stderr)
        stop_all(net)
        return 2
    if not wait_listening([h.port for h in net.hosts.values()]):
        print("ERROR: ports not listening after 5 s", file=sys.stderr)
        stop_all(net)
        return 2
    ready_s = time.monotonic() - t0
    msg = (
        f"READY {len(net.hosts)} devices in {ready_s:.3f}s "
        f"(inventory {t_init - t0:.3f}s, FakeNOS() {t_start - t_init:.3f}s, start+listen "
        f"{time.monotonic() - t_start:.3f}s): "
    ) + ", ".join(
        f"{h.name}={address}:{h.port}" for h in net.hosts.values()
    )
    print(msg, flush=True)
    if args.ready_file:
        Path(args.ready_file).write_text(f"{os.getpid()} {ready_s:.3f}\n")

    try:
        while not stop.wait(0.5):
            pass
    finally:
        t1 = time.monotonic()
        stop_all(net)
        # fakenos joins its threads with a ~2 s bound; a per-connection reader thread can
        # linger up to 10 s (it waits on an Event with timeout=10). Wait for all of them so
        # nothing is left behind, then report.
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            others = [t for t in threading.enumerate() if t is not threading.main_thread()]
            if not others:
                break
            time.sleep(0.1)
        others = [t for t in threading.enumerate() if t is not threading.main_thread()]
        print(
            f"STOPPED in {time.monotonic() - t1:.3f}s, leftover threads: {len(others)}",
            flush=True,
        )
        if args.ready_file:
            try:
                os.unlink(args.ready_file)
            except FileNotFoundError:
                pass
        if others:
            # never hang on exit: non-daemon threads would keep the interpreter alive
            print("leftover threads: " + ", ".join(t.name for t in others), file=sys.stderr, flush=True)
            os._exit(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
