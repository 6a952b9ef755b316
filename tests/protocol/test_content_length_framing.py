"""The core frames a Content-Length body itself once h11 has parsed the head.

``ClientConnection.receive_data`` hands such a body out without going through h11 (the bytes
object fed in is the ``BodyData`` when it fits), ``body_remaining`` tells the transport how much
is left, and the next cycle starts on a fresh h11. These tests hold it to exactly what h11 gave:
the same bytes and events for any split, the same reusability, the same errors.
"""

from __future__ import annotations

import gzip
import random
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import h11
import pytest

import httpcore_lite as requests
from httpcore_lite import exceptions
from httpcore_lite.protocol import (
    BodyData,
    ClientConnection,
    ResponseComplete,
    ResponseStarted,
    fastpath,
)
from tests.protocol.test_connection import Req
from tests.servers.raw import RawServer, canned, read_request, response

RawFactory = Callable[[Callable[[socket.socket], None]], RawServer]


BODY = bytes(range(256)) * 3 + b"tail"
HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nX-A: b\r\n\r\n" % len(BODY)
WIRE = HEAD + BODY


def remaining(n: int) -> int | None:
    """What body_remaining says: the count while the core frames the body, None when h11 does
    (the fast paths off, HTTPCORE_LITE_NO_FASTPATH=1)."""
    return n if fastpath.ENABLED else None


def fresh(req: Req | None = None, buffer_body: bool = False) -> ClientConnection:
    conn = ClientConnection(buffer_body=buffer_body)
    conn.send_request(req or Req())
    return conn


def feed(conn: ClientConnection, pieces: list[bytes]) -> list[Any]:
    events: list[Any] = []
    for piece in pieces:
        events.extend(conn.receive_data(piece))
    return events


def summary(events: list[Any]) -> tuple[list[Any], bytes]:
    """(the non-body events in order, the body)."""
    others = [e for e in events if not isinstance(e, BodyData)]
    body = b"".join(e.data for e in events if isinstance(e, BodyData))
    return others, body


def reference(wire: bytes, req: Req | None = None) -> tuple[list[Any], bytes, bool]:
    """Everything fed at once: h11 frames the whole body (the fast path never starts)."""
    conn = fresh(req)
    events = conn.receive_data(wire)
    assert conn.body_remaining is None
    others, body = summary(events)
    return others, body, conn.reusable


def check_order(events: list[Any]) -> None:
    assert type(events[0]) is ResponseStarted
    assert type(events[-1]) is ResponseComplete
    assert all(type(e) is BodyData and e.data for e in events[1:-1])


# -- the sans-IO core ----------------------------------------------------------------------------


@pytest.mark.skipif(not fastpath.ENABLED, reason=f"{fastpath.ENV_VAR} is set")
def test_fast_path_starts_after_the_head_and_passes_bytes_through() -> None:
    conn = fresh()
    events = conn.receive_data(HEAD + BODY[:10])
    assert [type(e) for e in events] == [ResponseStarted, BodyData]
    assert conn.body_remaining == remaining(len(BODY) - 10)
    piece = BODY[10:500]
    (only,) = conn.receive_data(piece)
    assert only.data is piece  # the object fed in, not a copy
    assert conn.body_remaining == remaining(len(BODY) - 500)
    rest = conn.receive_data(BODY[500:])
    assert [type(e) for e in rest] == [BodyData, ResponseComplete]
    assert conn.body_remaining is None
    assert conn.reusable


@pytest.mark.parametrize("cut", range(1, len(WIRE)))
def test_every_split_gives_the_same_events(cut: int) -> None:
    want_others, want_body, want_reusable = reference(WIRE)
    conn = fresh()
    events = feed(conn, [WIRE[:cut], WIRE[cut:]])
    check_order(events)
    others, body = summary(events)
    assert others == want_others
    assert body == want_body == BODY
    assert conn.reusable is want_reusable is True
    conn.start_next_cycle()
    conn.send_request(Req())
    assert summary(conn.receive_data(WIRE))[1] == BODY


@pytest.mark.parametrize("seed", range(40))
def test_random_pieces_give_the_same_events(seed: int) -> None:
    rnd = random.Random(seed)
    cuts = sorted(rnd.sample(range(1, len(WIRE)), rnd.randint(1, 30)))
    pieces = [WIRE[a:b] for a, b in zip([0, *cuts], [*cuts, len(WIRE)], strict=True)]
    kind = rnd.choice([bytes, bytearray, memoryview])
    conn = fresh()
    events = feed(conn, [kind(p) for p in pieces])  # type: ignore[misc]
    check_order(events)
    assert all(type(e.data) is bytes for e in events if isinstance(e, BodyData))
    assert summary(events) == reference(WIRE)[:2]
    assert conn.reusable


