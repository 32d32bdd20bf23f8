"""Signing evidence: Ed25519 (cryptography) by default, SM2 with SM3 (国密, gmssl) as an option, and RSA-3072 with
SHA-256 (PKCS#1 v1.5) for the Windows air-gap collector: Windows PowerShell 5.1 runs on .NET Framework, which has
neither Ed25519 nor SM2 but signs with RSA on every Windows version (RSACryptoServiceProvider).

Keys are PEM files made by `zicha keygen`; the private key never enters a bundle. A signature is detached: it
signs the bytes of the bundle's manifest.json, which lists the sha256 of every other file.

SM2 notes: gmssl is pure Python; its default nonce comes from `random`, so zicha always passes a nonce from
`secrets`; the signer ID is the standard default 1234567812345678 (GB/T 32918); keys are stored as the hex
the library uses, inside PEM-style armour with zicha's own labels.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from checker import fsio
from checker.errors import ZichaError


class SigningError(ZichaError):
    stage = "sign"


ALGORITHMS = ("ed25519", "sm2-sm3", "rsa-sha256")
RSA_BITS = 3072
#: the suffix of the file that holds an RSA private key in the form zicha-collect.ps1 reads (.NET's RSAKeyValue XML)
PS_KEY_SUFFIX = ".ps-key.json"
_SM2_PRIV, _SM2_PUB = "ZICHA SM2 PRIVATE KEY", "ZICHA SM2 PUBLIC KEY"


@dataclass(frozen=True)
class PublicKey:
    algorithm: str
    raw: bytes  # the public key as bytes (Ed25519: 32 bytes; SM2: the 64-byte point; RSA: DER SubjectPublicKeyInfo)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.algorithm.encode() + b"\0" + self.raw).hexdigest()[:32]


def _armour(label: str, data: bytes) -> bytes:
    body = base64.encodebytes(data).decode().strip()
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n".encode()


def _unarmour(text: bytes, label: str) -> bytes | None:
    t = text.decode("ascii", "replace")
    begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
    if begin not in t or end not in t:
        return None
    try:
        return base64.b64decode(t.split(begin, 1)[1].split(end, 1)[0])
    except ValueError:  # binascii.Error
        return None


def _b64int(n: int) -> str:
    return base64.b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).decode()


def rsa_key_value(key) -> str:
    """An RSA private key as .NET's RSAKeyValue XML (RSACryptoServiceProvider.FromXmlString): big-endian base64
    integers, the CRT parts padded to half the modulus' length as .NET requires."""
    pn = key.private_numbers()
    pub = pn.public_numbers
    half = (pub.n.bit_length() + 15) // 16

    def fixed(n: int, size: int) -> str:
        return base64.b64encode(n.to_bytes(size, "big")).decode()

    parts = [("Modulus", _b64int(pub.n)), ("Exponent", _b64int(pub.e)), ("P", fixed(pn.p, half)),
             ("Q", fixed(pn.q, half)), ("DP", fixed(pn.dmp1, half)), ("DQ", fixed(pn.dmq1, half)),
             ("InverseQ", fixed(pn.iqmp, half)), ("D", fixed(pn.d, 2 * half))]
    return "<RSAKeyValue>" + "".join(f"<{k}>{v}</{k}>" for k, v in parts) + "</RSAKeyValue>"


def keygen(directory: Path, algorithm: str = "ed25519", name: str = "zicha-signing") -> tuple[Path, Path]:
    """Write NAME.key (private, mode 0600) and NAME.pub into directory; for rsa-sha256 also NAME.ps-key.json
    (private, 0600): the same key for zicha-collect.ps1, with its algorithm and fingerprint."""
    if algorithm not in ALGORITHMS:
        raise SigningError(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")
    fsio.make_dir(directory)
    priv_path, pub_path = directory / f"{name}.key", directory / f"{name}.pub"
    if priv_path.exists():
        raise SigningError(f"{priv_path} exists: zicha will not overwrite a private key")
    if pub_path.exists():
        raise SigningError(f"{pub_path} exists: zicha will not overwrite a public key the inspectors may hold")
    ps_key = None
    if algorithm in ("ed25519", "rsa-sha256"):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = (Ed25519PrivateKey.generate() if algorithm == "ed25519"
               else rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS))
        priv = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
        pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        if algorithm == "rsa-sha256":
            import json

            ps_path = directory / f"{name}{PS_KEY_SUFFIX}"
            if ps_path.exists():
                raise SigningError(f"{ps_path} exists: zicha will not overwrite a private key")
            ps_key = (ps_path, json.dumps({"algorithm": algorithm, "key_fingerprint": parse_public(pub).fingerprint,
                                           "rsa_key_value": rsa_key_value(key)}, indent=1).encode())
    else:
        from gmssl import sm2

        d = secrets.randbelow(int(sm2.default_ecc_table["n"], 16) - 1) + 1
        private_hex = f"{d:064x}"
        public_hex = sm2.CryptSM2(private_key=private_hex, public_key="")._kg(d, sm2.default_ecc_table["g"])
        priv = _armour(_SM2_PRIV, bytes.fromhex(private_hex) + bytes.fromhex(public_hex))
        pub = _armour(_SM2_PUB, bytes.fromhex(public_hex))
    fsio.write_bytes(priv_path, priv, mode=0o600)
    if ps_key:
        fsio.write_bytes(ps_key[0], ps_key[1], mode=0o600)
    fsio.write_bytes(pub_path, pub, mode=0o644)  # the public half is meant to be handed out
    return priv_path, pub_path


