"""Password storage forms of network-device configurations: recognise, decrypt, verify.

Cisco IOS (type 0/4/5/7/8/9), Huawei VRP and USG (simple, DES `!!`, %^%#, %$%$, %@%@, @%@%, $1a$…),
H3C Comware V5/V7 (simple, DES, $c$3$, $h$6$). Publicly reversible forms (Cisco 7, the old Huawei/H3C DES
form) are decrypted here, in memory, only to test them against the weak list and to fingerprint them for
sharing; hash forms with a public algorithm (Cisco 4/5/8/9, H3C $h$6$) are verified against candidates.
Forms whose algorithm is not public are recognised and reported as unverifiable, never as strong.
The sources for every form are listed in docs/password-forms.md.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import hashlib
import hmac
import re
import secrets
import string
from typing import NamedTuple

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
# Cisco type 7 (Vigenere-like XOR with a public 53-byte key)
# ---------------------------------------------------------------------------

# The public translation table. The first 26 bytes are the classic "xlat"
# array found in every type-7 decoder; the 53-byte extension appears in public
# type-7 tools (indexes 0..52, see Crypt::Cisco) and is needed by passlib's
# 24-character vector with seed 15.
_T7_KEY = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_T7_RE = re.compile(r"^(\d\d)((?:[0-9A-Fa-f]{2})*)$")


def decrypt_cisco7(text: str) -> str:
    """Decode a Cisco type-7 string ("SS" decimal seed + hex bytes)."""
    m = _T7_RE.match(text.strip())
    if not m:
        raise ValueError("not a Cisco type 7 string")
    seed = int(m.group(1))
    data = bytes.fromhex(m.group(2))
    out = bytes(b ^ _T7_KEY[(seed + i) % len(_T7_KEY)] for i, b in enumerate(data))
    return out.decode("utf-8", errors="surrogateescape")


def encrypt_cisco7(password: str, seed: int | None = None) -> str:
    """Encode as Cisco type 7. IOS picks a seed 0..15; pass one for fixtures."""
    if seed is None:
        seed = secrets.randbelow(16)
    if not 0 <= seed <= 52:
        raise ValueError("seed must be 0..52 (IOS uses 0..15)")
    data = _to_bytes(password)
    body = bytes(b ^ _T7_KEY[(seed + i) % len(_T7_KEY)] for i, b in enumerate(data))
    return f"{seed:02d}" + body.hex().upper()


# ---------------------------------------------------------------------------
# Cisco base64 ("Cisco64": crypt alphabet, standard bit order, no padding)
# ---------------------------------------------------------------------------

_STD64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_C64 = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TO_C64 = bytes.maketrans(_STD64, _C64)
_C64_CHARS = _C64.decode()


def cisco64_encode(data: bytes) -> str:
    return base64.b64encode(data).rstrip(b"=").translate(_TO_C64).decode()


def _rand_c64(n: int) -> str:
    return "".join(secrets.choice(_C64_CHARS) for _ in range(n))


# ---------------------------------------------------------------------------
# md5crypt ($1$) - libcrypt crypt_r via ctypes, pure-Python fallback
# ---------------------------------------------------------------------------

_libcrypt = None


def _load_libcrypt():
    global _libcrypt
    if _libcrypt is not None:
        return _libcrypt or None
    for name in ("libcrypt.so.1", ctypes.util.find_library("crypt"), "libcrypt.so.2"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            lib.crypt_r.restype = ctypes.c_char_p
            lib.crypt_r.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
            _libcrypt = lib
            return lib
        except (OSError, AttributeError):
            continue
    _libcrypt = False
    return None


def _md5crypt_libcrypt(pw: bytes, setting: bytes) -> str | None:
    lib = _load_libcrypt()
    if lib is None or b"\0" in pw:
        return None
    buf = ctypes.create_string_buffer(32768)   # >= sizeof(struct crypt_data)
    res = lib.crypt_r(pw, setting, buf)
    if not res or res.startswith(b"*"):
        return None
    return res.decode("ascii")


def md5crypt(password, salt: str) -> str:
    r = _md5crypt_libcrypt(_to_bytes(password), b"$1$" + salt.encode("ascii") + b"$")
    if r is None:
        raise ValueError("md5crypt needs libcrypt")
    return r


# ---------------------------------------------------------------------------
# Cisco hashes: type 4, 5, 8, 9
# ---------------------------------------------------------------------------

_RE_T5 = re.compile(r"^\$1\$([^$]{0,8})\$([./0-9A-Za-z]{22})$")
_RE_T8 = re.compile(r"^\$8\$([./0-9A-Za-z]{14})\$([./0-9A-Za-z]{43})$")
_RE_T9 = re.compile(r"^\$9\$([./0-9A-Za-z]{14})\$([./0-9A-Za-z]{43})$")
_RE_T4 = re.compile(r"^[./0-9A-Za-z]{43}$")


def cisco_type4(password) -> str:
    """Type 4: unsalted, single SHA-256, Cisco64-encoded (deprecated/broken)."""
    return cisco64_encode(hashlib.sha256(_to_bytes(password)).digest())


def cisco_type5(password, salt: str | None = None) -> str:
    return md5crypt(password, salt if salt is not None else _rand_c64(4))


def cisco_type8(password, salt: str | None = None) -> str:
    salt = salt if salt is not None else _rand_c64(14)
    dk = hashlib.pbkdf2_hmac("sha256", _to_bytes(password), salt.encode("ascii"), 20000, 32)
    return f"$8${salt}${cisco64_encode(dk)}"


def cisco_type9(password, salt: str | None = None) -> str:
    salt = salt if salt is not None else _rand_c64(14)
    dk = hashlib.scrypt(_to_bytes(password), salt=salt.encode("ascii"),
                        n=16384, r=1, p=1, dklen=32)
    return f"$9${salt}${cisco64_encode(dk)}"


# ---------------------------------------------------------------------------
# DES (single) - cryptography if possible, else pure Python
# ---------------------------------------------------------------------------

def _des_ecb_crypto(key: bytes, data: bytes, encrypt: bool) -> bytes | None:
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, modes
        try:
            from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
        except ImportError:  # cryptography < 43
            from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES
    except ImportError:
        return None
    # 3DES-EDE with K1=K2=K3 is exactly single DES.
    c = Cipher(TripleDES(key * 3), modes.ECB())
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(data) + op.finalize()


def _des_ecb(key: bytes, data: bytes, encrypt: bool) -> bytes:
    r = _des_ecb_crypto(key, data, encrypt)
    if r is None:
        raise ValueError("DES is not available (cryptography is missing)")
    return r


# ---------------------------------------------------------------------------
# Huawei VRP / H3C Comware V5 "cipher" DES form (24 or 88 chars, ends "!!")
# ---------------------------------------------------------------------------
# DES-ECB, fixed key 01..08, plaintext NUL-padded to 16 (24-char form) or 64
# bytes (88-char form); binary -> 6-bit groups, char = value + 0x21, except
# value 30 ('?') which is written as 'a'.

_HW_DES_KEY = bytes(range(1, 9))
_RE_HW_DES = re.compile(r"^[\x21-\x3e\x40-\x61]{22}!!$|^[\x21-\x3e\x40-\x61]{86}!!$")


def _hw6_decode(text: str) -> bytes:
    vals = [(0x3F if c == "a" else ord(c)) - 0x21 for c in text]
    if any(not 0 <= v < 64 for v in vals) or len(vals) % 4:
        raise ValueError("bad character in Huawei DES cipher text")
    out = bytearray()
    for i in range(0, len(vals), 4):
        n = (vals[i] << 18) | (vals[i + 1] << 12) | (vals[i + 2] << 6) | vals[i + 3]
        out += n.to_bytes(3, "big")
    return bytes(out)


def _hw6_encode(data: bytes) -> str:
    data = data + b"\0" * (-len(data) % 3)
    out = []
    for i in range(0, len(data), 3):
        n = int.from_bytes(data[i:i + 3], "big")
        for sh in (18, 12, 6, 0):
            v = (n >> sh) & 0x3F
            out.append("a" if v == 0x3F - 0x21 else chr(v + 0x21))
    return "".join(out)


def decrypt_huawei_des(text: str) -> str:
    text = text.strip()
    if not _RE_HW_DES.match(text):
        raise ValueError("not a Huawei/H3C 24/88-char DES cipher string")
    raw = _hw6_decode(text)
    nbytes = 16 if len(text) == 24 else 64
    pt = _des_ecb(_HW_DES_KEY, raw[:nbytes], encrypt=False)
    pt = pt.split(b"\0", 1)[0]   # the device does not clear the buffer past NUL
    return pt.decode("utf-8", errors="surrogateescape")


def encrypt_huawei_des(password: str) -> str:
    pw = _to_bytes(password)
    if b"\0" in pw:
        raise ValueError("NUL not allowed")
    if len(pw) <= 16:
        block = pw.ljust(16, b"\0")
    elif len(pw) <= 64:
        block = pw.ljust(64, b"\0")
    else:
        raise ValueError("Huawei/H3C DES form holds at most 64 bytes")
    ct = _des_ecb(_HW_DES_KEY, block, encrypt=True)
    return _hw6_encode(ct)


# ---------------------------------------------------------------------------
# H3C / HPE Comware V7 "$h$6$" hash: sha512(pw\0 + salt + pw\0), base64
# ---------------------------------------------------------------------------

_RE_H6 = re.compile(r"^\$h\$6\$([A-Za-z0-9+/]{16})\$([A-Za-z0-9+/]{86}==)$")
_B64_CHARS = string.ascii_letters + string.digits + "+/"


def h3c_h6(password, salt: str | None = None) -> str:
    salt = salt if salt is not None else "".join(secrets.choice(_B64_CHARS) for _ in range(16))
    if len(salt) != 16:
        raise ValueError("$h$6$ salt is 16 characters")
    pw = _to_bytes(password) + b"\0"
    d = hashlib.sha512(pw + salt.encode("ascii") + pw).digest()
    return f"$h$6${salt}${base64.b64encode(d).decode()}"


# ---------------------------------------------------------------------------
# Huawei base-93 ("AesEnhSys") helpers - only used for structural checks
# ---------------------------------------------------------------------------

def huawei_b93_decode(text: str) -> bytes | None:
    """Decode Huawei's base-93 text (5 chars -> little-endian uint32; char =
    value + 0x21, value 30 written '~').  Returns None if not valid.
    Used to sanity-check $1a$/$1c$/$1d$ strings; the hash itself is not
    publicly documented."""
    if len(text) % 5:
        return None
    vals = []
    for c in text:
        o = ord(c)
        if c == "~":
            vals.append(0x1E)
        elif 0x21 <= o <= 0x7D and c != "?":
            vals.append(o - 0x21)
        else:
            return None
    out = bytearray()
    for i in range(0, len(vals), 5):
        n = sum(vals[i + j] * 93 ** j for j in range(5))
        if n >= 1 << 32:
            return None
        out += n.to_bytes(4, "little")
    return bytes(out)


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
