"""Windows terminals, from recorded outputs in the real formats (no Windows host can run here).

tests/fixtures/windows/ holds what Windows PowerShell 5.1, secedit, reg and net print on a compliant and a
non-compliant Windows 10 terminal, in the encodings they write (README there cites the sources)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import windows
from tests.windows_recordings import FIX, raw_of  # noqa: F401 - raw_of is imported from here by other tests


def values(terminal: str) -> dict:
    f = windows.facts(raw_of(terminal))
    assert not {k: v["error"] for k, v in f.items() if "error" in v}
    return {k: v["value"] for k, v in f.items()}


def test_the_compliant_terminal():
    v = values("terminal-a-compliant")
    [defender] = [p for p in v["antivirus"]["products"] if p["product"] == "Microsoft Defender Antivirus"]
    assert defender["enabled"] is True and defender["signatures_updated_at"].endswith("Z")
    assert defender["signature_age_days"] <= 1
    assert v["host_firewall"]["input_default"] == "drop"
    assert v["password_policy"]["min_length"] >= 8 and v["password_policy"]["complexity"] == 3
    assert v["password_policy"]["lockout"]["attempts"] and v["password_policy"]["max_age_days"] <= 90
    assert v["usb_storage"] == {"usbstor_start": 4, "blocked": True}
    assert v["session_lock"]["screensaver_secure"] is True and v["session_lock"]["screensaver_timeout_seconds"] == 600
    assert v["session_lock"]["users_read"] == 1
    assert v["autologon"]["enabled"] is False
    assert v["updates"]["pending"] == 0  # Out-File wrote only a BOM: no pending update


def test_the_noncompliant_terminal():
    v = values("terminal-b-noncompliant")
    products = {p["product"]: p for p in v["antivirus"]["products"]}
    assert products["Example Endpoint AV"]["signatures_up_to_date"] is False  # productState 0x041010
    fw = {p["name"]: p for p in v["host_firewall"]["profiles"]}
    assert fw["Public"] == {"name": "Public", "enabled": False, "inbound": "allow"}
    assert v["host_firewall"]["input_default"] == "accept"
    assert v["password_policy"]["min_length"] == 0 and v["password_policy"]["lockout"]["attempts"] is None
    assert v["usb_storage"]["blocked"] is False
    assert v["session_lock"]["inactivity_timeout_seconds"] is None  # reg said: the value does not exist
    assert v["updates"]["pending"] == 3 and len(v["updates"]["security"]) == 2


def test_net_accounts_in_chinese_when_secedit_failed():
    raw = raw_of("terminal-b-noncompliant")
    raw["secedit"] = {"out": "", "error": "拒绝访问。"}
    pp = windows.facts(raw)["password_policy"]["value"]
    assert (pp["min_length"], pp["max_age_days"], pp["source"]) == (0, 42, "net accounts")


def test_a_command_that_failed_is_an_error_not_a_default():
    raw = raw_of("terminal-a-compliant")
    raw["usbstor"] = {"out": "", "error": "ERROR: Access is denied."}
    raw["firewall_profiles"] = {"out": ""}
    f = windows.facts(raw)
    assert "Access is denied" in f["usb_storage"]["error"]
    assert "no firewall profile" in f["host_firewall"]["error"]


def test_a_setting_secedit_did_not_export_is_unknown_not_its_default():
    raw = raw_of("terminal-a-compliant")
    inf = raw["secedit"]["out"]
    raw["secedit"] = {"out": "\n".join(line for line in inf.splitlines()
                                      if not line.startswith(("EnableGuestAccount", "MaximumPasswordAge")))}
    f = windows.facts(raw)
    assert "EnableGuestAccount" in f["builtin_accounts"]["error"]
    pp = f["password_policy"]["value"]  # no MaximumPasswordAge: `net accounts` is read instead of assuming 42
    assert pp["source"] == "net accounts"


def test_with_no_desktop_user_logged_on_the_screen_saver_is_unknown():
    raw = raw_of("terminal-b-noncompliant")
    raw["screensaver"] = {"out": "[\r\n\r\n]\r\n"}
    sl = windows.facts(raw)["session_lock"]["value"]
    assert sl["users_read"] == 0 and sl["screensaver_active"] is None and sl["screensaver_secure"] is None


@pytest.mark.parametrize("value, iso", [
    ("\\/Date(1706691735000)\\/", "2024-01-31T09:02:15Z"),
    ("/Date(1706691735000)/", "2024-01-31T09:02:15Z"),
    ({"value": "\\/Date(1706691735000)\\/", "DisplayHint": 2}, "2024-01-31T09:02:15Z"),
    ("2024-01-31T17:02:15+08:00", "2024-01-31T09:02:15Z"),
])
def test_powershell_dates(value, iso):
    assert windows.ps_date(value) == iso


def test_a_windows_facts_document_passes_the_schema():
    from checker import normalize
    from checker.models import GatherOutcome, Host

    raw = {"platform": "windows", "collected_at": "2026-11-27T08:00:00Z", "collector": {"name": "t"},
           "raw": raw_of("terminal-b-noncompliant")}
    doc = normalize.document(Host("pc-lab-0907", "windows", "terminal", "office"),
                             GatherOutcome("pc-lab-0907", "ok", raw=raw)).document
    assert {k for k, v in doc["facts"].items() if "error" in v} == set()
    assert doc["facts"]["usb_storage"]["value"]["blocked"] is False


def test_time_sync_reads_the_windows_time_service_like_chrony():
    """Terminal A (zh-CN): W32Time runs (Status 4) with two NTP servers and no Group Policy key (reg's zh-CN
    not-found error). Terminal B (en-US, UTF-16LE JSON): the service is stopped and disabled."""
    a = windows.facts(raw_of("terminal-a-compliant"))["time_sync"]["value"]
    assert a == {"daemons": ["w32time"], "servers": ["10.10.1.1", "ntp.court.example.gov.cn"], "synchronized": None}
    b = windows.facts(raw_of("terminal-b-noncompliant"))["time_sync"]["value"]
    assert b == {"daemons": [], "servers": ["time.windows.com"], "synchronized": None}


def test_time_sync_follows_group_policy_and_the_domain_hierarchy():
    raw = raw_of("terminal-a-compliant")
    policy = ("\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\W32Time\\Parameters\r\n"
              "    Type    REG_SZ    NT5DS\r\n\r\n")
    v = windows.facts({**raw, "w32time_policy": {"out": policy}})["time_sync"]["value"]
    assert v["servers"] == ["(domain hierarchy)"] and v["daemons"] == ["w32time"]
    nosync = policy.replace("NT5DS", "NoSync")
    v = windows.facts({**raw, "w32time_policy": {"out": nosync}})["time_sync"]["value"]
    assert v == {"daemons": [], "servers": [], "synchronized": None}


def test_time_sync_is_unreadable_when_reg_fails_otherwise():
    """Only reg's not-found error means "no policy"; access denied is unreadable, never the local settings alone."""
    raw = raw_of("terminal-a-compliant")
    denied = {"out": "", "error": "ERROR: Access is denied."}
    assert "error" in windows.facts({**raw, "w32time_policy": denied})["time_sync"]
    assert "error" in windows.facts({**raw, "w32time": {"out": "\r\n"}})["time_sync"]
    assert "error" in windows.facts({**raw, "time_service": {"out": "", "error": "Cannot find any service"}})["time_sync"]