def test_fed_buffers_are_copied_when_not_bytes() -> None:
    conn = fresh()
    conn.receive_data(HEAD)
    buf = bytearray(BODY[:100])
    (event,) = conn.receive_data(memoryview(buf))
    buf[:] = b"\0" * 100
    assert event.data == BODY[:100]


def test_buffered_body_and_decoding_through_the_fast_path() -> None:
    payload = b"compress me " * 5000
    packed = gzip.compress(payload)
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(packed)
    conn = fresh(buffer_body=True)
    conn.receive_data(head)
    assert conn.body_remaining == remaining(len(packed))
    for i in range(0, len(packed), 1000):
        conn.receive_data(packed[i : i + 1000])
    assert conn.response is not None
    assert conn.response.content == payload
    assert conn.reusable


def test_keep_alive_carries_a_large_response_then_small_ones() -> None:
    big = bytes(range(256)) * 4096  # 1 MiB
    conn = fresh()
    for round_ in range(3):
        events = conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(big))
        assert conn.body_remaining == remaining(len(big))
        for i in range(0, len(big), 65536):
            events += conn.receive_data(big[i : i + 65536])
        check_order(events)
        assert summary(events)[1] == big
        assert conn.reusable
        conn.start_next_cycle()
        conn.send_request(Req(url=f"http://example.com/small{round_}"))
        events = conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsmall")
        assert summary(events)[1] == b"small"
        assert conn.reusable
        conn.start_next_cycle()
        conn.send_request(Req())


