# -*- coding: utf-8 -*-
# zicha: keyed fingerprints of credentials, to see one password on two hosts or devices without it leaving.
# The key lives for one run only (the controller makes it and deletes it), so equal fingerprints mean equal
# credentials within the run and nothing can be learnt from them afterwards. One definition for the Linux
# collector and the device parsers (checker.devices.credentials). Runs on the target's own Python (3.6+).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac


def fingerprint(key, kind, value):
    """HMAC-SHA256 of `kind` NUL `value` under the run's key (bytes), as 32 hex digits. `kind` keeps the forms
    apart: "hash" (a stored hash string), "pw" (a plaintext), "stored" (any other stored form)."""
    data = ("%s\0%s" % (kind, value)).encode("utf-8", "surrogateescape")
    return hmac.new(key, data, hashlib.sha256).hexdigest()[:32]
