"""The embedded benchmark server: raw sockets, canned responses, one thread per connection.

Why not ``http.server``: it parses every header through ``email``, builds objects per request
and flushes line by line; at ~100 µs per request it would cost more than the clients it is meant
to measure. This server does the least that HTTP/1.1 allows: find the end of the request head,
look the request-target up in a table of prebuilt responses and ``sendall`` them. On this
machine it answers a keep-alive GET in ~10 µs of CPU.

Why threads: a blocking thread per connection wakes exactly once per request (no extra
``epoll_wait``), and a 256 MiB download is one ``sendall`` loop instead of a writable-event state
machine. Threads wait in ``accept()`` on the shared listening socket (pre-spawned, so a fresh
connection does not pay for a thread start); when the last idle one takes a connection it starts
another.

Routes (request-targets; the query string is part of the lookup key)::

    /bytes/<n>               n bytes, Content-Length
    /chunked/<n>?chunk=<k>   n bytes, Transfer-Encoding: chunked, k-byte chunks (default 4096)
    /gzip/<n>                n bytes of text, gzip-compressed, Content-Encoding: gzip
    /stream/<n>              n bytes, Content-Length, one preallocated 64 KiB block sent repeatedly
    any of the above + ?close=<N>   "Connection: close" on the Nth response of a connection
    any of the above + ?drop=<N>    the connection is closed silently after its Nth response
                                    (no Connection: close: the client finds a stale connection)
    any of the above + ?reset=<N>   after N responses on a connection, the next request is read
                                    and the connection closed without an answer (the request
                                    reached the server: only a retry can save it)
    /__stats                 JSON {"requests": r, "connections": c, "handshakes": h,
                             "resumed": s, "cpu": seconds} (not counted)

Requests carrying ``Connection: close`` are answered and then the connection is closed.

With ``ssl_context`` the listener speaks https: every accepted socket is wrapped with that one
context, so session tickets it issues can be used to resume (``handshakes`` and ``resumed``
count full and resumed handshakes; ``cpu`` is the server process's CPU time, which is how the
cost of handshakes shows). An http and an https listener share their counters.

Run standalone: ``python -m benchmarks.server --port 8080`` (binds 127.0.0.1 only); add
``--https-port 8443`` for an https listener with a throw-away trustme CA, whose path is printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, urlsplit

_STREAM_BLOCK = 64 * 1024
_SEND_BLOCK = bytes(range(256)) * (_STREAM_BLOCK // 256)  # preallocated once, sent repeatedly
_MAX_HEAD = 64 * 1024


@dataclass
class Route:
    """A prebuilt response: how to answer one request-target."""

    payload: bytes  # head + body (or just the head for streams)
    close_payload: bytes  # the same with "Connection: close"
    stream_size: int = 0  # bytes to send after the head (streams only)
    close_every: int = 0  # send close_payload and close on the Nth response of a connection
    drop_every: int = 0  # close silently after the Nth response of a connection
    reset_after: int = 0  # read request N+1 of a connection, then close without answering
    stats: bool = False


class Counters:
    """Requests and connections served, summed over per-thread cells.

    Each serving thread owns one cell and is its only writer, so no lock is needed and nothing
    is lost. A request is counted *before* its response is sent: once a client holds the
    response, the count already includes it.
    """

    def __init__(self) -> None:
        self._cells: list[list[int]] = []
        self._lock = threading.Lock()

    def new_cell(self) -> list[int]:
        cell = [0, 0, 0, 0]  # requests, connections, TLS handshakes, of which resumed
        with self._lock:
            self._cells.append(cell)
        return cell

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            cells = list(self._cells)
        return {
            "requests": sum(c[0] for c in cells),
            "connections": sum(c[1] for c in cells),
            "handshakes": sum(c[2] for c in cells),
            "resumed": sum(c[3] for c in cells),
            "cpu": time.process_time(),
        }


def _head(status: str, headers: list[tuple[str, str]], close: bool) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Server: hcl-bench", f"Date: {formatdate(usegmt=True)}"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append("Connection: close" if close else "Connection: keep-alive")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _text(n: int) -> bytes:
    """Compressible but not trivial: JSON-ish lines with varying numbers (ratio ~ 4-6x)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += b'{"id": %d, "name": "item-%d", "value": %d, "ok": true}\n' % (
            i,
            i * 7919 % 10007,
            i * 2654435761 % 1000003,
        )
        i += 1
    return bytes(out[:n])


