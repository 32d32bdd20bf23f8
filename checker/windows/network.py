"""Windows network facts: routes, adapters, DHCP, route lookups and probes (CLASSIFIED-OFFLINE, STATIC-IP), and the
same from WMI and netstat on Windows 7 / Server 2008 R2."""

from __future__ import annotations

import json
import re
from typing import Any

from checker.windows.values import Unreadable, _ok, _str, ps_json, text


# ---------------------------------------------------------------- network (CLASSIFIED-OFFLINE, STATIC-IP)

#: NDIS_PHYSICAL_MEDIUM values of radios: WirelessLan 1, WirelessWan 8, Native802_11 9, Bluetooth 10, WiMax 12,
#: UWB 13, Irda 16, Native802_15_4 20 (ntddndis.h)
_RADIO_MEDIA = {1: "wlan", 8: "wwan", 9: "wlan", 10: "bluetooth", 12: "wimax", 13: "uwb", 16: "irda", 20: "802.15.4"}
_ORIGIN = {0: "Other", 1: "Manual", 2: "WellKnown", 3: "Dhcp", 4: "RouterAdvertisement"}
_DEFAULT = ("0.0.0.0/0", "::/0")


def routes(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The routes in force as on Linux: dst ("default" for 0.0.0.0/0 and ::/0), gateway (null when on-link),
    dev, family. Multicast, broadcast and link-local routes are left out, as `ip route` leaves them out of main.
    Windows always has routes (loopback, its own subnets): an empty table is no read."""
    rows = ps_json(_ok(raw, "routes"))
    if not rows:
        raise Unreadable("Get-NetRoute listed no route")
    out = []
    for r in rows:
        prefix, family = _str(r, "DestinationPrefix", "Get-NetRoute"), str(r.get("AddressFamily") or "")
        family = {"ipv4": "inet", "2": "inet", "ipv6": "inet6", "23": "inet6"}.get(family.lower())
        if family is None:
            family = "inet6" if ":" in prefix else "inet"
        low = prefix.lower()
        if low.startswith(("224.", "255.255.255.255", "ff00:", "fe80:", "127.", "::1/")):
            continue
        hop = r.get("NextHop")
        gateway = hop if isinstance(hop, str) and hop not in ("0.0.0.0", "::", "") else None
        out.append({"dst": "default" if prefix in _DEFAULT else prefix, "gateway": gateway,
                    "dev": r.get("InterfaceAlias") if isinstance(r.get("InterfaceAlias"), str) else None,
                    "table": "main", "family": family, "type": "unicast"})
    return out


def _mac(value: Any) -> str | None:
    """00-15-5D-0A-01-02 → 00:15:5d:0a:01:02"""
    if not isinstance(value, str):
        return None
    h = re.sub(r"[^0-9A-Fa-f]", "", value)
    return ":".join(h[i:i + 2] for i in range(0, 12, 2)).lower() if len(h) == 12 else None


def _addresses(raw: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Get-NetIPAddress rows by interface alias."""
    out: dict[str, list[dict[str, Any]]] = {}
    for a in ps_json(_ok(raw, "ip_addresses")):
        alias, ip = _str(a, "InterfaceAlias", "Get-NetIPAddress"), _str(a, "IPAddress", "Get-NetIPAddress")
        length = a.get("PrefixLength")
        if not isinstance(length, int) or isinstance(length, bool):
            raise Unreadable("Get-NetIPAddress: a row without PrefixLength")
        origin = a.get("PrefixOrigin")
        origin = _ORIGIN.get(origin, str(origin)) if isinstance(origin, int) else str(origin or "")
        out.setdefault(alias, []).append({"cidr": f"{ip.split('%')[0]}/{length}", "origin": origin})
    return out


def interfaces(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The adapters as Linux's interfaces: up means enabled (Windows' Status is not Disabled or Not Present, as
    Linux's UP flag says the interface is administratively up, cabled or not); wireless for radios (WLAN, WWAN,
    Bluetooth PAN, …) by the NDIS physical medium; addresses of adapters that are connected, but APIPA's
    169.254/16 (no address was assigned); dynamic = the ones DHCP leased (PrefixOrigin Dhcp)."""
    adapters = ps_json(_ok(raw, "adapters"))
    if not adapters:
        raise Unreadable("Get-NetAdapter listed no adapter")
    by_alias = _addresses(raw)
    out = []
    for a in adapters:
        name, status = _str(a, "Name", "Get-NetAdapter"), _str(a, "Status", "Get-NetAdapter")
        medium, media = a.get("NdisPhysicalMedium"), str(a.get("PhysicalMediaType") or "")
        if not isinstance(medium, int) or isinstance(medium, bool):
            raise Unreadable(f"Get-NetAdapter: {name} has no NdisPhysicalMedium")
        radio = _RADIO_MEDIA.get(medium)
        if radio is None and re.search(r"802\.11|wireless|bluetooth", media, re.I):
            radio = "wlan" if "802.11" in media else media.lower()
        addrs = [x for x in by_alias.get(name, []) if not x["cidr"].startswith("169.254.")] \
            if status.lower() == "up" else []
        out.append({
            "name": name, "mac": _mac(a.get("MacAddress")),
            "kind": radio or ("ether" if medium in (0, 14) else media.lower() or "other"),
            "up": status.lower() not in ("disabled", "not present"), "operstate": status.lower(),
            "wireless": radio is not None,
            "addresses": [x["cidr"] for x in addrs],
            "dynamic": [x["cidr"] for x in addrs if x["origin"].lower() == "dhcp" and "." in x["cidr"]],
        })
    return out


def network_config(raw: dict[str, Any]) -> dict[str, Any]:
    """Which enabled adapters take their IPv4 address from DHCP (Get-NetIPInterface Dhcp). The DHCP Client
    service runs on every Windows host (it also registers the host in DNS), so dhcp_clients_running is empty:
    the configuration and the leases (interfaces.dynamic) tell."""
    enabled = {i["name"] for i in interfaces(raw) if i["up"]}
    rows = ps_json(_ok(raw, "ip_interfaces"))
    if not rows:
        raise Unreadable("Get-NetIPInterface listed no interface")
    dhcp, static = [], []
    for r in rows:
        alias, mode = _str(r, "InterfaceAlias", "Get-NetIPInterface"), r.get("Dhcp")
        mode = {0: "disabled", 1: "enabled"}.get(mode, str(mode).lower()) if isinstance(mode, int) else str(mode).lower()
        if mode not in ("enabled", "disabled"):
            raise Unreadable(f"Get-NetIPInterface: {alias} has Dhcp {r.get('Dhcp')!r}")
        if alias not in enabled:
            continue  # loopback, disabled adapters
        entry = {"interface": alias, "source": "Get-NetIPInterface"}
        (dhcp if mode == "enabled" else static).append(entry)
    return {"dhcp": dhcp, "static": static, "dhcp_clients_running": []}


_PROBE_RESULTS = ("connected", "refused", "timeout", "unreachable", "unresolved", "error")


# ---------------------------------------------------------------- Windows 7 / Server 2008 R2 (no NetTCPIP cmdlets)

LEGACY_SOURCES = {
    "routes": "Get-WmiObject Win32_IP4RouteTable (Windows 7: no Get-NetRoute; IPv4 only)",
    "adapters": "Get-WmiObject Win32_NetworkAdapter, Win32_NetworkAdapterConfiguration; root/wmi "
                "MSNdis_PhysicalMediumType (Windows 7: no Get-NetAdapter)",
    "network_config": "Get-WmiObject Win32_NetworkAdapterConfiguration DHCPEnabled (Windows 7)",
    "listening": "netstat -ano; Get-Process (Windows 7: no Get-NetTCPConnection)",
    "firewall_profiles": "HNetCfg.FwPolicy2 FirewallEnabled, DefaultInboundAction (Windows 7: no Get-NetFirewallProfile)",
    "route_lookups": "the route table (Win32_IP4RouteTable), longest prefix then metric (Windows 7: no Find-NetRoute)",
}
#: NetConnectionStatus (Win32_NetworkAdapter): 2 connected; the others are states of a link that is not up
_NET_CONNECTED = 2


def _mask_len(mask: str) -> int:
    import ipaddress

    return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen


def _netstat(text_: str, names: dict[int, str]) -> list[dict[str, Any]]:
    """`netstat -ano` sockets that listen (TCP whose foreign address is 0.0.0.0:0 or [::]:0; every UDP one),
    in Get-NetTCPConnection's row shape. The state column is not read: it is translated on some Windows."""
    rows = []
    for line in text_.splitlines():
        f = line.split()
        if not f or f[0].upper() not in ("TCP", "UDP"):
            continue
        proto = f[0].upper()
        if proto == "TCP" and (len(f) != 5 or f[2] not in ("0.0.0.0:0", "[::]:0")):
            continue
        if proto == "UDP" and len(f) != 4:
            continue
        local, pid = f[1], f[-1]
        if ":" not in local or not pid.isdigit():
            raise Unreadable(f"netstat -ano: a socket line of another shape: {line.strip()[:80]}")
        addr, port = local.rsplit(":", 1)
        addr = addr.strip("[]").split("%")[0]
        if not port.isdigit():
            raise Unreadable(f"netstat -ano: port {port!r}")
        rows.append({"Protocol": proto, "LocalAddress": addr, "LocalPort": int(port), "Process": names.get(int(pid))})
    return rows


def legacy(raw: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """On Windows 7 / Server 2008 R2 the module sends `legacy_net` (WMI, the firewall's COM object, netstat) where
    the NetTCPIP cmdlets failed: translate it into those cmdlets' row shapes, so one normaliser reads both.
    Returns the raw outputs to normalise and the sources that were translated."""
    try:
        listing = text(_ok(raw, "legacy_net")).strip()
    except Unreadable:
        return raw, set()
    if not listing:
        return raw, set()  # Windows 8 / Server 2012 and later: the cmdlets answered
    try:
        doc = json.loads(listing)
    except ValueError as e:
        raise Unreadable(f"legacy network listing is not JSON: {e}") from None
    if not isinstance(doc, dict):
        raise Unreadable("legacy network listing is not an object")

    def rows(key: str) -> list[dict[str, Any]]:
        v = doc.get(key)
        v = [v] if isinstance(v, dict) else v
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            raise Unreadable(f"legacy network listing without {key}")
        return v

    adapters, configs, media = rows("Adapters"), rows("Configs"), rows("Media")
    alias = {a.get("InterfaceIndex"): a.get("NetConnectionID") for a in adapters if a.get("NetConnectionID")}
    medium = {m.get("InstanceName"): m.get("NdisPhysicalMediumType") for m in media}
    own: set[str] = set()
    out = dict(raw)
    a_rows, ip_rows, if_rows = [], [], []
    for a in adapters:
        name = a.get("NetConnectionID")
        if not name:
            continue  # a physical adapter Windows shows no connection for (a miniport without a binding)
        enabled, conn = a.get("NetEnabled"), a.get("NetConnectionStatus")
        status = "Disabled" if enabled is not True else ("Up" if conn == _NET_CONNECTED else "Disconnected")
        m = medium.get(a.get("Name"))
        if not isinstance(m, int) and enabled is not True:
            m = 0  # a disabled adapter's driver is not loaded, so NDIS tells no medium: it is down anyway
        a_rows.append({"Name": name, "InterfaceDescription": a.get("Name"), "Status": status,
                       "MacAddress": a.get("MACAddress"), "PhysicalMediaType": "", "NdisPhysicalMedium": m})
    for c in configs:
        name = alias.get(c.get("InterfaceIndex"))
        if name is None:
            continue
        ips, subnets = c.get("IPAddress") or [], c.get("IPSubnet") or []
        if not isinstance(ips, list) or not isinstance(subnets, list) or len(ips) != len(subnets):
            raise Unreadable(f"Win32_NetworkAdapterConfiguration of {name}: IPAddress and IPSubnet do not pair")
        dhcp = c.get("DHCPEnabled")
        if not isinstance(dhcp, bool):
            raise Unreadable(f"Win32_NetworkAdapterConfiguration of {name}: no DHCPEnabled")
        for ip, sub in zip(ips, subnets):
            v6 = ":" in str(ip)
            length = int(sub) if v6 else _mask_len(str(sub))
            own.add(str(ip))
            ip_rows.append({"InterfaceAlias": name, "IPAddress": str(ip), "PrefixLength": length,
                            "PrefixOrigin": "WellKnown" if v6 and str(ip).lower().startswith("fe80:")
                            else ("Dhcp" if dhcp and not v6 else "Manual"),
                            "AddressFamily": "IPv6" if v6 else "IPv4"})
        if_rows.append({"InterfaceAlias": name, "Dhcp": "Enabled" if dhcp else "Disabled"})
    r_rows = []
    for r in rows("Routes"):
        dest, mask, hop = r.get("Destination"), r.get("Mask"), r.get("NextHop")
        if not all(isinstance(x, str) for x in (dest, mask, hop)):
            raise Unreadable("Win32_IP4RouteTable: a route without Destination, Mask or NextHop")
        r_rows.append({"DestinationPrefix": f"{dest}/{_mask_len(mask)}",
                       "NextHop": "0.0.0.0" if hop in own else hop,  # on-link routes name the host's own address
                       "InterfaceAlias": alias.get(r.get("InterfaceIndex")),
                       "RouteMetric": r.get("Metric1"), "AddressFamily": "IPv4"})
    names = {p.get("Id"): p.get("Name") for p in rows("Processes") if isinstance(p.get("Id"), int)}
    netstat = doc.get("Netstat")
    if not isinstance(netstat, str):
        raise Unreadable("legacy network listing without netstat")
    inbound = {0: 4, 1: 2}  # NET_FW_ACTION block 0 / allow 1 → Get-NetFirewallProfile's Block 4 / Allow 2
    fw_rows = [{"Name": f.get("Name"), "Enabled": 1 if f.get("FirewallEnabled") is True else 0,
                "DefaultInboundAction": inbound.get(f.get("DefaultInboundAction"), f.get("DefaultInboundAction"))}
               for f in rows("Firewall")]
    translated = {"routes": r_rows, "adapters": a_rows, "ip_addresses": ip_rows, "ip_interfaces": if_rows,
                  "listening": _netstat(netstat, names), "firewall_profiles": fw_rows}
    for key, value in translated.items():
        out[key] = {"out": json.dumps(value, ensure_ascii=False)}
    out["_legacy_routes"] = r_rows  # where route_lookups looks the probes up (no Find-NetRoute there)
    return out, {"routes", "adapters", "network_config", "listening", "firewall_profiles", "route_lookups"}


def lookup(table: list[dict[str, Any]], address: str) -> dict[str, Any] | None:
    """The route Windows takes towards an IPv4 address: the longest prefix, then the lowest metric."""
    import ipaddress

    ip = ipaddress.ip_address(address)
    best = None
    for r in table:
        net = ipaddress.ip_network(r["DestinationPrefix"], strict=False)
        if ip.version == net.version and ip in net:
            key = (net.prefixlen, -(r.get("RouteMetric") or 0))
            if best is None or key > best[0]:
                best = (key, r)
    return best[1] if best else None


def route_lookups(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per probe address (both come from the same zicha_internet_probes): a lookup missing for a probe the
    collector tried is no read, never "no route"."""
    out = []
    for r in ps_json(_ok(raw, "route_lookups")):
        target, route = _str(r, "Target", "route lookup"), r.get("Route")
        if route is None and isinstance(r.get("Address"), str) and raw.get("_legacy_routes") is not None:
            # Windows 7: no Find-NetRoute there; the same choice made in the route table read from WMI
            found = lookup(raw["_legacy_routes"], r["Address"])
            r = dict(r, Route=found is not None, **({k: found[k] for k in ("DestinationPrefix", "NextHop",
                                                                          "InterfaceAlias")} if found else {}))
            route = r["Route"]
        if not isinstance(route, bool):
            raise Unreadable(f"route lookup of {target}: no Route")
        detail = f"{r.get('DestinationPrefix')} via {r.get('NextHop')} dev {r.get('InterfaceAlias')}" if route \
            else str(r.get("Detail") or "no route")
        out.append({"target": target, "address": r.get("Address") if isinstance(r.get("Address"), str) else None,
                    "route": route, "detail": detail})
    try:
        tried = sorted(p["target"] for p in probes(raw))
    except Unreadable:
        tried = None  # the probes fact says why
    if tried is not None and sorted(r["target"] for r in out) != tried:
        raise Unreadable(f"route lookups for {sorted(r['target'] for r in out)} but probes of {tried}")
    return out


def probes(raw: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in ps_json(_ok(raw, "probes")):
        target, result = _str(r, "Target", "probe"), r.get("Result")
        if result not in _PROBE_RESULTS:
            raise Unreadable(f"probe of {target}: result {result!r}")
        rec = {"target": target, "result": result, "answered": result in ("connected", "refused"),
               "detail": str(r.get("Detail") or "")}
        if isinstance(r.get("Port"), int) and not isinstance(r.get("Port"), bool):
            rec["port"] = r["Port"]
        if isinstance(r.get("Address"), str):
            rec["address"] = r["Address"]
        if isinstance(r.get("Seconds"), (int, float)) and not isinstance(r.get("Seconds"), bool):
            rec["seconds"] = r["Seconds"]
        out.append(rec)
    return out
