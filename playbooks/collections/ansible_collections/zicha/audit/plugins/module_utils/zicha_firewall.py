# -*- coding: utf-8 -*-
# zicha: the host firewall, read from the live rulesets (nftables, iptables, ip6tables); ufw's and firewalld's
# configuration as context. Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shlex

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError

UFW_CONF, UFW_DEFAULT = "/etc/ufw/ufw.conf", "/etc/default/ufw"
FIREWALLD_CONF, FIREWALLD_ZONES = "/etc/firewalld/firewalld.conf", ("/etc/firewalld/zones", "/usr/lib/firewalld/zones")

# Statements that match nothing: a rule made only of these and a verdict applies to every packet.
_NFT_NEUTRAL = ("counter", "log")


def _nft_verdict(exprs):
    """The verdict of an nftables rule that matches every packet (accept, drop, reject), else None."""
    if not exprs or not isinstance(exprs[-1], dict) or len(exprs[-1]) != 1:
        return None
    verdict = list(exprs[-1])[0]
    if verdict not in ("accept", "drop", "reject"):
        return None
    for e in exprs[:-1]:
        if not isinstance(e, dict) or any(k not in _NFT_NEUTRAL for k in e):
            return None
    return verdict


def _nft_shape(doc):
    """libnftables' JSON as its schema (libnftables-json(5)) has it, or FactError: an object whose "nftables" is a
    list of objects; a rule's family, table and chain are names and its expr a list of objects; a chain's names,
    hook and policy are strings. Anything else is not a ruleset this collector can read."""
    def names(o, keys):
        return all(isinstance(o.get(k), str) for k in keys if k in o)

    if not isinstance(doc, dict) or not isinstance(doc.get("nftables", []), list):
        raise FactError("nft -j list ruleset: not a libnftables JSON document")
    for i, item in enumerate(doc.get("nftables", [])):
        ok = isinstance(item, dict)
        if ok and "rule" in item:
            r = item["rule"]
            ok = (isinstance(r, dict) and names(r, ("family", "table", "chain"))
                  and isinstance(r.get("expr", []), list) and all(isinstance(e, dict) for e in r.get("expr", [])))
        if ok and "chain" in item:
            c = item["chain"]
            ok = isinstance(c, dict) and names(c, ("family", "table", "name", "hook", "policy", "type"))
        if not ok:
            raise FactError("nft -j list ruleset: item %d is not a libnftables object" % i)


def nft_ruleset(doc):
    """`nft -j list ruleset` (parsed JSON): the base chains with their policy and first catch-all rule, and
    the port mappings (dnat)."""
    _nft_shape(doc)
    chains, rules, catch_all, dnat = [], {}, {}, []
    for item in doc.get("nftables", []):
        if "rule" in item:
            r = item["rule"]
            key = (r.get("family"), r.get("table"), r.get("chain"))
            rules[key] = rules.get(key, 0) + 1
            if key not in catch_all:
                v = _nft_verdict(r.get("expr") or [])
                if v:
                    catch_all[key] = v  # the first rule that takes every packet decides what is left
            for e in r.get("expr", []):
                if "dnat" in e:  # a port mapping: where it leads
                    d = e["dnat"] if isinstance(e["dnat"], dict) else {}
                    addr = d.get("addr")
                    dnat.append({"chain": r.get("chain"), "inside_address": addr if isinstance(addr, str) else None,
                                 "inside_port": d.get("port") if isinstance(d.get("port"), int) else None})
    for item in doc.get("nftables", []):
        c = item.get("chain")
        if c and c.get("hook"):
            key = (c.get("family"), c.get("table"), c.get("name"))
            chains.append({"family": c.get("family"), "table": c.get("table"), "name": c.get("name"),
                           "hook": c.get("hook"), "policy": c.get("policy", "accept"),
                           "rules": rules.get(key, 0), "catch_all": catch_all.get(key)})
    return {"base_chains": chains, "dnat": dnat}


def _nft(host):
    if not host.which("nft"):
        return None
    rc, out, err = host.run(["nft", "-j", "list", "ruleset"])
    if rc != 0:
        raise FactError("nft -j list ruleset: rc %d: %s" % (rc, err.strip()))
    try:
        doc = json.loads(out or '{"nftables": []}')
    except ValueError:
        raise FactError("nft -j list ruleset: unparsable output")
    return nft_ruleset(doc)


def _iptables_catch_all(argv):
    """The target of an iptables rule (`-S` form, after `-A CHAIN`) that matches every packet, else None."""
    rest = list(argv)
    if "-m" in rest and rest[rest.index("-m") + 1:rest.index("-m") + 2] == ["comment"]:
        i = rest.index("-m")
        rest = rest[:i] + rest[i + 4:]  # -m comment --comment TEXT
    if len(rest) < 2 or rest[0] != "-j":
        return None
    target = rest[1].lower()
    if target == "reject" and (len(rest) == 2 or (len(rest) == 4 and rest[2] == "--reject-with")):
        return "reject"
    if target in ("accept", "drop") and len(rest) == 2:
        return target
    return None