def build_route(target: bytes) -> Route:
    """Parse a request-target into a Route (memoized by the caller)."""
    parts = urlsplit(target.decode("latin-1"))
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    segs = parts.path.strip("/").split("/")
    close_every = int(query.get("close", 0))
    drop_every = int(query.get("drop", 0))
    reset_after = int(query.get("reset", 0))

    def both(status: str, headers: list[tuple[str, str]], body: bytes) -> tuple[bytes, bytes]:
        return _head(status, headers, False) + body, _head(status, headers, True) + body

    if parts.path == "/__stats":
        return Route(b"", b"", stats=True)
    try:
        kind, size = segs[0], int(segs[1]) if len(segs) > 1 else 0
    except ValueError:
        kind, size = "", 0
    if kind == "bytes" and size >= 0:
        body = b"x" * size
        hdrs = [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))]
        p, c = both("200 OK", hdrs, body)
    elif kind == "chunked" and size >= 0:
        step = max(1, int(query.get("chunk", 4096)))
        data = _text(size)
        framed = bytearray()
        for i in range(0, size, step):
            piece = data[i : i + step]
            framed += b"%x\r\n%s\r\n" % (len(piece), piece)
        framed += b"0\r\n\r\n"
        hdrs = [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]
        p, c = both("200 OK", hdrs, bytes(framed))
    elif kind == "gzip" and size >= 0:
        body = gzip.compress(_text(size), compresslevel=6, mtime=0)
        hdrs = [
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(body))),
        ]
        p, c = both("200 OK", hdrs, body)
    elif kind == "stream" and size >= 0:
        hdrs = [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))]
        return Route(
            _head("200 OK", hdrs, False),
            _head("200 OK", hdrs, True),
            stream_size=size,
            close_every=close_every,
            drop_every=drop_every,
            reset_after=reset_after,
        )
    else:
        body = b"not found\n"
        hdrs = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        p, c = both("404 Not Found", hdrs, body)
    return Route(p, c, close_every=close_every, drop_every=drop_every, reset_after=reset_after)


