"""
SOCKS proxies: one handshake on a fresh stream to the proxy, then the stream is the origin's.

``socks5://`` and ``socks4://`` resolve the origin's name here and send the proxy an address;
``socks5h://`` and ``socks4a://`` send the name and let the proxy resolve it (the only choice
when the name only exists on the proxy's side, as with Tor's ``.onion`` names). Credentials in
the proxy URL are a SOCKS5 username/password (RFC 1929) or a SOCKS4 user ID; they go to the
proxy only, never to the origin.

The bytes are decided by the sans-IO clients of :mod:`httpcore_lite.protocol.socks`; this module
moves them over any :class:`~.backends.NetworkStream`, so a SOCKS hop works with every backend
and is followed by TLS for ``https://`` exactly like a ``CONNECT`` tunnel. Every wait is bounded
by the connect timeout (and so by ``Timeout(total=)``): a proxy that stalls raises
:class:`ConnectTimeout`, one that hangs up or refuses raises :class:`ProxyError`.
"""

from __future__ import annotations

import ipaddress
import socket

from ..exceptions import ConnectionError, ConnectTimeout, NewConnectionError, ProxyError, Timeout
from ..protocol.socks import (
    USERNAME_PASSWORD,
    MethodSelected,
    SOCKS4Client,
    SOCKS5Client,
    SOCKSEvent,
)
from .backends.base import NetworkStream
from .backends.tcp import idna_hostname
from .proxy import ProxyURL
from .timeout import Deadline

__all__ = ["SOCKS_SCHEMES", "open_socks"]

#: Proxy URL schemes handled here, and whether the proxy resolves the origin's name.
SOCKS_SCHEMES = {"socks4": False, "socks4a": True, "socks5": False, "socks5h": True}

#: A handshake reply is at most 262 bytes (SOCKS5 with a 255-byte name); read little at a time
#: so no byte of the origin's is ever taken with it.
_READ_SIZE = 512


def open_socks(
    stream: NetworkStream, proxy: ProxyURL, host: str, port: int, clock: Deadline
) -> NetworkStream:
    """Ask the SOCKS proxy on ``stream`` for a stream to ``host``:``port``; return the stream.

    The stream is closed on any failure.
    """
    try:
        if proxy.scheme.startswith("socks5"):
            _socks5(stream, proxy, host, port, clock)
        else:
            _socks4(stream, proxy, host, port, clock)
    except Timeout as exc:
        stream.close()
        raise ConnectTimeout(
            f"SOCKS proxy {proxy.host}:{proxy.port} did not answer in time "
            f"(connecting to {host}:{port})"
        ) from exc
    except ConnectionError as exc:
        stream.close()
        if isinstance(exc, (ProxyError, NewConnectionError)):
            raise
        raise ProxyError(f"SOCKS proxy {proxy.host}:{proxy.port} connection failed: {exc}") from exc
    except BaseException:
        stream.close()
        raise
    return stream


def _socks5(stream: NetworkStream, proxy: ProxyURL, host: str, port: int, clock: Deadline) -> None:
    proto = SOCKS5Client(proxy.username, proxy.password)
    selected = _exchange(stream, proto, proto.greeting(), clock)
    if isinstance(selected, MethodSelected) and selected.method == USERNAME_PASSWORD:
        _exchange(stream, proto, proto.auth_request(), clock)
    address = _address(host, port, SOCKS_SCHEMES[proxy.scheme], socket.AF_UNSPEC)
    _exchange(stream, proto, proto.connect_request(address, port), clock)
    if proto.trailing_data:
        raise ProxyError("SOCKS proxy sent unexpected data after opening the connection")


def _socks4(stream: NetworkStream, proxy: ProxyURL, host: str, port: int, clock: Deadline) -> None:
    proto = SOCKS4Client(proxy.username)
    address = _address(host, port, SOCKS_SCHEMES[proxy.scheme], socket.AF_INET)
    _exchange(stream, proto, proto.connect_request(address, port), clock)
    if proto.trailing_data:
        raise ProxyError("SOCKS proxy sent unexpected data after opening the connection")


def _exchange(
    stream: NetworkStream, proto: SOCKS4Client | SOCKS5Client, request: bytes, clock: Deadline
) -> SOCKSEvent:
    """Write ``request``; read until the client has the proxy's whole reply."""
    stream.write(request, clock.connect_timeout())
    while True:
        event = proto.receive_data(stream.read(_READ_SIZE, clock.connect_timeout()))
        if event is not None:
            return event


def _address(host: str, port: int, remote: bool, family: int) -> str:
    """What the connect request names: the host itself when the proxy resolves it (IDNA-encoded),
    else the first address the local resolver gives (IPv4 only for SOCKS4)."""
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    name = idna_hostname(host) or host
    if remote or _is_ip(name):
        return name
    try:
        infos = socket.getaddrinfo(name, port, family, socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise NewConnectionError(
            f"Failed to resolve {host!r} for the SOCKS proxy (use socks5h:// or socks4a:// "
            f"to let the proxy resolve it): {exc}"
        ) from exc
    return str(infos[0][4][0])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
