# -*- coding: utf-8 -*-
# zicha: the host's network: routes, interfaces, the internet probes (route lookups and TCP connections),
# listening sockets and how addresses are configured (DHCP or static). Runs on the target's own Python (3.6+).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import json
import os
import re
import socket
import time

from ansible_collections.zicha.audit.plugins.module_utils.zicha_files import FactError

NM_CONNECTIONS = "/etc/NetworkManager/system-connections"


def _hex_ip4(h):
    return socket.inet_ntoa(bytes(bytearray.fromhex(h))[::-1])


def proc_routes(route_text, ipv6_text):
    """Routes from /proc/net/route and /proc/net/ipv6_route (iproute2 without JSON)."""
    routes = []
    lines = route_text.splitlines()
    if not lines or lines[0].split()[:3] != ["Iface", "Destination", "Gateway"]:
        raise ValueError("not the kernel's route table (no Iface Destination Gateway header)")
    for line in lines[1:]:
        f = line.split()
        if not f:
            continue
        if len(f) < 8:
            raise ValueError("a route line of %d fields" % len(f))
        dst, gw = _hex_ip4(f[1]), _hex_ip4(f[2])
        plen = bin(int(f[7], 16)).count("1")
        routes.append({
            "dst": "default" if dst == "0.0.0.0" and plen == 0 else "%s/%d" % (dst, plen),
            "gateway": gw if gw != "0.0.0.0" else None,
            "dev": f[0], "table": "main", "family": "inet", "type": "unicast",
        })
    for line in ipv6_text.splitlines():
        f = line.split()
        if not f:
            continue
        if len(f) < 10:
            raise ValueError("an IPv6 route line of %d fields" % len(f))
        if f[9] == "lo":
            continue
        dst = socket.inet_ntop(socket.AF_INET6, bytes(bytearray.fromhex(f[0])))
        plen = int(f[1], 16)
        gw = socket.inet_ntop(socket.AF_INET6, bytes(bytearray.fromhex(f[4])))
        routes.append({
            "dst": "default" if plen == 0 else "%s/%d" % (dst, plen),
            "gateway": gw if gw != "::" else None,
            "dev": f[9], "table": "main", "family": "inet6", "type": "unicast",
        })
    return routes


def _routes_from_proc(host):
    text = host.read("/proc/net/route")
    try:
        text6 = host.read("/proc/net/ipv6_route")
    except FactError:
        text6 = ""
    try:
        return proc_routes(text, text6)
    except (ValueError, socket.error) as e:
        raise FactError("/proc/net/route, ipv6_route: unparsable (%s)" % e)


def fact_routes(host):
    """Every unicast route of every table but `local` (policy routing included)."""
    rc, out, err = host.run(["ip", "-j", "route", "show", "table", "all"])
    rc6, out6, _ = host.run(["ip", "-j", "-6", "route", "show", "table", "all"])
    if rc != 0 or not out.strip().startswith("["):
        return _routes_from_proc(host)  # iproute2 without JSON (before 4.14)
    routes = []
    for fam, text in (("inet", out), ("inet6", out6 if rc6 == 0 else "[]")):
        for r in json.loads(text or "[]"):
            rtype = r.get("type", "unicast")
            table = str(r.get("table", "main"))
            if table == "local" or rtype in ("local", "broadcast", "multicast", "anycast"):
                continue
            dst = r.get("dst", "")
            if fam == "inet6" and (dst.startswith("fe80::") or dst.startswith("ff00::")):
                continue
            routes.append({
                "dst": dst, "gateway": r.get("gateway"), "dev": r.get("dev"),
                "table": table, "family": fam, "type": rtype,
            })
    return routes


def _wireless(host, ifname):
    base = "/sys/class/net/%s" % ifname
    return host.isdir(base + "/wireless") or host.exists(base + "/phy80211")


_IFNAME = re.compile(r"\A[^/\s\0]{1,15}\Z")  # the kernel's rule (dev_valid_name), "." and ".." apart


def _ip_addr_listing(out):
    """`ip -j addr show` as a list of interfaces, each with a valid name and its addresses; FactError when it is
    anything else, or lists no interface (every host has lo)."""
    try:
        listing = json.loads(out)
    except (ValueError, RecursionError):
        raise FactError("ip -j addr show: unparsable JSON")

    def address(a):
        return isinstance(a, dict) and (a.get("family") not in ("inet", "inet6") or (
            isinstance(a.get("local"), str) and isinstance(a.get("prefixlen"), int)))

    def interface(i):
        return (isinstance(i, dict) and isinstance(i.get("ifname"), str) and _IFNAME.match(i["ifname"])
                and i["ifname"] not in (".", "..") and isinstance(i.get("flags", []), list)
                and isinstance(i.get("operstate") or "", str) and isinstance(i.get("addr_info", []), list)
                and all(address(a) for a in i.get("addr_info", [])))

    if not isinstance(listing, list) or not listing or not all(interface(i) for i in listing):
        raise FactError("ip -j addr show: not a list of interfaces with their addresses")
    return listing