def test_listening_sockets_in_the_linux_shape():
    a = windows.facts(raw_of("terminal-a-compliant"))["listening"]["value"]
    assert {(s["proto"], s["port"]) for s in a} >= {("tcp", 49664), ("tcp6", 7680), ("udp", 123), ("udp6", 123)}
    assert not {s["port"] for s in a} & {135, 139, 445}
    b = windows.facts(raw_of("terminal-b-noncompliant"))["listening"]["value"]
    assert {"proto": "tcp", "address": "0.0.0.0", "port": 445, "process": "System"} in b
    assert {"proto": "tcp", "address": "192.168.20.57", "port": 139, "process": "System"} in b


def test_listening_nothing_or_another_shape_is_unreadable():
    raw = raw_of("terminal-a-compliant")
    assert "error" in windows.facts({**raw, "listening": {"out": "[]"}})["listening"]
    bad = '[{"Protocol": "TCP", "LocalAddress": "0.0.0.0", "LocalPort": "445"}]'
    assert "error" in windows.facts({**raw, "listening": {"out": bad}})["listening"]


# ---------------------------------------------------------------- network: CLASSIFIED-OFFLINE and STATIC-IP

def test_routes_adapters_and_probes_in_the_linux_shape():
    """Terminal A (zh-CN, UTF-8): a static address, a route to the unit's other subnets and no default route, the
    WLAN adapter disabled, the probe unreachable. Terminal B (en-US, UTF-16LE): DHCP on Ethernet and on Wi-Fi (a
    phone's hotspot), a default route through each, Bluetooth PAN enabled, the probe answered."""
    a = values("terminal-a-compliant")
    assert [r for r in a["routes"] if r["dst"] == "default"] == []
    assert {"dst": "10.20.0.0/16", "gateway": "10.20.1.254", "dev": "以太网", "table": "main", "family": "inet",
            "type": "unicast"} in a["routes"]
    assert not [r for r in a["routes"] if r["dst"].startswith(("224.", "ff00", "fe80", "127."))]
    nics = {i["name"]: i for i in a["interfaces"]}
    assert nics["以太网"]["mac"] == "8c:ec:4b:5a:21:07" and nics["以太网"]["addresses"][-1] == "10.20.1.15/24"
    assert nics["以太网"]["dynamic"] == [] and nics["以太网"]["wireless"] is False
    assert nics["WLAN"] == {**nics["WLAN"], "wireless": True, "up": False, "addresses": []}
    assert a["network_config"] == {"dhcp": [], "static": [{"interface": "以太网", "source": "Get-NetIPInterface"}],
                                   "dhcp_clients_running": []}
    assert a["route_lookups"][0]["route"] is False and a["probes"][0]["answered"] is False

    b = values("terminal-b-noncompliant")
    assert {(r["gateway"], r["dev"]) for r in b["routes"] if r["dst"] == "default"} == \
        {("192.168.20.1", "Ethernet"), ("192.168.43.1", "Wi-Fi")}
    nics = {i["name"]: i for i in b["interfaces"]}
    assert nics["Wi-Fi"]["wireless"] and nics["Wi-Fi"]["up"] and nics["Wi-Fi"]["dynamic"] == ["192.168.43.120/24"]
    bt = nics["Bluetooth Network Connection"]
    assert bt["kind"] == "bluetooth" and bt["up"] is True and bt["operstate"] == "disconnected"
    assert bt["addresses"] == []  # APIPA on a disconnected adapter is no address
    assert {d["interface"] for d in b["network_config"]["dhcp"]} == {"Ethernet", "Wi-Fi", "Bluetooth Network Connection"}
    assert b["route_lookups"][0] == {"target": "203.0.113.10:80", "address": "203.0.113.10", "route": True,
                                     "detail": "0.0.0.0/0 via 192.168.20.1 dev Ethernet"}
    assert b["probes"][0]["result"] == "connected" and b["probes"][0]["answered"] is True


