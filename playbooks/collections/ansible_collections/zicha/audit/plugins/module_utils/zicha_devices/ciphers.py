"""The public algorithms of network-device password forms: Cisco type 7 and its base64 alphabet, MD5-crypt (type 5),
SHA-256 (type 4), PBKDF2 (type 8), scrypt (type 9), the old Huawei/H3C DES form, H3C $h$6$ and Huawei's b93
encoding. checker.devices.passwords recognises the forms and calls these to decrypt or verify; the sources are
listed in docs/password-forms.md."""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import hashlib
import re
import secrets
import string


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
