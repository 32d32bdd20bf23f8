#!/usr/bin/env python3
"""The zicha lab: a small estate of real hosts and devices on one machine (root needed).

    lab.py up       build it (idempotent: a running lab is torn down first)
    lab.py down     remove every process, namespace and link it made, also after a killed run
    lab.py status   what is running

Real parts only: network namespaces for the zones, joined through a firewall/router namespace that runs
nftables; a web service in the internet namespace; Linux hosts each with its own network, mount and UTS
namespace, an overlay over /etc and its own sshd; restic repositories; and network devices (fakenos) that
answer over SSH with the configuration text in lab/devices/. The estate is described in lab/inventory.yml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

# lab.py runs as a script: estate.py beside it is importable as a top-level module
from estate import (ADMIN_LINK, CONTROLLER, FW, HARDENED_ETC, HOSTS, INET, INTERNET_SERVICE, NFT_FIREWALL,
                    NFT_HOST_DROP, PREFIX, SERVICES, USB_BLOCK, ZONES, LinuxHost, _gw)

LAB = Path(__file__).resolve().parent
ROOT = LAB.parent
STATE = ROOT / ".lab"


def sh(*argv: str, check: bool = True, input: str | None = None, **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(list(argv), capture_output=True, text=True, input=input, **kw)
    if check and p.returncode != 0:
        raise SystemExit(f"lab: {' '.join(argv)}: rc {p.returncode}: {p.stderr.strip() or p.stdout.strip()}")
    return p


def nsx(ns: str, *argv: str, **kw) -> subprocess.CompletedProcess:
    return sh("ip", "netns", "exec", ns, *argv, **kw)


def pid_of(host: str) -> int:
    return int((STATE / "hosts" / host / "pid").read_text())


def in_host(host: str, *argv: str, **kw) -> subprocess.CompletedProcess:
    """Run a command inside a lab host: its network, mount and UTS namespaces."""
    return sh("nsenter", "-t", str(pid_of(host)), "-n", "-m", "-u", "--", *argv, **kw)


# ----------------------------------------------------------------------------- network


def build_network() -> None:
    sh("ip", "netns", "add", FW)
    nsx(FW, "ip", "link", "set", "lo", "up")
    nsx(FW, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    # Frames bridged within a zone are switched, not routed: keep them out of the firewall's forward chain.
    nsx(FW, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-ip6tables=0",
        "net.bridge.bridge-nf-call-arptables=0", check=False)
    # the management link: root namespace (the controller) <-> firewall
    sh("ip", "link", "add", ADMIN_LINK, "type", "veth", "peer", "name", "to-admin", "netns", FW)
    sh("ip", "addr", "add", f"{CONTROLLER}/24", "dev", ADMIN_LINK)
    sh("ip", "link", "set", ADMIN_LINK, "up")
    nsx(FW, "ip", "addr", "add", f"{ZONES['admin'][1]}/24", "dev", "to-admin")
    nsx(FW, "ip", "link", "set", "to-admin", "up")
    for zone, (prefix, gw) in ZONES.items():
        if zone == "admin":
            continue
        br = f"br-{zone}"
        nsx(FW, "ip", "link", "add", br, "type", "bridge")
        nsx(FW, "ip", "addr", "add", f"{gw}/24", "dev", br)
        nsx(FW, "ip", "link", "set", br, "up")
        if zone != "internet":
            # the controller reaches the internal zones through the firewall; the lab's "internet" stays
            # inside the namespaces (the machine's own routes to real addresses are left alone)
            sh("ip", "route", "add", f"{prefix}.0/24", "via", ZONES["admin"][1], "dev", ADMIN_LINK)
    nsx(FW, "nft", "-f", "-", input=NFT_FIREWALL)
    # the internet: one web server standing for it
    attach(INET, "eth0", "internet", INTERNET_SERVICE)
    nsx(INET, "ip", "route", "add", "default", "via", _gw("internet"))
    www = STATE / "www"
    www.mkdir(parents=True, exist_ok=True)
    (www / "index.html").write_text("the internet (zicha lab)\n")
    log = open(STATE / "inet-http.log", "ab")
    p = subprocess.Popen(["ip", "netns", "exec", INET, sys.executable, "-m", "http.server", "80", "--bind",
                          INTERNET_SERVICE, "--directory", str(www)], stdout=log, stderr=log,
                         start_new_session=True)
    (STATE / "inet.pid").write_text(str(p.pid))


_PEERS = 0


def lab_mac(address: str) -> str:
    """A fixed, locally administered MAC per lab address (the inventory registers them): 02:5a:00:00:ZZ:HH."""
    octets = [int(x) for x in address.split(".")]
    zone = octets[2] if octets[0] == 10 else 0x71
    return f"02:5a:00:00:{zone:02x}:{octets[3]:02x}"


def attach(ns: str, ifname: str, zone: str, address: str) -> None:
    """Give namespace `ns` an interface in `zone` (a veth whose other end joins the zone's bridge)."""
    if not Path(f"/run/netns/{ns}").exists():
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    global _PEERS
    _PEERS += 1
    peer = f"{PREFIX}v{_PEERS}"  # the firewall side; named so that `down` finds strays in the root namespace
    sh("ip", "link", "add", peer, "type", "veth", "peer", "name", ifname, "netns", ns)
    sh("ip", "-n", ns, "link", "set", ifname, "address", lab_mac(address))
    sh("ip", "link", "set", peer, "netns", FW)
    nsx(FW, "ip", "link", "set", peer, "master", f"br-{zone}", "up")
    sh("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", ifname)
    sh("ip", "-n", ns, "link", "set", ifname, "up")


# ----------------------------------------------------------------------------- Linux hosts

SSHD_CONFIG = """# zicha lab host {name}
ListenAddress {listen}
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
UsePAM no
StrictModes no
PidFile /run/sshd.pid
Subsystem sftp internal-sftp
"""


def start_host(h: LinuxHost) -> None:
    d = STATE / "hosts" / h.name
    upper, work = d / "upper", d / "work"
    for p in (upper / "ssh" / "authorized_keys", work, d / "var-log-zicha", d / "run"):
        p.mkdir(parents=True, exist_ok=True)
    ns = h.netns or PREFIX + h.name
    for i, nic in enumerate(h.nics):
        attach(ns, f"eth{i}", nic.zone, nic.address)
    for dst, via in h.routes:
        sh("ip", "-n", ns, "route", "add", dst, "via", via)
    # /etc of this host: an overlay over the machine's /etc; files written here shadow the real ones
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"root@{h.name}", "-f",
       str(upper / "ssh" / "ssh_host_ed25519_key"))
    shutil.copy(STATE / "id_ed25519.pub", upper / "ssh" / "authorized_keys" / "root")
    listen = h.listen or h.nics[0].address
    (upper / "ssh" / "sshd_config").write_text(SSHD_CONFIG.format(name=h.name, listen=listen))
    (upper / "hostname").write_text(h.name + "\n")
    (upper / "modprobe.d").mkdir(exist_ok=True)
    if h.usb_blocked:
        (upper / "modprobe.d" / "zicha-usb-storage.conf").write_text(USB_BLOCK)
    files = dict(HARDENED_ETC) if h.hardened else {}
    files.update(h.etc)
    for svc in h.services:
        files[SERVICES[svc][1]] = SERVICES[svc][2]
    for rel, text in files.items():
        (upper / rel).parent.mkdir(parents=True, exist_ok=True)
        (upper / rel).write_text(text)
    script = (
        f"set -e; hostname {h.name}; "
        f"mount -t overlay overlay -o lowerdir=/etc,upperdir={upper},workdir={work} /etc; "
        f"mount -t tmpfs -o mode=0755 tmpfs /run; mkdir -p /run/sshd; "
        f"mkdir -p /var/log/zicha && mount --bind {d / 'var-log-zicha'} /var/log/zicha; "
        f"exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config -o SetEnv=ZICHA_LAB_HOST={h.name}"
    )
    log = open(d / "sshd.log", "ab")
    p = subprocess.Popen(["ip", "netns", "exec", ns, "unshare", "--mount", "--uts", "--propagation", "private",
                          "sh", "-c", script], stdout=log, stderr=log, start_new_session=True)
    (d / "pid").write_text(str(p.pid))


