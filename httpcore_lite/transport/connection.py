"""
One HTTP/1.1 connection: a :class:`~httpcore_lite.protocol.ClientConnection` over one stream.

This is where the sans-IO core meets blocking I/O. The core decides every byte; this module
only moves bytes between it and the :class:`~.backends.NetworkStream`, asking the call's
:class:`~.timeout.Deadline` for the timeout of each operation so that ``read`` bounds every
wait and ``total`` bounds the whole call. The parser is fed at most 64 KiB at a time.

A connection remembers what happened during the current exchange (was the body fully sent,
did any response byte arrive) because the pool's one transparent retry of a reused
connection depends on exactly that.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ..exceptions import ConnectionError
from ..protocol import ClientConnection, ResponseComplete, ResponseStarted
from ..protocol.events import Event
from .backends.base import READ_BUFFER_SIZE, NetworkStream
from .timeout import Deadline

__all__ = ["HTTPConnection", "BODY_CHUNK_SIZE"]

#: How much of a file-like request body is read per write.
BODY_CHUNK_SIZE = 65536


class HTTPConnection:
    """Drives one protocol connection over one stream, one request/response cycle at a time.

    ``pool`` is the :class:`~.pool.ConnectionPool` the connection belongs to (``None`` for a
    standalone connection); responses hand the connection back through it.
    """

    __slots__ = (
        "stream",
        "pool",
        "_proto",
        "_events",
        "cycles",
        "body_sent",
        "received",
        "verified",
        "__weakref__",
    )

    def __init__(self, stream: NetworkStream, pool: Any = None, verified: bool = False) -> None:
        self.stream = stream
        self.pool = pool
        self._proto = ClientConnection(buffer_body=False)
        self._events: deque[Event] = deque()
        #: Number of requests sent on this connection so far.
        self.cycles = 0
        #: The current request's body went out completely.
        self.body_sent = False
        #: At least one byte of the current response arrived.
        self.received = False
        #: The stream was verified against a trusted CA (TLS with verification on).
        self.verified = verified

    # -- one exchange -------------------------------------------------------------------------

    def send(
        self,
        request: Any,
        clock: Deadline,
        target: str | None = None,
        extra_headers: Any = (),
    ) -> ResponseStarted:
        """Send ``request`` and return the response head; the body follows via :meth:`next_event`.

        When writing fails (the server may have answered early and closed, e.g. with 413) the
        response is still looked for; only when none arrives is the write error raised.
        """
        proto = self._proto
        stream = self.stream
        self.cycles += 1
        self.body_sent = False
        self.received = False
        wire = proto.send_request(request, target, extra_headers)
        write_error: ConnectionError | None = None
        try:
            stream.write(wire, clock.read_timeout())
            if proto.body_is_streaming:
                self._send_body(request.body, clock)
            self.body_sent = True
        except ConnectionError as exc:
            write_error = exc
        try:
            return self._receive_head(clock)
        except ConnectionError:
            if write_error is not None and not self.received:
                raise write_error from write_error.__cause__
            raise

    def _send_body(self, body: Any, clock: Deadline) -> None:
        proto = self._proto
        write = self.stream.write
        read = getattr(body, "read", None)
        if read is not None:
            while True:
                chunk = read(BODY_CHUNK_SIZE)
                if not chunk:
                    break
                wire = proto.send_body(chunk)
                if wire:
                    write(wire, clock.read_timeout())
        else:
            for chunk in body:
                if chunk:
                    wire = proto.send_body(chunk)
                    if wire:
                        write(wire, clock.read_timeout())
        wire = proto.end_body()
        if wire:
            write(wire, clock.read_timeout())

    def _receive_head(self, clock: Deadline) -> ResponseStarted:
        proto = self._proto
        read = self.stream.read
        while True:
            data = read(READ_BUFFER_SIZE, clock.read_timeout())
            if data:
                self.received = True
            events = proto.receive_data(data)
            if events:
                started = events[0]
                if type(started) is not ResponseStarted:  # pragma: no cover - core contract
                    raise ConnectionError(f"Unexpected event before the response head: {started}")
                if len(events) > 1:
                    self._events.extend(events[1:])
                return started
            if not data:  # pragma: no cover - the core raises on EOF before a head
                raise ConnectionError("Remote end closed connection without response")

    def next_event(self, timeout: float | None) -> Event:
        """The next body event (``BodyData`` or ``ResponseComplete``), reading as needed."""
        events = self._events
        if events:
            return events.popleft()
        proto = self._proto
        read = self.stream.read
        while True:
            data = read(READ_BUFFER_SIZE, timeout)
            new = proto.receive_data(data)
            if new:
                if len(new) == 1:
                    return new[0]
                events.extend(new)
                return events.popleft()
            if not data:  # pragma: no cover - the core raises or completes on EOF
                raise ConnectionError("Connection closed before the response ended")

    def read_body(self, amt: int, timeout: float | None) -> bytes | None:
        """The next ``amt`` body bytes (fewer only when the body ends first), or None.

        The fast path of a streamed read: when the core knows how much body is left
        (:attr:`~httpcore_lite.protocol.ClientConnection.body_remaining`), exactly
        ``min(amt, remaining)`` bytes are read, so a 64 KiB read is one ``recv`` whose bytes
        object is handed back as it is. A ``ResponseComplete`` that follows is kept for
        :meth:`next_event`. None when the remaining length is unknown or events are waiting:
        use :meth:`next_event` then.
        """
        if self._events:
            return None
        proto = self._proto
        left = proto.body_remaining
        if left is None:
            return None
        want = amt if amt < left else left
        read = self.stream.read
        data = read(want, timeout)
        if len(data) == want:
            events = proto.receive_data(data)
            if len(events) > 1:
                self._events.append(events[1])
            return events[0].data  # type: ignore[union-attr]
        parts: list[bytes] = []
        while True:
            events = proto.receive_data(data)  # raises at EOF: the body is cut short
            parts.append(events[0].data)  # type: ignore[union-attr]
            if len(events) > 1:
                self._events.append(events[1])
                break
            want -= len(data)
            if want <= 0:
                break
            data = read(want, timeout)
        return b"".join(parts)

    def receive_all(self, clock: Deadline | None) -> list[bytes]:
        """Read the rest of the response body: the undecoded pieces, in order."""
        pieces: list[bytes] = []
        events = self._events
        while events:
            event = events.popleft()
            if type(event) is ResponseComplete:
                return pieces
            pieces.append(event.data)  # type: ignore[union-attr]
        proto = self._proto
        read = self.stream.read
        while True:
            data = read(READ_BUFFER_SIZE, None if clock is None else clock.read_timeout())
            for event in proto.receive_data(data):
                if type(event) is ResponseComplete:
                    return pieces
                pieces.append(event.data)  # type: ignore[union-attr]

    # -- after an exchange --------------------------------------------------------------------

    @property
    def reusable(self) -> bool:
        """The finished exchange left the connection fit for another request."""
        return self._proto.reusable and not self._events

    def response_done(self) -> None:
        """The response ended: hand the connection back to its pool, or close it."""
        if self._proto.reusable and not self._events:
            self._proto.start_next_cycle()
            if self.pool is not None:
                self.pool.release(self)
                return
        self.discard()

    def discard(self) -> None:
        """Close the connection and tell its pool it is gone."""
        self.stream.close()
        if self.pool is not None:
            self.pool.forget(self)

    def close(self) -> None:
        """Close the stream (without telling the pool: for connections the pool already left)."""
        self.stream.close()

    @property
    def trailing_data(self) -> bytes:
        """Bytes received after a ``CONNECT`` 2xx or ``101`` head (they belong to the new protocol)."""
        return self._proto.trailing_data

    def is_stale(self) -> bool:
        """True when an idle connection shows activity (closed by the peer or garbage)."""
        return self.stream.is_readable()

    def __repr__(self) -> str:
        return f"<HTTPConnection {self.stream!r} cycles={self.cycles}>"
