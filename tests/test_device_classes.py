"""The classes of misreading issue 10 found, each fixed at its root and shown on the line forms firmware prints.

(The corpus test checks them again inside whole configurations of realistic size and noise.)"""

from __future__ import annotations

import pytest

from checker import devices, normalize
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

WEAK = Judge(lambda user: [(user, "same_as_username"), ("Admin@123", "weak_list")], key=b"c" * 32)


def facts(text: str, platform: str | None = None) -> dict:
    envs = normalize.check_facts(devices.facts(text, platform or devices.detect(text), "t", WEAK))
    return {k: v.get("value", {"ERROR": v.get("error")}) for k, v in envs.items()}


def usg(aaa: str, extra: str = "") -> str:
    return ("#\n sysname FW\n#\ninterface GigabitEthernet1/0/0\n ip address 203.0.113.2 255.255.255.0\n#\n"
            f"{extra}aaa\n{aaa}#\nuser-interface vty 0 4\n authentication-mode aaa\n#\nsecurity-policy\n"
            " rule name r1\n  source-zone trust\n  action permit\n#\nreturn\n")


def test_a_view_ends_where_the_firmware_ends_it():
    """USG prints ` #` inside aaa between sub-views: the manager-users after it are aaa's."""
    f = facts(usg(" authentication-scheme default\n #\n domain default\n  service-type internetaccess\n #\n"
                  " manager-user admin\n  password cipher %@%@abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV%@%@\n"
                  "  level 15\n #\n lock-authentication failed-count 5\n lock-authentication timeout 60\n"
                  "role system-admin\n bind manager-user admin role system-admin\n"), "huawei_usg")
    assert [(u["name"], u["kind"], u["storage"]) for u in f["users"]] == [("admin", "manager-user", "hash")]
    assert f["password_policy"]["lockout"] == {"attempts": 5, "lock_minutes": 60}


def test_zero_read_is_not_zero_present():
    """An aaa with no account (authentication elsewhere) is an error on the account facts, not an empty list."""
    f = facts(usg(" authentication-scheme default\n #\n domain default\n"), "huawei_usg")
    assert "no login account was read" in f["users"]["ERROR"]
    # an account line in a form not read is an account of unknown storage, never skipped
    g = facts(usg(" manager-user ops\n  password sha512 $x$abc\n"), "huawei_usg")
    assert [(u["name"], u["storage"], u["weak"]) for u in g["users"]] == [("ops", "unknown", None)]


@pytest.mark.parametrize("line", [
    "snmp-agent community read  %$%$MbgKGX!UeSb{i}@8SbUA#>5,%$%$",  # USG V500R001: no `cipher` keyword
    "snmp-agent community read simple %^%#c_b2$kxce&KfA]A()X#UYH=>%^%#",  # an envelope after `simple`
    "snmp-agent community write %@%@a b c%@%@ acl 2000",
])
def test_a_cipher_envelope_is_an_unknown_value_wherever_it_appears(line):
    f = facts(usg(" manager-user a1\n  password cipher @%@%" + "x" * 48 + "@%@%\n", f" snmp-agent\n {line}\n#\n"),
              "huawei_usg")
    (c,) = f["snmp"]["communities"]
    assert c["default"] is None and c["storage"] in ("reversible", "unknown")


def ios_router(acl: str, interface: str = " ip access-group OUTSIDE-IN in\n ip nat outside\n") -> str:
    return ("Building configuration...\n!\nversion 15.2\nhostname R1\n!\nusername ops secret 9 "
            "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6\n!\n"
            f"interface GigabitEthernet0/0\n ip address 198.51.100.2 255.255.255.0\n{interface}!\n"
            "interface GigabitEthernet0/1\n ip address 192.168.1.1 255.255.255.0\n ip nat inside\n!\n"
            f"ip route 0.0.0.0 0.0.0.0 198.51.100.1\n!\n{acl}!\nline vty 0 4\n transport input ssh\n!\nend\n")


@pytest.mark.parametrize("acl, any_any, default", [
    ("ip access-list extended OUTSIDE-IN\n permit tcp any any eq 443\n permit ip any any\n", True, "permit"),
    ("ip access-list extended OUTSIDE-IN\n permit tcp any host 198.51.100.2 eq 22\n deny   ip any any log\n",
     False, "deny"),
    # no entry permits everything: the implicit deny at the end of every IOS list decides
    ("ip access-list extended OUTSIDE-IN\n permit tcp any any established\n", False, "deny"),
    # a numbered list with its sequence of lines, and an entry that denies everything before a permit-all
    ("access-list 101 deny ip any any\naccess-list 101 permit ip any any\n", True, "deny"),
])
def test_cisco_access_lists_on_the_outside_are_the_firewall_policy(acl, any_any, default):
    text = ios_router(acl.replace("OUTSIDE-IN", "101") if acl.startswith("access-list") else acl,
                      " ip access-group 101 in\n ip nat outside\n" if acl.startswith("access-list") else
                      " ip access-group OUTSIDE-IN in\n ip nat outside\n")
    fw = facts(text)["firewall"]
    assert fw["default_action"] == default
    assert any(p["action"] == "permit" and p["source_addresses"] == ["any"] and p["destination_addresses"] == ["any"]
               and p["services"] == [] and not p["restricted"] for p in fw["policies"]) is any_any
    assert [b["interface"] for b in fw["boundary"]] == ["GigabitEthernet0/0"]


def test_cbac_without_an_inbound_list_denies_nothing():
    """`ip inspect` opens return traffic through an inbound list; with no list on the outside, nothing is denied."""
    fw = facts(ios_router("", " ip inspect FW out\n ip nat outside\n"))["firewall"]
    assert fw["default_action"] == "permit" and fw["boundary"][0]["inspect"] == "FW"
    assert "no inbound access list" in fw["boundary"][0]["note"]


