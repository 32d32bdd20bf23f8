"""Password storage forms of network-device configurations: recognise, decrypt, verify.

Cisco IOS (type 0/4/5/7/8/9), Huawei VRP and USG (simple, DES `!!`, %^%#, %$%$, %@%@, @%@%, $1a$…),
H3C Comware V5/V7 (simple, DES, $c$3$, $h$6$). Publicly reversible forms (Cisco 7, the old Huawei/H3C DES
form) are decrypted here, in memory, only to test them against the weak list and to fingerprint them for
sharing; hash forms with a public algorithm (Cisco 4/5/8/9, H3C $h$6$) are verified against candidates.
Forms whose algorithm is not public are recognised and reported as unverifiable, never as strong.
The sources for every form are listed in docs/password-forms.md.
"""

from __future__ import annotations

import hmac
import re
from typing import NamedTuple

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.ciphers import (  # noqa: F401 - the algorithms; the public ones re-exported for the callers
    _RE_H6, _RE_HW_DES, _RE_T4, _RE_T5, _RE_T8, _RE_T9, _T7_KEY, _T7_RE, cisco_type4, cisco_type5, cisco_type8,
    cisco_type9, decrypt_cisco7, decrypt_huawei_des, encrypt_cisco7, encrypt_huawei_des, h3c_h6,
    huawei_b93_decode, md5crypt)

_VENDOR_ALIASES = {
    "cisco": "cisco", "ios": "cisco", "cisco_ios": "cisco",
    "huawei": "huawei", "vrp": "huawei", "huawei_vrp": "huawei",
    "huawei_usg": "huawei_usg", "usg": "huawei_usg",
    "h3c": "h3c", "comware": "h3c", "h3c_comware": "h3c",
}


def normalize_vendor(vendor: str) -> str:
    v = (vendor or "").strip().lower()
    if v not in _VENDOR_ALIASES:
        raise ValueError(f"unknown vendor {vendor!r}")
    return _VENDOR_ALIASES[v]


def _to_bytes(pw) -> bytes:
    return pw if isinstance(pw, (bytes, bytearray)) else str(pw).encode("utf-8")


# ---------------------------------------------------------------------------
# classification
# ---------------------------------------------------------------------------

def _res(storage, scheme, salted, value, decryptable=False, verifiable=False,
         confirmed=True, note=""):
    return {"storage": storage, "scheme": scheme, "salted": salted,
            "value": value, "decryptable": decryptable,
            "verifiable": verifiable, "confirmed": confirmed, "note": note}


