"""
An in-memory backend: a whole HTTP exchange with no socket, for testing code that uses the client.

Two ways to play the server::

    # canned bytes (one response for every request, or a list answered in order) or a function
    # from the raw request bytes to the raw response bytes:
    adapter = HTTPAdapter(backend=MemoryBackend(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"))
    adapter = HTTPAdapter(backend=MemoryBackend(lambda request: b"HTTP/1.1 204 No Content\\r\\n\\r\\n"))

    # or a handler that owns the server end of a stream pair, in its own thread, for servers that
    # stream, stall or misbehave on purpose:
    def handler(stream):
        stream.read(65536, None)
        stream.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n", None)
    adapter = HTTPAdapter(backend=MemoryBackend(handler=handler))

Everything above the backend (the protocol core, the pool, retries, timeouts) runs exactly as it
does over TCP. ``start_tls`` is a no-op so that ``https://`` URLs can be served too: the memory
backend never encrypts.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from ...exceptions import ConnectionError, ReadTimeout
from .base import NetworkBackend, NetworkStream, SocketOption

__all__ = ["MemoryBackend", "MemoryStream", "App"]

#: What a synchronous in-memory server may be: the response for every request, a sequence of
#: responses given in order (then the connection is closed), or request bytes -> response bytes
#: (``None`` or ``b""`` closes the connection without answering).
App = Union[bytes, Sequence[bytes], Callable[[bytes], Union[bytes, None]]]


def request_length(buf: bytes | bytearray) -> int:
    """Length of the first complete request in ``buf`` (head plus body), or 0 if incomplete.

    Only as much HTTP as framing needs: ``Content-Length`` and chunked bodies.
    """
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return 0
    head_end = end + 4
    length = 0
    chunked = False
    for line in bytes(buf[:end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                length = 0
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        return head_end + length if len(buf) >= head_end + length else 0
    pos = head_end
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return 0
        try:
            size = int(bytes(buf[pos:eol]).split(b";")[0].strip() or b"0", 16)
        except ValueError:
            return 0
        if size == 0:
            trailer_end = buf.find(b"\r\n\r\n", eol)
            return trailer_end + 4 if trailer_end >= 0 else 0
        pos = eol + 2 + size + 2
        if pos > len(buf):
            return 0


class _Pipe:
    """One direction of a stream pair: a byte buffer with a condition and an EOF flag."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.data = bytearray()
        self.eof = False  # the writer closed: reads drain the buffer then get b""
        self.broken = False  # the reader closed: writes fail

    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        with self.cond:
            if not self.data and not self.eof:
                if not self.cond.wait_for(lambda: self.data or self.eof, timeout):
                    raise ReadTimeout(f"Read timed out. (read timeout={timeout})")
            chunk = bytes(self.data[:max_bytes])
            del self.data[:max_bytes]
            return chunk

    def write(self, data: bytes) -> None:
        with self.cond:
            if self.broken or self.eof:
                raise ConnectionError("Connection broken: the peer closed the stream")
            self.data += data
            self.cond.notify_all()

    def close_writer(self) -> None:
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def close_reader(self) -> None:
        with self.cond:
            self.broken = True
            self.data.clear()
            self.cond.notify_all()


class MemoryStream(NetworkStream):
    """One end of an in-memory stream pair (see :meth:`MemoryStream.pair`)."""

    def __init__(self, incoming: _Pipe, outgoing: _Pipe) -> None:
        self._in = incoming
        self._out = outgoing
        self._closed = False

    @classmethod
    def pair(cls) -> tuple[MemoryStream, MemoryStream]:
        """Two connected streams: what one writes, the other reads."""
        a, b = _Pipe(), _Pipe()
        return cls(a, b), cls(b, a)

    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        if self._closed:
            raise ConnectionError("Connection broken: the stream is closed")
        return self._in.read(max_bytes, timeout)

    def write(self, data: bytes, timeout: float | None) -> None:
        if self._closed:
            raise ConnectionError("Connection broken: the stream is closed")
        self._out.write(data)

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        timeout: float | None,
        session: ssl.SSLSession | None = None,
    ) -> NetworkStream:
        return self

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._out.close_writer()
            self._in.close_reader()

    def is_readable(self) -> bool:
        pipe = self._in
        with pipe.cond:
            return self._closed or bool(pipe.data) or pipe.eof

    def get_extra_info(self, name: str) -> Any:
        if name == "is_tls":
            return False
        return None


class _AppStream(NetworkStream):
    """A client stream answered synchronously by an :data:`App`: no thread needed."""

    def __init__(self, backend: MemoryBackend) -> None:
        self._backend = backend
        self._inbox = bytearray()
        self._outbox = bytearray()
        self._eof = False
        self._closed = False

    def write(self, data: bytes, timeout: float | None) -> None:
        if self._closed or self._eof:
            raise ConnectionError("Connection broken: the server closed the stream")
        self._inbox += data
        while True:
            length = request_length(self._inbox)
            if not length:
                return
            request = bytes(self._inbox[:length])
            del self._inbox[:length]
            response = self._backend._answer(request)
            if not response:
                self._eof = True
                return
            self._outbox += response

    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        if self._closed:
            raise ConnectionError("Connection broken: the stream is closed")
        chunk = bytes(self._outbox[:max_bytes])
        del self._outbox[:max_bytes]
        return chunk  # b"" when the server has nothing more to say: it hung up

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        timeout: float | None,
        session: ssl.SSLSession | None = None,
    ) -> NetworkStream:
        return self

    def close(self) -> None:
        self._closed = True

    def is_readable(self) -> bool:
        return self._closed or self._eof or bool(self._outbox)

    def get_extra_info(self, name: str) -> Any:
        if name == "is_tls":
            return False
        return None


class MemoryBackend(NetworkBackend):
    """Serve every connection from memory: canned bytes, a function, or a threaded handler.

    ``connections`` counts the streams opened and ``requests`` keeps every raw request seen
    by ``app`` (not by ``handler``, which reads the stream itself), so tests can assert on what
    was sent and on connection reuse.
    """

    def __init__(
        self,
        app: App | None = None,
        *,
        handler: Callable[[MemoryStream], None] | None = None,
    ) -> None:
        if (app is None) == (handler is None):
            raise TypeError("MemoryBackend needs exactly one of app or handler")
        self._lock = threading.Lock()
        self._handler = handler
        self._answer_fn: Callable[[bytes], bytes | None]
        if app is None:
            self._answer_fn = _no_answer
        elif isinstance(app, (bytes, bytearray)):
            canned = bytes(app)
            self._answer_fn = lambda request: canned
        elif callable(app):
            self._answer_fn = app
        else:
            remaining = list(app)

            def answer(request: bytes) -> bytes | None:
                return remaining.pop(0) if remaining else None

            self._answer_fn = answer
        self.connections = 0
        self.requests: list[bytes] = []

    def _answer(self, request: bytes) -> bytes | None:
        with self._lock:
            self.requests.append(request)
            return self._answer_fn(request)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> NetworkStream:
        with self._lock:
            self.connections += 1
        if self._handler is None:
            return _AppStream(self)
        client, server = MemoryStream.pair()
        handler = self._handler

        def serve() -> None:
            try:
                handler(server)
            except Exception:
                pass
            finally:
                server.close()

        threading.Thread(target=serve, name="memory-server", daemon=True).start()
        return client

    def connect_unix(self, path: str, timeout: float | None = None) -> NetworkStream:
        return self.connect_tcp(path, 0, timeout)


def _no_answer(request: bytes) -> bytes | None:
    return None
