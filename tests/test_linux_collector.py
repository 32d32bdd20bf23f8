"""The Linux collector (the zicha.audit collection), run directly: hashes are checked on the host and never
come back. Tests hand it a fake host (tests/linux_host.py): a folder that stands for its `/`, and its programs."""

from __future__ import annotations

import ast
import ctypes
import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from ansible_collections.zicha.audit.plugins.module_utils import (
    zicha_accounts, zicha_firewall, zicha_logs, zicha_network, zicha_packages, zicha_snmp, zicha_system)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError, HostRun
from ansible_collections.zicha.audit.plugins.modules import linux_facts
from tests.conftest import ROOT
from tests.linux_host import FakeHost

COLLECTION = ROOT / "playbooks" / "collections" / "ansible_collections" / "zicha" / "audit"


def make_hash(password: str, prefix: str) -> str:
    """Hash as passwd/chpasswd would: a fresh salt from libcrypt for the scheme, then crypt_r."""
    lib = ctypes.CDLL("libcrypt.so.1")
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    lib.crypt_r.restype = ctypes.c_char_p
    lib.crypt_r.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
    setting = lib.crypt_gensalt(prefix.encode(), 0, None, 0)
    out = lib.crypt_r(password.encode(), setting, ctypes.create_string_buffer(32768)).decode()
    assert out.startswith(prefix), out
    return out


