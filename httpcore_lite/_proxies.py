"""
Which proxy a URL goes through: NO_PROXY matching (names, IPs, CIDR networks, ports), the
environment's proxies, and the per-scheme selection from a ``proxies`` mapping.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from collections.abc import Mapping
from typing import Any, Optional
from urllib.parse import urlsplit

from ._env import environ_proxies as _environ_proxies
from ._env import getenv_any_case as _env
from ._urls import DEFAULT_PORTS

__all__ = [
    "address_in_network",
    "dotted_netmask",
    "get_environ_proxies",
    "is_ipv4_address",
    "is_valid_cidr",
    "proxy_bypass",
    "resolve_proxies",
    "select_proxy",
    "should_bypass_proxies",
]


def dotted_netmask(mask: int) -> str:
    """Turn a prefix length into a dotted netmask: ``24`` -> ``"255.255.255.0"``."""
    bits = 0xFFFFFFFF ^ (1 << 32 - mask) - 1
    return socket.inet_ntoa(struct.pack(">I", bits))


def is_ipv4_address(string_ip: str) -> bool:
    """Whether ``string_ip`` is an IPv4 address (as ``inet_aton`` reads them)."""
    try:
        socket.inet_aton(string_ip)
    except (OSError, ValueError, TypeError):
        return False
    return True


def is_valid_cidr(string_network: str) -> bool:
    """Whether ``string_network`` is an IPv4 CIDR such as ``192.168.1.0/24`` (prefix 1..32)."""
    if string_network.count("/") != 1:
        return False
    address, _, mask_text = string_network.partition("/")
    try:
        mask = int(mask_text)
    except ValueError:
        return False
    if mask < 1 or mask > 32:
        return False
    return is_ipv4_address(address)


def address_in_network(ip: str, net: str) -> bool:
    """Whether the IPv4 address ``ip`` is inside the CIDR network ``net``.

    >>> address_in_network("192.168.1.1", "192.168.1.0/24")
    True
    """
    ipaddr = struct.unpack("=L", socket.inet_aton(ip))[0]
    netaddr, bits = net.split("/")
    netmask = struct.unpack("=L", socket.inet_aton(dotted_netmask(int(bits))))[0]
    network = struct.unpack("=L", socket.inet_aton(netaddr))[0] & netmask
    return (ipaddr & netmask) == (network & netmask)


def _no_proxy_entries(no_proxy: str) -> list[str]:
    return [entry.lower() for entry in no_proxy.replace(" ", "").split(",") if entry]


def _split_entry_port(entry: str) -> tuple[str, Optional[int]]:
    """Split a NO_PROXY entry into its host part and its port (``None`` when it has none)."""
    if entry.startswith("["):
        address, _, rest = entry[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        address, _, port_text = entry.partition(":")
    else:
        # A bare name, IPv4 address, or an unbracketed IPv6 address (no port possible).
        return entry, None
    if port_text.isdigit():
        return address, int(port_text)
    return address, None


def _host_matches(host: str, port: Optional[int], entry: str) -> bool:
    """One NO_PROXY entry against a host name: exact, or a subdomain of it (dot boundary).

    A leading dot (or ``*.``) is optional: ``example.com`` and ``.example.com`` both match
    ``example.com`` and ``www.example.com``, never ``badexample.com``. An entry with a port
    matches only that port.
    """
    name, entry_port = _split_entry_port(entry)
    if entry_port is not None and entry_port != port:
        return False
    if name.startswith("*."):
        name = name[1:]
    name = name.lstrip(".")
    if not name:
        return False
    return host == name or host.endswith("." + name)


def _ip_matches(host: str, port: Optional[int], entry: str) -> bool:
    """One NO_PROXY entry against an IP literal host: same address, CIDR network, ``ip:port``."""
    address, entry_port = _split_entry_port(entry)
    if entry_port is not None and entry_port != port:
        return False
    if address == host:
        return True
    if ":" not in host:
        # IPv4: an exact match was checked above; otherwise only a CIDR entry can match.
        # (socket-based, several times cheaper than the ipaddress module)
        network, slash, bits = address.partition("/")
        if not slash or not bits.isdigit() or ":" in network or not is_ipv4_address(network):
            return False
        mask = int(bits)
        if mask > 32:
            return False
        return mask == 0 or address_in_network(host, address)
    try:
        if "/" in address:
            return ipaddress.ip_address(host) in ipaddress.ip_network(address, strict=False)
        return ipaddress.ip_address(address) == ipaddress.ip_address(host)
    except ValueError:
        return False


def _is_ip_literal(host: str) -> bool:
    if ":" in host:
        return True  # only IPv6 literals have colons in a parsed hostname
    return is_ipv4_address(host) and host.replace(".", "").isdigit()


def should_bypass_proxies(url: str, no_proxy: Optional[str]) -> bool:
    """Whether ``url`` should be fetched directly, per ``no_proxy`` or the environment.

    ``no_proxy`` (else ``$no_proxy`` / ``$NO_PROXY``) is a comma-separated list of: ``*``
    (everything), host names (matching the host and its subdomains; a leading ``.`` is optional),
    ``host:port``, IP addresses (``ip``, ``ip:port``, ``[v6]:port``), and CIDR networks
    (``10.0.0.0/8``, IPv6 too). An entry's port is compared with the URL's port, explicit or the
    scheme's default. URLs without a host (``file:``) are never proxied.

    A name matches on a dot boundary only (as curl, urllib and requests >= 2.33 do):
    ``example.com`` does not make ``badexample.com`` bypass the proxy.

    Without a ``no_proxy`` argument, a host the environment's list does not exempt is finally
    put to :func:`proxy_bypass` with its bare name, as requests does, so code that patches
    ``utils.proxy_bypass`` keeps deciding.
    """
    explicit = no_proxy is not None
    if no_proxy is None:
        no_proxy = _env("no_proxy")
    parsed = urlsplit(url)
    hostname = parsed.hostname
    if hostname is None:
        # URLs don't always have hostnames, e.g. file:/// urls.
        return True
    if no_proxy:
        try:
            port = parsed.port or DEFAULT_PORTS.get(parsed.scheme)
        except ValueError:
            port = None
        if _no_proxy_matches(hostname, port, no_proxy):
            return True
    if explicit:
        return False
    # Looked up on the public ``utils`` module when called, so that code patching
    # ``utils.proxy_bypass`` (as requests allows) keeps deciding.
    from . import utils

    return utils.proxy_bypass(hostname)


def proxy_bypass(host: str) -> bool:
    """Whether ``host`` (a bare host name or IP address, no port) is exempt from proxies.

    requests takes this from urllib, whose answer comes from the environment on Linux and from
    the system settings on macOS and Windows; here only the environment counts (``no_proxy``,
    else ``NO_PROXY``), matched with the rules of :func:`should_bypass_proxies`.
    """
    no_proxy = _env("no_proxy")
    return no_proxy is not None and _no_proxy_matches(host, None, no_proxy)


def _no_proxy_matches(hostname: str, port: Optional[int], no_proxy: str) -> bool:
    """Whether one entry of the comma-separated ``no_proxy`` list matches ``hostname:port``."""
    entries = _no_proxy_entries(no_proxy)
    if "*" in entries:
        return True
    if _is_ip_literal(hostname):
        return any(_ip_matches(hostname, port, entry) for entry in entries)
    return any(_host_matches(hostname, port, entry) for entry in entries)


def get_environ_proxies(url: str, no_proxy: Optional[str] = None) -> dict[str, str]:
    """The environment's proxies for ``url``: ``{}`` when ``url`` bypasses them (NO_PROXY).

    As in requests, a NO_PROXY list that does not exempt ``url`` comes back under ``"no"``.
    """
    proxies = _environ_proxies()
    if not proxies or should_bypass_proxies(url, no_proxy=no_proxy):
        return {}
    return proxies


def select_proxy(url: str, proxies: Optional[Mapping[str, Any]]) -> Optional[str]:
    """Pick the proxy for ``url`` from a proxies mapping.

    Most specific first: ``"scheme://host"``, ``"scheme"``, ``"all://host"``, ``"all"``.
    """
    if not proxies:
        return None
    urlparts = urlsplit(url)
    hostname = urlparts.hostname
    if hostname is None:
        return proxies.get(urlparts.scheme, proxies.get("all"))
    for proxy_key in (
        urlparts.scheme + "://" + hostname,
        urlparts.scheme,
        "all://" + hostname,
        "all",
    ):
        if proxy_key in proxies:
            return proxies[proxy_key]
    return None


def resolve_proxies(
    request: Any, proxies: Optional[Mapping[str, Any]], trust_env: bool = True
) -> dict[str, Any]:
    """The proxies to use for ``request``: ``proxies`` plus the environment's when trusted.

    The environment's proxy for the URL's scheme (or ``all``) is added unless ``proxies`` already
    names that scheme or NO_PROXY (``proxies["no_proxy"]`` first, then the environment) excludes
    the host. Does not mutate ``proxies``.
    """
    new_proxies = dict(proxies) if proxies is not None else {}
    if not trust_env:
        return new_proxies
    environ_proxies = _environ_proxies()
    if not environ_proxies:
        # Nothing to add; skip URL parsing and NO_PROXY matching entirely.
        return new_proxies
    url = request.url
    scheme = urlsplit(url).scheme
    proxy = environ_proxies.get(scheme, environ_proxies.get("all"))
    if not proxy or scheme in new_proxies:
        return new_proxies
    if should_bypass_proxies(url, no_proxy=new_proxies.get("no_proxy")):
        return new_proxies
    new_proxies[scheme] = proxy
    return new_proxies