def wait_hosts(hosts: list[LinuxHost], timeout: float = 20.0) -> None:
    """Wait until every host's sshd listens (read from its own namespace); the pid we keep is sshd's."""
    deadline = time.monotonic() + timeout
    pending = {h.name for h in hosts}
    while pending and time.monotonic() < deadline:
        for h in hosts:
            if h.name not in pending:
                continue
            ns = h.netns or PREFIX + h.name
            if ":22 " in sh("ip", "netns", "exec", ns, "ss", "-Htln", check=False).stdout + " ":
                pending.discard(h.name)
        time.sleep(0.1)
    if pending:
        raise SystemExit(f"lab: sshd did not start on {', '.join(sorted(pending))} (see .lab/hosts/*/sshd.log)")


def configure_host(h: LinuxHost) -> None:
    """Accounts, host firewall, backups: made with the host's own tools, inside its namespaces."""
    for user, password, scheme in h.users:
        in_host(h.name, "useradd", "-M", "-d", f"/home/{user}", "-s", "/bin/bash", user)
        in_host(h.name, "chpasswd", "-c", scheme.upper(), input=f"{user}:{password}\n")
    if h.host_firewall_drop:
        in_host(h.name, "nft", "-f", "-", input=NFT_HOST_DROP)
    if h.hardened:
        in_host(h.name, "sed", "-i", "s/^PASS_MAX_DAYS.*/PASS_MAX_DAYS\t90/", "/etc/login.defs")
        for user, _, _ in h.users:
            in_host(h.name, "chage", "-M", "90", user)
    for svc in h.services:
        in_host(h.name, "sh", "-c", SERVICES[svc][0])
    d = STATE / "hosts" / h.name
    if h.restic:
        repo, data, pw = d / "restic", d / "data", d / "restic.pass"
        data.mkdir(exist_ok=True)
        (data / "ledger.csv").write_text("2026,收入,100\n", encoding="utf-8")
        pw.write_text(f"restic password of {h.name}\n")
        env = {**os.environ, "RESTIC_REPOSITORY": str(repo), "RESTIC_PASSWORD_FILE": str(pw),
               "RESTIC_CACHE_DIR": str(STATE / "restic-cache")}
        sh("restic", "init", env=env)
        days = 2 if h.restic == "fresh" else 92
        when = (dt.datetime.now() - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")
        sh("restic", "backup", "--time", when, "--host", h.name, str(data), env=env)
    if h.restore_test_days_ago is not None:
        t = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=h.restore_test_days_ago)
        rec = {"time": t.replace(microsecond=0).isoformat(), "repo": str(d / "restic"), "snapshot": "latest",
               "result": "ok", "by": "ops"}
        (d / "var-log-zicha" / "restore-tests.jsonl").write_text(json.dumps(rec) + "\n")


