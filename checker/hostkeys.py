"""Host identity: zicha talks only to hosts whose SSH host key it already knows.

Every SSH connection zicha makes checks the host key against a known_hosts file: Ansible's ssh connection
(`StrictHostKeyChecking=yes`, set where the inventory cannot weaken it) and netmiko's login to network devices
(`ssh_strict`, paramiko's RejectPolicy, the same file). An unknown or changed key ends the connection during
key exchange, before any credential is sent; every rule of that host is then `error`, and the reason shows the
fingerprint the host presented. `zicha trust HOST…` records keys on first use, after showing them.

The known_hosts file of a host is `zicha_known_hosts` (default ~/.ssh/known_hosts, OpenSSH's own), rendered by
Ansible like any variable; gather.yml puts it first on ssh's command line, where no inventory setting can weaken it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import proc
from checker.errors import HostKeyError, InventoryError


DEFAULT_FILE = "~/.ssh/known_hosts"

#: The ssh argument variables Ansible reads (and their option spellings) that could weaken host key checking.
SSH_ARG_VARS = ("ansible_ssh_args", "ansible_ssh_common_args", "ansible_ssh_extra_args")
_WEAK_OPTION = re.compile(r"(?i)^(StrictHostKeyChecking)\s*[= ]\s*(no|off|false|accept-new)$|"
                          r"^(UserKnownHostsFile|GlobalKnownHostsFile)\s*[= ]\s*/dev/null$")


def _options(args: str) -> list[str]:
    """The -o options of an ssh argument string ('-o A=B', '-oA=B')."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    out, i = [], 0
    while i < len(words):
        w = words[i]
        if w == "-o" and i + 1 < len(words):
            out.append(words[i + 1])
            i += 2
            continue
        if w.startswith("-o") and len(w) > 2:
            out.append(w[2:])
        i += 1
    return out


def check_connection_vars(name: str, hv: dict[str, Any]) -> None:
    """Refuse inventory settings that would make zicha accept any host key."""
    for var in ("ansible_host_key_checking", "ansible_ssh_host_key_checking"):
        if var in hv and str(hv[var]).strip().lower() in ("false", "no", "0", "off"):
            raise InventoryError(f"host {name}: {var}: false would let anyone answering at its address feed zicha "
                                 "facts and receive its credentials; zicha always checks host keys (record them "
                                 "with `zicha trust`)")
    for var in SSH_ARG_VARS:
        val = hv.get(var)
        if not isinstance(val, str):
            continue
        for opt in _options(val):
            if _WEAK_OPTION.match(opt.strip()):
                raise InventoryError(f"host {name}: {var} sets {opt.strip()}: zicha always checks host keys "
                                     "(record them with `zicha trust`)")
    if str(hv.get("ansible_connection", "")).split(".")[-1] in ("paramiko", "paramiko_ssh"):
        raise InventoryError(f"host {name}: ansible_connection paramiko is not supported (it cannot check host "
                             "keys without a terminal); use ssh")
    if str(hv.get("ansible_winrm_server_cert_validation", "")).strip().lower() == "ignore":
        raise InventoryError(f"host {name}: ansible_winrm_server_cert_validation: ignore would accept any server; "
                             "give the CA (ansible_winrm_ca_trust_path) instead")


def known_hosts_file(name: str, hv: dict[str, Any]) -> None:
    """zicha checks SSH and device logins against one known_hosts file per host, `zicha_known_hosts` (default
    ~/.ssh/known_hosts), and puts it first on ssh's command line. A UserKnownHostsFile in the host's own ssh
    arguments would then be silently ignored: refuse it and say what to write instead."""
    if hv.get("zicha_known_hosts"):
        return
    for var in SSH_ARG_VARS:
        val = hv.get(var)
        if isinstance(val, str):
            for opt in _options(val):
                if re.match(r"(?i)^UserKnownHostsFile\b", opt.strip()):
                    raise InventoryError(f"host {name}: {var} names UserKnownHostsFile; set zicha_known_hosts to "
                                         "that file instead (zicha checks SSH and device logins against it)")


def expand(path: str) -> Path:
    return Path(os.path.expandvars(os.path.expanduser(path)))


# -- keys ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostKey:
    host: str  # as known_hosts spells it: name, or [name]:port
    type: str  # ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa
    blob: str  # base64

    @property
    def fingerprint(self) -> str:
        raw = base64.b64decode(self.blob.encode())
        return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")

    def line(self) -> str:
        return f"{self.host} {self.type} {self.blob}"

    def __str__(self) -> str:
        return f"{self.type} {self.fingerprint}"


def spelled(address: str, port: int) -> str:
    """How known_hosts names a host: `name` on port 22, `[name]:port` otherwise."""
    return address if int(port) == 22 else f"[{address}]:{int(port)}"


