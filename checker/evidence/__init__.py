"""Evidence stage: the signed bundle an upper-level inspector verifies and re-evaluates offline.

- bundle.py: what goes into a bundle, writing it, and reading it back within limits;
- redact.py: keeping secrets out (second line of defence);
- verify.py: hashes, signature, policies, and the results decided again.
"""

from checker.evidence.bundle import (EvidenceError, Materials, build, canonical_name, contents, file_problems,
                                     load_report, manifest_of, member_json, policy_digest, policy_files, read)
from checker.evidence.redact import URL_PASSWORD, redact, redact_text
from checker.evidence.verify import Verification, verify

__all__ = ["EvidenceError", "Materials", "URL_PASSWORD", "Verification", "build", "canonical_name", "contents",
           "file_problems", "load_report", "manifest_of", "member_json", "policy_digest", "policy_files", "read",
           "redact", "redact_text", "verify"]
