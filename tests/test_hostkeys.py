"""Host identity: zicha talks only to hosts whose SSH key is on record.

An impostor answers at a host's address (a real SSH server with another key). zicha must stop during key
exchange: every rule of that host is `error`, the reason shows the key presented, and no login attempt, let
alone a password, reaches the impostor.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT, run_zicha, write_inventory
from tests.sshpeer import SshPeer, other_key_line

pytestmark = pytest.mark.integration

PLANTED = "Planted-Login#Secret-7731"


def _client_key(tmp_path):
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    return key


def fingerprint(known_hosts_line: str) -> str:
    """OpenSSH's own SHA256 fingerprint of a key (ssh-keygen -lf)."""
    return subprocess.run(["ssh-keygen", "-lf", "-"], input=known_hosts_line, text=True, capture_output=True,
                          check=True).stdout.split()[1]


def _audit(tmp_path, hosts):
    inv = write_inventory(tmp_path / "inventory.yml", hosts)
    out = tmp_path / "out"
    p = run_zicha("audit", "--inventory", str(inv), "--out", str(out), "--format", "json", "--no-bundle")
    return p, out


def test_a_changed_host_key_stops_the_audit_of_that_host_before_any_login(tmp_path):
    with SshPeer() as impostor:
        known = tmp_path / "known_hosts"
        known.write_text(other_key_line(impostor.port) + "\n")  # the real host's key, on record
        hosts = {
            "srv-1": {"ansible_host": "127.0.0.1", "ansible_port": impostor.port, "ansible_user": "root",
                      "ansible_ssh_private_key_file": str(_client_key(tmp_path)),
                      "zicha_known_hosts": str(known), "zicha_role": "server", "zicha_zone": "office"},
            "sw-1": {"ansible_host": "127.0.0.1", "ansible_port": impostor.port, "ansible_user": "admin",
                     "ansible_password": PLANTED, "zicha_known_hosts": str(known), "zicha_role": "switch",
                     "zicha_platform": "huawei_vrp", "zicha_zone": "office"},
        }
        p, out = _audit(tmp_path, hosts)
    assert p.returncode == 1, p.stderr
    results = json.loads((out / "results.json").read_text())["results"]
    for host in ("srv-1", "sw-1"):
        mine = [r for r in results if r["host"] == host]
        assert mine and {r["status"] for r in mine} == {"error"}, host
        reason = mine[0]["message"]["en"]
        assert "CHANGED" in reason and fingerprint(impostor.known_hosts_line) in reason, reason
    assert impostor.attempts.logins == [], "a login reached a host whose key is not the one on record"
    assert impostor.attempts.secrets == []
    assert PLANTED not in p.stdout + p.stderr


def test_an_unknown_host_key_is_an_error_with_the_fingerprint_it_presents(tmp_path):
    with SshPeer() as stranger:
        known = tmp_path / "known_hosts"  # does not exist: nothing on record
        hosts = {"sw-1": {"ansible_host": "127.0.0.1", "ansible_port": stranger.port, "ansible_user": "admin",
                          "ansible_password": PLANTED, "zicha_known_hosts": str(known), "zicha_role": "switch",
                          "zicha_platform": "cisco_ios", "zicha_zone": "office"},
                 "srv-1": {"ansible_host": "127.0.0.1", "ansible_port": stranger.port, "ansible_user": "root",
                           "ansible_ssh_private_key_file": str(_client_key(tmp_path)),
                           "zicha_known_hosts": str(known), "zicha_role": "server", "zicha_zone": "office"}}
        p, out = _audit(tmp_path, hosts)
        fp = fingerprint(stranger.known_hosts_line)
    results = json.loads((out / "results.json").read_text())["results"]
    for host in ("sw-1", "srv-1"):
        mine = [r for r in results if r["host"] == host]
        assert {r["status"] for r in mine} == {"error"}
        assert "unknown" in mine[0]["message"]["en"] and fp in mine[0]["message"]["en"], mine[0]["message"]["en"]
    assert stranger.attempts.logins == []


def test_trust_records_a_key_after_showing_it_and_refuses_a_changed_one(tmp_path):
    with SshPeer() as host:
        known = tmp_path / "kh" / "known_hosts"
        inv = write_inventory(tmp_path / "inventory.yml", {
            "sw-1": {"ansible_host": "127.0.0.1", "ansible_port": host.port, "ansible_user": "admin",
                     "zicha_known_hosts": str(known), "zicha_role": "switch", "zicha_platform": "cisco_ios"}})
        fp = fingerprint(host.known_hosts_line)
        # without --yes and without a terminal nothing is recorded
        p = run_zicha("trust", "--inventory", str(inv))
        assert p.returncode == 1 and fp in p.stdout and not known.exists()
        p = run_zicha("trust", "--inventory", str(inv), "--yes")
        assert p.returncode == 0, p.stdout + p.stderr
        assert host.key.get_base64() in known.read_text()
        assert oct(known.stat().st_mode & 0o777) == "0o600"
        p = run_zicha("trust", "--inventory", str(inv), "--yes")
        assert p.returncode == 0 and "already trusted" in p.stdout
        known.write_text(other_key_line(host.port) + "\n")
        p = run_zicha("trust", "--inventory", str(inv), "--yes")
        assert p.returncode == 1 and "CHANGED" in p.stdout
        assert host.key.get_base64() not in known.read_text()
        p = run_zicha("trust", "--inventory", str(inv), "--yes", "--replace")
        assert p.returncode == 0 and host.key.get_base64() in known.read_text()
        assert len(known.read_text().strip().splitlines()) == 1
    assert host.attempts.logins == []


@pytest.mark.parametrize("var,value", [
    ("ansible_ssh_common_args", "-o StrictHostKeyChecking=no"),
    ("ansible_ssh_extra_args", "-oStrictHostKeyChecking=accept-new"),
    ("ansible_ssh_args", "-o UserKnownHostsFile=/dev/null"),
    ("ansible_host_key_checking", False),
    ("ansible_ssh_host_key_checking", "false"),
    ("ansible_ssh_common_args", "-o UserKnownHostsFile=/tmp/mine"),
])
def test_an_inventory_cannot_turn_host_key_checking_off(tmp_path, var, value):
    inv = write_inventory(tmp_path / "inventory.yml", {
        "srv-1": {"ansible_host": "10.9.9.9", var: value, "zicha_role": "server"}})
    p = run_zicha("audit", "--inventory", str(inv), "--out", str(tmp_path / "out"), "--no-bundle")
    assert p.returncode == 2 and "srv-1" in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_gathering_pins_host_key_checking_where_no_inventory_variable_reaches():
    play = (ROOT / "playbooks" / "gather.yml").read_text()
    assert "-o StrictHostKeyChecking=yes" in play and "ansible_host_key_checking: true" in play
