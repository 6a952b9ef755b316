"""A tiny threaded TCP server whose behaviour is a plain function over the accepted socket.

Fault tests need servers that misbehave on purpose (truncate, reset, drip, stall, answer garbage),
which no real HTTP server will do. Each accepted connection runs ``handler(sock)`` in its own
daemon thread; sockets carry a timeout so a handler waiting on a client that went away can never
hang the test run, and everything is closed at ``stop()``.
"""

from __future__ import annotations

import socket
import struct
import threading
import weakref
from collections.abc import Callable

Handler = Callable[[socket.socket], None]

#: Seconds a handler may block on one socket operation before giving up.
SOCKET_TIMEOUT = 10.0

#: Refuse request heads larger than this (a broken client must not make the server eat memory).
MAX_HEAD = 1 << 20


def read_request(sock: socket.socket) -> bytes | None:
    """Read one request head plus its Content-Length body from ``sock``.

    Returns the raw bytes (head and body) or None when the peer closed before a complete head
    arrived (the normal end of a kept-alive connection). Bytes that arrive after the request
    (a pipelined next request) are kept for the next call on the same socket. The request is
    also appended to ``server.requests`` of the server that accepted the socket.
    Chunked request bodies are read up to and including the terminating zero-size chunk.
    """
    buf = bytearray(_buffers.pop(sock, b""))
    try:
        while b"\r\n\r\n" not in buf:
            if len(buf) > MAX_HEAD:
                return None
            data = sock.recv(65536)
            if not data:
                return None
            buf += data
        end_of_head = buf.index(b"\r\n\r\n") + 4
        head = bytes(buf[:end_of_head])
        rest = buf[end_of_head:]  # a bytearray: bodies grow without quadratic copying
        length = 0
        chunked = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lname = name.strip().lower()
            if lname == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    length = 0
            elif lname == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            while not (end := _chunked_complete(rest)):
                data = sock.recv(65536)
                if not data:
                    return None
                rest += data
        else:
            while len(rest) < length:
                data = sock.recv(65536)
                if not data:
                    return None
                rest += data
            end = length
        body, rest = bytes(rest[:end]), bytes(rest[end:])
    except OSError:
        return None
    if rest:
        _buffers[sock] = rest
    request = head + body
    server = _owner.get(sock)
    if server is not None:
        with server._lock:
            server.requests.append(request)
    return request


def _chunked_complete(data: bytes | bytearray) -> int:
    """Return the end offset of a complete chunked body in ``data``, or 0 when incomplete."""
    pos = 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return 0
        try:
            size = int(data[pos:eol].split(b";")[0].strip() or b"0", 16)
        except ValueError:
            return 0
        if size == 0:
            # trailers end at an empty line
            end = data.find(b"\r\n\r\n", eol)
            if data[eol : eol + 4] == b"\r\n\r\n":
                return eol + 4
            return end + 4 if end >= 0 else 0
        pos = eol + 2 + size + 2
        if pos > len(data):
            return 0


# Keyed by the socket object (weakly), not by fd: fds are reused as soon as a socket closes.
_buffers: weakref.WeakKeyDictionary[socket.socket, bytes] = weakref.WeakKeyDictionary()
_owner: weakref.WeakKeyDictionary[socket.socket, RawServer] = weakref.WeakKeyDictionary()


def canned(*responses: bytes) -> Handler:
    """Handler factory: answer each request on a kept-alive connection with the next response.

    The sequence is shared by all connections of the server (so a test can say "first answer A,
    then B" regardless of whether the client reconnected in between). After the last response
    the connection is closed.
    """
    lock = threading.Lock()
    remaining = list(responses)

    def handler(sock: socket.socket) -> None:
        while True:
            if read_request(sock) is None:
                return
            with lock:
                if not remaining:
                    return
                response = remaining.pop(0)
            sock.sendall(response)

    return handler


class RawServer:
    """Accept loop on 127.0.0.1 with one daemon thread per connection."""

    def __init__(self, handler: Handler, port: int = 0, backlog: int = 128) -> None:
        self.handler = handler
        self._lock = threading.Lock()
        self.connections = 0
        self.requests: list[bytes] = []
        self._socks: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopped = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self._listener.listen(backlog)
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(SOCKET_TIMEOUT)
            with self._lock:
                if self._stopped.is_set():
                    sock.close()
                    return
                self.connections += 1
                self._socks.append(sock)
                _owner[sock] = self
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            with self._lock:
                self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            self.handler(sock)
        except OSError:
            pass
        finally:
            _owner.pop(sock, None)
            _buffers.pop(sock, None)
            with self._lock:
                if sock in self._socks:
                    self._socks.remove(sock)
                current = threading.current_thread()
                if current in self._threads:
                    self._threads.remove(current)
            try:
                sock.close()
            except OSError:
                pass

    def stop(self) -> None:
        """Stop accepting, close every connection, and wait briefly for handler threads."""
        self._stopped.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept() at once on Linux
        except OSError:
            pass
        try:
            self._listener.close()
        except OSError:
            pass
        self._acceptor.join(2)
        with self._lock:
            socks = list(self._socks)
            threads = list(self._threads)
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                sock.close()
            except OSError:
                pass
        for thread in threads:
            thread.join(1)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- building blocks for fault handlers ---------------------------------------------------------


def response(
    status: int = 200,
    body: bytes = b"",
    headers: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
    reason: str | None = None,
    version: str = "HTTP/1.1",
    length: bool = True,
) -> bytes:
    """Build a response; Content-Length is added unless ``length`` is False or one is given."""
    reasons = {200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found"}
    reasons.update({303: "See Other", 307: "Temporary Redirect", 308: "Permanent Redirect"})
    reasons.update({100: "Continue", 404: "Not Found", 503: "Service Unavailable"})
    lines = [f"{version} {status} {reason if reason is not None else reasons.get(status, 'X')}"]
    names = {name.lower() for name, _ in headers}
    lines += [f"{name}: {value}" for name, value in headers]
    if length and "content-length" not in names and "transfer-encoding" not in names:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0 so the peer sees a TCP reset instead of an orderly FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


def wait_closed(sock: socket.socket, limit: float = SOCKET_TIMEOUT) -> None:
    """Block until the peer closes (or the server stops), discarding anything it sends."""
    sock.settimeout(limit)
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


def once(payload: bytes, then: str = "close") -> Handler:
    """Handler: read one request, send ``payload``, then "close", "reset" or "hold" the socket."""

    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(payload)
        if then == "reset":
            reset(sock)
        elif then == "hold":
            wait_closed(sock)

    return handler