def _strip_quotes(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    return v


# --- Cisco -----------------------------------------------------------------

def _classify_cisco(text: str, context=None) -> dict:
    t = text.strip()
    low = t.lower()
    if not t:
        return _res("unknown", "empty", True, "", confirmed=False)
    toks = t.split()
    if low.startswith("snmp-server community"):
        val = toks[2] if len(toks) > 2 else ""
        if _is_envelope(val):
            return _res("unknown", "cisco-snmp-community-envelope", True, val, confirmed=False,
                        note="a delimited cipher envelope where IOS prints the community in clear")
        return _res("plain", "cisco-snmp-community", False, val, True, True,
                    note="SNMPv1/v2c communities are stored in clear; "
                         "service password-encryption does not touch them")
    # the value is the last token; the type digit, when given, is the token before it
    typ = toks[-2] if len(toks) >= 2 and len(toks[-2]) == 1 and toks[-2].isdigit() else None
    val = toks[-1]
    if _is_envelope(val):
        return _res("unknown", "cisco-envelope", True, val, confirmed=False,
                    note="a delimited cipher envelope of another vendor's form: no Cisco form")
    if typ is None:
        # bare token, or "... secret <hash>" / "... password <plain>"
        if val.startswith("$1$"):
            typ = "5"
        elif val.startswith("$8$"):
            typ = "8"
        elif val.startswith("$9$"):
            typ = "9"
        else:
            typ = "0"
    if typ == "0":
        return _res("plain", "cisco-type0", False, val, True, True,
                    note="clear text (service password-encryption would turn "
                         "'password' forms into type 7)")
    if typ == "7":
        ok = bool(_T7_RE.match(val)) and int(val[:2]) <= 52
        return _res("reversible", "cisco-type7", True, val, ok, ok,
                    note="XOR with public key; random seed 00-15 so equal "
                         "passwords usually give different strings")
    if typ == "5":
        return _res("hash", "cisco-type5-md5crypt", True, val, False,
                    bool(_RE_T5.match(val)))
    if typ == "8":
        return _res("hash", "cisco-type8-pbkdf2-sha256", True, val, False,
                    bool(_RE_T8.match(val)))
    if typ == "9":
        return _res("hash", "cisco-type9-scrypt", True, val, False,
                    bool(_RE_T9.match(val)))
    if typ == "4":
        return _res("hash", "cisco-type4-sha256", False, val, False,
                    bool(_RE_T4.match(val)),
                    note="unsalted single SHA-256: equal passwords -> equal strings")
    if typ == "6":
        return _res("reversible", "cisco-type6-aes", True, val, False, False,
                    note="AES with the device's own 'key config-key' master key; "
                         "not decryptable without that key")
    return _res("unknown", f"cisco-type{typ}", True, val, False, False, False)


# --- Huawei / H3C shapes ----------------------------------------------------

class CipherForm(NamedTuple):
    """A delimited cipher envelope (the string opens and closes with `delimiter`; any character between)."""
    delimiter: str
    scheme: str
    storage: str
    confirmed: bool
    note: str


#: The Huawei/H3C delimited cipher envelopes: the one list (common.SECRET and the evidence redaction use it).
DELIMITED_FORMS: tuple[CipherForm, ...] = (
    CipherForm("%$%$", "huawei-aes-%$%$", "reversible", True,
               "AES-256, hard-coded key with a per-string salt, hard-coded IV (emaze 2014); "
               "constants not published -> not decryptable here"),
    CipherForm("%^%#", "huawei-%^%#", "reversible", False,
               "VRP V200R00x+ default cipher form; no public algorithm found"),
    CipherForm("%@%@", "huawei-aes-%@%@", "reversible", True,
               "AES, key/IV obfuscated in firmware (emaze 2015); not published"),
    CipherForm("%#%#", "huawei-%#%#", "reversible", False,
               "VRP8 (NE/CE) cipher form; no public algorithm found"),
    CipherForm("%+%#", "huawei-kmc-%+%#", "reversible", False,
               "newer KMC-based cipher form with key-id header; no public algorithm"),
    CipherForm("@%@%", "huawei-usg-@%@%", "hash", False,
               "USG manager-user 'password cipher': Huawei USG CLI doc says one-way scrypt, "
               "saved as 56 characters; encoding/parameters not public"),
)
DELIMITERS: tuple[str, ...] = tuple(f.delimiter for f in DELIMITED_FORMS)

_RE_1X = re.compile(r"^\$1([a-z])\$(.{10}|.{16})\$(.{40})\$$", re.S)
_RE_GENERIC_DELIM = re.compile(r"^([%@#^$+&*!~]{4}).+\1$", re.S)


def _huawei_shape(val: str, vendor: str, keyword: str | None, context) -> dict:
    # irreversible-cipher $1a$ / $1b$ / $1c$ / $1d$ ...
    m = _RE_1X.match(val)
    if m:
        salt_ok = huawei_b93_decode(m.group(2)) is not None or len(m.group(2)) == 16
        dig_ok = huawei_b93_decode(m.group(3)) is not None
        return _res("hash", f"huawei-irreversible-$1{m.group(1)}$", True, val,
                    False, False, confirmed=salt_ok and dig_ok,
                    note="salted one-way form; 32-byte digest in Huawei base-93; "
                         "exact KDF not public -> cannot verify offline")
    if val.startswith("$1") and val.endswith("$") and keyword == "irreversible-cipher":
        return _res("hash", "huawei-irreversible-unrecognised", True, val,
                    confirmed=False)
    for delim, scheme, storage, confirmed, note in DELIMITED_FORMS:
        if len(val) > 8 and val.startswith(delim) and val.endswith(delim):
            if keyword == "irreversible-cipher":
                return _res("hash", scheme + "-irreversible", True, val,
                            confirmed=False,
                            note="irreversible-cipher keyword: one-way form")
            if (vendor == "huawei_usg" and delim == "%@%@"
                    and (context or "").lower().startswith("manager-user")):
                return _res("hash", "huawei-usg-manager-user-%@%@", True, val,
                            confirmed=False,
                            note="USG manager-user password: documented as "
                                 "one-way scrypt")
            return _res(storage, scheme, True, val, False, False, confirmed, note)
    if _RE_HW_DES.match(val):
        return _res("reversible", "huawei-des-ecb", False, val, True, True,
                    note="DES-ECB fixed key 0102030405060708; unsalted: equal "
                         "passwords give equal strings")
    if val.startswith("$c$3$"):
        return _res("reversible", "h3c-$c$3$", True, val, False, False, False,
                    note="Comware cipher form (V5 late/V7); fixed-key encryption "
                         "(portable between devices) but algorithm not public")
    if re.match(r"^\$c\$\d+\$", val):
        return _res("reversible", "h3c-$c$?$", True, val, False, False, False)
    if _RE_H6.match(val):
        return _res("hash", "h3c-$h$6$-sha512", True, val, False, True,
                    note="sha512(pw\\0 + salt + pw\\0), base64")
    if re.match(r"^\$h\$\d+\$", val):
        return _res("hash", "h3c-$h$?$", True, val, False, False, False)
    if _RE_GENERIC_DELIM.match(val):
        return _res("reversible", "huawei-unknown-delimited", True, val,
                    False, False, False, "unrecognised delimited cipher form")
    return None


_HW_KEYWORDS = ("simple", "cipher", "irreversible-cipher", "hash")


def _keyword_value(t: str) -> tuple[str | None, str]:
    r"""The first password keyword of `t` that has something after it, and that rest (stripped): what
    `(?:^|\s)(simple|cipher|…)\s+(.+?)\s*$` would find, without its quadratic backtracking on a value that
    is mostly spaces."""
    for m in re.finditer(r"\S+", t):
        word = m.group(0)
        if word.lower() in _HW_KEYWORDS:
            rest = t[m.end():].strip()
            if rest and t[m.end()].isspace():
                return word.lower(), rest
    return None, t


def _is_envelope(val: str) -> bool:
    """A delimited cipher envelope: one of the known forms, or four delimiter characters at both ends."""
    if any(len(val) >= 2 * len(d) and val.startswith(d) and val.endswith(d) for d in DELIMITERS):
        return True
    return bool(_RE_GENERIC_DELIM.match(val))


def _classify_hw(vendor: str, text: str, context=None) -> dict:
    t = text.strip()
    low = t.lower()
    kw, rest = _keyword_value(t)
    if kw is not None:
        val = _strip_quotes(rest)
    else:
        val = t
        # old VRP / Comware: "snmp-agent community read public"
        sm = re.match(r"snmp-agent\s+community\s+(?:read|write)\s+(\S+)", low)
        if sm:
            val = t.split()[3]
            if not _is_envelope(val):
                return _res("plain", "snmp-community-plain", False, val, True, True)
        toks = t.split()
        if len(toks) > 1 and not val.startswith(DELIMITERS):
            val = toks[-1]
    if kw == "simple" and not _is_envelope(val):
        return _res("plain", f"{vendor}-simple", False, val, True, True,
                    note="clear text in the configuration")
    # a stored form is what it is wherever it appears: an envelope after `simple`, or with no keyword at
    # all (`snmp-agent community read %$%$…%$%$` on USG V500R001), is a cipher, never a plain value
    r = _huawei_shape(val, vendor, None if kw == "simple" else kw, context)
    if r is not None:
        return r
    if kw in ("cipher", "irreversible-cipher", "hash"):
        if _looks_typed(val):
            # Devices never display a plaintext after these keywords, but they accept one as input, and
            # hand-written configurations and templates hold it ("password irreversible-cipher Admin@123").
            return _res("plain", f"{vendor}-{kw}-keyword-plaintext", False, val,
                        True, True, confirmed=False,
                        note=f"value after '{kw}' matches no stored form and reads as typed "
                             "plaintext (the input syntax of a template or hand-written file)")
        return _res("unknown", f"{vendor}-{kw}-unrecognised", True, val, confirmed=False,
                    note=f"value after '{kw}' looks encoded but matches no known form")
    return _res("unknown", "unrecognised", True, val, confirmed=False)


_ENCODING_CHARS = frozenset("%@#^$+&*!~")


def _looks_typed(val: str) -> bool:
    """A value an operator would type as a password, not an encoded string of a form we do not know.

    Encoded forms are long, open or close with runs of delimiter characters, look like crypt strings
    ($x$…$) or are dense with punctuation; typed passwords are short words with a few symbols."""
    if not val or not val.isprintable() or len(val) > 32:
        return False
    if val.startswith(DELIMITERS) or val.endswith(DELIMITERS) or re.match(r"^\$\w{1,3}\$", val):
        return False
    if (val[:2] and set(val[:2]) <= _ENCODING_CHARS) or set(val[-2:]) <= _ENCODING_CHARS:
        return False
    symbols = sum(1 for c in val if not c.isalnum())
    return not (len(val) >= 16 and symbols / len(val) > 0.3)


def classify(vendor: str, text: str, context: str | None = None) -> dict:
    """Classify a password token or config fragment.

    ``text`` may be the bare stored value ("$9$...", "%^%#...%^%#") or a
    fragment with its keyword ("password 7 0822455D0A16", "password cipher
    %$%$...%$%$", "irreversible-cipher $1a$...$", "hash $h$6$...").
    ``context`` optionally names the enclosing block (e.g. "manager-user
    admin" on a USG) where that changes the meaning.
    """
    v = normalize_vendor(vendor)
    if v == "cisco":
        return _classify_cisco(text, context)
    return _classify_hw(v, text, context)


# ---------------------------------------------------------------------------
# decrypt / verify / make_hash / share_key
# ---------------------------------------------------------------------------

def decrypt(vendor: str, text: str) -> str | None:
    """Plaintext for plain and publicly reversible forms, else None."""
    c = classify(vendor, text)
    if c["storage"] == "plain":
        return c["value"]
    if c["storage"] != "reversible" or not c["decryptable"]:
        return None
    try:
        if c["scheme"] == "cisco-type7":
            return decrypt_cisco7(c["value"])
        if c["scheme"] == "huawei-des-ecb":
            return decrypt_huawei_des(c["value"])
    except ValueError:
        return None
    return None


def verify(vendor: str, stored: str, candidate: str) -> bool | None:
    """True/False if ``candidate`` can be checked offline, None otherwise."""
    c = classify(vendor, stored)
    val = c["value"]
    if c["storage"] in ("plain", "reversible"):
        pt = decrypt(vendor, stored)
        return None if pt is None else hmac.compare_digest(_to_bytes(pt), _to_bytes(candidate))
    if c["storage"] != "hash" or not c["verifiable"]:
        return None
    s = c["scheme"]
    if s == "cisco-type5-md5crypt":
        salt = _RE_T5.match(val).group(1)
        calc = md5crypt(candidate, salt)
    elif s == "cisco-type8-pbkdf2-sha256":
        calc = cisco_type8(candidate, _RE_T8.match(val).group(1))
    elif s == "cisco-type9-scrypt":
        calc = cisco_type9(candidate, _RE_T9.match(val).group(1))
    elif s == "cisco-type4-sha256":
        calc = cisco_type4(candidate)
    elif s == "h3c-$h$6$-sha512":
        calc = h3c_h6(candidate, _RE_H6.match(val).group(1))
    else:
        return None
    return hmac.compare_digest(calc.encode(), val.encode())


_MAKE = {
    ("cisco", "4"): cisco_type4, ("cisco", "5"): cisco_type5,
    ("cisco", "8"): cisco_type8, ("cisco", "9"): cisco_type9,
    ("h3c", "h6"): h3c_h6,
}
_SCHEME_ALIASES = {
    "type4": "4", "type5": "5", "type8": "8", "type9": "9",
    "md5crypt": "5", "pbkdf2": "8", "scrypt": "9", "sha256": "4",
    "cisco-type4-sha256": "4", "cisco-type5-md5crypt": "5",
    "cisco-type8-pbkdf2-sha256": "8", "cisco-type9-scrypt": "9",
    "$h$6$": "h6", "h3c-$h$6$-sha512": "h6", "sha512": "h6",
}


def make_hash(vendor: str, scheme: str, password: str, salt: str | None = None) -> str:
    """Generate a hash form that this module can verify (for fixtures)."""
    v = normalize_vendor(vendor)
    if v == "huawei_usg":
        v = "huawei"
    s = str(scheme).lower().strip()
    s = _SCHEME_ALIASES.get(s, s)
    fn = _MAKE.get((v, s))
    if fn is None and v == "huawei" and s == "h6":
        fn = h3c_h6    # some Huawei products share the Comware $h$6$ form [unconfirmed]
    if fn is None:
        raise ValueError(f"cannot generate {scheme!r} for {vendor!r} "
                         "(no public algorithm)")
    if s == "4":
        return fn(password)
    return fn(password, salt)
