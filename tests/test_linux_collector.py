"""The Linux fact module, run directly: hashes are checked on the host and never come back."""

from __future__ import annotations

import ctypes
import importlib.util
import json
import time

import pytest

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
