"""Property tests (hypothesis) for the Linux collector's parsers: each is fed garbage and mutations of valid
input, through a fake host (tests/linux_host.py), 1,000 examples each.

- Nothing crashes: a fact is a value or a FactError (which the collector reports as `error`), never another
  exception.
- Garbage never reads as a compliant setting: garbage pwquality is no strong policy, garbage logrotate keeps
  no log 180 days, garbage /proc/net/tcp is no "nothing listens", and so on. Where a rule decides on a number,
  a setting whose value is not a number is unreadable (FactError), not a default and not a null the rule
  would compare as small.
- What mutations of a valid file leave readable still fits the facts schema.
- Decided by a real OPA server: hosts made of garbage configuration pass none of the rules those files decide.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ansible_collections.zicha.audit.plugins.module_utils import (
    zicha_accounts, zicha_backups, zicha_desktop, zicha_firewall, zicha_logs, zicha_network, zicha_snmp,
    zicha_system)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError
from ansible_collections.zicha.audit.plugins.modules import linux_facts
from checker import normalize
from tests.linux_host import FakeHost

EXAMPLES = settings(max_examples=1000, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NOT_NUMBERS = ["x", "abc", "yes", "-", "--5", "1_0", "١٢", "0x10", "1e3", "12abc", "8 8", "nan", "∞", "½", '""',
               "'", "0b1", "+", "8#", "Ⅻ"]

# ---------------------------------------------------------------- strategies


def as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


junk_word = st.one_of(st.sampled_from(NOT_NUMBERS),
                      st.text(alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl", "Cs")), min_size=1,
                              max_size=8))


def soup(keywords: list[str], separators=("=", " ", "\t", " = ", "")) -> st.SearchStrategy[str]:
    """Lines of the parser's own words with values that are no numbers, comments and junk between them."""
    line = st.one_of(
        st.tuples(st.sampled_from(keywords), st.sampled_from(separators), junk_word).map("".join),
        st.sampled_from(keywords),
        st.text(max_size=40),
        st.sampled_from(["#", ";", "{", "}", "[", "]", "\\", '"', "=", "\x00", "\ufeff", " " * 50]),
    )
    return st.lists(line, max_size=25).map("\n".join)


def garbage(keywords: list[str] | None = None) -> st.SearchStrategy[bytes]:
    parts = [st.binary(max_size=2000), st.text(max_size=2000).map(as_bytes)]
    if keywords:
        parts.append(soup(keywords).map(as_bytes))
    return st.one_of(*parts)


TOKENS = ["\n", " ", "\t", "=", "#", ";", "{", "}", "[", "]", '"', "'", ":", ",", "@", "\x00", "-1", "0", "99999",
          "99999999999999999999999", "١٢", "1_0", "0x10", "nan", "é", "\ufeff", "\r\n"]


@st.composite
def mutated(draw, valid: str) -> bytes:
    """A valid file, cut, spliced, with lines dropped, doubled or swapped, and junk inserted."""
    text = valid
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "dup", "drop", "swap", "truncate"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 20)))
        lines = text.split("\n")
        k = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))) + text[i:]
        elif op == "replace":
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[j:]
        elif op == "dup":
            text = "\n".join(lines[:k + 1] + lines[k:])
        elif op == "drop":
            text = "\n".join(lines[:k] + lines[k + 1:])
        elif op == "swap":
            m = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[k], lines[m] = lines[m], lines[k]
            text = "\n".join(lines)
        else:
            text = text[:i]
    return as_bytes(text)


# ---------------------------------------------------------------- running one parser on a fake host

_dirs = itertools.count()


