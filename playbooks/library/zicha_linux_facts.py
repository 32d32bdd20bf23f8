#!/usr/bin/python
# -*- coding: utf-8 -*-
# zicha: collect every fact zicha's rules need from one Linux host, in one module run, read-only.
# Runs on the target's own Python (3.6 and newer: no dataclasses, no walrus), so it also covers
# older UOS, Kylin and openEuler releases. Secrets stay on the host: password hashes are read and
# verified here, and only verdicts (account name, weak or not, why) are returned.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: zicha_linux_facts
short_description: Collect zicha's compliance facts from a Linux host (read-only)
description:
  - Reads routes, interfaces, probes of the internet, local accounts (weak-password verdicts only),
    backup tool records and restore-test records. Never changes the host.
options:
  internet_probes:
    description: Addresses standing for the internet, as C(host:port) (port defaults to 80).
    type: list
    elements: str
    default: []
  probe_timeout:
    description: Seconds to wait for each probe.
    type: float
    default: 3
  backup_repos:
    description: Backup repositories to read, each a dict with C(tool) (restic), C(repo) and C(password_file).
    type: list
    elements: dict
    default: []
  restore_log:
    description: JSON-lines file where restore tests are recorded.
    type: str
    default: /var/log/zicha/restore-tests.jsonl
  weak_passwords:
    description: Candidate weak passwords, tried against each account's hash on the host.
    type: list
    elements: str
    default: []
  org_names:
    description: The organisation's names and abbreviations, tried with years and separators.
    type: list
    elements: str
    default: []
  org_years:
    description: First and last year tried with the organisation's names.
    type: list
    elements: int
    default: []
author: zicha
"""

RETURN = r"""
zicha:
  description: The raw facts document (schema zicha.facts/v1, before normalisation).
  returned: always
  type: dict