# ----------------------------------------------------------------------------- devices


def _mac_of(host: str, ifname: str) -> str:
    h = next(x for x in HOSTS if x.name == host)
    ns = h.netns or PREFIX + h.name
    info = json.loads(sh("ip", "-n", ns, "-j", "link", "show", ifname).stdout)
    return info[0]["address"]


def _mac_table(fmt: str, entries: list[tuple[str, int, str]]) -> str:
    """A MAC address table in the vendor's own layout (what ntc-templates parses from real devices)."""
    def hx(mac: str) -> str:
        h = mac.replace(":", "").replace("-", "").replace(".", "").lower()
        return f"{h[0:4]}{'.' if fmt == 'cisco_ios' else '-'}{h[4:8]}{'.' if fmt == 'cisco_ios' else '-'}{h[8:12]}"

    if fmt == "huawei_vrp":
        rule = "-" * 79
        rows = [f"{hx(m):<15}{f'{v}/-/-':<14}{port:<20}dynamic" for m, v, port in entries]
        return "\n".join(["MAC Address    VLAN/VSI/BD   Learned-From        Type", rule, *rows, rule,
                          f"Total items displayed = {len(rows)}", ""])
    if fmt == "hp_comware":
        rows = [f"{hx(m):<17}{v:<11}{'Learned':<17}{port:<25}Y" for m, v, port in entries]
        return "\n".join(["MAC Address      VLAN ID    State            Port/Nickname            Aging", *rows, ""])
    if fmt == "cisco_ios":
        rows = [f"{v:>4}    {hx(m)}    DYNAMIC     {port}" for m, v, port in entries]
        return "\n".join(["          Mac Address Table", "-" * 43, "", "Vlan    Mac Address       Type        Ports",
                          "----    -----------       --------    -----", *rows,
                          f"Total Mac Addresses for this criterion: {len(rows)}", ""])
    raise ValueError(fmt)


