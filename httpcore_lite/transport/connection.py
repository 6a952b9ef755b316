"""
One HTTP/1.1 connection: a :class:`~httpcore_lite.protocol.ClientConnection` over one stream.

This is where the sans-IO core meets blocking I/O. The core decides every byte; this module
only moves bytes between it and the :class:`~.backends.NetworkStream`, asking the call's
:class:`~.timeout.Deadline` for the timeout of each operation so that ``read`` bounds every
wait and ``total`` bounds the whole call. The parser is fed at most 64 KiB at a time.

A connection remembers what happened during the current exchange (was the body fully sent,
did any response byte arrive) because the pool's one transparent retry of a reused
connection depends on exactly that. A failure before any response byte is raised as
:class:`~httpcore_lite.exceptions.RemoteDisconnected`, the one error that retry accepts.

``Expect: 100-continue``: when a request with a body carries it, only the head is sent; the
body follows when ``100 Continue`` arrives or after ``expect_timeout`` seconds of silence
(servers that ignore the header never send one). A final response that comes first (401,
413, a redirect) is returned without sending the body, and the connection is then closed:
the server may or may not be reading the body we never sent.
"""

from __future__ import annotations

import os
import time
from collections import deque
from time import perf_counter
from typing import TYPE_CHECKING

from ..exceptions import ConnectionError, RemoteDisconnected, Timeout
from ..protocol import ClientConnection, InformationalResponse, ResponseComplete, ResponseStarted
from ..protocol.events import Event
from .backends.base import READ_BUFFER_SIZE, NetworkStream
from .facts import ConnectionSetup
from .timeout import Deadline

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._typing import Request, RequestBody
    from .pool import ConnectionPool
    from .tls_sessions import SessionCache

__all__ = ["HTTPConnection", "BODY_CHUNK_SIZE", "EXPECT_CONTINUE_TIMEOUT"]

#: How much of a file-like request body is read per write.
BODY_CHUNK_SIZE = 65536

#: Seconds to wait for ``100 Continue`` before sending the body anyway (curl waits 1 s too).
EXPECT_CONTINUE_TIMEOUT = 1.0

#: A bytes body at least this large is written after the head, not joined to it: the join
#: would copy the whole body once more, while a second write costs one more syscall.
LARGE_BODY = 256 * 1024


