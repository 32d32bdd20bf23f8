"""The Linux fact module, run directly: hashes are checked on the host and never come back."""

from __future__ import annotations

import ctypes
import importlib.util
import json
import platform
import time

import pytest
import yaml

from tests.conftest import ROOT

MODULE = ROOT / "playbooks" / "library" / "zicha_linux_facts.py"


@pytest.fixture(scope="module")
def mod():
    spec = importlib.util.spec_from_file_location("zicha_linux_facts", MODULE)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


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
def accounts_dir(tmp_path_factory, mod):
    """A passwd/shadow pair in a temporary folder, read by the module instead of /etc."""
    tmp_path = tmp_path_factory.mktemp("etc")
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
    passwd = "".join(f"{u}:x:{uid}:{uid}::/home/{u}:/bin/bash\n" for u, (_, uid) in users.items())
    shadow = "".join(f"{u}:{h}:{today - 10}:0:99999:7:::\n" for u, (h, _) in users.items())
    (tmp_path / "passwd").write_text(passwd)
    (tmp_path / "shadow").write_text(shadow)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mod, "PASSWD", str(tmp_path / "passwd"))
        mp.setattr(mod, "SHADOW", str(tmp_path / "shadow"))
        yield users


@pytest.fixture(scope="module")
def checked(mod, accounts_dir):
    """The module's verdicts on those accounts (yescrypt is slow on purpose: check once)."""
    return mod.fact_accounts(PARAMS)


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


def test_no_hash_and_no_password_leaves_the_host(checked, accounts_dir):
    doc = json.dumps(checked)
    for user, (h, _) in accounts_dir.items():
        if len(h) > 2:
            assert h not in doc
            assert h.split("$")[-1] not in doc  # not even the digest part
    for secret in ("Admin@123", "xxjy2019", "Kx9#vB2!qLm7"):
        assert secret not in doc


def test_unreadable_shadow_is_an_error_not_an_empty_list(mod, tmp_path, monkeypatch):
    monkeypatch.setattr(mod, "SHADOW", str(tmp_path / "missing-shadow"))
    facts = mod.collect({})["facts"]
    assert "value" not in facts["accounts"]
    assert "no such file" in facts["accounts"]["error"]


def test_unsupported_hash_scheme_is_reported_per_account(mod, tmp_path, monkeypatch):
    (tmp_path / "passwd").write_text("odd:x:1005:1005::/home/odd:/bin/sh\n")
    (tmp_path / "shadow").write_text("odd:$99$zzzz$abcdef:19000:0:99999:7:::\n")
    monkeypatch.setattr(mod, "PASSWD", str(tmp_path / "passwd"))
    monkeypatch.setattr(mod, "SHADOW", str(tmp_path / "shadow"))
    [odd] = mod.fact_accounts(PARAMS)
    assert odd["weak"] is None and "not supported" in odd["error"]


def test_routes_and_interfaces_of_this_machine(mod):
    facts = mod.collect({"internet_probes": []})["facts"]
    ifaces = facts["interfaces"]["value"]
    assert any(i["name"] == "lo" and "127.0.0.1/8" in i["addresses"] for i in ifaces)
    assert all(isinstance(r["dst"], str) for r in facts["routes"]["value"])


def test_probe_of_a_closed_local_port_counts_as_answered(mod):
    # 127.0.0.1:9 (discard) is closed here: the kernel answers with a reset, i.e. the target answered.
    probes = mod.fact_probes({"internet_probes": ["127.0.0.1:9"], "probe_timeout": 1})
    assert probes[0]["result"] == "refused" and probes[0]["answered"] is True


def test_probe_targets_must_be_host_and_port(mod):
    with pytest.raises(mod.FactError):
        mod._split_target("not a target:x")


def test_logrotate_blocks_in_both_layouts(mod, tmp_path, monkeypatch):
    """`path {` on one line, and paths on lines of their own before the brace (Debian's rsyslog file)."""
    (tmp_path / "logrotate.d").mkdir()
    (tmp_path / "logrotate.conf").write_text(f"weekly\nrotate 4\ninclude {tmp_path / 'logrotate.d'}\n")
    (tmp_path / "logrotate.d" / "rsyslog").write_text(
        "/var/log/syslog\n/var/log/auth.log\n{\n\trotate 26\n\tweekly\n\tmissingok\n}\n")
    (tmp_path / "logrotate.d" / "dpkg").write_text("/var/log/dpkg.log {\n\tmonthly\n\trotate 12\n}\n")
    (tmp_path / "logrotate.d" / "apt").write_text("/var/log/apt/term.log {\n\tmissingok\n}\n")
    default, blocks = {"rotate": None, "period": None, "maxage": None}, []
    mod._logrotate_blocks(str(tmp_path / "logrotate.conf"), default, blocks, set())
    files = {f: b for b in blocks for f in b["files"]}
    assert (default["rotate"], default["period"]) == (4, "weekly")
    assert files["/var/log/syslog"]["rotate"] == 26 and files["/var/log/auth.log"]["period"] == "weekly"
    assert files["/var/log/dpkg.log"]["period"] == "monthly"
    assert files["/var/log/apt/term.log"]["rotate"] is None  # falls back to the global rotate 4