def iptables_rules(text):
    """`iptables -S` output: the filter table's INPUT and FORWARD policies, rule counts and catch-alls."""
    rec = {"input_policy": None, "forward_policy": None, "rules": 0, "forward_rules": 0,
           "input_catch_all": None, "forward_catch_all": None}
    for line in text.splitlines():
        try:
            f = shlex.split(line)
        except ValueError:
            f = line.split()
        if len(f) < 3:
            continue
        if f[0] == "-P" and f[1] in ("INPUT", "FORWARD"):
            rec[f[1].lower() + "_policy"] = f[2].lower()
        elif f[0] == "-A" and f[1] in ("INPUT", "FORWARD"):
            chain = f[1].lower()
            rec["rules" if chain == "input" else "forward_rules"] += 1
            if rec[chain + "_catch_all"] is None:
                rec[chain + "_catch_all"] = _iptables_catch_all(f[2:])
    return rec


def _iptables(host):
    """iptables and ip6tables (legacy or nft backend): the filter table's INPUT and FORWARD chains."""
    out = {}
    for tool in ("iptables", "ip6tables"):
        if not host.which(tool):
            continue
        rc, text, err = host.run([tool, "-S"])
        if rc != 0:
            if "table does not exist" in err.lower():
                continue  # legacy iptables without its kernel table: no rules of this family
            raise FactError("%s -S: rc %d: %s" % (tool, rc, (err.strip().splitlines() or ["no message"])[-1]))
        out[tool] = iptables_rules(text)
    return out or None


def _ufw(host):
    """ufw's configuration (what it loads when it starts; the live rules are read from iptables)."""
    if not host.exists(UFW_CONF):
        return None
    conf = host.kv_file(UFW_CONF)
    default = host.kv_file(UFW_DEFAULT) if host.exists(UFW_DEFAULT) else {}
    return {"enabled": str(conf.get("ENABLED", "no")).lower() == "yes",
            "input_policy": str(default.get("DEFAULT_INPUT_POLICY", "")).lower() or None}


def _firewalld(host):
    if not host.exists(FIREWALLD_CONF):
        return None
    names = host.processes()
    zone = host.kv_file(FIREWALLD_CONF).get("DefaultZone", "public")
    target = None
    for d in FIREWALLD_ZONES:
        p = os.path.join(d, "%s.xml" % zone)
        if host.exists(p):
            m = re.search(r'<zone[^>]*\btarget="([^"]+)"', host.read(p))
            target = m.group(1).lower() if m else "default"
            break
    return {"running": "firewalld" in names, "default_zone": zone, "target": target}


def _chain_default(policy, catch_all):
    """What a base chain does with a packet no rule picked out: its first catch-all rule, else its policy."""
    v = (catch_all or policy or "accept").lower()
    return "drop" if v in ("drop", "reject") else "accept"


_FAMILIES = {"ipv4": ("ip", "inet"), "ipv6": ("ip6", "inet")}
_IPTABLES = {"ipv4": "iptables", "ipv6": "ip6tables"}


def fact_host_firewall(host):
    """What the live ruleset (nftables, iptables, ip6tables) does with incoming and forwarded packets that
    no rule accepts, per address family. A packet passes every base chain on its hook, so one chain of the
    family that drops by default is enough. IPv4 decides `input_default` and `forward_default`; `families`
    shows IPv6 too. ufw's and firewalld's configuration files are evidence, not the verdict: what they
    load is in the live ruleset. A ruleset that cannot be listed is a FactError, never a silent gap."""
    res = {"nftables": _nft(host), "iptables": _iptables(host), "ufw": _ufw(host), "firewalld": _firewalld(host)}
    nft, ipt, fwd = res["nftables"], res["iptables"] or {}, res["firewalld"]
    families = {}
    for fam in ("ipv4", "ipv6"):
        verdicts = {}
        for hook in ("input", "forward"):
            seen = []
            for c in (nft or {}).get("base_chains", []):
                if c["hook"] == hook and c["family"] in _FAMILIES[fam]:
                    seen.append(_chain_default(c["policy"], c.get("catch_all")))
            t = ipt.get(_IPTABLES[fam])
            if t and t[hook + "_policy"]:
                seen.append(_chain_default(t[hook + "_policy"], t[hook + "_catch_all"]))
            verdicts[hook] = "drop" if "drop" in seen else ("accept" if seen else "none")
        # firewalld ends its chains with a catch-all reject, but when its default zone's target is ACCEPT,
        # that zone's chain (reached by a jump this reading does not follow) accepts first
        if fwd and fwd["running"] and fwd["target"] == "accept" and verdicts["input"] == "drop":
            verdicts["input"] = "accept"
        families[fam] = verdicts
    res["families"] = families
    res["input_default"] = families["ipv4"]["input"]
    res["forward_default"] = families["ipv4"]["forward"]
    return res