"""

import ctypes
import ctypes.util
import datetime
import errno
import hmac
import json
import os
import platform
import re
import socket
import subprocess
import time

try:
    from ansible.module_utils.basic import AnsibleModule
except ImportError:  # run by `zicha collect` on a host without Ansible
    AnsibleModule = None

COLLECTOR_VERSION = "1.0"
SHADOW = "/etc/shadow"
PASSWD = "/etc/passwd"


class FactError(Exception):
    """A fact could not be read; the message says why and ends up in the result as `error`."""


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _run(argv, env=None, timeout=60):
    """Run a command; return (rc, stdout, stderr). A missing program is a FactError."""
    full_env = dict(os.environ)
    full_env["LC_ALL"] = "C"
    if env:
        full_env.update(env)
    try:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise FactError("%s: command not found" % argv[0])
        raise FactError("%s: %s" % (argv[0], e.strerror))
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise FactError("%s: no answer within %ss" % (" ".join(argv[:3]), timeout))
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except IOError as e:
        if e.errno == errno.ENOENT:
            raise FactError("%s: no such file" % path)
        if e.errno == errno.EACCES:
            raise FactError("%s: permission denied (zicha needs root here: become: true)" % path)
        raise FactError("%s: %s" % (path, e.strerror))


# ---------------------------------------------------------------- system


def fact_os(params):
    info = {"kernel": platform.release(), "hostname": socket.gethostname()}
    try:
        text = _read("/etc/os-release")
    except FactError:
        text = ""
    for line in text.splitlines():
        m = re.match(r'^([A-Z_]+)=(.*)$', line.strip())
        if m and m.group(1) in ("ID", "ID_LIKE", "VERSION_ID", "PRETTY_NAME", "NAME"):
            info[m.group(1).lower()] = m.group(2).strip().strip('"')
    if "id" not in info:
        raise FactError("/etc/os-release: no ID")
    like = (info.get("id", "") + " " + info.get("id_like", "")).split()
    if any(x in like for x in ("debian", "ubuntu", "uos", "deepin", "kylin")):
        info["family"] = "debian"
    elif any(x in like for x in ("rhel", "fedora", "centos", "openeuler", "anolis", "suse")):
        info["family"] = "rhel"
    else:
        info["family"] = "other"
    return info


# ---------------------------------------------------------------- network


def _hex_ip4(h):
    return socket.inet_ntoa(bytes(bytearray.fromhex(h))[::-1])


def _routes_from_proc():
    routes = []
    for line in _read("/proc/net/route").splitlines()[1:]:
        f = line.split()
        if len(f) < 8:
            continue
        dst, gw = _hex_ip4(f[1]), _hex_ip4(f[2])
        plen = bin(int(f[7], 16)).count("1")
        routes.append({
            "dst": "default" if dst == "0.0.0.0" and plen == 0 else "%s/%d" % (dst, plen),
            "gateway": gw if gw != "0.0.0.0" else None,
            "dev": f[0], "table": "main", "family": "inet", "type": "unicast",
        })
    try:
        text = _read("/proc/net/ipv6_route")
    except FactError:
        text = ""
    for line in text.splitlines():
        f = line.split()
        if len(f) < 10 or f[9] == "lo":
            continue
        dst = socket.inet_ntop(socket.AF_INET6, bytes(bytearray.fromhex(f[0])))
        plen = int(f[1], 16)
        gw = socket.inet_ntop(socket.AF_INET6, bytes(bytearray.fromhex(f[4])))
        routes.append({
            "dst": "default" if plen == 0 else "%s/%d" % (dst, plen),
            "gateway": gw if gw != "::" else None,
            "dev": f[9], "table": "main", "family": "inet6", "type": "unicast",
        })
    return routes


def fact_routes(params):
    """Every unicast route of every table but `local` (policy routing included)."""
    rc, out, err = _run(["ip", "-j", "route", "show", "table", "all"])
    rc6, out6, _ = _run(["ip", "-j", "-6", "route", "show", "table", "all"])
    if rc != 0 or not out.strip().startswith("["):
        return _routes_from_proc()  # iproute2 without JSON (before 4.14)
    routes = []
    for fam, text in (("inet", out), ("inet6", out6 if rc6 == 0 else "[]")):
        for r in json.loads(text or "[]"):
            rtype = r.get("type", "unicast")
            table = str(r.get("table", "main"))
            if table == "local" or rtype in ("local", "broadcast", "multicast", "anycast"):
                continue
            dst = r.get("dst", "")
            if fam == "inet6" and (dst.startswith("fe80::") or dst.startswith("ff00::")):
                continue
            routes.append({
                "dst": dst, "gateway": r.get("gateway"), "dev": r.get("dev"),
                "table": table, "family": fam, "type": rtype,
            })
    return routes


def _wireless(ifname):
    base = "/sys/class/net/%s" % ifname
    return os.path.isdir(base + "/wireless") or os.path.exists(base + "/phy80211")


def fact_interfaces(params):
    rc, out, err = _run(["ip", "-j", "addr", "show"])
    ifaces = []
    if rc == 0 and out.strip().startswith("["):
        for i in json.loads(out):
            name = i.get("ifname")
            flags = i.get("flags", [])
            ifaces.append({
                "name": name,
                "mac": i.get("address"),
                "kind": i.get("link_type"),
                "up": "UP" in flags,
                "operstate": (i.get("operstate") or "").lower(),
                "wireless": _wireless(name),
                "addresses": ["%s/%s" % (a["local"], a["prefixlen"]) for a in i.get("addr_info", [])
                              if a.get("family") in ("inet", "inet6") and "local" in a],
            })
        return ifaces
    # Older iproute2: /sys and `ip -o addr`.
    rc, out, err = _run(["ip", "-o", "addr", "show"])
    if rc != 0:
        raise FactError("ip -o addr show: rc %d: %s" % (rc, err.strip()))
    addrs = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[2] in ("inet", "inet6"):
            addrs.setdefault(f[1].rstrip(":"), []).append(f[3])
    for name in sorted(os.listdir("/sys/class/net")):
        base = "/sys/class/net/" + name
        try:
            flags = int(_read(base + "/flags").strip(), 16)
            mac = _read(base + "/address").strip()
            oper = _read(base + "/operstate").strip()
        except FactError:
            continue
        ifaces.append({"name": name, "mac": mac, "kind": "loopback" if name == "lo" else "ether",
                       "up": bool(flags & 1), "operstate": oper, "wireless": _wireless(name),
                       "addresses": addrs.get(name, [])})
    return ifaces


def _split_target(t):
    t = t.strip()
    m = re.match(r"^\[([^\]]+)\](?::(\d+))?$", t) or re.match(r"^([^:]+)(?::(\d+))?$", t)
    if not m:
        m2 = re.match(r"^([0-9a-fA-F:]+)$", t)  # bare IPv6
        if not m2:
            raise FactError("probe target %r is not host:port" % t)
        return t, 80
    return m.group(1), int(m.group(2) or 80)


def fact_route_lookups(params):
    """For each internet probe address: the route the kernel would take (`ip route get`), or none."""
    out = []
    for target in params.get("internet_probes") or []:
        host, _port = _split_target(target)
        try:
            addr = socket.getaddrinfo(host, None)[0][4][0]
        except socket.gaierror as e:
            out.append({"target": target, "address": None, "route": False, "detail": "unresolved: %s" % e})
            continue
        rc, o, e = _run(["ip", "route", "get", addr])
        out.append({"target": target, "address": addr, "route": rc == 0,
                    "detail": (o if rc == 0 else e).strip().splitlines()[0] if (o or e).strip() else ""})
    return out


def fact_probes(params):
    """TCP connections to the internet probe addresses. `answered` is true when anything answered."""
    timeout = float(params.get("probe_timeout") or 3)
    out = []
    for target in params.get("internet_probes") or []:
        host, port = _split_target(target)
        rec = {"target": target, "port": port}
        try:
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except socket.gaierror as e:
            rec.update(result="unresolved", answered=False, detail=str(e))
            out.append(rec)
            continue
        fam, st, proto, _, sa = infos[0]
        s = socket.socket(fam, st, proto)
        s.settimeout(timeout)
        t0 = time.time()
        try:
            s.connect(sa)
            rec.update(result="connected", answered=True)
        except socket.timeout:
            rec.update(result="timeout", answered=False)
        except (OSError, IOError) as e:
            if e.errno == errno.ECONNREFUSED:
                # A reset came back: something out there answered.
                rec.update(result="refused", answered=True)
            elif e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EACCES, errno.EPERM):
                rec.update(result="unreachable", answered=False, detail=os.strerror(e.errno))
            else:
                rec.update(result="error", answered=False, detail=str(e))
        finally:
            s.close()
        rec["address"] = sa[0]
        rec["seconds"] = round(time.time() - t0, 3)
        out.append(rec)
    return out


# ---------------------------------------------------------------- accounts and weak passwords


class _Crypt(object):
    """libcrypt's crypt_r through ctypes: verifies yescrypt, sha512crypt, md5crypt... on any Python."""

    def __init__(self):
        name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as e:
            raise FactError("libcrypt not loadable (%s): cannot verify password hashes" % e)
        self.lib.crypt_r.restype = ctypes.c_char_p
        self.lib.crypt_r.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
        self.buf = ctypes.create_string_buffer(32768)  # struct crypt_data (libxcrypt: 32 KiB)

    def matches(self, candidate, stored):
        ctypes.memset(self.buf, 0, ctypes.sizeof(self.buf))
        out = self.lib.crypt_r(candidate.encode("utf-8"), stored.encode("ascii"), self.buf)
        if out is None or out.startswith(b"*"):
            raise FactError("hash scheme not supported by this libcrypt")
        return hmac.compare_digest(out, stored.encode("ascii"))


