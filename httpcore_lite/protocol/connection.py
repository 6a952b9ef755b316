"""
The sans-IO client connection: a :class:`~httpcore_lite.models.PreparedRequest` in, bytes out;
bytes in, events (and a :class:`~httpcore_lite.models.Response`) out.

h11 does the HTTP/1.1 parsing and framing. This module adds what a requests-compatible client
needs on top of it, and nothing that touches the outside world:

* turning a ``PreparedRequest`` into an h11 request (request-target, ``Host``, header encoding,
  refusal of CR/LF/NUL before a single byte is produced, body framing), done step by step in
  :mod:`._head`; this module keeps the origin's ``Host`` and hands the head to h11;
* interim 1xx responses (absorbed, or returned as events on request; bounded in number), and
  the end of the cycle on ``101`` and on a ``2xx`` to ``CONNECT``, where the bytes that follow
  belong to another protocol;
* limits on the response head (size and number of fields), because h11 bounds only the size;
* translating every h11 error into the project's exception hierarchy, split the way requests
  splits it: a bad head is a :class:`~httpcore_lite.exceptions.ConnectionError`, a broken body
  is a :class:`~httpcore_lite.exceptions.ChunkedEncodingError`;
* optionally (per request) buffering and content-decoding the body into a ``Response``;
* the state of the cycle as data: one field holding the peer's :class:`State`, from which our
  side follows by a table (:attr:`ClientConnection.our_state`, ``their_state``).

Every reliance on h11's internals goes through :mod:`.fastpath`, behind its one switch.

What the core reads from a request (a ``PreparedRequest`` or any object with these attributes):
``method`` (str or bytes), ``url`` (an absolute ``http``/``https`` URL, already quoted),
``headers`` (a mapping, a ``CaseInsensitiveDict``, or an iterable of ``(name, value)`` pairs;
str or bytes, latin-1) and ``body`` (None, bytes, bytearray, memoryview, str -- sent as UTF-8 --
or anything else, which is streamed through :meth:`ClientConnection.send_body`). Nothing else:
no ``Accept-Encoding``, ``User-Agent`` or ``Connection`` header is added; only ``Host`` (from
the URL, when missing) and the body framing.

The connection never sleeps, reads or writes: the caller owns the socket (or the asyncio
stream, or the in-memory pipe) and the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NoReturn

import h11

from .._urls import has_origin
from ..exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    InvalidHeader,
    InvalidURL,
    RemoteDisconnected,
)
from . import decoders, fastpath
from ._head import (
    accepted_head,
    add_framing,
    body_bytes,
    checked_request,
    encode_fields,
    encode_method,
    host_header,
    remember_head,
    request_target,
    split_url,
)
from ._response_head import CHUNKED, parse_plain_head
from .events import (
    BodyData,
    Event,
    Fields,
    InformationalResponse,
    ResponseComplete,
    ResponseStarted,
)
from .state import State

if TYPE_CHECKING:
    from ..models import Response
    from ._head import OutgoingRequest
    from .fastpath import Headers

__all__ = [
    "DEFAULT_MAX_HEAD_SIZE",
    "DEFAULT_MAX_HEADER_COUNT",
    "DEFAULT_MAX_INTERIM_RESPONSES",
    "ClientConnection",
    "finish_response",
]

DEFAULT_MAX_HEAD_SIZE = 64 * 1024
"""Largest response head (status line + fields) accepted, in bytes.