@pytest.fixture(scope="module")
def hosts_dir():
    d = Path(tempfile.mkdtemp(prefix="zicha-linux-props-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def on_host(base: Path, files: dict[str, bytes], processes=(), params=None):
    """A fresh fake host with these files and running processes; the run on it."""
    root = base / str(next(_dirs))
    shutil.rmtree(base, ignore_errors=True)  # the previous example's host
    host = FakeHost(root)
    for path, data in files.items():
        host.write(path, data)
    for pid, name in enumerate(processes, 10):
        host.process(pid, name)
    return host.run_for(params or {})


def outcome(fact, key, run):
    """("value", v) or ("error", message): anything else the fact raises fails the test."""
    try:
        value = fact(run)
    except FactError as e:
        return "error", str(e)
    json.dumps(value)  # a fact is JSON
    if key is not None:
        checked = normalize.check_facts({key: {"source": "test", "value": value}})[key]
        assert "error" not in checked, (checked["error"], value)
    return "value", value


def lt(a, b) -> bool:
    """Rego's `<` across types: null sorts before booleans, numbers and strings (so null < 0 holds)."""
    order = {type(None): 0, bool: 1, int: 2, float: 2, str: 3}
    ta, tb = order.get(type(a), 4), order.get(type(b), 4)
    return ta < tb if ta != tb else a < b


# ---------------------------------------------------------------- os-release

OS_RELEASE = 'NAME="Kylin Linux Advanced Server"\nVERSION="V10 (Lance)"\nID="kylin"\nVERSION_ID="V10"\n' \
             'PRETTY_NAME="Kylin Linux Advanced Server V10 (Lance)"\nANSI_COLOR="0;31"\n'


@EXAMPLES
@given(st.one_of(garbage(["ID", "ID_LIKE", "NAME", "VERSION_ID"]), mutated(OS_RELEASE)))
def test_os_release(hosts_dir, data):
    kind, v = outcome(zicha_system.fact_os, "os", on_host(hosts_dir, {"/etc/os-release": data}))
    text = data.decode("utf-8", "replace")
    if kind == "value":
        assert re.search(r"(?m)^\s*ID=", text), v  # an ID only from an ID line
        assert v["family"] in ("debian", "rhel", "other")


# ---------------------------------------------------------------- password policy

PAM_PWQUALITY = "password requisite pam_pwquality.so retry=3\npassword [success=1 default=ignore] pam_unix.so obscure\n"
PAM_FAILLOCK = "auth required pam_faillock.so preauth\nauth [default=die] pam_faillock.so authfail\n"
PWQUALITY = "# pwquality.conf\nminlen = 12\nminclass = 3\ndcredit = -1\nucredit = -1\nlcredit = -1\nocredit = -1\n" \
            "enforce_for_root\n"
LOGIN_DEFS = "MAIL_DIR /var/mail\nPASS_MAX_DAYS\t90\nPASS_MIN_DAYS\t1\nPASS_WARN_AGE\t7\nENCRYPT_METHOD SHA512\n"
FAILLOCK = "# faillock.conf\ndeny = 5\nunlock_time = 900\nfail_interval = 900\nsilent\n"
QUALITY_WORDS = ["minlen", "minclass", "dcredit", "ucredit", "lcredit", "ocredit", "retry", "difok", "maxrepeat",
                 "enforce_for_root"]


def strong(settings: dict) -> bool:
    """PASSWORD-POLICY's strength test, as the rule reads the settings (null compared as Rego does)."""
    minlen = settings.get("minlen", 8)
    credits = sum(1 for c in ("dcredit", "ucredit", "lcredit", "ocredit") if lt(settings.get(c, 0), 0))
    minclass = settings.get("minclass", 0)
    classes = credits if lt(minclass, credits) else minclass
    return not lt(minlen, 8) and not lt(classes, 3)


def policy(hosts_dir, files):
    return outcome(zicha_accounts.fact_password_policy, "password_policy", on_host(hosts_dir, files))


@EXAMPLES
@given(garbage(QUALITY_WORDS))
def test_garbage_pwquality_is_no_strong_policy(hosts_dir, data):
    kind, v = policy(hosts_dir, {"/etc/pam.d/common-password": as_bytes(PAM_PWQUALITY),
                                 "/etc/security/pwquality.conf": data})
    assert kind == "error" or not strong(v["pwquality"]["settings"]), v


@EXAMPLES
@given(garbage(["password", "requisite", "required", "pam_pwquality.so", "pam_cracklib.so", "minlen", "dcredit",
                "ucredit", "lcredit", "ocredit", "minclass", "[success=1", "default=ignore]"]))
def test_garbage_pam_file_is_no_strong_policy(hosts_dir, data):
    kind, v = policy(hosts_dir, {"/etc/pam.d/common-password": data})
    assert kind == "error" or not (v["pwquality"]["in_pam"] and strong(v["pwquality"]["settings"])), v


@EXAMPLES
@given(st.one_of(mutated(PWQUALITY), mutated(PAM_PWQUALITY + PAM_FAILLOCK)))
def test_mutated_pwquality_and_pam(hosts_dir, data):
    policy(hosts_dir, {"/etc/pam.d/common-password": data, "/etc/security/pwquality.conf": data})


@EXAMPLES
@given(garbage(["PASS_MAX_DAYS", "PASS_MIN_DAYS", "PASS_MIN_LEN", "PASS_WARN_AGE", "ENCRYPT_METHOD"]))
def test_garbage_login_defs_sets_no_maximum_age(hosts_dir, data):
    kind, v = policy(hosts_dir, {"/etc/login.defs": data})
    if kind == "value":
        days = v["login_defs"].get("PASS_MAX_DAYS", 99999)
        assert not (days is None or (isinstance(days, int) and days <= 90)), v  # the rule passes both


@EXAMPLES
@given(mutated(LOGIN_DEFS))
def test_mutated_login_defs(hosts_dir, data):
    policy(hosts_dir, {"/etc/login.defs": data})


@EXAMPLES
@given(garbage(["deny", "unlock_time", "fail_interval", "even_deny_root", "silent", "dir"]))
def test_garbage_faillock_reads_as_nothing(hosts_dir, data):
    files = {"/etc/pam.d/common-auth": as_bytes(PAM_FAILLOCK)}
    _, empty = policy(hosts_dir, dict(files, **{"/etc/security/faillock.conf": b""}))
    kind, v = policy(hosts_dir, dict(files, **{"/etc/security/faillock.conf": data}))
    assert kind == "error" or v["lockout"] == empty["lockout"], v  # pam_faillock's own defaults


@EXAMPLES
@given(mutated(FAILLOCK))
def test_mutated_faillock(hosts_dir, data):
    policy(hosts_dir, {"/etc/pam.d/common-auth": as_bytes(PAM_FAILLOCK), "/etc/security/faillock.conf": data})


# ---------------------------------------------------------------- logs

SYSLOG_FILES = {"/var/log/syslog", "/var/log/messages", "/var/log/auth.log", "/var/log/secure"}
LOGROTATE = "weekly\nrotate 4\ncreate\n\n/var/log/wtmp {\n    missingok\n    monthly\n    rotate 1\n}\n" \
            "/var/log/syslog\n/var/log/auth.log\n{\n\trotate 52\n\tweekly\n\tmaxage 400\n\tcompress\n}\n"


@EXAMPLES
@given(garbage(["rotate", "weekly", "monthly", "daily", "yearly", "hourly", "maxage", "size", "include",
                "/var/log/syslog {", "/var/log/messages", "/var/log/auth.log {", "{", "}", '"/var/log/secure"']))
def test_garbage_logrotate_keeps_no_log_180_days(hosts_dir, data):
    kind, v = outcome(zicha_logs.fact_logging, "logging", on_host(hosts_dir, {"/etc/logrotate.conf": data}))
    if kind == "value":
        kept = {f: r["days"] for f, r in v["logrotate"]["files"].items() if f in SYSLOG_FILES}
        assert not [f for f, d in kept.items() if isinstance(d, (int, float)) and d >= 180], v


@EXAMPLES
@given(mutated(LOGROTATE))
def test_mutated_logrotate(hosts_dir, data):
    outcome(zicha_logs.fact_logging, "logging", on_host(hosts_dir, {"/etc/logrotate.conf": data}))


JOURNALD = "[Journal]\nStorage=persistent\nMaxRetentionSec=1year\nSystemMaxUse=2G\nForwardToSyslog=yes\n"


@EXAMPLES
@given(st.one_of(garbage(["Storage", "MaxRetentionSec", "SystemMaxUse", "[Journal]", "persistent", "auto"]),
                 mutated(JOURNALD)))
def test_journald(hosts_dir, data):
    kind, v = outcome(zicha_logs.fact_logging, "logging", on_host(hosts_dir, {"/etc/systemd/journald.conf": data}))
    if kind == "value":
        j = v["journald"]
        assert j is not None  # the file is there
        secs = j["max_retention_sec"]
        assert secs is None or re.search(r"(?m)^\s*MaxRetentionSec\s*=\s*\d", data.decode("utf-8", "replace")), j


RSYSLOG = 'module(load="imuxsock")\n*.*;auth,authpriv.none -/var/log/syslog\nauth,authpriv.* /var/log/auth.log\n' \
          '*.* @@logs.example.gov.cn:6514\nkern.* @10.1.2.3\n' \
          '*.* action(type="omfwd" target="10.9.9.9" port="514" protocol="tcp")\n'


@EXAMPLES
@given(st.one_of(garbage(["*.*", "@", "@@", "action(", 'type="omfwd"', 'target="', "/var/log/syslog", "$"]),
                 mutated(RSYSLOG)))
def test_rsyslog_forwards_only_what_a_forwarding_line_says(hosts_dir, data):
    run = on_host(hosts_dir, {"/etc/rsyslog.conf": data}, processes=["rsyslogd"])
    kind, v = outcome(zicha_logs.fact_logging, "logging", run)
    if kind == "value":
        lines = [s.strip() for s in data.decode("utf-8", "replace").splitlines()]
        for r in v["rsyslog"]["remote"]:
            # a selector (facility.priority) and an action naming that host
            assert [s for s in lines if r["host"] in s and ("omfwd" in s or re.match(r"^\S*\.\S*\s+@", s))], r
            assert isinstance(r["port"], int) and r["proto"], r
        # the platform-neutral fact SYSLOG-CENTRAL reads says the same, no more
        _, fwd = outcome(zicha_logs.fact_log_forwarding, "log_forwarding", run)
        assert [(t["host"], t["port"]) for t in fwd["targets"]] == [(r["host"], r["port"]) for r in v["rsyslog"]["remote"]]


CHRONY = "pool 2.debian.pool.ntp.org iburst\nserver ntp.example.gov.cn iburst\nkeyfile /etc/chrony/chrony.keys\n" \
         "driftfile /var/lib/chrony/chrony.drift\nmakestep 1 3\n"


@EXAMPLES
@given(st.one_of(garbage(["server", "pool", "peer", "iburst", "makestep"]), mutated(CHRONY)))
def test_time_servers_only_from_server_lines(hosts_dir, data):
    run = on_host(hosts_dir, {"/etc/chrony/chrony.conf": data}, processes=["chronyd"])
    kind, v = outcome(zicha_logs.fact_time_sync, "time_sync", run)
    if kind == "value":
        lines = [s.split() for s in data.decode("utf-8", "replace").splitlines() if s.split()]
        named = {f[1] for f in lines if f[0] in ("server", "pool", "peer") and len(f) > 1}
        assert set(v["servers"]) <= named, v
        assert v["synchronized"] is None  # no chronyc here: not known, never true


AUDIT_RULES = "-D\n-b 8192\n-w /etc/passwd -p wa -k identity\n-a always,exit -F arch=b64 -S execve -k exec\n"


@EXAMPLES
@given(st.one_of(garbage(["-a", "-w", "-D", "-b", "-e", "always,exit", "-abc", "-wx"]), mutated(AUDIT_RULES)))
@example(b"-aa,a -F")  # found by a random run: an option glued to its argument
def test_audit_rules_are_rules(hosts_dir, data):
    run = on_host(hosts_dir, {"/etc/audit/audit.rules": data, "/etc/audit/auditd.conf": b"num_logs = 5\n"},
                  processes=["auditd"])
    kind, v = outcome(zicha_logs.fact_auditd, "auditd", run)
    if kind == "value":
        lines = [s.split() for s in data.decode("utf-8", "replace").splitlines()]
        assert v["rules"] <= sum(1 for f in lines if len(f) > 1 and f[0] in ("-a", "-A", "-w")), v


# ---------------------------------------------------------------- snmpd, sockets, records

SNMPD = "agentAddress udp:127.0.0.1:161\nrocommunity Kx9vB2qLm7 10.0.0.0/8\nrwcommunity6 private\n" \
        "com2sec readonly default public\nsysLocation machine room\n"


@EXAMPLES
@given(st.one_of(garbage(["rocommunity", "rwcommunity", "com2sec", "rocommunity6", "public", "default"]),
                 mutated(SNMPD)))
def test_snmpd_communities_only_from_community_lines(hosts_dir, data):
    kind, v = outcome(zicha_snmp.fact_snmpd, "snmpd", on_host(hosts_dir, {"/etc/snmp/snmpd.conf": data}))
    if kind == "value":
        lines = [s.split() for s in data.decode("utf-8", "replace").splitlines() if s.split()]
        directives = [f for f in lines if f[0] in ("rocommunity", "rocommunity6", "rwcommunity", "rwcommunity6",
                                                   "com2sec", "com2sec6")]
        assert len(v["communities"]) <= len(directives), v


TCP = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
       "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n"
       "   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   104        0 1234 1 0 100 0 0 10 0\n"
       "   2: 0200000A:0016 0100000A:D431 01 00000000:00000000 02:000A7B1C 00000000     0        0 4343 4 0 20 4 29 10 -1\n")


@EXAMPLES
@given(garbage(["sl", "local_address", "0A", "07", "00000000:0016", ":"]))
def test_garbage_socket_table_is_unreadable_not_nothing_listening(hosts_dir, data):
    files = {"/proc/net/tcp": data, "/proc/net/udp": as_bytes(TCP.splitlines()[0] + "\n")}
    kind, v = outcome(zicha_network.fact_listening, "listening", on_host(hosts_dir, files))
    lines = data.decode("utf-8", "replace").splitlines()
    assert kind == "error" or (lines and "local_address" in lines[0]), v  # the kernel's header, at least


@EXAMPLES
@given(mutated(TCP))
def test_mutated_socket_table(hosts_dir, data):
    files = {"/proc/net/tcp": data, "/proc/net/udp": as_bytes(TCP.splitlines()[0] + "\n")}
    outcome(zicha_network.fact_listening, "listening", on_host(hosts_dir, files))


RESTORE = '{"time": "2026-01-05T10:00:00Z", "repo": "/srv/restic/finance", "snapshot": "4b2a1c9e", "result": "ok"}\n' \
          '{"time": "2026-02-05T10:00:00Z", "repo": "/srv/restic/finance", "snapshot": "77aa00ff", "result": "failed"}\n'
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                           max_leaves=8)


