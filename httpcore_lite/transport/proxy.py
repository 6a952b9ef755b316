"""
Proxies: forward proxying for ``http://`` and ``CONNECT`` tunnels for ``https://``.

(SOCKS proxies share the URL parsing here; their handshake is :mod:`.socks`.)

An ``http://`` request goes to the proxy with an absolute-form target
(``GET http://example.org/ HTTP/1.1``) and the proxy's credentials in ``Proxy-Authorization``.
An ``https://`` request first opens a tunnel with ``CONNECT host:port`` (the only message that
carries ``Proxy-Authorization``), then runs TLS with the origin *through* the tunnel, so the
proxy sees neither the request nor the origin's answer, and the origin never sees the proxy's
credentials.

The ``CONNECT`` exchange is spoken by the same sans-IO core as every other request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from ..exceptions import (
    ConnectTimeout,
    InvalidProxyURL,
    ProxyError,
    RequestException,
    Timeout,
)
from ..protocol import ClientConnection, ResponseComplete
from ..structures import CaseInsensitiveDict
from .backends.base import READ_BUFFER_SIZE, NetworkStream
from .timeout import Deadline

__all__ = ["ProxyURL", "parse_proxy_url", "open_tunnel", "basic_proxy_auth", "with_default_scheme"]

_FORBIDDEN = frozenset("\r\n\x00\t ")

#: Proxy schemes and their default ports. SOCKS proxies are handled by :mod:`.socks`.
_DEFAULT_PORTS = {
    "http": 80,
    "https": 443,
    "socks4": 1080,
    "socks4a": 1080,
    "socks5": 1080,
    "socks5h": 1080,
}


class ProxyURL(NamedTuple):
    """A parsed, validated proxy URL."""

    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None
    url: str


def parse_proxy_url(proxy: str) -> ProxyURL:
    """Validate and split a proxy URL (``http://user:pass@host:port``).

    Control characters or whitespace anywhere in it are refused: a CR/LF smuggled into a proxy
    URL would otherwise end up in a request head. A missing scheme means ``http``.
    """
    if not isinstance(proxy, str):
        proxy = str(proxy)
    if any(ch in _FORBIDDEN for ch in proxy):
        raise InvalidProxyURL(f"Proxy URL contains control characters or whitespace: {proxy!r}")
    proxy = with_default_scheme(proxy)
    try:
        parts = urlsplit(proxy)
        port = parts.port
    except ValueError as exc:
        raise InvalidProxyURL(f"Invalid proxy URL {proxy!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidProxyURL(f"Unsupported proxy scheme {scheme!r} in {proxy!r}")
    host = parts.hostname
    if not host:
        raise InvalidProxyURL(
            "Please check proxy URL. It is malformed and could be missing the host."
        )
    if port is None:
        port = _DEFAULT_PORTS[scheme]
    username = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return ProxyURL(scheme, host, port, username, password, proxy)


# A scheme, then one slash: "http:/proxy:3128" names a scheme but no host.
_SCHEME_WITHOUT_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/(?!/)")


def with_default_scheme(proxy: str) -> str:
    """``proxy`` with ``http://`` in front when it names no scheme (``proxy:3128``).

    A URL that has a scheme but lost a slash (``http:/proxy:3128``) is left as it is, to be
    refused for its missing host, never read as the host ``http``.
    """
    if "://" in proxy or _SCHEME_WITHOUT_HOST.match(proxy):
        return proxy
    return "http://" + proxy


def basic_proxy_auth(username: str, password: str | None) -> str:
    """The ``Proxy-Authorization`` value for Basic credentials."""
    from ..auth import basic_auth_value

    return basic_auth_value(username, password or "")


class _ConnectRequest:
    """The minimal prepared request the core needs to write ``CONNECT host:port``."""

    __slots__ = ("method", "url", "headers", "body")

    def __init__(self, host: str, port: int, headers: Mapping[str, str]) -> None:
        self.method = "CONNECT"
        authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.url = f"http://{authority}/"
        self.headers = CaseInsensitiveDict(headers)
        if "Host" not in self.headers:
            self.headers["Host"] = authority
        self.body = None


def open_tunnel(
    stream: NetworkStream,
    host: str,
    port: int,
    headers: Mapping[str, str],
    clock: Deadline,
) -> NetworkStream:
    """Ask the proxy on ``stream`` for a tunnel to ``host``:``port``; return the stream.

    ``headers`` go on the ``CONNECT`` only (``Proxy-Authorization`` among them). A non-2xx
    answer (407 included) raises :class:`ProxyError` and closes the stream.
    """
    request = _ConnectRequest(host, port, headers)
    proto = ClientConnection(buffer_body=False)
    target = request.headers["Host"]
    try:
        stream.write(proto.send_request(request, target=target), clock.connect_timeout())
        started = None
        done = False
        while not done:
            data = stream.read(READ_BUFFER_SIZE, clock.connect_timeout())
            for event in proto.receive_data(data):
                if started is None:
                    started = event
                if type(event) is ResponseComplete:
                    done = True
                    break
            if started is not None and not 200 <= started.status_code < 300:  # type: ignore[union-attr]
                break
    except Timeout as exc:
        stream.close()
        raise ConnectTimeout(f"Tunnel to {target} through the proxy timed out") from exc
    except RequestException as exc:
        stream.close()
        raise ProxyError(f"Unable to connect to proxy: tunnel to {target} failed: {exc}") from exc
    status = started.status_code  # type: ignore[union-attr]
    if not 200 <= status < 300:
        stream.close()
        reason = started.reason  # type: ignore[union-attr]
        raise ProxyError(
            f"Unable to connect to proxy: tunnel to {target} refused: {status} {reason}"
        )
    if proto.trailing_data:
        stream.close()
        raise ProxyError(f"Proxy sent unexpected data after opening the tunnel to {target}")
    return stream