@pytest.fixture(scope="module")
def accounts_host(tmp_path_factory):
    """A host with a passwd/shadow pair."""
    host = FakeHost(tmp_path_factory.mktemp("host"))
    today = int(time.time() // 86400)
    users = {
        "root": ("!", 0),
        "ops": (make_hash("Kx9#vB2!qLm7", "$y$"), 1000),  # strong, yescrypt
        "kuaiji": (make_hash("Admin@123", "$y$"), 1001),  # weak list, yescrypt
        "zhangsan": (make_hash("zhangsan", "$6$"), 1002),  # own name, sha512crypt
        "legacy": (make_hash("xxjy2019", "$1$"), 1003),  # org name + year, md5crypt
        "guest": ("", 1004),  # empty
        "daemon": ("*", 1),
    }
    host.write("/etc/passwd", "".join(f"{u}:x:{uid}:{uid}::/home/{u}:/bin/bash\n" for u, (_, uid) in users.items()))
    host.write("/etc/shadow", "".join(f"{u}:{h}:{today - 10}:0:99999:7:::\n" for u, (h, _) in users.items()))
    host.users = users
    return host


@pytest.fixture(scope="module")
def checked(accounts_host):
    """The collector's verdicts on those accounts (yescrypt is slow on purpose: check once)."""
    return zicha_accounts.fact_accounts(accounts_host.run_for(PARAMS))


PARAMS = {"weak_passwords": ["123456", "Admin@123"], "org_names": ["xxjy"], "org_years": [2015, 2026]}


def test_weak_passwords_are_found_in_every_hash_scheme(checked):
    accounts = {a["name"]: a for a in checked}
    assert accounts["ops"]["weak"] is False and accounts["ops"]["scheme"] == "yescrypt"
    assert (accounts["kuaiji"]["weak"], accounts["kuaiji"]["weak_reason"]) == (True, "weak_list")
    assert (accounts["zhangsan"]["weak"], accounts["zhangsan"]["weak_reason"]) == (True, "same_as_username")
    assert accounts["zhangsan"]["scheme"] == "sha512crypt"
    assert (accounts["legacy"]["weak"], accounts["legacy"]["weak_reason"]) == (True, "org_name_year")
    assert (accounts["guest"]["password"], accounts["guest"]["weak"]) == ("empty", True)
    assert accounts["root"]["password"] == "none" and accounts["root"]["weak"] is None
    assert accounts["daemon"]["password"] == "none"


def test_no_hash_and_no_password_leaves_the_host(checked, accounts_host):
    doc = json.dumps(checked)
    for user, (h, _) in accounts_host.users.items():
        if len(h) > 2:
            assert h not in doc
            assert h.split("$")[-1] not in doc  # not even the digest part
    for secret in ("Admin@123", "xxjy2019", "Kx9#vB2!qLm7"):
        assert secret not in doc


def test_one_hash_on_two_hosts_has_one_fingerprint_the_device_parsers_share(accounts_host, tmp_path):
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

    key = os.urandom(32)
    other = FakeHost(tmp_path)
    other.write("/etc/passwd", (accounts_host.root / "etc" / "passwd").read_text())
    other.write("/etc/shadow", (accounts_host.root / "etc" / "shadow").read_text())
    params = {"share_key": key.hex()}
    here = {a["name"]: a for a in zicha_accounts.fact_accounts(accounts_host.run_for(params))}
    there = {a["name"]: a for a in zicha_accounts.fact_accounts(other.run_for(params))}
    assert here["ops"]["share_key"] == there["ops"]["share_key"] != here["kuaiji"]["share_key"]
    # the same keyed fingerprint a device's copy of that hash gets (one definition: zicha_fingerprint)
    assert here["ops"]["share_key"] == Judge(lambda u: [], key=key).fingerprint("hash", accounts_host.users["ops"][0])
    rekeyed = {a["name"]: a for a in zicha_accounts.fact_accounts(accounts_host.run_for({"share_key": "11" * 32}))}
    assert rekeyed["ops"]["share_key"] != here["ops"]["share_key"]  # the key dies with the run


def test_unreadable_shadow_is_an_error_not_an_empty_list(tmp_path):
    host = FakeHost(tmp_path)
    host.write("/etc/passwd", "root:x:0:0::/root:/bin/bash\n")
    facts = linux_facts.collect({}, host=host.run_for())["facts"]
    assert "value" not in facts["accounts"]
    assert facts["accounts"]["error"] == "/etc/shadow: no such file"


def test_unsupported_hash_scheme_is_reported_per_account(tmp_path):
    host = FakeHost(tmp_path)
    host.write("/etc/passwd", "odd:x:1005:1005::/home/odd:/bin/sh\n")
    host.write("/etc/shadow", "odd:$99$zzzz$abcdef:19000:0:99999:7:::\n")
    [odd] = zicha_accounts.fact_accounts(host.run_for(PARAMS))
    assert odd["weak"] is None and "not supported" in odd["error"]


def test_routes_and_interfaces_of_this_machine():
    facts = linux_facts.collect({"internet_probes": []})["facts"]
    ifaces = facts["interfaces"]["value"]
    assert any(i["name"] == "lo" and "127.0.0.1/8" in i["addresses"] for i in ifaces)
    assert all(isinstance(r["dst"], str) for r in facts["routes"]["value"])


def test_probe_of_a_closed_local_port_counts_as_answered():
    # 127.0.0.1:9 (discard) is closed here: the kernel answers with a reset, i.e. the target answered.
    probes = zicha_network.fact_probes(HostRun({"internet_probes": ["127.0.0.1:9"], "probe_timeout": 1}))
    assert probes[0]["result"] == "refused" and probes[0]["answered"] is True


def test_probe_targets_must_be_host_and_port():
    with pytest.raises(FactError):
        zicha_network.split_target("not a target:x")


def logrotate_of(host: FakeHost):
    default, blocks = {"rotate": None, "period": None, "maxage": None}, []
    zicha_logs.logrotate_blocks(host.run_for(), "/etc/logrotate.conf", default, blocks, set())
    return default, {f: b for b in blocks for f in b["files"]}


def test_logrotate_blocks_in_both_layouts(tmp_path):
    """`path {` on one line, and paths on lines of their own before the brace (Debian's rsyslog file)."""
    host = FakeHost(tmp_path)
    host.write("/etc/logrotate.conf", "weekly\nrotate 4\ninclude /etc/logrotate.d\n")
    host.write("/etc/logrotate.d/rsyslog", "/var/log/syslog\n/var/log/auth.log\n{\n\trotate 26\n\tweekly\n\tmissingok\n}\n")
    host.write("/etc/logrotate.d/dpkg", "/var/log/dpkg.log {\n\tmonthly\n\trotate 12\n}\n")
    host.write("/etc/logrotate.d/apt", "/var/log/apt/term.log {\n\tmissingok\n}\n")
    default, files = logrotate_of(host)
    assert (default["rotate"], default["period"]) == (4, "weekly")
    assert files["/var/log/syslog"]["rotate"] == 26 and files["/var/log/auth.log"]["period"] == "weekly"
    assert files["/var/log/syslog"]["source"] == "/etc/logrotate.d/rsyslog"  # the host's path, not the fake's
    assert files["/var/log/dpkg.log"]["period"] == "monthly"
    assert files["/var/log/apt/term.log"]["rotate"] is None  # falls back to the global rotate 4


def test_log_forwarding_names_each_target_and_whether_rsyslog_runs(tmp_path):
    """The platform-neutral fact SYSLOG-CENTRAL reads on every computer: rsyslog's legacy and action() forms."""
    host = FakeHost(tmp_path)
    host.write("/etc/rsyslog.conf", "*.* @@10.10.0.50:1514\n#*.* @10.9.9.9\n")
    host.write("/etc/rsyslog.d/60-audit.conf", 'auth.* action(type="omfwd" target="logs.example.gov.cn" port="514" '
                                               'protocol="udp")\n')
    stopped = zicha_logs.fact_log_forwarding(host.run_for())["targets"]
    assert [(t["host"], t["port"], t["proto"], t["running"]) for t in stopped] == \
        [("10.10.0.50", 1514, "tcp", False), ("logs.example.gov.cn", 514, "udp", False)]
    host.process(1, "rsyslogd")
    assert all(t["running"] and t["via"] == "rsyslogd" for t in zicha_logs.fact_log_forwarding(host.run_for())["targets"])


# ---------------------------------------------------------------- the host firewall


def nft_json(chains=(), rules=()):
    """`nft -j list ruleset` output: chains (family, table, name, hook, policy), rules (family, table, chain,
    expr), in the shapes nft 1.0 prints."""
    items = [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]
    for fam, table, name, hook, policy in chains:
        items.append({"chain": {"family": fam, "table": table, "name": name, "handle": 1, "type": "filter",
                                "hook": hook, "prio": 0, "policy": policy}})
    for i, (fam, table, chain, expr) in enumerate(rules):
        items.append({"rule": {"family": fam, "table": table, "chain": chain, "handle": 10 + i, "expr": expr}})
    return json.dumps({"nftables": items})


NFT = ("nft", "-j", "list", "ruleset")
ESTABLISHED = [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}},
               {"accept": None}]


