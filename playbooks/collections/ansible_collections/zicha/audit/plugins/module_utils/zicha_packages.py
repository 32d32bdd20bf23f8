# -*- coding: utf-8 -*-
# zicha: software that protects the host: pending security updates (apt, dnf, yum; from their caches) and
# antivirus products with the age of their signatures. Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import re
import time

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError, digits

APT_LISTS = "/var/lib/apt/lists"
# dnf 4 (solv files and repodata per repository), dnf 5, and yum ($basearch/$releasever/<repo>)
DNF_CACHE = ["/var/cache/dnf/*.solv", "/var/cache/dnf/*/repodata/repomd.xml",
             "/var/cache/libdnf5/*/repodata/repomd.xml", "/var/cache/yum/*/*/*/repomd.xml",
             "/var/cache/yum/*/*/repomd.xml"]


# apt-private-output.cc: "%lu upgraded, %lu newly installed, " [%lu reinstalled, ] [%lu downgraded, ]
# "%lu to remove and %lu not upgraded."; every package it installs, upgrades, reinstalls or downgrades has an Inst line
_APT_SUMMARY = re.compile(r"^(\d+) upgraded, (\d+) newly installed, (?:(\d+) reinstalled, )?(?:(\d+) downgraded, )?"
                          r"\d+ to remove and \d+ not upgraded\.$", re.M)


def apt_simulation(out):
    """`apt-get -s dist-upgrade` (LC_ALL=C): the packages it would install, and those of them from a security
    archive. apt ends with its count ("N upgraded, M newly installed, ..."): without it, or when the Inst lines
    read are not that many, the output was not read whole and nothing is known."""
    pending, security = [], []
    for line in out.splitlines():
        m = re.match(r"^Inst (\S+) (?:\[(\S+)\] )?\((\S+) (.*)\)", line)
        if m:
            name = m.group(1)
            pending.append(name)
            if re.search(r"security", m.group(4), re.I):
                security.append(name)
    counts = _APT_SUMMARY.findall(out)
    if len(counts) != 1:
        raise FactError("apt-get -s dist-upgrade: no summary line (N upgraded, M newly installed, ...) in its "
                        "output: pending updates are unknown")
    installs = sum(int(n) for n in counts[0] if n)
    if installs != len(pending):
        raise FactError("apt-get -s dist-upgrade: it counts %d packages to install, %d Inst lines were read"
                        % (installs, len(pending)))
    return pending, security


def _apt_updates(host):
    lists = host.glob([APT_LISTS + "/*InRelease", APT_LISTS + "/*_Release"])
    if not lists:
        # apt-get would simulate against no repository at all and list nothing: pending updates are unknown
        raise FactError("%s: no package lists (apt-get update never ran, or no source is configured): "
                        "pending security updates are unknown" % APT_LISTS)
    age = round((time.time() - max(host.getmtime(p) for p in lists)) / 86400.0, 1)
    rc, out, err = host.run(["apt-get", "-s", "-o", "Debug::NoLocking=1", "-o",
                             "APT::Get::Show-User-Simulation-Note=false", "dist-upgrade"], timeout=300)
    if rc != 0:
        raise FactError("apt-get -s dist-upgrade: rc %d: %s" % (rc, (err.strip().splitlines() or [""])[-1]))
    pending, security = apt_simulation(out)
    return {"manager": "apt", "pending": len(pending), "security": sorted(security), "lists_age_days": age}


def _dnf_updates(host):
    tool = "dnf" if host.which("dnf") else "yum"
    cache = host.glob(DNF_CACHE)
    if not cache:
        raise FactError("no %s metadata cache (%s makecache never ran, or no repository is configured): "
                        "pending security updates are unknown" % (tool, tool))
    rc, out, err = host.run([tool, "-q", "-C", "--noplugins", "updateinfo", "list", "--security"], timeout=300)
    if rc != 0:
        raise FactError("%s updateinfo list --security (cache only): rc %d: %s" % (tool, rc, err.strip()[:200]))
    security = sorted({f[2] for f in (line.split() for line in out.splitlines())
                       if len(f) >= 3 and f[1].endswith("Sec.")})
    age = round((time.time() - max(host.getmtime(p) for p in cache)) / 86400.0, 1)
    return {"manager": tool, "pending": None, "security": security, "lists_age_days": age}


def fact_updates(host):
    if host.which("apt-get"):
        return _apt_updates(host)
    if host.which("dnf") or host.which("yum"):
        return _dnf_updates(host)
    raise FactError("no package manager known to zicha (apt, dnf, yum)")


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


def cvd_header(head, path):
    """ClamAV .cvd/.cld header: 'ClamAV-VDB:<time>:<version>:<sigs>:<flevel>:<md5>:<sig>:<builder>:<epoch>'."""
    if not head.startswith("ClamAV-VDB:"):
        raise FactError("%s: not a ClamAV database" % path)
    parts = head.split(":")
    version, sigs = (digits(parts[2]), digits(parts[3])) if len(parts) > 3 else (None, None)
    if version is None or sigs is None:
        raise FactError("%s: a ClamAV header without its version and signature count" % path)
    epoch = digits(parts[8].strip("\0 ")) if len(parts) > 8 else None
    return {"file": path, "version": version, "signatures": sigs, "built_epoch": epoch}


def _clamav_signatures(host, rec):
    dbdir = "/var/lib/clamav"
    for conf in ("/etc/clamav/freshclam.conf", "/etc/freshclam.conf"):
        if host.exists(conf):
            d = host.kv_file(conf, sep=None).get("DatabaseDirectory")
            if d:
                dbdir = d
    dbs = [os.path.join(dbdir, n) for n in ("daily.cld", "daily.cvd") if host.exists(os.path.join(dbdir, n))]
    if not dbs:
        rec["signatures_error"] = "%s: no daily.cvd or daily.cld" % dbdir
        return
    newest = None
    for db in dbs:
        with host.open(db) as f:
            h = cvd_header(f.read(512).decode("ascii", "replace"), db)
        if newest is None or (h["version"] or 0) > (newest["version"] or 0):
            newest = h
    if newest["built_epoch"]:
        newest["built_at"] = datetime.datetime.fromtimestamp(
            newest["built_epoch"], datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        rec["signatures_updated_at"] = newest["built_at"]
    rec["signatures"] = newest


def fact_antivirus(host):
    names = host.processes()
    found = []
    for product, procs, paths in _AV_PRODUCTS:
        running = sorted(p for p in procs if p in names)
        present = [p for p in paths if host.exists(p)]
        if not running and not present:
            continue
        rec = {"product": product, "running": running, "installed_paths": present, "signatures": None,
               "enabled": bool(running), "signatures_updated_at": None, "signatures_up_to_date": None}
        if product == "ClamAV":
            _clamav_signatures(host, rec)
        found.append(rec)
    return {"products": found}
