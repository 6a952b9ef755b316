"""
TLS over any :class:`NetworkStream`, with ``ssl.SSLObject`` and memory BIOs.

``ssl.SSLSocket`` can only encrypt a real socket once. A second layer is needed for ``https://``
through an ``https://`` proxy (TLS to the origin inside the TLS session with the proxy), and a
user backend whose streams are not sockets may want real TLS too. This stream runs the TLS state
machine in memory and moves its records over the inner stream, so it works on top of anything
that implements :class:`NetworkStream`.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any, TypeVar

from ...exceptions import ConnectTimeout, ReadTimeout, SSLError
from .base import NetworkStream

__all__ = ["TLSStream"]

_T = TypeVar("_T")

#: Bytes of TLS records read from the inner stream at a time.
_RECORD_READ = 65536


class TLSStream(NetworkStream):
    """A TLS session carried over another :class:`NetworkStream`."""

    def __init__(
        self,
        inner: NetworkStream,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        session: ssl.SSLSession | None = None,
    ) -> None:
        self._inner = inner
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = ssl_context.wrap_bio(
            self._incoming,
            self._outgoing,
            server_side=False,
            server_hostname=server_hostname,
            session=session,
        )
        self._server_hostname = server_hostname
        self._closed = False

    def _run(self, operation: Callable[..., _T], timeout: float | None, *args: object) -> _T:
        """Call ``operation`` until it no longer needs records from (or for) the peer."""
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._flush(timeout)
                data = self._inner.read(_RECORD_READ, timeout)
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()
                continue
            self._flush(timeout)
            return result

    def _flush(self, timeout: float | None) -> None:
        pending = self._outgoing.read()
        if pending:
            self._inner.write(pending, timeout)

    def handshake(self, timeout: float | None) -> TLSStream:
        """Run the handshake; errors as the backends map them (timeouts are connect timeouts)."""
        try:
            self._run(self._tls.do_handshake, timeout)
        except ReadTimeout as exc:
            self._inner.close()
            raise ConnectTimeout(f"TLS handshake timed out. (connect timeout={timeout})") from exc
        except (ssl.SSLError, ssl.CertificateError) as exc:
            self._inner.close()
            raise SSLError(exc) from exc
        except BaseException:
            self._inner.close()
            raise
        return self

    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        try:
            return self._run(self._tls.read, timeout, max_bytes)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            return b""  # close_notify, or a peer that just closed (a ragged EOF)
        except ssl.SSLError as exc:
            raise SSLError(exc) from exc

    def write(self, data: bytes, timeout: float | None) -> None:
        view = memoryview(data)
        try:
            while view:
                written = self._run(self._tls.write, timeout, view)
                view = view[written:]
        except ssl.SSLError as exc:
            raise SSLError(exc) from exc

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        timeout: float | None,
        session: ssl.SSLSession | None = None,
    ) -> NetworkStream:
        return TLSStream(self, ssl_context, server_hostname, session).handshake(timeout)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._inner.close()

    def is_readable(self) -> bool:
        return self._closed or bool(self._tls.pending()) or self._inner.is_readable()

    def get_extra_info(self, name: str) -> Any:
        if name == "ssl_object":
            return self._tls
        if name == "is_tls":
            return True
        if name == "server_hostname":
            return self._server_hostname
        return self._inner.get_extra_info(name)