def fact_interfaces(host):
    rc, out, err = host.run(["ip", "-j", "addr", "show"])
    ifaces = []
    if rc == 0 and out.strip().startswith("["):
        listing = _ip_addr_listing(out)
        for i in listing:
            name = i.get("ifname")
            flags = i.get("flags", [])
            ifaces.append({
                "name": name,
                "mac": i.get("address"),
                "kind": i.get("link_type"),
                "up": "UP" in flags,
                "operstate": (i.get("operstate") or "").lower(),
                "wireless": _wireless(host, name),
                "addresses": ["%s/%s" % (a["local"], a["prefixlen"]) for a in i.get("addr_info", [])
                              if a.get("family") in ("inet", "inet6") and "local" in a],
                # addresses a DHCP (or SLAAC) client leased rather than set statically
                "dynamic": ["%s/%s" % (a["local"], a["prefixlen"]) for a in i.get("addr_info", [])
                            if a.get("family") == "inet" and a.get("dynamic")],
            })
        return ifaces
    # Older iproute2: /sys and `ip -o addr`.
    rc, out, err = host.run(["ip", "-o", "addr", "show"])
    if rc != 0:
        raise FactError("ip -o addr show: rc %d: %s" % (rc, err.strip()))
    addrs = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[2] in ("inet", "inet6"):
            addrs.setdefault(f[1].rstrip(":"), []).append(f[3])
    for name in sorted(host.listdir("/sys/class/net")):
        base = "/sys/class/net/" + name
        try:
            flags = int(host.read(base + "/flags").strip(), 16)
            mac = host.read(base + "/address").strip()
            oper = host.read(base + "/operstate").strip()
        except FactError:
            continue
        ifaces.append({"name": name, "mac": mac, "kind": "loopback" if name == "lo" else "ether",
                       "up": bool(flags & 1), "operstate": oper, "wireless": _wireless(host, name),
                       "addresses": addrs.get(name, [])})
    if not ifaces:
        raise FactError("/sys/class/net: no interface read (every host has lo)")
    return ifaces


def split_target(t):
    t = t.strip()
    m = re.match(r"^\[([^\]]+)\](?::(\d+))?$", t) or re.match(r"^([^:]+)(?::(\d+))?$", t)
    if not m:
        m2 = re.match(r"^([0-9a-fA-F:]+)$", t)  # bare IPv6
        if not m2:
            raise FactError("probe target %r is not host:port" % t)
        return t, 80
    return m.group(1), int(m.group(2) or 80)


def fact_route_lookups(host):
    """For each internet probe address: the route the kernel would take (`ip route get`), or none."""
    out = []
    for target in host.params.get("internet_probes") or []:
        name, _port = split_target(target)
        try:
            addr = socket.getaddrinfo(name, None)[0][4][0]
        except socket.gaierror as e:
            out.append({"target": target, "address": None, "route": False, "detail": "unresolved: %s" % e})
            continue
        rc, o, e = host.run(["ip", "route", "get", addr])
        out.append({"target": target, "address": addr, "route": rc == 0,
                    "detail": (o if rc == 0 else e).strip().splitlines()[0] if (o or e).strip() else ""})
    return out


def fact_probes(host):
    """TCP connections to the internet probe addresses. `answered` is true when anything answered."""
    timeout = float(host.params.get("probe_timeout") or 3)
    out = []
    for target in host.params.get("internet_probes") or []:
        name, port = split_target(target)
        rec = {"target": target, "port": port}
        try:
            infos = socket.getaddrinfo(name, port, 0, socket.SOCK_STREAM)
        except socket.gaierror as e:
            rec.update(result="unresolved", answered=False, detail=str(e))
            out.append(rec)
            continue
        fam, st, proto, _, sa = infos[0]
        s = socket.socket(fam, st, proto)
        s.settimeout(timeout)
        t0 = time.time()
        try:
            s.connect(sa)
            rec.update(result="connected", answered=True)
        except socket.timeout:
            rec.update(result="timeout", answered=False)
        except (OSError, IOError) as e:
            if e.errno == errno.ECONNREFUSED:
                # A reset came back: something out there answered.
                rec.update(result="refused", answered=True)
            elif e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EACCES, errno.EPERM):
                rec.update(result="unreachable", answered=False, detail=os.strerror(e.errno))
            else:
                rec.update(result="error", answered=False, detail=str(e))
        finally:
            s.close()
        rec["address"] = sa[0]
        rec["seconds"] = round(time.time() - t0, 3)
        out.append(rec)
    return out


# ---------------------------------------------------------------- sockets