def _parse_lines(text: str, host: str | None = None) -> list[HostKey]:
    keys = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if parts[0].startswith("@"):  # @cert-authority / @revoked markers
            continue
        if len(parts) < 3:
            continue
        try:
            base64.b64decode(parts[2].encode(), validate=True)
        except ValueError:
            continue
        keys.append(HostKey(host or parts[0], parts[1], parts[2]))
    return keys


def scan(address: str, port: int = 22, timeout: int = 5) -> list[HostKey]:
    """The keys a host presents (ssh-keyscan: key exchange only, no credential is sent)."""
    exe = shutil.which("ssh-keyscan")
    if not exe:
        raise HostKeyError("ssh-keyscan is not installed (Debian: openssh-client)")
    done = proc.run([exe, "-T", str(timeout), "-p", str(int(port)), address], timeout=timeout * 4 + 5,
                    max_output=1 << 20)
    keys = _parse_lines(done.stdout.decode("utf-8", "replace"), spelled(address, port))
    if not keys:
        raise HostKeyError(f"{spelled(address, port)}: no host key could be read (the host does not answer SSH)")
    return sorted(set(keys), key=lambda k: k.type)


def known(path: str, address: str, port: int = 22) -> list[HostKey]:
    """The keys a known_hosts file holds for a host (hashed names included: ssh-keygen -F)."""
    f = expand(path)
    if not f.is_file():
        return []
    exe = shutil.which("ssh-keygen")
    if not exe:
        raise HostKeyError("ssh-keygen is not installed (Debian: openssh-client)")
    done = proc.run([exe, "-F", spelled(address, port), "-f", str(f)], timeout=30, max_output=1 << 20)
    return _parse_lines(done.stdout.decode("utf-8", "replace"), spelled(address, port))


HOST_KEY_FAILURE = re.compile(r"(?i)host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|"
                              r"not found in known_hosts|host key .*(?:unknown|changed|does not match)|"
                              r"No \S+ host key is known")


def diagnose(address: str, port: int, path: str) -> str:
    """Why a host's key was refused, with the fingerprints presented and known (for the error's reason)."""
    try:
        presented = scan(address, port)
    except HostKeyError as e:
        presented_text = f"its key could not be read again ({e})"
        presented = []
    else:
        presented_text = "it presents " + ", ".join(map(str, presented))
    try:
        have = known(path, address, port)
    except HostKeyError:
        have = []
    if not have:
        return (f"host key unknown (主机密钥未知): {path} holds no key for {spelled(address, port)}; "
                f"{presented_text}. No credential was sent. If this is the right host: zicha trust")
    same = {(k.type, k.blob) for k in presented} & {(k.type, k.blob) for k in have}
    if presented and not same:
        return (f"host key CHANGED (主机密钥已改变): {path} holds {', '.join(map(str, have))} for "
                f"{spelled(address, port)}, {presented_text}. No credential was sent. Find out why before "
                "trusting it again (zicha trust --replace)")
    return (f"host key refused (主机密钥核验失败) for {spelled(address, port)} against {path}; {presented_text}; "
            "no credential was sent")


def add(path: str, keys: list[HostKey], replace: bool = False) -> Path:
    """Append keys to a known_hosts file (mode 0600; its folder 0700); `replace` first drops the host's old
    keys (ssh-keygen -R)."""
    try:
        return _add(expand(path), keys, replace)
    except OSError as e:
        raise HostKeyError(f"{path}: cannot record the keys: {e.strerror or e}") from None


def _add(f: Path, keys: list[HostKey], replace: bool) -> Path:
    f.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if replace and f.is_file():
        for host in {k.host for k in keys}:
            proc.run(["ssh-keygen", "-R", host, "-f", str(f)], timeout=30)
        old = f.with_name(f.name + ".old")
        if old.exists():
            old.unlink()
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        for k in keys:
            out.write(k.line() + "\n")
    return f


# -- trust on first use, on purpose -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    host: str
    address: str
    port: int
    known_hosts: str
    presented: tuple[HostKey, ...]
    recorded: tuple[HostKey, ...]

    @property
    def state(self) -> str:  # known | unknown | changed
        if not self.recorded:
            return "unknown"
        same = {(k.type, k.blob) for k in self.presented} & {(k.type, k.blob) for k in self.recorded}
        return "known" if same else "changed"


def standing(host: str, endpoint: dict[str, Any]) -> Standing:
    address, port = str(endpoint["address"]), int(endpoint.get("port") or 22)
    path = str(endpoint["known_hosts"])
    return Standing(host, address, port, path, tuple(scan(address, port)), tuple(known(path, address, port)))