Passed to h11 as ``max_incomplete_event_size``, so it also bounds a single chunk-size line.
64 KiB is four times h11's own default: enough for the large ``Set-Cookie`` and CSP headers
real sites send, small enough that a hostile server cannot make us buffer without end.
"""

DEFAULT_MAX_HEADER_COUNT = 100
"""Largest number of header fields accepted in one response head (http.client's limit too)."""

DEFAULT_MAX_INTERIM_RESPONSES = 5
"""Largest number of interim 1xx responses accepted before one final response (Go's limit).

A server that sends ``100 Continue`` forever would otherwise keep a client reading forever,
and keep every read timeout from firing, since bytes keep arriving.
"""

_COMPLETE = ResponseComplete()  # immutable and field-less: one instance serves every response
# h11's events are immutable and h11 only reads them: one trailer-less EndOfMessage serves
# every request, sparing its construction (and an empty Headers) per request.
_END = h11.EndOfMessage()
_VERSIONS = {b"1.1": "1.1", b"1.0": "1.0"}
# A whole status line at the start of a head that then broke off.
_STATUS_LINE = re.compile(rb"HTTP/1\.[01] [0-9]{3}[^\r\n]*\r?\n")

# The cycle's state is one field, the peer's side as State says it (their_state). Our side is
# derived from it and from whether a streaming body is still due (our_state). The members are
# bound to module names so that the hot path compares identities without attribute lookups.
_IDLE = State.IDLE  # no request sent in this cycle
_HEAD = State.SEND_RESPONSE  # request sent (or being sent), waiting for the final response head
_BODY = State.SEND_BODY  # final head received, body in progress
_DONE = State.DONE  # ResponseComplete emitted
_SWITCHED = State.SWITCHED  # ResponseComplete emitted; the stream belongs to another protocol
_ERROR = State.ERROR  # an error was raised; the connection is unusable

# Our side in each phase of theirs, while no streaming body is due (which makes it SEND_BODY
# until end_body, unless an error ended everything).
_OUR_STATE = {
    _IDLE: State.IDLE,
    _HEAD: State.DONE,
    _BODY: State.DONE,
    _DONE: State.DONE,
    _SWITCHED: State.DONE,
    _ERROR: State.ERROR,
}


_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")  # a chunk line the core frames itself


class ClientConnection:
    """One HTTP/1.1 connection's protocol state, for the client side.

    Use it in cycles: :meth:`send_request` (then :meth:`send_body`/:meth:`end_body` when
    :attr:`body_is_streaming`), feed everything the peer sends to :meth:`receive_data` until a
    :class:`ResponseComplete` comes out, then, if :attr:`reusable`, :meth:`start_next_cycle`.

    ``buffer_body=True`` keeps the body and builds :attr:`response` (content decoded) at the end
    of each cycle, which is what a non-streaming ``requests.get`` wants. ``buffer_body=False``
    keeps no body bytes at all: the caller consumes :class:`BodyData` events itself and
    :attr:`response` stays None (build one with :func:`~httpcore_lite.models.build_response`
    and, once the body is read, :func:`finish_response`). This is the connection's default;
    ``send_request(..., buffer_body=)`` chooses per request, so one pooled connection serves
    both kinds.

    ``interim_responses=True`` returns each interim 1xx response as an
    :class:`InformationalResponse` event (needed to implement ``Expect: 100-continue`` or to
    see ``103 Early Hints``); by default they are absorbed. More than
    ``max_interim_responses`` of them before one final response is a
    :class:`~httpcore_lite.exceptions.ConnectionError`. ``max_head_size`` and
    ``max_header_count`` bound each response head.

    :attr:`our_state` and :attr:`their_state` (:class:`State`) say where the cycle stands.

    Stale connections are the caller's duty: the core sees only the bytes it is given. Before
    reusing an idle connection, check that its stream has no buffered bytes and is not at EOF
    (asyncio streams: ``reader.at_eof()``; trio: ``stream.socket.is_readable()``; a socket:
    readable in ``select``);
    if it has either, close it. Bytes fed between :meth:`start_next_cycle` and the next
    :meth:`send_request` raise :class:`~httpcore_lite.exceptions.ConnectionError`; EOF then
    makes :attr:`reusable` False.

    Errors raised: :class:`~httpcore_lite.exceptions.InvalidHeader` or
    :class:`~httpcore_lite.exceptions.InvalidURL` for a request that cannot be put on the wire
    safely (nothing is produced and the connection stays usable);
    :class:`~httpcore_lite.exceptions.RemoteDisconnected` (a ``ConnectionError``) when the peer
    closed before any response byte, the one failure that is safe to retry;
    :class:`~httpcore_lite.exceptions.ConnectionError` for a malformed or oversized response
    head, or too many interim responses;
    :class:`~httpcore_lite.exceptions.ChunkedEncodingError` for a body that breaks
    its framing or ends early; :class:`~httpcore_lite.exceptions.ContentDecodingError` for bad
    compressed content (``buffer_body=True`` only). After a receive error the connection is
    unusable. Calling methods out of order (a second request before :meth:`start_next_cycle`)
    is a programming error and raises :class:`RuntimeError`, as does data fed after the
    connection was handed over to another protocol. Timeouts, and the mapping of a loop's own
    errors (``EndOfStream``, ``IncompleteReadError``...) to ``receive_data(b"")`` or to this
    hierarchy, are the caller's.
    """

    __slots__ = (
        "_h11",
        "_buffer_body",
        "_buffer_default",
        "_interim",
        "_max_interim",
        "_interim_count",
        "_max_head_size",
        "_max_header_count",
        "_phase",
        "_request",
        "_method",
        "_started",
        "_body",
        "_got_data",
        "_streaming",
        "_dead",
        "_left",
        "_length",
        "_bypassed",
        "_chunked",
        "_chunk_left",
        "_chunk_held",
        "_origin",
        "_host",
        "_pending",
        "_fast_head",
        "response",
        "trailing_data",
    )

    def __init__(
        self,
        buffer_body: bool = True,
        *,
        max_head_size: int = DEFAULT_MAX_HEAD_SIZE,
        max_header_count: int = DEFAULT_MAX_HEADER_COUNT,
        interim_responses: bool = False,
        max_interim_responses: int = DEFAULT_MAX_INTERIM_RESPONSES,
    ) -> None:
        self._buffer_body = self._buffer_default = buffer_body
        self._interim = interim_responses
        self._max_interim = max_interim_responses
        self._interim_count = 0
        self._max_head_size = max_head_size
        self._max_header_count = max_header_count
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=max_head_size)
        # The last request's "scheme://authority" and its Host value (see send_request).
        self._origin = "\0"
        self._host = b""
        self._phase = _IDLE
        self._request: OutgoingRequest | None = None
        self._method = b""
        self._started: ResponseStarted | None = None
        self._body: list[bytes] = []
        self._got_data = False
        self._streaming = False
        self._dead = False
        # Body bytes still to come while the core frames a Content-Length body itself (0 when
        # h11 frames it), that body's length, and whether h11 was left behind this cycle.
        self._left = 0
        self._length = 0
        self._bypassed = False
        # While the core frames a chunked body itself: data bytes left in the current chunk
        # (-1: its closing CRLF is still due) and the start of a chunk line held back.
        self._chunked = False
        self._chunk_left = 0
        self._chunk_held = b""
        # The plain lane (see _send_head and _receive_plain_head): the request sent without
        # h11 in this cycle, h11 being told only if it must take over (_catch_up), and the
        # head the core parsed itself while h11 may still have to read a chunked body after it.
        self._pending: h11.Request | None = None
        self._fast_head = b""
        #: The ``Response`` of the finished cycle (``buffer_body=True`` only), else None.
        self.response: Response | None = None
        #: Bytes that arrived after a ``101`` or a ``2xx`` to ``CONNECT``: they belong to the
        #: protocol the connection switched to (for a tunnel: the start of the TLS handshake).
        #: Whether the peer had already closed shows as ``their_state`` and ``reusable``; read
        #: the stream itself from then on.
        self.trailing_data = b""

    # -- state ----------------------------------------------------------------------------

    @property
    def our_state(self) -> State:
        """What the caller still owes the peer in this cycle.

        ``IDLE`` before :meth:`send_request`; ``SEND_BODY`` while a streaming body is due
        (:meth:`send_body`, then :meth:`end_body`); ``DONE`` once the request is fully framed;
        ``ERROR`` after any error.
        """
        phase = self._phase
        if self._streaming and phase is not _ERROR:
            return State.SEND_BODY
        return _OUR_STATE[phase]

    @property
    def their_state(self) -> State:
        """What the core still waits for from the peer in this cycle.

        ``IDLE`` before :meth:`send_request`; ``SEND_RESPONSE`` until the final response head
        (a read may then return no events); ``SEND_BODY`` while its body arrives; ``DONE``
        after :class:`ResponseComplete`; ``SWITCHED`` when the cycle ended by handing the
        connection over (101, ``CONNECT`` 2xx); ``ERROR`` after any error.
        """
        return self._phase

    @property
    def reusable(self) -> bool:
        """True when another request may be sent on this connection.

        That is: the last cycle ended cleanly on both sides, the server did not ask to close
        (``Connection: close``, HTTP/1.0 without keep-alive, close-delimited body), the
        connection was not switched to another protocol, the server sent nothing beyond the
        response, and the whole request body had gone out before the response ended. A fresh
        connection is reusable too. False until the cycle is over; from
        :class:`ResponseComplete` on, final for the cycle.
        """
        phase = self._phase
        if phase is _IDLE:
            return self._h11.our_state is h11.IDLE and not self._dead
        if self._pending is not None:
            # A plain exchange h11 never saw: the core has ruled on keep-alive itself (_dead).
            return phase is _DONE and not self._dead
        # h11 moves our side to MUST_CLOSE instead of DONE when either head disabled
        # keep-alive, so `our_state is DONE` carries that rule also when h11 never saw the
        # body (their side then stays in SEND_BODY: the core framed the body, see _receive_body).
        return (
            phase is _DONE
            and not self._dead
            and self._h11.our_state is h11.DONE
            and (self._bypassed or self._h11.their_state is h11.DONE)
        )

    @property
    def body_remaining(self) -> int | None:
        """How many body bytes the current response still has to deliver, when that is known.

        An int while a body framed by ``Content-Length`` is being received and the core frames
        it itself (from the first :meth:`receive_data` that leaves the rest of the body
        unreceived), so a caller may read exactly that much and no more; None otherwise
        (chunked or close-delimited bodies, before the head, once the response is complete).
        """
        return self._left or None

    @property
    def body_is_streaming(self) -> bool:
        """True after :meth:`send_request` when the body must follow via :meth:`send_body`."""
        return self._streaming

    def start_next_cycle(self) -> None:
        """Forget the finished cycle so that the next :meth:`send_request` may follow."""
        phase = self._phase
        if phase is _IDLE:
            return
        if phase is not _DONE or self._dead:
            raise RuntimeError("this connection cannot carry another request")
        if self._pending is not None:
            self._pending = None  # h11 never left IDLE
            self._fast_head = b""
            self._bypassed = False
        elif self._bypassed:
            # h11 never saw the end of the body, so it cannot start a cycle: a fresh h11 takes
            # over, once our side is DONE (request sent, keep-alive on both heads; see reusable).
            if self._h11.our_state is not h11.DONE:
                raise RuntimeError("this connection cannot carry another request")
            self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=self._max_head_size)
            self._bypassed = False
        else:
            try:
                # h11 checks the rest of `reusable` itself: both sides DONE.
                self._h11.start_next_cycle()
            except h11.LocalProtocolError as exc:
                raise RuntimeError("this connection cannot carry another request") from exc
        self._phase = _IDLE
        self._request = None
        self._started = None
        self._got_data = False
        self._interim_count = 0
        self.response = None
        if self._body:
            self._body = []

    # -- sending --------------------------------------------------------------------------

    def send_request(
        self,
        prepared: OutgoingRequest,
        target: str | bytes | None = None,
        extra_headers: Iterable[tuple[str | bytes, str | bytes]] = (),
        *,
        buffer_body: bool | None = None,
        streaming: bool | None = None,
    ) -> bytes:
        """Return the bytes that put ``prepared`` on the wire.

        ``target`` overrides the request-target: the absolute form (``http://host/path``) for a
        forward proxy, ``host:port`` for ``CONNECT``. ``extra_headers`` are appended after the
        request's own (``Proxy-Authorization``, for example). ``Host`` is added first, from the
        URL, unless either already has one.

        The body is framed as the headers say. A body that is None, bytes or str is returned
        here whole. Anything else (a file, a generator) is streaming: this returns the head
        only, :attr:`body_is_streaming` turns True and the caller sends each piece through
        :meth:`send_body` and finishes with :meth:`end_body`. A body with neither
        ``Content-Length`` nor ``Transfer-Encoding`` gets a ``Content-Length`` when sized and
        ``Transfer-Encoding: chunked`` when streaming. When the headers carry both, the
        ``Content-Length`` is dropped (RFC 9112 section 6.2 forbids sending both; a recipient
        would ignore it anyway), so the body is sent chunked.

        ``streaming`` says it explicitly: ``True`` returns the head only, whatever the body
        (None -- an async iterable the caller sends itself --, or bytes, which are then framed
        by their length: pass them to one :meth:`send_body` call, which returns that very
        object, so a large body is written without being copied into the head);
        ``False`` refuses a body that is not None, bytes or str. ``buffer_body`` overrides the
        connection's default for this one request.
        """
        if self._phase is not _IDLE:
            raise RuntimeError("a request is already in progress; call start_next_cycle() first")
        conn = self._h11
        if conn.our_state is not h11.IDLE:
            raise RuntimeError(f"cannot send a request in state {conn.our_state!r}")

        method = encode_method(prepared.method)
        url = prepared.url
        if url is None:
            raise InvalidURL("Invalid URL None: No scheme supplied")
        # A connection talks to one origin: when the URL starts with the last one, the Host
        # value is known and the rest of the URL is the target, without parsing anything.
        origin = self._origin
        if has_origin(url, origin):
            path = url[len(origin) :]
        else:
            scheme, authority, path = split_url(url)
            self._host = host_header(scheme, authority, url)
            self._origin = url[: len(url) - len(path)]
        target_b = request_target(path, target)
        self._buffer_body = self._buffer_default if buffer_body is None else buffer_body

        headers = prepared.headers
        body = prepared.body
        bodiless = body is None and streaming is None and not extra_headers
        if bodiless:
            accepted = accepted_head(method, target_b, self._host, headers)
            if accepted is not None:
                return self._send_head(accepted, prepared, method)

        fields, has_cl, has_te = encode_fields(headers, extra_headers, self._host)
        data, sized = body_bytes(body, streaming)
        if streaming is None:
            streaming = not sized
        fields = add_framing(fields, has_cl, has_te, sized, len(data))
        event = checked_request(method, target_b, fields, url)
        wire = self._send_framed(event, data, streaming)
        if bodiless:  # accepted, framing included: the same inputs may skip to sending
            remember_head(method, target_b, self._host, headers, event, wire)

        self._request = prepared
        self._method = method
        self._streaming = streaming
        self._phase = _HEAD
        return wire

    def _send_framed(
        self, event: h11.Request, data: bytes | bytearray | memoryview, streaming: bool
    ) -> bytes:
        """The head's bytes, then the body's when it goes out with the head, and the end."""
        conn = self._h11
        try:
            head = conn.send(event)
            if streaming:
                return head
            if data:
                # The passthrough variant hands back the body object uncopied: one join below
                # is the only copy of a large body.
                # h11 takes any bytes-like body though its stubs say bytes.
                chunk = h11.Data(data=data)  # type: ignore[arg-type]
                pieces = conn.send_with_data_passthrough(chunk) or []
                pieces.append(conn.send(_END))
                pieces.insert(0, head)
                return b"".join(pieces)
            return head + conn.send(_END)
        except h11.LocalProtocolError as exc:
            # h11 accepted the head but not its framing (e.g. a body longer than its
            # Content-Length): h11 is now in ERROR, so this connection is done.
            self._phase = _ERROR
            raise InvalidHeader(f"Request body does not match its framing headers: {exc}") from exc

    def _send_head(
        self,
        accepted: tuple[h11.Request, bytes | None],
        prepared: OutgoingRequest,
        method_b: bytes,
    ) -> bytes:
        """Send a bodiless request whose head was built and accepted before.

        When the exchange is plain (its bytes were kept), the bytes go out without h11: the
        plain lane, which h11 joins only if the response needs it (see _catch_up).
        """
        event, wire = accepted
        if wire is not None and fastpath.ENABLED:
            self._pending = event
        else:
            conn = self._h11
            try:
                wire = conn.send(event) + conn.send(_END)
            except h11.LocalProtocolError as exc:  # pragma: no cover - sent once already
                self._phase = _ERROR
                raise InvalidHeader(
                    f"Request body does not match its framing headers: {exc}"
                ) from exc
        self._request = prepared
        self._method = method_b
        self._streaming = False
        self._phase = _HEAD
        return wire

    def send_body(self, chunk: bytes | str) -> bytes:
        """Frame one piece of a streaming body (chunked or raw, as the headers say)."""
        if not self._streaming:
            raise RuntimeError("send_body() without a streaming request body in progress")
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        elif not isinstance(chunk, bytes):
            chunk = bytes(chunk)
        if not chunk:
            return b""
        try:
            return self._h11.send(h11.Data(data=chunk)) or b""
        except h11.LocalProtocolError as exc:
            self._phase = _ERROR
            self._streaming = False
            raise InvalidHeader(f"Request body does not match its framing headers: {exc}") from exc

    def end_body(self) -> bytes:
        """Finish a streaming body: the last-chunk for chunked framing, else ``b""``."""
        if not self._streaming:
            raise RuntimeError("end_body() without a streaming request body in progress")
        self._streaming = False
        try:
            return self._h11.send(_END) or b""
        except h11.LocalProtocolError as exc:
            self._phase = _ERROR
            raise InvalidHeader(f"Request body does not match its framing headers: {exc}") from exc

    # -- receiving ------------------------------------------------------------------------

    def receive_data(self, data: bytes | bytearray | memoryview) -> list[Event]:
        """Feed bytes from the peer (``b""`` when it closed) and return the events they made.

        ``data`` may be any bytes-like object, such as a ``memoryview`` of a buffer the caller
        reuses with ``recv_into``: it is copied before this returns.
        Returns ``[ResponseStarted, BodyData..., ResponseComplete]`` spread over as many calls
        as the bytes take. Bytes after the end of a response are kept, not parsed; they make
        the connection non-reusable (a server must not send anything unasked).
        """
        if self._left:
            return self._receive_body(data)
        if self._chunked:
            return self._receive_chunked(data)
        phase = self._phase
        if phase is _DONE:
            # Anything after the response, even EOF, means this connection is finished.
            self._dead = True
            return []
        if phase is _SWITCHED:
            if data:
                raise RuntimeError(
                    "the connection was handed over to another protocol: read the stream "
                    "directly (trailing_data holds what arrived with the head)"
                )
            return []
        if phase is _IDLE:
            # Nothing asked, so nothing may arrive: a stale keep-alive connection that the
            # server closed, or one that received garbage. Either way it must not be used.
            self._dead = True
            if data:
                self._phase = _ERROR
                raise ConnectionError("Received data while no request was in progress")
            return []
        if phase is _ERROR:
            raise ConnectionError("Connection is unusable after an earlier error")
        if self._pending is not None:
            if phase is _HEAD and type(data) is bytes:
                plain = self._receive_plain_head(data)
                if plain is not None:
                    return plain
            self._catch_up()

        conn = self._h11
        if data:
            self._got_data = True
        else:
            self._dead = True  # whatever the headers said, the peer has gone
        rest = b""
        if phase is _HEAD and fastpath.ENABLED and type(data) is bytes:
            # h11 gets the head only: the body that came with it is then framed by the core
            # (see the NEED_DATA branch below) instead of going through h11's buffer and events.
            end = data.find(b"\r\n\r\n") + 4
            if 3 < end < len(data):
                rest = data[end:]
                data = data[:end]
        try:
            conn.receive_data(data)  # type: ignore[arg-type]  # h11 copies any bytes-like
        except RuntimeError as exc:  # data after EOF
            self._phase = _ERROR
            raise ConnectionError("Received data after the peer closed the connection") from exc

        events: list[Event] = []
        try:
            while True:
                event = conn.next_event()
                kind = type(event)
                if kind is h11.Data:
                    chunk = bytes(event.data)  # type: ignore[union-attr]
                    if self._buffer_body:
                        self._body.append(chunk)
                    events.append(BodyData(chunk))
                elif kind is h11.Response:
                    started = self._start(event)  # type: ignore[arg-type]
                    events.append(started)
                    if self._method == b"CONNECT" and 200 <= started.status_code < 300:
                        self._switched(events)
                        break
                    self._phase = _BODY
                elif kind is h11.EndOfMessage:
                    # Trailers, rarely any: h11's field list read directly (no call) when it can.
                    fields = event.headers  # type: ignore[union-attr]
                    self._complete(
                        events,
                        fields
                        if (fastpath.header_triples(fields) if fastpath.ENABLED else fields)
                        else None,
                    )
                    break
                elif event is h11.NEED_DATA or event is h11.PAUSED:
                    if self._phase is _BODY and fastpath.ENABLED:
                        # h11 has parsed the head and holds no body byte: the core may frame
                        # the rest of the body itself (see _receive_body, _receive_chunked).
                        framing, left, length = fastpath.body_framing(conn)
                        if framing == fastpath.LENGTH:
                            self._left = left
                            self._length = length
                        elif framing == fastpath.CHUNKED:
                            self._chunked = True
                    break
                elif kind is h11.InformationalResponse:
                    if event.status_code == 101:  # type: ignore[union-attr]
                        events.append(self._start(event))  # type: ignore[arg-type]
                        self._switched(events)
                        break
                    # 100 Continue, 103 Early Hints...: interim, not the response.
                    self._interim_count += 1
                    if self._interim_count > self._max_interim:
                        self._phase = _ERROR
                        raise ConnectionError(
                            f"More than {self._max_interim} interim (1xx) responses to one request"
                        )
                    if self._interim:
                        events.append(
                            InformationalResponse(
                                event.status_code,  # type: ignore[union-attr]
                                event.reason.decode("latin-1"),  # type: ignore[union-attr]
                                self._fields(event.headers),  # type: ignore[union-attr]
                            )
                        )
                elif kind is h11.ConnectionClosed:
                    break
        except h11.RemoteProtocolError as exc:
            raise self._fail(exc) from exc
        if rest:
            if self._left:
                events.extend(self._receive_body(rest))
            elif self._chunked:
                events.extend(self._receive_chunked(rest))
            elif self._phase is _SWITCHED:
                self.trailing_data += rest  # 101 or CONNECT: the next protocol's first bytes
            else:
                events.extend(self.receive_data(rest))  # as if it had come in a second read
        return events

    def _receive_plain_head(self, data: bytes) -> list[Event] | None:
        """Start the response of a plain exchange without h11, or None if h11 must parse it.

        The whole head must be in ``data`` and be one :func:`parse_plain_head` accepts (nearly
        every response, from the first read); the body that came with it is then framed as in
        any other cycle where the core frames it (see _receive_body, _receive_chunked).
        """
        end = data.find(b"\r\n\r\n")
        if end < 0 or end + 4 > self._max_head_size:
            return None
        head = parse_plain_head(data, end, self._method)
        if head is None:
            return None
        status, reason, fields, length, keep_alive = head
        if len(fields) > self._max_header_count:
            self._too_many_fields(len(fields))
        started = ResponseStarted(status, reason, fields, "1.1")
        self._started = started
        self._got_data = True
        self._phase = _BODY
        if not keep_alive:
            self._dead = True
        events: list[Event] = [started]
        end += 4
        rest = data[end:] if end < len(data) else b""
        if length > 0:
            self._left = self._length = length
            if rest:
                events.extend(self._receive_body(rest))
        elif length == CHUNKED:
            self._chunked = True
            self._fast_head = data[:end]  # for h11, should it take the body over
            if rest:
                events.extend(self._receive_chunked(rest))
        else:
            if rest:
                self._dead = True  # bytes beyond a bodiless response: never trust it again
            self._complete(events)
        return events

    def _catch_up(self) -> None:
        """Bring h11 to where the plain lane stands, so that it can take over.

        h11 is told the request (its bytes are already out), then, when the core is inside a
        chunked body it parsed the head of, that head: h11's chunk reader is then at the first
        chunk, as at any chunk boundary where the core hands a body back (see _receive_chunked).
        """
        conn = self._h11
        event = self._pending
        self._pending = None
        conn.send(event)  # type: ignore[arg-type]  # only called while one is pending
        conn.send(_END)
        head = self._fast_head
        if head:
            self._fast_head = b""
            conn.receive_data(head)
            conn.next_event()  # the response head the core returned already

    def _receive_chunked(self, data: bytes | bytearray | memoryview) -> list[Event]:
        """Frame a chunked body without h11, from a chunk boundary where h11 holds nothing.

        Only the plain form is framed here (``<hex size>\r\n<data>\r\n``). The last chunk,
        and any chunk line with an extension or anything unusual, goes back to h11 together with
        all that follows: its chunk reader is then in the same state as at the start of the
        body, so it parses the trailers, ends the message and names every error itself.
        """
        if not data:
            self._chunked = False
            return self.receive_data(data)  # EOF inside the body: h11 reports it
        held = self._chunk_held
        if held:
            data = held + data
            self._chunk_held = b""
        elif type(data) is not bytes:
            data = bytes(data)
        self._got_data = True
        left = self._chunk_left
        size = len(data)
        pos = 0
        events: list[Event] = []
        body = self._body if self._buffer_body else None
        while True:
            if left > 0:
                end = pos + left
                if end > size:
                    chunk = data[pos:] if pos else data
                    left = end - size
                    pos = size
                else:
                    chunk = data[pos:end] if pos or end != size else data
                    left = -1
                    pos = end
                if body is not None:
                    body.append(chunk)
                events.append(BodyData(chunk))
                if pos == size:
                    break
            if left < 0:  # the CRLF that closes a chunk's data
                footer = data[pos : pos + 2]
                if footer != b"\r\n":
                    if footer in (b"", b"\r") and pos + 2 > size:
                        self._chunk_held = footer  # the rest of it comes in the next read
                        break
                    # h11's words for the same error, so the cause reads the same
                    exc = h11.RemoteProtocolError(
                        f"malformed chunk footer: {footer!r} (expected b'\\r\\n')"
                    )
                    raise self._fail(exc) from exc
                pos += 2
                left = 0
            line_end = data.find(b"\r\n", pos, pos + 22)
            if line_end < 0 and size - pos < 22:
                self._chunk_held = data[pos:]  # the line goes on in the next read
                break
            if line_end < 0 or _CHUNK_SIZE.fullmatch(data, pos, line_end) is None:
                left = 0  # unusual: h11 takes it from here
            else:
                left = int(data[pos:line_end], 16)
            if not left:
                self._chunked = False
                self._chunk_left = 0
                if self._pending is not None and data.startswith(b"0\r\n\r\n", pos):
                    # The plain last chunk, without trailers, of a plain exchange: the end.
                    if size > pos + 5:
                        self._dead = True  # bytes beyond the response: never trust it again
                    self._complete(events)
                    return events
                # The last chunk (or a line h11 must judge): h11 takes over from this line.
                events.extend(self.receive_data(data[pos:]))
                return events
            pos = line_end + 2
            if pos == size:
                break
        self._chunk_left = left
        return events

    def _receive_body(self, data: bytes | bytearray | memoryview) -> list[Event]:
        """Frame a Content-Length body without h11: cut the bytes at its end, count down.

        h11 saw the head and has nothing buffered; it is replaced at the next cycle.
        """
        left = self._left
        if type(data) is not bytes:
            data = bytes(data)  # a caller's reused buffer (the one copy h11 would make too)
        size = len(data)
        if not size:
            self._dead = True
            self._left = 0
            # The error h11's reader gives for the same EOF, so the cause reads the same.
            exc = h11.RemoteProtocolError(
                "peer closed connection without sending complete message body: "
                f"received {self._length - left} bytes, expected {self._length}"
            )
            raise self._fail(exc) from exc
        self._got_data = True
        if size <= left:
            chunk = data  # the bytes object fed in, not a copy
            left -= size
        else:
            chunk = data[:left]
            left = 0
            self._dead = True  # the server sent more than the response: never trust it again
        self._left = left
        if self._buffer_body:
            self._body.append(chunk)
        events: list[Event] = [BodyData(chunk)]
        if not left:
            self._bypassed = True
            self._complete(events)
        return events

    def _fields(self, headers: Headers) -> Fields:
        """h11's fields as (name, value) str pairs, wire case and order; their number bounded."""
        if fastpath.ENABLED:
            triples = fastpath.header_triples(headers)
            fields = tuple([(n.decode("latin-1"), v.decode("latin-1")) for n, _, v in triples])
        else:
            raw = headers.raw_items()
            fields = tuple([(n.decode("latin-1"), v.decode("latin-1")) for n, v in raw])
        if len(fields) > self._max_header_count:
            self._too_many_fields(len(fields))
        return fields

    def _too_many_fields(self, count: int) -> NoReturn:
        self._phase = _ERROR
        raise ConnectionError(
            f"Response head has {count} header fields, more than the limit of "
            f"{self._max_header_count}"
        )

    def _start(self, event: h11.Response | h11.InformationalResponse) -> ResponseStarted:
        fields = self._fields(event.headers)
        version = _VERSIONS.get(event.http_version)
        if version is None:
            # h11 reads any "HTTP/x.y". Like http.client, take a later 1.x for 1.1 and refuse
            # the rest: "HTTP/2.0" or "HTTP/0.9" on this connection is not a protocol we speak.
            if not event.http_version.startswith(b"1."):
                self._phase = _ERROR
                raise ConnectionError(
                    f"Unsupported HTTP version in response: {event.http_version!r}"
                )
            version = "1.1"
        started = ResponseStarted(
            event.status_code,
            event.reason.decode("latin-1"),
            fields,
            version,
        )
        self._started = started
        return started

    def _switched(self, events: list[Event]) -> None:
        """End a cycle whose connection now belongs to another protocol (101, CONNECT 2xx)."""
        self.trailing_data = self._h11.trailing_data[0]
        self._dead = True  # never reusable for HTTP/1.1 again
        self._complete(events)
        self._phase = _SWITCHED

    def _complete(self, events: list[Event], trailers: Headers | None = None) -> None:
        self._phase = _DONE
        if self._streaming or self._h11.trailing_data[0]:
            # The server answered before the whole request body arrived (it may not read the
            # rest), or sent more than the response: never trust this connection again.
            self._dead = True
        if self._buffer_body and self._started is not None:
            response = (_build_response or _load_build_response())(self._started, self._request)
            body = b"".join(self._body) if len(self._body) != 1 else self._body[0]
            self._body = []
            try:
                finish_response(response, body)
            except Exception:
                self._dead = True
                raise
            self.response = response
        if trailers:
            events.append(ResponseComplete(self._fields(trailers)))
        else:
            events.append(_COMPLETE)

    def _fail(self, exc: h11.RemoteProtocolError) -> Exception:
        """Map an h11 parse error to ours; the phase says whether the head or the body broke."""
        phase = self._phase
        self._phase = _ERROR
        self._body = []
        if phase is _BODY:
            return ChunkedEncodingError(f"Response body ended or was framed badly: {exc}")
        if not self._got_data:
            return RemoteDisconnected("Remote end closed connection without response")
        if "too long" in str(exc):
            return ConnectionError(
                f"Response head larger than the limit of {self._max_head_size} bytes"
            )
        # requests' exception classes for two broken heads (its suite asserts them):
        if "conflicting Content-Length" in str(exc):
            return InvalidHeader(f"Response head has conflicting Content-Length headers: {exc}")
        head, closed = self._h11.trailing_data
        if closed and _STATUS_LINE.match(head):
            # The status line came whole, then the peer hung up inside the header fields: the
            # response had started, so this is a response cut short, not a connection refused.
            return ChunkedEncodingError(f"Connection closed inside the response head: {exc}")
        return ConnectionError(f"Malformed response head: {exc}")


# -- responses ----------------------------------------------------------------------------

_build_response: Callable[[ResponseStarted, object], Response] | None = None


def _load_build_response() -> Callable[[ResponseStarted, object], Response]:
    """Import models on first use: the core itself needs it only for ``buffer_body=True``."""
    global _build_response
    from ..models import build_response

    _build_response = build_response
    return build_response


def finish_response(response: Response, body: bytes) -> Response:
    """Attach the whole, undecoded body to a response from ``models.build_response``.

    ``body`` is the concatenated :class:`BodyData` pieces; it is content-decoded here (bounded,
    like every decoding in the core) as ``Content-Encoding`` says. Returns the response, whose
    ``content``, ``text`` and ``json()`` then work as for any buffered response.
    Raises :class:`~httpcore_lite.exceptions.ContentDecodingError` for bad compressed content.
    """
    encoding = response.headers.get("content-encoding")
    if encoding and body:
        body = decoders.decode_all(encoding, body)
    response.set_content(body)
    response.raw = None
    return response
