# -*- coding: utf-8 -*-
# zicha: the operating system (os-release) and the kernel's USB storage drivers (modprobe rules, loaded and
# built-in modules). Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import os
import re
import socket
import zlib

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError

OS_RELEASE = "/etc/os-release"
MODULES_DIRS = ("/lib/modules", "/usr/lib/modules")
KERNEL_CONFIGS = ("/proc/config.gz", "/boot/config-%s")
MODPROBE = ["/etc/modprobe.d/*.conf", "/lib/modprobe.d/*.conf", "/usr/lib/modprobe.d/*.conf", "/run/modprobe.d/*.conf"]


def os_release(text):
    """The fields of os-release zicha reads (lower-case keys), and the family they make."""
    info = {}
    for line in text.splitlines():
        m = re.match(r'^([A-Z_]+)=(.*)$', line.strip())
        if m and m.group(1) in ("ID", "ID_LIKE", "VERSION_ID", "PRETTY_NAME", "NAME"):
            info[m.group(1).lower()] = m.group(2).strip().strip('"')
    if "id" not in info:
        raise FactError("%s: no ID" % OS_RELEASE)
    like = (info.get("id", "") + " " + info.get("id_like", "")).split()
    if any(x in like for x in ("debian", "ubuntu", "uos", "deepin", "kylin")):
        info["family"] = "debian"
    elif any(x in like for x in ("rhel", "fedora", "centos", "openeuler", "anolis", "suse")):
        info["family"] = "rhel"
    else:
        info["family"] = "other"
    return info


def fact_os(host):
    info = {"kernel": host.kernel, "hostname": socket.gethostname()}
    try:
        text = host.read(OS_RELEASE)
    except FactError:
        text = ""
    info.update(os_release(text))
    return info


# ---------------------------------------------------------------- USB storage

_KCONFIG = {"usb_storage": "CONFIG_USB_STORAGE", "uas": "CONFIG_USB_UAS"}


def builtin_drivers(host, mods):
    """Which of these drivers are built into the running kernel (no modprobe rule can keep those off):
    from modules.builtin, else from the kernel's configuration. Neither readable: a FactError."""
    kver = host.kernel
    for d in MODULES_DIRS:
        bpath = "%s/%s/modules.builtin" % (d, kver)
        if host.exists(bpath):
            found = set()
            for line in host.read(bpath).splitlines():
                base = os.path.basename(line.strip()).split(".ko")[0].replace("-", "_")
                if base in mods:
                    found.add(base)
            return found
    for pattern in KERNEL_CONFIGS:
        path = pattern % kver if "%s" in pattern else pattern
        if not host.exists(path):
            continue
        if path.endswith(".gz"):
            try:
                with host.open(path) as raw, gzip.GzipFile(fileobj=raw) as f:
                    text = f.read().decode("utf-8", "replace")
            except (IOError, OSError, EOFError, zlib.error) as e:
                raise FactError("%s: %s" % (path, e))
        else:
            text = host.read(path)
        return set(m for m in mods if re.search(r"^%s=y\s*$" % _KCONFIG[m], text, re.M))
    raise FactError("cannot tell whether usb-storage is built into kernel %s: no modules.builtin under %s, "
                    "no kernel configuration (%s)" % (kver, " or ".join(MODULES_DIRS),
                                                      ", ".join(p.replace("%s", kver) for p in KERNEL_CONFIGS)))


def modprobe_rules(lines_by_file):
    """install and blacklist rules for usb_storage and uas: [(file, [lines])] -> {module: rule}."""
    rules = {}
    for path, lines in lines_by_file:
        for s in lines:
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
    return rules


def fact_usb_storage(host):
    """Is the usb-storage (and uas) driver kept off: by modprobe configuration, and not loaded now."""
    rules = modprobe_rules((path, host.conf_lines(path)) for path in host.glob(MODPROBE))
    modules_supported = host.exists("/proc/modules")
    loaded = []
    if modules_supported:
        for line in host.read("/proc/modules").splitlines():
            name = line.split(" ", 1)[0]
            if name in ("usb_storage", "uas"):
                loaded.append(name)
    builtin = builtin_drivers(host, ("usb_storage", "uas"))
    out = {}
    for mod in ("usb_storage", "uas"):
        r = rules.get(mod, {"install": None, "blacklist": False, "files": []})
        inst = (r["install"] or "").split()
        blocked = bool(inst) and os.path.basename(inst[0]) in ("false", "true")
        out[mod] = {"install": r["install"], "install_blocks": blocked, "blacklisted": r["blacklist"],
                    "files": r["files"], "loaded": mod in loaded, "builtin": mod in builtin}
    out["modules_supported"] = modules_supported
    return out
