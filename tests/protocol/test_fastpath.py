"""The h11 fast paths give exactly what h11's public API gives, and turn off cleanly.

Each response is parsed twice, with ``fastpath.ENABLED`` on and off, over the same random
splits; the events (body joined), reusability, trailing bytes and errors must be identical.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import h11
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpcore_lite.protocol import BodyData, ClientConnection, fastpath
from tests.protocol.test_connection import Req

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


def run(wire: bytes, cuts: list[int], enabled: bool, method: str = "GET") -> tuple[Any, ...]:
    """Feed ``wire`` cut at ``cuts`` (then EOF); return everything observable."""
    saved = fastpath.ENABLED
    fastpath.ENABLED = enabled
    try:
        conn = ClientConnection(buffer_body=False)
        conn.send_request(Req(method))
        pieces = [wire[a:b] for a, b in zip([0, *cuts], [*cuts, len(wire)], strict=True)]
        events: list[Any] = []
        error: Any = None
        try:
            for piece in pieces:
                events.extend(conn.receive_data(piece))
            if not events or type(events[-1]).__name__ != "ResponseComplete":
                events.extend(conn.receive_data(b""))  # EOF
        except Exception as exc:  # compared by type below
            error = type(exc)
        others = [e for e in events if not isinstance(e, BodyData)]
        body = b"".join(e.data for e in events if isinstance(e, BodyData))
        return others, body, error, error is None and conn.reusable, conn.trailing_data
    finally:
        fastpath.ENABLED = saved


def chunked(pieces: list[bytes], ext: bool = False, trailer: bytes = b"") -> bytes:
    out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n"
    for i, piece in enumerate(pieces):
        if piece:
            size = b"%x" % len(piece)
            if i % 3 == 1:
                size = size.upper().zfill(4)
            out += size + (b";name=v" if ext and i % 2 else b"") + b"\r\n" + piece + b"\r\n"
    return out + b"0\r\n" + trailer + b"\r\n"


@st.composite
def wires(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["chunked", "chunked", "length", "interim", "close"]))
    body_pieces = draw(st.lists(st.binary(min_size=0, max_size=40), max_size=8))
    body = b"".join(body_pieces)
    if kind == "chunked" or kind == "interim":
        wire = chunked(
            body_pieces,
            ext=draw(st.booleans()),
            trailer=draw(st.sampled_from([b"", b"T: 1\r\n", b"A: x\r\nB: y\r\n"])),
        )
        if kind == "interim":
            wire = b"HTTP/1.1 100 Continue\r\n\r\n" + wire
    elif kind == "length":
        wire = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    else:
        wire = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body
    # the damage a hostile or broken server does: cut short, garbage after, a byte changed
    damage = draw(st.sampled_from(["none", "none", "truncate", "extra", "flip"]))
    if damage == "truncate":
        wire = wire[: draw(st.integers(0, len(wire)))]
    elif damage == "extra":
        wire += draw(st.sampled_from([b"x", b"HTTP/1.1 200 OK\r\n\r\n", b"\r\n"]))
    elif damage == "flip" and wire:
        at = draw(st.integers(0, len(wire) - 1))
        wire = wire[:at] + draw(st.sampled_from([b"\n", b"\r", b"z", b";", b"0"])) + wire[at + 1 :]
    return wire


@FUZZ
@given(wire=wires(), data=st.data())
def test_fast_and_slow_paths_agree_on_any_split(wire: bytes, data: st.DataObject) -> None:
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(1, len(wire) - 1)), max_size=6))))
    cuts = [c for c in cuts if 0 < c < len(wire)]
    assert run(wire, cuts, True) == run(wire, cuts, False)


@pytest.mark.parametrize("cut", range(0, 120, 1))
def test_every_split_of_a_chunked_body_agrees(cut: int) -> None:
    wire = chunked([b"hello", b"x" * 17, b"", b"world!"], trailer=b"T: 1\r\n")
    cuts = [cut] if 0 < cut < len(wire) else []
    fast = run(wire, cuts, True)
    assert fast == run(wire, cuts, False)
    assert fast[1] == b"hello" + b"x" * 17 + b"world!"
    assert fast[2] is None and fast[3] is True


def test_chunked_bodies_come_out_one_piece_per_chunk_and_the_cycle_goes_on() -> None:
    conn = ClientConnection(buffer_body=True)
    for n in range(3):
        conn.send_request(Req())
        wire = chunked([b"a" * 4096] * 4 + [b"end%d" % n])
        events = conn.receive_data(wire)
        data = [e.data for e in events if isinstance(e, BodyData)]
        # one piece per chunk, each the bytes of that chunk
        assert data == [b"a" * 4096] * 4 + [b"end%d" % n]
        assert conn.response is not None
        assert conn.response.content == b"a" * 16384 + b"end%d" % n
        assert conn.reusable
        conn.start_next_cycle()


def test_bad_chunk_footer_is_a_chunked_encoding_error() -> None:
    from httpcore_lite.exceptions import ChunkedEncodingError

    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    conn.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    with pytest.raises(ChunkedEncodingError):
        conn.receive_data(b"3\r\nabcXY0\r\n\r\n")


NEEDS_FAST_PATH = pytest.mark.skipif(not fastpath.ENABLED, reason=f"{fastpath.ENV_VAR} is set")


@NEEDS_FAST_PATH
def test_content_length_body_in_the_same_read_as_the_head_skips_h11() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(Req())
    events = conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123")
    assert conn.body_remaining == 6  # the core counts the rest itself
    assert [e.data for e in events if isinstance(e, BodyData)] == [b"0123"]


def test_switched_protocol_keeps_the_bytes_after_the_head() -> None:
    for enabled in (True, False):
        fastpath.ENABLED, saved = enabled, fastpath.ENABLED
        try:
            conn = ClientConnection(buffer_body=False)
            conn.send_request(
                Req("CONNECT", url="http://example.com:443/"), target="example.com:443"
            )
            conn.receive_data(b"HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01")
            assert conn.trailing_data == b"\x16\x03\x01"
            assert not conn.reusable
        finally:
            fastpath.ENABLED = saved


@NEEDS_FAST_PATH
def test_self_check_passes_on_this_h11() -> None:
    fastpath.self_check()
    assert fastpath.ENABLED


def test_self_check_fails_when_the_plain_parser_disagrees_with_h11(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from httpcore_lite.protocol import _response_head

    real = _response_head.parse_plain_head

    def keeps_the_spaces(data: bytes, end: int, method: bytes) -> Any:
        head = real(data, end, method)
        if head is None:
            return None
        status, reason, fields, length, keep_alive = head
        return status, reason, tuple((n, v + " ") for n, v in fields), length, keep_alive

    monkeypatch.setattr(_response_head, "parse_plain_head", keeps_the_spaces)
    with pytest.raises(AssertionError):
        fastpath.self_check()


def test_environment_variable_turns_every_fast_path_off() -> None:
    code = "from httpcore_lite.protocol import fastpath; print(fastpath.ENABLED)"
    env = {**os.environ, fastpath.ENV_VAR: "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_an_h11_without_the_internals_imports_and_runs_the_slow_path() -> None:
    # a stand-in h11 whose readers and Headers lack the private names the fast paths read
    code = (
        "import h11._readers as r, h11._headers as hd\n"
        "del r.ContentLengthReader, r.ChunkedReader\n"
        "import httpcore_lite as requests\n"
        "from httpcore_lite.protocol import fastpath, ClientConnection\n"
        "print(fastpath.ENABLED)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
    assert h11.__version__  # the real one, untouched in this process