_SCHEMES = [("$y$", "yescrypt"), ("$gy$", "gost-yescrypt"), ("$7$", "scrypt"), ("$2b$", "bcrypt"),
            ("$2y$", "bcrypt"), ("$2a$", "bcrypt"), ("$6$", "sha512crypt"), ("$5$", "sha256crypt"),
            ("$1$", "md5crypt"), ("$sm3$", "sm3crypt")]


def _scheme(h):
    for prefix, name in _SCHEMES:
        if h.startswith(prefix):
            return name
    if len(h) == 13:
        return "descrypt"
    return "unknown"


def _candidates(user, params):
    """Candidate weak passwords for one account, most likely first; each with the reason it is weak."""
    seen = set()
    out = []

    def add(pw, why):
        if pw not in seen:
            seen.add(pw)
            out.append((pw, why))

    for form in (user, user.capitalize(), user.upper(), user + user, user[::-1]):
        add(form, "same_as_username")
    for suffix in ("123", "@123", "#123", "123456", "1234", "!@#", "@2024", "@2025", "@2026"):
        add(user + suffix, "username_pattern")
        add(user.capitalize() + suffix, "username_pattern")
    for pw in params.get("weak_passwords") or []:
        add(pw, "weak_list")
    years = params.get("org_years") or []
    if len(years) == 2:
        years = range(int(years[0]), int(years[1]) + 1)
    for org in params.get("org_names") or []:
        for form in sorted({org, org.lower(), org.upper(), org.capitalize()}):
            add(form, "org_name")
            for y in years:
                for sep in ("", "@", "#", "_", "."):
                    add("%s%s%d" % (form, sep, y), "org_name_year")
    return out