def firewall(tmp_path, programs, files=None, processes=()):
    """The host_firewall fact of a host with these programs, files and running processes (no ufw or firewalld
    configuration unless given)."""
    host = FakeHost(tmp_path, programs)
    for path, text in (files or {}).items():
        host.write(path, text)
    for pid, name in enumerate(processes, 100):
        host.process(pid, name)
    return zicha_firewall.fact_host_firewall(host.run_for())


def test_ip6_only_drop_does_not_make_ipv4_default_deny(tmp_path):
    fw = firewall(tmp_path, {NFT: (0, nft_json([("ip6", "t6", "input", "input", "drop"),
                                                ("ip", "t4", "input", "input", "accept"),
                                                ("ip6", "t6", "fwd", "forward", "drop")]), "")})
    assert fw["families"]["ipv6"] == {"input": "drop", "forward": "drop"}
    assert fw["families"]["ipv4"] == {"input": "accept", "forward": "none"}
    assert (fw["input_default"], fw["forward_default"]) == ("accept", "none")


def test_ip6tables_drop_does_not_count_for_ipv4(tmp_path):
    fw = firewall(tmp_path, {
        ("iptables", "-S"): (0, "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n", ""),
        ("ip6tables", "-S"): (0, "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n", ""),
    })
    assert fw["input_default"] == "accept" and fw["families"]["ipv6"]["input"] == "drop"