@EXAMPLES
@given(st.one_of(garbage(), mutated(RESTORE),
                 st.lists(json_values.map(json.dumps), max_size=8).map(lambda x: as_bytes("\n".join(x)))))
def test_restore_records_only_from_records(hosts_dir, data):
    run = on_host(hosts_dir, {"/var/log/zicha/restore-tests.jsonl": data})
    kind, v = outcome(zicha_backups.fact_restore_tests, "restore_tests", run)
    if kind == "value":
        for r in v["records"]:
            assert r["result"] != "ok" or '"result"' in data.decode("utf-8", "replace"), v
            assert all(x is None or isinstance(x, str) for x in r.values()), r  # the schema's types


# ---------------------------------------------------------------- firewall, session lock, USB storage

nft_json = st.one_of(st.text(max_size=300), json_values.map(json.dumps),
                     st.lists(st.fixed_dictionaries({}, optional={
                         "chain": st.fixed_dictionaries({}, optional={
                             "family": st.sampled_from(["ip", "inet", "ip6", 5, None]),
                             "hook": st.sampled_from(["input", "forward", None, [1]]),
                             "policy": st.sampled_from(["drop", "accept", None, 3, "DROP"]),
                             "table": json_values, "name": json_values}),
                         "rule": st.fixed_dictionaries({}, optional={
                             "family": json_values, "table": json_values, "chain": json_values,
                             "expr": st.one_of(json_values, st.lists(st.dictionaries(
                                 st.sampled_from(["accept", "drop", "counter", "dnat", "match"]), json_values,
                                 max_size=2), max_size=3))})}),
                              max_size=6).map(lambda items: json.dumps({"nftables": items})))


