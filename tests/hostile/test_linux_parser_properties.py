"""Property tests (hypothesis) for the Linux collector's parsers of command outputs and account files, 1,000
examples each (the file-setting parsers are in test_linux_properties.py, with the strategies used here).

Nothing crashes: a fact is a value or a FactError. And what could not be read is not read as nothing: a shadow
file without an account, a route table without the kernel's header, an apt simulation without its count, an
interface listing without an interface are errors, not "no weak password", "no route out", "up to date" or
"no wireless adapter".
"""

from __future__ import annotations

import json
import shutil

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.zicha.audit.plugins.module_utils import (zicha_accounts, zicha_backups, zicha_network,
                                                                  zicha_packages)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError
from tests.hostile.test_linux_properties import (EXAMPLES, as_bytes, garbage, hosts_dir, json_values,  # noqa: F401
                                                 mutated, on_host, outcome)
from tests.linux_host import FakeHost

# md5crypt of the lab's strong password: cheap to try candidates against, so that 1,000 examples stay quick
PASSWD = "root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000:ops:/home/ops:/bin/bash\n" \
         "sync:x:4:65534:sync:/bin:/bin/sync\n"
SHADOW = "root:!:19700:0:99999:7:::\nops:$1$zichaLab$rLr/kLNDr6k/S2.4CyKMN/:19700:0:90:7:::\n" \
         "sync:*:19700:0:99999:7:::\n"


@EXAMPLES
@given(st.one_of(garbage(["root", "ops", ":", "!", "*", "$1$", "$6$", "99999", "x"]), mutated(SHADOW)),
       st.one_of(st.just(as_bytes(PASSWD)), mutated(PASSWD)))
def test_a_shadow_file_read_as_no_account_is_an_error(hosts_dir, shadow, passwd):  # noqa: F811
    kind, v = outcome(zicha_accounts.fact_accounts, "accounts",
                      on_host(hosts_dir, {"/etc/shadow": shadow, "/etc/passwd": passwd}))
    if kind == "value":
        assert v, "no account read, and no error"
        text = shadow.decode("utf-8", "replace")
        for acc in v:
            assert acc["name"] + ":" in text  # every account comes from a line of the file
            assert acc["password"] != "set" or acc["weak"] is not True or acc["weak_reason"]


@EXAMPLES
@given(st.one_of(garbage(), st.lists(json_values, max_size=5).map(json.dumps), json_values.map(json.dumps),
                 st.lists(st.fixed_dictionaries({"time": st.text(max_size=5), "paths": st.lists(st.text(max_size=5)),
                                                 "short_id": st.text(max_size=9)},
                                                optional={"id": json_values, "tags": json_values,
                                                          "hostname": json_values}),
                          max_size=3).map(json.dumps)))
def test_restic_snapshots_are_snapshots_or_unreadable(data):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    try:
        snaps = zicha_backups.restic_snapshots(text)
    except FactError:
        return
    json.dumps(snaps)
    for s in snaps:
        assert isinstance(s["time"], str) and isinstance(s["id"], str) and isinstance(s["paths"], list)


ROUTE = ("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
         "eth0\t00000000\t01FEA8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
         "eth0\t00FEA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")


@EXAMPLES
@given(st.one_of(garbage(["Iface", "Destination", "Gateway", "eth0", "00000000", "\t"]), mutated(ROUTE)))
def test_a_route_table_without_the_kernel_s_header_is_no_route_table(hosts_dir, data):  # noqa: F811
    kind, v = outcome(zicha_network._routes_from_proc, None, on_host(hosts_dir, {"/proc/net/route": data}))
    lines = data.decode("utf-8", "replace").splitlines()
    assert kind == "error" or lines[0].split()[:3] == ["Iface", "Destination", "Gateway"], v
    if kind == "value":
        rows = [ln for ln in lines[1:] if ln.split()]
        assert len(v) == len(rows)  # every route line is a route: none dropped, none made up


APT_OUT = ("Reading package lists...\nBuilding dependency tree...\nReading state information...\n"
           "Calculating upgrade...\n1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"
           "Inst openssl [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])\n"
           "Conf openssl (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])\n")


@EXAMPLES
@given(st.one_of(garbage(["Inst", "Conf", "upgraded,", "newly installed,", "0", "(", ")", "security"]),
                 mutated(APT_OUT)))
def test_an_apt_simulation_not_read_whole_is_no_up_to_date_host(data):
    text = data.decode("utf-8", "replace")
    try:
        pending, security = zicha_packages.apt_simulation(text)
    except FactError:
        return
    assert "newly installed" in text and set(security) <= set(pending)
    assert len(pending) == sum(1 for ln in text.splitlines() if ln.startswith("Inst "))


@EXAMPLES
@given(st.one_of(garbage(["ClamAV-VDB:", ":", "Sat Nov 29 2026", "27470", "0"]),
                 mutated("ClamAV-VDB:29 Nov 2026 08-50 +0000:27470:2071215:90:X:Y:raynman:1764406200" + " " * 40)))
def test_a_clamav_header_is_read_or_refused(data):
    head = data.decode("latin-1")
    try:
        rec = zicha_packages.cvd_header(head, "/var/lib/clamav/daily.cld")
    except FactError:
        return
    assert head.startswith("ClamAV-VDB:")
    assert isinstance(rec["version"], int) and isinstance(rec["signatures"], int)
    assert rec["built_epoch"] is None or isinstance(rec["built_epoch"], int)


IP_ADDR = json.dumps([
    {"ifindex": 1, "ifname": "lo", "flags": ["LOOPBACK", "UP", "LOWER_UP"], "operstate": "UNKNOWN",
     "link_type": "loopback", "address": "00:00:00:00:00:00",
     "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8}]},
    {"ifindex": 2, "ifname": "eth0", "flags": ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], "operstate": "UP",
     "link_type": "ether", "address": "52:54:00:12:34:56",
     "addr_info": [{"family": "inet", "local": "10.0.0.5", "prefixlen": 24, "dynamic": True}]}])


@EXAMPLES
@given(st.one_of(garbage(["[", "{", "ifname", "addr_info", "flags"]).map(lambda b: b"[" + b),
                 mutated(IP_ADDR), st.lists(json_values, max_size=4).map(json.dumps).map(as_bytes)))
def test_an_interface_listing_read_as_no_interface_is_an_error(hosts_dir, data):  # noqa: F811
    shutil.rmtree(hosts_dir, ignore_errors=True)
    host = FakeHost(hosts_dir / "h", {("ip", "-j", "addr", "show"): (0, data.decode("utf-8", "replace"), ""),
                                      ("ip", "-o", "addr", "show"): (1, "", "ip: no such option")})
    kind, v = outcome(zicha_network.fact_interfaces, "interfaces", host.run_for())
    assert kind == "error" or v, "no interface read, and no error"
