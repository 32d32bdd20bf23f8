"""Network devices: their configuration text turned into facts, without keeping a secret.

`facts(text, platform, source, judge)` is the one entry: the Ansible module (live devices) and snapshot
audits (configuration backups, no connection) both call it. The vendor is detected from the text when not
given. What comes back holds verdicts and fingerprints, never a password, community or key.
"""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import cisco, clean, h3c, huawei, tree
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge

#: each device platform's command line as the platform registry (checker/platforms) describes it, in its order:
#: {platform: {"language": huawei|comware|ios, "netmiko": ..., "config_command": ..., "mac_command": ...,
#: "ntc_platform": ...}}. Nothing here knows the registry: the controller (checker.devices) and the Ansible module
#: (from its arguments) hand it in with configure().
CLI: dict[str, dict[str, Any]] = {}


def configure(cli: dict[str, dict[str, Any]]) -> None:
    CLI.clear()
    CLI.update(cli)


def platforms() -> tuple[str, ...]:
    if not CLI:
        raise RuntimeError("zicha_devices: no device platform configured (configure() with the registry's CLI)")
    return tuple(CLI)


def language(platform: str) -> str | None:
    """The configuration language a platform prints (VRP and USG print one: a USG is VRP underneath)."""
    return (CLI.get(platform) or {}).get("language") if platform in platforms() else None


class UnknownVendor(ValueError):
    pass


#: Lines only a USG (or its Eudemon/USG6000 relatives) prints: a security policy, firewall administrators,
#: the web manager, per-interface service-manage. `firewall zone` and `nat server` are not enough alone:
#: VRP routers (AR) print them too, and so does the USG's own VRP base.
_USG_STRONG = r"^(security-policy\s*$|manager-user |web-manager |service-manage )"
_USG_WEAK = (r"^firewall zone ", r"^nat server ", r"^!Software Version V[56]00")


def detect(text: str | list[str]) -> str:
    """The platform a configuration was printed by, from its own language."""
    lines = clean.clean(text) if isinstance(text, str) else text
    scores = {p: 0 for p in platforms()}
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
    compiled = [(p, re.compile(pat), w) for p, pat, w in rules]
    strong, weak = re.compile(_USG_STRONG), [re.compile(p) for p in _USG_WEAK]
    usg_strong = 0
    usg_weak: dict[int, int] = {}
    for line in lines[:3000]:
        s = line.rstrip()
        ls = s.lstrip()
        for platform, pattern, weight in compiled:
            if platform in scores and pattern.match(ls if platform != "cisco_ios" else s):
                scores[platform] += weight
        if strong.match(ls):
            usg_strong += 1
        for i, pattern in enumerate(weak):
            if pattern.match(ls):
                usg_weak[i] = usg_weak.get(i, 0) + 1
    # a USG needs a marker only it prints, or every one of the shared ones
    if usg_strong or len(usg_weak) == len(_USG_WEAK):
        scores["huawei_usg"] = scores["huawei_vrp"] + 3 * (usg_strong + sum(usg_weak.values()))
    best = max(scores, key=lambda p: scores[p])
    if scores[best] < 3:
        raise UnknownVendor("the configuration is not in a language zicha reads (Huawei VRP/USG, H3C Comware, "
                            "Cisco IOS)")
    return best


_MODULES = {"huawei": huawei, "comware": h3c, "ios": cisco}
_VTY = r"^(?:user-interface|line)\s+vty\s"


def tree_of(text: str | list[str], platform: str) -> tree.Config:
    """The configuration's tree, read in its platform's language, after the terminal's noise is taken away."""
    if language(platform) is None:
        raise UnknownVendor(f"platform {platform!r} is not a network device zicha reads")
    return tree.parse(clean.clean(text) if isinstance(text, str) else text, language(platform))


def parse(text: str | list[str], platform: str, judge: Judge) -> tuple[dict[str, Any], dict[str, str], tree.Config]:
    """The facts of a configuration, the problems that make some of them unreadable, and its tree."""
    cfg = tree_of(text, platform)
    lang = language(platform)
    if lang == "huawei":
        facts, problems = huawei.parse(cfg, judge, "huawei_usg" if platform == "huawei_usg" else "huawei")
    elif lang == "comware":
        facts, problems = h3c.parse(cfg, judge)
    else:
        facts, problems = cisco.parse(cfg, judge)
    return facts, {**_unread(cfg, facts, _MODULES[lang].MARKERS), **problems}, cfg


