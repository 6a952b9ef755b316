"""A fast keep-alive server for load tests: one fixed answer, closes after every N requests.

``read_request`` records every request for inspection; under load that bookkeeping is the
bottleneck, so this server only counts. It closes a connection right after its N-th answer
without announcing it (no ``Connection: close``), which is what real servers with a
max-requests-per-connection setting do and what a pool must survive.
"""

from __future__ import annotations

import socket
import threading

from tests.servers.raw import RawServer

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


class KeepAliveServer:
    """Counts connections and answered requests; ``close_after`` requests per connection."""

    def __init__(self, close_after: int = 50, answer: bytes = ANSWER) -> None:
        self.close_after = close_after
        self.answer = answer
        self._lock = threading.Lock()
        self.answered = 0
        self.closed_by_server = 0
        self.raw = RawServer(self._handle)
        self.url = self.raw.url
        self.port = self.raw.port

    @property
    def connections(self) -> int:
        return self.raw.connections

    def _handle(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buf = b""
        served = 0
        try:
            while served < self.close_after:
                while b"\r\n\r\n" not in buf:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buf += data
                # GET requests without a body: the head is the whole request
                buf = buf[buf.index(b"\r\n\r\n") + 4 :]
                # counted before sending: the client may finish before this thread runs again
                with self._lock:
                    self.answered += 1
                served += 1
                sock.sendall(self.answer)
        finally:
            if served == self.close_after:
                with self._lock:
                    self.closed_by_server += 1

    def stop(self) -> None:
        self.raw.stop()