def start_devices() -> None:
    """fakenos serving lab/devices/devices.yml, with MAC tables made from the lab hosts' real MACs."""
    import yaml

    spec = yaml.safe_load((LAB / "devices" / "devices.yml").read_text())
    ddir = STATE / "devices"
    ddir.mkdir(parents=True, exist_ok=True)
    served, pinned = [], []
    for d in spec["devices"]:
        commands = {d["config_command"]: {"file": str(LAB / "devices" / d["config"]),
                                          "prompt": d.get("config_prompt", "any")}}
        if d.get("mac_command"):
            entries = []
            for host, (port, vlan, *ifname) in (d.get("mac_ports") or {}).items():
                entries.append((_mac_of(host, ifname[0] if ifname else "eth0"), vlan, port))
            for mac, (port, vlan) in (d.get("rogue_macs") or {}).items():
                entries.append((mac, vlan, port))
            table = ddir / f"{d['name']}-mac.txt"
            table.write_text(_mac_table(d["mac_format"], entries))
            commands[d["mac_command"]] = {"file": str(table), "prompt": d.get("config_prompt", "any")}
        commands.update(d.get("extra_commands") or {})
        key = ddir / f"{d['name']}.rsa"  # each device's own host key, pinned in .lab/known_hosts below
        if not key.exists():
            sh("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", d["name"], "-f", str(key))
        pub = (ddir / f"{d['name']}.rsa.pub").read_text().split()
        pinned.append(f"[127.0.0.1]:{d['port']} {pub[0]} {pub[1]}")
        served.append({k: v for k, v in d.items() if k in ("name", "plugin", "port", "username", "password",
                                                           "prompt", "enable_secret", "unknown_command")}
                      | {"commands": commands, "ssh_key_file": str(key)})
    (ddir / "devices.yml").write_text(yaml.safe_dump({"address": "127.0.0.1", "devices": served}))
    with open(STATE / "known_hosts", "a") as kh:  # the lab made these devices: it knows their keys
        kh.write("\n".join(pinned) + "\n")
    log = open(STATE / "devices.log", "ab")
    p = subprocess.Popen([sys.executable, str(LAB / "devices" / "serve.py"), str(ddir / "devices.yml"),
                          "--ready-file", str(ddir / "ready")], stdout=log, stderr=log, start_new_session=True,
                         cwd=ROOT)
    (STATE / "devices.pid").write_text(str(p.pid))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (ddir / "ready").exists():
            return
        if p.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit("lab: the network devices did not start (see .lab/devices.log)")


# ----------------------------------------------------------------------------- up / down


def known_hosts() -> None:
    lines = []
    for h in HOSTS:
        pub = (STATE / "hosts" / h.name / "upper" / "ssh" / "ssh_host_ed25519_key.pub").read_text().split()
        lines.append(f"{h.listen or h.nics[0].address} {pub[0]} {pub[1]}")
    (STATE / "known_hosts").write_text("\n".join(lines) + "\n")


def up() -> None:
    if os.geteuid() != 0:
        raise SystemExit("lab: needs root (network namespaces, mounts)")
    for tool in ("ip", "nft", "sshd", "restic", "nsenter", "unshare", "ssh-keygen", "ss"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"lab: {tool} is missing: run `make setup-system` as root")
    down(quiet=True)
    STATE.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "zicha-lab-controller", "-f", str(STATE / "id_ed25519"))
    build_network()
    for h in HOSTS:
        start_host(h)
    wait_hosts(HOSTS)
    for h in HOSTS:
        configure_host(h)
    known_hosts()
    start_devices()
    print(f"lab: up in {time.monotonic() - t0:.1f} s: {len(HOSTS)} Linux hosts (the firewall {FW} among them), "
          f"internet service {INTERNET_SERVICE}:80; inventory lab/inventory.yml")


def _kill_tree_in_ns(ns: str) -> None:
    p = sh("ip", "netns", "pids", ns, check=False)
    for pid in p.stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError:
            pass


def _kill_pidfile(path: Path) -> None:
    if not path.exists():
        return
    try:
        pid = int(path.read_text())
        os.killpg(pid, signal.SIGKILL)
    except (ValueError, ProcessLookupError, PermissionError):
        pass


