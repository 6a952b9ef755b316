"""
SOCKS4, SOCKS4a and SOCKS5 client handshakes, sans-IO.

A SOCKS proxy is asked once, at the start of a connection, to open a TCP stream to the origin;
after its success reply the same socket carries the origin's bytes (and TLS, for ``https://``).
This module decides every byte of that exchange and checks every byte of the proxy's answers.
It does no I/O and reads no clock: :mod:`httpcore_lite.transport.socks` moves the bytes.

Each client is a small state machine. The caller writes what a ``*_request()`` method returns,
then feeds what it reads to :meth:`receive_data` until that returns an event instead of None::

    SOCKS5:  greeting() -> MethodSelected [-> auth_request() -> Authenticated]
             -> connect_request() -> Connected
    SOCKS4:  connect_request() -> Connected

The name of the origin is given to ``connect_request``, after the greeting: a client that
resolves names itself (``socks5://``) asks the resolver only once the proxy has answered, which
is when PySocks does it too. A proxy that refuses (a failure code, a rejected password, no
acceptable method) raises :class:`~httpcore_lite.exceptions.ProxyError` naming the reason; a
reply that is not SOCKS at all raises :class:`ProxyError` saying so. Wrong use by the caller
(a request out of order) is a ``RuntimeError``.

Specifications: SOCKS4 and SOCKS4a (NEC, "SOCKS: A protocol for TCP proxy across firewalls"),
SOCKS5 (RFC 1928), username/password authentication (RFC 1929).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ..exceptions import InvalidURL, ProxyError

__all__ = [
    "Authenticated",
    "Connected",
    "MethodSelected",
    "SOCKS4Client",
    "SOCKS5Client",
    "SOCKSEvent",
    "NO_AUTH",
    "USERNAME_PASSWORD",
]

#: SOCKS5 authentication methods (RFC 1928, section 3).
NO_AUTH = 0x00
USERNAME_PASSWORD = 0x02
_NO_ACCEPTABLE = 0xFF

_CONNECT = 0x01
_ATYP_IPV4 = 0x01
_ATYP_DOMAIN = 0x03
_ATYP_IPV6 = 0x04

#: SOCKS5 reply codes (RFC 1928, section 6).
SOCKS5_REPLIES = {
    0x01: "general SOCKS server failure",
    0x02: "connection not allowed by ruleset",
    0x03: "network unreachable",
    0x04: "host unreachable",
    0x05: "connection refused",
    0x06: "TTL expired",
    0x07: "command not supported",
    0x08: "address type not supported",
}

#: SOCKS4 reply codes.
SOCKS4_REPLIES = {
    0x5B: "request rejected or failed",
    0x5C: "request rejected: the proxy cannot reach the client's identd",
    0x5D: "request rejected: identd reports a different user ID",
}
_SOCKS4_GRANTED = 0x5A


@dataclass(frozen=True, slots=True)
class MethodSelected:
    """The SOCKS5 proxy chose an authentication method (:data:`NO_AUTH` or
    :data:`USERNAME_PASSWORD`, always one that was offered)."""

    method: int


@dataclass(frozen=True, slots=True)
class Authenticated:
    """The SOCKS5 proxy accepted the username and password."""


@dataclass(frozen=True, slots=True)
class Connected:
    """The proxy opened the stream; what follows on the socket is the origin's.

    ``bound_host``/``bound_port`` are the proxy's outgoing address as it reports it (often
    zeros), kept for diagnostics only.
    """

    bound_host: str
    bound_port: int


#: What :meth:`SOCKS5Client.receive_data` returns once a whole reply arrived.
SOCKSEvent = MethodSelected | Authenticated | Connected


def _malformed(what: str, data: bytes | bytearray) -> ProxyError:
    return ProxyError(f"Malformed reply from the SOCKS proxy ({what}): {bytes(data[:32])!r}")


def _port_bytes(port: int) -> bytes:
    if not 0 < port < 65536:
        raise InvalidURL(f"Invalid port {port} for a SOCKS request")
    return port.to_bytes(2, "big")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class _Client:
    """What both versions share: the receive buffer and the expected-state check."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._state = "idle"

    def _expect(self, state: str, action: str) -> None:
        if self._state != state:
            raise RuntimeError(f"Cannot {action} in SOCKS handshake state {self._state!r}")

    @property
    def done(self) -> bool:
        """The proxy answered the connect request with success."""
        return self._state == "done"

    @property
    def trailing_data(self) -> bytes:
        """Bytes that arrived after the success reply (the origin spoke first)."""
        return bytes(self._buffer) if self._state == "done" else b""


