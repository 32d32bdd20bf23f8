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


#: Lines only a USG (or its Eudemon/USG6000 relatives) prints: a security policy, firewall administrators,
#: the web manager, per-interface service-manage. `firewall zone` and `nat server` are not enough alone:
#: VRP routers (AR) print them too, and so does the USG's own VRP base.
_USG_STRONG = r"^(security-policy\s*$|manager-user |web-manager |service-manage )"
_USG_WEAK = (r"^firewall zone ", r"^nat server ", r"^!Software Version V[56]00")


def detect(text: str) -> str:
    """The platform a configuration was printed by, from its own language."""
    scores = {p: 0 for p in PLATFORMS}
    rules = [
        ("cisco_ios", r"^(Building configuration|Current configuration\s*:|version \d+\.\d+\s*$|hostname \S+|"
                      r"line vty \d|switchport|service password-encryption|end\s*$)", 2),
        ("huawei_vrp", r"^(!Software Version V\d|sysname |user-interface vty|local-user \S+ password "
                       r"(irreversible-cipher|cipher|simple)|port link-type|port default vlan|stelnet server|"
                       r"info-center loghost|return\s*$)", 1),
        # Comware prints its version as `version 7.1.070, Release 3506P10`: no other vendor does
        ("h3c_comware", r"^version \d+\.[\d.]+, (Release|ESS|Alpha|Feature)", 50),
        ("h3c_comware", r"^(local-user \S+ class |line vty \d|password-control|port access vlan|port link-mode |"
                        r"security-zone name|irf |domain system)", 3),
    ]
    usg_strong = 0
    usg_weak: dict[int, int] = {}
    for line in text.splitlines()[:3000]:
        s = line.rstrip()
        for platform, pattern, weight in rules:
            if re.match(pattern, s.lstrip() if platform != "cisco_ios" else s):
                scores[platform] += weight
        if re.match(_USG_STRONG, s.lstrip()):
            usg_strong += 1
        for i, pattern in enumerate(_USG_WEAK):
            if re.match(pattern, s.lstrip()):
                usg_weak[i] = usg_weak.get(i, 0) + 1
    # a USG needs a marker only it prints, or every one of the shared ones
    if usg_strong or len(usg_weak) == len(_USG_WEAK):
        scores["huawei_usg"] = scores["huawei_vrp"] + 3 * (usg_strong + sum(usg_weak.values()))
    best = max(scores, key=lambda p: scores[p])
    if scores[best] < 3:
        raise UnknownVendor("the configuration is not in a language zicha reads (Huawei VRP/USG, H3C Comware, "
                            "Cisco IOS)")
    return best


#: VRP and USG print one language (a USG is VRP underneath): either name reads the other's text
_LANGUAGE = {"huawei_vrp": "huawei", "huawei_usg": "huawei", "h3c_comware": "comware", "cisco_ios": "ios"}


def parse(text: str, platform: str, judge: Judge) -> dict[str, Any]:
    if platform in ("huawei_vrp", "huawei_usg"):
        return huawei.parse(tree.parse(text), judge, "huawei_usg" if platform == "huawei_usg" else "huawei")
    if platform == "h3c_comware":
        return h3c.parse(tree.parse(text), judge)
    if platform == "cisco_ios":
        return cisco.parse(tree.parse(text, separators="!"), judge)
    raise UnknownVendor(f"platform {platform!r} is not a network device zicha reads")


def facts(text: str, platform: str, source: str, judge: Judge) -> dict[str, dict[str, Any]]:
    """Fact envelopes ({source, value} or {source, error}) from one configuration.

    The text must read as a configuration of `platform`: an error reply (`% Invalid input detected`,
    `Error: Unrecognized command`), a login banner or another vendor's configuration parses as "no users, no
    communities, telnet off", so each of them makes every fact an error instead."""
    def every(error: str) -> dict[str, dict[str, Any]]:
        return {k: {"source": source, "error": error} for k in FACT_KEYS}

    if not text.strip():
        return every("the configuration is empty")
    try:
        found = detect(text)
    except UnknownVendor:
        return every(f"the text is not a {platform} configuration (an error reply, or not a configuration)")
    if _LANGUAGE.get(found) != _LANGUAGE.get(platform, platform):
        return every(f"the text reads as a {found} configuration, not {platform}")
    try:
        parsed = parse(text, platform, judge)
    except Exception as e:  # a parser bug or a configuration we misread: every fact says so
        # the exception's own text may quote the configuration (a secret with it): only its type leaves
        return every(f"could not parse the configuration ({type(e).__name__}): a form the {platform} parser "
                     "does not read")
    return {k: {"source": source, "value": v} for k, v in parsed.items()}


FACT_KEYS = ("device", "users", "password_policy", "management", "snmp", "syslog", "ntp", "interfaces",
             "bindings", "dhcp_snooping", "firewall", "nat_servers")
