"""
The network backend interface: the only place the transport touches the network.

The pool asks a :class:`NetworkBackend` for streams and then speaks to each
:class:`NetworkStream` through five blocking calls. Everything above (HTTP framing, pooling,
retries) is backend-agnostic, so a user can route the whole client through a Unix socket, an
in-memory server, a custom tunnel or an instrumented socket by passing one object to
``HTTPAdapter(backend=...)``.

Contract every implementation keeps:

* Timeouts are seconds (``None`` = wait forever) per call, not per stream.
* Errors are the project's own: :class:`~httpcore_lite.exceptions.NewConnectionError` or
  :class:`~httpcore_lite.exceptions.ConnectTimeout` when opening fails (nothing was sent),
  :class:`~httpcore_lite.exceptions.ReadTimeout` when a read or write waits too long,
  :class:`~httpcore_lite.exceptions.ConnectionError` for resets and broken pipes, and
  :class:`~httpcore_lite.exceptions.SSLError` for TLS failures, each raised ``from`` the
  original error.
* ``read`` returns ``b""`` only at end of stream.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any, Union

__all__ = ["READ_BUFFER_SIZE", "NetworkBackend", "NetworkStream", "SocketOption"]

#: The most one read asks a stream for; also the most the transport feeds the parser at once.
#: Part of the interface, so every backend and every reader above it agree on one size.
READ_BUFFER_SIZE = 65536

#: ``(level, option, value)`` as passed to ``socket.setsockopt``.
SocketOption = tuple[int, int, Union[int, bytes]]


class NetworkStream:
    """One bidirectional byte stream (a TCP or Unix socket, a TLS session, a memory pipe)."""

    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        """Return up to ``max_bytes`` bytes, waiting at most ``timeout`` seconds for the first.

        ``b""`` means the peer closed its side.
        """
        raise NotImplementedError

    def write(self, data: bytes, timeout: float | None) -> None:
        """Send all of ``data``; ``timeout`` bounds each wait for buffer space."""
        raise NotImplementedError

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        timeout: float | None,
        session: ssl.SSLSession | None = None,
    ) -> NetworkStream:
        """Run a TLS handshake over this stream and return the encrypted stream.

        ``server_hostname`` is used for SNI and certificate matching. ``session`` is an earlier
        connection's TLS session to offer for resumption (the pool passes one only to streams
        whose ``ssl_object`` gave it one); a stream that cannot resume ignores it. After this
        call the original stream must not be used directly any more.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the stream. Closing twice is harmless."""
        raise NotImplementedError

    def is_readable(self) -> bool:
        """Return True if the stream has something to read (or hit end of stream) right now.

        The pool asks this of an *idle* connection before reusing it: an idle HTTP connection
        has nothing to say, so readable means the server closed it or sent garbage, and the
        connection must be discarded. Must not block.
        """
        raise NotImplementedError

    def get_extra_info(self, name: str) -> Any:
        """Optional details: ``"socket"``, ``"ssl_object"``, ``"peername"``, ``"sockname"``,
        ``"server_hostname"``, ``"is_tls"``, ``"dns_time"`` (seconds the name lookup took, when
        the backend resolved the name itself). Unknown names give None."""
        return None


class NetworkBackend:
    """A factory of :class:`NetworkStream` objects.

    Subclass it and override what you need; the default implementations raise
    ``NotImplementedError``. Backends are shared by every connection of an adapter (and across
    threads), so they should keep no per-connection state.
    """

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> NetworkStream:
        """Open a stream to ``host``:``port``; ``timeout`` bounds each connection attempt."""
        raise NotImplementedError

    def connect_unix(self, path: str, timeout: float | None = None) -> NetworkStream:
        """Open a stream to the Unix domain socket at ``path``."""
        raise NotImplementedError