@pytest.mark.parametrize("key, out, fact", [
    ("routes", "[]", "routes"),                                       # Windows always has routes: nothing is no read
    ("adapters", "", "interfaces"),                                   # no adapter at all
    ("adapters", '[{"Name": "x", "Status": "Up"}]', "interfaces"),    # no NDIS medium: cannot tell a radio
    ("ip_interfaces", '[{"InterfaceAlias": "以太网", "Dhcp": 7}]', "network_config"),
    ("probes", '[{"Target": "203.0.113.10:80", "Result": "maybe"}]', "probes"),
    ("route_lookups", '[{"Target": "203.0.113.10:80", "Route": "yes"}]', "route_lookups"),
])
def test_network_outputs_of_another_shape_are_unreadable(key, out, fact):
    raw = raw_of("terminal-a-compliant")
    assert "error" in windows.facts({**raw, key: {"out": out}})[fact]
    assert "error" in windows.facts({**raw, key: {"out": "", "error": "Access is denied."}})[fact]


def test_a_route_lookup_missing_for_a_probe_is_no_read():
    raw = raw_of("terminal-b-noncompliant")
    assert "error" in windows.facts({**raw, "route_lookups": {"out": "[]"}})["route_lookups"]



# ---------------------------------------------------------------- log forwarding: SYSLOG-CENTRAL

