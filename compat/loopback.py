"""
A pytest plugin (``-p compat.loopback``), loaded in both runs: only loopback is reachable.

Tests that need the internet must fail at once instead of waiting on a network this suite never
uses: names other than localhost do not resolve, and connecting to an address outside
127.0.0.0/8 and ::1 is refused.
"""

from __future__ import annotations

import errno
import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return True  # an AF_UNIX path or similar
    host = host.strip("[]").lower()
    if host in _LOCAL_NAMES or host == "":
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
        # 0.0.0.0 and :: are what servers bind to (and connecting to them reaches this host).
        return address.is_loopback or address.is_unspecified
    except ValueError:
        return False


def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if host is not None and not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"compat: only loopback is reachable ({host})")
    return _getaddrinfo(host, *args, **kwargs)


def _check(sock: socket.socket, address: object) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        if not _is_loopback(address[0]):
            raise OSError(errno.ENETUNREACH, f"compat: only loopback is reachable ({address[0]})")


def connect(self, address):  # type: ignore[no-untyped-def]
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):  # type: ignore[no-untyped-def]
    _check(self, address)
    return _connect_ex(self, address)


socket.getaddrinfo = getaddrinfo
socket.socket.connect = connect  # type: ignore[method-assign]
socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
