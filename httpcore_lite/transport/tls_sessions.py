"""
TLS session resumption: a new connection offers the session of an earlier one to the same pool.

A full TLS handshake costs a key exchange and a certificate-chain verification on both sides
(about a millisecond of CPU on loopback); resuming a session skips both. Servers that close
connections often (a keep-alive limit, a load balancer's idle timeout, ``Connection: close``)
make every new connection pay the full price unless the client offers what it was given.

Rules:

* One cache per :class:`~.pool.ConnectionPool`, and a pool's key holds the origin, the
  verification and client-certificate settings and the proxy. A session is therefore never
  offered to another host, to a connection with other verification settings, or through
  another proxy. That matters: a resumed handshake sends no certificate, so OpenSSL checks
  neither the chain nor the hostname again. The session carries the checks of the connection
  that made it, which is why it must stay with connections that would have made the same ones.
* A session is offered only with the ``SSLContext`` that made it (``ssl`` refuses others; a
  context rebuilt after its CA bundle changed starts without sessions).
* Memory only, at most :data:`MAX_SESSIONS` per pool, dropped when the pool closes.
* TLS 1.3 servers send their tickets *after* the handshake, so a connection's session is taken
  when its first response has been read (by then OpenSSL has processed the tickets).
"""

from __future__ import annotations

import inspect
import ssl
import threading
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .backends.base import NetworkStream

__all__ = ["SessionCache", "MAX_SESSIONS", "accepts_session"]

#: Sessions kept per pool. Concurrent fresh connections each leave one; a few suffice.
MAX_SESSIONS = 8


_accepts: dict[type, bool] = {}


def accepts_session(stream: NetworkStream) -> bool:
    """Whether ``stream.start_tls`` takes a ``session`` (a backend written before resumption
    existed may not: its connections then simply make full handshakes)."""
    kind = type(stream)
    known = _accepts.get(kind)
    if known is None:
        try:
            parameters = inspect.signature(kind.start_tls).parameters
        except (TypeError, ValueError):
            parameters = {}  # type: ignore[assignment]
        known = _accepts[kind] = "session" in parameters or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
        )
    return known


class SessionCache:
    """The TLS sessions of one pool, newest last.

    An entry holds a session, or the stream of a live connection whose session has not been
    read yet. Reading one (``SSLSocket.session``) copies it through its serialised form,
    certificate chain included: about 0.2 ms of CPU, a fifth of a full handshake. So a
    connection's session is read only when the connection ends while its pool lives on (it is
    closed, or found dead) -- the moment a later connection may need it -- and never for a
    pool that closes with its connections, as a one-shot ``get`` does. It is read by the thread
    that ends the connection, never while another thread may be using the connection's TLS
    object, which is why a session still held by a live connection is not offered.
    """

    __slots__ = ("_entries", "_lock")

    def __init__(self) -> None:
        self._entries: deque[tuple[ssl.SSLContext, ssl.SSLSession | NetworkStream]] = deque(
            maxlen=MAX_SESSIONS
        )
        self._lock = threading.Lock()

    def take(self, context: ssl.SSLContext) -> ssl.SSLSession | None:
        """A session to offer for a new connection, or None.

        The newest matching session is handed out; it stays cached only when it is the last
        one (a client should not reuse a TLS 1.3 ticket when it has another, RFC 8446 C.4).
        """
        with self._lock:
            entries = self._entries
            found = None
            sessions = 0
            for index in range(len(entries) - 1, -1, -1):
                entry = entries[index]
                if type(entry[1]) is ssl.SSLSession:
                    sessions += 1
                    if found is None and entry[0] is context:
                        found = index
            if found is None:
                return None
            session = entries[found][1]
            if sessions > 1:
                del entries[found]
            return session  # type: ignore[return-value]  # an SSLSession: checked above

    def save(self, stream: NetworkStream) -> None:
        """Remember ``stream``'s TLS connection: its session is read when it ends (see
        :meth:`keep`), if the pool still wants it then."""
        ssl_object = stream.get_extra_info("ssl_object")
        if ssl_object is None:
            return
        try:
            context = ssl_object.context
        except (AttributeError, ValueError):
            return
        with self._lock:
            self._entries.append((context, stream))

    def keep(self, stream: NetworkStream) -> None:
        """``stream``'s connection is about to close: read its session now (if it was saved
        and is resumable). Free for a stream the cache does not hold."""
        with self._lock:
            entries = self._entries
            for entry in entries:
                if entry[1] is stream:
                    entries.remove(entry)
                    break
            else:
                return
        context = entry[0]
        ssl_object = stream.get_extra_info("ssl_object")
        try:
            session = ssl_object.session
        except (AttributeError, ValueError, ssl.SSLError):
            return
        if session is None or not (session.has_ticket or session.id):
            return
        with self._lock:
            entries = self._entries
            for entry in entries:
                if entry[1] == session:
                    return  # a resumed connection may hand back the session it was given
            entries.append((context, session))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