def test_log_forwarding_in_the_linux_shape():
    """A: Group Policy's Windows Event Forwarding to the unit's collector, WinRM running, no NXLog. B: no WEF
    policy (reg's en-US not-found error), NXLog installed and stopped, its om_tcp output to 192.168.20.200:514."""
    a = values("terminal-a-compliant")["log_forwarding"]
    assert a == {"targets": [{"host": "10.10.1.20", "port": 5985, "proto": "wsman", "via": "wef", "running": True,
                              "source": "EventForwarding\\SubscriptionManager"}]}
    b = values("terminal-b-noncompliant")["log_forwarding"]
    assert b == {"targets": [{"host": "192.168.20.200", "port": 514, "proto": "tcp", "via": "nxlog",
                              "running": False, "source": "nxlog.conf"}]}


@pytest.mark.parametrize("key, entry", [
    ("wef", {"out": "", "error": "ERROR: Access is denied."}),                       # not "no policy"
    ("wef", {"out": "\r\nHKEY_LOCAL_MACHINE\\...\r\n    1    REG_SZ    Refresh=60\r\n"}),  # no Server
    ("forwarders", {"out": "", "error": "Get-Service failed"}),
    ("nxlog_conf", {"out": "<Output x>\r\n  Module om_udp\r\n</Output>\r\n"}),  # an output without a Host
])
def test_log_forwarding_that_cannot_be_read_is_an_error(key, entry):
    raw = raw_of("terminal-b-noncompliant")
    assert "error" in windows.facts({**raw, key: entry})["log_forwarding"]


def test_nxlog_installed_without_a_readable_configuration_is_an_error():
    raw = raw_of("terminal-b-noncompliant")
    assert "error" in windows.facts({**raw, "nxlog_conf": {"out": ""}})["log_forwarding"]


def test_nxlog_host_with_its_port():
    assert windows.nxlog_outputs("<Output o>\n Module om_ssl\n Host [2001:db8::5]:6514\n</Output>\n") == \
        [{"host": "2001:db8::5", "port": 6514, "proto": "ssl"}]
    assert windows.nxlog_outputs("<Output o>\n Module om_file\n File 'x.log'\n</Output>\n") == []



# ---------------------------------------------------------------- event logs: LOG-RETENTION

def test_event_logs_as_log_stores():
    """A: Security archived when full (AutoBackup), System full and 212 days deep, Application half full at 95 days
    (projected: 95 × 20 MiB ÷ 8 MiB ≈ 237 days). B: the defaults, 20 MiB circular, Security six days deep."""
    a = {s["name"]: s for s in values("terminal-a-compliant")["log_retention"]["stores"]}
    assert a["Security"]["unbounded"] is True and a["System"] == {**a["System"], "days": 212.4, "unbounded": False}
    assert a["Application"]["days"] == 237.4
    b = {s["name"]: s for s in values("terminal-b-noncompliant")["log_retention"]["stores"]}
    assert (b["Security"]["days"], b["Security"]["unbounded"]) == (6.2, False)
    assert "Circular, 20 MiB max" in b["Security"]["detail"]


@pytest.mark.parametrize("out", [
    "[]",                                                                   # no log listed
    '[{"LogName": "Security", "LogMode": "Circular"}]',                    # System and Application missing
    '[{"LogName": "Security", "LogMode": 0}, {"LogName": "System", "LogMode": "Circular"}, '
    '{"LogName": "Application", "LogMode": "Circular"}]',                  # a mode of another shape
])
def test_event_logs_of_another_shape_are_unreadable(out):
    raw = raw_of("terminal-a-compliant")
    assert "error" in windows.facts({**raw, "event_logs": {"out": out}})["log_retention"]