def fact_accounts(params):
    """Local accounts with their password state and ageing; weak-password verdicts computed here."""
    passwd = {}
    for line in _read(PASSWD).splitlines():
        f = line.split(":")
        if len(f) >= 7 and not line.startswith("#"):
            passwd[f[0]] = {"uid": int(f[2]) if f[2].isdigit() else None, "shell": f[6]}
    shadow_text = _read(SHADOW)
    today = int(time.time() // 86400)
    crypt = None
    accounts = []
    for line in shadow_text.splitlines():
        f = line.split(":")
        if len(f) < 2 or line.startswith("#"):
            continue
        name, h = f[0], f[1]

        def num(i):
            return int(f[i]) if len(f) > i and f[i].strip().isdigit() else None

        acc = {
            "name": name,
            "uid": passwd.get(name, {}).get("uid"),
            "shell": passwd.get(name, {}).get("shell"),
            "last_change_days_ago": (today - num(2)) if num(2) is not None else None,
            "min_days": num(3), "max_days": num(4), "warn_days": num(5), "inactive_days": num(6),
            "expired": num(7) is not None and num(7) <= today,
        }
        if h == "":
            acc.update(password="empty", scheme=None, weak=True, weak_reason="empty")
        elif h.startswith("!") or h.startswith("*") or h in ("x", "LK", "NP"):
            acc.update(password="locked" if h.startswith("!") and len(h) > 2 else "none", scheme=None, weak=None)
        else:
            acc.update(password="set", scheme=_scheme(h), weak=False, weak_reason=None)
            try:
                if crypt is None:
                    crypt = _Crypt()
                t0 = time.time()
                for cand, why in _candidates(name, params):
                    if crypt.matches(cand, h):
                        acc.update(weak=True, weak_reason=why)
                        break
                acc["check_seconds"] = round(time.time() - t0, 2)
            except FactError as e:
                acc.update(weak=None, error=str(e))
        h = None  # the hash goes no further than this loop
        accounts.append(acc)
    shadow_text = None
    return accounts


# ---------------------------------------------------------------- backups


def _restic(repo):
    env = {}
    if repo.get("password_file"):
        env["RESTIC_PASSWORD_FILE"] = repo["password_file"]
    argv = ["restic", "-r", repo["repo"], "snapshots", "--json", "--no-lock"]
    rc, out, err = _run(argv, env=env, timeout=300)
    if rc != 0:
        raise FactError("restic snapshots: rc %d: %s" % (rc, (err.strip().splitlines() or ["no message"])[-1]))
    try:
        snaps = json.loads(out or "null") or []
    except ValueError:
        raise FactError("restic snapshots --json: unparsable output")
    return [{"time": s.get("time"), "hostname": s.get("hostname"), "paths": s.get("paths") or [],
             "tags": s.get("tags") or [], "id": (s.get("short_id") or s.get("id", ""))[:8]} for s in snaps]


def fact_backups(params):
    out = []
    for repo in params.get("backup_repos") or []:
        tool = repo.get("tool", "restic")
        rec = {"tool": tool, "repo": repo.get("repo")}
        try:
            if not repo.get("repo"):
                raise FactError("backup repository without `repo`")
            if tool == "restic":
                rec["snapshots"] = _restic(repo)
                rec["source"] = "restic -r %s snapshots --json --no-lock" % repo["repo"]
            else:
                raise FactError("backup tool %r is not supported" % tool)
        except FactError as e:
            rec["error"] = str(e)
        out.append(rec)
    return out


def fact_restore_tests(params):
    path = params.get("restore_log") or "/var/log/zicha/restore-tests.jsonl"
    if not os.path.exists(path):
        return {"file": path, "present": False, "records": []}
    records, bad = [], 0
    for line in _read(path).splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            r = json.loads(line)
            records.append({k: r.get(k) for k in ("time", "repo", "snapshot", "result", "by")})
        except ValueError:
            bad += 1
    if bad and not records:
        raise FactError("%s: no parsable record (%d bad lines)" % (path, bad))
    return {"file": path, "present": True, "records": records[-200:], "unparsable_lines": bad}


# ---------------------------------------------------------------- the document

FACTS = [
    # key, source shown as evidence, collector
    ("os", "/etc/os-release", fact_os),
    ("routes", "ip -j route show table all", fact_routes),
    ("interfaces", "ip -j addr show; /sys/class/net/*/wireless", fact_interfaces),
    ("route_lookups", "ip route get <each internet probe>", fact_route_lookups),
    ("probes", "TCP connect to each internet probe", fact_probes),
    ("accounts", "/etc/passwd, /etc/shadow (verified on the host with crypt_r; hashes not returned)", fact_accounts),
    ("backups", "restic snapshots --json", fact_backups),
    ("restore_tests", "restore-test record file", fact_restore_tests),
]


def collect(params):
    """Collect every fact; each either {source, value} or {source, error}. Never raises for one fact."""
    started = time.time()
    facts = {}
    for key, source, fn in FACTS:
        try:
            facts[key] = {"source": source, "value": fn(params)}
        except FactError as e:
            facts[key] = {"source": source, "error": str(e)}
        except Exception as e:  # a bug or an odd host: say so, never pass silently
            facts[key] = {"source": source, "error": "%s: %s" % (type(e).__name__, e)}
    return {
        "schema": "zicha.raw/v1",
        "platform": "linux",
        "collected_at": _now(),
        "collector": {"name": "zicha_linux_facts", "version": COLLECTOR_VERSION,
                      "seconds": round(time.time() - started, 2), "euid": os.geteuid()},
        "facts": facts,
    }


ARGUMENT_SPEC = dict(
    internet_probes=dict(type="list", elements="str", default=[]),
    probe_timeout=dict(type="float", default=3),
    backup_repos=dict(type="list", elements="dict", default=[]),
    restore_log=dict(type="str", default="/var/log/zicha/restore-tests.jsonl"),
    # Not no_log: Ansible would then mask every occurrence of these words in the result (an account
    # named like a weak password would turn into ********). The list is public, not a secret.
    weak_passwords=dict(type="list", elements="str", default=[], no_log=False),
    org_names=dict(type="list", elements="str", default=[]),
    org_years=dict(type="list", elements="int", default=[]),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(changed=False, zicha=collect(module.params))


if __name__ == "__main__":
    main()
