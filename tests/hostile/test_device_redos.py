"""No line of a configuration, however long or strange, makes the device parsers slow.

Issue 8 found a Huawei keyword regex (`(.+?)\\s*$` searched from every keyword) that took seven minutes on a
password of 200,000 spaces: quadratic backtracking. The parsers now split secrets and keywords word by word.
These tests assert the complexity indirectly, never with a tight time limit: a configuration whose hostile
lines are four times longer must not take much more than four times as long to read (a quadratic parser takes
sixteen), and a 2 MB line is read within a bound generous enough for any machine.
"""

from __future__ import annotations

import time

import pytest

from checker import devices
from checker.devices import clean, mactable, passwords
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

JUDGE = Judge(lambda user: [(user, "same_as_username"), ("Admin@123", "weak_list")], key=b"r" * 32)

#: hostile lines of every kind the parsers read, in each language; {S} is a run of spaces, {W} of short words,
#: {D} of delimiters, {N} of digits: each a filler of the size under test
HOSTILE = {
    "huawei_vrp": (
        "!Software Version V200R019C10SPC500\n#\n sysname HOSTILE\n#\naaa\n"
        " local-user admin password cipher %^%#{S}%^%#\n"
        " local-user ops password irreversible-cipher {S}x{S}\n"
        " local-user a1 password simple a{S}b\n"
        " local-user a2 password cipher {D}\n"
        " local-user a3 password cipher %$%${W}\n"
        " local-user a4 {W}\n"
        " local-user a5 privilege level {N}\n"
        " local-aaa-user wrong-password retry-interval {N} retry-time {N} block-time {N}\n"
        " manager-user m{S}\n  password cipher @%@%{S}@%@%\n"
        "#\nacl number 3000\n rule 5 permit ip source{S}any destination {W}\n rule {N} deny {W}\n"
        "#\ninterface GigabitEthernet0/0/1\n description {S}x\n port default vlan {N}\n"
        " traffic-filter inbound acl {W}\n nat server protocol tcp global {W} inside {S}1.1.1.1 80\n"
        "#\n snmp-agent community read  %$%${S}%$%$\n snmp-agent community read  %$%${S}\n"
        " snmp-agent community write cipher {D} acl {W}\n info-center loghost {S}10.1.1.1\n"
        " ntp-service unicast-server {W}\n user-bind static ip-address 1.1.1.1 mac-address {S}\n"
        " dhcp snooping enable vlan 1 to {N}\n"
        " nat server n{S}protocol tcp global 1.1.1.1 80 inside 10.1.1.1 80\n"
        "#\nuser-interface vty 0 4\n set authentication password cipher %^%#{S}\n"
        "#\n header login information \"{S}\"\n#\nreturn\n"),
    "huawei_usg": (
        "#\n sysname USG\n#\n nat server x{S}protocol tcp global 1.1.1.1 {W} inside 10.1.1.1 80\n"
        "#\naaa\n #\n manager-user admin\n  password cipher @%@%{S}@%@%\n  level {N}\n #\n"
        " lock-authentication failed-count {N}\n lock-authentication timeout {N}\n"
        "#\nsecurity-policy\n rule name r{S}x\n  source-zone {W}\n  action permit\n#\ninterface NULL0\n#\n"
        "user-interface vty 0 4\n authentication-mode aaa\n#\nreturn\n"),
    "h3c_comware": (
        "#\n version 7.1.070, Release 6343P07\n#\n sysname HOSTILE\n#\n"
        "local-user admin class manage\n password hash {S}x\n service-type {W}\n"
        " authorization-attribute user-role {S}\n#\nlocal-user b class manage\n password cipher $c$3${S}\n#\n"
        " super password role network-admin hash {D}\n"
        " snmp-agent community simple {S}x user-role {W}\n snmp-agent community read cipher {D}\n"
        " password-control login-attempt {N} exceed lock-time {N}\n"
        "#\nacl advanced 3001\n rule {N} permit ip source {W}\n#\n"
        "interface GigabitEthernet1/0/1\n port access vlan {N}\n packet-filter {W} inbound\n"
        " nat server protocol tcp global current-interface {N} inside {S}10.1.1.1 80\n#\n"
        " nat static outbound {W}\n#\nobject-policy ip X\n rule 0 pass source-ip {W}\n#\n"
        " header motd %{S}%\n#\nline vty 0 63\n authentication-mode scheme\n#\nreturn\n"),
    "cisco_ios": (
        "Building configuration...\n!\nversion 15.2\nhostname HOSTILE\n!\n"
        "username a privilege 15{S}secret 9 x\nusername b password 0 {S}x\nusername c {W}\n"
        "username d privilege {N} secret 5 {D}\nenable secret 5 {S}\nenable password level {N} {W}\n"
        "snmp-server community {S} RO\nsnmp-server community x{W}\n"
        "ip access-list extended X\n permit ip{S}any any\n {N} deny {W}\n!\n"
        "access-list 101 permit tcp any any eq{S}80\naccess-list 101 permit {W}\n"
        "ip nat inside source static tcp 10.1.1.1 80{S}1.1.1.1 80\nip nat inside source static {W}\n"
        "logging host {S}\nntp server vrf {W}\nlogin block-for {N} attempts {N} within {N}\n!\n"
        "interface GigabitEthernet0/1\n switchport access vlan {N}\n ip access-group {W} in\n"
        " switchport port-security mac-address sticky {S}\n!\n"
        "line vty 0 4\n password 7 {N}\n transport input {W}\n!\nbanner motd ^C{S}^C\nend\n"),
}


