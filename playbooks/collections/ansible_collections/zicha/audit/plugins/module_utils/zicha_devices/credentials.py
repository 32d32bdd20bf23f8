"""Judging a stored credential without keeping it: weak or not, and a keyed fingerprint for sharing.

Plain and publicly reversible forms are decrypted in memory and compared with the candidates; verifiable
hashes are tested against them. What leaves this module is a verdict, the storage class and scheme, and
a fingerprint: HMAC-SHA256 under a key that lives for one run only, so equal fingerprints mean equal
passwords within the run and nothing can be learnt from them afterwards.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any, Callable

# One definition for the collectors and the device parsers: the collection's module_utils (checker/__init__.py
# puts playbooks/collections on sys.path).
from ansible_collections.zicha.audit.plugins.module_utils.zicha_candidates import candidates, is_default_community
from ansible_collections.zicha.audit.plugins.module_utils.zicha_fingerprint import fingerprint

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import passwords


@dataclass
class Judge:
    """Everything needed to judge credentials in one run: the candidates and the run's fingerprint key."""

    candidates: Callable[[str], list[tuple[str, str]]]
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def fingerprint(self, kind: str, value: str) -> str:
        return fingerprint(self.key, kind, value)

    def credential(self, vendor: str, stored: str, user: str, context: str | None = None) -> dict[str, Any]:
        return self._judge(vendor, stored, user, context)[0]

    def _judge(self, vendor: str, stored: str, user: str,
               context: str | None = None) -> tuple[dict[str, Any], str | None]:
        """The verdict on one stored credential, and its plaintext when the form gives it (kept in memory)."""
        c = passwords.classify(vendor, stored, context)
        rec: dict[str, Any] = {"storage": c["storage"], "scheme": c["scheme"], "weak": None,
                               "weak_reason": None, "share_key": None}
        plain = passwords.decrypt(vendor, stored) if c["storage"] in ("plain", "reversible") else None
        if plain is not None:
            rec["weak"], rec["weak_reason"] = self._weak_plain(plain, user)
            rec["share_key"] = self.fingerprint("pw", plain)
        elif c["storage"] == "hash" and c["verifiable"]:
            rec["weak"], rec["weak_reason"] = False, None
            for cand, why in self.candidates(user):
                if passwords.verify(vendor, stored, cand):
                    rec["weak"], rec["weak_reason"] = True, why
                    break
            if not c["salted"]:
                rec["share_key"] = self.fingerprint("hash", c["value"])
        else:
            rec["unverifiable"] = c.get("note") or f"{c['scheme']}: no public algorithm to test candidates"
        if rec["share_key"] is None and c.get("value"):
            # the same stored string (copied from device to device) is the same password
            rec["share_key"] = self.fingerprint("stored", c["value"])
        return rec, plain

    def _weak_plain(self, plain: str, user: str) -> tuple[bool, str | None]:
        if plain == "":
            return True, "empty"
        for cand, why in self.candidates(user):
            if hmac.compare_digest(cand.encode("utf-8", "surrogateescape"), plain.encode("utf-8", "surrogateescape")):
                return True, why
        return False, None

    def community(self, vendor: str, stored: str) -> dict[str, Any]:
        """An SNMP community: default or weak, how it is stored; never the community itself."""
        rec, plain = self._judge(vendor, stored, "snmp")
        rec["default"] = None if plain is None else is_default_community(plain)
        if rec["default"]:
            rec["weak"], rec["weak_reason"] = True, "default_community"
        return rec

    def unreadable_community(self, scheme: str, note: str) -> dict[str, Any]:
        """A community line the parser does not understand: present, never judged (the rule errors on it)."""
        return {"storage": "unknown", "scheme": scheme, "weak": None, "weak_reason": None, "share_key": None,
                "unverifiable": note, "default": None}


def linux_candidates(params: dict[str, Any]) -> Callable[[str], list[tuple[str, str]]]:
    """The same candidate list the Linux collector tries (one definition, zicha_candidates)."""
    return lambda user: candidates(user, params)
