"""The core's own parser of plain response heads gives h11's answer, or leaves it to h11.

Each response is read twice over the same random splits: once on the plain lane (a repeated
plain request, sent without h11, whose response head the core parses itself) and once with the
fast paths off (h11's public API only). Events, body, error class, reusability and trailing
bytes must be identical, and the plain lane must really have been taken.
"""

from __future__ import annotations

import os
from typing import Any

import h11
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpcore_lite.exceptions import ChunkedEncodingError, ConnectionError
from httpcore_lite.protocol import (
    BodyData,
    ClientConnection,
    ResponseComplete,
    ResponseStarted,
    fastpath,
)
from httpcore_lite.protocol._response_head import CHUNKED, parse_plain_head
from tests.protocol.test_connection import Req

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

needs_fastpath = pytest.mark.skipif(not fastpath.ENABLED, reason="the fast paths are off")


def plain_connection(req: Req) -> ClientConnection:
    """A connection on which ``req`` goes out on the plain lane (its head sent once before)."""
    ClientConnection().send_request(req)  # builds, checks and remembers the head
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req)
    return conn


def run(wire: bytes, cuts: list[int], plain: bool, method: str = "GET") -> tuple[Any, ...]:
    """Feed ``wire`` cut at ``cuts`` (then EOF unless complete); return what is observable."""
    saved = fastpath.ENABLED
    fastpath.ENABLED = plain
    try:
        req = Req(method)
        if plain:
            conn = plain_connection(req)
            assert conn._pending is not None  # the request went out without h11
        else:
            conn = ClientConnection(buffer_body=False)
            conn.send_request(req)
        pieces = [wire[a:b] for a, b in zip([0, *cuts], [*cuts, len(wire)], strict=True)]
        events: list[Any] = []
        error: Any = None
        try:
            for piece in pieces:
                events.extend(conn.receive_data(piece))
            if not events or type(events[-1]) is not ResponseComplete:
                events.extend(conn.receive_data(b""))
        except Exception as exc:  # compared by class
            error = type(exc)
        others = [e for e in events if not isinstance(e, BodyData)]
        body = b"".join(e.data for e in events if isinstance(e, BodyData))
        return others, body, error, error is None and conn.reusable, conn.trailing_data
    finally:
        fastpath.ENABLED = saved


