# -*- coding: utf-8 -*-
# zicha: the host's SNMP daemon (Net-SNMP) and its communities, judged on the host: default or weak, never the
# community itself. Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.zicha.audit.plugins.module_utils.zicha_candidates import is_default_community

SNMPD_CONF = "/etc/snmp/snmpd.conf"


def communities(lines, source, weak):
    """The communities of snmpd.conf lines: access, where, and whether each is a default or a weak password."""
    out = []
    for s in lines:
        f = s.split()
        community, access = None, None
        if f[0] in ("rocommunity", "rocommunity6", "rwcommunity", "rwcommunity6") and len(f) > 1:
            community, access = f[1], "write" if f[0].startswith("rw") else "read"
        elif f[0] in ("com2sec", "com2sec6") and len(f) > 3:
            community, access = f[-1], "read"
        if community is not None:
            out.append({"access": access, "source": source,
                        "default": is_default_community(community) or community in weak})
    return out


def fact_snmpd(host):
    """Net-SNMP's communities, judged here: default or weak, never the community itself."""
    names = host.processes()
    out = {"present": host.exists(SNMPD_CONF) or bool(host.which("snmpd")), "running": "snmpd" in names,
           "communities": []}
    if not host.exists(SNMPD_CONF):
        return out
    weak = set(host.params.get("weak_passwords") or [])
    for path in [SNMPD_CONF] + host.glob(["/etc/snmp/snmpd.conf.d/*.conf"]):
        out["communities"].extend(communities(host.conf_lines(path), path, weak))
    return out
