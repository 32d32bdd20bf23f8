"""The rules on the two recorded Windows terminals, decided by a real OPA server (no Windows host runs here).

This is where ANTIVIRUS-UPDATED, PATCHES-CURRENT and AUDIT-LOGGING, which pass nowhere in the lab, are seen
to pass and to fail."""

from __future__ import annotations

import json

import pytest

from checker import config, evaluate, normalize, windows
from checker.models import GatherOutcome, Host
from tests.test_windows_normalizer import raw_of

# the terminals were recorded at the end of January 2024: judge them as of then
NOW = "2024-01-31T12:00:00Z"


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    backed_up = {"zicha_backup_required": True}  # both hold important data (their recordings list their backups)
    hosts = [Host("pc-xzb-0412", "windows", "terminal", "office", vars=backed_up),
             Host("pc-lab-0907", "windows", "terminal", "office", vars=backed_up),
             # the same two terminals as classified PCs (涉密计算机) of a zone that must use fixed addresses
             Host("smj-0412", "windows", "terminal", "classified", classified=True,
                  vars={"zicha_addresses": ["10.20.1.15"], "zicha_macs": ["8C-EC-4B-5A-21-07"],
                        "zicha_static_ip_required": True}),
             Host("smj-0907", "windows", "terminal", "classified", classified=True,
                  vars={"zicha_addresses": ["192.168.20.57"], "zicha_macs": ["D8-BB-C1-0E-4F-90"],
                        "zicha_static_ip_required": True})]
    recordings = [raw_of(t) for t in ("terminal-a-compliant", "terminal-b-noncompliant") * 2]
    # a classified Windows 7 PC (no NetTCPIP cmdlets: WMI, netstat), and the same PC with a default route added
    win7 = {"zicha_addresses": ["10.30.5.21"], "zicha_macs": ["F0-DE-F1-3A-77-C2"], "zicha_static_ip_required": True}
    hosts += [Host("smj-win7", "windows", "terminal", "classified", classified=True, vars=win7),
              Host("smj-win7-routed", "windows", "terminal", "classified", classified=True, vars=win7)]
    routed = raw_of("terminal-c-win7")
    doc = json.loads(windows.text(routed["legacy_net"]["out"]))
    doc["Routes"].append({"Destination": "0.0.0.0", "Mask": "0.0.0.0", "NextHop": "10.30.5.254", "InterfaceIndex": 11,
                          "Metric1": 276})
    routed["legacy_net"] = {"out": json.dumps(doc, ensure_ascii=False)}
    recordings += [raw_of("terminal-c-win7"), routed]
    facts = {}
    for host, recording in zip(hosts, recordings):
        raw = {"platform": "windows", "collected_at": NOW, "collector": {"name": "recorded"}, "raw": recording}
        facts[host.name] = normalize.document(host, GatherOutcome(host.name, "ok", raw=raw))
    log = tmp_path_factory.mktemp("opa") / "opa.log"
    with evaluate.OpaServer(log_path=log) as s, evaluate.Evaluator(s.url) as ev:
        ev.load(config.opa_data(config.load_params(), {"zones": {}, "hosts": {}}))
        decision = ev.decide(evaluate.input_document(hosts, facts, NOW))
    return {(r.host, r.rule): r for r in decision.results}


@pytest.mark.parametrize("rule", ["ANTIVIRUS-UPDATED", "PATCHES-CURRENT", "AUDIT-LOGGING", "FIREWALL-DEFAULT-DENY",
                                  "USB-STORAGE-CONTROLLED", "PASSWORD-POLICY", "SCREEN-LOCK", "DEFAULT-ACCOUNTS",
                                  "TIME-SYNC", "UNNEEDED-SERVICES", "SYSLOG-CENTRAL",
                                  "LOG-RETENTION", "SNMP-NO-DEFAULT-COMMUNITY", "REMOTE-MGMT-ENCRYPTED",
                                  "BACKUP-MONTHLY"])
def test_the_compliant_terminal_passes_and_the_other_fails(verdicts, rule):
    good, bad = verdicts[("pc-xzb-0412", rule)], verdicts[("pc-lab-0907", rule)]
    assert good.status == "pass", good.message["en"]
    assert bad.status == "fail", bad.message["en"]


@pytest.mark.parametrize("rule", ["CLASSIFIED-OFFLINE", "STATIC-IP"])
def test_the_classified_windows_pc_passes_and_the_other_fails(verdicts, rule):
    good, bad = verdicts[("smj-0412", rule)], verdicts[("smj-0907", rule)]
    assert good.status == "pass", good.message["en"]
    assert bad.status == "fail", bad.message["en"]


def test_a_classified_windows_7_pc_is_judged_from_wmi_and_netstat(verdicts):
    """No Get-NetRoute on Windows 7: the route table, adapters, addresses, firewall and sockets come from WMI, the
    firewall's COM object and netstat; a default route added there fails CLASSIFIED-OFFLINE."""
    for rule in ("CLASSIFIED-OFFLINE", "STATIC-IP", "FIREWALL-DEFAULT-DENY"):
        assert verdicts[("smj-win7", rule)].status == "pass", (rule, verdicts[("smj-win7", rule)].message["en"])
    routed = verdicts[("smj-win7-routed", "CLASSIFIED-OFFLINE")]
    assert routed.status == "fail"
    assert "has a default route (via 10.30.5.254, dev 本地连接)" in routed.message["en"]
    assert "has a route to internet address 203.0.113.10:80" in routed.message["en"]
    services = verdicts[("smj-win7", "UNNEEDED-SERVICES")]
    assert services.status == "fail" and "msrpc 0.0.0.0:135 (svchost)" in services.message["en"]


