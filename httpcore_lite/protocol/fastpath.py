"""
Every use the core makes of h11's private internals, behind one switch.

h11 parses every response head. Once it has, the core may frame the body itself, which spares
h11's buffer copies and state machine on every piece of a download, and it may read h11's
parsed header triples without the ``raw_items()`` copy, or build request events without h11
re-running the checks the core has already made. Each of those needs something h11 does not
promise to keep: a reader's class and counters, ``Headers._full_items``, the ``_parsed`` keyword.

So they all live here, and :data:`ENABLED` turns them all off at once:

* the environment variable ``HTTPCORE_LITE_NO_FASTPATH=1`` (read once, at import) turns them
  off, for a user who suspects them or a CI run that proves the slow path;
* at import, :func:`self_check` drives a throwaway ``h11.Connection`` through canned responses
  and turns them off if anything is missing or behaves differently from what the core relies
  on, including the plain lane's promise: canned plain heads read by the core's own parser
  give what this h11 makes of them.

The same switch turns off the plain lane (``protocol.connection``: a repeated plain request
sent, and its response head parsed, by the core without h11), so that a run with the switch
off exercises h11's public API for everything.

With :data:`ENABLED` False the core uses only h11's public API: slower, same results.
Nothing here is touched unless :data:`ENABLED` is True, so another h11 still imports and works.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import h11

if TYPE_CHECKING:
    # h11's header list type, for annotations (here, with the other reliances on h11 internals)
    from h11._headers import Headers as Headers

__all__ = ["ENABLED", "ENV_VAR", "body_framing", "disable", "header_triples", "trusted_request"]

ENV_VAR = "HTTPCORE_LITE_NO_FASTPATH"
"""Set to ``1`` (or any value but ``""`` and ``0``) to run on h11's public API only."""

#: Framing kinds returned by :func:`body_framing`.
OTHER = 0  # h11 keeps framing the body (close-delimited, or h11 holds unparsed bytes)
LENGTH = 1  # a Content-Length body of which h11 holds no byte: the core counts down the rest
CHUNKED = 2  # a chunked body at a chunk boundary with nothing buffered: the core may frame it

_readers = getattr(h11, "_readers", None)
_CL_READER: object = getattr(_readers, "ContentLengthReader", None)
_CHUNKED_READER: object = getattr(_readers, "ChunkedReader", None)

ENABLED = os.environ.get(ENV_VAR, "") in ("", "0")
"""True while the core may use the fast paths; read it at call time, never copy it."""


def disable() -> None:
    """Turn every fast path off for the rest of the process."""
    global ENABLED
    ENABLED = False


def body_framing(conn: h11.Connection) -> tuple[int, int, int]:
    """How the body of the response h11 has just parsed may be framed: (kind, left, length).

    Call only right after ``next_event()`` returned ``NEED_DATA`` in the body phase. For
    :data:`LENGTH`, ``left`` is what is still to come and ``length`` the whole body. The
    promise h11 keeps today: its Content-Length reader returns ``NEED_DATA`` only with an empty
    buffer, so ``left`` bytes are all still on the wire.
    """
    reader = getattr(conn, "_reader", None)  # an h11 reader: its class says which
    if reader is None:
        return OTHER, 0, 0
    kind = type(reader)
    if kind is _CL_READER:
        left = reader._remaining
        if left:
            return LENGTH, left, reader._length
    elif kind is _CHUNKED_READER:
        # h11 keeps a partial chunk header in its buffer; only an empty one is a chunk boundary
        # (public API: trailing_data is what h11 holds unparsed) in the reader's first state.
        if (
            reader._bytes_in_chunk == 0
            and not reader._bytes_to_discard
            and not reader._reading_trailer
            and not conn.trailing_data[0]
        ):
            return CHUNKED, 0, 0
    return OTHER, 0, 0


def header_triples(headers: Headers) -> list[tuple[bytes, bytes, bytes]]:
    """h11's (raw name, lowercased name, value) triples: ``raw_items()`` without the copy."""
    return headers._full_items


def trusted_request(
    method: bytes, target: bytes, headers: list[tuple[bytes, bytes]]
) -> h11.Request:
    """An ``h11.Request`` whose fields the caller has already validated (h11 skips its regexes).

    h11 still checks the method, the target, ``Host`` and the body framing.
    """
    return h11.Request(method=method, target=target, headers=headers, _parsed=True)


def _expect(value: object, wanted: object) -> None:
    if value != wanted:
        raise AssertionError(f"{value!r} != {wanted!r}")