def test_an_empty_circular_log_keeps_an_unknown_span():
    rows = ('[{"LogName": "%s", "LogMode": "Circular", "MaximumSizeInBytes": 20971520, "FileSize": 69632, '
            '"OldestAgeDays": null}]')
    out = "[" + ",".join(rows % n for n in windows.EVENT_LOGS).replace("[", "").replace("]", "") + "]"
    stores = windows.facts({**raw_of("terminal-a-compliant"), "event_logs": {"out": out}})["log_retention"]["value"]
    assert [s["days"] for s in stores["stores"]] == [None, None, None]



# ---------------------------------------------------------------- SNMP: SNMP-NO-DEFAULT-COMMUNITY

def test_snmp_communities_judged_on_the_host_in_the_linux_shape():
    """A: no SNMP service. B: the SNMP service runs with a default read community and a write community that is
    neither a default nor a weak candidate (the collector judged both; neither community is in the recording)."""
    assert values("terminal-a-compliant")["snmpd"] == {"present": False, "running": False, "communities": []}
    b = values("terminal-b-noncompliant")["snmpd"]
    assert b["running"] and [(c["access"], c["default"]) for c in b["communities"]] == [("read", True), ("write", False)]
    recorded = (FIX / "terminal-b-noncompliant" / "Snmp.json").read_bytes().decode("utf-16")
    assert "public" not in recorded.lower()


@pytest.mark.parametrize("out", [
    "", "[]", '{"Present": true}', '{"Present": true, "Running": true, "Communities": [{"Access": "read"}]}',
    '{"Present": true, "Running": true, "Communities": [{"Access": "notify", "Default": false}]}',
])
def test_snmp_reads_of_another_shape_are_unreadable(out):
    raw = raw_of("terminal-a-compliant")
    assert "error" in windows.facts({**raw, "snmp": {"out": out}})["snmpd"]


def test_one_community_written_as_an_object_is_still_read():
    one = '{"Present": true, "Running": true, "Communities": {"Access": "write", "Default": true, "Source": "x"}}'
    v = windows.facts({**raw_of("terminal-a-compliant"), "snmp": {"out": one}})["snmpd"]["value"]
    assert v["communities"] == [{"access": "write", "default": True, "source": "x"}]



# ---------------------------------------------------------------- remote access: REMOTE-MGMT-ENCRYPTED

def test_remote_desktop_and_winrm():
    """A: Remote Desktop off (NLA and TLS set anyway), WinRM encrypted. B: RDP on without NLA, on RDP's own
    security layer, and WinRM accepting unencrypted traffic."""
    assert values("terminal-a-compliant")["remote_access"] == {
        "rdp": {"enabled": False, "nla": True, "security_layer": "tls"}, "winrm": {"allow_unencrypted": False}}
    assert values("terminal-b-noncompliant")["remote_access"] == {
        "rdp": {"enabled": True, "nla": False, "security_layer": "rdp"}, "winrm": {"allow_unencrypted": True}}


def test_group_policy_wins_over_the_local_rdp_settings():
    import json

    doc = json.loads(windows.text((FIX / "terminal-b-noncompliant" / "RemoteAccess.json").read_bytes()))
    doc.update(PolicyUserAuthentication=1, PolicySecurityLayer=2, PolicyAllowUnencryptedTraffic=0)
    v = windows.facts({**raw_of("terminal-b-noncompliant"), "remote_access": {"out": json.dumps(doc)}})
    assert v["remote_access"]["value"] == {"rdp": {"enabled": True, "nla": True, "security_layer": "tls"},
                                           "winrm": {"allow_unencrypted": False}}


@pytest.mark.parametrize("out", [
    "", '{"fDenyTSConnections": null}',
    '{"fDenyTSConnections": 0, "UserAuthentication": null, "SecurityLayer": 2, "WinRMAllowUnencrypted": "false"}',
    '{"fDenyTSConnections": 1, "WinRMAllowUnencrypted": ""}',
])
def test_remote_access_that_cannot_be_read_is_an_error(out):
    assert "error" in windows.facts({**raw_of("terminal-a-compliant"), "remote_access": {"out": out}})["remote_access"]



# ---------------------------------------------------------------- local accounts: NO-WEAK-PASSWORD, PASSWORD-POLICY