# ---------------------------------------------------------------- a fake host: its programs and files


def fake_programs(monkeypatch, mod, commands):
    """The host's programs: argv (tuple) -> (rc, stdout, stderr). `_which` finds only these; any other
    command run is a test failure."""
    names = {argv[0] for argv in commands}
    monkeypatch.setattr(mod, "_which", lambda n: "/usr/sbin/" + n if n in names else None)

    def run(argv, env=None, timeout=60):
        if tuple(argv) not in commands:
            raise AssertionError(f"unexpected command {argv}")
        return commands[tuple(argv)]

    monkeypatch.setattr(mod, "_run", run)


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


@pytest.fixture
def firewall_host(mod, tmp_path, monkeypatch):
    """No ufw or firewalld configuration unless a test writes one."""
    monkeypatch.setattr(mod, "UFW_CONF", str(tmp_path / "ufw.conf"))
    monkeypatch.setattr(mod, "UFW_DEFAULT", str(tmp_path / "default-ufw"))
    monkeypatch.setattr(mod, "FIREWALLD_CONF", str(tmp_path / "firewalld.conf"))
    monkeypatch.setattr(mod, "FIREWALLD_ZONES", (str(tmp_path / "zones"),))
    return tmp_path


def test_ip6_only_drop_does_not_make_ipv4_default_deny(mod, firewall_host, monkeypatch):
    fake_programs(monkeypatch, mod, {NFT: (0, nft_json([("ip6", "t6", "input", "input", "drop"),
                                                         ("ip", "t4", "input", "input", "accept"),
                                                         ("ip6", "t6", "fwd", "forward", "drop")]), "")})
    fw = mod.fact_host_firewall({})
    assert fw["families"]["ipv6"] == {"input": "drop", "forward": "drop"}
    assert fw["families"]["ipv4"] == {"input": "accept", "forward": "none"}
    assert (fw["input_default"], fw["forward_default"]) == ("accept", "none")


def test_ip6tables_drop_does_not_count_for_ipv4(mod, firewall_host, monkeypatch):
    fake_programs(monkeypatch, mod, {
        ("iptables", "-S"): (0, "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n", ""),
        ("ip6tables", "-S"): (0, "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n", ""),
    })
    fw = mod.fact_host_firewall({})
    assert fw["input_default"] == "accept" and fw["families"]["ipv6"]["input"] == "drop"


def test_ufw_configuration_does_not_outweigh_the_live_ruleset(mod, firewall_host, monkeypatch):
    (firewall_host / "ufw.conf").write_text("ENABLED=yes\n")
    (firewall_host / "default-ufw").write_text('DEFAULT_INPUT_POLICY="DROP"\n')
    fake_programs(monkeypatch, mod, {
        ("iptables", "-S"): (0, "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n", ""),
    })
    fw = mod.fact_host_firewall({})
    assert fw["ufw"] == {"enabled": True, "input_policy": "drop"}  # shown as evidence
    assert fw["input_default"] == "accept"


def test_a_ruleset_that_cannot_be_listed_is_an_error(mod, firewall_host, monkeypatch):
    fake_programs(monkeypatch, mod, {
        NFT: (0, nft_json([("inet", "host", "input", "input", "drop")]), ""),
        ("iptables", "-S"): (4, "", "iptables v1.8.9 (legacy): can't initialize iptables table `filter': "
                                    "Permission denied (you must be root)\n"),
    })
    with pytest.raises(mod.FactError, match="iptables -S: rc 4"):
        mod.fact_host_firewall({})


def test_catch_all_rules_decide_over_the_chain_policy(mod, firewall_host, monkeypatch):
    # firewalld's chain accepts by policy and rejects what its zones did not accept: default deny;
    # a drop policy behind an `accept` that takes every packet is no default deny
    reject = [{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}]
    fake_programs(monkeypatch, mod, {NFT: (0, nft_json(
        [("inet", "firewalld", "filter_INPUT", "input", "accept"), ("ip", "filter", "FORWARD", "forward", "drop")],
        [("inet", "firewalld", "filter_INPUT", ESTABLISHED),
         ("inet", "firewalld", "filter_INPUT", [{"jump": {"target": "filter_INPUT_ZONES"}}]),
         ("inet", "firewalld", "filter_INPUT", reject),
         ("ip", "filter", "FORWARD", [{"counter": {"packets": 0, "bytes": 0}}, {"accept": None}])]), "")})
    fw = mod.fact_host_firewall({})
    assert (fw["input_default"], fw["forward_default"]) == ("drop", "accept")
    assert fw["families"]["ipv6"] == {"input": "drop", "forward": "none"}


