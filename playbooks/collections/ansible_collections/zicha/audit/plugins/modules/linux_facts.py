#!/usr/bin/python
# -*- coding: utf-8 -*-
# zicha: collect every fact zicha's rules need from one Linux host, in one module run, read-only.
# Runs on the target's own Python (3.6 and newer: no dataclasses, no walrus), so it also covers
# older UOS, Kylin and openEuler releases. Secrets stay on the host: password hashes are read and
# verified here, and only verdicts (account name, weak or not, why) are returned.
# What each fact reads is in plugins/module_utils/zicha_*.py, one module per concern.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: linux_facts
short_description: Collect zicha's compliance facts from a Linux host (read-only)
description:
  - Reads routes, interfaces, probes of the internet, local accounts (weak-password verdicts only),
    listening sockets, the live host firewall, the password policy, USB storage, antivirus, pending
    security updates, log retention and forwarding, auditd, time synchronisation, screen lock, how
    addresses are configured, the SNMP daemon, backup tool records and restore-test records.
    Never changes the host.
  - Every fact comes back as C({source, value}) or C({source, error}); a fact that cannot be read is
    an error, never an empty value.
version_added: "1.0.0"
options:
  internet_probes:
    description: Addresses standing for the internet, as C(host:port) (port defaults to 80).
    type: list
    elements: str
    default: []
  probe_timeout:
    description: Seconds to wait for each probe.
    type: float
    default: 3
  backup_repos:
    description: Backup repositories to read, each a dict with C(tool) (restic), C(repo) and C(password_file).
    type: list
    elements: dict
    default: []
  restore_log:
    description: JSON-lines file where restore tests are recorded.
    type: str
    default: /var/log/zicha/restore-tests.jsonl
  org_names:
    description: The organisation's names and abbreviations, tried with years and separators.
    type: list
    elements: str
    default: []
  org_years:
    description: First and last year tried with the organisation's names.
    type: list
    elements: int
    default: []
  share_key:
    description: This run's key (hex) for fingerprints of password hashes, to spot one hash on two hosts.
    type: str
  candidates_json:
    description: Candidate weak passwords, tried against each account's hash and each SNMP community on the
      host, as a JSON list in one string (no_log, kept out of Ansible's logs and artifacts).
    type: str
notes:
  - Needs root (C(become)) to read /etc/shadow and other users' sockets.
author: zicha
"""

EXAMPLES = r"""
- name: Collect zicha facts
  zicha.audit.linux_facts:
    internet_probes: ["203.0.113.10:80"]
    candidates_json: "{{ lookup('ansible.builtin.file', candidates_file) }}"
    share_key: "{{ lookup('ansible.builtin.file', share_key_file) }}"
"""

RETURN = r"""
zicha:
  description: The raw facts document (schema zicha.raw/v1, before normalisation).
  returned: always
  type: dict
"""

import json
import os
import time

from ansible_collections.zicha.audit.plugins.module_utils.zicha_accounts import (
    fact_accounts, fact_password_policy)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_backups import fact_backups, fact_restore_tests
from ansible_collections.zicha.audit.plugins.module_utils.zicha_desktop import fact_session_lock
from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError, HostRun, now_utc
from ansible_collections.zicha.audit.plugins.module_utils.zicha_firewall import fact_host_firewall
from ansible_collections.zicha.audit.plugins.module_utils.zicha_logs import (
    fact_auditd, fact_log_forwarding, fact_log_retention, fact_logging, fact_time_sync)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_network import (
    fact_interfaces, fact_listening, fact_network_config, fact_probes, fact_route_lookups, fact_routes)
from ansible_collections.zicha.audit.plugins.module_utils.zicha_packages import fact_antivirus, fact_updates
from ansible_collections.zicha.audit.plugins.module_utils.zicha_snmp import fact_snmpd
from ansible_collections.zicha.audit.plugins.module_utils.zicha_system import fact_os, fact_usb_storage

try:
    from ansible.module_utils.basic import AnsibleModule
except ImportError:  # run by `zicha collect` on a host without Ansible
    AnsibleModule = None

COLLECTOR_NAME = "zicha_linux_facts"
COLLECTOR_VERSION = "1.0"

FACTS = [
    # key, source shown as evidence, collector
    ("os", "/etc/os-release", fact_os),
    ("routes", "ip -j route show table all", fact_routes),
    ("interfaces", "ip -j addr show; /sys/class/net/*/wireless", fact_interfaces),
    ("route_lookups", "ip route get <each internet probe>", fact_route_lookups),
    ("probes", "TCP connect to each internet probe", fact_probes),
    ("accounts", "/etc/passwd, /etc/shadow (verified on the host with crypt_r; hashes not returned)", fact_accounts),
    ("backups", "restic snapshots --json", fact_backups),
    ("restore_tests", "restore-test record file", fact_restore_tests),
    ("listening", "/proc/net/tcp, tcp6, udp, udp6 and /proc/*/fd", fact_listening),
    ("host_firewall", "nft -j list ruleset; iptables -S; ip6tables -S; /etc/ufw; /etc/firewalld", fact_host_firewall),
    ("password_policy", "/etc/security/pwquality.conf, /etc/pam.d/*, /etc/login.defs, faillock.conf", fact_password_policy),
    ("usb_storage", "/etc/modprobe.d/*.conf, /proc/modules, modules.builtin or kernel config", fact_usb_storage),
    ("antivirus", "running processes, install paths, ClamAV daily.cvd/cld header", fact_antivirus),
    ("updates", "apt-get -s dist-upgrade / dnf updateinfo list --security (cache only)", fact_updates),
    ("logging", "/etc/logrotate.conf and logrotate.d, rsyslog, journald.conf", fact_logging),
    ("log_retention", "logrotate of the system logs, else rsyslog's files, else journald.conf", fact_log_retention),
    ("log_forwarding", "rsyslog forwarding actions (/etc/rsyslog.conf, rsyslog.d), processes", fact_log_forwarding),
    ("auditd", "/etc/audit/auditd.conf, /etc/audit/rules.d, processes", fact_auditd),
    ("time_sync", "chrony/ntp/timesyncd configuration, chronyc tracking", fact_time_sync),
    ("session_lock", "TMOUT in /etc/profile*, /etc/dconf/db/*.d", fact_session_lock),
    ("network_config", "/etc/network/interfaces, NetworkManager, ifcfg-*, netplan, networkd", fact_network_config),
    ("snmpd", "/etc/snmp/snmpd.conf (communities judged on the host)", fact_snmpd),
]


def collect(params, host=None):
    """Collect every fact; each either {source, value} or {source, error}. Never raises for one fact.
    `host` is the run (a HostRun); by default a new one on this machine, so nothing outlives the run."""
    host = host if host is not None else HostRun(params)
    started = time.time()
    facts, timings = {}, {}
    for key, source, fn in FACTS:
        t0 = time.time()
        try:
            facts[key] = {"source": source, "value": fn(host)}
        except FactError as e:
            facts[key] = {"source": source, "error": str(e)}
        except Exception as e:  # a bug or an odd host: say so, never pass silently
            facts[key] = {"source": source, "error": "%s: %s" % (type(e).__name__, e)}
        timings[key] = round(time.time() - t0, 2)
    return {
        "schema": "zicha.raw/v1",
        "platform": "linux",
        "collected_at": now_utc(),
        "collector": {"name": COLLECTOR_NAME, "version": COLLECTOR_VERSION,
                      "seconds": round(time.time() - started, 2), "euid": os.geteuid(), "timings": timings},
        "facts": facts,
    }


ARGUMENT_SPEC = dict(
    internet_probes=dict(type="list", elements="str", default=[]),
    probe_timeout=dict(type="float", default=3),
    backup_repos=dict(type="list", elements="dict", default=[]),
    restore_log=dict(type="str", default="/var/log/zicha/restore-tests.jsonl"),
    # The candidate weak passwords as one JSON text: a no_log string keeps them out of Ansible's logs and
    # artifacts without masking ordinary words (root, admin) elsewhere in the result.
    candidates_json=dict(type="str", no_log=True),
    org_names=dict(type="list", elements="str", default=[]),
    org_years=dict(type="list", elements="int", default=[]),
    share_key=dict(type="str", no_log=True),
)


def module_params(given):
    """The module's parameters as collect() takes them: the candidates parsed out of their JSON text."""
    params = dict(given)
    params["weak_passwords"] = json.loads(params.pop("candidates_json", None) or "[]")
    return params


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(changed=False, zicha=collect(module_params(module.params)))


if __name__ == "__main__":
    main()