@EXAMPLES
@given(nft_json, st.text(max_size=300))
def test_firewall_rulesets_never_crash(hosts_dir, nft, iptables):
    host = FakeHost(hosts_dir / str(next(_dirs)), {("nft", "-j", "list", "ruleset"): (0, nft, ""),
                                                   ("iptables", "-S"): (0, iptables, "")})
    kind, v = outcome(zicha_firewall.fact_host_firewall, "host_firewall", host.run_for())
    shutil.rmtree(host.root, ignore_errors=True)
    if kind == "value" and v["input_default"] == "drop":
        assert '"drop"' in nft or "reject" in nft or "DROP" in iptables or "REJECT" in iptables, v


PROFILE = "# /etc/profile.d/tmout.sh\nreadonly TMOUT=600\nexport TMOUT\n"
DCONF = "[org/gnome/desktop/session]\nidle-delay=uint32 300\n\n[org/gnome/desktop/screensaver]\nlock-enabled=true\n" \
        "lock-delay=uint32 0\n"


@EXAMPLES
@given(st.one_of(garbage(["TMOUT", "export", "readonly", "idle-delay", "lock-enabled", "lock-delay",
                          "[org/gnome/desktop/session]", "[org/gnome/desktop/screensaver]", "uint32"]),
                 mutated(PROFILE + DCONF)))
