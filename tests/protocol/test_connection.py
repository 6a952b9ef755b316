"""The sans-IO core against handcrafted bytes: request encoding, response parsing, errors."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from typing import Any

import h11
import pytest

from httpcore_lite import exceptions
from httpcore_lite.protocol import (
    DEFAULT_MAX_HEAD_SIZE,
    BodyData,
    ClientConnection,
    ResponseComplete,
    ResponseStarted,
    build_response,
    fastpath,
)
from httpcore_lite.structures import CaseInsensitiveDict


class Req:
    """The attributes of a PreparedRequest the core reads, and no more."""

    def __init__(
        self,
        method: str = "GET",
        url: str = "http://example.com/path?q=1",
        headers: dict[str, Any] | None = None,
        body: Any = None,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = CaseInsensitiveDict(headers or {})
        self.body = body


def head_lines(wire: bytes) -> list[bytes]:
    head, _, _ = wire.partition(b"\r\n\r\n")
    return head.split(b"\r\n")


def feed(conn: ClientConnection, *pieces: bytes) -> list[Any]:
    events: list[Any] = []
    for piece in pieces:
        events.extend(conn.receive_data(piece))
    return events


def body_of(events: Iterable[Any]) -> bytes:
    return b"".join(e.data for e in events if isinstance(e, BodyData))


def sent(conn: ClientConnection, req: Req | None = None, **kwargs: Any) -> bytes:
    return conn.send_request(req or Req(), **kwargs)


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"


# -- request encoding ----------------------------------------------------------------------------


def test_get_head_exact_bytes_with_host_first() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(Req(headers={"User-Agent": "ua", "Accept": "*/*"}))
    assert wire == (
        b"GET /path?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: ua\r\nAccept: */*\r\n\r\n"
    )
    assert not conn.body_is_streaming


@pytest.mark.parametrize(
    ("url", "host", "target"),
    [
        ("http://example.com", b"example.com", b"/"),
        ("http://example.com?a=b", b"example.com", b"/?a=b"),
        ("http://example.com:80/x", b"example.com", b"/x"),
        ("https://example.com:443/x", b"example.com", b"/x"),
        ("https://example.com:80/x", b"example.com:80", b"/x"),
        ("http://example.com:8080/x#frag", b"example.com:8080", b"/x"),
        ("http://user:pw@example.com:81/", b"example.com:81", b"/"),
        ("http://[::1]:8080/a/b?c=%20", b"[::1]:8080", b"/a/b?c=%20"),
        ("http://[::1]/", b"[::1]", b"/"),
        ("http://127.0.0.1:5000/a;p?x=1&y=2", b"127.0.0.1:5000", b"/a;p?x=1&y=2"),
    ],
)
def test_host_and_target_from_url(url: str, host: bytes, target: bytes) -> None:
    lines = head_lines(ClientConnection(buffer_body=False).send_request(Req(url=url)))
    assert lines[0] == b"GET " + target + b" HTTP/1.1"
    assert lines[1] == b"Host: " + host


def test_existing_host_header_is_kept_and_not_duplicated() -> None:
    lines = head_lines(
        ClientConnection(buffer_body=False).send_request(Req(headers={"host": "other.test"}))
    )
    assert [line for line in lines if line.lower().startswith(b"host:")] == [b"host: other.test"]


def test_target_override_and_extra_headers() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(
        Req(url="http://example.com/p?x"),
        target="http://example.com/p?x",
        extra_headers=(("Proxy-Authorization", "Basic Zm9vOmJhcg=="),),
    )
    lines = head_lines(wire)
    assert lines[0] == b"GET http://example.com/p?x HTTP/1.1"
    assert lines[-1] == b"Proxy-Authorization: Basic Zm9vOmJhcg=="


def test_extra_host_header_suppresses_the_automatic_one() -> None:
    wire = ClientConnection(buffer_body=False).send_request(
        Req(), extra_headers=((b"Host", b"h.test"),)
    )
    assert head_lines(wire)[1:] == [b"Host: h.test"]


def test_host_follows_the_url_when_it_changes() -> None:
    conn = ClientConnection(buffer_body=False)
    assert head_lines(sent(conn, Req(url="http://a.test/")))[1] == b"Host: a.test"
    feed(conn, OK)
    conn.start_next_cycle()
    assert head_lines(sent(conn, Req(url="http://b.test:81/")))[1] == b"Host: b.test:81"


def test_header_values_latin1_bytes_and_whitespace() -> None:
    wire = ClientConnection(buffer_body=False).send_request(
        Req(headers={"X-Text": "caf\xe9", "X-Raw": b"\xff\x01ok", "X-Pad": "v  "})
    )
    lines = head_lines(wire)
    assert b"X-Text: caf\xe9" in lines
    if fastpath.ENABLED:
        assert b"X-Pad: v  " in lines  # sent as given, as requests and http.client do
    else:
        assert b"X-Pad: v" in lines  # h11's public API refuses the padding: it is dropped
    assert b"X-Raw: \xff\x01ok" in lines  # bytes pass through untouched


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Bad": "a\r\nInjected: yes"},
        {"X-Bad": "a\nb"},
        {"X-Bad": "a\rb"},
        {"X-Bad": "a\x00b"},
        {"X-Bad": b"a\r\nb"},
        {"X-Bad\r\nInjected": "1"},
        {"X-Bad": "\u20ac"},
        {"X-Bad": 5},
        {"Bad Name": "1"},
    ],
)
def test_bad_header_refused_before_any_byte_and_connection_stays_usable(
    headers: dict[str, Any],
) -> None:
    conn = ClientConnection(buffer_body=False)
    with pytest.raises(exceptions.InvalidHeader):
        conn.send_request(Req(headers=headers))
    assert conn.reusable
    assert conn.send_request(Req()).startswith(b"GET /path?q=1 HTTP/1.1\r\n")


@pytest.mark.parametrize(
    ("method", "url", "target"),
    [
        ("GET\r\nX: y", "http://example.com/", None),
        ("GE T", "http://example.com/", None),
        ("GET", "http://example.com/a\r\nX: y", None),
        ("GET", "http://example.com/a b", None),
        ("GET", "http://example.com/", "/x\x00"),
        ("GET", "http://example.com/", "/x\ny"),
        ("GET", "example.com/", None),
        ("GET", "http:///path", None),
    ],
)
def test_bad_method_target_or_url_refused(method: str, url: str, target: str | None) -> None:
    conn = ClientConnection(buffer_body=False)
    with pytest.raises(exceptions.InvalidURL):
        conn.send_request(Req(method=method, url=url), target=target)
    assert conn.reusable


def test_bytes_body_sent_whole_with_its_content_length() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(
        Req("POST", headers={"Content-Length": "5", "Content-Type": "text/plain"}, body=b"hello")
    )
    assert wire.endswith(b"\r\n\r\nhello")
    assert not conn.body_is_streaming


def test_str_body_is_utf8_and_gets_content_length_when_missing() -> None:
    wire = ClientConnection(buffer_body=False).send_request(Req("PUT", body="h\xe9"))
    assert b"Content-Length: 3" in head_lines(wire)
    assert wire.endswith(b"\r\n\r\nh\xc3\xa9")


def test_post_without_body_frames_what_headers_say() -> None:
    wire = ClientConnection(buffer_body=False).send_request(
        Req("POST", headers={"Content-Length": "0"})
    )
    assert wire.endswith(b"Content-Length: 0\r\n\r\n")
    wire = ClientConnection(buffer_body=False).send_request(Req("GET", body=b""))
    assert b"Content-Length" not in wire


def test_bytes_body_with_chunked_header_is_chunk_framed() -> None:
    wire = ClientConnection(buffer_body=False).send_request(
        Req("POST", headers={"Transfer-Encoding": "chunked"}, body=b"abc")
    )
    assert wire.endswith(b"\r\n\r\n3\r\nabc\r\n0\r\n\r\n")


def test_streaming_body_chunked() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(
        Req("POST", headers={"Transfer-Encoding": "chunked"}, body=iter([b"a"]))
    )
    assert wire.endswith(b"Transfer-Encoding: chunked\r\n\r\n")
    assert conn.body_is_streaming
    assert conn.send_body(b"hello") == b"5\r\nhello\r\n"
    assert conn.send_body("\xe9") == b"2\r\n\xc3\xa9\r\n"
    assert conn.send_body(b"") == b""  # an empty chunk would end the body: never sent
    assert conn.end_body() == b"0\r\n\r\n"
    assert not conn.body_is_streaming
    events = feed(conn, OK)
    assert isinstance(events[-1], ResponseComplete) and conn.reusable


def test_streaming_body_without_framing_header_becomes_chunked() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(Req("POST", body=(x for x in [b"a"])))
    assert b"Transfer-Encoding: chunked" in head_lines(wire)
    assert conn.send_body(b"xy") == b"2\r\nxy\r\n"


def test_streaming_body_with_content_length_is_raw() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req("POST", headers={"Content-Length": "4"}, body=iter([])))
    assert conn.send_body(b"ab") + conn.send_body(b"cd") == b"abcd"
    assert conn.end_body() == b""


def test_streaming_body_longer_than_content_length_is_refused() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req("POST", headers={"Content-Length": "1"}, body=iter([])))
    with pytest.raises(exceptions.InvalidHeader):
        conn.send_body(b"too long")
    assert not conn.reusable


def test_streaming_body_shorter_than_content_length_is_refused() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req("POST", headers={"Content-Length": "10"}, body=iter([])))
    conn.send_body(b"abc")
    with pytest.raises(exceptions.InvalidHeader):
        conn.end_body()
    assert not conn.reusable


def test_calls_out_of_order_are_programming_errors() -> None:
    conn = ClientConnection(buffer_body=False)
    with pytest.raises(RuntimeError):
        conn.send_body(b"x")
    with pytest.raises(RuntimeError):
        conn.end_body()
    conn.send_request(Req())
    with pytest.raises(RuntimeError):
        conn.send_request(Req())
    with pytest.raises(RuntimeError):
        conn.start_next_cycle()  # response not received yet


def test_connect_request_and_tunnel_handover() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(Req("CONNECT", url="http://example.com:443"), target="example.com:443")
    assert head_lines(wire) == [b"CONNECT example.com:443 HTTP/1.1", b"Host: example.com:443"]
    events = feed(conn, b"HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01")
    assert [type(e) for e in events] == [ResponseStarted, ResponseComplete]
    assert events[0].status_code == 200
    assert conn.trailing_data == b"\x16\x03\x01"
    assert not conn.reusable
    with pytest.raises(RuntimeError):
        conn.start_next_cycle()


def test_connect_refused_is_an_ordinary_response() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req("CONNECT", url="http://example.com:443"), target="example.com:443")
    events = feed(
        conn, b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno"
    )
    assert events[0].status_code == 407
    assert body_of(events) == b"no"
    assert isinstance(events[-1], ResponseComplete)
    assert conn.trailing_data == b""


def test_101_switching_protocols_ends_the_cycle() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req(headers={"Connection": "Upgrade", "Upgrade": "websocket"}))
    events = feed(conn, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x00")
    assert [type(e) for e in events] == [ResponseStarted, ResponseComplete]
    assert events[0].status_code == 101
    assert events[0].headers == (("Upgrade", "websocket"),)
    assert conn.trailing_data == b"\x81\x00"
    assert not conn.reusable


def test_101_without_an_upgrade_request_is_malformed() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ConnectionError):
        feed(conn, b"HTTP/1.1 101 Switching Protocols\r\n\r\n")


# -- response parsing ----------------------------------------------------------------------------


def test_response_events_keep_case_order_and_duplicates() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = feed(
        conn,
        b"HTTP/1.1 200 Tr\xe8s Bien\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\n"
        b"X-Mixed-CASE: v\xe9\r\nset-cookie: b=2\r\n\r\nhel",
        b"lo",
    )
    assert events[0] == ResponseStarted(
        200,
        "Tr\xe8s Bien",
        (
            ("Content-Length", "5"),
            ("Set-Cookie", "a=1"),
            ("X-Mixed-CASE", "v\xe9"),
            ("set-cookie", "b=2"),
        ),
        "1.1",
    )
    assert events[1:] == [BodyData(b"hel"), BodyData(b"lo"), ResponseComplete()]
    assert all(type(e.data) is bytes for e in events if isinstance(e, BodyData))
    assert conn.reusable
    assert conn.response is None  # buffer_body=False keeps nothing


def test_interim_responses_are_absorbed() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req("POST", headers={"Expect": "100-continue", "Content-Length": "0"}))
    events = feed(
        conn,
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\n",
    )
    assert [type(e) for e in events] == [ResponseStarted, ResponseComplete]
    assert events[0].status_code == 204


@pytest.mark.parametrize(
    ("method", "response"),
    [
        ("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"),
        ("HEAD", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ("GET", b"HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"),
        ("GET", b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"),
    ],
)
def test_responses_without_body(method: str, response: bytes) -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req(method))
    events = feed(conn, response)
    assert [type(e) for e in events] == [ResponseStarted, ResponseComplete]
    assert conn.reusable


def test_chunked_response_with_trailers() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = feed(
        conn,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
    )
    assert body_of(events) == b"hello world"
    assert isinstance(events[-1], ResponseComplete)
    assert conn.reusable


def test_close_delimited_body_ends_at_eof() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = feed(conn, b"HTTP/1.1 200 OK\r\n\r\nsome ", b"data")
    assert not any(isinstance(e, ResponseComplete) for e in events)
    events += feed(conn, b"")
    assert body_of(events) == b"some data"
    assert isinstance(events[-1], ResponseComplete)
    assert not conn.reusable


def test_http10_response() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = feed(conn, b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    assert events[0].http_version == "1.0"
    assert body_of(events) == b"ok"
    assert isinstance(events[-1], ResponseComplete)
    assert not conn.reusable  # HTTP/1.0 without keep-alive


def test_connection_close_is_not_reusable() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    feed(conn, b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    assert not conn.reusable


def test_keep_alive_cycles_on_one_connection() -> None:
    conn = ClientConnection(buffer_body=False)
    for n in range(3):
        assert conn.reusable
        wire = conn.send_request(Req(url=f"http://example.com/{n}"))
        assert wire.startswith(f"GET /{n} HTTP/1.1".encode())
        events = feed(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + str(n).encode())
        assert body_of(events) == str(n).encode()
        conn.start_next_cycle()


def test_byte_by_byte_equals_all_at_once() -> None:
    response = (
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        b"X: y\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"
    )
    whole = ClientConnection(buffer_body=False)
    whole.send_request(Req())
    expected = feed(whole, response)
    split = ClientConnection(buffer_body=False)
    split.send_request(Req())
    got = feed(split, *(response[i : i + 1] for i in range(len(response))))
    assert got[0] == expected[0]
    assert body_of(got) == body_of(expected) == b"abc0123456789abcdef"
    assert got[-1] == expected[-1] == ResponseComplete()


def test_receive_accepts_a_reused_buffer() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    buffer = bytearray(8)
    events = []
    for start in range(0, len(OK), 8):
        piece = OK[start : start + 8]
        buffer[: len(piece)] = piece
        events += conn.receive_data(memoryview(buffer)[: len(piece)])
        buffer[:] = b"\xff" * 8  # the caller reuses its buffer at once
    assert body_of(events) == b"hello"
    assert isinstance(events[-1], ResponseComplete) and conn.reusable


def test_eof_after_response_makes_connection_unusable() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    feed(conn, OK)
    assert conn.reusable
    assert feed(conn, b"") == []
    assert not conn.reusable


def test_bytes_after_the_response_make_connection_unusable() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = feed(conn, OK + b"HTTP/1.1 200 OK\r\n")
    assert isinstance(events[-1], ResponseComplete)
    assert not conn.reusable


def test_idle_connection_that_receives_eof_or_data() -> None:
    conn = ClientConnection(buffer_body=False)
    assert feed(conn, b"") == []
    assert not conn.reusable
    conn = ClientConnection(buffer_body=False)
    with pytest.raises(exceptions.ConnectionError):
        feed(conn, b"HTTP/1.1 408 Request Timeout\r\n\r\n")
    assert not conn.reusable


# -- errors --------------------------------------------------------------------------------------


def test_eof_before_any_byte() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ConnectionError, match="without response") as info:
        feed(conn, b"")
    assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
    assert not conn.reusable
    with pytest.raises(exceptions.ConnectionError):
        feed(conn, b"more")


@pytest.mark.parametrize(
    "response",
    [
        b"HTTP/1.1 20",  # EOF inside the status line
        b"garbage\r\n",  # EOF after a line that is no status line
        b"garbage\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"HTTP/2 200 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello on a plain connection
    ],
)
def test_malformed_head_is_connection_error(response: bytes) -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ConnectionError) as info:
        feed(conn, response, b"")
    assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
    assert not conn.reusable


@pytest.mark.parametrize(
    "response",
    [
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n",
        b"HTTP/1.0 404 Not Found\nContent-Le",
    ],
)
def test_head_cut_short_after_the_status_line_is_chunked_encoding_error(response: bytes) -> None:
    """As in requests: once the status line is in, a hang-up is a response cut short."""
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ChunkedEncodingError) as info:
        feed(conn, response, b"")
    assert not isinstance(info.value, exceptions.ConnectionError)
    assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
    assert not conn.reusable


def test_conflicting_content_lengths_are_invalid_header() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.InvalidHeader, match="conflicting Content-Length") as info:
        feed(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
    assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
    assert not conn.reusable
    # Equal repeated values are one length, as h11 and urllib3 read them.
    conn = ClientConnection()
    conn.send_request(Req())
    feed(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab")
    assert conn.response is not None and conn.response.content == b"ab"


@pytest.mark.parametrize("version", [b"2.0", b"3.7", b"0.9"])
def test_unsupported_http_version_is_connection_error(version: bytes) -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ConnectionError, match="Unsupported HTTP version"):
        feed(conn, b"HTTP/%s 200 OK\r\nContent-Length: 2\r\n\r\nok" % version)
    assert not conn.reusable


def test_later_http_1x_is_read_as_1_1() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = feed(conn, b"HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\nok")
    assert events[0].http_version == "1.1"
    assert body_of(events) == b"ok"


def test_oversized_head_is_refused() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    big = b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * DEFAULT_MAX_HEAD_SIZE
    with pytest.raises(exceptions.ConnectionError, match="larger than the limit"):
        for i in range(0, len(big), 4096):
            feed(conn, big[i : i + 4096])


def test_head_size_limit_is_configurable() -> None:
    conn = ClientConnection(max_head_size=100, buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ConnectionError):
        feed(conn, b"HTTP/1.1 200 OK\r\n", b"X: " + b"a" * 200)
    roomy = ClientConnection(max_head_size=100, buffer_body=False)
    roomy.send_request(Req())
    assert isinstance(feed(roomy, OK)[-1], ResponseComplete)


def test_too_many_header_fields() -> None:
    many = b"".join(b"X-%d: v\r\n" % i for i in range(101))
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ConnectionError, match="101 header fields"):
        feed(conn, b"HTTP/1.1 200 OK\r\n" + many + b"\r\n")
    assert not conn.reusable
    conn = ClientConnection(max_header_count=200, buffer_body=False)
    conn.send_request(Req())
    assert len(feed(conn, b"HTTP/1.1 204 No Content\r\n" + many + b"\r\n")[0].headers) == 101


@pytest.mark.parametrize(
    "pieces",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", b""),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", b""),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", b""),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n",),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"f" * 70000,),
    ],
)
def test_broken_body_is_chunked_encoding_error(pieces: tuple[bytes, ...]) -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    with pytest.raises(exceptions.ChunkedEncodingError) as info:
        feed(conn, *pieces)
    assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
    assert not conn.reusable
    assert conn.response is None


def test_data_after_eof_is_an_error() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    feed(conn, b"HTTP/1.1 200 OK\r\n\r\nabc")
    conn_events = feed(conn, b"")
    assert isinstance(conn_events[-1], ResponseComplete)
    assert feed(conn, b"late") == []
    assert not conn.reusable


# -- buffered responses --------------------------------------------------------------------------


def test_buffered_response_is_built_and_decoded() -> None:
    req = Req(url="http://example.com/gz")
    conn = ClientConnection()
    conn.send_request(req)
    payload = gzip.compress(b"x" * 1000)
    events = feed(
        conn,
        b"HTTP/1.1 201 Created\r\nContent-Type: text/plain; charset=latin-1\r\n"
        b"Content-Encoding: gzip\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n"
        b"Content-Length: %d\r\n\r\n" % len(payload),
        payload[:10],
        payload[10:],
    )
    assert body_of(events) == payload  # events carry the raw body
    response = conn.response
    assert response is not None
    assert response.status_code == 201
    assert response.reason == "Created"
    assert response.content == b"x" * 1000
    assert response._content_consumed is True
    assert response.url == "http://example.com/gz"
    assert response.request is req
    assert response.encoding == "latin-1"
    assert isinstance(response.headers, CaseInsensitiveDict)
    assert response.headers["SET-COOKIE"] == "a=1, b=2"
    assert list(response.headers)[2] == "Set-Cookie"  # the first spelling is kept
    conn.start_next_cycle()
    assert conn.response is None


def test_buffered_head_response_has_empty_content() -> None:
    conn = ClientConnection()
    conn.send_request(Req("HEAD"))
    feed(conn, b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 99\r\n\r\n")
    assert conn.response.content == b""


def test_buffered_bad_gzip_is_content_decoding_error() -> None:
    conn = ClientConnection()
    conn.send_request(Req())
    with pytest.raises(exceptions.ContentDecodingError):
        feed(conn, b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope")
    assert not conn.reusable


def test_build_response_leaves_content_unread() -> None:
    started = ResponseStarted(
        404, "Not Found", (("Content-Type", "application/json"), ("X-A", "1"), ("x-a", "2")), "1.1"
    )
    req = Req(url="http://example.com/missing")
    response = build_response(started, req)
    assert response.status_code == 404
    assert response.reason == "Not Found"
    assert response._content is False
    assert response.headers["x-a"] == "1, 2"
    assert response.url == req.url and response.request is req
    assert response.encoding == "utf-8"  # requests: application/json defaults to utf-8