def test_ufw_configuration_does_not_outweigh_the_live_ruleset(tmp_path):
    fw = firewall(tmp_path, {("iptables", "-S"): (0, "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n", "")},
                  {"/etc/ufw/ufw.conf": "ENABLED=yes\n", "/etc/default/ufw": 'DEFAULT_INPUT_POLICY="DROP"\n'})
    assert fw["ufw"] == {"enabled": True, "input_policy": "drop"}  # shown as evidence
    assert fw["input_default"] == "accept"


def test_a_ruleset_that_cannot_be_listed_is_an_error(tmp_path):
    with pytest.raises(FactError, match="iptables -S: rc 4"):
        firewall(tmp_path, {
            NFT: (0, nft_json([("inet", "host", "input", "input", "drop")]), ""),
            ("iptables", "-S"): (4, "", "iptables v1.8.9 (legacy): can't initialize iptables table `filter': "
                                        "Permission denied (you must be root)\n"),
        })


def test_catch_all_rules_decide_over_the_chain_policy(tmp_path):
    # firewalld's chain accepts by policy and rejects what its zones did not accept: default deny;
    # a drop policy behind an `accept` that takes every packet is no default deny
    reject = [{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}]
    fw = firewall(tmp_path, {NFT: (0, nft_json(
        [("inet", "firewalld", "filter_INPUT", "input", "accept"), ("ip", "filter", "FORWARD", "forward", "drop")],
        [("inet", "firewalld", "filter_INPUT", ESTABLISHED),
         ("inet", "firewalld", "filter_INPUT", [{"jump": {"target": "filter_INPUT_ZONES"}}]),
         ("inet", "firewalld", "filter_INPUT", reject),
         ("ip", "filter", "FORWARD", [{"counter": {"packets": 0, "bytes": 0}}, {"accept": None}])]), "")})
    assert (fw["input_default"], fw["forward_default"]) == ("drop", "accept")
    assert fw["families"]["ipv6"] == {"input": "drop", "forward": "none"}


def test_iptables_accept_all_rule_defeats_a_drop_policy(tmp_path):
    fw = firewall(tmp_path, {
        ("iptables", "-S"): (0, "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n"
                                "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
                                '-A INPUT -m comment --comment "let all in" -j ACCEPT\n', ""),
    })
    assert (fw["input_default"], fw["forward_default"]) == ("accept", "drop")
    assert fw["iptables"]["iptables"]["rules"] == 2


@pytest.mark.parametrize("running, expected", [(["firewalld"], "accept"), ([], "drop")])
def test_firewalld_default_zone_accepting_everything_is_not_default_deny(tmp_path, running, expected):
    # the zone's ACCEPT counts only where firewalld runs (a process in /proc)
    fw = firewall(tmp_path, {NFT: (0, nft_json(
        [("inet", "firewalld", "filter_INPUT", "input", "accept")],
        [("inet", "firewalld", "filter_INPUT", [{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}])]), "")},
        {"/etc/firewalld/firewalld.conf": "DefaultZone=trusted\n",
         "/usr/lib/firewalld/zones/trusted.xml": '<?xml version="1.0"?>\n<zone target="ACCEPT"></zone>\n'},
        processes=running + ["sshd"])
    assert fw["firewalld"] == {"running": bool(running), "default_zone": "trusted", "target": "accept"}
    assert fw["input_default"] == expected


# ---------------------------------------------------------------- updates, logs, addressing, USB, sockets

APT = ("apt-get", "-s", "-o", "Debug::NoLocking=1", "-o", "APT::Get::Show-User-Simulation-Note=false", "dist-upgrade")
DNF = ("dnf", "-q", "-C", "--noplugins", "updateinfo", "list", "--security")


def test_apt_without_package_lists_is_an_error(tmp_path):
    host = FakeHost(tmp_path, {APT: (0, "", "")})
    host.write("/var/lib/apt/lists/lock", "")
    with pytest.raises(FactError, match="no package lists"):
        zicha_packages.fact_updates(host.run_for())
    assert host.ran == []  # no simulation against no repository