def test_huawei_and_h3c_filters_permit_what_they_do_not_match():
    vrp = ("!Software Version V200R009C00SPC500\n#\n sysname AR\n#\nacl number 3000\n rule 5 permit tcp "
           "destination-port eq 443\n#\ninterface GigabitEthernet0/0/0\n ip address 198.51.100.2 255.255.255.0\n"
           " traffic-filter inbound acl 3000\n nat outbound 2000\n#\nuser-interface vty 0 4\n"
           " authentication-mode aaa\n#\nreturn\n")
    assert facts(vrp)["firewall"]["default_action"] == "permit"  # no final deny: unmatched packets pass
    assert facts(vrp.replace(" rule 5 permit", " rule 100 deny ip\n rule 5 permit"))["firewall"]["default_action"] \
        == "deny"
    h3c = ("#\n version 7.1.064, Release 0821P16\n#\n sysname R\n#\ninterface GigabitEthernet0/0\n port link-mode "
           "route\n ip address 198.51.100.2 255.255.255.0\n packet-filter 3001 inbound\n nat outbound 2000\n#\n"
           "line vty 0 63\n authentication-mode scheme\n#\nacl advanced 3001\n rule 0 permit tcp destination-port "
           "eq 443\n#\nreturn\n")
    assert facts(h3c)["firewall"]["default_action"] == "permit"
    assert facts(h3c.replace(" sysname R\n", " sysname R\n#\n packet-filter default deny\n"))["firewall"][
        "default_action"] == "deny"


def comware7(users: str, pc: bool) -> str:
    return (f"#\n version 7.1.070, Release 6343P07\n#\n sysname S\n#\n{' password-control enable' if pc else ''}\n#\n"
            f"interface NULL0\n#\nline vty 0 63\n authentication-mode scheme\n#\n{users}#\nreturn\n")


def test_passwords_comware_does_not_show_are_unknown_not_empty():
    user = "local-user ops class manage\n service-type ssh\n authorization-attribute user-role network-admin\n"
    hidden = facts(comware7(user, pc=True))["users"][0]
    assert (hidden["storage"], hidden["weak"], hidden["scheme"]) == ("unknown", None, "h3c-hidden-by-password-control")
    empty = facts(comware7(user, pc=False))["users"][0]
    assert (empty["storage"], empty["weak"], empty["weak_reason"]) == ("plain", True, "empty")


@pytest.mark.parametrize("vty, reason", [
    ("user-interface vty 0 4\n authentication-mode none\n", "no_authentication"),
])
def test_a_vty_that_asks_for_nothing_is_a_weak_login(vty, reason):
    text = ("!Software Version V200R019C10SPC500\n#\n sysname S\n#\naaa\n local-user ops password "
            "irreversible-cipher $1a$abcdefghij$abcdefghijabcdefghijabcdefghijabcdefghij$\n#\ninterface NULL0\n#\n"
            f"{vty}#\nreturn\n")
    users = {u["name"]: u for u in facts(text)["users"]}
    assert users["user-interface vty 0 4"]["weak_reason"] == reason


def test_usg_lock_is_on_by_default_and_can_be_switched_off():
    on = facts(usg(" manager-user a1\n  password cipher @%@%" + "x" * 48 + "@%@%\n"), "huawei_usg")
    assert on["password_policy"]["lockout"] == {"attempts": 3, "lock_minutes": 30}
    off = facts(usg(" manager-user a1\n  password cipher @%@%" + "x" * 48 + "@%@%\n undo lock-authentication enable\n"),
                "huawei_usg")
    assert off["password_policy"]["lockout"] == {"attempts": None, "lock_minutes": None}


def test_old_ios_access_ports():
    text = ("Building configuration...\n!\nversion 12.1\nhostname SW\n!\nenable secret 5 $1$mERr$A419.HL58lq743wXS4kSM1\n"
            "!\ninterface FastEthernet0/1\n switchport access vlan 10\n!\ninterface FastEthernet0/2\n"
            " switchport trunk allowed vlan 10,20\n!\ninterface FastEthernet0/3\n!\nline vty 0 4\n login\n!\nend\n")
    modes = {i["name"]: (i["mode"], i["vlan"]) for i in facts(text)["interfaces"]}
    assert modes == {"FastEthernet0/1": ("access", 10), "FastEthernet0/2": ("unknown", None),
                     "FastEthernet0/3": ("unknown", None)}


def test_a_port_mapping_whose_name_is_garbled_is_still_read():
    f = facts(usg(" manager-user a1\n  password cipher @%@%" + "x" * 48 + "@%@%\n",
                  " nat server ?3Ёaμ??protocol tcp global 61.155.20.14 1080 inside 192.168.10.31 8080 no-reverse\n"
                  " nat server 61.155.20.14 protocol tcp global 61.155.20.14 2222 inside 10.20.0.16 22 no-reverse\n#\n"),
              "huawei_usg")
    assert sorted((n["global_port"], n["inside_address"], n["inside_port"], n["protocol"]) for n in f["nat_servers"]) \
        == [(1080, "192.168.10.31", 8080, "tcp"), (2222, "10.20.0.16", 22, "tcp")]


def test_a_nat_line_not_read_is_an_error_not_a_missing_mapping():
    f = facts(usg(" manager-user a1\n  password cipher @%@%" + "x" * 48 + "@%@%\n", " nat server web global-any\n#\n"),
              "huawei_usg")
    assert "a port mapping may be missed" in f["nat_servers"]["ERROR"]
