# -*- coding: utf-8 -*-
# zicha: logs and their evidence: retention (logrotate, journald), forwarding (rsyslog), auditd, and the time
# synchronisation that dates them. Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import conf_lines_of, to_int

LOGROTATE_CONF = "/etc/logrotate.conf"
RSYSLOG = ["/etc/rsyslog.conf", "/etc/rsyslog.d/*.conf"]
JOURNALD = ["/etc/systemd/journald.conf", "/etc/systemd/journald.conf.d/*.conf", "/usr/lib/systemd/journald.conf.d/*.conf"]
AUDITD_CONF = "/etc/audit/auditd.conf"
TIME_CONFS = ["/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/chrony/sources.d/*.sources", "/etc/ntp.conf",
              "/etc/ntpsec/ntp.conf"]
TIMESYNCD = ["/etc/systemd/timesyncd.conf", "/etc/systemd/timesyncd.conf.d/*.conf"]

_PERIOD_DAYS = {"hourly": 1.0 / 24, "daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}


def logrotate_blocks(host, path, default, blocks, seen):
    """logrotate's syntax: global directives, and `path [path…] { directives }` blocks whose paths may
    also stand on lines of their own before the brace."""
    if path in seen:
        return
    seen.add(path)
    text = host.read(path)
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
            target["rotate"] = to_int(f[1])
        elif f[0] in _PERIOD_DAYS:
            target["period"] = f[0]
        elif f[0] == "size" and len(f) > 1:
            target["period"] = "size"  # rotated by size only, whatever the time: the last of the two wins
        elif f[0] == "maxage" and len(f) > 1:
            target["maxage"] = to_int(f[1])
        elif f[0] == "include" and cur is None and len(f) > 1:
            inc = f[1]
            for p in (host.glob([os.path.join(inc, "*")]) if host.isdir(inc) else host.glob([inc])):
                logrotate_blocks(host, p, default, blocks, seen)


def retention(blocks, default):
    """Per log file: how it is rotated and the days a line of it is surely kept."""
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
    return files


# a forwarding action of the legacy syntax: a selector (facility.priority, ';'-separated), blanks, @ (UDP) or @@ (TCP),
# options in parentheses, then a host name, an IPv4 address or a bracketed IPv6 one, and a port. Blanks are spaces and
# tabs only: Python's \s also takes control characters that rsyslog does not.
_HOST = r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9._-]*)"
_LEGACY_FORWARD = re.compile(r"^[^ \t]*\.[^ \t]*[ \t]+(@@?)(?:\([^)]*\))?(" + _HOST + r")(?::([0-9]{1,5}))?(?:[ \t;]|\Z)")


# an audit rule (auditctl syntax): "-a action,list" or "-A" with at least one field or syscall after it, or
# "-w path" (a watch). A bare "-a" or "-w" is no rule: auditctl refuses it. An option glued to its argument
# ("-aalways,exit", which getopt would take) is not counted: fewer rules counted can only fail, never pass.
_AUDIT_RULE = re.compile(r"^(?:-[aA][ \t]+[a-z]+,[a-z]+[ \t]+-[SFCk]|-w[ \t]+/)")


def rsyslog_lines(text, source, remote, local):
    """Forwarding actions (remote) and local log files of one rsyslog configuration file."""
    for s in text.splitlines():
        s = s.strip()
        if not s or s.startswith("#"):
            continue
        m = _LEGACY_FORWARD.match(s)
        if m and not s.startswith("$"):
            remote.append({"host": m.group(2).strip("[]"), "port": to_int(m.group(3)) or 514,
                           "proto": "tcp" if m.group(1) == "@@" else "udp", "source": source})
            continue
        m = re.search(r'type[ \t]*=[ \t]*"omfwd".*?target[ \t]*=[ \t]*"(' + _HOST + r')"', s)
        if m:
            port = re.search(r'port\s*=\s*"(\d+)"', s)
            proto = re.search(r'protocol\s*=\s*"(\w+)"', s)
            remote.append({"host": m.group(1), "port": to_int(port.group(1)) if port else 514,
                           "proto": proto.group(1).lower() if proto else "udp", "source": source})
            continue
        m = re.match(r"^\S+\s+-?(/var/log/\S+)", s)
        if m:
            local.append(m.group(1))


def _rsyslog(host):
    files = host.glob(RSYSLOG)
    if not files:
        return None
    remote, local = [], []
    for p in files:
        rsyslog_lines(host.read(p), p, remote, local)
    return {"remote": remote, "files": sorted(set(local))}


_UNIT_SECONDS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400,
                 "w": 604800, "week": 604800, "month": 2629800, "y": 31557600, "year": 31557600}


