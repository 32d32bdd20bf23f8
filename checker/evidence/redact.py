"""Redaction: the second line of defence that keeps secrets out of the bundle.

Collectors return verdicts and keyed fingerprints, never a secret. Still, before anything is written into an
evidence bundle, every string is searched for what a secret looks like (password hashes, the vendors' cipher
envelopes, private keys, a password inside a URL) and every setting named like a secret loses its value.
Every pattern here runs in time linear in its input: a hostile 20 MB string is searched once, not once per
character.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.passwords import DELIMITERS

# crypt(3) and network-device hash forms: $1$ $5$ $6$ (with rounds=), $y$ $gy$ $2b$, Cisco $8$ $9$, Huawei $1a$ $1c$,
# H3C $h$6$ and $c$3$, argon2; and the Huawei/H3C cipher envelopes %^%#…%^%#, %$%$…%$%$, %@%@…%@%@, @%@%…@%@%.
# Lengths are bounded so that a failed match never scans further than a real hash could reach.
_CRYPT = re.compile(r"\$1[a-d]\$[^\s$]{2,64}\$[^\s$]{8,512}\$?|"
                    r"\$(?:1|2[aby]|5|6|7|8|9|y|gy|sm3|sha1|md5|h\$6|c\$3|argon2(?:id|i|d))\$[./A-Za-z0-9$=,+]{8,1024}")
_ENVELOPE = re.compile("(" + "|".join(map(re.escape, DELIMITERS)) + r")\S{6,1024}?\1")
# a password inside a URL: scheme://user:password@host (restic rest:, s3:, sftp:, http:)
URL_PASSWORD = re.compile(r"(?<=://)([^/@\s:]{1,256}):([^/@\s]{1,256})@")
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----")
# A setting whose name ends in one of these words holds a secret (ansible_password, ansible_become_pass,
# snmp_community, enable_secret, tacacs_key, ipsec_psk) unless its value only says what state the secret is in.
_SECRET_WORDS = {"password", "passwd", "pass", "passphrase", "pwd", "secret", "community", "token", "credential",
                 "credentials", "psk", "key", "cipher"}
_STATE_WORDS = {"set", "unset", "empty", "none", "locked", "disabled", "enabled", "yes", "no", "true", "false", "on",
                "off", "present", "absent", "plain", "hash", "reversible", "unknown", "*", "!", "!!", "x"}
_SAFE_KEYS = {"share_key", "public_key"}  # per-run keyed fingerprints, public keys


def _secret_setting(key: str, value: Any) -> bool:
    """A string value under a secret's name. Mappings (hosts named pc-secret-1, zones named secret) and lists
    (accounts with_password) keep their contents, and are searched like everything else."""
    if not isinstance(value, str) or not value or not _secret_name(key) or value.strip().lower() in _STATE_WORDS:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _secret_name(key: str) -> bool:
    """A setting's name that says it holds a secret (the names repeat: each is split once)."""
    last = re.split(r"[_\-.]", key.lower())[-1]
    return last in _SECRET_WORDS and key not in _SAFE_KEYS


def _private_keys(text: str) -> str:
    """Every BEGIN … PRIVATE KEY block up to its END (or to the end of the text), found in one pass each."""
    if "PRIVATE KEY-----" not in text:
        return text
    begins = [m.start() for m in _PEM_BEGIN.finditer(text)]
    if not begins:
        return text
    ends = [m.end() for m in _PEM_END.finditer(text)]
    out, pos = [], 0
    for b in begins:
        if b < pos:
            continue
        i = bisect.bisect_right(ends, b)
        e = ends[i] if i < len(ends) else len(text)  # no END: everything after BEGIN may be the key
        out.append(text[pos:b])
        out.append("[redacted private key]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _may_hold_secret(text: str) -> bool:
    """Whether any pattern below could match: each needs one of these substrings (a crypt hash a `$`, a cipher
    envelope its delimiter, a URL password `://`, a private key its PEM line). Most strings of a bundle have
    none, and are passed over at the cost of a few substring searches."""
    return ("$" in text or "://" in text or "PRIVATE KEY-----" in text
            or any(d in text for d in DELIMITERS))


def redact_text(text: str) -> str:
    if not _may_hold_secret(text):
        return text
    new = _private_keys(text)
    new = _CRYPT.sub("[redacted hash]", new)
    new = _ENVELOPE.sub("[redacted cipher]", new)
    return URL_PASSWORD.sub(r"\1:[redacted]@", new)


def redact(obj: Any, counter: list[int], memo: dict[int, tuple[Any, Any, int]] | None = None) -> Any:
    """`obj` with every secret-shaped string and secret-named setting replaced; counter[0] counts replacements.
    Walks without recursion limits of its own: callers pass documents already bounded in depth (jsonio).
    `memo` (the bundle's): a mapping already redacted is not walked again where the same object recurs (the
    hosts' facts are both facts/<host>.json and part of input.json); its replacements are counted again. The
    memo holds the original too, so that no other object can take its id while the memo lives."""
    if isinstance(obj, dict):
        if memo is not None and id(obj) in memo:
            _, done, n = memo[id(obj)]
            counter[0] += n
            return done
        before = counter[0]
        out = {}
        for k, v in obj.items():
            if isinstance(k, str) and _secret_setting(k, v):
                counter[0] += 1
                out[k] = "[redacted]"
                continue
            out[k] = redact(v, counter, memo)
        if memo is not None:
            memo[id(obj)] = (obj, out, counter[0] - before)
        return out
    if isinstance(obj, list):
        return [redact(v, counter, memo) for v in obj]
    if isinstance(obj, str):
        new = redact_text(obj)
        if new != obj:
            counter[0] += 1
        return new
    return obj