def self_check() -> None:
    """Prove on this h11 what the fast paths rely on; raise when something differs.

    Runs once at import (about a millisecond). Checks, against h11's own answers: the header
    triples, a trusted request's bytes, the Content-Length reader's counters after a head with
    and without body bytes, and that a chunked body handed back to h11 at a chunk boundary ends
    the message and the cycle as if h11 had read every chunk.
    """
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-Case: V\r\nx-case: w\r\n\r\n"
    fields = [(b"Host", b"h"), (b"Accept", b"*/*")]
    for prefix_len in (0, 3):
        conn = h11.Connection(h11.CLIENT)
        wire = conn.send(trusted_request(b"GET", b"/", fields))
        conn.send(h11.EndOfMessage())
        _expect(
            wire,
            h11.Connection(h11.CLIENT).send(h11.Request(method="GET", target="/", headers=fields)),
        )
        conn.receive_data(head + b"x" * prefix_len)
        response = conn.next_event()
        _expect(type(response), h11.Response)
        triples = header_triples(response.headers)  # type: ignore[union-attr]
        _expect([(n, v) for n, _, v in triples], response.headers.raw_items())  # type: ignore[union-attr]
        _expect([lower for _, lower, _ in triples], [n.lower() for n, _, _ in triples])
        if prefix_len:
            _expect(bytes(conn.next_event().data), b"x" * prefix_len)  # type: ignore[union-attr]
        _expect(conn.next_event(), h11.NEED_DATA)
        _expect(body_framing(conn), (LENGTH, 10 - prefix_len, 10))

    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    for read_by_h11 in (b"", b"5\r\nhello\r\n"):
        conn = h11.Connection(h11.CLIENT)
        conn.send(h11.Request(method="GET", target="/", headers=fields))
        conn.send(h11.EndOfMessage())
        conn.receive_data(chunked + read_by_h11)
        _expect(type(conn.next_event()), h11.Response)
        if read_by_h11:
            _expect(bytes(conn.next_event().data), b"hello")  # type: ignore[union-attr]
        _expect(conn.next_event(), h11.NEED_DATA)
        _expect(body_framing(conn), (CHUNKED, 0, 0))
        # the chunks the core frames itself never reach h11; the last chunk and trailers do
        conn.receive_data(b"0\r\nTrailer-A: 1\r\n\r\n")
        end = conn.next_event()
        _expect(type(end), h11.EndOfMessage)
        _expect(end.headers.raw_items(), [(b"Trailer-A", b"1")])  # type: ignore[union-attr]
        _expect((conn.our_state, conn.their_state), (h11.DONE, h11.DONE))
        conn.start_next_cycle()
    # a chunk header split by the network stays in h11's buffer: not a boundary
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method="GET", target="/", headers=fields))
    conn.send(h11.EndOfMessage())
    conn.receive_data(chunked + b"5\r")
    _expect(type(conn.next_event()), h11.Response)
    _expect(conn.next_event(), h11.NEED_DATA)
    _expect(body_framing(conn), (OTHER, 0, 0))
    _check_plain_heads()


_PLAIN_HEADS = (
    (b"HTTP/1.1 200 OK\r\nX-A:  b c \t\r\nX-B:\r\nContent-Length: 5\r\n\r\n", b"GET"),
    (b"HTTP/1.1 404 \xc0\r\nTransfer-Encoding: chunked\r\nConnection: x, close\r\n\r\n", b"GET"),
    (b"HTTP/1.1 204\r\nContent-Length: 7\r\n\r\n", b"GET"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 0005\r\n\r\n", b"HEAD"),
)


def _check_plain_heads() -> None:
    """The plain lane's promise on this h11: each canned plain head, read by the core's parser,
    gives h11's status, reason, fields, keep-alive and body framing."""
    from ._response_head import CHUNKED, parse_plain_head

    for head, method in _PLAIN_HEADS:
        ours = parse_plain_head(head, len(head) - 4, method)
        if ours is None:
            raise AssertionError(f"plain head refused: {head!r}")
        status, reason, fields, length, keep_alive = ours
        conn = h11.Connection(h11.CLIENT)
        conn.send(h11.Request(method=method, target="/", headers=[("Host", "h")]))
        conn.send(h11.EndOfMessage())
        conn.receive_data(head)
        event = conn.next_event()
        _expect(type(event), h11.Response)
        _expect(
            (status, reason, fields, keep_alive),
            (
                event.status_code,  # type: ignore[union-attr]
                event.reason.decode("latin-1"),  # type: ignore[union-attr]
                tuple(
                    (n.decode("latin-1"), v.decode("latin-1"))
                    for n, v in event.headers.raw_items()  # type: ignore[union-attr]
                ),
                conn.our_state is h11.DONE,  # MUST_CLOSE when a head disabled keep-alive
            ),
        )
        conn.receive_data(b"0\r\n\r\n" if length == CHUNKED else b"x" * length)
        body = b""
        for _ in range(3):  # Data, then EndOfMessage; never wait for more bytes
            event = conn.next_event()
            if type(event) is h11.Data:
                body += event.data
            elif type(event) is h11.EndOfMessage:
                break
        _expect(type(event), h11.EndOfMessage)
        _expect(body, b"" if length == CHUNKED else b"x" * length)


if ENABLED:
    try:
        self_check()
    except Exception:  # anything at all: a missing name, another signature, other results
        disable()