def _sm2(private_hex: str, public: bytes):
    """gmssl's CryptSM2 with the public point exactly as given: its constructor takes a key whose hex starts with
    "04" for an uncompressed-point prefix and strips every leading 0 and 4 (str.lstrip), which breaks one key in
    256 (an x coordinate whose first byte is 0x04)."""
    from gmssl import sm2

    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public.hex()
    return crypt


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise SigningError(f"{what} {path}: {e.strerror}") from None


@dataclass(frozen=True)
class Signer:
    """A private key read once: what it signs with (algorithm, public key) is known before anything is signed."""

    public: PublicKey
    _sign: Callable[[bytes], bytes]

    @property
    def algorithm(self) -> str:
        return self.public.algorithm

    def sign(self, data: bytes) -> bytes:
        return self._sign(data)


def load_signer(key_path: Path) -> Signer:
    text = _read(key_path, "signing key")
    sm2_key = _unarmour(text, _SM2_PRIV)
    if sm2_key is not None:
        signer = _sm2(sm2_key[:32].hex(), sm2_key[32:])
        return Signer(PublicKey("sm2-sm3", sm2_key[32:]),
                      lambda data: bytes.fromhex(signer.sign_with_sm3(data, secrets.token_hex(32))))
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(text, password=None)
    except (ValueError, TypeError) as e:
        raise SigningError(f"signing key {key_path}: not a zicha key: {e}") from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise SigningError(f"signing key {key_path}: an RSA key of {key.key_size} bits (2048 at least)")
        spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        return Signer(PublicKey("rsa-sha256", spki), lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256()))
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"signing key {key_path}: not an Ed25519, RSA or SM2 key")
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Signer(PublicKey("ed25519", raw), key.sign)


def sign(data: bytes, key_path: Path) -> tuple[str, PublicKey, bytes]:
    """Sign data with the private key at key_path: (algorithm, its public key, signature)."""
    signer = load_signer(key_path)
    return signer.algorithm, signer.public, signer.sign(data)


def load_public(path: Path) -> PublicKey:
    return parse_public(_read(path, "public key"), f"public key {path}")


def parse_public(text: bytes, where: str = "public key") -> PublicKey:
    """A public key from the text of a .pub file (Ed25519 PEM, or zicha's SM2 armour)."""
    sm2_pub = _unarmour(text, _SM2_PUB)
    if sm2_pub is not None:
        if len(sm2_pub) != 64:
            raise SigningError(f"{where}: not an SM2 public key (64 bytes expected)")
        return PublicKey("sm2-sm3", sm2_pub)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(text)
    except (ValueError, TypeError) as e:
        raise SigningError(f"{where}: not a zicha public key: {e}") from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise SigningError(f"{where}: an RSA key of {key.key_size} bits (2048 at least)")
        return PublicKey("rsa-sha256", key.public_bytes(serialization.Encoding.DER,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo))
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"{where}: not an Ed25519, RSA or SM2 key")
    return PublicKey("ed25519", key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def verify(data: bytes, signature: bytes, key: PublicKey) -> bool:
    if key.algorithm == "sm2-sm3":
        from gmssl import sm2

        # exactly r || s, each in [1, n-1]: gmssl alone reads the first 64 bytes and checks no range
        n = int(sm2.default_ecc_table["n"], 16)
        if len(signature) != 64 or not all(0 < int.from_bytes(signature[i:i + 32], "big") < n for i in (0, 32)):
            return False
        checker = _sm2("", key.raw)
        try:
            return bool(checker.verify_with_sm3(signature.hex(), data))
        except Exception:
            return False
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if key.algorithm == "rsa-sha256":
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            serialization.load_der_public_key(key.raw).verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            return True
        except (InvalidSignature, ValueError):
            return False
    try:
        Ed25519PublicKey.from_public_bytes(key.raw).verify(signature, data)
        return True
    except InvalidSignature:
        return False
