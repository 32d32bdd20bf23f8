"""Device configurations in each vendor's language become facts; secrets never come out.

The fixtures under tests/fixtures/configs/ are written in each vendor's real syntax (sources in
tests/fixtures/configs/SOURCES.md; what each should yield in EXPECTED.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import config, devices, normalize
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge, linux_candidates

FIX = Path(__file__).parent / "fixtures" / "configs"


@pytest.fixture(scope="module")
def judge():
    return Judge(linux_candidates(config.collector_params(config.load_params())))


def facts_of(name: str, judge: Judge) -> dict:
    text = (FIX / name).read_text(encoding="utf-8")
    envs = normalize.check_facts(devices.facts(text, devices.detect(text), name, judge))
    assert not [k for k, v in envs.items() if "error" in v], envs
    return {k: v["value"] for k, v in envs.items()}


@pytest.mark.parametrize("name, platform", [
    ("huawei_vrp/sw-core-compliant.cfg", "huawei_vrp"),
    ("huawei_vrp/sw-floor3-noncompliant.cfg", "huawei_vrp"),
    ("huawei_usg/fw-boundary-compliant.cfg", "huawei_usg"),
    ("huawei_usg/fw-boundary-noncompliant.cfg", "huawei_usg"),
    ("h3c_comware/sw-office-compliant.cfg", "h3c_comware"),
    ("h3c_comware/sw-lab-noncompliant.cfg", "h3c_comware"),
    ("h3c_comware/fw-secpath-v5-noncompliant.cfg", "h3c_comware"),
    ("cisco_ios/sw-access-compliant.cfg", "cisco_ios"),
    ("cisco_ios/sw-access-noncompliant.cfg", "cisco_ios"),
])
def test_the_vendor_is_read_from_the_configuration_language(name, platform):
    assert devices.detect((FIX / name).read_text(encoding="utf-8")) == platform


def test_text_in_no_known_language_is_refused():
    with pytest.raises(devices.UnknownVendor):
        devices.detect("hello\nworld\n")


def by_name(items):
    return {i["name"]: i for i in items}


def test_huawei_noncompliant_switch(judge):
    f = facts_of("huawei_vrp/sw-floor3-noncompliant.cfg", judge)
    users = by_name(f["users"])
    assert (users["admin"]["storage"], users["admin"]["weak"], users["admin"]["weak_reason"]) == ("plain", True, "weak_list")
    assert users["admin"]["services"] == ["telnet", "terminal", "http"] and users["admin"]["privilege"] == 15
    assert users["ops"]["storage"] == "reversible" and users["ops"]["scheme"] == "huawei-des-ecb"
    assert users["user-interface con 0"]["storage"] == "plain"
    assert f["management"]["telnet"] is True and f["management"]["ssh"] is False
    assert f["snmp"]["versions"] == ["v2c"]
    assert sorted((c["access"], c["default"]) for c in f["snmp"]["communities"]) == [("read", True), ("write", True)]
    assert f["syslog"]["hosts"] == [] and f["ntp"]["servers"] == [] and f["dhcp_snooping"]["enabled"] is False
    access = [i for i in f["interfaces"] if i["mode"] == "access"]
    assert len(access) == 20 and not any(i["port_security"]["enabled"] for i in access)
    trunks = {i["name"] for i in f["interfaces"] if i["mode"] == "trunk"}
    assert "GigabitEthernet0/0/24" in trunks


def test_huawei_compliant_switch(judge):
    f = facts_of("huawei_vrp/sw-core-compliant.cfg", judge)
    assert {u["name"]: u["storage"] for u in f["users"]} == {"auditor": "hash", "netadmin": "hash"}
    # Huawei's irreversible-cipher has no public algorithm: unverifiable, never "strong"
    assert all(u["weak"] is None and u["unverifiable"] for u in f["users"])
    assert f["management"]["telnet"] is False and f["management"]["ssh"] is True
    assert all(v["protocols"] == ["ssh"] for v in f["management"]["vty"])
    assert f["snmp"]["versions"] == ["v3"] and f["snmp"]["communities"] == []
    assert f["syslog"]["hosts"] == ["10.10.0.50"] and f["ntp"]["servers"] == ["10.10.0.21", "10.10.0.22"]
    assert f["password_policy"]["lockout"] == {"attempts": 5, "lock_minutes": 15}
    ports = by_name(f["interfaces"])
    ge1 = ports["GigabitEthernet0/0/1"]
    assert ge1["mode"] == "access" and ge1["vlan"] == 10
    assert ge1["port_security"] == {"enabled": True, "max_macs": 1, "sticky": True, "macs": ["00:e0:4c:68:1a:01"]}
    assert ports["GigabitEthernet0/0/7"]["port_security"]["max_macs"] == 2
    assert ports["GigabitEthernet0/0/9"]["ip_source_check"] is True
    assert {(b["ip"], b["interface"]) for b in f["bindings"] if b["kind"] == "user-bind"} == {
        ("10.20.30.11", "GigabitEthernet0/0/9"), ("10.20.30.12", "GigabitEthernet0/0/10")}
    assert f["dhcp_snooping"] == {"enabled": True, "vlans": [10, 20, 30]}


def test_usg_firewall_policies_and_port_mappings(judge):
    good = facts_of("huawei_usg/fw-boundary-compliant.cfg", judge)
    bad = facts_of("huawei_usg/fw-boundary-noncompliant.cfg", judge)
    assert good["firewall"]["default_action"] == "deny"  # the USG prints nothing for its default deny
    assert bad["firewall"]["default_action"] == "permit"
    any_any = [p for p in bad["firewall"]["policies"] if p["source_zones"] == ["any"] and p["destination_zones"] == ["any"]]
    assert [p["name"] for p in any_any] == ["temp_any_any"] and any_any[0]["action"] == "permit"
    zones = by_name(bad["firewall"]["zones"])
    assert zones["untrust"]["interfaces"] == ["GigabitEthernet1/0/1"] and zones["secret"]["priority"] == 60
    assert {(n["global_port"], n["inside_address"], n["inside_port"]) for n in bad["nat_servers"]} == {
        (80, "10.20.0.7", 8080), (3389, "10.10.0.15", 3389)}
    assert bad["management"]["telnet"] is True and bad["management"]["http"] is True
    assert good["management"]["telnet"] is False and good["management"]["http"] is False
    assert good["management"]["https"] is True
    assert all(u["storage"] == "hash" for u in bad["users"])  # manager-user @%@% is one-way (USG manual)


def test_h3c_v7_switches(judge):
    good = facts_of("h3c_comware/sw-office-compliant.cfg", judge)
    bad = facts_of("h3c_comware/sw-lab-noncompliant.cfg", judge)
    assert good["password_policy"] == {"enabled": True, "min_length": 8, "complexity": 3, "max_age_days": 90,
                                       "lockout": {"attempts": 5, "lock_minutes": 10}}
    assert bad["password_policy"]["enabled"] is False
    assert {u["name"]: (u["storage"], u["weak"]) for u in good["users"]} == {
        "netadmin": ("hash", False), "auditor": ("hash", False)}  # $h$6$ is verifiable: tested, not weak
    admin = by_name(bad["users"])["admin"]
    assert admin["storage"] == "reversible" and admin["scheme"] == "h3c-$c$3$" and "telnet" in admin["services"]
    assert bad["management"]["telnet"] is True and bad["management"]["http"] is True
    assert good["management"]["telnet"] is False and good["management"]["http"] is False
    ports = by_name(good["interfaces"])
    assert ports["GigabitEthernet1/0/1"]["port_security"]["enabled"] is True
    assert ports["GigabitEthernet1/0/1"]["port_security"]["max_macs"] == 1
    assert ports["Ten-GigabitEthernet1/0/25"]["mode"] == "trunk"
    lab_access = [i for i in bad["interfaces"] if i["mode"] == "access"]
    assert len(lab_access) >= 16 and not any(i["port_security"]["enabled"] for i in lab_access)
    assert sorted(c["default"] for c in bad["snmp"]["communities"] if c["default"] is not None) == [True, True]


def test_h3c_v5_secpath_flat_zones_and_packet_filter(judge):
    f = facts_of("h3c_comware/fw-secpath-v5-noncompliant.cfg", judge)
    assert f["firewall"]["default_action"] == "permit"
    assert by_name(f["firewall"]["zones"])["trust"]["interfaces"] == ["GigabitEthernet0/0", "GigabitEthernet0/2"]
    assert ("192.168.10.15", 3389) in {(n["inside_address"], n["inside_port"]) for n in f["nat_servers"]}
    admin = by_name(f["users"])["admin"]
    assert (admin["storage"], admin["weak"], admin["weak_reason"]) == ("plain", True, "same_as_username")
    assert admin["services"] == ["telnet", "web"]


def test_cisco_switches(judge):
    good = facts_of("cisco_ios/sw-access-compliant.cfg", judge)
    bad = facts_of("cisco_ios/sw-access-noncompliant.cfg", judge)
    assert all(u["storage"] == "hash" and u["scheme"] == "cisco-type9-scrypt" and u["weak"] is False
               for u in good["users"])
    users = by_name(bad["users"])
    assert (users["admin"]["storage"], users["admin"]["weak"]) == ("reversible", True)
    assert users["enable password"]["storage"] == "plain"
    assert bad["management"]["telnet"] is True and good["management"]["telnet"] is False
    assert good["password_policy"]["min_length"] == 8 and good["password_policy"]["lockout"]["attempts"] == 5
    assert all(i["port_security"]["enabled"] for i in good["interfaces"] if i["mode"] == "access")
    assert not any(i["port_security"]["enabled"] for i in bad["interfaces"] if i["mode"] == "access")
    assert [(n["inside_address"], n["inside_port"], n["global_port"]) for n in bad["nat_servers"]] == [
        ("10.20.0.5", 80, 8080)]


def test_no_secret_of_any_fixture_comes_out(judge):
    """Every password, hash, cipher string and community in the fixtures stays out of the facts."""
    import re

    from checker.devices import passwords

    for path in sorted(FIX.glob("*/*.cfg")):
        text = path.read_text(encoding="utf-8")
        out = json.dumps(devices.facts(text, devices.detect(text), path.name, judge), ensure_ascii=False)
        secrets = set()
        for m in re.finditer(r"(?:password|secret)\s+(?:simple|cipher|hash|irreversible-cipher|\d)\s+(\S+)", text):
            secrets.add(m.group(1))
        for m in re.finditer(r"(?:snmp-server\s+community|snmp-agent\s+community\s+(?:read|write)"
                             r"(?:\s+simple|\s+cipher)?)\s+(\S+)", text):
            secrets.add(m.group(1))
        plain = set()
        for s in secrets:
            for vendor in ("cisco", "huawei"):
                try:
                    p = passwords.decrypt(vendor, f"password 7 {s}" if vendor == "cisco" else f"cipher {s}")
                except Exception:
                    p = None
                if p and len(p) >= 4 and p.isprintable():
                    plain.add(p)
        # a password equal to a user name (weak, and reported as such) is not a leak of the name
        names = set(re.findall(r"(?:local-user|username|manager-user)\s+(\S+)", text))
        for s in (secrets | plain) - names:
            assert f'"{s}"' not in out and f" {s} " not in out, (path.name, s)


# ---------------------------------------------------------------------------------------------------------------
# What is not a configuration, or not the declared vendor's, never becomes facts
# ---------------------------------------------------------------------------------------------------------------

ERROR_REPLIES = [
    ("cisco_ios", "show running-config\n             ^\n% Invalid input detected at '^' marker.\n"),
    ("cisco_ios", "% Authorization failed.\n"),
    ("huawei_vrp", "display current-configuration\n                ^\nError: Unrecognized command found at '^' position.\n"),
    ("huawei_usg", "Error: Insufficient permission. Please check the user level.\n"),
    ("h3c_comware", "                ^\n % Unrecognized command found at '^' position.\n"),
]


def all_errors(envs: dict) -> bool:
    return set(envs) == set(devices.FACT_KEYS) and all("error" in v and "value" not in v for v in envs.values())


@pytest.mark.parametrize("platform, reply", ERROR_REPLIES)
def test_an_error_reply_is_no_configuration(platform, reply, judge):
    envs = normalize.check_facts(devices.facts(reply, platform, "show", judge))
    assert all_errors(envs), envs


@pytest.mark.parametrize("name, declared", [
    ("huawei_vrp/sw-floor3-noncompliant.cfg", "cisco_ios"),
    ("huawei_vrp/sw-floor3-noncompliant.cfg", "h3c_comware"),
    ("h3c_comware/sw-lab-noncompliant.cfg", "huawei_vrp"),
    ("cisco_ios/sw-access-noncompliant.cfg", "huawei_usg"),
])
def test_another_vendors_configuration_is_not_read_as_the_declared_one(name, declared, judge):
    envs = devices.facts((FIX / name).read_text(encoding="utf-8"), declared, name, judge)
    assert all_errors(envs)
    assert all(declared in v["error"] for v in envs.values())


@pytest.mark.parametrize("name, declared", [
    ("huawei_vrp/sw-core-compliant.cfg", "huawei_usg"),  # a USG is VRP underneath: one language
    ("huawei_usg/fw-boundary-compliant.cfg", "huawei_vrp"),
])
def test_vrp_and_usg_read_each_others_text(name, declared, judge):
    envs = normalize.check_facts(devices.facts((FIX / name).read_text(encoding="utf-8"), declared, name, judge))
    assert not [k for k, v in envs.items() if "error" in v]


def test_a_parser_failure_names_its_kind_and_quotes_nothing(judge, monkeypatch):
    text = (FIX / "huawei_vrp/sw-floor3-noncompliant.cfg").read_text(encoding="utf-8")

    def broken(cfg, judge, vendor="huawei"):
        raise ValueError("cannot read 'local-user admin password simple Huawei@123'")

    monkeypatch.setattr(devices.huawei, "parse", broken)
    envs = devices.facts(text, "huawei_vrp", "x", judge)
    assert all_errors(envs)
    assert all("ValueError" in v["error"] and "Huawei@123" not in v["error"] for v in envs.values())


def test_usg_needs_more_than_a_nat_server_line():
    vrp = (FIX / "huawei_vrp/sw-floor3-noncompliant.cfg").read_text(encoding="utf-8")
    routed = vrp.replace("\nreturn", "\nfirewall zone trust\n set priority 85\n#\n"
                         "nat server protocol tcp global 203.0.113.5 80 inside 10.1.1.5 80\n#\nreturn")
    assert devices.detect(routed) == "huawei_vrp"  # VRP routers print both
    policed = routed.replace("\nreturn", "\nsecurity-policy\n rule name r1\n  action permit\n#\nreturn")
    assert devices.detect(policed) == "huawei_usg"


# ---------------------------------------------------------------------------------------------------------------
# Credential and policy forms the fixtures do not hold
# ---------------------------------------------------------------------------------------------------------------

WEAK = Judge(lambda user: [(user, "same_as_username"), ("Admin@123", "weak_list")], key=b"t" * 32)


def parsed(text: str, judge: Judge = WEAK) -> dict:
    """The facts read from a snippet (a fact the snippet does not hold, such as accounts, is an error and left
    out: a test that reads it fails)."""
    envs = normalize.check_facts(devices.facts(text, devices.detect(text), "test", judge))
    return {k: v["value"] for k, v in envs.items() if "value" in v}


def comware(body: str, version: str = "7.1.070, Release 6343P07") -> str:
    # (a whole configuration names the device and shows an interface and the vty lines)
    return f"#\n version {version}\n#\n sysname T\n#\ninterface NULL0\n#\n{body}\n#\nline vty 0 63\n#\nreturn\n"


def test_h3c_rbac_communities_are_read(judge):
    f = parsed(comware("snmp-agent\n"
                       "snmp-agent community simple public user-role network-operator\n"
                       "snmp-agent community cipher $c$3$HOI3zF2TxhDIrLtm/G6vwKs3 user-role network-admin acl 2001\n"
                       "snmp-agent community S7r0ngComm user-role auditor-role\n"
                       "snmp-agent community write simple private mib-view ViewDefault\n"
                       "snmp-agent sys-info version v2c v3"))
    c = {x["line"]: x for x in f["snmp"]["communities"]}
    assert len(c) == 4
    public, hidden, custom, private = (c[k] for k in sorted(c))
    assert (public["access"], public["default"]) == ("read", True)
    assert (hidden["access"], hidden["default"], hidden["acl"]) == ("write", None, True)  # $c$3$: not readable
    assert (custom["access"], custom["default"]) == ("write", False)  # a role not known to be read-only
    assert (private["access"], private["default"]) == ("write", True)


@pytest.mark.parametrize("line", ["snmp-agent community read", "snmp-agent community readonly cipher x y"])
def test_a_community_line_not_understood_is_kept_as_unknown(line):
    h3c = parsed(comware(f"snmp-agent\n{line}"))["snmp"]["communities"]
    assert len(h3c) == 1 and h3c[0]["default"] is None and h3c[0]["access"] == "write"
    vrp = parsed("!Software Version V200R019C10SPC500\n#\nsysname S\n#\ninterface NULL0\n#\nsnmp-agent\n"
                 f"snmp-agent community complexity-check disable\n{line}\n#\nuser-interface vty 0 4\n#\nreturn\n")
    assert [(x["default"], x["access"]) for x in vrp["snmp"]["communities"]] == [(None, "write")]


def test_h3c_local_user_without_a_password_line():
    body = "local-user ops class manage\n service-type ssh\n authorization-attribute user-role network-admin"
    v7 = by_name(parsed(comware(body))["users"])["ops"]
    assert (v7["storage"], v7["weak"], v7["weak_reason"]) == ("plain", True, "empty")  # logs in with no password
    fips = by_name(parsed(comware("fips mode enable\n#\n" + body))["users"])["ops"]
    assert fips["storage"] == "none"  # FIPS mode refuses a login without password
    v5 = by_name(parsed(comware("password-control enable\n#\n" + body, "5.20, Release 5112P03"))["users"])["ops"]
    assert (v5["storage"], v5["weak"]) == ("unknown", None)  # V5 hides passwords under password-control
    odd = by_name(parsed(comware(body + "\n password irreversible-cipher $1a$abc$"))["users"])["ops"]
    assert (odd["storage"], odd["weak"]) == ("unknown", None)


def test_h3c_login_attempts_that_never_lock():
    base = "password-control enable\npassword-control login-attempt {}"
    assert parsed(comware(base.format("3 exceed unlock")))["password_policy"]["lockout"]["attempts"] is None
    assert parsed(comware(base.format("3 exceed lock-time 5")))["password_policy"]["lockout"] == {
        "attempts": 3, "lock_minutes": 5}


def test_cisco_nopassword_accounts_are_users():
    f = parsed("Building configuration...\n!\nversion 15.2\nhostname R1\n!\ninterface GigabitEthernet0/1\n!\n"
               "username guest nopassword\nusername root privilege 15 nopassword\n"
               "username ops privilege 1 secret 9 $9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6\n!\n"
               "line vty 0 4\n transport input ssh\n!\nend\n")
    users = by_name(f["users"])
    for name, priv in (("guest", 1), ("root", 15)):
        assert (users[name]["storage"], users[name]["weak"], users[name]["weak_reason"]) == ("plain", True, "empty")
        assert users[name]["privilege"] == priv
    assert users["ops"]["storage"] == "hash"


def test_typed_plaintext_after_irreversible_cipher_is_judged():
    f = parsed("!Software Version V200R019C10SPC500\n#\nsysname S\n#\ninterface NULL0\n#\naaa\n"
               " local-user admin password irreversible-cipher Admin@123\n"
               " local-user ops password cipher %^%#truncated-form\n#\nuser-interface vty 0 4\n#\nreturn\n")
    users = by_name(f["users"])
    assert (users["admin"]["storage"], users["admin"]["weak"], users["admin"]["weak_reason"]) == (
        "plain", True, "weak_list")
    assert (users["ops"]["storage"], users["ops"]["weak"]) == ("unknown", None)


# ---------------------------------------------------------------------------------------------------------------
# The MAC table read by the Ansible module
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def netdev():
    """The module as Ansible finds it: zicha.audit.netdev_facts, in the zicha.audit collection."""
    from ansible_collections.zicha.audit.plugins.modules import netdev_facts

    return netdev_facts


MAC_REPLIES = {
    "huawei_vrp": ("-" * 79 + "\nMAC Address    VLAN/VSI/BD   Learned-From        Type\n" + "-" * 79 +
                   "\n5489-98c0-7e34 10/-/-        GE0/0/1             dynamic\n" + "-" * 79 +
                   "\nTotal items displayed = 1\n",
                   "-" * 79 + "\nMAC Address    VLAN/VSI/BD   Learned-From        Type\n" + "-" * 79 + "\n" +
                   "-" * 79 + "\nTotal items displayed = 0\n"),
    "h3c_comware": ("MAC Address      VLAN ID    State            Port/Nickname            Aging\n"
                    "3c52-8212-0a01   10         Learned          GE1/0/1                  Y\n",
                    "MAC Address      VLAN ID    State            Port/Nickname            Aging\n"),
    "cisco_ios": ("          Mac Address Table\n" + "-" * 43 + "\n\nVlan    Mac Address       Type        Ports\n"
                  "----    -----------       --------    -----\n  20    0050.7966.6800    DYNAMIC     Gi1/0/1\n"
                  "Total Mac Addresses for this criterion: 1\n",
                  "          Mac Address Table\n" + "-" * 43 + "\n\nVlan    Mac Address       Type        Ports\n"
                  "----    -----------       --------    -----\nTotal Mac Addresses for this criterion: 0\n"),
}


@pytest.mark.parametrize("platform", sorted(MAC_REPLIES))
def test_mac_table_rows_or_the_vendors_empty_answer(netdev, platform):
    rows, empty = MAC_REPLIES[platform]
    got = netdev.mac_fact(platform, "mac", rows)
    assert len(got["value"]) == 1 and got["value"][0]["interface"]
    assert netdev.mac_fact(platform, "mac", empty) == {"source": "mac", "value": []}


@pytest.mark.parametrize("platform, reply", [
    ("cisco_ios", "show mac address-table\n         ^\n% Invalid input detected at '^' marker.\n"),
    ("cisco_ios", ""),
    ("huawei_vrp", "Error: Unrecognized command found at '^' position.\n"),
    ("huawei_vrp", ""),
    ("h3c_comware", " % Unrecognized command found at '^' position.\n"),
    ("h3c_comware", ""),
    ("h3c_comware", "MAC Address      VLAN ID    State            Port/Nickname            Aging\n"
                    "3c52-8212-0a01 ten Learned\n"),  # a row the template does not read
])
def test_an_unreadable_mac_table_is_an_error(netdev, platform, reply):
    got = netdev.mac_fact(platform, "mac", reply)
    assert "error" in got and "value" not in got and "Unrecognized" not in got["error"]


def test_the_device_module_documents_its_arguments_and_knows_no_vendor(netdev):
    """zicha.audit.netdev_facts takes each platform's command line from zicha (device_cli), not from a list of its
    own: a platform the registry does not describe is refused before any login."""
    import yaml

    assert set(yaml.safe_load(netdev.DOCUMENTATION)["options"]) == set(netdev.ARGUMENT_SPEC)
    assert netdev.commands("cisco_ios") == ("cisco_ios", "show running-config", "show mac address-table")
    with pytest.raises(RuntimeError, match="not a device platform"):
        netdev.commands("juniper_junos")