def test_iptables_accept_all_rule_defeats_a_drop_policy(mod, firewall_host, monkeypatch):
    fake_programs(monkeypatch, mod, {
        ("iptables", "-S"): (0, "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n"
                                "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
                                '-A INPUT -m comment --comment "let all in" -j ACCEPT\n', ""),
    })
    fw = mod.fact_host_firewall({})
    assert (fw["input_default"], fw["forward_default"]) == ("accept", "drop")
    assert fw["iptables"]["iptables"]["rules"] == 2


def test_firewalld_default_zone_accepting_everything_is_not_default_deny(mod, firewall_host, monkeypatch):
    (firewall_host / "firewalld.conf").write_text("DefaultZone=trusted\n")
    (firewall_host / "zones").mkdir()
    (firewall_host / "zones" / "trusted.xml").write_text('<?xml version="1.0"?>\n<zone target="ACCEPT"></zone>\n')
    monkeypatch.setattr(mod, "_processes", lambda: frozenset({"firewalld"}))
    fake_programs(monkeypatch, mod, {NFT: (0, nft_json(
        [("inet", "firewalld", "filter_INPUT", "input", "accept")],
        [("inet", "firewalld", "filter_INPUT", [{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}])]), "")})
    assert mod.fact_host_firewall({})["input_default"] == "accept"


def test_apt_without_package_lists_is_an_error(mod, tmp_path, monkeypatch):
    monkeypatch.setattr(mod, "APT_LISTS", str(tmp_path))
    (tmp_path / "lock").write_text("")
    fake_programs(monkeypatch, mod, {("apt-get", "-s", "-o", "Debug::NoLocking=1", "-o",
                                      "APT::Get::Show-User-Simulation-Note=false", "dist-upgrade"): (0, "", "")})
    with pytest.raises(mod.FactError, match="no package lists"):
        mod.fact_updates({})


def test_dnf_without_metadata_cache_is_an_error(mod, tmp_path, monkeypatch):
    monkeypatch.setattr(mod, "DNF_CACHE", [str(tmp_path / "*.solv")])
    fake_programs(monkeypatch, mod, {("dnf", "-q", "-C", "--noplugins", "updateinfo", "list", "--security"):
                                     (0, "", "")})
    with pytest.raises(mod.FactError, match="no dnf metadata cache"):
        mod.fact_updates({})
    (tmp_path / "openEuler-update.solv").write_text("")
    assert mod.fact_updates({})["lists_age_days"] == 0.0


@pytest.fixture
def logrotate_host(mod, tmp_path, monkeypatch):
    (tmp_path / "logrotate.d").mkdir()
    monkeypatch.setattr(mod, "LOGROTATE_CONF", str(tmp_path / "logrotate.conf"))
    return tmp_path


def test_log_retention_is_cut_by_maxage(mod, logrotate_host):
    (logrotate_host / "logrotate.conf").write_text(f"weekly\nrotate 4\ninclude {logrotate_host / 'logrotate.d'}\n")
    (logrotate_host / "logrotate.d" / "rsyslog").write_text(
        "/var/log/syslog {\n\trotate 52\n\tweekly\n\tmaxage 30\n}\n/var/log/auth.log {\n\trotate 26\n}\n")
    files = mod.fact_logging({})["logrotate"]["files"]
    assert (files["/var/log/syslog"]["days"], files["/var/log/syslog"]["maxage"]) == (30, 30)
    assert files["/var/log/auth.log"]["days"] == 182  # 26 weekly rotations kept, the global period


def test_log_rotated_by_size_only_keeps_an_unknown_span(mod, logrotate_host):
    # no period in the file nor in logrotate.conf: logrotate rotates by size only, never assume weekly
    (logrotate_host / "logrotate.conf").write_text(f"rotate 52\ninclude {logrotate_host / 'logrotate.d'}\n")
    (logrotate_host / "logrotate.d" / "rsyslog").write_text(
        "/var/log/syslog\n{\n\tmissingok\n}\n/var/log/auth.log {\n\tweekly\n\tsize 100M\n}\n")
    files = mod.fact_logging({})["logrotate"]["files"]
    assert files["/var/log/syslog"]["period"] is None and files["/var/log/syslog"]["days"] is None
    assert files["/var/log/auth.log"]["period"] == "size" and files["/var/log/auth.log"]["days"] is None