class HTTPConnection:
    """Drives one protocol connection over one stream, one request/response cycle at a time.

    ``pool`` is the :class:`~.pool.ConnectionPool` the connection belongs to (``None`` for a
    standalone connection); responses hand the connection back through it. ``expect_timeout``
    bounds the wait for ``100 Continue`` (see the module docstring). ``setup`` records how the
    connection was opened, ``sessions`` is the pool's TLS session cache (handed this
    connection's session after its first response), both optional.

    Per exchange the connection notes three ``perf_counter`` readings for the response's
    :class:`~.facts.ConnectionInfo`: when the request reached the pool (``started_at``, set
    by the pool), when it was written, and when the first byte of the final response head
    arrived (not of a ``100 Continue``).
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
        "expect_timeout",
        "setup",
        "sessions",
        "reused",
        "replaced",
        "started_at",
        "sent_at",
        "first_byte_at",
        "pid",
        "__weakref__",
    )

    def __init__(
        self,
        stream: NetworkStream,
        pool: ConnectionPool | None = None,
        verified: bool = False,
        expect_timeout: float = EXPECT_CONTINUE_TIMEOUT,
        setup: ConnectionSetup | None = None,
        sessions: SessionCache | None = None,
    ) -> None:
        self.stream = stream
        self.pool = pool
        self.setup = setup
        self.sessions = sessions
        #: The current exchange: on a connection taken from the idle set; the id of the dead
        #: connection it replaces (a transparent retry); its clock readings.
        self.reused = False
        self.replaced: int | None = None
        self.started_at = self.sent_at = self.first_byte_at = 0.0
        # Interim responses as events: Expect: 100-continue waits for one.
        self._proto = ClientConnection(buffer_body=False, interim_responses=True)
        self.expect_timeout = expect_timeout
        self._events: deque[Event] = deque()
        #: Number of requests sent on this connection so far.
        self.cycles = 0
        #: The current request's body went out completely.
        self.body_sent = False
        #: At least one byte of the current response arrived.
        self.received = False
        #: The stream was verified against a trusted CA (TLS with verification on).
        self.verified = verified
        #: The process that opened the connection: after a fork only it may use the socket.
        #: (The pool knows it without a system call.)
        self.pid = os.getpid() if pool is None else pool.pid

    # -- one exchange -------------------------------------------------------------------------

    def send(
        self,
        request: Request,
        clock: Deadline,
        target: str | None = None,
        extra_headers: Iterable[tuple[str | bytes, str | bytes]] = (),
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
        self.first_byte_at = 0.0
        body = request.body
        expect = False
        head_only: bool | None = None
        if body is not None:
            sized = isinstance(body, (bytes, bytearray, memoryview, str))
            value = request.headers.get("expect")
            # `sized` is the isinstance test above, which the checker does not carry over.
            if value is not None and (not sized or len(body) != 0):  # type: ignore[arg-type]
                text = str(value, "latin-1") if isinstance(value, bytes) else str(value)
                expect = text.strip().lower() == "100-continue"
            if expect or (type(body) is bytes and len(body) >= LARGE_BODY):
                head_only = True
        wire = proto.send_request(request, target, extra_headers, streaming=head_only)
        write_error: ConnectionError | None = None
        try:
            stream.write(wire, clock.read_timeout())
            if not proto.body_is_streaming:
                self.body_sent = True
            elif not expect:
                self._send_body(body, clock)
                self.body_sent = True
            self.sent_at = perf_counter()
        except ConnectionError as exc:
            self.sent_at = perf_counter()
            write_error = exc
        try:
            if expect and write_error is None and self._await_continue(clock):
                try:
                    self._send_body(body, clock)
                    self.body_sent = True
                except ConnectionError as exc:
                    write_error = exc
                self.sent_at = perf_counter()
            return self._receive_head(clock)
        except ConnectionError as exc:
            if self.received or type(exc) not in (ConnectionError, RemoteDisconnected):
                raise
            # Nothing came back: the peer went away before answering (reset, broken pipe, or
            # EOF). Typed so that the pool's retry decision never reads a message.
            cause = write_error or exc
            raise RemoteDisconnected(*cause.args) from cause.__cause__ or cause

    def _await_continue(self, clock: Deadline) -> bool:
        """Wait for ``100 Continue``: True to send the body, False when a final answer came.

        Events after the 100 (or the final response's) are kept for :meth:`_receive_head`.
        Silence for ``expect_timeout`` (or the read timeout, if shorter) means "send it".
        """
        proto = self._proto
        read = self.stream.read
        end = time.monotonic() + self.expect_timeout
        while True:
            wait = end - time.monotonic()
            limit = clock.read_timeout()
            if limit is not None and limit < wait:
                wait = limit
            if wait <= 0:
                return True
            try:
                data = read(READ_BUFFER_SIZE, wait)
            except Timeout:
                return True
            if data:
                self.received = True
            events = proto.receive_data(data)
            for i, event in enumerate(events):
                if type(event) is ResponseStarted:
                    self._events.extend(events[i:])
                    return False
                if type(event) is InformationalResponse and event.status_code == 100:
                    self._events.extend(events[i + 1 :])
                    return True

    def _send_body(self, body: RequestBody, clock: Deadline) -> None:
        proto = self._proto
        write = self.stream.write
        read = getattr(body, "read", None)
        if isinstance(body, (bytes, bytearray, memoryview, str)):
            # A sized body sent after its head: for Content-Length framing the core hands the
            # very object back, so it is written without a copy.
            write(proto.send_body(body), clock.read_timeout())  # type: ignore[arg-type]
        elif read is not None:
            while True:
                chunk = read(BODY_CHUNK_SIZE)
                if not chunk:
                    break
                wire = proto.send_body(chunk)
                if wire:
                    write(wire, clock.read_timeout())
        else:
            # Only a streaming body comes here, never None.
            for chunk in body:  # type: ignore[union-attr]
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
        pending = self._events
        while pending:  # kept by _await_continue
            event = pending.popleft()
            if type(event) is ResponseStarted:
                self.first_byte_at = perf_counter()
                return event
        while True:
            data = read(READ_BUFFER_SIZE, clock.read_timeout())
            if data:
                self.received = True
                if not self.first_byte_at:  # (a 100 Continue's bytes do not count)
                    self.first_byte_at = perf_counter()
            events = proto.receive_data(data)
            if events:
                started = events[0]
                if type(started) is not ResponseStarted:
                    # Interim responses (their number bounded by the core) are not the answer.
                    events = [e for e in events if type(e) is not InformationalResponse]
                    if not events:
                        continue
                    started = events[0]
                if len(events) > 1:
                    self._events.extend(events[1:])
                return started  # type: ignore[return-value]
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
        if self.cycles == 1 and self.sessions is not None:
            # The first response has been read, so a TLS 1.3 server's tickets have arrived:
            # the session is worth remembering (it is read when the connection ends).
            self.sessions.save(self.stream)
        if self._proto.reusable and not self._events:
            self._proto.start_next_cycle()
            if self.pool is not None:
                self.pool.release(self)
                return
        self.discard()

    def discard(self) -> None:
        """Close the connection and tell its pool it is gone."""
        self.close()
        if self.pool is not None:
            self.pool.forget(self)

    def close(self) -> None:
        """Close the stream (without telling the pool: for connections the pool already left).

        A TLS session the pool's cache holds for this connection is read first (see
        :class:`~.tls_sessions.SessionCache`).
        """
        if self.sessions is not None:
            self.sessions.keep(self.stream)
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