def lab_namespaces() -> list[str]:
    out = sh("ip", "netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith(PREFIX)]


def lab_processes() -> list[int]:
    """Processes that belong to the lab: in a lab namespace, or started from .lab / lab/devices."""
    pids = set()
    for ns in lab_namespaces():
        pids.update(int(x) for x in sh("ip", "netns", "pids", ns, check=False).stdout.split())
    marker = str(LAB / "devices" / "serve.py")
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmd or "ZICHA_LAB_HOST=" in cmd or f"--bind {INTERNET_SERVICE}" in cmd:
                pids.add(int(d.name))
    pids.discard(os.getpid())
    return sorted(pids)


def down(quiet: bool = False) -> None:
    for f in (STATE / "devices.pid", STATE / "inet.pid", *(STATE / "hosts").glob("*/pid")):
        _kill_pidfile(f)
    for ns in lab_namespaces():
        _kill_tree_in_ns(ns)
    for pid in lab_processes():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while lab_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    for ns in lab_namespaces():
        sh("ip", "netns", "del", ns, check=False)
    for link in Path("/sys/class/net").iterdir():
        if link.name.startswith(PREFIX):
            sh("ip", "link", "del", link.name, check=False)
    if STATE.exists():
        shutil.rmtree(STATE, ignore_errors=True)
    left = lab_processes(), lab_namespaces()
    if any(left):
        raise SystemExit(f"lab: could not remove everything: processes {left[0]}, namespaces {left[1]}")
    if not quiet:
        print("lab: down (no lab process, namespace or link left)")


#: the lab's Windows terminals, each a recording of tests/fixtures/windows/ (lab/inventory.yml lists them)
WINDOWS = {"win-mj-1": "terminal-a-compliant", "win-mj-2": "terminal-b-noncompliant"}


def collect_offline() -> Path:
    """Run `zicha collect` inside every air-gapped lab host, as its operator would, into .lab/offline/."""
    out = STATE / "offline"
    out.mkdir(parents=True, exist_ok=True)
    zicha = ROOT / ".venv" / "bin" / "zicha"
    keys = STATE / "collector-keys"
    if not (keys / "lab-collector.key").exists():  # the collector's key pair: the audit trusts its public half
        subprocess.run([str(zicha), "keygen", "--out", str(keys), "--name", "lab-collector"], check=True,
                       stdout=subprocess.DEVNULL)
    for h in HOSTS:
        if h.reachable:
            continue
        target = STATE / "hosts" / h.name / "var-log-zicha" / "facts.json"  # /var/log/zicha inside the host
        args = ["--out", "/var/log/zicha/facts.json", "--host", h.name, "--role", "terminal",
                "--zone", h.nics[0].zone, "--internet-probe", f"{INTERNET_SERVICE}:80",
                "--sign-key", str(keys / "lab-collector.key")]
        in_host(h.name, str(zicha), "collect", *args)
        shutil.copy(target, out / f"{h.name}.json")  # carried across the air gap
    # The Windows classified terminals: what zicha-collect.ps1 writes there, from recorded outputs, signed with
    # the RSA collector key its -KeyFile takes (NAME.ps-key.json)
    sys.path.insert(0, str(ROOT))
    from tests.windows_recordings import collected, write_collected

    if not (keys / "lab-windows-collector.key").exists():
        subprocess.run([str(zicha), "keygen", "--out", str(keys), "--name", "lab-windows-collector",
                        "--algorithm", "rsa-sha256"], check=True, stdout=subprocess.DEVNULL)
    for name, recording in WINDOWS.items():
        write_collected(collected(recording, name, {"zicha_role": "terminal", "zicha_zone": "classified",
                                                    "zicha_classified": True}, keys / "lab-windows-collector.key"),
                        out / f"{name}.json")
    print(f"lab: offline facts in {out}")
    return out


def status() -> int:
    ns, procs = lab_namespaces(), lab_processes()
    print(f"namespaces: {' '.join(ns) or '-'}")
    print(f"processes:  {len(procs)}")
    return 0 if ns else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=("up", "down", "status", "collect-offline"))
    a = ap.parse_args()
    if a.action == "up":
        try:
            up()
        except BaseException:
            down(quiet=True)
            raise
        return 0
    if a.action == "down":
        down()
        return 0
    if a.action == "collect-offline":
        collect_offline()
        return 0
    return status()


if __name__ == "__main__":
    sys.exit(main())
