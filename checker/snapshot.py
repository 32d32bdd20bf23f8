"""Configuration backups audited without any connection: a Batfish-style snapshot folder.

    SNAPSHOT/
      configs/<device>.cfg      one running configuration per device (.cfg, .conf, .txt)
      mac-tables/<device>.txt   optional: the saved `display mac-address` / `show mac address-table` output
      inventory.yml             optional: roles, zones, platforms in zicha's inventory vocabulary

The vendor is detected from the configuration's own language when the inventory does not name it, and so is
the role of a device the inventory does not list or gives no role: a firewall where the configuration has
security zones and policies, a router where it translates addresses (NAT), runs routing with few switch
ports or routes between several physical interfaces, else a switch. Each device's identity (vendor,
version, role) is kept with where each part came from (the inventory, or read from the configuration), and
`zicha audit --snapshot` prints it before the table.

Files are read as bytes and decoded by their byte-order mark (UTF-8, UTF-16 LE/BE), else as UTF-8 or GB18030.
An entry of configs/ or mac-tables/ that is not a regular file (a dangling link, a FIFO, a folder named
x.cfg) is an error for its device, named as such; a FIFO is never opened for reading, so it cannot hang the
audit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import devices, platforms
from checker.fsio import decode  # noqa: F401 - snapshot.decode, as the tests call it
from checker.devices import mactable
from ansible_collections.zicha.audit.plugins.module_utils.zicha_devices.credentials import Judge
from checker.errors import GatherError
from checker.inventory import from_listing, host_from_vars, listing
from checker.models import GatherOutcome, Host, Inventory

SUFFIXES = (".cfg", ".conf", ".txt")
MAC_SUFFIXES = (".txt", ".log", ".out")
#: no configuration or MAC table is this big (the largest real ones are a few MB)
MAX_BYTES = 64 * 1024 * 1024


class Unreadable(Exception):
    """A snapshot entry that is not a file zicha can read (kept apart from GatherError: it is per device)."""


@dataclass
class Entry:
    path: Path
    problem: str | None = None  # why it cannot be read: not a regular file, too big


def _entries(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() not in suffixes:
            continue
        out[p.stem] = Entry(p, _problem(p))
    return out


def _problem(p: Path) -> str | None:
    try:
        st = os.stat(p)  # follows a link: a link to a regular file is read like the file
    except FileNotFoundError:
        return "is a link to nothing (a dangling symbolic link)" if p.is_symlink() else "has disappeared"
    except OSError as e:
        return f"cannot be examined ({e.strerror})"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(st.st_mode):
        return "is a FIFO (named pipe), not a file: it is not read"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a device or socket)"
    if st.st_size > MAX_BYTES:
        return f"is {st.st_size} bytes, more than any configuration ({MAX_BYTES} bytes at most)"
    return None


def configs(folder: Path) -> dict[str, Entry]:
    cdir = folder / "configs"
    if not cdir.is_dir():
        raise GatherError(f"--snapshot {folder}: no configs/ folder (expected configs/<device>.cfg)")
    out = _entries(cdir, SUFFIXES)
    if not out:
        raise GatherError(f"--snapshot {folder}: configs/ holds no configuration (*.cfg, *.conf, *.txt)")
    return out


def mac_tables(folder: Path) -> dict[str, Entry]:
    mdir = folder / "mac-tables"
    return _entries(mdir, MAC_SUFFIXES) if mdir.is_dir() else {}


def read_bytes(path: Path) -> bytes:
    """The file's bytes; never blocks on a FIFO put where a file was (opened non-blocking, checked regular)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise Unreadable(f"cannot be opened ({e.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("is not a regular file")
        if st.st_size > MAX_BYTES:
            raise Unreadable(f"is more than {MAX_BYTES} bytes")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_BYTES:
                raise Unreadable(f"is more than {MAX_BYTES} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    return decode(read_bytes(path))


# ---------------------------------------------------------------------------------------------------------------
# the role a configuration shows
# ---------------------------------------------------------------------------------------------------------------

#: routing protocols, by configuration language (the platform registry says which language a platform writes)
_ROUTING = {
    "ios": re.compile(r"(?m)^router\s+(ospf|bgp|eigrp|rip|isis|ospfv3)\b"),
    "huawei": re.compile(r"(?m)^\s?(ospf|bgp|rip|isis|ospfv3|ripng)(?:\s|$)"),
}
_ROUTING["comware"] = _ROUTING["huawei"]
_VIRTUAL = re.compile(r"(?i)^(vlan|loopback|null|tunnel|port-channel|eth-trunk|bridge-aggregation|route-aggregation|"
                      r"meth|m-gigabitethernet|nve|virtual|dialer|bvi|inloopback|register-tunnel)")
_WAN = re.compile(r"(?i)^(serial|dialer|cellular|atm|pos|e1|t1|ce1|cpos|virtual-template|pppoe)")


@dataclass
class Identity:
    """What a snapshot device is, and where each part came from."""

    platform: str | None
    platform_from: str  # "inventory" | "detected from the configuration"
    version: str | None
    role: str
    role_from: dict[str, str] | str  # "inventory", or why it was guessed ({"zh", "en"})
    mac_table: str | None = None  # the MAC table file used, if any
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"platform": self.platform, "platform_from": self.platform_from, "version": self.version,
                "role": self.role, "role_from": self.role_from, "mac_table": self.mac_table, "notes": self.notes}