def test_local_accounts_in_the_linux_shape_without_a_logon_attempt():
    """A: every built-in account disabled (the Administrator renamed xzb-admin), one user whose password expires
    after 90 days. B: Guest enabled with PASSWD_NOTREQD (it may have no password: weak), a user whose password
    never expires. No account's password is tried: weak is null unless the flags alone say so."""
    a = {x["name"]: x for x in values("terminal-a-compliant")["accounts"]}
    assert a["xzb-admin"]["password"] == "locked" and a["Guest"]["password"] == "locked"
    assert a["zhangwei"] == {**a["zhangwei"], "password": "set", "weak": None, "max_days": 90, "last_change_days_ago": 37}
    b = {x["name"]: x for x in values("terminal-b-noncompliant")["accounts"]}
    assert (b["Guest"]["weak"], b["Guest"]["weak_reason"]) == (True, "password_not_required")
    assert b["lab"]["max_days"] is None and b["lab"]["weak"] is None
    assert b["DefaultAccount"]["weak"] is None  # disabled: PASSWD_NOTREQD does not matter


@pytest.mark.parametrize("out", ["", "[]", '[{"Name": "x"}]', '[{"Name": "x", "UserFlags": "513"}]'])
def test_local_accounts_that_cannot_be_read_are_an_error(out):
    assert "error" in windows.facts({**raw_of("terminal-a-compliant"), "local_users": {"out": out}})["accounts"]


def test_backups_are_read_from_wbadmins_version_identifiers_in_any_language():
    a, b = values("terminal-a-compliant"), values("terminal-b-noncompliant")
    [usb] = a["backups"]
    assert usb["tool"] == "wbadmin" and usb["repo"] == "E:" and usb["source"] == "wbadmin get versions -backupTarget:E:"
    assert [s["time"] for s in usb["snapshots"]] == ["2024-01-13T13:00:00Z", "2024-01-20T13:00:00Z",
                                                    "2024-01-27T13:00:00Z"]
    assert a["restore_tests"]["present"] and a["restore_tests"]["records"][0]["result"] == "ok"
    [copies] = b["backups"]
    assert copies["tool"] == "files" and copies["snapshots"][0]["time"] == "2023-10-02T09:14:51Z"
    assert b["restore_tests"] == {"file": "C:\\ProgramData\\zicha\\restore-tests.jsonl", "present": False,
                                  "records": []}


@pytest.mark.parametrize("listing, why", [
    ("wbadmin 1.0 - Backup command-line tool\n\nERROR - The specified backup location could not be found.",
     "listed no backup version (exit code 4): ERROR - The specified backup location could not be found."),
    ("", "listed no backup version (exit code 4): no output"),
    ("Version identifier: 13/45/2024-13:00", "is not a date"),
])
def test_a_wbadmin_listing_without_a_version_is_an_error_not_an_empty_repository(listing, why):
    raw = {"backups": {"out": json.dumps([{"Tool": "wbadmin", "Repo": "E:", "Output": listing, "ExitCode": 4}])},
           "restore_log": {"out": json.dumps({"Path": "C:\\r.jsonl", "Present": False, "Text": ""})}}
    got = windows.facts(raw)["backups"]
    assert why in (got.get("error") or got["value"][0].get("error", "")), got


def test_a_backup_folder_without_a_file_list_is_unreadable_and_an_empty_one_holds_no_backup():
    raw = {"backups": {"out": json.dumps([{"Tool": "files", "Repo": "D:\\Backup", "Files": []}])}}
    assert windows.facts(raw)["backups"]["value"][0]["snapshots"] == []
    raw = {"backups": {"out": json.dumps([{"Tool": "files", "Repo": "D:\\Backup"}])}}
    assert "no file list" in windows.facts(raw)["backups"]["error"]


