"""A synthetic estate ON DISK, for `zicha audit` end to end: what a unit would hand zicha, made from REAL parts.

    .venv/bin/python bench/estate_files.py N DIR

writes
    DIR/snapshot/configs/swNNNN.cfg, fwN.cfg   device configuration backups (the corpus's hw-s5735-floor5.cfg and
                                               usg6550-v500r005-dc.cfg, renamed: real syntax)
    DIR/snapshot/mac-tables/swNNNN.txt         `display mac-address` as the switch prints it, holding the MACs of
                                               its 40 computers (their VLAN by zone) and a few unknown ones
    DIR/snapshot/inventory.yml                 the devices' roles and zones
    DIR/import/pcNNNNN.json                    one collected file per computer: this machine's own facts as
                                               zicha's Linux collector reads them (`zicha collect`, in-process),
                                               the host renamed, its interfaces given their own MAC, signed
    DIR/keys/bench-collector.pub               the collector key that signed them (trust it with --collector-key)

The shape follows bench/estate.py (the facts-level estate of the Rego benchmarks): 2 firewalls, one access switch
per 40 computers, about 10 % of the computers classified. Not a test.
"""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.estate import PER_SWITCH, _mac  # noqa: E402

CONFIGS = ROOT / "tests" / "fixtures" / "devices" / "configs"
VLAN = {"office": 10, "private": 20, "classified": 30}


def _mac_table(sysname: str, rows: list[tuple[str, int, str]]) -> str:
    lines = [f"<{sysname}>display mac-address",
             "MAC address table of slot 0:",
             "-" * 79,
             "MAC Address    VLAN/       PEVLAN CEVLAN Port            Type      LSP/LSR-ID",
             "               VSI/SI                                              MAC-Tunnel",
             "-" * 79]
    for mac, vlan, port in rows:
        dotted = mac.replace(":", "")
        dotted = f"{dotted[0:4]}-{dotted[4:8]}-{dotted[8:12]}"
        lines.append(f"{dotted} {vlan:<11} -      -      {port:<15} dynamic   0/-")
    lines += ["-" * 79, f"Total matching items on slot 0 displayed = {len(rows)}", ""]
    return "\n".join(lines)


def write(n: int, out: Path, seed: int = 1) -> dict:
    from checker import config, offline, signing

    rng = random.Random(seed)
    snap, imp, keys = out / "snapshot", out / "import", out / "keys"
    for d in (snap / "configs", snap / "mac-tables", imp, keys):
        d.mkdir(parents=True, exist_ok=True)
    priv, pub = signing.keygen(keys, "ed25519", "bench-collector")
    template = offline.collect(config.load_params(), host="tmpl", internet_probes=[])
    switch_cfg = (CONFIGS / "hw-s5735-floor5.cfg").read_text(encoding="utf-8")
    fw_cfg = (CONFIGS / "usg6550-v500r005-dc.cfg").read_text(encoding="utf-8")

    n_fw = 2
    n_sw = max(1, (n - n_fw) // (PER_SWITCH + 1))
    n_pc = n - n_fw - n_sw
    signer = signing.load_signer(priv)
    computers = []
    for i in range(n_pc):
        classified = rng.random() < 0.10
        zone = "classified" if classified else rng.choice(["office", "office", "private"])
        name, mac = f"pc{i:05d}", _mac(rng)
        doc = copy.deepcopy(template)
        doc["host"] = name
        doc["attributes"] = {"zicha_role": rng.choice(["terminal", "terminal", "server"]), "zicha_zone": zone,
                             "zicha_classified": classified}
        for iface in doc["raw"]["facts"]["interfaces"].get("value") or []:
            if iface.get("name") != "lo":
                iface["mac"] = mac
        doc["sha256"] = offline.digest(doc["raw"])
        offline.write(offline.sign(doc, signer), imp / f"{name}.json")
        computers.append((mac, zone))
    hosts: dict[str, dict] = {}
    for s in range(n_sw):
        name = f"sw{s:04d}"
        members = computers[s * PER_SWITCH:(s + 1) * PER_SWITCH]
        zones = [z for _, z in members] or ["office"]
        zone = max(set(zones), key=zones.count) if rng.random() > 0.05 else "office"
        (snap / "configs" / f"{name}.cfg").write_text(switch_cfg.replace("sysname S5735-5F", f"sysname {name}"),
                                                      encoding="utf-8")
        rows = [(m, VLAN[z], f"GE0/0/{k + 1}") for k, (m, z) in enumerate(members)]
        rows += [(_mac(rng), 10, "GE0/0/48") for _ in range(3)]
        (snap / "mac-tables" / f"{name}.txt").write_text(_mac_table(name, rows), encoding="utf-8")
        hosts[name] = {"zicha_role": "switch", "zicha_zone": zone}
    for f in range(n_fw):
        name = f"fw{f}"
        (snap / "configs" / f"{name}.cfg").write_text(fw_cfg.replace("sysname USG6550-DC", f"sysname {name}"),
                                                      encoding="utf-8")
        hosts[name] = {"zicha_role": "firewall", "zicha_zone": "dmz"}
    (snap / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}, sort_keys=True), encoding="utf-8")
    return {"hosts": n, "computers": n_pc, "switches": n_sw, "firewalls": n_fw, "collector_key": str(pub),
            "snapshot": str(snap), "import": str(imp)}


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2])))