def guess_role(platform: str, text: str, facts: dict[str, dict[str, Any]]) -> tuple[str, dict[str, str]]:
    """The role a configuration shows, and why (each sign named, in Chinese and English)."""
    def value(key: str) -> Any:
        return (facts.get(key) or {}).get("value")

    def why(zh: list[str], en: list[str]) -> dict[str, str]:
        return {"zh": "推测：" + "；".join(zh), "en": "guessed: " + "; ".join(en)}

    fw = value("firewall") or {}
    ifaces = value("interfaces") or []
    nats = value("nat_servers") or []
    if platform == "huawei_usg":
        return "firewall", why(["华为 USG 防火墙配置（安全策略、manager-user）"],
                               ["a Huawei USG configuration (security policy, manager-user)"])
    bound = [z["name"] for z in fw.get("zones") or [] if z.get("interfaces")]
    zoned_policy = fw.get("basis") in ("security-policy", "security zones", "zone-based firewall")
    if len(bound) >= 2 or (bound and zoned_policy):
        names = "、".join((bound or [z["name"] for z in fw["zones"]])[:4])
        return "firewall", why([f"安全区域（{names}）绑定接口，并配置安全策略或包过滤缺省动作"],
                               [f"security zones ({names.replace('、', ', ')}) bound to interfaces, with policies "
                                "or a filter default"])
    l2 = [i for i in ifaces if i.get("mode") in ("access", "trunk", "hybrid")]
    routed = [i for i in ifaces if not _VIRTUAL.match(i["name"]) and "." not in i["name"]
              and (i.get("addresses") or i.get("dhcp_address"))]
    wan = [i["name"] for i in ifaces if _WAN.match(i["name"])]
    nat_out = [i["name"] for i in ifaces if i.get("nat_outbound") or i.get("nat") == "outside"]
    cli = platforms.get(platform).cli if platforms.known(platform) else None
    routing = sorted({r.upper() for r in _ROUTING.get(cli.language if cli else "", _ROUTING["huawei"]).findall(text)})
    zh, en = [], []
    if nat_out:
        zh.append(f"接口 {'、'.join(nat_out[:3])} 做 NAT 出口")
        en.append(f"NAT outside on {', '.join(nat_out[:3])}")
    if nats:
        zh.append(f"{len(nats)} 条 NAT 映射")
        en.append(f"{len(nats)} NAT mapping(s)")
    if wan:
        zh.append(f"广域网接口（{'、'.join(wan[:3])}）")
        en.append(f"WAN interfaces ({', '.join(wan[:3])})")
    if len(routed) >= 2:
        zh.append(f"{len(routed)} 个三层物理接口")
        en.append(f"{len(routed)} routed physical interfaces")
    if routing:
        zh.append(f"运行路由协议（{'、'.join(routing)}）")
        en.append(f"routing ({', '.join(routing)})")
    if len(l2) >= 4 and len(l2) > 2 * len(routed):
        # many switch ports: a switch, even one that routes or translates (a layer-3 switch)
        return "switch", why([f"{len(l2)} 个交换端口"] + ([f"三层交换机：{'；'.join(zh)}"] if zh else []),
                             [f"{len(l2)} switch ports"] + ([f"a layer-3 switch: {'; '.join(en)}"] if en else []))
    if zh:
        return "router", why(zh + ([f"{len(l2)} 个交换端口"] if l2 else []),
                             en + ([f"{len(l2)} switch ports"] if l2 else []))
    return "switch", why([f"{len(l2)} 个交换端口" if l2 else "无路由、地址转换或过滤的迹象"],
                         [f"{len(l2)} switch ports" if l2 else "no sign of routing, translation or filtering"])


# ---------------------------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------------------------

