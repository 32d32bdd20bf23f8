# -*- coding: utf-8 -*-
# zicha: idle sessions lock: the shell's TMOUT and the desktop's screen lock (GNOME, UKUI and DDE keep it in
# dconf keyfiles). Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import to_int

PROFILES = ["/etc/profile", "/etc/profile.d/*.sh", "/etc/bash.bashrc", "/etc/bashrc"]
DCONF = ["/etc/dconf/db/*.d/*"]
SESSIONS = ("/usr/bin/gnome-session", "/usr/bin/startdde", "/usr/bin/ukui-session", "/usr/bin/startxfce4",
            "/usr/bin/startplasma-x11")


def tmout_of(lines, source):
    """TMOUT settings of a shell start-up file."""
    out = []
    for s in lines:
        m = re.match(r"^(?:export\s+|readonly\s+|declare\s+-\w+\s+)*TMOUT=(\d+)", s)
        if m:
            out.append({"seconds": int(m.group(1)), "source": source})
    return out


def dconf_uint(value):
    """A dconf integer (`300`, `uint32 300`); None when the value is empty or not one."""
    words = value.split()
    if not words or (len(words) == 2 and not re.match(r"^u?int(16|32|64)$", words[0])) or len(words) > 2:
        return None
    return to_int(words[-1])


def dconf_lock(lines, source, gnome):
    """The screensaver and session keys of one dconf keyfile, into `gnome` (later files win)."""
    section = None
    for s in lines:
        if s.startswith("["):
            section = s.strip("[]")
            continue
        if "=" not in s:
            continue
        k, v = [x.strip() for x in s.split("=", 1)]
        if section == "org/gnome/desktop/screensaver" and k == "lock-enabled":
            gnome["lock_enabled"] = v.lower() == "true"
            gnome["sources"].append(source)
        elif section == "org/gnome/desktop/screensaver" and k == "lock-delay":
            gnome["lock_delay"] = dconf_uint(v)
        elif section == "org/gnome/desktop/session" and k == "idle-delay":
            gnome["idle_delay"] = dconf_uint(v)
            gnome["sources"].append(source)


def fact_session_lock(host):
    """Shell TMOUT and the desktop's screen lock (GNOME/UKUI/DDE keyfiles under /etc/dconf)."""
    tmout = []
    for p in host.glob(PROFILES):
        tmout.extend(tmout_of(host.conf_lines(p), p))
    gnome = {"lock_enabled": None, "idle_delay": None, "lock_delay": None, "sources": []}
    for p in host.glob(DCONF):
        dconf_lock(host.conf_lines(p), p, gnome)
    gnome["sources"] = sorted(set(gnome["sources"]))
    desktop = any(host.exists(p) for p in SESSIONS)
    return {"tmout": tmout, "desktop": desktop, "gnome": gnome}
