"""
What happened on the wire for one request: :class:`ConnectionInfo`, ``Response.connection_info``.

People measure connection reuse with this client, so each response says which connection carried
it, whether that connection was new, and where the time went (as curl's ``-w`` timings do).

Cost is the point of the design. A connection records its setup once, when it is opened
(:class:`ConnectionSetup`: addresses, TLS parameters and the DNS/connect/TLS durations). Per
request only a few ``time.perf_counter()`` readings are stored on objects that exist anyway;
the :class:`ConnectionInfo` itself is built only when somebody asks for it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import ssl
    from typing import TypeAlias

    #: A socket address as ``getpeername()`` gives it: ``(host, port)``, IPv6's 4-tuple, or a
    #: path (a Unix socket); None when the backend does not say.
    Address: TypeAlias = tuple[str, int] | tuple[str, int, int, int] | str | None

__all__ = ["ConnectionInfo", "ConnectionSetup", "next_connection_id", "tls_facts"]

#: Connection ids, unique in the process (``next`` on a count is atomic in CPython).
next_connection_id = itertools.count(1).__next__


class ConnectionSetup(NamedTuple):
    """How one connection was opened; shared by every request it carries.

    Durations are seconds; ``None`` when the step did not happen or could not be seen (a
    custom backend resolves and connects in one call, so its ``dns`` is None and ``connect``
    covers both). A named tuple rather than a frozen dataclass: one is made per connection,
    and a tuple is built in a third of the time.
    """

    id: int
    dns: float | None
    connect: float
    tls_handshake: float | None
    local_address: Address
    peer_address: Address
    tls_version: str | None = None
    tls_cipher: str | None = None
    alpn_protocol: str | None = None
    tls_session_resumed: bool | None = None
    proxy: str | None = None
    tunnel: bool = False


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    """The connection facts of one request, as ``response.connection_info``.

    Identity: ``connection_id`` (unique in the process), ``reused`` (taken from the pool's idle
    connections rather than opened for this request) and ``request_number`` (1 for the first
    request on the connection). ``replaced`` is the id of a reused connection that died before
    answering, when the request was transparently retried on this one (else None).

    Time, in seconds. ``dns``, ``connect`` and ``tls_handshake`` are how long each step of
    opening the connection took (None on a reused connection). ``request_sent``, ``first_byte``
    and ``complete`` are counted from the moment the request reached the pool, like curl's
    ``time_pretransfer``/``time_starttransfer``/``time_total``, so ``first_byte -
    request_sent`` is the server's time to first byte. ``complete`` is None while a streamed
    body is still unread; ask again after reading it.

    Where: ``local_address`` and ``peer_address`` (the proxy's address when going through
    one); ``proxy`` (the proxy URL without credentials, or None) and ``tunnel`` (a ``CONNECT``
    tunnel or a SOCKS hop carries the request). TLS: ``tls_version`` (``"TLSv1.3"``), ``tls_cipher``,
    ``alpn_protocol`` and ``tls_session_resumed`` (the handshake resumed an earlier session
    instead of a full exchange); all None over plain http.
    """

    connection_id: int
    reused: bool
    request_number: int
    dns: float | None
    connect: float | None
    tls_handshake: float | None
    request_sent: float
    first_byte: float
    complete: float | None
    local_address: Address
    peer_address: Address
    tls_version: str | None
    tls_cipher: str | None
    alpn_protocol: str | None
    tls_session_resumed: bool | None
    proxy: str | None
    tunnel: bool
    replaced: int | None

    @classmethod
    def build(
        cls,
        setup: ConnectionSetup,
        reused: bool,
        number: int,
        replaced: int | None,
        started: float,
        sent: float,
        head: float,
        done: float | None,
    ) -> ConnectionInfo:
        """Assemble the facts from a connection's setup and one request's clock readings."""
        return cls(
            setup.id,
            reused,
            number,
            None if reused else setup.dns,
            None if reused else setup.connect,
            None if reused else setup.tls_handshake,
            sent - started,
            head - started,
            None if done is None else done - started,
            setup.local_address,
            setup.peer_address,
            setup.tls_version,
            setup.tls_cipher,
            setup.alpn_protocol,
            setup.tls_session_resumed,
            setup.proxy,
            setup.tunnel,
            replaced,
        )


def tls_facts(
    ssl_object: ssl.SSLObject | ssl.SSLSocket | None,
) -> tuple[str | None, str | None, str | None, bool | None]:
    """``(version, cipher, alpn, session_resumed)`` of a finished handshake (Nones if no TLS)."""
    if ssl_object is None:
        return None, None, None, None
    cipher = ssl_object.cipher()
    return (
        ssl_object.version(),
        cipher[0] if cipher else None,
        ssl_object.selected_alpn_protocol(),
        bool(ssl_object.session_reused),
    )
