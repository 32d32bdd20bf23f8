"""Synthetic estates for the benchmarks: the OPA input of N hosts, made from REAL facts.

The templates are real: this machine's own facts as zicha's Linux collector reads them (zicha.audit.linux_facts,
run in-process), and device facts parsed from the device corpus (tests/fixtures/devices/configs, real syntax).
Each generated host is a template with its name, addresses, MACs and password fingerprints changed (seeded):

- 90 % Linux servers and terminals, about 10 % of them classified (zone `classified`), the rest in office and
  private zones; a few accounts share a password fingerprint with another host's (NO-SHARED-PASSWORD fails there);
- one access switch per 40 computers, its MAC table holding the MACs of its computers (their VLAN by zone) and a
  few unknown ones; some switches sit in another zone than a classified host they carry (CLASSIFIED-OFFLINE fails);
- two firewalls.

Not a test. Used by bench/rego_scaling.py; `python bench/estate.py N OUT.json` writes one input.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = "2026-11-29T00:00:00Z"
PER_SWITCH = 40


def _templates() -> tuple[dict, dict, dict]:
    import checker.devices as devices
    from ansible_collections.zicha.audit.plugins.modules import linux_facts
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
    from checker import normalize
    from checker.models import GatherOutcome, Host

    raw = linux_facts.collect({"internet_probes": []})
    linux = normalize.document(Host("tmpl", "linux", "terminal", "office"),
                               GatherOutcome("tmpl", "ok", raw=raw)).document["facts"]
    judge = Judge(lambda u: [], key=b"k" * 32)
    cfgs = ROOT / "tests" / "fixtures" / "devices" / "configs"
    switch = devices.facts((cfgs / "hw-s5735-floor5.cfg").read_text(encoding="utf-8"), "huawei_vrp", "cfg", judge)
    firewall = devices.facts((cfgs / "usg6550-v500r005-dc.cfg").read_text(encoding="utf-8"), "huawei_usg", "cfg",
                             judge)
    return linux, switch, firewall


def _mac(rng: random.Random) -> str:
    return ":".join(f"{rng.randrange(256):02x}" for _ in range(6))


def _fp(rng: random.Random) -> str:
    return "hmac-sha256:" + hashlib.sha256(str(rng.random()).encode()).hexdigest()


def estate(n: int, seed: int = 1, templates: tuple[dict, dict, dict] | None = None) -> dict:
    """The OPA input ({now, hosts}) of n hosts."""
    rng = random.Random(seed)
    linux, switch, firewall = templates or _templates()
    hosts: dict[str, dict] = {}
    n_fw = 2
    n_sw = max(1, (n - n_fw) // (PER_SWITCH + 1))
    n_pc = n - n_fw - n_sw
    shared_pool = [_fp(rng) for _ in range(max(1, n_pc // 50))]
    computers = []
    for i in range(n_pc):
        classified = rng.random() < 0.10
        zone = "classified" if classified else rng.choice(["office", "office", "private"])
        facts = copy.deepcopy(linux)
        mac = _mac(rng)
        for iface in facts.get("interfaces", {}).get("value") or []:
            if iface.get("name") != "lo":
                iface["mac"] = mac
        for a in facts.get("accounts", {}).get("value") or []:
            if a.get("password") == "set":
                a["share_key"] = rng.choice(shared_pool) if rng.random() < 0.02 else _fp(rng)
        name = f"pc{i:05d}"
        hosts[name] = {"platform": "linux", "role": rng.choice(["terminal", "terminal", "server"]), "zone": zone,
                       "classified": classified, "vars": {}, "gather": {"status": "ok", "method": "bench"},
                       "collected_at": NOW, "facts": facts}
        computers.append((name, mac, zone))
    for s in range(n_sw):
        facts = copy.deepcopy(switch)
        members = computers[s * PER_SWITCH:(s + 1) * PER_SWITCH]
        zones = [z for _, _, z in members] or ["office"]
        zone = max(set(zones), key=zones.count) if rng.random() > 0.05 else "office"
        table = [{"mac": m, "vlan": {"office": 10, "private": 20, "classified": 30}[z], "interface": f"GE0/0/{k + 1}",
                  "type": "dynamic"} for k, (_, m, z) in enumerate(members)]
        table += [{"mac": _mac(rng), "vlan": 10, "interface": "GE0/0/48", "type": "dynamic"} for _ in range(3)]
        facts["mac_table"] = {"source": "display mac-address", "value": table}
        hosts[f"sw{s:04d}"] = {"platform": "huawei_vrp", "role": "switch", "zone": zone, "classified": False,
                               "vars": {}, "gather": {"status": "ok", "method": "bench"}, "collected_at": NOW,
                               "facts": facts}
    for f in range(n_fw):
        hosts[f"fw{f}"] = {"platform": "huawei_usg", "role": "firewall", "zone": "dmz", "classified": False,
                           "vars": {}, "gather": {"status": "ok", "method": "bench"}, "collected_at": NOW,
                           "facts": copy.deepcopy(firewall)}
    return {"now": NOW, "hosts": hosts}


if __name__ == "__main__":
    size, out = int(sys.argv[1]), Path(sys.argv[2])
    out.write_text(json.dumps(estate(size)), encoding="utf-8")
    print(f"{out}: {size} hosts")