@example(b"\t[org/gnome/desktop/session\nidle-delay=")  # found by CI: a key with no value crashed the collector
def test_session_lock_settings_only_from_their_lines(hosts_dir, data):
    run = on_host(hosts_dir, {"/etc/profile.d/tmout.sh": data, "/etc/dconf/db/local.d/00-lock": data})
    kind, v = outcome(zicha_desktop.fact_session_lock, "session_lock", run)
    if kind == "value":
        text = data.decode("utf-8", "replace")
        assert not v["tmout"] or re.search(r"TMOUT=\d", text), v
        assert v["gnome"]["lock_enabled"] is not True or "lock-enabled" in text, v
        assert v["gnome"]["idle_delay"] is None or re.search(r"idle-delay\s*=.*\d", text), v


MODPROBE = "# block USB storage\ninstall usb-storage /bin/false\nblacklist uas\noptions snd_hda_intel power_save=1\n"


@EXAMPLES
@given(st.one_of(garbage(["install", "blacklist", "usb-storage", "usb_storage", "uas", "/bin/true"]),
                 mutated(MODPROBE)))
def test_usb_storage_is_blocked_only_by_a_rule(hosts_dir, data):
    files = {"/etc/modprobe.d/usb.conf": data, "/lib/modules/6.1.0-zicha-test/modules.builtin": b""}
    kind, v = outcome(zicha_system.fact_usb_storage, "usb_storage", on_host(hosts_dir, files))
    if kind == "value":
        lines = [s.split() for s in data.decode("utf-8", "replace").splitlines() if s.split()]
        for mod in ("usb_storage", "uas"):
            rules = [f for f in lines if f[0] in ("install", "blacklist") and len(f) > 1
                     and f[1].replace("-", "_") == mod]
            assert rules or not (v[mod]["install_blocks"] or v[mod]["blacklisted"]), v