def journald_settings(conf, persistent_dir):
    """journald's settings (merged KEY=VALUE of its files) as zicha reads them."""
    storage = conf.get("Storage", "auto")
    persistent = storage == "persistent" or (storage == "auto" and persistent_dir)
    ret = conf.get("MaxRetentionSec")
    secs = None
    if ret:
        m = re.match(r"^(\d+)\s*(s|sec|m|min|h|hour|d|day|w|week|month|y|year)?s?$", ret.strip())
        if m:
            secs = int(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    return {"storage": storage, "persistent": persistent, "max_retention_sec": secs,
            "max_use": conf.get("SystemMaxUse"), "forward_to_syslog": conf.get("ForwardToSyslog")}


def journald_conf(text, conf):
    for s in conf_lines_of(text):
        if "=" in s and not s.startswith("["):
            k, v = s.split("=", 1)
            conf[k.strip()] = v.strip()


def _journald(host):
    conf = {}
    for p in host.glob(JOURNALD):
        journald_conf(host.read(p), conf)
    if not conf and not host.exists("/etc/systemd/journald.conf"):
        return None
    return journald_settings(conf, host.isdir("/var/log/journal"))


def fact_logging(host):
    """logrotate, rsyslog, journald and the log daemons, read once per run (log_retention and log_forwarding are
    derived from the same reading)."""
    return host.memo("logging", _logging)


def _logging(host):
    default = {"rotate": None, "period": None, "maxage": None}
    blocks = []
    if host.exists(LOGROTATE_CONF):
        logrotate_blocks(host, LOGROTATE_CONF, default, blocks, set())
    files = retention(blocks, default)
    rs = _rsyslog(host)
    names = host.processes()
    syslog_files = []
    if rs:
        syslog_files = rs["files"]
    return {
        "logrotate": {"default": default, "files": files, "present": host.exists("/etc/logrotate.conf")},
        "rsyslog": rs,
        "syslog_ng": host.exists("/etc/syslog-ng/syslog-ng.conf"),
        "journald": _journald(host),
        "daemons": sorted(n for n in names if n in ("rsyslogd", "syslog-ng", "systemd-journal", "syslogd")),
        "syslog_files": syslog_files,
    }


def fact_log_forwarding(host):
    """Where the host sends its logs, in the shape every platform gives (rsyslog's forwarding actions here): each
    target with the daemon that carries it and whether that daemon runs."""
    lg = fact_logging(host)
    running = "rsyslogd" in lg["daemons"]
    return {"targets": [{"host": r["host"], "port": r["port"], "proto": r["proto"], "via": "rsyslogd",
                         "running": running, "source": r["source"]} for r in (lg["rsyslog"] or {}).get("remote", [])]}


SYSLOG_FILES = ("/var/log/syslog", "/var/log/messages", "/var/log/auth.log", "/var/log/secure")


def fact_log_retention(host):
    """How long the host keeps its logs, in the shape every platform gives: one store per log, with the days a
    line of it is surely kept (null when unknown) and whether it is kept without bound. The system logs that
    logrotate rotates; failing those, the files rsyslog writes (not rotated: days unknown); failing those too,
    the journal (persistent, bounded by MaxRetentionSec)."""
    lg = fact_logging(host)
    files = lg["logrotate"]["files"]
    stores = [{"name": p, "days": files[p]["days"], "unbounded": False, "source": files[p]["source"],
               "detail": "rotate %s x %s" % (files[p]["rotate"], files[p]["period"])}
              for p in sorted(files) if p in SYSLOG_FILES]
    if not stores:
        stores = [{"name": p, "days": None, "unbounded": False, "source": "rsyslog", "detail": "not rotated by logrotate"}
                  for p in lg["syslog_files"]]
    if not stores and lg["journald"] is not None:
        j = lg["journald"]
        sec = j.get("max_retention_sec") if j.get("persistent") else None
        stores = [{"name": "journald", "days": round(sec / 86400.0, 2) if isinstance(sec, (int, float)) else None,
                   "unbounded": False, "source": "journald.conf",
                   "detail": "Storage=%s, MaxRetentionSec=%s" % (j.get("storage"), j.get("max_retention_sec"))}]
    return {"stores": stores}


# ---------------------------------------------------------------- audit and time


def fact_auditd(host):
    names = host.processes()
    installed = bool(host.which("auditd") or host.which("auditctl")) or host.exists(AUDITD_CONF)
    conf = host.kv_file(AUDITD_CONF) if host.exists(AUDITD_CONF) else {}
    rules = 0
    for p in host.glob(["/etc/audit/rules.d/*.rules", "/etc/audit/audit.rules"]):
        rules += sum(1 for s in host.conf_lines(p) if _AUDIT_RULE.match(s))
    return {"installed": installed, "running": "auditd" in names, "rules": rules,
            "max_log_file": to_int(conf.get("max_log_file")), "num_logs": to_int(conf.get("num_logs")),
            "max_log_file_action": conf.get("max_log_file_action")}


# a time server as chrony and ntpd take it: a host name, an IPv4 or an IPv6 address (a word of other characters is
# not a server, and a configuration of such words names none)
_TIME_SERVER = re.compile(r"\A(?:[0-9A-Fa-f:.]+|[A-Za-z0-9][A-Za-z0-9._-]*)\Z")


def time_servers(lines):
    """The servers, pools and peers of chrony or ntpd configuration lines."""
    servers = []
    for s in lines:
        f = s.split()
        if f[0] in ("server", "pool", "peer") and len(f) > 1 and _TIME_SERVER.match(f[1]):
            servers.append(f[1])
    return servers


def fact_time_sync(host):
    names = host.processes()
    servers = []
    for p in host.glob(TIME_CONFS):
        servers.extend(time_servers(host.conf_lines(p)))
    for p in host.glob(TIMESYNCD):
        for s in host.conf_lines(p):
            if s.startswith("NTP=") or s.startswith("FallbackNTP="):
                servers.extend(s.split("=", 1)[1].split())
    daemons = sorted(n for n in names if n in ("chronyd", "ntpd", "systemd-timesyn", "ntpsec", "openntpd"))
    synced = None
    if "chronyd" in daemons and host.which("chronyc"):
        rc, out, _ = host.run(["chronyc", "-n", "tracking"], timeout=10)
        if rc == 0:
            synced = "Leap status     : Normal" in out
    return {"daemons": daemons, "servers": sorted(set(servers)), "synchronized": synced}
