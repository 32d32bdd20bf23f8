"""Gathering on real hosts: zicha's gather against `ansible -m setup`, SSH round trips, the weak-password check.

    .venv/bin/python bench/gather.py --extra 12        # root: the lab with 12 more terminals (21 Linux hosts)

What it does, on the lab (lab/lab.py: each host a network namespace with its own sshd, reached over real SSH):
1. builds the lab with ZICHA_LAB_EXTRA=N more plain office terminals, and an inventory of every Linux host the
   controller reaches (the lab's own, less the air-gapped one and the Windows recordings, plus the extra ones);
2. runs the baseline every Ansible user knows, `ansible all -m ansible.builtin.setup`, and zicha's gather
   (`zicha audit --timings`: its `gather` stage), each twice, taking the second;
3. counts the SSH round trips per host: `ssh` on the PATH is a wrapper that logs each invocation (one per remote
   command Ansible runs: a connection, or a command over the multiplexed one) before running the real ssh;
4. times one yescrypt guess (the weak-password check's unit of work) and bounds the check's cost per account by
   the number of candidate passwords the parameters give;
5. takes the lab down. Prints one JSON line per measurement and a table. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python")


def lab(cmd: str, extra: int) -> None:
    subprocess.run([PY, str(ROOT / "lab" / "lab.py"), cmd], check=True, env=dict(os.environ, ZICHA_LAB_EXTRA=str(extra)))


def inventory(extra: int) -> tuple[Path, list[str]]:
    """The lab inventory's reachable Linux hosts, plus the extra terminals: lab/bench-gather.yml, beside the lab's
    own (its paths are relative to its folder)."""
    inv = yaml.safe_load((ROOT / "lab" / "inventory.yml").read_text(encoding="utf-8"))
    keep: dict[str, dict] = {}

    def walk(group: dict, inherited: dict) -> None:
        vars_ = {**inherited, **(group.get("vars") or {})}
        for name, hv in (group.get("hosts") or {}).items():
            merged = {**vars_, **(hv or {})}
            if merged.get("zicha_platform", "linux") == "linux" and merged.get("zicha_gather", "ansible") == "ansible" \
                    and merged.get("ansible_connection") not in ("network_cli", "winrm", "local"):
                keep[name] = merged
        for child in (group.get("children") or {}).values():
            walk(child or {}, vars_)

    top = inv["all"]
    for child in (top.get("children") or {}).values():
        walk(child or {}, {})
    for name, hv in (top.get("hosts") or {}).items():
        keep[name] = hv or {}
    for i in range(extra):
        keep[f"pc-bench-{i:02d}"] = {"ansible_host": f"10.251.10.{100 + i}", "zicha_role": "terminal",
                                     "zicha_zone": "office"}
    path = ROOT / "lab" / "bench-gather.yml"
    path.write_text("# written by bench/gather.py (removed after it)\n" +
                    yaml.safe_dump({"all": {"vars": top["vars"], "hosts": keep}}, sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return path, sorted(keep)


def ssh_wrapper(where: Path, log: Path) -> dict:
    """ssh, sftp and scp on the PATH log each invocation, then run the real one."""
    where.mkdir(parents=True, exist_ok=True)
    for tool in ("ssh", "sftp", "scp"):
        real = shutil.which(tool)
        w = where / tool
        w.write_text(f"#!/bin/sh\necho \"{tool} $*\" >> {log}\nexec {real} \"$@\"\n")
        w.chmod(0o755)
    return dict(os.environ, PATH=f"{where}:{os.environ['PATH']}")


def count(log: Path, hosts: dict[str, str]) -> dict[str, int]:
    """ssh invocations per host (by its address on the command line)."""
    lines = log.read_text().splitlines() if log.exists() else []
    return {name: sum(1 for ln in lines if f" {addr} " in f" {ln} " or f"@{addr} " in f"{ln} ")
            for name, addr in hosts.items()}


def timed(argv: list[str], env: dict, cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - t0, p


def yescrypt_guess_ms() -> float:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt  # the same libcrypt the collector calls (crypt_r)
    salt = crypt.mksalt(crypt.METHOD_SHA512)
    setting = "$y$j9T$" + salt[3:19] + "$"  # yescrypt at Debian's default cost
    crypt.crypt("warm", setting)
    t0, n = time.perf_counter(), 20
    for i in range(n):
        crypt.crypt(f"guess{i}", setting)
    return 1000 * (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", type=int, default=12, help="plain terminals added to the lab's 9 Linux hosts")
    ap.add_argument("--keep-lab", action="store_true", help="leave the lab up afterwards")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zicha-gather-"))
    lab("up", a.extra)
    try:
        inv_path, names = inventory(a.extra)
        inv = yaml.safe_load(inv_path.read_text(encoding="utf-8"))["all"]["hosts"]
        addrs = {n: inv[n]["ansible_host"] for n in names}
        known = ROOT / ".lab" / "known_hosts"
        key = ROOT / ".lab" / "id_ed25519"
        rows = {"hosts": len(names)}
        # 1. the baseline: ansible all -m setup (keys pinned the same way zicha pins them)
        for run in range(2):
            log = work / f"ssh-setup-{run}.log"
            env = ssh_wrapper(work / "bin", log)
            env.update(ANSIBLE_HOST_KEY_CHECKING="True", ANSIBLE_PRIVATE_KEY_FILE=str(key), ANSIBLE_FORKS="10",
                       ANSIBLE_SSH_ARGS=f"-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile={known}")
            t, p = timed([str(ROOT / ".venv" / "bin" / "ansible"), "all", "-i", str(inv_path), "-m",
                          "ansible.builtin.setup", "-e", "ansible_user=root", "-o"], env, work)
            ok = p.stdout.count("SUCCESS")
            rows["setup"] = {"wall_s": round(t, 2), "ok": ok, "ssh_per_host": count(log, addrs)}
        print(json.dumps({"ansible -m setup": rows["setup"]}), flush=True)
        # 2. zicha's gather, as `zicha audit` runs it
        for run in range(2):
            log = work / f"ssh-zicha-{run}.log"
            env = ssh_wrapper(work / "bin", log)
            out = work / f"out-{run}"
            t, p = timed([str(ROOT / ".venv" / "bin" / "zicha"), "audit", "-i", str(inv_path), "--out", str(out),
                          "--format", "json", "--no-bundle", "--timings"], env, work)
            doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
            rows["zicha"] = {"wall_s": round(t, 2), "gather_s": doc["run"]["timings"].get("gather"),
                             "reached": len(doc["run"]["hosts_reached"]), "ssh_per_host": count(log, addrs)}
        print(json.dumps({"zicha gather": rows["zicha"]}), flush=True)
        # 3. the weak-password check's unit of work
        from checker import config

        params = config.load_params()
        cp = config.collector_params(params)
        n_cand = len(cp.get("weak_passwords") or [])
        ms = yescrypt_guess_ms()
        rows["weak"] = {"yescrypt_guess_ms": round(ms, 1), "candidate_list": n_cand,
                        "note": "per account: the list, plus the account's own name and the organisation's "
                                "name-and-year forms"}
        print(json.dumps({"weak-password check": rows["weak"]}), flush=True)
        (ROOT / "bench" / "gather-results.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        s, z = rows["setup"], rows["zicha"]
        per = lambda d: sorted(set(d["ssh_per_host"].values()))  # noqa: E731
        print(f"\n{rows['hosts']} Linux hosts: ansible -m setup {s['wall_s']} s (ssh per host {per(s)}); "
              f"zicha gather {z['gather_s']} s ({z['gather_s'] / s['wall_s']:.2f} x; ssh per host {per(z)}); "
              f"one yescrypt guess {ms:.1f} ms, {n_cand} listed candidates")
    finally:
        if not a.keep_lab:
            lab("down", a.extra)
        shutil.rmtree(work, ignore_errors=True)
        (ROOT / "lab" / "bench-gather.yml").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
