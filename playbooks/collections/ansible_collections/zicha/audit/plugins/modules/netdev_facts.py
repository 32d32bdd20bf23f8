#!/usr/bin/python
# -*- coding: utf-8 -*-
# zicha: the facts of one network device (Huawei VRP/USG, H3C Comware, Cisco IOS), in one SSH session.
#
# Runs on the controller (connection: local) with zicha's own Python: netmiko logs in, reads the running
# configuration and the MAC address table, and the collection's zicha_devices turns them into facts here, in this
# process. The configuration text holds passwords, SNMP communities and keys: it never leaves this module;
# only verdicts and keyed fingerprints do. Why netmiko rather than an Ansible terminal/cliconf plugin of our
# own: Ansible 12 has no Huawei or H3C network_cli support; netmiko's huawei, hp_comware and cisco_ios drivers
# handle their prompts and paging; and with network_cli the raw configuration would travel through Ansible's
# results, callbacks and runner artifacts, secrets included.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: netdev_facts
short_description: Collect zicha's compliance facts from a network device over SSH (read-only)
description:
  - Logs in with netmiko, runs only display/show commands, and returns parsed facts (no secrets).
options:
  host: {description: Address of the device., type: str, required: true}
  port: {description: SSH port., type: int, default: 22}
  username: {description: Login name., type: str, required: true}
  password: {description: Login password., type: str, no_log: true}
  key_file: {description: SSH private key., type: path}
  enable_secret: {description: Cisco enable secret, if the login lands in user EXEC., type: str, no_log: true}
  platform: {description: The device's platform (huawei_vrp, huawei_usg, h3c_comware, cisco_ios)., type: str, required: true}
  device_cli: {description: "Each device platform's command line as zicha's platform registry describes it: {platform: {language, netmiko, config_command, mac_command, ntc_platform}}. zicha passes it; the module knows no vendor of its own.", type: dict, required: true}
  known_hosts: {description: The known_hosts file the device's SSH host key must be in (an unknown or changed key ends the connection before any credential is sent)., type: path, required: true}
  timeout: {description: Seconds to wait for the device., type: int, default: 30}
  candidates_json: {description: Candidate weak passwords as a JSON list in one string (kept out of logs)., type: str, no_log: true}
  org_names: {description: The organisation's names., type: list, elements: str, default: []}
  org_years: {description: First and last year tried with the names., type: list, elements: int, default: []}
  share_key: {description: This run's key for password fingerprints (hex)., type: str, no_log: true}
author: zicha
"""

import base64
import datetime
import hashlib
import json
import os
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.zicha.audit.plugins.module_utils import zicha_devices


def commands(platform):
    """(netmiko device_type, configuration command, MAC table command) of a device platform, as the registry
    zicha handed in (device_cli) says."""
    cli = zicha_devices.CLI.get(platform)
    if not cli:
        raise RuntimeError("platform %r is not a device platform zicha described (device_cli)" % platform)
    return cli["netmiko"], cli["config_command"], cli.get("mac_command")


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def mac_fact(platform, source, text):
    """The mac_table fact envelope (zicha_devices.mactable: ntc-templates where it has the layout)."""
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices import mactable

    return mactable.fact(platform, source, text)


def _fp(key):
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")


def connect_failure(exc, p):
    """One line for a failed login, naming a refused host key with the fingerprints involved."""
    import paramiko
    from netmiko.exceptions import NetmikoAuthenticationException

    chain, e = [], exc
    while e is not None and len(chain) < 10:
        chain.append(e)
        e = e.__cause__ or e.__context__
    for e in chain:
        if isinstance(e, paramiko.BadHostKeyException):
            return ("host key CHANGED: the device presented %s %s, %s holds %s for it; no credential was sent"
                    % (e.key.get_name(), _fp(e.key), p["known_hosts"], _fp(e.expected_key)))
        if isinstance(e, paramiko.SSHException) and "known_hosts" in str(e):
            return ("host key unknown: %s holds no key for [%s]:%s; no credential was sent (record it with zicha "
                    "trust)" % (p["known_hosts"], p["host"], p["port"]))
    if any(isinstance(e, (NetmikoAuthenticationException, paramiko.AuthenticationException)) for e in chain):
        return "login failed: the device refused the credentials"
    text = " ".join(str(exc).split())
    return "unreachable: %s: %s" % (type(exc).__name__, text[:300] or "no message")


def collect(p):
    from netmiko import ConnectHandler

    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge, linux_candidates

    zicha_devices.configure(p["device_cli"])
    device_type, config_cmd, mac_cmd = commands(p["platform"])
    params = {"weak_passwords": json.loads(p["candidates_json"]) if p.get("candidates_json") else [],
              "org_names": p["org_names"], "org_years": p["org_years"]}
    key = {"key": bytes.fromhex(p["share_key"])} if p.get("share_key") else {}
    judge = Judge(linux_candidates(params), **key)
    started = time.time()
    conn_args = dict(device_type=device_type, host=p["host"], port=p["port"], username=p["username"],
                     password=p.get("password") or "", secret=p.get("enable_secret") or "",
                     conn_timeout=p["timeout"], auth_timeout=p["timeout"], banner_timeout=p["timeout"],
                     timeout=p["timeout"], allow_agent=False, use_keys=bool(p.get("key_file")),
                     key_file=p.get("key_file"), ssh_config_file=None, fast_cli=False,
                     # paramiko accepts any host key by default: reject unknown ones, and check against the
                     # one known_hosts file zicha names (not the user's own, not a system one)
                     ssh_strict=True, system_host_keys=False, alt_host_keys=True,
                     alt_key_file=os.path.expanduser(p["known_hosts"]))
    if device_type == "hp_comware":
        # netmiko's Comware driver skips checking the command echo; a late prompt then cuts one command's
        # output short and shifts the rest into the next. Checking the echo costs little and is exact.
        conn_args["global_cmd_verify"] = True
    try:
        conn = ConnectHandler(**conn_args)
    except Exception as e:  # netmiko wraps paramiko's errors in its own: look at the whole chain
        raise RuntimeError(connect_failure(e, p))
    try:
        if device_type == "cisco_ios" and not conn.check_enable_mode():
            conn.enable()
        config = conn.send_command(config_cmd, read_timeout=180)
        macs_text = conn.send_command(mac_cmd, read_timeout=60) if mac_cmd else None
    finally:
        conn.disconnect()
    facts = zicha_devices.facts(config, p["platform"], config_cmd, judge)
    if macs_text is not None:
        facts["mac_table"] = mac_fact(p["platform"], mac_cmd, macs_text)
    config = None  # the text with its secrets goes no further
    return {
        "schema": "zicha.raw/v1",
        "platform": p["platform"],
        "collected_at": _now(),
        "collector": {"name": "zicha.audit.netdev_facts", "version": "1.0", "seconds": round(time.time() - started, 2),
                      "transport": "ssh (netmiko %s)" % device_type},
        "facts": facts,
    }


ARGUMENT_SPEC = dict(
    host=dict(type="str", required=True),
    port=dict(type="int", default=22),
    username=dict(type="str", required=True),
    password=dict(type="str", no_log=True),
    key_file=dict(type="path"),
    enable_secret=dict(type="str", no_log=True),
    platform=dict(type="str", required=True),
    device_cli=dict(type="dict", required=True),
    known_hosts=dict(type="path", required=True),
    timeout=dict(type="int", default=30),
    candidates_json=dict(type="str", no_log=True),
    org_names=dict(type="list", elements="str", default=[]),
    org_years=dict(type="list", elements="int", default=[]),
    share_key=dict(type="str", no_log=True),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = dict(module.params)
    # The secrets were read; drop them from what Ansible echoes back (invocation) and stop Ansible from
    # masking their values in our result: an ordinary word (a weak password such as "admin") would be
    # masked wherever it appears, account names included. The result never holds a secret (tested).
    for k in ("password", "enable_secret", "share_key", "candidates_json"):
        module.params.pop(k, None)
    module.no_log_values.clear()
    try:
        doc = collect(params)
    except RuntimeError as e:
        module.fail_json(msg=str(e))
    except Exception as e:  # netmiko's many ways to fail: say which, never pass
        module.fail_json(msg="%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
    module.exit_json(changed=False, zicha=doc)


if __name__ == "__main__":
    main()