def load(folder: Path, judge: Judge) -> tuple[Inventory, dict[str, GatherOutcome]]:
    """The snapshot's hosts and, for each, the facts parsed from its configuration (and MAC table)."""
    files = configs(folder)
    macs = mac_tables(folder)
    texts: dict[str, str] = {}
    digests: dict[str, str] = {}
    problems: dict[str, str] = {}
    for name, e in files.items():
        rel = f"configs/{e.path.name}"
        if e.problem:
            problems[name] = f"{rel} {e.problem}"
            continue
        try:
            data = read_bytes(e.path)
        except Unreadable as err:
            problems[name] = f"{rel} {err}"
            continue
        texts[name], digests[name] = decode(data), hashlib.sha256(data).hexdigest()
    detected: dict[str, str] = {}
    for name, text in texts.items():
        try:
            detected[name] = devices.detect(text)
        except devices.UnknownVendor as err:
            problems.setdefault(name, f"configs/{files[name].path.name}: {err}")
    inv_path = folder / "inventory.yml"
    declared: dict[str, Host] = {}
    groups: dict[str, list[str]] = {}
    role_from: dict[str, str] = {}
    platform_said: set[str] = set()
    if inv_path.exists():
        raw = listing(inv_path)
        for name, hv in raw.get("_meta", {}).get("hostvars", {}).items():
            if hv.get("zicha_platform") or hv.get("ansible_network_os"):
                platform_said.add(name)
            if name not in files and name not in macs:
                continue
            # a device's platform and role may be left to the configuration
            if not hv.get("zicha_platform") and not hv.get("ansible_network_os") and name in detected:
                hv["zicha_platform"] = detected[name]
            if not hv.get("zicha_role") and name in detected:
                hv["zicha_role"], role_from[name] = _guess(name, detected[name], texts[name], judge)
            elif not hv.get("zicha_role"):
                hv["zicha_role"], role_from[name] = "switch", _UNREAD
        inv = from_listing(raw, str(inv_path))
        declared = {h.name: h for h in inv.hosts}
        groups = inv.groups
    # what the whole estate shares (parameters, zones, the organisation's names): a device the inventory does
    # not list gets it too
    shared = _estate_vars(list(declared.values()))
    hosts: list[Host] = []
    outcomes: dict[str, GatherOutcome] = {}
    for name in sorted(set(files) | set(declared) | set(macs)):
        entry = files.get(name)
        rel = f"configs/{entry.path.name}" if entry else f"configs/{name}.cfg"
        host = declared.get(name)
        if entry is None:
            if host is None:  # a MAC table with no configuration beside it
                host = host_from_vars(name, {**shared, "zicha_role": "switch", "zicha_platform": "cisco_ios"})
                role_from[name] = {"zh": "推测：只有 MAC 地址表，没有配置", "en": "guessed: only a MAC table was found"}
            hosts.append(host)
            outcomes[name] = GatherOutcome(name, "failed", f"{rel} is missing (the snapshot "
                                           f"{'inventory lists' if name in declared else 'has a MAC table for'} "
                                           f"{name})", method="snapshot", source=rel)
            continue
        platform = host.platform if host and host.platform in devices.PLATFORMS else detected.get(name)
        facts = devices.facts(texts[name], platform, rel, judge) if platform and name in texts else None
        if host is None:
            role, why = guess_role(platform, texts[name], facts) if facts else ("switch", _UNREAD)
            role_from[name] = why
            host = host_from_vars(name, {**shared, "zicha_role": role, "zicha_platform": platform or "cisco_ios"})
        hosts.append(host)
        identity = Identity(
            platform=platform,
            platform_from="inventory" if name in platform_said else "detected from the configuration",
            version=((facts or {}).get("device", {}).get("value") or {}).get("version"),
            role=host.role, role_from=role_from.get(name, "inventory"))
        if facts is None:
            outcomes[name] = GatherOutcome(name, "failed", problems.get(name, f"{rel}: not read"), method="snapshot",
                                           source=rel, raw={"collector": {"identity": identity.to_json()}})
            continue
        if name in macs:
            m = macs[name]
            mrel = f"mac-tables/{m.path.name}"
            identity.mac_table = mrel
            if m.problem:
                facts["mac_table"] = {"source": mrel, "error": f"{mrel} {m.problem}"}
            else:
                try:
                    facts["mac_table"] = mactable.fact(platform, mrel, read_text(m.path))
                except Unreadable as err:
                    facts["mac_table"] = {"source": mrel, "error": f"{mrel} {err}"}
        else:
            identity.notes.append("no MAC table (mac-tables/<device>.txt): the rules that read it say error")
        path = entry.path
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
        raw = {
            "platform": host.platform,
            "collected_at": mtime.isoformat().replace("+00:00", "Z"),
            "collector": {"name": "zicha snapshot", "file": rel, "detected_platform": detected.get(name),
                          "config_sha256": digests[name],
                          "identity": identity.to_json()},
            "facts": facts,
        }
        outcomes[name] = GatherOutcome(name, "ok", raw=raw, method="snapshot", source=rel)
    return Inventory(path=str(inv_path if inv_path.exists() else folder), hosts=tuple(hosts), groups=groups), outcomes


_ESTATE = ("zicha_params", "zicha_zones", "zicha_org_names", "zicha_internet_probes")


def _estate_vars(hosts: list[Host]) -> dict[str, Any]:
    """The estate-wide variables every declared host holds alike (group `all`)."""
    out = {}
    for key in _ESTATE:
        values = [h.vars.get(key) for h in hosts]
        if values and all(v == values[0] for v in values) and values[0] is not None:
            out[key] = values[0]
    return out


_UNREAD = {"zh": "推测：配置无法读取，按交换机检查", "en": "guessed: the configuration could not be read; checked as a switch"}


def _guess(name: str, platform: str, text: str, judge: Judge) -> tuple[str, dict[str, str]]:
    return guess_role(platform, text, devices.facts(text, platform, name, judge))