def _unread(cfg: tree.Config, facts: dict[str, Any], markers: tuple) -> dict[str, str]:
    """Zero read is not zero present: a fact that holds nothing while the configuration has lines of its kind,
    or accounts and communities the configuration shows and the parser did not read."""
    problems: dict[str, str] = {}
    nodes = list(cfg.walk())
    for key, pattern, held in markers:
        if key in problems or held(facts[key]):
            continue
        rx = re.compile(pattern)
        lines = [n.line for n in nodes if rx.match(n.text)]
        if lines:
            problems[key] = (f"the configuration has {len(lines)} line(s) of this kind (first at line {lines[0]}) "
                             "but zicha read nothing from them")
    if not facts["users"]:
        problems["users"] = ("no login account was read from the configuration: none is shown (authentication "
                             "elsewhere, RADIUS/HWTACACS/TACACS+), or they are in a form zicha does not read; the "
                             "account rules cannot be judged")
    snmp = facts["snmp"]
    if snmp["enabled"] and set(snmp["versions"]) & {"v1", "v2c"} and not snmp["communities"]:
        problems["snmp"] = ("SNMP v1/v2c is on but no community was read: they are not shown, or in a form zicha "
                            "does not read")
    hostnames = [n.line for n in cfg.roots if n.text.split()[:1] in (["sysname"], ["hostname"])]
    if len(hostnames) > 1:
        for key in facts:
            problems.setdefault(key, f"the file holds more than one configuration (device names at lines "
                                     f"{', '.join(map(str, hostnames[:4]))}): it is not one device's")
    return problems


def facts(text: str, platform: str, source: str, judge: Judge) -> dict[str, dict[str, Any]]:
    """Fact envelopes ({source, value} or {source, error}) from one configuration.

    The text must read as a configuration of `platform`: an error reply (`% Invalid input detected`,
    `Error: Unrecognized command`), a login banner or another vendor's configuration parses as "no users, no
    communities, telnet off", so each of them makes every fact an error instead. A configuration cut short
    (it does not end with `return` / `end`, or a banner swallows the rest) makes every fact but the device's
    name and version an error: what it would have said after the cut is unknown. A fact the configuration
    shows but the parser could not read is an error too."""
    def every(error: str) -> dict[str, dict[str, Any]]:
        return {k: {"source": source, "error": error} for k in FACT_KEYS}

    lines = clean.clean(text)
    if not any(line.strip() for line in lines):
        return every("the configuration is empty")
    try:
        found = detect(lines)
    except UnknownVendor:
        return every(f"the text is not a {platform} configuration (an error reply, or not a configuration)")
    if language(found) != (language(platform) or platform):
        return every(f"the text reads as a {found} configuration, not {platform}")
    try:
        parsed, problems, cfg = parse(lines, platform, judge)
    except Exception as e:  # a parser bug or a configuration we misread: every fact says so
        # the exception's own text may quote the configuration (a secret with it): only its type leaves
        return every(f"could not parse the configuration ({type(e).__name__}): a form the {platform} parser "
                     "does not read")
    # every configuration a device prints names the device, has interfaces (NULL0 at least) and its remote
    # login lines (`user-interface vty 0 4`, `line vty 0 4|63`): text without them is not a whole configuration,
    # and its silence about Telnet or accounts proves nothing
    if cfg.complete and not (parsed["device"].get("hostname") and parsed["interfaces"] and cfg.has(_VTY)):
        cfg.complete = False
        cfg.problem = ("the text names no device (sysname/hostname), or shows no interface or no vty lines: it is "
                       "not a whole configuration as the firmware prints one")
    out: dict[str, dict[str, Any]] = {}
    for k, v in parsed.items():
        if not cfg.complete and k != "device":
            out[k] = {"source": source, "error": f"incomplete configuration: {cfg.problem}"}
        elif k in problems:
            out[k] = {"source": source, "error": problems[k]}
        else:
            out[k] = {"source": source, "value": v}
    return out


FACT_KEYS = ("device", "users", "password_policy", "management", "snmp", "syslog", "ntp", "interfaces",
             "bindings", "dhcp_snooping", "firewall", "nat_servers")