class SOCKS5Client(_Client):
    """One SOCKS5 handshake, with optional username/password authentication (RFC 1929).

    ``username``/``password`` are offered only when given; both are at most 255 bytes in UTF-8.
    """

    def __init__(self, username: str | None = None, password: str | None = None) -> None:
        super().__init__()
        self._credentials: tuple[bytes, bytes] | None = None
        if username is not None:
            user = username.encode("utf-8")
            secret = (password or "").encode("utf-8")
            if not 0 < len(user) < 256 or len(secret) > 255:
                raise InvalidURL("SOCKS5 username and password must be 1-255 bytes each")
            self._credentials = (user, secret)

    def greeting(self) -> bytes:
        """The methods we accept: no authentication, plus username/password when we have one."""
        self._expect("idle", "send the greeting")
        self._state = "method"
        if self._credentials is not None:
            return bytes((5, 2, NO_AUTH, USERNAME_PASSWORD))
        return bytes((5, 1, NO_AUTH))

    def auth_request(self) -> bytes:
        """The username/password sub-negotiation (after ``MethodSelected(USERNAME_PASSWORD)``)."""
        self._expect("auth-ready", "send credentials")
        assert self._credentials is not None  # only selectable when offered
        user, secret = self._credentials
        self._state = "auth"
        return bytes((1, len(user))) + user + bytes((len(secret),)) + secret

    def connect_request(self, host: str, port: int) -> bytes:
        """Ask for a stream to ``host``:``port``: an IP literal, or a name the proxy resolves."""
        self._expect("ready", "send the connect request")
        ip = _ip(host)
        if ip is None:
            name = host.encode("ascii")  # callers pass IDNA-encoded names
            if not 0 < len(name) < 256:
                raise InvalidURL(f"Host name too long for a SOCKS5 request: {host!r}")
            address = bytes((_ATYP_DOMAIN, len(name))) + name
        elif ip.version == 4:
            address = bytes((_ATYP_IPV4,)) + ip.packed
        else:
            address = bytes((_ATYP_IPV6,)) + ip.packed
        request = bytes((5, _CONNECT, 0)) + address + _port_bytes(port)
        self._state = "reply"
        return request

    def receive_data(self, data: bytes) -> SOCKSEvent | None:
        """Feed bytes from the proxy; an event once a whole reply arrived, else None.

        Empty ``data`` means the proxy closed the connection, which is an error in every state.
        """
        state = self._state
        if state not in ("method", "auth", "reply"):
            raise RuntimeError(f"No SOCKS reply expected in state {state!r}")
        if not data:
            raise ProxyError(_CLOSED[state])
        buf = self._buffer
        buf += data
        if state == "method":
            if len(buf) < 2:
                return None
            if buf[0] != 5:
                raise _malformed("not a SOCKS5 method selection", buf)
            method = buf[1]
            if method == _NO_ACCEPTABLE:
                raise ProxyError(
                    "SOCKS5 proxy accepted none of the offered authentication methods"
                    + (" (it may require a username and password)" if not self._credentials else "")
                )
            if method == USERNAME_PASSWORD and self._credentials is not None:
                self._state = "auth-ready"
            elif method == NO_AUTH:
                self._state = "ready"
            else:
                raise _malformed(f"method {method:#04x} was not offered", buf)
            del buf[:2]
            self._check_drained()
            return MethodSelected(method)
        if state == "auth":
            if len(buf) < 2:
                return None
            if buf[0] != 1:
                raise _malformed("not a username/password reply", buf)
            if buf[1] != 0:
                raise ProxyError("SOCKS5 proxy rejected the username and password")
            del buf[:2]
            self._check_drained()
            self._state = "ready"
            return Authenticated()
        # state == "reply": VER REP RSV ATYP ADDR PORT
        if len(buf) < 5:
            return None
        if buf[0] != 5:
            raise _malformed("not a SOCKS5 reply", buf)
        code = buf[1]
        if code != 0:
            meaning = SOCKS5_REPLIES.get(code, "unassigned reply code")
            raise ProxyError(f"SOCKS5 proxy could not connect: {meaning} (reply code {code:#04x})")
        atyp = buf[3]
        if atyp == _ATYP_IPV4:
            size = 4 + 4 + 2
        elif atyp == _ATYP_IPV6:
            size = 4 + 16 + 2
        elif atyp == _ATYP_DOMAIN:
            size = 4 + 1 + buf[4] + 2
        else:
            raise _malformed(f"unknown address type {atyp:#04x}", buf)
        if len(buf) < size:
            return None
        raw = bytes(buf[4 : size - 2])
        if atyp == _ATYP_DOMAIN:
            bound = raw[1:].decode("ascii", "replace")
        else:
            bound = str(ipaddress.ip_address(raw))
        port = int.from_bytes(buf[size - 2 : size], "big")
        del buf[:size]
        self._state = "done"
        return Connected(bound, port)

    def _check_drained(self) -> None:
        # Nothing may follow a negotiation reply: the proxy waits for our next message.
        if self._buffer:
            raise _malformed("unexpected bytes after a negotiation reply", self._buffer)