# ---------------------------------------------------------------- decided by a real OPA server

GARBAGE_DECIDES = {
    # rule: the files a host's garbage goes into (each host's rule reads only these, and valid files otherwise)
    "PASSWORD-POLICY": ["/etc/security/pwquality.conf", "/etc/login.defs", "/etc/security/faillock.conf"],
    "LOG-RETENTION": ["/etc/logrotate.conf"],
    "SYSLOG-CENTRAL": ["/etc/rsyslog.conf"],
    "TIME-SYNC": ["/etc/chrony/chrony.conf"],
    "AUDIT-LOGGING": ["/etc/audit/audit.rules"],
    "SCREEN-LOCK": ["/etc/profile.d/tmout.sh"],
}
KEYWORDS = QUALITY_WORDS + ["PASS_MAX_DAYS", "deny", "rotate", "weekly", "/var/log/syslog {", "}", "*.*", "@@",
                            "server", "-a", "-w", "TMOUT", "export"]


@pytest.fixture(scope="module")
def decider(tmp_path_factory):
    from checker import config, evaluate

    log = tmp_path_factory.mktemp("opa") / "opa.log"
    with evaluate.OpaServer(log_path=log) as s, evaluate.Evaluator(s.url) as ev:
        ev.load(config.opa_data(config.load_params(), {"zones": {}, "hosts": {}}))
        yield ev


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(garbage(KEYWORDS), min_size=40, max_size=40))
def test_hosts_of_garbage_pass_no_rule_their_garbage_decides(decider, hosts_dir, garbages):
    """40 hosts an example, 1,000 in all: each has valid PAM lines, accounts and running daemons, and garbage in
    every file the rules above read."""
    from checker import evaluate
    from checker.models import GatherOutcome, Host

    hosts, facts = [], {}
    for n, data in enumerate(garbages):
        files = {p: data for paths in GARBAGE_DECIDES.values() for p in paths}
        files.update({"/etc/pam.d/common-password": as_bytes(PAM_PWQUALITY), "/etc/pam.d/common-auth":
                      as_bytes(PAM_FAILLOCK), "/etc/passwd": b"root:x:0:0::/root:/bin/bash\n",
                      "/etc/shadow": b"root:!:19000:0:90:7:::\n", "/etc/audit/auditd.conf": b"num_logs = 5\n"})
        run = on_host(hosts_dir / f"h{n}", files, processes=["rsyslogd", "chronyd", "auditd"])
        host = Host(f"pc{n}", "linux", "terminal", "office")
        raw = linux_facts.collect({}, host=run)
        hosts.append(host)
        facts[host.name] = normalize.document(host, GatherOutcome(host.name, "ok", raw=raw))
    decision = decider.decide(evaluate.input_document(hosts, facts, raw["collected_at"]))
    # "server x" is a valid chrony line (x a host name): only a host whose garbage names no server must not pass
    names_server = {f"pc{n}" for n, data in enumerate(garbages)
                    if re.search(rb"(?m)^[ \t]*(server|pool|peer)[ \t]+[A-Za-z0-9][A-Za-z0-9._-]*([ \t].*)?$", data)}
    passed = [(r.host, r.rule) for r in decision.results if r.rule in GARBAGE_DECIDES and r.status == "pass"
              and not (r.rule == "TIME-SYNC" and r.host in names_server)]
    assert not passed, passed