class BenchServer:
    """Serve canned responses on 127.0.0.1 until the process ends (or ``close()``)."""

    def __init__(
        self,
        port: int = 0,
        backlog: int = 1024,
        ssl_context: ssl.SSLContext | None = None,
        counters: Counters | None = None,
    ) -> None:
        self.ssl_context = ssl_context
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(backlog)
        self.port: int = self.listener.getsockname()[1]
        self.counters = counters if counters is not None else Counters()
        self._routes: dict[bytes, Route] = {}
        self._lock = threading.Lock()
        self._idle = 0
        self._closed = False

    @property
    def url(self) -> str:
        if self.ssl_context is not None:
            return f"https://localhost:{self.port}"
        return f"http://127.0.0.1:{self.port}"

    def start(self, acceptors: int = 16) -> None:
        for _ in range(acceptors):
            self._spawn()

    def close(self) -> None:
        self._closed = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()

    def _spawn(self) -> None:
        with self._lock:
            self._idle += 1
        threading.Thread(target=self._acceptor, daemon=True).start()

    def _acceptor(self) -> None:
        cell = self.counters.new_cell()
        while not self._closed:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self._idle -= 1
                starve = self._idle == 0
            if starve:
                self._spawn()
            cell[1] += 1
            try:
                if self.ssl_context is not None:
                    sock = self._handshake(sock, cell)
                self._serve(sock, cell)
            except OSError:
                pass
            finally:
                sock.close()
            with self._lock:
                self._idle += 1

    def _handshake(self, sock: socket.socket, cell: list[int]) -> socket.socket:
        sock.settimeout(10)  # a client that stalls mid-handshake must not hold the thread
        try:
            tls = self.ssl_context.wrap_socket(sock, server_side=True)  # type: ignore[union-attr]
        except ssl.SSLError as exc:
            raise OSError(exc) from exc
        tls.settimeout(None)
        cell[2] += 1
        cell[3] += tls.session_reused
        return tls

    def _route(self, target: bytes) -> Route:
        route = self._routes.get(target)
        if route is None:
            route = build_route(target)
            if len(self._routes) < 4096:
                self._routes[target] = route
        return route

    def _serve(self, sock: socket.socket, cell: list[int]) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        recv = sock.recv
        sendall = sock.sendall
        buf = b""
        served = 0
        while True:
            end = buf.find(b"\r\n\r\n")
            while end < 0:
                data = recv(65536)
                if not data:
                    return
                buf = buf + data if buf else data
                if len(buf) > _MAX_HEAD:
                    return
                end = buf.find(b"\r\n\r\n")
            head = buf[:end]
            buf = buf[end + 4 :]
            lowered = b""
            if b"ength" in head or b"lose" in head:  # rare for GETs: look closer only then
                lowered = head.lower()
                pos = lowered.find(b"\r\ncontent-length:")
                if pos >= 0:
                    stop = lowered.find(b"\r\n", pos + 2)
                    size = int(lowered[pos + 17 : stop if stop >= 0 else None])
                    while len(buf) < size:
                        data = recv(65536)
                        if not data:
                            return
                        buf += data
                    buf = buf[size:]
            line_end = head.find(b"\r\n")
            target = head[head.find(b" ") + 1 : head.rfind(b" ", 0, line_end)]
            route = self._route(target)
            if route.stats:
                body = json.dumps(self.counters.snapshot()).encode()
                sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
                )
                return
            if route.reset_after and served == route.reset_after:
                return  # read, never answered, not counted
            cell[0] += 1
            served += 1
            client_close = bool(lowered) and b"connection: close" in lowered
            close = client_close or (route.close_every and served % route.close_every == 0)
            sendall(route.close_payload if close else route.payload)
            if route.stream_size:
                self._send_stream(sendall, route.stream_size)
            if close or (route.drop_every and served % route.drop_every == 0):
                return

    @staticmethod
    def _send_stream(sendall: Callable[[bytes], None], size: int) -> None:
        block = _SEND_BLOCK
        full = len(block)
        while size >= full:
            sendall(block)
            size -= full
        if size:
            sendall(block[:size])


def fetch_stats(base_url: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """GET /__stats with a bare socket; None when the server is not ours."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(
                b"GET /__stats HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host.encode()
            )
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        return None
    try:
        stats = json.loads(body)
    except ValueError:
        return None
    if not isinstance(stats, dict) or "requests" not in stats:
        return None
    return stats


def tls_context(certfile: str, keyfile: str) -> ssl.SSLContext:
    """The https listener's one server context (TLS 1.2+, tickets on: OpenSSL's defaults)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile, keyfile)
    context.set_alpn_protocols(["http/1.1"])
    return context


def serve_in_process(
    port_pipe: Any, cpu: int | None, tls_files: tuple[str, str] | None = None
) -> None:
    """multiprocessing target: pin, start, report the port(s), then serve until terminated.

    With ``tls_files`` (certificate chain, key) an https listener shares the counters and the
    pipe receives ``(http_port, https_port)``, else the http port alone.
    """
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    server = BenchServer()
    server.start()
    if tls_files is not None:
        secure = BenchServer(ssl_context=tls_context(*tls_files), counters=server.counters)
        secure.start()
        port_pipe.send((server.port, secure.port))
    else:
        port_pipe.send(server.port)
    port_pipe.close()
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description="httpcore_lite benchmark server (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU")
    parser.add_argument(
        "--https-port", type=int, default=None, help="also serve https here (needs trustme)"
    )
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    server = BenchServer(args.port)
    server.start()
    print(f"serving on {server.url} (Ctrl-C stops)", flush=True)
    if args.https_port is not None:
        import tempfile

        from benchmarks.__main__ import _tls_files

        ca, cert, key = _tls_files(tempfile.mkdtemp(prefix="hcl-bench-tls-")) or ("", "", "")
        secure = BenchServer(args.https_port, ssl_context=tls_context(cert, key))
        secure.counters = server.counters
        secure.start()
        print(f"serving on {secure.url}, certificate issued by the CA in {ca}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.close()


if __name__ == "__main__":
    main()