def h11_head(data: bytes, method: bytes) -> tuple[Any, ...] | None:
    """What h11 makes of a head: status, reason, fields, framing, keep-alive (None: refused)."""
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=method, target="/", headers=[("Host", "h")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(data)
    try:
        event = conn.next_event()
    except h11.RemoteProtocolError:
        return None
    if type(event) is not h11.Response:
        return None
    fields = tuple((n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers.raw_items())
    keep_alive = conn.our_state is h11.DONE  # MUST_CLOSE when either side disabled keep-alive
    return event.status_code, event.reason.decode("latin-1"), fields, keep_alive


# -- heads: mostly plain, often slightly off ----------------------------------------------

# Pieces a plain head is made of, then pieces that make it unusual or malformed.
PLAIN_NAMES = [b"Content-Type", b"X-A", b"Set-Cookie", b"Server", b"Connection", b"Date", b"ETag"]
ODD_NAMES = [b"content-length", b"Transfer-Encoding", b"X A", b"X:B", b"", b"\xe9t\xe9", b"x\x00"]
PLAIN_VALUES = [
    b"text/plain",
    b"a, b",
    b" padded\t",
    b"",
    b"close",
    b"Keep-Alive, Close",
    b"keep-alive",
    b"\xa0close\x85",
    b"\x1fx\x1c",
    b'"quoted"',
    b"caf\xe9",
]
ODD_VALUES = [
    b"chunked",
    b"Chunked",
    b"5",
    b"05",
    b"5, 5",
    b"-1",
    b"\xb2",
    b"1" * 19,
    b"a\x00b",
    b"a\rb",
    b"a\x0bb",
    b"\x0cx",
]
PLAIN_STATUS = [
    b"HTTP/1.1 200 OK",
    b"HTTP/1.1 200",
    b"HTTP/1.1 200 ",
    b"HTTP/1.1 204 No Content",
    b"HTTP/1.1 304 Not Modified",
    b"HTTP/1.1 404 Not \xc3\x80 Found",
    b"HTTP/1.1 599 x\ty",
]
ODD_STATUS = [
    b"HTTP/1.0 200 OK",
    b"HTTP/1.1 100 Continue",
    b"HTTP/1.1 101 Switching",
    b"HTTP/2.0 200 OK",
    b"HTTP/1.1 20 OK",
    b"http/1.1 200 OK",
    b" HTTP/1.1 200 OK",
    b"HTTP/1.1 200 \x0bOK",
    b"HTTP/1.1 200 O\x0cK",
    b"HTTP/1.1 200 \x00",
]


@st.composite
def heads(draw: Any) -> tuple[bytes, bytes]:
    """A response head and a body of any framing after it: plain, or with odd pieces in it."""
    odd = draw(st.booleans())
    names = st.sampled_from(PLAIN_NAMES)
    values = st.one_of(
        st.sampled_from(PLAIN_VALUES),
        st.binary(max_size=6).filter(lambda v: not any(c in v for c in b"\x00\r\n\x0b\x0c")),
    )
    separators = st.sampled_from([b": ", b":", b":\t", b":  "])
    line_ends = st.just(b"\r\n")
    status = st.sampled_from(PLAIN_STATUS)
    if odd:
        names = st.one_of(names, st.sampled_from(ODD_NAMES), st.binary(min_size=1, max_size=4))
        values = st.one_of(values, st.sampled_from(ODD_VALUES), st.binary(max_size=6))
        separators = st.one_of(separators, st.just(b" : "))
        line_ends = st.sampled_from([b"\r\n"] * 4 + [b"\n", b"\r", b"\r\n "])
        status = st.one_of(
            status,
            st.sampled_from(ODD_STATUS),
            st.builds(
                lambda c, r: b"HTTP/1.1 %d %s" % (c, r), st.integers(0, 999), st.binary(max_size=4)
            ),
        )
    lines = [draw(status)]
    body = draw(st.binary(max_size=40))
    framing = draw(
        st.sampled_from(["length", "chunked", "none", "both"] if odd else ["length", "chunked"])
    )
    fields = draw(st.lists(st.tuples(names, separators, values, line_ends), max_size=6))
    for name, sep, value, end in fields:
        lines.append(name + sep + value + end)
    if framing in ("length", "both"):
        lines.insert(draw(st.integers(1, len(lines))), b"Content-Length: %d\r\n" % len(body))
    if framing in ("chunked", "both"):
        lines.insert(draw(st.integers(1, len(lines))), b"Transfer-Encoding: chunked\r\n")
        sizes = draw(st.lists(st.integers(1, 9), max_size=4))
        out, pos = b"", 0
        for size in sizes:
            out += b"%x\r\n%s\r\n" % (size, body[pos : pos + size])
            pos += size
        trailer = draw(st.sampled_from([b"", b"X-T: 1\r\n"]))
        body = out + b"0\r\n" + trailer + b"\r\n"
    head = lines[0] + b"\r\n" + b"".join(lines[1:])
    return head + b"\r\n", body + draw(st.sampled_from([b"", b"", b"", b"extra"]))


@needs_fastpath
@FUZZ
@given(heads(), st.sampled_from(["GET", "HEAD"]), st.lists(st.integers(min_value=0), max_size=6))
def test_the_plain_lane_reads_every_response_as_h11_does(
    response: tuple[bytes, bytes], method: str, cuts: list[int]
) -> None:
    head, body = response
    wire = head + body
    assert run(wire, cuts, True, method) == run(wire, cuts, False, method)


@needs_fastpath
@FUZZ
@given(heads(), st.sampled_from([b"GET", b"HEAD"]))
def test_an_accepted_head_is_what_h11_reads(response: tuple[bytes, bytes], method: bytes) -> None:
    head, _ = response
    ours = parse_plain_head(head, len(head) - 4, method)
    if ours is None or head.find(b"\r\n\r\n") != len(head) - 4:
        return
    theirs = h11_head(head, method)
    assert theirs is not None
    status, reason, fields, length, keep_alive = ours
    assert (status, reason, fields, keep_alive) == theirs
    names = [name.lower() for name, _ in fields]
    if length == CHUNKED:
        assert "transfer-encoding" in names and "content-length" not in names
    elif status not in (204, 304) and method != b"HEAD":
        assert names.count("content-length") == 1


PLAIN = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"


def test_a_plain_head_is_accepted_with_its_framing() -> None:
    head = b"HTTP/1.1 200 OK\r\nX-A:  b c \t\r\nContent-Length: 5\r\n\r\n"
    assert parse_plain_head(head, len(head) - 4, b"GET") == (
        200,
        "OK",
        (("X-A", "b c"), ("Content-Length", "5")),
        5,
        True,
    )
    chunked = b"HTTP/1.1 404 \xc0\r\nTransfer-Encoding: chunked\r\nConnection: x, close\r\n\r\n"
    assert parse_plain_head(chunked, len(chunked) - 4, b"GET") == (
        404,
        "\xc0",
        (("Transfer-Encoding", "chunked"), ("Connection", "x, close")),
        CHUNKED,
        False,
    )
    assert parse_plain_head(PLAIN, len(PLAIN) - 4, b"HEAD")[3] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    "field",
    [
        b"Connection: \xa0close",  # no close token for h11: NBSP is not whitespace in HTTP
        b"Connection: keep-alive,\x85close",
        b"Connection: x ,\tCLOSE ",
        b"X-A: \x1fkept\x1c",
        b"X-A: \xa0 kept \xa0",
        b"Content-Length: 0005",
    ],
)
def test_edge_values_read_as_h11_reads_them(field: bytes) -> None:
    head = b"HTTP/1.1 200 OK\r\n" + field + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
    if field.startswith(b"Content-Length"):
        head = head.replace(b"Transfer-Encoding: chunked\r\n", b"")
    ours = parse_plain_head(head, len(head) - 4, b"GET")
    assert ours is not None
    assert (ours[0], ours[1], ours[2], ours[4]) == h11_head(head, b"GET")


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 5\r\n\r\n",  # folded
        b"HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",  # ends with the connection
        b"HTTP/1.1 200 OK\r\nX A: b\r\nContent-Length: 5\r\n\r\n",
        b"HTTP/1.1 200 OK\nContent-Length: 5\r\n\r\n",
    ],
)
def test_anything_unusual_is_left_to_h11(head: bytes) -> None:
    assert parse_plain_head(head, head.find(b"\r\n\r\n"), b"GET") is None


