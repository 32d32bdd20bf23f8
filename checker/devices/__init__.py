"""Network devices: their configuration text turned into facts, without keeping a secret.

`facts(text, platform, source, judge)` is the one entry: the Ansible module (live devices) and snapshot
audits (configuration backups, no connection) both call it. The vendor is detected from the text when not
given. What comes back holds verdicts and fingerprints, never a password, community or key.
"""

from __future__ import annotations

import re
from typing import Any

from checker.devices import cisco, h3c, huawei, tree
from checker.devices.credentials import Judge

PLATFORMS = ("huawei_vrp", "huawei_usg", "h3c_comware", "cisco_ios")


class UnknownVendor(ValueError):
    pass


def detect(text: str) -> str:
    """The platform a configuration was printed by, from its own language."""
    scores = {p: 0 for p in PLATFORMS}
    rules = [
        ("cisco_ios", r"^(Building configuration|Current configuration\s*:|version \d+\.\d+\s*$|hostname \S+|"
                      r"line vty \d|switchport|service password-encryption|end\s*$)", 2),
        ("huawei_vrp", r"^(!Software Version V\d|sysname |user-interface vty|local-user \S+ password "
                       r"(irreversible-cipher|cipher|simple)|port link-type|port default vlan|stelnet server|"
                       r"info-center loghost|return\s*$)", 1),
        ("huawei_usg", r"^(firewall zone |security-policy\s*$| ?manager-user |web-manager |service-manage |"
                       r"nat server |!Software Version V[56]00)", 3),
        # Comware prints its version as `version 7.1.070, Release 3506P10`: no other vendor does
        ("h3c_comware", r"^version \d\.\d+, (Release|ESS|Alpha|Feature)", 50),
        ("h3c_comware", r"^(local-user \S+ class |line vty \d|password-control|port access vlan|port link-mode |"
                        r"security-zone name|irf |domain system)", 3),
    ]
    for line in text.splitlines()[:3000]:
        s = line.rstrip()
        for platform, pattern, weight in rules:
            if re.match(pattern, s.lstrip() if platform != "cisco_ios" else s):
                scores[platform] += weight
    if scores["huawei_usg"] and scores["huawei_vrp"]:
        scores["huawei_usg"] += scores["huawei_vrp"]
    best = max(scores, key=lambda p: scores[p])
    if scores[best] < 3:
        raise UnknownVendor("the configuration is not in a language zicha reads (Huawei VRP/USG, H3C Comware, "
                            "Cisco IOS)")
    return best


def parse(text: str, platform: str, judge: Judge) -> dict[str, Any]:
    if platform in ("huawei_vrp", "huawei_usg"):
        return huawei.parse(tree.parse(text), judge, "huawei_usg" if platform == "huawei_usg" else "huawei")
    if platform == "h3c_comware":
        return h3c.parse(tree.parse(text), judge)
    if platform == "cisco_ios":
        return cisco.parse(tree.parse(text, separators="!"), judge)
    raise UnknownVendor(f"platform {platform!r} is not a network device zicha reads")


def facts(text: str, platform: str, source: str, judge: Judge) -> dict[str, dict[str, Any]]:
    """Fact envelopes ({source, value} or {source, error}) from one configuration."""
    if not text.strip():
        return {k: {"source": source, "error": "the configuration is empty"} for k in FACT_KEYS}
    try:
        parsed = parse(text, platform, judge)
    except Exception as e:  # a parser bug or a configuration we misread: every fact says so
        return {k: {"source": source, "error": f"could not parse the configuration: {type(e).__name__}: {e}"}
                for k in FACT_KEYS}
    return {k: {"source": source, "value": v} for k, v in parsed.items()}


FACT_KEYS = ("device", "users", "password_policy", "management", "snmp", "syslog", "ntp", "interfaces",
             "bindings", "dhcp_snooping", "firewall", "nat_servers")