APT_OUT = ("Reading package lists...\nBuilding dependency tree...\nReading state information...\n"
           "Calculating upgrade...\nThe following packages will be upgraded:\n  libc6 tzdata\n"
           "2 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"
           "Inst libc6 [2.36-9] (2.36-9+deb12u4 Debian-Security:12/stable-security [amd64])\n"
           "Inst tzdata (2024a-0+deb12u1 Debian:12.5/stable [all])\n"
           "Conf libc6 (2.36-9+deb12u4 Debian-Security:12/stable-security [amd64])\n"
           "Conf tzdata (2024a-0+deb12u1 Debian:12.5/stable [all])\n")


def test_apt_security_updates_are_told_from_the_others(tmp_path):
    host = FakeHost(tmp_path, {APT: (0, APT_OUT, "")})
    host.write("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "")
    got = zicha_packages.fact_updates(host.run_for())
    assert (got["manager"], got["pending"], got["security"]) == ("apt", 2, ["libc6"])


def test_apt_counts_a_downgrade_as_an_install(tmp_path):
    host = FakeHost(tmp_path, {APT: (0, APT_OUT.replace("2 upgraded, 0 newly installed, ",
                                                        "1 upgraded, 0 newly installed, 1 downgraded, "), "")})
    host.write("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "")
    assert zicha_packages.fact_updates(host.run_for())["pending"] == 2


@pytest.mark.parametrize("out, why", [
    ("", "no summary line"),  # apt printed nothing: not "nothing to install"
    (APT_OUT.split("2 upgraded")[0], "no summary line"),  # cut before its count
    (APT_OUT.replace("Inst tzdata", "Ins tzdata"), "2 packages to install, 1 Inst lines"),  # a line not read
    (APT_OUT.replace("2 upgraded, 0 newly installed, ", "1 upgraded, 0 newly installed, 2 downgraded, "),
     "3 packages to install, 2 Inst lines"),
])
def test_apt_output_not_read_whole_is_unknown_not_up_to_date(tmp_path, out, why):
    host = FakeHost(tmp_path, {APT: (0, out, "")})
    host.write("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "")
    with pytest.raises(FactError, match=why):
        zicha_packages.fact_updates(host.run_for())


def test_dnf_without_metadata_cache_is_an_error(tmp_path):
    host = FakeHost(tmp_path, {DNF: (0, "", "")})
    with pytest.raises(FactError, match="no dnf metadata cache"):
        zicha_packages.fact_updates(host.run_for())
    host.write("/var/cache/dnf/openEuler-update.solv", "")
    assert zicha_packages.fact_updates(host.run_for())["lists_age_days"] == 0.0


def test_log_retention_is_cut_by_maxage(tmp_path):
    host = FakeHost(tmp_path)
    host.write("/etc/logrotate.conf", "weekly\nrotate 4\ninclude /etc/logrotate.d\n")
    host.write("/etc/logrotate.d/rsyslog",
               "/var/log/syslog {\n\trotate 52\n\tweekly\n\tmaxage 30\n}\n/var/log/auth.log {\n\trotate 26\n}\n")
    files = zicha_logs.fact_logging(host.run_for())["logrotate"]["files"]
    assert (files["/var/log/syslog"]["days"], files["/var/log/syslog"]["maxage"]) == (30, 30)
    assert files["/var/log/auth.log"]["days"] == 182  # 26 weekly rotations kept, the global period


def test_log_rotated_by_size_only_keeps_an_unknown_span(tmp_path):
    # no period in the file nor in logrotate.conf: logrotate rotates by size only, never assume weekly
    host = FakeHost(tmp_path)
    host.write("/etc/logrotate.conf", "rotate 52\ninclude /etc/logrotate.d\n")
    host.write("/etc/logrotate.d/rsyslog", "/var/log/syslog\n{\n\tmissingok\n}\n/var/log/auth.log {\n\tweekly\n\tsize 100M\n}\n")
    files = zicha_logs.fact_logging(host.run_for())["logrotate"]["files"]
    assert files["/var/log/syslog"]["period"] is None and files["/var/log/syslog"]["days"] is None
    assert files["/var/log/auth.log"]["period"] == "size" and files["/var/log/auth.log"]["days"] is None


class Refusing(HostRun):
    """A run on a host that refuses one file, the way a non-root login is refused (root reads every mode)."""

    def open(self, path):
        if path.endswith("wifi.nmconnection"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return super().open(path)


def test_unreadable_networkmanager_connection_is_an_error(tmp_path):
    host = FakeHost(tmp_path)
    host.write("/etc/NetworkManager/system-connections/office.nmconnection", "[connection]\nid=office\ninterface-name=eth0\n[ipv4]\nmethod=manual\n")
    host.write("/etc/NetworkManager/system-connections/wifi.nmconnection", "[connection]\nid=wifi\n[ipv4]\nmethod=auto\n")
    with pytest.raises(FactError, match="wifi.nmconnection: permission denied"):
        zicha_network.fact_network_config(host.run_for(cls=Refusing))
    got = zicha_network.fact_network_config(host.run_for())
    assert [r["interface"] for r in got["dhcp"]] == ["wifi.nmconnection"]  # no interface-name: the file's
    assert [r["interface"] for r in got["static"]] == ["eth0"]


def test_usb_storage_built_in_or_not_is_unknown_without_modules_builtin(tmp_path):
    with pytest.raises(FactError, match="built into kernel 6.1.0-zicha-test"):
        zicha_system.fact_usb_storage(FakeHost(tmp_path).run_for())


def test_usb_storage_built_in_read_from_modules_builtin_or_kernel_config(tmp_path):
    host = FakeHost(tmp_path)
    host.write(f"/boot/config-{host.kernel}", "CONFIG_USB_STORAGE=y\nCONFIG_USB_UAS=m\n")
    host.write("/etc/modprobe.d/usb.conf", "install usb-storage /bin/false\n")
    usb = zicha_system.fact_usb_storage(host.run_for())
    assert (usb["usb_storage"]["builtin"], usb["uas"]["builtin"]) == (True, False)
    assert usb["usb_storage"]["install_blocks"] and usb["usb_storage"]["files"] == ["/etc/modprobe.d/usb.conf"]
    host.write(f"/lib/modules/{host.kernel}/modules.builtin", "kernel/drivers/usb/storage/uas.ko\n")
    usb = zicha_system.fact_usb_storage(host.run_for())  # modules.builtin is read first
    assert (usb["usb_storage"]["builtin"], usb["uas"]["builtin"]) == (False, True)


def test_unreadable_socket_table_is_an_error_not_nothing_listening(tmp_path):
    host = FakeHost(tmp_path)
    for name in ("udp", "tcp6", "udp6"):
        host.write(f"/proc/net/{name}", "  sl  local_address rem_address   st\n")
    with pytest.raises(FactError, match="/proc/net/tcp: no such file"):
        zicha_network.fact_listening(host.run_for())


TCP_HEADER = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n")


def test_listening_sockets_with_their_process(tmp_path):
    host = FakeHost(tmp_path)
    host.write("/proc/net/tcp", TCP_HEADER +
               "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n"
               "   1: 0100007F:0277 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1\n")
    host.write("/proc/net/udp", TCP_HEADER)
    host.process(77, "sshd")
    (tmp_path / "proc" / "77" / "fd").mkdir()
    (tmp_path / "proc" / "77" / "fd" / "3").symlink_to("socket:[4242]")
    got = zicha_network.fact_listening(host.run_for())  # no tcp6/udp6: a kernel without IPv6
    assert got == [{"proto": "tcp", "address": "0.0.0.0", "port": 22, "process": "sshd"}]


class Recording(HostRun):
    """A run that records every file it opens."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.opened: list[str] = []

    def open(self, path):
        self.opened.append(path)
        return super().open(path)


def test_processes_are_scanned_once_per_run_and_command_lines_never_read(tmp_path):
    host = FakeHost(tmp_path)
    for pid, name in ((1, "systemd"), (300, "chronyd"), (301, "rsyslogd"), (302, "auditd"), (303, "clamd")):
        host.process(pid, name)
    host.process(2, "kthreadd", flags=0x208040)  # a kernel thread
    host.process(304, "ntpd", state="Z")  # a zombie: ended
    run = host.run_for(cls=Recording)
    facts = linux_facts.collect({}, host=run)["facts"]
    assert facts["time_sync"]["value"]["daemons"] == ["chronyd"]
    assert facts["auditd"]["value"]["running"] is True and facts["logging"]["value"]["daemons"] == ["rsyslogd"]
    assert [p["product"] for p in facts["antivirus"]["value"]["products"]] == ["ClamAV"]
    assert run.opened.count("/proc/300/stat") == 1  # six facts read the process list: one scan
    assert not [p for p in run.opened if p.endswith("/cmdline")]
    again = host.run_for(cls=Recording)
    linux_facts.collect({}, host=again)
    assert again.opened.count("/proc/300/stat") == 1  # a new run reads the processes again
    with open("/proc/self/comm") as f:
        assert f.read().strip() in HostRun().processes()  # this test's own process, by its name


def test_default_communities_are_one_list_for_hosts_and_devices(tmp_path):
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

    host = FakeHost(tmp_path)
    host.write("/etc/snmp/snmpd.conf", "rocommunity huawei\nrwcommunity H3C 10.0.0.0/8\nrocommunity Kx9vB2qLm7\n"
                                       "com2sec notConfigUser default Admin@123\n")
    got = zicha_snmp.fact_snmpd(host.run_for({"weak_passwords": ["Admin@123"]}))
    assert [(c["access"], c["default"]) for c in got["communities"]] == [
        ("read", True), ("write", True), ("read", False), ("read", True)]
    judge = Judge(lambda u: [])
    assert judge.community("cisco", "snmp-server community huawei RO")["default"] is True
    assert judge.community("cisco", "snmp-server community Kx9vB2qLm7 RO")["default"] is False


def test_facts_no_rule_reads_are_not_collected():
    # sshd, dns and processes: no rule reads them (and process names stay inside the module)
    assert {k for k, _, _ in linux_facts.FACTS}.isdisjoint({"sshd", "dns", "processes"})


def test_module_parameters_are_the_ones_the_playbook_passes():
    play = yaml.safe_load((ROOT / "playbooks" / "gather.yml").read_text(encoding="utf-8"))
    [task] = [t for p in play for t in p.get("tasks", []) if "zicha.audit.linux_facts" in t]
    assert set(task["zicha.audit.linux_facts"]) == set(linux_facts.ARGUMENT_SPEC)  # weak_passwords: not passed
    spec = linux_facts.ARGUMENT_SPEC
    assert spec["candidates_json"]["no_log"] is True and spec["share_key"]["no_log"]
    params = linux_facts.module_params({"candidates_json": '["Admin@123", "口令"]', "org_names": []})
    assert params["weak_passwords"] == ["Admin@123", "口令"] and "candidates_json" not in params
    assert linux_facts.module_params({"candidates_json": None})["weak_passwords"] == []
    docs = yaml.safe_load(linux_facts.DOCUMENTATION)
    assert docs["module"] == "linux_facts" and set(docs["options"]) == set(spec)


def test_gather_removes_the_key_and_candidate_files_when_it_fails_early(tmp_path, monkeypatch):
    from checker import gather
    from checker.models import Host

    def broken(params):
        raise KeyError("probe_timeout_seconds")

    monkeypatch.setattr(gather, "collector_params", broken)
    with pytest.raises(KeyError):
        gather.run([Host("pc1", "linux", "terminal", "office")], tmp_path / "inv.yml", {}, tmp_path / "work")
    assert not (tmp_path / "work" / ".share-key").exists()
    assert not (tmp_path / "work" / ".candidates.json").exists()


# ---------------------------------------------------------------- the collection

COLLECTION_FILES = sorted(COLLECTION.rglob("*.py"))
# the device collector runs on the controller (connection: local, zicha's own Python): its module and parsers
CONTROLLER_SIDE = [p for p in COLLECTION_FILES
                   if "zicha_devices" in p.parts or p.name == "netdev_facts.py"]
TARGET_SIDE = [p for p in COLLECTION_FILES if p not in CONTROLLER_SIDE]


def test_the_collection_is_python_3_6():
    """The collectors that run on the target's own Python: nothing newer than 3.6 in their syntax, no
    dataclasses."""
    assert len(TARGET_SIDE) >= 10 and len(CONTROLLER_SIDE) >= 10
    for path in TARGET_SIDE:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 6))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.split(".")[0] in ("dataclasses", "checker", "typing") for n in names), (path, names)
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                assert "annotations" not in [a.name for a in node.names], path  # 3.7+
            assert not isinstance(node, ast.AnnAssign), (path, node.lineno)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.returns is None and all(a.annotation is None for a in node.args.args), (path, node.name)
        # AnsiballZ bundles module_utils imported by their full collection name
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or "zicha" in (node.module or "")):
                assert node.level == 0 and node.module.startswith(
                    "ansible_collections.zicha.audit.plugins.module_utils.zicha_"), (path, node.module)


def python36():
    """A Python 3.6 on this machine (pyenv keeps one here), or None."""
    for cand in ("python3.6", os.path.expanduser("~/.pyenv/versions/3.6.15/bin/python3.6")):
        try:
            out = subprocess.run([cand, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                                 text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == "(3, 6)":
            return cand
    return None


def test_the_collector_runs_on_python_3_6(tmp_path):
    py = python36()
    if py is None:
        pytest.skip("no Python 3.6 on this machine (the syntax check above still holds)")
    host = FakeHost(tmp_path)
    host.write("/etc/os-release", 'ID=kylin\nVERSION_ID="V10"\n')
    host.write("/etc/logrotate.conf", "weekly\nrotate 26\n/var/log/syslog {\n}\n")
    host.process(1, "rsyslogd")
    code = ("import json, sys\nfrom ansible_collections.zicha.audit.plugins.modules import linux_facts\n"
            "from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import HostRun\n"
            "print(json.dumps(linux_facts.collect({}, HostRun({}, root=sys.argv[1]))))\n")
    p = subprocess.run([py, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=300,
                       env={"PATH": os.environ["PATH"], "PYTHONPATH": str(COLLECTION.parents[2])})
    assert p.returncode == 0, p.stderr
    facts = json.loads(p.stdout)["facts"]
    assert facts["os"]["value"]["family"] == "debian"
    assert facts["logging"]["value"]["logrotate"]["files"]["/var/log/syslog"]["days"] == 182
    assert facts["logging"]["value"]["daemons"] == ["rsyslogd"]
    assert not [k for k, f in facts.items() if "error" in f and f["error"].split(":")[0].endswith("Error")], facts


def test_checker_imports_the_collection_by_name_and_nothing_loads_a_file_by_path():
    import ansible_collections

    # the collection's folder merges with the ansible package's own collections (PEP 420 namespace packages)
    portions = [str(p) for p in ansible_collections.__path__]
    assert str(COLLECTION.parents[1]) in portions and any("site-packages" in p for p in portions)
    assert not (COLLECTION.parents[1] / "__init__.py").exists() and not (COLLECTION.parent / "__init__.py").exists()
    import ansible_collections.community.general  # noqa: F401  (still found beside ours)

    offenders = [str(p.relative_to(ROOT)) for d in ("checker", "tests", "playbooks", "lab", "scripts")
                 for p in (ROOT / d).rglob("*.py")
                 if "spec_from_file_location" in p.read_text(encoding="utf-8") and p.name != Path(__file__).name]
    assert offenders == []
    for path in COLLECTION_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not [m for m in imported if m.split(".")[0] == "checker"], path


def test_ansible_finds_the_collection_and_its_own(tmp_path):
    """With the environment zicha runs Ansible in: zicha.audit by its FQCN, and the ansible package's
    collections as before."""
    from checker import gather

    env = {**os.environ, **gather._env(tmp_path, 15)}
    bindir = os.path.dirname(sys.executable)
    p = subprocess.run([os.path.join(bindir, "ansible-doc"), "-t", "module", "--json", "zicha.audit.linux_facts",
                        "community.general.ufw"], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    docs = json.loads(p.stdout)
    assert set(docs["zicha.audit.linux_facts"]["doc"]["options"]) == set(linux_facts.ARGUMENT_SPEC)
    assert "community.general.ufw" in docs