def test_unreadable_networkmanager_connection_is_an_error(mod, tmp_path, monkeypatch):
    conns = tmp_path / "system-connections"
    conns.mkdir()
    (conns / "office.nmconnection").write_text("[connection]\nid=office\n[ipv4]\nmethod=manual\n")
    (conns / "wifi.nmconnection").write_text("[connection]\nid=wifi\n[ipv4]\nmethod=auto\n")
    monkeypatch.setattr(mod, "NM_CONNECTIONS", str(conns))
    read = mod._read

    def unreadable(path):  # root reads every mode: refuse the way a non-root login would be refused
        if path.endswith("wifi.nmconnection"):
            raise mod.FactError("%s: permission denied (zicha needs root here: become: true)" % path)
        return read(path)

    monkeypatch.setattr(mod, "_read", unreadable)
    with pytest.raises(mod.FactError, match="wifi.nmconnection: permission denied"):
        mod.fact_network_config({})


@pytest.fixture
def kernel_host(mod, tmp_path, monkeypatch):
    monkeypatch.setattr(mod, "MODULES_DIRS", (str(tmp_path / "lib-modules"),))
    monkeypatch.setattr(mod, "KERNEL_CONFIGS", (str(tmp_path / "config-%s"),))
    monkeypatch.setattr(mod, "PROC", str(tmp_path / "proc"))
    return tmp_path


def test_usb_storage_built_in_or_not_is_unknown_without_modules_builtin(mod, kernel_host):
    with pytest.raises(mod.FactError, match="built into kernel"):
        mod.fact_usb_storage({})


def test_usb_storage_built_in_read_from_modules_builtin_or_kernel_config(mod, kernel_host):
    kver = platform.release()
    (kernel_host / f"config-{kver}").write_text("CONFIG_USB_STORAGE=y\nCONFIG_USB_UAS=m\n")
    usb = mod.fact_usb_storage({})
    assert (usb["usb_storage"]["builtin"], usb["uas"]["builtin"]) == (True, False)
    d = kernel_host / "lib-modules" / kver
    d.mkdir(parents=True)
    (d / "modules.builtin").write_text("kernel/drivers/usb/storage/uas.ko\n")
    usb = mod.fact_usb_storage({})  # modules.builtin is read first
    assert (usb["usb_storage"]["builtin"], usb["uas"]["builtin"]) == (False, True)


def test_unreadable_socket_table_is_an_error_not_nothing_listening(mod, tmp_path, monkeypatch):
    (tmp_path / "net").mkdir()
    for name in ("udp", "tcp6", "udp6"):
        (tmp_path / "net" / name).write_text("  sl  local_address rem_address   st\n")
    monkeypatch.setattr(mod, "PROC", str(tmp_path))
    with pytest.raises(mod.FactError, match="net/tcp: no such file"):
        mod.fact_listening({})


def test_processes_are_scanned_once_per_run_and_command_lines_never_read(mod, monkeypatch):
    scans, opened = [0], []
    scan = mod._scan_processes

    def counted():
        scans[0] += 1
        return scan()

    def tracked(path, *a, **kw):
        opened.append(str(path))
        return open(path, *a, **kw)

    monkeypatch.setattr(mod, "_scan_processes", counted)
    monkeypatch.setattr(mod, "open", tracked, raising=False)
    mod.collect({})
    assert scans[0] == 1
    assert not [p for p in opened if p.endswith("/cmdline")]
    mod.collect({})
    assert scans[0] == 2  # a new run reads the processes again
    with open("/proc/self/comm") as f:
        assert f.read().strip() in scan()  # this test's own process, by its name


def test_facts_no_rule_reads_are_not_collected(mod):
    # sshd, dns and processes: no rule reads them (and process names stay inside the module)
    assert {k for k, _, _ in mod.FACTS}.isdisjoint({"sshd", "dns", "processes"})


def test_module_parameters_are_the_ones_the_playbook_passes(mod):
    play = yaml.safe_load((ROOT / "playbooks" / "gather.yml").read_text(encoding="utf-8"))
    [task] = [t for p in play for t in p.get("tasks", []) if "zicha_linux_facts" in t]
    assert set(task["zicha_linux_facts"]) == set(mod.ARGUMENT_SPEC)  # weak_passwords: no longer passed
    assert mod.ARGUMENT_SPEC["candidates_json"]["no_log"] is True and mod.ARGUMENT_SPEC["share_key"]["no_log"]
    params = mod.module_params({"candidates_json": '["Admin@123", "口令"]', "org_names": []})
    assert params["weak_passwords"] == ["Admin@123", "口令"] and "candidates_json" not in params
    assert mod.module_params({"candidates_json": None})["weak_passwords"] == []


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
