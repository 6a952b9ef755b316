"""The two floors every client is measured against.

- ``raw``: a socket sending prebuilt request bytes and parsing just enough of the response to
  find where it ends (Content-Length or chunked framing; gzip bodies are inflated so the work
  matches what clients do). Nothing can be much faster in Python.
- ``h11``: bare h11 over one socket, the protocol library our core is built on. This is the
  reference of every ratio: what a careful client costs before any requests-style API.

Both keep connections alive, reconnect when the server closes (``Connection: close`` or a silent
close found when the next request gets EOF/reset before any response byte: retried once on a
fresh connection, as the pools do) and share a tiny blocking pool of ``pool_size`` connections
when threads share the client.
"""

from __future__ import annotations

import queue
import socket
import ssl
import zlib
from typing import Any
from urllib.parse import urlsplit

import h11

CHUNK = 64 * 1024


class StaleConnection(Exception):
    """The peer closed an idle connection before answering: safe to retry on a new one."""


def _connect(host: str, port: int, tls: ssl.SSLContext | None = None) -> socket.socket:
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if tls is not None:
        return tls.wrap_socket(sock, server_hostname=host)
    return sock


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """What a careful client builds once: the test CA only (never the machine's CA variables),
    TLS 1.2+, hostname checks, ALPN http/1.1. No session reuse: a floor does the least."""
    context = ssl.create_default_context(cafile=ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    return context


#: The CA the https scenarios verify against (set by the harness; None: http only).
CA_BUNDLE: str | None = None


class _FloorBase:
    """Connection handling shared by the floors: one connection, or a blocking pool of them."""

    name = ""
    label = ""

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.authority = parts.netloc
        self.tls = tls_context(CA_BUNDLE) if parts.scheme == "https" else None
        self.retried = 0
        self.opened = 0
        self._conn: Any = None
        self._pool: queue.LifoQueue[Any] | None = None
        if pool_size:
            self._pool = queue.LifoQueue()
            for _ in range(pool_size):
                self._pool.put(None)

    def teardown(self) -> None:
        conns = [self._conn]
        if self._pool is not None:
            while not self._pool.empty():
                conns.append(self._pool.get_nowait())
        for conn in conns:
            if conn is not None:
                self._close(conn)
        self._conn = None

    def pool_stats(self) -> dict[str, int] | None:
        return None

    # one request on a pooled/kept-alive connection ---------------------------------------
    def request(self, path: str) -> int:
        pool = self._pool
        conn = self._conn if pool is None else pool.get()
        try:
            if conn is None:
                conn = self._open()
            try:
                size, conn = self._exchange(conn, path)
            except StaleConnection:
                self.retried += 1
                self._close(conn)
                conn = self._open()
                size, conn = self._exchange(conn, path)
        except BaseException:
            if conn is not None:
                self._close(conn)
            conn = None
            raise
        finally:
            if pool is None:
                self._conn = conn
            else:
                pool.put(conn)
        return size

    def one_shot(self, path: str) -> int:
        conn = self._open()
        try:
            size, _ = self._exchange(conn, path)
        finally:
            self._close(conn)
        return size

    def _open(self) -> Any:
        raise NotImplementedError

    def _close(self, conn: Any) -> None:
        raise NotImplementedError

    def _exchange(self, conn: Any, path: str) -> tuple[int, Any]:
        """Send one GET, read the response; returns (body size, connection or None if closed)."""
        raise NotImplementedError


class _RawConn:
    __slots__ = ("sock", "buf")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""


class RawFloor(_FloorBase):
    name = "raw"
    label = "raw socket"

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        super().setup(base_url, pool_size)
        self._requests: dict[str, bytes] = {}

    def _prebuilt(self, path: str) -> bytes:
        req = self._requests.get(path)
        if req is None:
            req = b"GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (path.encode(), self.authority.encode())
            self._requests[path] = req
        return req

    def _open(self) -> _RawConn:
        self.opened += 1
        return _RawConn(_connect(self.host, self.port, self.tls))

    def _close(self, conn: _RawConn) -> None:
        conn.sock.close()

    def _exchange(self, conn: _RawConn, path: str) -> tuple[int, _RawConn | None]:
        sock = conn.sock
        buf = conn.buf
        try:
            sock.sendall(self._prebuilt(path))
            end = buf.find(b"\r\n\r\n")
            while end < 0:
                data = sock.recv(CHUNK)
                if not data:
                    if not buf:
                        raise StaleConnection()
                    raise ConnectionError("EOF inside the response head")
                buf += data
                end = buf.find(b"\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError) as exc:
            if not buf:
                raise StaleConnection() from exc
            raise
        head = buf[:end].lower()
        rest = buf[end + 4 :]
        if b"\r\ntransfer-encoding: chunked" in head:
            body, rest = self._read_chunked(sock, rest)
        else:
            pos = head.index(b"\r\ncontent-length:") + 17
            stop = head.find(b"\r\n", pos)
            length = int(head[pos : stop if stop >= 0 else None])
            while len(rest) < length:
                data = sock.recv(max(CHUNK, length - len(rest)))
                if not data:
                    raise ConnectionError("EOF inside the body")
                rest += data
            body, rest = rest[:length], rest[length:]
        if b"\r\ncontent-encoding: gzip" in head:
            body = zlib.decompress(body, 31)
        conn.buf = rest
        if b"\r\nconnection: close" in head:
            sock.close()
            return len(body), None
        return len(body), conn

    @staticmethod
    def _read_chunked(sock: socket.socket, rest: bytes) -> tuple[bytes, bytes]:
        parts: list[bytes] = []
        while True:
            line_end = rest.find(b"\r\n")
            while line_end < 0:
                rest += sock.recv(CHUNK)
                line_end = rest.find(b"\r\n")
            size = int(rest[:line_end].split(b";")[0], 16)
            need = line_end + 2 + size + 2
            while len(rest) < need:
                data = sock.recv(CHUNK)
                if not data:
                    raise ConnectionError("EOF inside a chunk")
                rest += data
            if size == 0:  # no trailers from our server
                return b"".join(parts), rest[need:]
            parts.append(rest[line_end + 2 : line_end + 2 + size])
            rest = rest[need:]

    def stream(self, path: str, chunk_size: int = CHUNK) -> int:
        """Download into one reused buffer: the ceiling for any client."""
        sock = _connect(self.host, self.port)
        try:
            sock.sendall(self._prebuilt(path))
            buf = b""
            while (end := buf.find(b"\r\n\r\n")) < 0:
                buf += sock.recv(CHUNK)
            head = buf[:end].lower()
            pos = head.index(b"\r\ncontent-length:") + 17
            stop = head.find(b"\r\n", pos)
            remaining = int(head[pos : stop if stop >= 0 else None]) - (len(buf) - end - 4)
            total = len(buf) - end - 4
            block = bytearray(chunk_size)
            view = memoryview(block)
            recv_into = sock.recv_into
            while remaining > 0:
                got = recv_into(view, min(chunk_size, remaining))
                if not got:
                    raise ConnectionError("EOF inside the body")
                remaining -= got
                total += got
            return total
        finally:
            sock.close()


class _H11Conn:
    __slots__ = ("sock", "h11")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.h11 = h11.Connection(h11.CLIENT)


class H11Floor(_FloorBase):
    name = "h11"
    label = "h11 floor"

    def _open(self) -> _H11Conn:
        self.opened += 1
        return _H11Conn(_connect(self.host, self.port, self.tls))

    def _close(self, conn: _H11Conn) -> None:
        conn.sock.close()

    def _exchange(self, conn: _H11Conn, path: str) -> tuple[int, _H11Conn | None]:
        h = conn.h11
        sock = conn.sock
        req = h11.Request(method="GET", target=path, headers=[("Host", self.authority)])
        try:
            sock.sendall(h.send(req) + h.send(h11.EndOfMessage()))
        except (ConnectionResetError, BrokenPipeError) as exc:
            raise StaleConnection() from exc
        parts: list[bytes] = []
        gzipped = False
        got_any = False
        while True:
            event = h.next_event()
            if event is h11.NEED_DATA:
                try:
                    data = sock.recv(CHUNK)
                except ConnectionResetError as exc:
                    if not got_any:
                        raise StaleConnection() from exc
                    raise
                if not data and not got_any:
                    raise StaleConnection()
                got_any = True
                h.receive_data(data)
                continue
            if type(event) is h11.Response:
                for name, value in event.headers:
                    if name == b"content-encoding" and value == b"gzip":
                        gzipped = True
            elif type(event) is h11.Data:
                parts.append(event.data)
            elif type(event) is h11.EndOfMessage:
                break
        body = b"".join(parts)
        if gzipped:
            body = zlib.decompress(body, 31)
        if h.our_state is h11.DONE and h.their_state is h11.DONE:
            h.start_next_cycle()
            return len(body), conn
        sock.close()
        return len(body), None

    def stream(self, path: str, chunk_size: int = CHUNK) -> int:
        conn = self._open()
        h = conn.h11
        sock = conn.sock
        try:
            req = h11.Request(method="GET", target=path, headers=[("Host", self.authority)])
            sock.sendall(h.send(req) + h.send(h11.EndOfMessage()))
            total = 0
            while True:
                event = h.next_event()
                if event is h11.NEED_DATA:
                    h.receive_data(sock.recv(chunk_size))
                elif type(event) is h11.Data:
                    total += len(event.data)
                elif type(event) is h11.EndOfMessage:
                    return total
        finally:
            sock.close()