@needs_fastpath
def test_a_plain_exchange_never_wakes_h11_and_the_connection_is_reused() -> None:
    conn = plain_connection(Req())
    for _ in range(3):
        events = conn.receive_data(PLAIN + b"hello")
        assert [type(e) for e in events] == [ResponseStarted, BodyData, ResponseComplete]
        assert conn._h11.our_state is h11.IDLE  # h11 was never told of this exchange
        assert conn.reusable
        conn.start_next_cycle()
        conn.send_request(Req())
        assert conn._pending is not None


@needs_fastpath
def test_h11_takes_over_a_chunked_body_at_its_trailers() -> None:
    conn = plain_connection(Req())
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    events = conn.receive_data(head + b"5\r\nhello\r\n")
    assert conn._pending is not None
    events += conn.receive_data(b"0\r\nX-T: 1\r\n\r\n")
    assert conn._pending is None  # h11 was told the request and the head, then read the end
    assert events[-1] == ResponseComplete((("X-T", "1"),))
    assert b"".join(e.data for e in events if isinstance(e, BodyData)) == b"hello"
    assert conn.reusable
    conn.start_next_cycle()
    assert conn.their_state.name == "IDLE"


@needs_fastpath
def test_plain_responses_that_end_the_connection_are_not_reused() -> None:
    close = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
    conn = plain_connection(Req())
    conn.receive_data(close)
    assert not conn.reusable
    extra = b"HTTP/1.1 204 No Content\r\n\r\nsurprise"
    conn = plain_connection(Req())
    conn.receive_data(extra)
    assert not conn.reusable
    with pytest.raises(RuntimeError):
        conn.start_next_cycle()


@needs_fastpath
def test_a_plain_body_cut_short_is_the_error_h11_gives() -> None:
    conn = plain_connection(Req())
    conn.receive_data(PLAIN + b"he")
    with pytest.raises(ChunkedEncodingError):
        conn.receive_data(b"")
    conn = plain_connection(Req())
    conn.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
    with pytest.raises(ChunkedEncodingError):
        conn.receive_data(b"")


@needs_fastpath
def test_too_many_fields_on_the_plain_lane_is_refused() -> None:
    ClientConnection().send_request(Req())
    conn = ClientConnection(max_header_count=2)
    conn.send_request(Req())
    with pytest.raises(ConnectionError, match="more than the limit of 2"):
        conn.receive_data(b"HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n")


@needs_fastpath
@pytest.mark.parametrize(
    ("headers", "plain"),
    [
        ({"Connection": "keep-alive"}, True),
        ({"Connection": "keep-alive, Close"}, False),
        ({"Connection": "\xa0close"}, True),  # not the close option, as h11 reads it
        ({"Expect": "100-continue"}, False),
        ({"Upgrade": "websocket", "Connection": "upgrade"}, False),
    ],
)
def test_only_plain_requests_take_the_plain_lane(headers: dict[str, str], plain: bool) -> None:
    req = Req(headers=headers)
    ClientConnection().send_request(req)
    conn = ClientConnection()
    conn.send_request(req)
    assert (conn._pending is not None) is plain
