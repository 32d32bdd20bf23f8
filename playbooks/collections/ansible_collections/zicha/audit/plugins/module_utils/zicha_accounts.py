# -*- coding: utf-8 -*-
# zicha: local accounts (weak-password verdicts computed on the host) and the password policy (PAM, pwquality,
# login.defs, faillock). Secrets stay on the host: hashes are verified here with libcrypt and only verdicts and
# keyed fingerprints leave. Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import ctypes.util
import hmac
import os
import time

from ansible_collections.zicha.audit.plugins.module_utils.zicha_candidates import candidates
from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError, digits, number
from ansible_collections.zicha.audit.plugins.module_utils.zicha_fingerprint import fingerprint

SHADOW = "/etc/shadow"
PASSWD = "/etc/passwd"
PAM_FILES = ("/etc/pam.d/common-password", "/etc/pam.d/common-auth", "/etc/pam.d/system-auth",
             "/etc/pam.d/password-auth", "/etc/pam.d/passwd", "/etc/pam.d/login", "/etc/pam.d/sshd")
PWQUALITY = ["/etc/security/pwquality.conf", "/etc/security/pwquality.conf.d/*.conf"]
LOGIN_DEFS = "/etc/login.defs"
FAILLOCK_CONF = "/etc/security/faillock.conf"


class Crypt(object):
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
        try:
            setting = stored.encode("ascii")
        except UnicodeError:
            raise FactError("a hash that is not ASCII: no crypt scheme")
        if b"\0" in setting or "\0" in candidate:
            raise FactError("a NUL byte in a hash or a candidate")
        out = self.lib.crypt_r(candidate.encode("utf-8"), setting, self.buf)
        if out is None or out.startswith(b"*"):
            raise FactError("hash scheme not supported by this libcrypt")
        return hmac.compare_digest(out, stored.encode("ascii"))


_SCHEMES = [("$y$", "yescrypt"), ("$gy$", "gost-yescrypt"), ("$7$", "scrypt"), ("$2b$", "bcrypt"),
            ("$2y$", "bcrypt"), ("$2a$", "bcrypt"), ("$6$", "sha512crypt"), ("$5$", "sha256crypt"),
            ("$1$", "md5crypt"), ("$sm3$", "sm3crypt")]


def scheme(h):
    for prefix, name in _SCHEMES:
        if h.startswith(prefix):
            return name
    if len(h) == 13:
        return "descrypt"
    return "unknown"


def fact_accounts(host):
    """Local accounts with their password state and ageing; weak-password verdicts computed here."""
    params = host.params
    passwd = {}
    for line in host.read(PASSWD).splitlines():
        f = line.split(":")
        if len(f) >= 7 and not line.startswith("#"):
            passwd[f[0]] = {"uid": digits(f[2]), "shell": f[6]}
    shadow_text = host.read(SHADOW)
    today = int(time.time() // 86400)
    crypt = None
    accounts = []
    for line in shadow_text.splitlines():
        f = line.split(":")
        if len(f) < 2 or line.startswith("#"):
            continue
        name, h = f[0], f[1]

        def num(i):
            return digits(f[i].strip()) if len(f) > i else None

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
            acc.update(password="set", scheme=scheme(h), weak=False, weak_reason=None)
            try:
                if crypt is None:
                    crypt = Crypt()
                t0 = time.time()
                for cand, why in candidates(name, params):
                    if crypt.matches(cand, h):
                        acc.update(weak=True, weak_reason=why)
                        break
                acc["check_seconds"] = round(time.time() - t0, 2)
            except FactError as e:
                acc.update(weak=None, error=str(e))
        if h and acc["password"] == "set" and params.get("share_key"):
            # the same hash string on two hosts is the same password (a cloned image or a copied shadow line);
            # a keyed fingerprint shows it without the hash leaving, and the key dies with the run
            acc["share_key"] = fingerprint(bytes.fromhex(params["share_key"]), "hash", h)
        h = None  # the hash goes no further than this loop
        accounts.append(acc)
    shadow_text = None
    if not accounts:  # every system has root: a shadow file read as no account was not read
        raise FactError("%s: no account read" % SHADOW)
    return accounts


# ---------------------------------------------------------------- password policy


def pam_line(s):
    """One PAM line: (type, module name, options), or None for a line that loads no module."""
    f = s.split()
    if len(f) < 3 or f[0].startswith("@"):
        return None
    # control may be [a=b c=d]: skip to the module path
    i = 2
    if f[1].startswith("["):
        while i < len(f) and not f[i - 1].endswith("]"):
            i += 1
    if i >= len(f):
        return None
    opts = {}
    for o in f[i + 1:]:
        if "=" in o:
            k, v = o.split("=", 1)
            opts[k] = v
        else:
            opts[o] = True
    return f[0].lstrip("-"), os.path.basename(f[i]), opts


def pam_modules(host):
    """module name -> list of {file, type, options} for the PAM lines that are in force."""
    mods = {}
    for path in [p for p in PAM_FILES if host.exists(p)]:
        for s in host.conf_lines(path):
            line = pam_line(s)
            if line is not None:
                mods.setdefault(line[1], []).append({"file": path, "type": line[0], "options": line[2]})
    return mods


def fact_password_policy(host):
    mods = pam_modules(host)
    quality = {}
    for p in host.glob(PWQUALITY):
        quality.update(host.kv_file(p))
    qmod = (mods.get("pam_pwquality.so") or mods.get("pam_cracklib.so") or [None])[0]
    if qmod:
        quality.update(qmod["options"])  # options on the PAM line win over the file
    keys = ("minlen", "minclass", "dcredit", "ucredit", "lcredit", "ocredit", "retry", "enforce_for_root",
            "difok", "maxrepeat")
    pwq = {k: (number(quality[k], "pwquality " + k) if k != "enforce_for_root" else True) for k in keys if k in quality}
    defs = {}
    if host.exists(LOGIN_DEFS):
        raw = host.kv_file(LOGIN_DEFS, sep=None)
        for k in ("PASS_MAX_DAYS", "PASS_MIN_DAYS", "PASS_MIN_LEN", "PASS_WARN_AGE", "ENCRYPT_METHOD"):
            if k in raw:
                defs[k] = number(raw[k], LOGIN_DEFS + " " + k) if k != "ENCRYPT_METHOD" else raw[k]
    lock = {"module": None}
    fl = mods.get("pam_faillock.so") or []
    tally = mods.get("pam_tally2.so") or mods.get("pam_tally.so") or []
    if fl:
        conf = host.kv_file(FAILLOCK_CONF) if host.exists(FAILLOCK_CONF) else {}
        for m in fl:
            conf.update(m["options"])
        lock = {"module": "pam_faillock", "deny": number(conf.get("deny", 3), "faillock deny"),
                "unlock_time": number(conf.get("unlock_time", 600), "faillock unlock_time"),
                "fail_interval": number(conf.get("fail_interval", 900), "faillock fail_interval")}
    elif tally:
        o = {}
        for m in tally:
            o.update(m["options"])
        lock = {"module": "pam_tally2", "deny": number(o["deny"], "pam_tally2 deny") if "deny" in o else None,
                "unlock_time": number(o["unlock_time"], "pam_tally2 unlock_time") if "unlock_time" in o else None}
    qname = None
    if qmod is not None:
        qname = "pam_pwquality" if mods.get("pam_pwquality.so") else "pam_cracklib"
    return {
        "pwquality": {"in_pam": qmod is not None, "module": qname, "settings": pwq},
        "login_defs": defs,
        "lockout": lock,
    }
