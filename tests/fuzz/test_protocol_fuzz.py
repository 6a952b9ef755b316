"""Property tests of the protocol core: splits never change the outcome; garbage and mutated
responses end in one of our exceptions or a complete response, never another exception type
and never a connection left waiting after EOF."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpcore_lite.exceptions import InvalidHeader, InvalidURL, RequestException
from httpcore_lite.protocol import BodyData, ClientConnection, ResponseComplete, ResponseStarted
from httpcore_lite.protocol.decoders import make_decoder
from httpcore_lite.structures import CaseInsensitiveDict

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


class Req:
    def __init__(self, method: str = "GET") -> None:
        self.method = method
        self.url = "http://example.com/fuzz"
        self.headers = CaseInsensitiveDict()
        self.body = None


TOKEN = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1)
VALUE = st.builds(
    lambda inner, edge: (edge + inner + edge).strip(),
    st.text("abc xyz;=,/\"'()0123456789\xe9\t", max_size=20),
    st.text("abcXYZ019", min_size=0, max_size=2),
)
HEADERS = st.lists(st.tuples(TOKEN.map(lambda t: "X-" + t), VALUE), max_size=8)
REASON = st.text("abcdefghij ABCXYZ-\xe9", max_size=20).map(str.strip)


@st.composite
def responses(draw: st.DrawFn) -> tuple[bytes, str, dict[str, Any]]:
    """A valid response (with interim responses before it) and what it must parse to."""
    method = draw(st.sampled_from(["GET", "GET", "HEAD"]))
    version = draw(st.sampled_from(["1.1", "1.1", "1.0"]))
    status = draw(st.sampled_from([200, 201, 204, 206, 301, 304, 404, 418, 500, 599]))
    reason = draw(REASON)
    headers = draw(HEADERS)
    body = draw(st.binary(max_size=300))
    framing = draw(st.sampled_from(["length", "chunked", "close"]))
    if version == "1.0" and framing == "chunked":
        framing = "length"
    no_body = method == "HEAD" or status in (204, 304)

    wire = b""
    if version == "1.1":
        for code in draw(st.lists(st.sampled_from([100, 102, 103]), max_size=2)):
            wire += b"HTTP/1.1 %d Interim\r\nX-Interim: 1\r\n\r\n" % code
    all_headers = list(headers)
    if framing == "length":
        all_headers.append(("Content-Length", str(len(body))))
    elif framing == "chunked":
        all_headers.append(("Transfer-Encoding", "chunked"))
    wire += f"HTTP/{version} {status} {reason}\r\n".encode("latin-1")
    for name, value in all_headers:
        wire += f"{name}: {value}\r\n".encode("latin-1")
    wire += b"\r\n"
    if no_body:
        body = b""
    elif framing == "chunked":
        cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=5)))
        start = 0
        for cut in [*cuts, len(body)]:
            piece = body[start:cut]
            if piece:
                ext = draw(st.sampled_from([b"", b";x=1"]))
                wire += b"%x%s\r\n%s\r\n" % (len(piece), ext, piece)
            start = cut
        wire += b"0\r\n\r\n"
    else:
        wire += body
    expected = {
        "status": status,
        "reason": reason,
        "headers": tuple(all_headers),
        "version": version,
        "body": body,
    }
    return wire, method, expected


def splits(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces = []
    start = 0
    for point in [*points, len(data)]:
        pieces.append(data[start:point])
        start = point
    return [p for p in pieces if p]


def drive(wire_pieces: list[bytes], method: str = "GET") -> tuple[list[Any], bool]:
    """Feed the pieces then EOF; return (events, completed). Our exceptions propagate."""
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req(method))
    events: list[Any] = []
    for piece in [*wire_pieces, b""]:
        events.extend(conn.receive_data(piece))
    completed = bool(events) and isinstance(events[-1], ResponseComplete)
    return events, completed


def buffered(wire_pieces: list[bytes], method: str = "GET") -> Any:
    """Feed the pieces then EOF to a buffering connection; return its Response."""
    conn = ClientConnection(buffer_body=True)
    conn.send_request(Req(method))
    for piece in [*wire_pieces, b""]:
        conn.receive_data(piece)
    return conn.response


def summary(events: list[Any]) -> tuple[Any, bytes, int]:
    started = [e for e in events if isinstance(e, ResponseStarted)]
    complete = sum(isinstance(e, ResponseComplete) for e in events)
    return started, b"".join(e.data for e in events if isinstance(e, BodyData)), complete


@FUZZ
@given(responses(), st.lists(st.integers(min_value=0), max_size=30))
def test_any_split_gives_the_same_response(
    response: tuple[bytes, str, dict[str, Any]], cuts: list[int]
) -> None:
    wire, method, expected = response
    whole, done_whole = drive([wire], method)
    split, done_split = drive(splits(wire, cuts), method)
    assert done_whole and done_split
    assert summary(whole) == summary(split)
    started, body, complete = summary(whole)
    assert complete == 1 and len(started) == 1
    assert started[0] == ResponseStarted(
        expected["status"], expected["reason"], expected["headers"], expected["version"]
    )
    assert body == expected["body"]

    response = buffered(splits(wire, cuts), method)
    assert response.status_code == expected["status"]
    assert response.reason == expected["reason"]
    assert response.content == expected["body"]
    assert dict(response.headers.lower_items()) == dict(
        buffered([wire], method).headers.lower_items()
    )


@FUZZ
@given(
    st.binary(max_size=2000),
    st.sampled_from(["gzip", "deflate", "br", "zstd", "gzip, br"]),
    st.booleans(),
    st.lists(st.integers(min_value=0), max_size=20),
)
def test_buffered_content_is_decoded_in_any_split(
    payload: bytes, coding: str, chunked: bool, cuts: list[int]
) -> None:
    body = decoders_encode(coding, payload)
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\n" % coding.encode()
    if chunked:
        wire = head + b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (
            len(body),
            body,
        )
    else:
        wire = head + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    response = buffered(splits(wire, cuts))
    assert response.content == payload
    assert response.headers["content-encoding"] == coding


def decoders_encode(coding: str, data: bytes) -> bytes:
    """Apply the codings in order, as a server would (``gzip, br``: gzip first)."""
    encoders: dict[str, Callable[[bytes], bytes]] = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "br": lambda d: pytest.importorskip("brotli").compress(d),
        "zstd": lambda d: pytest.importorskip("zstandard").ZstdCompressor().compress(d),
    }
    for name in [c.strip() for c in coding.split(",")]:
        data = encoders[name](data)
    return data


def outcome(pieces: list[bytes], method: str = "GET") -> str:
    """Drive to the end; only our exceptions may escape, and EOF must settle the response."""
    try:
        _, completed = drive(pieces, method)
    except RequestException:
        return "error"
    assert completed, "EOF was fed, yet the response neither completed nor failed"
    return "complete"


@FUZZ
@given(st.binary(max_size=400), st.lists(st.integers(min_value=0), max_size=10))
def test_garbage_gives_only_our_exceptions(garbage: bytes, cuts: list[int]) -> None:
    outcome(splits(garbage, cuts))


@FUZZ
@given(
    st.sampled_from([b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"]),
    st.binary(max_size=300),
)
def test_garbage_after_a_valid_start(prefix: bytes, garbage: bytes) -> None:
    outcome([prefix, garbage])


MUTATION = st.tuples(
    st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]),
    st.integers(min_value=0),
    st.integers(min_value=1, max_value=8),
    st.binary(min_size=1, max_size=8),
)


def mutate(data: bytes, mutations: list[tuple[str, int, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for kind, pos, length, blob in mutations:
        if not buf:
            break
        pos %= len(buf)
        if kind == "flip":
            buf[pos] ^= blob[0] or 1
        elif kind == "delete":
            del buf[pos : pos + length]
        elif kind == "insert":
            buf[pos:pos] = blob
        elif kind == "truncate":
            del buf[pos:]
        else:
            buf[pos:pos] = buf[pos : pos + length]
    return bytes(buf)


@FUZZ
@given(
    responses(),
    st.lists(MUTATION, min_size=1, max_size=4),
    st.lists(st.integers(min_value=0), max_size=10),
)
def test_mutated_responses_give_only_our_exceptions(
    response: tuple[bytes, str, dict[str, Any]],
    mutations: list[tuple[str, int, int, bytes]],
    cuts: list[int],
) -> None:
    wire, method, _ = response
    outcome(splits(mutate(wire, mutations), cuts), method)


@FUZZ
@given(
    st.sampled_from(["gzip", "deflate", "br", "zstd", "gzip, deflate"]),
    st.binary(max_size=300),
    st.lists(st.integers(min_value=0), max_size=5),
)
def test_decoders_on_garbage_give_only_content_decoding_errors(
    encoding: str, garbage: bytes, cuts: list[int]
) -> None:
    decoder = make_decoder(encoding)
    if decoder is None:  # codec not installed
        return
    try:
        for piece in splits(garbage, cuts):
            for out in decoder.decode(piece):
                assert len(out) <= 64 * 1024
        list(decoder.flush())
    except RequestException as exc:
        assert type(exc).__name__ == "ContentDecodingError"


# -- the request side ----------------------------------------------------------------------------

NAME_CHARS = st.text(st.characters(codec="latin-1") | st.sampled_from("\r\n\0:; \t-_"), max_size=12)
VALUE_CHARS = st.lists(
    st.characters(codec="latin-1") | st.sampled_from(["\r", "\n", "\0", "\r\nX-Injected: 1"]),
    max_size=12,
).map("".join)


def parse_head(wire: bytes) -> tuple[list[bytes], list[tuple[bytes, bytes]]]:
    """Split a request head the way the strictest server would: CRLF lines, ``name:value``."""
    head, sep, rest = wire.partition(b"\r\n\r\n")
    assert sep and rest == b""
    lines = head.split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line and b"\0" not in line
    request_line = lines[0].split(b" ")
    assert len(request_line) == 3 and request_line[2] == b"HTTP/1.1"
    fields = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        assert colon and name and b" " not in name and b"\t" not in name
        fields.append((name, value[1:] if value.startswith(b" ") else value))
    return request_line, fields


@FUZZ
@given(
    st.lists(st.tuples(NAME_CHARS, VALUE_CHARS), max_size=6),
    st.sampled_from(["GET", "POST", "X-CUSTOM", "GET\r\n", "GE T", "G\0T"]),
    st.text(st.characters(codec="latin-1"), max_size=20),
)
def test_request_fields_never_smuggle_anything(
    fields: list[tuple[str, str]], method: str, path: str
) -> None:
    """Either the request is refused with our error, or the head holds exactly our fields."""
    req = Req(method)
    req.url = "http://example.com/" + path
    req.headers = CaseInsensitiveDict(dict(fields))
    conn = ClientConnection(buffer_body=False)
    try:
        wire = conn.send_request(req)
    except (InvalidHeader, InvalidURL):
        assert conn.reusable  # nothing was produced: the connection is still good
        return
    request_line, seen = parse_head(wire)
    assert request_line[0] == method.encode()
    sent = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in req.headers.items()]
    has_host = any(n.lower() == b"host" for n, _ in sent)
    assert seen == (sent if has_host else [(b"Host", b"example.com"), *sent])