@pytest.mark.parametrize("cut", [0, 1, len(BODY) // 2, len(BODY) - 1])
def test_truncated_body_is_chunked_encoding_error(cut: int) -> None:
    conn = fresh()
    conn.receive_data(HEAD)
    if cut:
        conn.receive_data(BODY[:cut])
    with pytest.raises(exceptions.ChunkedEncodingError) as info:
        conn.receive_data(b"")
    assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
    assert f"received {cut} bytes, expected {len(BODY)}" in str(info.value)
    assert not conn.reusable
    assert conn.body_remaining is None
    with pytest.raises(exceptions.ConnectionError):
        conn.receive_data(b"more")
    with pytest.raises(RuntimeError):
        conn.start_next_cycle()


def test_truncated_body_reads_the_same_as_through_h11() -> None:
    slow = fresh()
    with pytest.raises(exceptions.ChunkedEncodingError) as through_h11:
        slow.receive_data(WIRE[:-5])  # h11 frames it all: the head and body arrive together
        slow.receive_data(b"")
    fast = fresh()
    fast.receive_data(HEAD)
    fast.receive_data(BODY[:-5])
    with pytest.raises(exceptions.ChunkedEncodingError) as framed_by_us:
        fast.receive_data(b"")
    assert str(framed_by_us.value) == str(through_h11.value)


@pytest.mark.parametrize("extra", [b"X", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nforge"])
def test_extra_bytes_after_the_body_make_the_connection_unusable(extra: bytes) -> None:
    conn = fresh()
    conn.receive_data(HEAD)
    events = conn.receive_data(BODY + extra)
    assert [type(e) for e in events] == [BodyData, ResponseComplete]
    assert events[0].data == BODY
    assert not conn.reusable
    with pytest.raises(RuntimeError):
        conn.start_next_cycle()
    # and the same as when h11 frames it
    assert reference(WIRE + extra)[2] is False


def test_anything_after_a_fast_path_response_kills_reuse() -> None:
    conn = fresh()
    conn.receive_data(HEAD)
    conn.receive_data(BODY)
    assert conn.reusable
    assert conn.receive_data(b"") == []  # the server closed the idle connection
    assert not conn.reusable


@pytest.mark.parametrize(
    ("method", "status"),
    [("HEAD", 200), ("GET", 204), ("GET", 304), ("HEAD", 404)],
)
def test_bodiless_responses_with_content_length_have_no_body(method: str, status: int) -> None:
    conn = fresh(Req(method=method))
    events = conn.receive_data(b"HTTP/1.1 %d X\r\nContent-Length: 1000\r\n\r\n" % status)
    assert [type(e) for e in events] == [ResponseStarted, ResponseComplete]
    assert conn.body_remaining is None
    assert conn.reusable
    conn.start_next_cycle()
    conn.send_request(Req())
    assert summary(feed(conn, [HEAD, BODY]))[1] == BODY


@pytest.mark.parametrize(
    ("request_headers", "status_line", "response_headers"),
    [
        ({}, b"HTTP/1.1 200 OK", b""),
        ({}, b"HTTP/1.1 200 OK", b"Connection: close\r\n"),
        ({}, b"HTTP/1.1 200 OK", b"Connection: keep-alive, Close\r\n"),
        ({"Connection": "close"}, b"HTTP/1.1 200 OK", b""),
        ({}, b"HTTP/1.0 200 OK", b""),
        ({}, b"HTTP/1.0 200 OK", b"Connection: keep-alive\r\n"),
        ({}, b"HTTP/1.1 200 OK", b"Connection: keep-alive\r\n"),
    ],
)
def test_reusable_follows_the_rules_h11_applies(
    request_headers: dict[str, str], status_line: bytes, response_headers: bytes
) -> None:
    head = status_line + b"\r\n" + response_headers + b"Content-Length: %d\r\n\r\n" % len(BODY)
    req = Req(headers=request_headers)
    expected = reference(head + BODY, req)[2]
    conn = fresh(req)
    conn.receive_data(head)
    assert conn.body_remaining == remaining(len(BODY))
    conn.receive_data(BODY)
    assert conn.reusable is expected
    keep = not request_headers and status_line.startswith(b"HTTP/1.1") and b"lose" not in head
    assert expected is keep
    if not expected:
        with pytest.raises(RuntimeError):
            conn.start_next_cycle()


def test_response_before_the_streamed_request_body_ends() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req(method="POST", body=iter([b"a"])))
    assert conn.body_is_streaming
    conn.send_body(b"part")
    conn.receive_data(HEAD)
    events = conn.receive_data(BODY)
    assert type(events[-1]) is ResponseComplete
    assert not conn.reusable  # the server answered before the whole body arrived
    conn.end_body()
    assert not conn.reusable  # final from ResponseComplete on: it may not read the rest
    with pytest.raises(RuntimeError):
        conn.start_next_cycle()


# -- through the transport -----------------------------------------------------------------------


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


BIG = bytes(range(251)) * 4177 + b"end"  # ~1 MiB, not a multiple of 64 KiB


def big_then_small(raw_server: RawFactory) -> RawServer:
    return raw_server(canned(response(200, BIG), response(200, b"small"), response(200, BIG)))


def test_iter_content_gives_full_chunks_and_reuses_the_connection(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = big_then_small(raw_server)
    with session.get(srv.url, stream=True, timeout=5) as r:
        chunks = list(r.iter_content(65536))
    assert b"".join(chunks) == BIG
    assert all(len(c) == 65536 for c in chunks[:-1])
    assert session.get(srv.url, timeout=5).content == b"small"
    assert session.get(srv.url, timeout=5).content == BIG
    assert srv.connections == 1


@pytest.mark.skipif(
    not fastpath.ENABLED, reason="tell() counts what was read ahead when h11 frames the body"
)
def test_raw_reads_of_mixed_sizes(raw_server: RawFactory, session: requests.Session) -> None:
    srv = big_then_small(raw_server)
    r = session.get(srv.url, stream=True, timeout=5)
    parts = [r.raw.read(1000), r.raw.read(65536), r.raw.read(3), r.raw.read(200000)]
    assert [len(p) for p in parts] == [1000, 65536, 3, 200000]
    assert r.raw.tell() == sum(map(len, parts))
    parts.append(r.raw.read())
    assert b"".join(parts) == BIG
    assert r.raw.read(10) == b""
    assert session.get(srv.url, timeout=5).content == b"small"
    assert srv.connections == 1


def test_truncated_streamed_body_raises(raw_server: RawFactory, session: requests.Session) -> None:
    def handler(sock: socket.socket) -> None:
        if read_request(sock) is not None:
            sock.sendall(response(200, BIG)[: -len(BIG) // 2])
            time.sleep(0.05)

    srv = raw_server(handler)
    r = session.get(srv.url, stream=True, timeout=5)
    with pytest.raises(exceptions.ChunkedEncodingError):
        for _ in r.iter_content(65536):
            pass


def test_extra_bytes_after_a_large_body_are_never_the_next_answer(
    raw_server: RawFactory, session: requests.Session
) -> None:
    calls: list[int] = []

    def handler(sock: socket.socket) -> None:
        calls.append(1)
        first = len(calls) == 1
        while read_request(sock) is not None:
            if first:
                sock.sendall(response(200, BIG) + response(200, b"forge"))
            else:
                sock.sendall(response(200, b"real"))

    srv = raw_server(handler)
    with session.get(srv.url, stream=True, timeout=5) as r:
        assert b"".join(r.iter_content(65536)) == BIG
    time.sleep(0.1)
    assert session.get(srv.url, timeout=5).content == b"real"
    assert srv.connections == 2


def test_connection_close_on_a_large_response_is_respected(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        while read_request(sock) is not None:
            sock.sendall(response(200, BIG, headers=[("Connection", "close")]))
            return

    srv = raw_server(handler)
    for _ in range(2):
        with session.get(srv.url, stream=True, timeout=5) as r:
            assert b"".join(r.iter_content(65536)) == BIG
    assert srv.connections == 2


def test_compressed_large_body_still_decodes(
    raw_server: RawFactory, session: requests.Session
) -> None:
    packed = gzip.compress(BIG)
    srv = raw_server(canned(response(200, packed, headers=[("Content-Encoding", "gzip")])))
    with session.get(srv.url, stream=True, timeout=5) as r:
        assert b"".join(r.iter_content(65536)) == BIG
