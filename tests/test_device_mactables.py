"""MAC address tables: ntc-templates where it knows the layout, our own column parser where it does not, both
tried on the same outputs in their real formats (the corpus tables, saved with prompts and pager remnants)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.devices import clean, mactable

TABLES = Path(__file__).parent / "fixtures" / "devices" / "mac-tables"


def platform_of(name: str) -> str:
    return "huawei_vrp" if name.startswith("hw-") else "h3c_comware" if name.startswith("h3c-") else "cisco_ios"


def body(path: Path) -> str:
    return "\n".join(clean.clean(path.read_text(encoding="utf-8"))).strip("\n") + "\n"


#: the layouts ntc-templates 9 has no template for: Huawei S-series (PEVLAN CEVLAN … LSP/LSR-ID) and VRP8 (Age)
OWN_ONLY = {"hw-s3700-floor2", "hw-s5700-v200r001", "hw-s5720-office-core", "hw-ce6881-dc-tor"}


@pytest.mark.parametrize("name", sorted(p.stem for p in TABLES.glob("*.txt")))
def test_both_parsers_read_the_same_rows_where_both_know_the_layout(name):
    platform, text = platform_of(name), body(TABLES / f"{name}.txt")
    own = mactable.own_rows(text)
    assert own and all(r["interface"] and r["mac"].count(":") == 5 for r in own)
    rows, how = mactable.rows(platform, (TABLES / f"{name}.txt").read_text(encoding="utf-8"))
    if name in OWN_ONLY:
        with pytest.raises(Exception):
            mactable.ntc_rows(platform, text)  # TextFSM stops at the layout it does not know
        assert how == "zicha"
    else:
        assert mactable.ntc_rows(platform, text) == own
        assert how == "ntc-templates"
    assert rows == own


def test_the_huawei_s_series_table_is_read_by_its_columns():
    rows, how = mactable.rows("huawei_vrp", (TABLES / "hw-s3700-floor2.txt").read_text(encoding="utf-8"))
    assert how == "zicha" and rows == [
        {"mac": "00:e0:4c:21:0a:01", "vlan": 10, "interface": "Eth0/0/1", "type": "dynamic"},
        {"mac": "00:e0:4c:21:0a:02", "vlan": 10, "interface": "Eth0/0/2", "type": "dynamic"},
        {"mac": "3c:52:82:12:0a:ff", "vlan": 20, "interface": "Eth0/0/7", "type": "dynamic"},
        {"mac": "00:19:e0:a1:77:b0", "vlan": 99, "interface": "GE0/0/1", "type": "dynamic"}]


def test_the_vrp8_table_with_its_legend_and_age_column():
    rows, _ = mactable.rows("huawei_vrp", (TABLES / "hw-ce6881-dc-tor.txt").read_text(encoding="utf-8"))
    assert [(r["interface"], r["vlan"]) for r in rows] == [
        ("10GE1/0/1", 20), ("10GE1/0/2", 21), ("10GE1/0/3", 22), ("10GE1/0/4", 20), ("40GE1/0/1", 99)]


def test_the_switch_own_entries_are_not_devices():
    rows, _ = mactable.rows("cisco_ios", (TABLES / "c2960-ios122-3f.txt").read_text(encoding="utf-8"))
    assert {r["interface"] for r in rows} == {"Fa0/1", "Fa0/2", "Fa0/3", "Gi0/1"}  # no CPU, no multicast


def test_a_row_after_a_pager_remnant_is_read():
    rows, _ = mactable.rows("cisco_ios", (TABLES / "c2960x-ios15-7f.txt").read_text(encoding="utf-8"))
    assert ("a4:5e:60:c2:1b:9f", "Gi1/0/17") in {(r["mac"], r["interface"]) for r in rows}


@pytest.mark.parametrize("platform, text", [
    ("huawei_vrp", "MAC address table of slot 0:\n" + "-" * 79 + "\nMAC Address    VLAN/       PEVLAN CEVLAN Port"
                   "            Type      LSP/LSR-ID\n               VSI/SI                                        "
                   "      MAC-Tunnel\n" + "-" * 79 + "\nTotal matching items on slot 0 displayed = 0\n"),
    ("huawei_vrp", "Flags: * - Backup\n" + "-" * 79 + "\nMAC Address    VLAN/VSI/BD   Learned-From        Type"
                   "                Age\n" + "-" * 79 + "\nTotal items: 0\n"),
    ("h3c_comware", "<S5120>display mac-address\nMAC ADDR         VLAN ID  STATE          PORT INDEX"
                    "               AGING TIME(s)\n\n  ---  0 mac address(es) found  ---\n"),
    ("cisco_ios", "SW#show mac address-table\n          Mac Address Table\n" + "-" * 43 + "\n\nVlan    Mac Address"
                  "       Type        Ports\n----    -----------       --------    -----\nTotal Mac Addresses for this "
                  "criterion: 0\nSW#\n"),
])
def test_the_vendors_own_answer_for_an_empty_table(platform, text):
    assert mactable.fact(platform, "mac", text) == {"source": "mac", "value": []}


@pytest.mark.parametrize("platform, text", [
    ("huawei_vrp", "Error: Unrecognized command found at '^' position.\n"),
    ("huawei_vrp", "MAC address table of slot 0:\n-----\nMAC Address    VLAN/       PEVLAN CEVLAN Port   Type\n"
                   "5489-98c0-7e34 10 - - \n"),  # cut off before the port
    ("cisco_ios", "SW#show mac address-table\n         ^\n% Invalid input detected at '^' marker.\n"),
    ("h3c_comware", "garbage that is no table\n"),
])
def test_what_is_not_a_table_is_an_error(platform, text):
    got = mactable.fact(platform, "mac", text)
    assert "error" in got and "value" not in got