_CLOSED = {
    "method": "SOCKS proxy closed the connection before choosing an authentication method",
    "auth": "SOCKS5 proxy closed the connection during authentication "
    "(it may have rejected the username and password)",
    "reply": "SOCKS proxy closed the connection before answering the connect request",
}


class SOCKS4Client(_Client):
    """One SOCKS4 (IPv4 address) or SOCKS4a (name resolved by the proxy) handshake.

    ``user_id`` is sent as the request's USERID field (the proxy URL's username).
    """

    def __init__(self, user_id: str | None = None) -> None:
        super().__init__()
        self._user_id = (user_id or "").encode("utf-8")
        if b"\x00" in self._user_id or len(self._user_id) > 255:
            raise InvalidURL("SOCKS4 user ID must be at most 255 bytes, without NUL")
        self._state = "ready"

    def connect_request(self, host: str, port: int) -> bytes:
        """Ask for a stream to ``host``:``port``: an IPv4 literal (SOCKS4), or a name (4a)."""
        self._expect("ready", "send the connect request")
        ip = _ip(host)
        if ip is not None and ip.version != 4:
            raise ProxyError(f"SOCKS4 cannot reach IPv6 address {host}; use socks5:// instead")
        head = bytes((4, _CONNECT)) + _port_bytes(port)
        if ip is not None:
            request = head + ip.packed + self._user_id + b"\x00"
        else:
            name = host.encode("ascii")
            if not name or len(name) > 255 or b"\x00" in name:
                raise InvalidURL(f"Invalid host name for a SOCKS4a request: {host!r}")
            # 0.0.0.x (x != 0) tells the proxy that a name follows the user ID.
            request = head + b"\x00\x00\x00\x01" + self._user_id + b"\x00" + name + b"\x00"
        self._state = "reply"
        return request

    def receive_data(self, data: bytes) -> Connected | None:
        """Feed bytes from the proxy; :class:`Connected` once the 8-byte reply arrived."""
        if self._state != "reply":
            raise RuntimeError(f"No SOCKS reply expected in state {self._state!r}")
        if not data:
            raise ProxyError(_CLOSED["reply"])
        buf = self._buffer
        buf += data
        if len(buf) < 8:
            return None
        if buf[0] != 0:
            raise _malformed("not a SOCKS4 reply", buf)
        code = buf[1]
        if code != _SOCKS4_GRANTED:
            meaning = SOCKS4_REPLIES.get(code)
            if meaning is None:
                raise _malformed(f"unknown SOCKS4 reply code {code:#04x}", buf)
            raise ProxyError(f"SOCKS4 proxy could not connect: {meaning} (reply code {code:#04x})")
        port = int.from_bytes(buf[2:4], "big")
        bound = str(ipaddress.IPv4Address(bytes(buf[4:8])))
        del buf[:8]
        self._state = "done"
        return Connected(bound, port)