def fill(template: str, n: int) -> str:
    return (template.replace("{S}", " " * n).replace("{W}", "a1 " * (n // 3)).replace("{D}", "%^%#" * (n // 4))
            .replace("{N}", "9" * n))


def elapsed(fn, *args) -> float:
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.parametrize("platform", sorted(HOSTILE))
def test_hostile_lines_are_read_in_linear_time(platform):
    small, large = fill(HOSTILE[platform], 20_000), fill(HOSTILE[platform], 80_000)
    facts = devices.facts(large, platform, "hostile", JUDGE)
    # read to the end, not given up: every fact but the port mappings the hostile NAT lines hide has a value
    assert [k for k, v in facts.items() if "error" in v] in ([], ["nat_servers"]), facts
    t_small = elapsed(devices.facts, small, platform, "hostile", JUDGE)
    t_large = elapsed(devices.facts, large, platform, "hostile", JUDGE)
    # 4x the length: about 4x the time if linear, 16x if quadratic
    assert t_large < 8 * t_small + 0.5, (platform, t_small, t_large)


@pytest.mark.parametrize("line", [
    "local-user admin password cipher %^%#" + " " * 200_000 + "%^%#",  # issue 8: seven minutes before the fix
    "local-user admin password irreversible-cipher " + " " * 200_000 + "x",
    "local-user admin password cipher " + "%^%# " * 500_000,  # 2.5 MB
])
def test_a_two_megabyte_line_is_read_fast(line):
    text = (f"!Software Version V200R019C10SPC500\n#\n sysname H\n#\naaa\n {line}\n#\ninterface NULL0\n#\n"
            "user-interface vty 0 4\n authentication-mode aaa\n#\nreturn\n")
    t = time.perf_counter()
    facts = devices.facts(text, "huawei_vrp", "hostile", JUDGE)
    assert time.perf_counter() - t < 60  # a generous bound: the quadratic form took minutes at 200k
    user = facts["users"]["value"][0]
    assert user["name"] == "admin" and user["weak"] is not True


@pytest.mark.parametrize("value", [
    " " * 200_000, "%^%#" + " " * 200_000 + "%^%#", "cipher " + " " * 200_000 + "x", "$1a$" + "$" * 200_000,
    "7 " + "0" * 200_000, "simple " + "a " * 100_000, "%$%$" * 100_000,
])
def test_password_forms_are_classified_in_linear_time(value):
    for vendor in ("huawei", "h3c", "cisco", "huawei_usg"):
        small = elapsed(passwords.classify, vendor, value[: len(value) // 4])
        large = elapsed(passwords.classify, vendor, value)
        assert large < 8 * small + 0.2, (vendor, small, large)
        JUDGE.credential(vendor, value, "admin")  # and judged without error


@pytest.mark.parametrize("filler", [" " * 100_000, "\x08" * 100_000, "\x1b[K" * 30_000, "\x1b[999999999C x",
                                    "  ---- More ----" + "[42D" * 30_000, "\x1b[" + "9" * 100_000 + "D"])
def test_terminal_noise_is_replayed_in_linear_time_and_bounded_memory(filler):
    small = elapsed(clean.clean, filler[: len(filler) // 4] + "\nsysname x\n")
    large = elapsed(clean.clean, filler + "\nsysname x\n")
    assert large < 8 * small + 0.2
    assert max(len(line) for line in clean.clean(filler)) <= len(filler)


@pytest.mark.parametrize("platform", ["huawei_vrp", "h3c_comware", "cisco_ios"])
def test_a_hostile_mac_table_is_read_in_linear_time(platform):
    row = {"huawei_vrp": "5489-98c0-7e34 10/-/-{S}GE0/0/1 dynamic",
           "h3c_comware": "3c52-8212-0a01   10{S}Learned GE1/0/1 Y",
           "cisco_ios": "  20    0050.7966.6800{S}DYNAMIC     Gi1/0/1"}[platform]
    head = {"huawei_vrp": "MAC Address    VLAN/VSI/BD   Learned-From        Type\n",
            "h3c_comware": "MAC Address      VLAN ID    State            Port/Nickname            Aging\n",
            "cisco_ios": "Vlan    Mac Address       Type        Ports\n"}[platform]
    small = head + row.replace("{S}", " " * 50_000) + "\n"
    large = head + row.replace("{S}", " " * 200_000) + "\n"
    mactable.fact(platform, "t", large)
    assert elapsed(mactable.fact, platform, "t", large) < 8 * elapsed(mactable.fact, platform, "t", small) + 0.5


@pytest.mark.parametrize("platform", ["huawei_vrp", "h3c_comware", "cisco_ios"])
@pytest.mark.parametrize("filler", ["\n", " \n", "%\n", "Total items displayed = 0\n"])
def test_a_mac_table_reply_of_many_lines_is_read_in_linear_time(platform, filler):
    """`^\\s*` under (?m) runs over every following blank line from every line start: quadratic; not any more."""
    small, large = filler * 25_000 + "x", filler * 100_000 + "x"
    assert "error" in mactable.fact(platform, "t", large)
    assert elapsed(mactable.fact, platform, "t", large) < 8 * elapsed(mactable.fact, platform, "t", small) + 0.5
