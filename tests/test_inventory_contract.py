"""The inventory contract: zicha's zicha_* vocabulary, read through Ansible's own inventory parser."""

from __future__ import annotations

import pytest

from checker import config, inventory
from checker.errors import InventoryError, SetupError
from tests.conftest import ROOT, run_zicha, write_inventory


def test_the_default_inventory_is_this_machine():
    inv = inventory.load(ROOT / "inventory" / "local.yml")
    [h] = inv.hosts
    assert (h.name, h.platform, h.role, h.classified) == ("localhost", "linux", "server", False)
    assert h.vars["ansible_connection"] == "local"


def test_group_vars_and_platforms_are_resolved(tmp_path):
    inv_path = write_inventory(tmp_path / "inv.yml", {
        "pc1": {"zicha_role": "terminal", "zicha_classified": True, "ansible_password": "s3cret!"},
        "sw1": {"zicha_role": "switch", "ansible_network_os": "cisco.ios.ios"},
        "sw2": {"zicha_role": "switch", "zicha_platform": "h3c_comware"},
        "win1": {"zicha_role": "terminal", "ansible_connection": "winrm"},
    }, {"zicha_zone": "office"})
    inv = inventory.load(inv_path)
    by = {h.name: h for h in inv.hosts}
    assert by["pc1"].platform == "linux" and by["pc1"].classified is True and by["pc1"].zone == "office"
    assert by["sw1"].platform == "cisco_ios"
    assert by["sw2"].platform == "h3c_comware"
    assert by["win1"].platform == "windows"
    # connection secrets stay in Ansible: zicha keeps only where a host is
    assert "ansible_password" not in by["pc1"].vars


@pytest.mark.parametrize("hostvars, message", [
    ({}, "zicha_role is missing"),
    ({"zicha_role": "printer"}, "zicha_role 'printer' is not one of"),
    ({"zicha_role": "terminal", "zicha_classified": "yes"}, "zicha_classified must be true or false"),
    ({"zicha_role": "switch"}, "a switch needs zicha_platform"),
    ({"zicha_role": "switch", "ansible_network_os": "junos"}, "ansible_network_os 'junos' is not supported"),
    ({"zicha_role": "server", "zicha_backup_repos": [{"tool": "restic", "repo": "rest:https://bk:Fin%402026@10.20.0.9:8000/fin"}]},
     "the repository URL carries a password"),
    # shapes that used to crash zicha with a traceback further on
    ({"zicha_role": "server", "zicha_zones": {"office": 5}}, "zicha_zones/office: 5 is not of type 'object'"),
    ({"zicha_role": "server", "zicha_backup_repos": 5}, "zicha_backup_repos: 5 is not of type 'array'"),
    ({"zicha_role": "server", "zicha_backup_repos": [{"tool": "restic", "repo": "/srv/r", "password": "x"}]},
     "a repository password does not belong in the inventory"),
    ({"zicha_role": "server", "zicha_internet_probes": ["203.0.113.1"]}, "zicha_internet_probes/0"),
])
def test_contract_violations_name_the_host_and_variable(hostvars, message):
    with pytest.raises(InventoryError, match=message):
        inventory.host_from_vars("h1", hostvars)


@pytest.mark.parametrize("name", ["../../x", "/abs/x", "sub/dir", "..", ".hidden", "a\nb", "-rf"])
def test_a_host_name_that_could_become_a_path_elsewhere_is_refused(name):
    with pytest.raises(InventoryError, match="not a host name zicha accepts"):
        inventory.host_from_vars(name, {"zicha_role": "server"})


def test_a_broken_inventory_stops_zicha_with_one_line(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("all:\n  hosts:\n    h1:\n      zicha_role: printer\n")
    p = run_zicha("audit", "-i", str(bad), "-o", str(tmp_path / "out"))
    assert p.returncode == 2
    assert p.stderr.strip() == ("zicha: inventory: host h1: zicha_role 'printer' is not one of "
                                "server, terminal, switch, firewall, router")


def test_parameters_are_validated_with_a_clear_error(tmp_path):
    over = tmp_path / "params.yml"
    over.write_text("backup_max_age_days: -3\n")
    with pytest.raises(SetupError, match="backup_max_age_days: -3 is less than the minimum of 1"):
        config.load_params(None, over)
    over.write_text("bakup_max_age_days: 40\n")
    with pytest.raises(SetupError, match="Additional properties are not allowed"):
        config.load_params(None, over)
    over.write_text("backup_max_age_days: 62\n")
    assert config.load_params(None, over)["backup_max_age_days"] == 62


def test_topology_comes_from_the_inventory(tmp_path):
    inv = inventory.load(write_inventory(tmp_path / "inv.yml", {
        "fw1": {"zicha_role": "firewall", "zicha_platform": "huawei_usg", "zicha_addresses": ["10.10.0.1"],
                "ansible_host": "192.168.0.1"},
        "pc1": {"zicha_role": "terminal", "zicha_zone": "office"},
    }, {"zicha_zones": {"office": {"subnets": ["10.10.0.0/24"], "trust": 3}}}))
    topo = config.topology(inv)
    assert topo["zones"]["office"]["subnets"] == ["10.10.0.0/24"]
    assert topo["hosts"]["fw1"]["addresses"] == ["10.10.0.1", "192.168.0.1"]
    assert topo["hosts"]["pc1"] == {"role": "terminal", "zone": "office", "platform": "linux",
                                    "classified": False, "addresses": []}


def test_a_zone_with_a_bad_subnet_is_refused(tmp_path):
    inv = inventory.load(write_inventory(tmp_path / "inv.yml", {"pc1": {"zicha_role": "terminal"}},
                                         {"zicha_zones": {"office": {"subnets": ["10.10.0.300/24"]}}}))
    with pytest.raises(InventoryError, match="zone office: '10.10.0.300/24' is not a subnet"):
        config.topology(inv)