def test_why_the_classified_windows_pc_fails(verdicts):
    """Terminal B as a 涉密计算机: two default routes, the probe answered, Wi-Fi and Bluetooth PAN enabled, DHCP."""
    offline = verdicts[("smj-0907", "CLASSIFIED-OFFLINE")].message["en"]
    assert "has a default route (via 192.168.43.1, dev Wi-Fi)" in offline
    assert "has a route to internet address 203.0.113.10:80" in offline
    assert "reached internet address 203.0.113.10:80 (connected)" in offline
    assert "wireless interface Bluetooth Network Connection is up" in offline
    static = verdicts[("smj-0907", "STATIC-IP")].message["en"]
    assert "the address of Wi-Fi was leased by DHCP (192.168.43.120/24)" in static
    assert "address 192.168.43.120 of Wi-Fi is not registered" in static


def test_backups_on_windows_wbadmin_versions_and_a_folder_of_copies(verdicts):
    """Terminal A: Windows Backup to E: weekly (wbadmin get versions, zh-CN) and a restore test recorded on 15
    January; terminal B: copies in D:\\Backup, the newest from October 2023, and no restore test."""
    good = verdicts[("pc-xzb-0412", "BACKUP-MONTHLY")]
    assert good.evidence["observed"]["restore_tests_ok_recent"] == [{"time": "2024-01-15T08:30:00Z", "repo": "E:"}]
    bad = verdicts[("pc-lab-0907", "BACKUP-MONTHLY")].message["en"]
    assert "newest backup in D:\\Backup is 121 days old, more than 31" in bad
    assert "no successful restore test recorded within 31 days" in bad


def test_why_the_noncompliant_terminal_fails(verdicts):
    assert "the signatures of Example Endpoint AV are out of date" in verdicts[("pc-lab-0907", "ANTIVIRUS-UPDATED")].message["en"]
    assert "security updates are pending" in verdicts[("pc-lab-0907", "PATCHES-CURRENT")].message["en"]
    assert "AuditLogonEvents" in verdicts[("pc-lab-0907", "AUDIT-LOGGING")].message["en"]
    assert "Start = 3" in verdicts[("pc-lab-0907", "USB-STORAGE-CONTROLLED")].message["en"]
    assert "smb 0.0.0.0:445 (System)" in verdicts[("pc-lab-0907", "UNNEEDED-SERVICES")].message["en"]
    assert "no time synchronisation daemon runs" in verdicts[("pc-lab-0907", "TIME-SYNC")].message["en"]
    assert "account Guest has no password required (PASSWD_NOTREQD: it may be blank)" in \
        verdicts[("pc-lab-0907", "NO-WEAK-PASSWORD")].message["en"]
    assert "accounts not forced to change their password within 90 days: Guest, lab" in \
        verdicts[("pc-lab-0907", "PASSWORD-POLICY")].message["en"]
    assert "forwarding to 192.168.20.200 is configured but nxlog is not running" in \
        verdicts[("pc-lab-0907", "SYSLOG-CENTRAL")].message["en"]


def test_not_applicable_follows_the_inventory_and_every_other_rule_reads_windows(verdicts):
    """An office terminal is not classified and not a switch: those rules do not concern it. Every other rule
    reads Windows facts: none says it cannot be checked on Windows."""
    for rule in ("CLASSIFIED-OFFLINE", "SWITCH-PORT-BINDING"):
        assert verdicts[("pc-xzb-0412", rule)].status == "not_applicable"
    cannot = [r.rule for r in verdicts.values() if "cannot be checked on windows" in r.message["en"]]
    assert cannot == []


def test_a_cloned_windows_pc_shares_its_passwords_and_the_others_are_named_to_check_by_hand(verdicts):
    """pc-xzb-0412 and smj-0412 are one recording: their account databases are one (as after cloning an image),
    so zhangwei's password was set at the same 100 ns on both. No hash is read; the enabled accounts stay named
    for a check by hand, since no clone found is no proof that the passwords differ."""
    r = verdicts[("pc-xzb-0412", "NO-SHARED-PASSWORD")]
    assert r.status == "fail"
    assert ("account zhangwei shares its password with account zhangwei of smj-0412 (set at the same instant, "
            "2023-12-25T08:10:18.7926919Z: a copied account database, as in a cloned image)") in r.message["en"]
    assert "zicha reads no Windows password hash" in r.message["en"]
    assert "zhangwei" in r.message["en"] and "xzb-admin" not in r.message["en"]  # disabled accounts are no concern
    assert r.evidence["observed"]["shared_with"] == ["zhangwei → smj-0412/zhangwei"]


def test_weak_passwords_are_not_tried_on_windows_so_the_compliant_terminal_is_an_error_naming_its_accounts(verdicts):
    r = verdicts[("pc-xzb-0412", "NO-WEAK-PASSWORD")]
    assert r.status == "error"
    assert "the Windows accounts zhangwei were not tried with weak candidates" in r.message["en"]
