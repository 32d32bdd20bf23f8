"""A real SSH server for the tests (paramiko's server side) that answers key exchange and records every login
attempt, then refuses it. It stands for "whoever answers at a host's address": an impostor whose host key is
not the one on record."""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass, field

import paramiko


@dataclass
class Attempts:
    logins: list[tuple[str, str]] = field(default_factory=list)  # (user, method)
    secrets: list[str] = field(default_factory=list)  # passwords received (must stay empty)


class _Server(paramiko.ServerInterface):
    def __init__(self, attempts: Attempts, accept: bool = False):
        self.attempts = attempts
        self.accept = accept  # let every login in (to fail later: a dropped session, a garbage shell)

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED if self.accept else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel, command) -> bool:
        return self.accept

    def check_channel_shell_request(self, channel) -> bool:
        return self.accept

    def check_channel_pty_request(self, *a) -> bool:
        return self.accept

    def get_allowed_auths(self, username: str) -> str:
        return "password,publickey"

    def check_auth_password(self, username: str, password: str) -> int:
        self.attempts.logins.append((username, "password"))
        self.attempts.secrets.append(password)
        return paramiko.AUTH_SUCCESSFUL if self.accept else paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        self.attempts.logins.append((username, "publickey"))
        return paramiko.AUTH_SUCCESSFUL if self.accept else paramiko.AUTH_FAILED

    def check_auth_none(self, username: str) -> int:
        self.attempts.logins.append((username, "none"))
        return paramiko.AUTH_FAILED


class SshPeer:
    """An SSH server on 127.0.0.1 with its own Ed25519 host key; a context manager.

    mode: "refuse" every login; "drop" the connection once a login asks to run something (an SSH session
    dropped mid-gather); "garbage": a shell that answers every line with noise and never a prompt (a device
    answering garbage)."""

    def __init__(self, mode: str = "refuse") -> None:
        self.mode = mode
        logging.getLogger("paramiko").setLevel(logging.CRITICAL)  # ssh-keyscan asks for every key type
        self.key = paramiko.Ed25519Key.from_private_key(_fresh_ed25519())
        self.attempts = Attempts()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def known_hosts_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.key.get_name()} {self.key.get_base64()}"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        t = paramiko.Transport(conn)
        t.add_server_key(self.key)
        try:
            t.start_server(server=_Server(self.attempts, accept=self.mode != "refuse"))
            chan = t.accept(20)
            if chan is not None and self.mode == "drop":
                time.sleep(0.3)
                conn.shutdown(socket.SHUT_RDWR)  # gone mid-session, no exit status
            elif chan is not None and self.mode == "garbage":
                chan.settimeout(60)
                noise = b"\x1b[2J\x00\xff\xfe%%!!@@ ~~~ \x07garbage\r\n"
                chan.send(noise)
                while True:
                    data = chan.recv(4096)
                    if not data:
                        break
                    chan.send(noise * 3)
        except Exception:  # noqa: BLE001 - a client that leaves mid-handshake
            pass
        finally:
            t.close()

    def __enter__(self) -> "SshPeer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=5)


def _fresh_ed25519():
    import io

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
    return io.StringIO(pem.decode())


def other_key_line(port: int) -> str:
    """A known_hosts line for the same address with somebody else's key (the one on record)."""
    k = paramiko.Ed25519Key.from_private_key(_fresh_ed25519())
    return f"[127.0.0.1]:{port} {k.get_name()} {k.get_base64()}"