def test_domestic_antivirus_found_through_security_center_gives_no_date_so_no_pass():
    """火绒 and 360 register with Windows Security Center (root/SecurityCenter2), which holds only their own
    state flag: 火绒 says up to date (no date: the rule says it cannot read one, naming the product), 360 says out
    of date (believed: fail); Defender stands by, its real-time scanner off (productState 0x060100)."""
    recorded = (FIX / "AntiVirusProduct-domestic.zh-CN.json").read_bytes()
    got = windows.facts({"mp_status": {"out": "", "error": "Get-MpComputerStatus: 0x800106ba"},
                         "av_products": {"out": windows.text(recorded)}})["antivirus"]["value"]["products"]
    by = {p["product"]: p for p in got}
    assert set(by) == {"Windows Defender", "火绒安全软件", "360杀毒"}
    assert by["火绒安全软件"]["enabled"] and by["火绒安全软件"]["signatures_up_to_date"] is None
    assert "no signature date" in by["火绒安全软件"]["signatures_error"]
    assert by["360杀毒"]["enabled"] and by["360杀毒"]["signatures_up_to_date"] is False
    assert by["Windows Defender"]["enabled"] is False


def test_windows_7_network_facts_come_from_wmi_the_firewall_object_and_netstat():
    """Terminal C: a classified Windows 7 SP1 PC (zh-CN, WMF 5.1). Get-NetRoute and the other NetTCPIP cmdlets do
    not exist there (their zh-CN "无法将…识别为 cmdlet" errors are recorded); the module's legacy_net listing gives
    the same facts, in the same shapes, and says where they came from."""
    f = windows.facts(raw_of("terminal-c-win7"))
    v = {k: e["value"] for k, e in f.items() if "value" in e}
    assert [r for r in v["routes"] if r["gateway"]] == [
        {"dst": "10.30.0.0/16", "gateway": "10.30.5.254", "dev": "本地连接", "table": "main", "family": "inet",
         "type": "unicast"}]
    assert {r["dst"] for r in v["routes"]} == {"10.30.0.0/16", "10.30.5.0/24", "10.30.5.21/32", "10.30.5.255/32"}
    by = {i["name"]: i for i in v["interfaces"]}
    assert by["本地连接"]["up"] and by["本地连接"]["addresses"] == ["10.30.5.21/24", "fe80::5d1c:2e4a:91b0:3f21/64"]
    assert by["本地连接"]["mac"] == "f0:de:f1:3a:77:c2" and not by["本地连接"]["wireless"]
    assert not by["无线网络连接"]["up"] and not by["蓝牙网络连接"]["up"]
    assert v["network_config"]["static"] == [{"interface": "本地连接", "source": "Get-NetIPInterface"}]
    assert v["host_firewall"]["input_default"] == "drop"
    listening = {(s["proto"], s["address"], s["port"], s["process"]) for s in v["listening"]}
    assert ("tcp", "0.0.0.0", 135, "svchost") in listening and ("tcp6", "::", 135, "svchost") in listening
    assert ("udp6", "fe80::5d1c:2e4a:91b0:3f21", 546, "svchost") in listening
    assert not any(s["port"] == 49170 for s in v["listening"])  # an established connection does not listen
    assert v["route_lookups"] == [{"target": "203.0.113.10:80", "address": "203.0.113.10", "route": False,
                                   "detail": "Find-NetRoute is not available on this Windows"}]
    assert "Win32_IP4RouteTable" in f["routes"]["source"] and "netstat -ano" in f["listening"]["source"]


def test_windows_7_route_lookup_is_made_in_the_wmi_route_table():
    raw = raw_of("terminal-c-win7")
    doc = json.loads(windows.text((FIX / "terminal-c-win7" / "LegacyNet.json").read_bytes()))
    doc["Routes"].append({"Destination": "0.0.0.0", "Mask": "0.0.0.0", "NextHop": "10.30.5.254", "InterfaceIndex": 11,
                          "Metric1": 276})
    raw["legacy_net"] = {"out": json.dumps(doc, ensure_ascii=False)}
    v = windows.facts(raw)
    assert {"dst": "default", "gateway": "10.30.5.254", "dev": "本地连接", "table": "main", "family": "inet",
            "type": "unicast"} in v["routes"]["value"]
    [found] = v["route_lookups"]["value"]
    assert found["route"] is True and found["detail"] == "0.0.0.0/0 via 10.30.5.254 dev 本地连接"


