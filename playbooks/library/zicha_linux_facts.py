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
  share_key:
    description: This run's key (hex) for fingerprints of password hashes, to spot one hash on two hosts.
    type: str
  candidates_json:
    description: Candidate weak passwords, tried against each account's hash and each SNMP community on the
      host, as a JSON list in one string (no_log: kept out of Ansible's logs and artifacts).
    type: str
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
import gzip
import hashlib
import hmac
import json
import os
import platform
import re
import shlex
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
# Other places read on the host, named so that tests can point them at a fake host.
PROC = "/proc"
APT_LISTS = "/var/lib/apt/lists"
# dnf 4 (solv files and repodata per repository), dnf 5, and yum ($basearch/$releasever/<repo>)
DNF_CACHE = ["/var/cache/dnf/*.solv", "/var/cache/dnf/*/repodata/repomd.xml",
             "/var/cache/libdnf5/*/repodata/repomd.xml", "/var/cache/yum/*/*/*/repomd.xml",
             "/var/cache/yum/*/*/repomd.xml"]
LOGROTATE_CONF = "/etc/logrotate.conf"
NM_CONNECTIONS = "/etc/NetworkManager/system-connections"
MODULES_DIRS = ("/lib/modules", "/usr/lib/modules")
KERNEL_CONFIGS = ("/proc/config.gz", "/boot/config-%s")
UFW_CONF, UFW_DEFAULT = "/etc/ufw/ufw.conf", "/etc/default/ufw"
FIREWALLD_CONF, FIREWALLD_ZONES = "/etc/firewalld/firewalld.conf", ("/etc/firewalld/zones", "/usr/lib/firewalld/zones")

# What one run reads once and several facts share (the process list); set by collect() for its run only.
_run_cache = None


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
                # addresses a DHCP (or SLAAC) client leased rather than set statically
                "dynamic": ["%s/%s" % (a["local"], a["prefixlen"]) for a in i.get("addr_info", [])
                            if a.get("family") == "inet" and a.get("dynamic")],
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
        # as written, lower case and capitalised; alone, and with a year after "", "@" or "#"
        # (the forms offices use: xxjy2024, Xxjy@2024); each yescrypt guess costs ~20 ms on the host
        for form in sorted({org, org.lower(), org.capitalize()}):
            add(form, "org_name")
            for y in years:
                for sep in ("", "@", "#"):
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
        if h and acc["password"] == "set" and params.get("share_key"):
            # the same hash string on two hosts is the same password (a cloned image or a copied shadow line);
            # a keyed fingerprint shows it without the hash leaving, and the key dies with the run
            acc["share_key"] = hmac.new(bytes.fromhex(params["share_key"]), ("hash\0" + h).encode("utf-8"),
                                        hashlib.sha256).hexdigest()[:32]
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


# ---------------------------------------------------------------- files and small parsers


def _glob_files(patterns):
    import glob
    out = []
    for p in patterns:
        out.extend(sorted(glob.glob(p)))
    return [p for p in out if os.path.isfile(p)]


def _conf_lines(path):
    """Non-empty, non-comment lines of a config file (comments: # and ;)."""
    out = []
    for line in _read(path).splitlines():
        s = line.strip()
        if s and not s.startswith("#") and not s.startswith(";"):
            out.append(s)
    return out


def _kv_file(path, sep="="):
    """KEY=VALUE (or KEY VALUE when sep is None) files; later keys win."""
    d = {}
    for s in _conf_lines(path):
        if sep is None:
            parts = s.split(None, 1)
        else:
            parts = s.split(sep, 1)
        if len(parts) == 2:
            d[parts[0].strip()] = parts[1].strip().strip('"').strip("'")
        elif len(parts) == 1:
            d[parts[0].strip()] = True
    return d


_PF_KTHREAD = 0x00200000


def _scan_processes():
    """Names (comm) of the running user-space processes, from /proc/<pid>/stat (readable for every process).
    Command lines are not read: they can hold passwords."""
    names = set()
    for pid in os.listdir(PROC):
        if not pid.isdigit():
            continue
        try:
            with open("%s/%s/stat" % (PROC, pid), "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except (IOError, OSError):
            continue  # the process ended meanwhile
        head, _, rest = stat.rpartition(")")
        fields = rest.split()
        if "(" not in head or len(fields) < 7:
            continue
        if fields[0] in ("Z", "X"):
            continue  # zombies: ended, not running
        try:
            if int(fields[6]) & _PF_KTHREAD:
                continue  # kernel threads
        except ValueError:
            continue
        names.add(head.split("(", 1)[1])
    return frozenset(names)


def _processes():
    """Names of running processes: /proc is scanned once per run (collect), and the facts share the list."""
    cache = _run_cache
    if cache is not None and "processes" in cache:
        return cache["processes"]
    names = _scan_processes()
    if cache is not None:
        cache["processes"] = names
    return names


def _which(name):
    for d in ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/opt/bin"):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


# ---------------------------------------------------------------- sockets


def _socket_inodes():
    """socket inode -> process name, from /proc/*/fd (needs root for other users' processes)."""
    owners = {}
    for pid in os.listdir(PROC):
        if not pid.isdigit():
            continue
        fd_dir = "%s/%s/fd" % (PROC, pid)
        try:
            fds = os.listdir(fd_dir)
            with open("%s/%s/comm" % (PROC, pid)) as f:
                comm = f.read().strip()
        except (IOError, OSError):
            continue
        for fd in fds:
            try:
                link = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                owners[link[8:-1]] = comm
    return owners


def _hex_addr(h, v6):
    if not v6:
        return _hex_ip4(h)
    raw = bytes(bytearray.fromhex(h))
    # /proc prints IPv6 as four host-order 32-bit words
    words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]
    return socket.inet_ntop(socket.AF_INET6, b"".join(words))


def fact_listening(params):
    """Listening TCP sockets and bound UDP sockets, with the owning process, from /proc/net."""
    owners = _socket_inodes()
    out = []
    for proto, name, v6 in (("tcp", "tcp", False), ("tcp", "tcp6", True), ("udp", "udp", False), ("udp", "udp6", True)):
        path = "%s/net/%s" % (PROC, name)
        if v6 and not os.path.exists(path):
            continue  # a kernel without IPv6 (ipv6.disable=1) has no tcp6/udp6: nothing can listen there
        lines = _read(path).splitlines()[1:]  # unreadable: the sockets are unknown, not absent (FactError)
        for line in lines:
            f = line.split()
            if len(f) < 10:
                continue
            state = f[3]
            if proto == "tcp" and state != "0A":
                continue
            if proto == "udp" and state != "07":
                continue
            host, port = f[1].split(":")
            addr = _hex_addr(host, v6)
            out.append({"proto": proto + ("6" if v6 else ""), "address": addr, "port": int(port, 16),
                        "process": owners.get(f[9])})
    seen, uniq = set(), []
    for s in sorted(out, key=lambda s: (s["port"], s["proto"], s["address"])):
        key = (s["proto"], s["address"], s["port"])
        if key not in seen:
            seen.add(key)
            uniq.append(s)
    return uniq


# ---------------------------------------------------------------- host firewall


# Statements that match nothing: a rule made only of these and a verdict applies to every packet.
_NFT_NEUTRAL = ("counter", "log")


def _nft_verdict(exprs):
    """The verdict of an nftables rule that matches every packet (accept, drop, reject), else None."""
    if not exprs or not isinstance(exprs[-1], dict) or len(exprs[-1]) != 1:
        return None
    verdict = list(exprs[-1])[0]
    if verdict not in ("accept", "drop", "reject"):
        return None
    for e in exprs[:-1]:
        if not isinstance(e, dict) or any(k not in _NFT_NEUTRAL for k in e):
            return None
    return verdict


def _nft():
    if not _which("nft"):
        return None
    rc, out, err = _run(["nft", "-j", "list", "ruleset"])
    if rc != 0:
        raise FactError("nft -j list ruleset: rc %d: %s" % (rc, err.strip()))
    try:
        doc = json.loads(out or '{"nftables": []}')
    except ValueError:
        raise FactError("nft -j list ruleset: unparsable output")
    chains, rules, catch_all, dnat = [], {}, {}, []
    for item in doc.get("nftables", []):
        if "rule" in item:
            r = item["rule"]
            key = (r.get("family"), r.get("table"), r.get("chain"))
            rules[key] = rules.get(key, 0) + 1
            if key not in catch_all:
                v = _nft_verdict(r.get("expr") or [])
                if v:
                    catch_all[key] = v  # the first rule that takes every packet decides what is left
            for e in r.get("expr", []):
                if "dnat" in e:  # a port mapping: where it leads
                    d = e["dnat"] or {}
                    addr = d.get("addr")
                    dnat.append({"chain": r.get("chain"), "inside_address": addr if isinstance(addr, str) else None,
                                 "inside_port": d.get("port") if isinstance(d.get("port"), int) else None})
    for item in doc.get("nftables", []):
        c = item.get("chain")
        if c and c.get("hook"):
            key = (c.get("family"), c.get("table"), c.get("name"))
            chains.append({"family": c.get("family"), "table": c.get("table"), "name": c.get("name"),
                           "hook": c.get("hook"), "policy": c.get("policy", "accept"),
                           "rules": rules.get(key, 0), "catch_all": catch_all.get(key)})
    return {"base_chains": chains, "dnat": dnat}


def _iptables_catch_all(argv):
    """The target of an iptables rule (`-S` form, after `-A CHAIN`) that matches every packet, else None."""
    rest = list(argv)
    if "-m" in rest and rest[rest.index("-m") + 1:rest.index("-m") + 2] == ["comment"]:
        i = rest.index("-m")
        rest = rest[:i] + rest[i + 4:]  # -m comment --comment TEXT
    if len(rest) < 2 or rest[0] != "-j":
        return None
    target = rest[1].lower()
    if target == "reject" and (len(rest) == 2 or (len(rest) == 4 and rest[2] == "--reject-with")):
        return "reject"
    if target in ("accept", "drop") and len(rest) == 2:
        return target
    return None


def _iptables():
    """iptables and ip6tables (legacy or nft backend): the filter table's INPUT and FORWARD chains."""
    out = {}
    for tool in ("iptables", "ip6tables"):
        if not _which(tool):
            continue
        rc, text, err = _run([tool, "-S"])
        if rc != 0:
            if "table does not exist" in err.lower():
                continue  # legacy iptables without its kernel table: no rules of this family
            raise FactError("%s -S: rc %d: %s" % (tool, rc, (err.strip().splitlines() or ["no message"])[-1]))
        rec = {"input_policy": None, "forward_policy": None, "rules": 0, "forward_rules": 0,
               "input_catch_all": None, "forward_catch_all": None}
        for line in text.splitlines():
            try:
                f = shlex.split(line)
            except ValueError:
                f = line.split()
            if len(f) < 3:
                continue
            if f[0] == "-P" and f[1] in ("INPUT", "FORWARD"):
                rec[f[1].lower() + "_policy"] = f[2].lower()
            elif f[0] == "-A" and f[1] in ("INPUT", "FORWARD"):
                chain = f[1].lower()
                rec["rules" if chain == "input" else "forward_rules"] += 1
                if rec[chain + "_catch_all"] is None:
                    rec[chain + "_catch_all"] = _iptables_catch_all(f[2:])
        out[tool] = rec
    return out or None


def _ufw():
    """ufw's configuration (what it loads when it starts; the live rules are read from iptables)."""
    if not os.path.exists(UFW_CONF):
        return None
    conf = _kv_file(UFW_CONF)
    default = _kv_file(UFW_DEFAULT) if os.path.exists(UFW_DEFAULT) else {}
    return {"enabled": str(conf.get("ENABLED", "no")).lower() == "yes",
            "input_policy": str(default.get("DEFAULT_INPUT_POLICY", "")).lower() or None}


def _zone_target(path):
    m = re.search(r'<zone[^>]*\btarget="([^"]+)"', _read(path))
    return m.group(1).lower() if m else "default"


def _firewalld():
    if not os.path.exists(FIREWALLD_CONF):
        return None
    names = _processes()
    zone = _kv_file(FIREWALLD_CONF).get("DefaultZone", "public")
    target = None
    for d in FIREWALLD_ZONES:
        p = os.path.join(d, "%s.xml" % zone)
        if os.path.exists(p):
            target = _zone_target(p)
            break
    return {"running": "firewalld" in names, "default_zone": zone, "target": target}


def _chain_default(policy, catch_all):
    """What a base chain does with a packet no rule picked out: its first catch-all rule, else its policy."""
    v = (catch_all or policy or "accept").lower()
    return "drop" if v in ("drop", "reject") else "accept"


_FAMILIES = {"ipv4": ("ip", "inet"), "ipv6": ("ip6", "inet")}
_IPTABLES = {"ipv4": "iptables", "ipv6": "ip6tables"}


def fact_host_firewall(params):
    """What the live ruleset (nftables, iptables, ip6tables) does with incoming and forwarded packets that
    no rule accepts, per address family. A packet passes every base chain on its hook, so one chain of the
    family that drops by default is enough. IPv4 decides `input_default` and `forward_default`; `families`
    shows IPv6 too. ufw's and firewalld's configuration files are evidence, not the verdict: what they
    load is in the live ruleset. A ruleset that cannot be listed is a FactError, never a silent gap."""
    res = {"nftables": _nft(), "iptables": _iptables(), "ufw": _ufw(), "firewalld": _firewalld()}
    nft, ipt, fwd = res["nftables"], res["iptables"] or {}, res["firewalld"]
    families = {}
    for fam in ("ipv4", "ipv6"):
        verdicts = {}
        for hook in ("input", "forward"):
            seen = []
            for c in (nft or {}).get("base_chains", []):
                if c["hook"] == hook and c["family"] in _FAMILIES[fam]:
                    seen.append(_chain_default(c["policy"], c.get("catch_all")))
            t = ipt.get(_IPTABLES[fam])
            if t and t[hook + "_policy"]:
                seen.append(_chain_default(t[hook + "_policy"], t[hook + "_catch_all"]))
            verdicts[hook] = "drop" if "drop" in seen else ("accept" if seen else "none")
        # firewalld ends its chains with a catch-all reject, but when its default zone's target is ACCEPT,
        # that zone's chain (reached by a jump this reading does not follow) accepts first
        if fwd and fwd["running"] and fwd["target"] == "accept" and verdicts["input"] == "drop":
            verdicts["input"] = "accept"
        families[fam] = verdicts
    res["families"] = families
    res["input_default"] = families["ipv4"]["input"]
    res["forward_default"] = families["ipv4"]["forward"]
    return res


# ---------------------------------------------------------------- password policy


def _pam_files():
    return [p for p in ("/etc/pam.d/common-password", "/etc/pam.d/common-auth", "/etc/pam.d/system-auth",
                        "/etc/pam.d/password-auth", "/etc/pam.d/passwd", "/etc/pam.d/login", "/etc/pam.d/sshd")
            if os.path.exists(p)]


def _pam_modules():
    """module name -> list of {file, type, options} for the PAM lines that are in force."""
    mods = {}
    for path in _pam_files():
        for s in _conf_lines(path):
            f = s.split()
            if len(f) < 3 or f[0].startswith("@"):
                continue
            # control may be [a=b c=d]: skip to the module path
            i = 2
            if f[1].startswith("["):
                while i < len(f) and not f[i - 1].endswith("]"):
                    i += 1
            if i >= len(f):
                continue
            name = os.path.basename(f[i])
            opts = {}
            for o in f[i + 1:]:
                if "=" in o:
                    k, v = o.split("=", 1)
                    opts[k] = v
                else:
                    opts[o] = True
            mods.setdefault(name, []).append({"file": path, "type": f[0].lstrip("-"), "options": opts})
    return mods


def _int(v):
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def fact_password_policy(params):
    mods = _pam_modules()
    quality = {}
    for p in _glob_files(["/etc/security/pwquality.conf", "/etc/security/pwquality.conf.d/*.conf"]):
        quality.update(_kv_file(p))
    qmod = (mods.get("pam_pwquality.so") or mods.get("pam_cracklib.so") or [None])[0]
    if qmod:
        quality.update(qmod["options"])  # options on the PAM line win over the file
    keys = ("minlen", "minclass", "dcredit", "ucredit", "lcredit", "ocredit", "retry", "enforce_for_root",
            "difok", "maxrepeat")
    pwq = {k: (_int(quality[k]) if k != "enforce_for_root" else True) for k in keys if k in quality}
    defs = {}
    if os.path.exists("/etc/login.defs"):
        raw = _kv_file("/etc/login.defs", sep=None)
        for k in ("PASS_MAX_DAYS", "PASS_MIN_DAYS", "PASS_MIN_LEN", "PASS_WARN_AGE", "ENCRYPT_METHOD"):
            if k in raw:
                defs[k] = _int(raw[k]) if k != "ENCRYPT_METHOD" else raw[k]
    lock = {"module": None}
    fl = mods.get("pam_faillock.so") or []
    tally = mods.get("pam_tally2.so") or mods.get("pam_tally.so") or []
    if fl:
        conf = _kv_file("/etc/security/faillock.conf") if os.path.exists("/etc/security/faillock.conf") else {}
        for m in fl:
            conf.update(m["options"])
        lock = {"module": "pam_faillock", "deny": _int(conf.get("deny", 3)),
                "unlock_time": _int(conf.get("unlock_time", 600)), "fail_interval": _int(conf.get("fail_interval", 900))}
    elif tally:
        o = {}
        for m in tally:
            o.update(m["options"])
        lock = {"module": "pam_tally2", "deny": _int(o.get("deny")), "unlock_time": _int(o.get("unlock_time"))}
    qname = None
    if qmod is not None:
        qname = "pam_pwquality" if mods.get("pam_pwquality.so") else "pam_cracklib"
    return {
        "pwquality": {"in_pam": qmod is not None, "module": qname, "settings": pwq},
        "login_defs": defs,
        "lockout": lock,
    }


# ---------------------------------------------------------------- USB storage


_KCONFIG = {"usb_storage": "CONFIG_USB_STORAGE", "uas": "CONFIG_USB_UAS"}


def _builtin_drivers(mods):
    """Which of these drivers are built into the running kernel (no modprobe rule can keep those off):
    from modules.builtin, else from the kernel's configuration. Neither readable: a FactError."""
    kver = platform.release()
    for d in MODULES_DIRS:
        bpath = "%s/%s/modules.builtin" % (d, kver)
        if os.path.exists(bpath):
            found = set()
            for line in _read(bpath).splitlines():
                base = os.path.basename(line.strip()).split(".ko")[0].replace("-", "_")
                if base in mods:
                    found.add(base)
            return found
    for pattern in KERNEL_CONFIGS:
        path = pattern % kver if "%s" in pattern else pattern
        if not os.path.exists(path):
            continue
        if path.endswith(".gz"):
            try:
                with gzip.open(path, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except (IOError, OSError) as e:
                raise FactError("%s: %s" % (path, e))
        else:
            text = _read(path)
        return set(m for m in mods if re.search(r"^%s=y\s*$" % _KCONFIG[m], text, re.M))
    raise FactError("cannot tell whether usb-storage is built into kernel %s: no modules.builtin under %s, "
                    "no kernel configuration (%s)" % (kver, " or ".join(MODULES_DIRS),
                                                      ", ".join(p.replace("%s", kver) for p in KERNEL_CONFIGS)))


def fact_usb_storage(params):
    """Is the usb-storage (and uas) driver kept off: by modprobe configuration, and not loaded now."""
    rules = {}
    files = _glob_files(["/etc/modprobe.d/*.conf", "/lib/modprobe.d/*.conf", "/usr/lib/modprobe.d/*.conf",
                         "/run/modprobe.d/*.conf"])
    for path in files:
        for s in _conf_lines(path):
            f = s.split()
            if len(f) >= 2 and f[0] in ("install", "blacklist"):
                mod = f[1].replace("-", "_")
                if mod in ("usb_storage", "uas"):
                    r = rules.setdefault(mod, {"install": None, "blacklist": False, "files": []})
                    if f[0] == "install":
                        r["install"] = " ".join(f[2:])
                    else:
                        r["blacklist"] = True
                    if path not in r["files"]:
                        r["files"].append(path)
    modules_supported = os.path.exists(PROC + "/modules")
    loaded = []
    if modules_supported:
        for line in _read(PROC + "/modules").splitlines():
            name = line.split(" ", 1)[0]
            if name in ("usb_storage", "uas"):
                loaded.append(name)
    builtin = _builtin_drivers(("usb_storage", "uas"))
    out = {}
    for mod in ("usb_storage", "uas"):
        r = rules.get(mod, {"install": None, "blacklist": False, "files": []})
        inst = (r["install"] or "").split()
        blocked = bool(inst) and os.path.basename(inst[0]) in ("false", "true")
        out[mod] = {"install": r["install"], "install_blocks": blocked, "blacklisted": r["blacklist"],
                    "files": r["files"], "loaded": mod in loaded, "builtin": mod in builtin}
    out["modules_supported"] = modules_supported
    return out


# ---------------------------------------------------------------- antivirus

# Products seen on Chinese government terminals and servers, by the process or path they leave.
_AV_PRODUCTS = [
    ("ClamAV", ["clamd", "freshclam"], ["/usr/bin/clamscan", "/usr/sbin/clamd"]),
    ("Qianxin Tianqing (奇安信天擎)", ["qaxsafed", "skylar", "tqdaemon"], ["/opt/qaxsafe", "/opt/qianxin"]),
    ("360 Enterprise Security (360终端安全)", ["360safed", "360entclient"], ["/opt/360safe", "/opt/360sdforcnos"]),
    ("Huorong (火绒)", ["hrsecd", "huorong"], ["/opt/apps/cn.huorong.esm", "/usr/local/huorong"]),
    ("Rising (瑞星)", ["rsdaemon", "ravdaemon"], ["/opt/rising", "/opt/apps/cn.rising.esm"]),
    ("Kingsoft (金山)", ["kavsvc", "kxetray"], ["/opt/kingsoft"]),
    ("AsiaInfo (亚信)", ["ds_agent"], ["/opt/ds_agent"]),
    ("ESET", ["esets_daemon", "eset_rtp"], ["/opt/eset"]),
    ("Sophos", ["savd", "sophos_threat_detector"], ["/opt/sophos-av", "/opt/sophos-spl"]),
    ("Kaspersky", ["kesl", "wdserver"], ["/opt/kaspersky"]),
]


def _cvd_header(path):
    """ClamAV .cvd/.cld header: 'ClamAV-VDB:<time>:<version>:<sigs>:<flevel>:<md5>:<sig>:<builder>:<epoch>'."""
    with open(path, "rb") as f:
        head = f.read(512).decode("ascii", "replace")
    if not head.startswith("ClamAV-VDB:"):
        raise FactError("%s: not a ClamAV database" % path)
    parts = head.split(":")
    epoch = _int(parts[8].strip("\0 ")) if len(parts) > 8 else None
    return {"file": path, "version": _int(parts[2]), "signatures": _int(parts[3]), "built_epoch": epoch}


def fact_antivirus(params):
    names = _processes()
    found = []
    for product, procs, paths in _AV_PRODUCTS:
        running = sorted(p for p in procs if p in names)
        present = [p for p in paths if os.path.exists(p)]
        if not running and not present:
            continue
        rec = {"product": product, "running": running, "installed_paths": present, "signatures": None,
               "enabled": bool(running), "signatures_updated_at": None, "signatures_up_to_date": None}
        if product == "ClamAV":
            dbdir = "/var/lib/clamav"
            for conf in ("/etc/clamav/freshclam.conf", "/etc/freshclam.conf"):
                if os.path.exists(conf):
                    d = _kv_file(conf, sep=None).get("DatabaseDirectory")
                    if d:
                        dbdir = d
            dbs = [os.path.join(dbdir, n) for n in ("daily.cld", "daily.cvd") if os.path.exists(os.path.join(dbdir, n))]
            if dbs:
                newest = None
                for db in dbs:
                    h = _cvd_header(db)
                    if newest is None or (h["version"] or 0) > (newest["version"] or 0):
                        newest = h
                if newest["built_epoch"]:
                    newest["built_at"] = datetime.datetime.fromtimestamp(
                        newest["built_epoch"], datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
                    rec["signatures_updated_at"] = newest["built_at"]
                rec["signatures"] = newest
            else:
                rec["signatures_error"] = "%s: no daily.cvd or daily.cld" % dbdir
        found.append(rec)
    return {"products": found}


# ---------------------------------------------------------------- updates


def _apt_updates():
    lists = _glob_files([APT_LISTS + "/*InRelease", APT_LISTS + "/*_Release"])
    if not lists:
        # apt-get would simulate against no repository at all and list nothing: pending updates are unknown
        raise FactError("%s: no package lists (apt-get update never ran, or no source is configured): "
                        "pending security updates are unknown" % APT_LISTS)
    age = round((time.time() - max(os.path.getmtime(p) for p in lists)) / 86400.0, 1)
    rc, out, err = _run(["apt-get", "-s", "-o", "Debug::NoLocking=1", "-o", "APT::Get::Show-User-Simulation-Note=false",
                         "dist-upgrade"], timeout=300)
    if rc != 0:
        raise FactError("apt-get -s dist-upgrade: rc %d: %s" % (rc, (err.strip().splitlines() or [""])[-1]))
    pending, security = [], []
    for line in out.splitlines():
        m = re.match(r"^Inst (\S+) (?:\[(\S+)\] )?\((\S+) (.*)\)", line)
        if m:
            name = m.group(1)
            pending.append(name)
            if re.search(r"security", m.group(4), re.I):
                security.append(name)
    return {"manager": "apt", "pending": len(pending), "security": sorted(security), "lists_age_days": age}


def _dnf_updates():
    tool = "dnf" if _which("dnf") else "yum"
    cache = _glob_files(DNF_CACHE)
    if not cache:
        raise FactError("no %s metadata cache (%s makecache never ran, or no repository is configured): "
                        "pending security updates are unknown" % (tool, tool))
    rc, out, err = _run([tool, "-q", "-C", "--noplugins", "updateinfo", "list", "--security"], timeout=300)
    if rc != 0:
        raise FactError("%s updateinfo list --security (cache only): rc %d: %s" % (tool, rc, err.strip()[:200]))
    security = sorted({f[2] for f in (line.split() for line in out.splitlines())
                       if len(f) >= 3 and f[1].endswith("Sec.")})
    age = round((time.time() - max(os.path.getmtime(p) for p in cache)) / 86400.0, 1)
    return {"manager": tool, "pending": None, "security": security, "lists_age_days": age}


def fact_updates(params):
    if _which("apt-get"):
        return _apt_updates()
    if _which("dnf") or _which("yum"):
        return _dnf_updates()
    raise FactError("no package manager known to zicha (apt, dnf, yum)")


# ---------------------------------------------------------------- logs

_PERIOD_DAYS = {"hourly": 1.0 / 24, "daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}


def _logrotate_blocks(path, default, blocks, seen):
    """logrotate's syntax: global directives, and `path [path…] { directives }` blocks whose paths may
    also stand on lines of their own before the brace."""
    if path in seen:
        return
    seen.add(path)
    text = _read(path)
    cur, pending = None, []
    for raw in text.splitlines():
        s = raw.split("#", 1)[0].strip()
        if not s:
            continue
        if cur is None and "{" in s:
            names = pending + s.split("{", 1)[0].split()
            pending = []
            # a block takes the global directives as they stand where it opens (later ones do not reach it)
            cur = {"files": [n.strip('"') for n in names], "rotate": None, "period": None, "maxage": None,
                   "source": path, "inherited": dict(default)}
            s = s.split("{", 1)[1].strip()
            if not s:
                continue
        if cur is None and (s.startswith("/") or s.startswith('"')):
            pending.extend(s.split())  # file names waiting for their block
            continue
        if s.startswith("}"):
            if cur is not None:
                blocks.append(cur)
            cur = None
            continue
        f = s.split()
        target = cur if cur is not None else default
        if f[0] == "rotate" and len(f) > 1:
            target["rotate"] = _int(f[1])
        elif f[0] in _PERIOD_DAYS:
            target["period"] = f[0]
        elif f[0] == "size" and len(f) > 1:
            target["period"] = "size"  # rotated by size only, whatever the time: the last of the two wins
        elif f[0] == "maxage" and len(f) > 1:
            target["maxage"] = _int(f[1])
        elif f[0] == "include" and cur is None and len(f) > 1:
            inc = f[1]
            for p in (_glob_files([os.path.join(inc, "*")]) if os.path.isdir(inc) else _glob_files([inc])):
                _logrotate_blocks(p, default, blocks, seen)


def _rsyslog():
    files = _glob_files(["/etc/rsyslog.conf", "/etc/rsyslog.d/*.conf"])
    if not files:
        return None
    remote, local = [], []
    for p in files:
        text = _read(p)
        for s in text.splitlines():
            s = s.strip()
            if not s or s.startswith("#"):
                continue
            m = re.match(r"^\S+\s+(@@?)\(?[^)]*\)?\[?([^\]:\s]+)\]?(?::(\d+))?", s)
            if m and not s.startswith("$"):
                remote.append({"host": m.group(2), "port": _int(m.group(3)) or 514,
                               "proto": "tcp" if m.group(1) == "@@" else "udp", "source": p})
                continue
            m = re.search(r'type\s*=\s*"omfwd".*?target\s*=\s*"([^"]+)"', s)
            if m:
                port = re.search(r'port\s*=\s*"(\d+)"', s)
                proto = re.search(r'protocol\s*=\s*"(\w+)"', s)
                remote.append({"host": m.group(1), "port": _int(port.group(1)) if port else 514,
                               "proto": proto.group(1).lower() if proto else "udp", "source": p})
                continue
            m = re.match(r"^\S+\s+-?(/var/log/\S+)", s)
            if m:
                local.append(m.group(1))
    return {"remote": remote, "files": sorted(set(local))}


def _journald():
    conf = {}
    for p in _glob_files(["/etc/systemd/journald.conf", "/etc/systemd/journald.conf.d/*.conf",
                          "/usr/lib/systemd/journald.conf.d/*.conf"]):
        for s in _conf_lines(p):
            if "=" in s and not s.startswith("["):
                k, v = s.split("=", 1)
                conf[k.strip()] = v.strip()
    if not conf and not os.path.exists("/etc/systemd/journald.conf"):
        return None
    storage = conf.get("Storage", "auto")
    persistent = storage == "persistent" or (storage == "auto" and os.path.isdir("/var/log/journal"))
    ret = conf.get("MaxRetentionSec")
    secs = None
    if ret:
        m = re.match(r"^(\d+)\s*(s|sec|m|min|h|hour|d|day|w|week|month|y|year)?s?$", ret.strip())
        mult = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400,
                "w": 604800, "week": 604800, "month": 2629800, "y": 31557600, "year": 31557600}
        if m:
            secs = int(m.group(1)) * mult[m.group(2)]
    return {"storage": storage, "persistent": persistent, "max_retention_sec": secs,
            "max_use": conf.get("SystemMaxUse"), "forward_to_syslog": conf.get("ForwardToSyslog")}


def fact_logging(params):
    default = {"rotate": None, "period": None, "maxage": None}
    blocks = []
    if os.path.exists(LOGROTATE_CONF):
        _logrotate_blocks(LOGROTATE_CONF, default, blocks, set())
    files = {}
    for b in blocks:
        inherited = b.get("inherited") or default
        rotate = b["rotate"] if b["rotate"] is not None else inherited["rotate"]
        period = b["period"] or inherited["period"]
        maxage = b["maxage"] if b["maxage"] is not None else inherited["maxage"]
        # Days a log line is surely kept: `rotate` old files of one period each, cut by `maxage`. With no
        # period set anywhere (or `size`), logrotate rotates by size only and the span is unknown: None,
        # which the rule does not count as kept long enough. So is a missing or negative `rotate`.
        days = None
        if period in _PERIOD_DAYS and rotate is not None and rotate >= 0:
            days = round(rotate * _PERIOD_DAYS[period], 2)
            if maxage is not None and maxage >= 0:
                days = min(days, maxage)
        for name in b["files"]:
            files[name] = {"rotate": rotate, "period": period, "days": days, "maxage": maxage, "source": b["source"]}
    rs = _rsyslog()
    names = _processes()
    syslog_files = []
    if rs:
        syslog_files = rs["files"]
    return {
        "logrotate": {"default": default, "files": files, "present": os.path.exists("/etc/logrotate.conf")},
        "rsyslog": rs,
        "syslog_ng": os.path.exists("/etc/syslog-ng/syslog-ng.conf"),
        "journald": _journald(),
        "daemons": sorted(n for n in names if n in ("rsyslogd", "syslog-ng", "systemd-journal", "syslogd")),
        "syslog_files": syslog_files,
    }


# ---------------------------------------------------------------- audit, time, sessions, network config


def fact_auditd(params):
    names = _processes()
    installed = bool(_which("auditd") or _which("auditctl")) or os.path.exists("/etc/audit/auditd.conf")
    conf = _kv_file("/etc/audit/auditd.conf") if os.path.exists("/etc/audit/auditd.conf") else {}
    rules = 0
    for p in _glob_files(["/etc/audit/rules.d/*.rules", "/etc/audit/audit.rules"]):
        rules += sum(1 for s in _conf_lines(p) if s.startswith("-a") or s.startswith("-w"))
    return {"installed": installed, "running": "auditd" in names, "rules": rules,
            "max_log_file": _int(conf.get("max_log_file")), "num_logs": _int(conf.get("num_logs")),
            "max_log_file_action": conf.get("max_log_file_action")}


def fact_time_sync(params):
    names = _processes()
    servers = []
    for p in _glob_files(["/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/chrony/sources.d/*.sources",
                          "/etc/ntp.conf", "/etc/ntpsec/ntp.conf"]):
        for s in _conf_lines(p):
            f = s.split()
            if f[0] in ("server", "pool", "peer") and len(f) > 1:
                servers.append(f[1])
    for p in _glob_files(["/etc/systemd/timesyncd.conf", "/etc/systemd/timesyncd.conf.d/*.conf"]):
        for s in _conf_lines(p):
            if s.startswith("NTP=") or s.startswith("FallbackNTP="):
                servers.extend(s.split("=", 1)[1].split())
    daemons = sorted(n for n in names if n in ("chronyd", "ntpd", "systemd-timesyn", "ntpsec", "openntpd"))
    synced = None
    if "chronyd" in daemons and _which("chronyc"):
        rc, out, _ = _run(["chronyc", "-n", "tracking"], timeout=10)
        if rc == 0:
            synced = "Leap status     : Normal" in out
    return {"daemons": daemons, "servers": sorted(set(servers)), "synchronized": synced}


def fact_session_lock(params):
    """Shell TMOUT and the desktop's screen lock (GNOME/UKUI/DDE keyfiles under /etc/dconf)."""
    tmout = []
    for p in _glob_files(["/etc/profile", "/etc/profile.d/*.sh", "/etc/bash.bashrc", "/etc/bashrc"]):
        for s in _conf_lines(p):
            m = re.match(r"^(?:export\s+|readonly\s+|declare\s+-\w+\s+)*TMOUT=(\d+)", s)
            if m:
                tmout.append({"seconds": int(m.group(1)), "source": p})
    lock_enabled, idle_delay, lock_delay, sources = None, None, None, []
    for p in _glob_files(["/etc/dconf/db/*.d/*"]):
        section = None
        for s in _conf_lines(p):
            if s.startswith("["):
                section = s.strip("[]")
                continue
            if "=" not in s:
                continue
            k, v = [x.strip() for x in s.split("=", 1)]
            if section == "org/gnome/desktop/screensaver" and k == "lock-enabled":
                lock_enabled = v.lower() == "true"
                sources.append(p)
            elif section == "org/gnome/desktop/screensaver" and k == "lock-delay":
                lock_delay = _int(v.split()[-1])
            elif section == "org/gnome/desktop/session" and k == "idle-delay":
                idle_delay = _int(v.split()[-1])
                sources.append(p)
    desktop = any(os.path.exists(p) for p in ("/usr/bin/gnome-session", "/usr/bin/startdde", "/usr/bin/ukui-session",
                                               "/usr/bin/startxfce4", "/usr/bin/startplasma-x11"))
    return {"tmout": tmout, "desktop": desktop,
            "gnome": {"lock_enabled": lock_enabled, "idle_delay": idle_delay, "lock_delay": lock_delay,
                      "sources": sorted(set(sources))}}


def fact_network_config(params):
    """How addresses are configured: DHCP or static, per configuration system."""
    dhcp, static = [], []
    if os.path.exists("/etc/network/interfaces"):
        paths = ["/etc/network/interfaces"] + _glob_files(["/etc/network/interfaces.d/*"])
        for p in paths:
            for s in _conf_lines(p):
                m = re.match(r"^iface\s+(\S+)\s+inet6?\s+(\S+)", s)
                if m and m.group(1) != "lo":
                    (dhcp if m.group(2) in ("dhcp", "auto") else static).append({"interface": m.group(1), "source": p})
    for p in _glob_files([NM_CONNECTIONS + "/*"]):
        text = _read(p)  # an unreadable connection may be the DHCP one: a FactError, not a skip
        iface = re.search(r"^interface-name=(\S+)", text, re.M)
        m = re.search(r"^\[ipv4\][^\[]*?^method=(\S+)", text, re.M | re.S)
        if m:
            rec = {"interface": iface.group(1) if iface else os.path.basename(p), "source": p}
            (dhcp if m.group(1) == "auto" else static).append(rec)
    for p in _glob_files(["/etc/sysconfig/network-scripts/ifcfg-*"]):
        kv = _kv_file(p)
        if kv.get("DEVICE", "") == "lo":
            continue
        rec = {"interface": kv.get("DEVICE") or os.path.basename(p)[6:], "source": p}
        (dhcp if str(kv.get("BOOTPROTO", "none")).lower() in ("dhcp", "bootp") else static).append(rec)
    for p in _glob_files(["/etc/netplan/*.yaml", "/etc/systemd/network/*.network"]):
        text = _read(p)
        if re.search(r"dhcp4:\s*(true|yes)|^DHCP=(yes|ipv4|true)", text, re.M | re.I):
            dhcp.append({"interface": "*", "source": p})
    names = _processes()
    clients = sorted(n for n in names if n in ("dhclient", "dhcpcd", "udhcpc", "dhcpcd5"))
    return {"dhcp": dhcp, "static": static, "dhcp_clients_running": clients}


_DEFAULT_COMMUNITIES = ("public", "private", "community", "snmp", "snmpd", "admin", "manager", "secret", "test",
                        "default", "monitor", "read", "write")


def fact_snmpd(params):
    """Net-SNMP's communities, judged here: default or weak, never the community itself."""
    conf = "/etc/snmp/snmpd.conf"
    names = _processes()
    out = {"present": os.path.exists(conf) or bool(_which("snmpd")), "running": "snmpd" in names, "communities": []}
    if not os.path.exists(conf):
        return out
    weak = set(params.get("weak_passwords") or [])
    for path in [conf] + _glob_files(["/etc/snmp/snmpd.conf.d/*.conf"]):
        for s in _conf_lines(path):
            f = s.split()
            community, access = None, None
            if f[0] in ("rocommunity", "rocommunity6", "rwcommunity", "rwcommunity6") and len(f) > 1:
                community, access = f[1], "write" if f[0].startswith("rw") else "read"
            elif f[0] in ("com2sec", "com2sec6") and len(f) > 3:
                community, access = f[-1], "read"
            if community is not None:
                out["communities"].append({"access": access, "source": path,
                                           "default": community.lower() in _DEFAULT_COMMUNITIES or community in weak})
    return out


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
    ("listening", "/proc/net/tcp, tcp6, udp, udp6 and /proc/*/fd", fact_listening),
    ("host_firewall", "nft -j list ruleset; iptables -S; ip6tables -S; /etc/ufw; /etc/firewalld", fact_host_firewall),
    ("password_policy", "/etc/security/pwquality.conf, /etc/pam.d/*, /etc/login.defs, faillock.conf", fact_password_policy),
    ("usb_storage", "/etc/modprobe.d/*.conf, /proc/modules, modules.builtin or kernel config", fact_usb_storage),
    ("antivirus", "running processes, install paths, ClamAV daily.cvd/cld header", fact_antivirus),
    ("updates", "apt-get -s dist-upgrade / dnf updateinfo list --security (cache only)", fact_updates),
    ("logging", "/etc/logrotate.conf and logrotate.d, rsyslog, journald.conf", fact_logging),
    ("auditd", "/etc/audit/auditd.conf, /etc/audit/rules.d, processes", fact_auditd),
    ("time_sync", "chrony/ntp/timesyncd configuration, chronyc tracking", fact_time_sync),
    ("session_lock", "TMOUT in /etc/profile*, /etc/dconf/db/*.d", fact_session_lock),
    ("network_config", "/etc/network/interfaces, NetworkManager, ifcfg-*, netplan, networkd", fact_network_config),
    ("snmpd", "/etc/snmp/snmpd.conf (communities judged on the host)", fact_snmpd),
]


def collect(params):
    """Collect every fact; each either {source, value} or {source, error}. Never raises for one fact."""
    global _run_cache
    started = time.time()
    facts, timings = {}, {}
    _run_cache = {}
    try:
        for key, source, fn in FACTS:
            t0 = time.time()
            try:
                facts[key] = {"source": source, "value": fn(params)}
            except FactError as e:
                facts[key] = {"source": source, "error": str(e)}
            except Exception as e:  # a bug or an odd host: say so, never pass silently
                facts[key] = {"source": source, "error": "%s: %s" % (type(e).__name__, e)}
            timings[key] = round(time.time() - t0, 2)
    finally:
        _run_cache = None
    return {
        "schema": "zicha.raw/v1",
        "platform": "linux",
        "collected_at": _now(),
        "collector": {"name": "zicha_linux_facts", "version": COLLECTOR_VERSION,
                      "seconds": round(time.time() - started, 2), "euid": os.geteuid(), "timings": timings},
        "facts": facts,
    }


ARGUMENT_SPEC = dict(
    internet_probes=dict(type="list", elements="str", default=[]),
    probe_timeout=dict(type="float", default=3),
    backup_repos=dict(type="list", elements="dict", default=[]),
    restore_log=dict(type="str", default="/var/log/zicha/restore-tests.jsonl"),
    # The candidate weak passwords as one JSON text: a no_log string keeps them out of Ansible's logs and
    # artifacts without masking ordinary words (root, admin) elsewhere in the result.
    candidates_json=dict(type="str", no_log=True),
    org_names=dict(type="list", elements="str", default=[]),
    org_years=dict(type="list", elements="int", default=[]),
    share_key=dict(type="str", no_log=True),
)


def module_params(given):
    """The module's parameters as collect() takes them: the candidates parsed out of their JSON text."""
    params = dict(given)
    params["weak_passwords"] = json.loads(params.pop("candidates_json", None) or "[]")
    return params


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(changed=False, zicha=collect(module_params(module.params)))


if __name__ == "__main__":
    main()