def _socket_inodes(host):
    """socket inode -> process name, from /proc/*/fd (needs root for other users' processes)."""
    owners = {}
    for pid in host.listdir("/proc"):
        if not pid.isdigit():
            continue
        fd_dir = "/proc/%s/fd" % pid
        try:
            fds = host.listdir(fd_dir)
            with host.open("/proc/%s/comm" % pid) as f:
                comm = f.read().decode("utf-8", "replace").strip()
        except (IOError, OSError):
            continue
        for fd in fds:
            try:
                link = host.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                owners[link[8:-1]] = comm
    return owners


def _hex_addr(h, v6):
    if not v6:
        return _hex_ip4(h)
    raw = bytes(bytearray.fromhex(h))
    # /proc prints IPv6 as four host-order 32-bit words
    words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]
    return socket.inet_ntop(socket.AF_INET6, b"".join(words))


def socket_line(line, proto, v6):
    """One line of /proc/net/tcp, tcp6, udp or udp6: (address, port, inode) of a listening TCP or bound UDP
    socket, None for any other socket. A line that is not in the kernel's format raises ValueError."""
    f = line.split()
    if len(f) < 10:
        return None
    state = f[3]
    if proto == "tcp" and state != "0A":
        return None
    if proto == "udp" and state != "07":
        return None
    host, port = f[1].split(":")
    try:
        addr = _hex_addr(host, v6)
    except socket.error as e:
        raise ValueError("address %r: %s" % (host, e))
    return addr, int(port, 16), f[9]


def fact_listening(host):
    """Listening TCP sockets and bound UDP sockets, with the owning process, from /proc/net."""
    owners = _socket_inodes(host)
    out = []
    for proto, name, v6 in (("tcp", "tcp", False), ("tcp", "tcp6", True), ("udp", "udp", False), ("udp", "udp6", True)):
        path = "/proc/net/%s" % name
        if v6 and not host.exists(path):
            continue  # a kernel without IPv6 (ipv6.disable=1) has no tcp6/udp6: nothing can listen there
        text = host.read(path)  # unreadable: the sockets are unknown, not absent (FactError)
        lines = text.splitlines()
        if not lines or "local_address" not in lines[0].split():
            raise FactError("%s: not the kernel's socket table (no header line)" % path)
        for n, line in enumerate(lines[1:], 2):
            try:
                sock = socket_line(line, proto, v6)
            except ValueError as e:
                raise FactError("%s line %d: unparsable (%s)" % (path, n, e))
            if sock is not None:
                out.append({"proto": proto + ("6" if v6 else ""), "address": sock[0], "port": sock[1],
                            "process": owners.get(sock[2])})
    seen, uniq = set(), []
    for s in sorted(out, key=lambda s: (s["port"], s["proto"], s["address"])):
        key = (s["proto"], s["address"], s["port"])
        if key not in seen:
            seen.add(key)
            uniq.append(s)
    return uniq


# ---------------------------------------------------------------- addressing


def fact_network_config(host):
    """How addresses are configured: DHCP or static, per configuration system."""
    dhcp, static = [], []
    if host.exists("/etc/network/interfaces"):
        paths = ["/etc/network/interfaces"] + host.glob(["/etc/network/interfaces.d/*"])
        for p in paths:
            for s in host.conf_lines(p):
                m = re.match(r"^iface\s+(\S+)\s+inet6?\s+(\S+)", s)
                if m and m.group(1) != "lo":
                    (dhcp if m.group(2) in ("dhcp", "auto") else static).append({"interface": m.group(1), "source": p})
    for p in host.glob([NM_CONNECTIONS + "/*"]):
        text = host.read(p)  # an unreadable connection may be the DHCP one: a FactError, not a skip
        iface = re.search(r"^interface-name=(\S+)", text, re.M)
        m = re.search(r"^\[ipv4\][^\[]*?^method=(\S+)", text, re.M | re.S)
        if m:
            rec = {"interface": iface.group(1) if iface else os.path.basename(p), "source": p}
            (dhcp if m.group(1) == "auto" else static).append(rec)
    for p in host.glob(["/etc/sysconfig/network-scripts/ifcfg-*"]):
        kv = host.kv_file(p)
        if kv.get("DEVICE", "") == "lo":
            continue
        rec = {"interface": kv.get("DEVICE") or os.path.basename(p)[6:], "source": p}
        (dhcp if str(kv.get("BOOTPROTO", "none")).lower() in ("dhcp", "bootp") else static).append(rec)
    for p in host.glob(["/etc/netplan/*.yaml", "/etc/systemd/network/*.network"]):
        text = host.read(p)
        if re.search(r"dhcp4:\s*(true|yes)|^DHCP=(yes|ipv4|true)", text, re.M | re.I):
            dhcp.append({"interface": "*", "source": p})
    names = host.processes()
    clients = sorted(n for n in names if n in ("dhclient", "dhcpcd", "udhcpc", "dhcpcd5"))
    return {"dhcp": dhcp, "static": static, "dhcp_clients_running": clients}