def test_a_missing_find_netroute_is_never_taken_for_no_route():
    """Route unknown (Windows 7) without a WMI route table to look in: no read, not "no route"."""
    raw = raw_of("terminal-c-win7")
    raw["legacy_net"] = {"out": "", "error": "Get-WmiObject: 拒绝访问。"}
    f = windows.facts(raw)
    assert "no Route" in f["route_lookups"]["error"]
    assert "Get-NetRoute" in f["routes"]["error"] and "error" in f["interfaces"]


@pytest.mark.parametrize("change, why", [
    (lambda d: d.pop("Routes"), "without Routes"),
    (lambda d: d["Configs"][0].update(IPSubnet=["255.255.255.0"]), "do not pair"),
    (lambda d: d.update(Netstat="  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    x7\r\n"), "another shape"),
    (lambda d: d["Adapters"][0].update(NetEnabled=True, Name="Intel(R) Dual Band Wireless-AC 8265"),
     "has no NdisPhysicalMedium"),
])
def test_a_windows_7_listing_that_is_not_whole_is_no_read(change, why):
    raw = raw_of("terminal-c-win7")
    doc = json.loads(windows.text((FIX / "terminal-c-win7" / "LegacyNet.json").read_bytes()))
    change(doc)
    raw["legacy_net"] = {"out": json.dumps(doc, ensure_ascii=False)}
    f = windows.facts(raw)
    errors = " ".join(e.get("error", "") for e in f.values())
    assert why in errors, {k: e.get("error") for k, e in f.items()}


def test_port_mappings_come_from_portproxy_and_winnat_in_the_devices_shape():
    a, b = values("terminal-a-compliant"), values("terminal-b-noncompliant")
    assert a["nat_servers"] == []  # reg: the PortProxy key does not exist (zh-CN, GBK), WinNAT has none
    assert b["nat_servers"] == [
        {"protocol": "tcp", "global_address": "0.0.0.0", "global_port": 33890, "inside_address": "192.168.20.61",
         "inside_port": 3389, "via": "portproxy v4tov4"},
        {"protocol": "tcp", "global_address": "192.168.43.120", "global_port": 8080, "inside_address": "192.168.20.200",
         "inside_port": 80, "via": "portproxy v4tov4"}]
    assert windows.facts(raw_of("terminal-c-win7"))["nat_servers"]["value"] == []  # Windows 7: no WinNAT


@pytest.mark.parametrize("change, why", [
    (lambda r: r.update(nat_mappings={"out": json.dumps({"NetNat": None, "NetNatAvailable": False,
                                                         "RemoteAccess": "Running"})}), "Routing and Remote Access"),
    (lambda r: r.update(port_proxy={"out": r["port_proxy"]["out"] + "    ::/80    REG_MULTI_SZ    x\r\n"}),
     "a line of another shape"),
    (lambda r: r.update(port_proxy={"out": "", "error": "ERROR: Access is denied."}), "Access is denied"),
    (lambda r: r.update(nat_mappings={"out": ""}), "no record"),
])
def test_port_mappings_that_cannot_be_read_whole_are_no_read(change, why):
    raw = raw_of("terminal-b-noncompliant")
    change(raw)
    assert why in windows.facts(raw)["nat_servers"]["error"]


def test_a_windows_server_without_defender_or_security_center_is_no_antivirus_read_not_no_antivirus():
    """Windows Server 2012 R2 (en-US): no Defender cmdlets (Get-MpComputerStatus is not recognised) and no Security
    Center (root/SecurityCenter2 exists on client Windows only: "Invalid namespace"). Whatever antivirus runs
    there, zicha cannot see it: the fact is an error naming why, never "no antivirus installed"."""
    d = FIX / "server-2012r2-en"
    raw = {"mp_status": {"out": "", "error": windows.text((d / "Get-MpComputerStatus.stderr.txt").read_bytes())},
           "av_products": {"out": "", "error": windows.text((d / "AntiVirusProduct.stderr.txt").read_bytes())}}
    got = windows.facts(raw)["antivirus"]
    assert "value" not in got and "Invalid namespace" in got["error"]
