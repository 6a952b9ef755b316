"""The sans-IO core's contract for embedders: per-request buffering, the cycle's state, interim
responses, trailers, typed errors, request shapes, framing rules and the hand-over."""

from __future__ import annotations

import gzip
from types import SimpleNamespace
from typing import Any

import pytest

from httpcore_lite import exceptions, models
from httpcore_lite.protocol import (
    DEFAULT_MAX_INTERIM_RESPONSES,
    BodyData,
    ClientConnection,
    InformationalResponse,
    RemoteDisconnected,
    ResponseComplete,
    ResponseStarted,
    State,
    build_response,
    finish_response,
)

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


def req(method: str = "GET", headers: Any = None, body: Any = None) -> Any:
    """A request as a plain namespace: the four attributes the core reads, nothing else."""
    return SimpleNamespace(
        method=method, url="http://example.com/p", headers=headers or {}, body=body
    )


def head_of(wire: bytes) -> list[bytes]:
    return wire.partition(b"\r\n\r\n")[0].split(b"\r\n")


def fields(wire: bytes) -> dict[bytes, bytes]:
    return {
        name.lower(): value.strip()
        for name, _, value in (line.partition(b":") for line in head_of(wire)[1:])
    }


# -- buffering per request -------------------------------------------------------------------


def test_buffering_is_chosen_per_request_on_one_connection() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req(), buffer_body=True)
    events = conn.receive_data(OK)
    assert conn.response is not None and conn.response.content == b"hello"
    assert events[-1] == ResponseComplete()
    conn.start_next_cycle()
    conn.send_request(req())  # back to the connection's default: nothing kept
    conn.receive_data(OK)
    assert conn.response is None
    conn.start_next_cycle()
    buffered = ClientConnection()
    buffered.send_request(req(), buffer_body=False)
    buffered.receive_data(OK)
    assert buffered.response is None


def test_finish_response_decodes_and_unfinished_content_raises() -> None:
    body = gzip.compress(b'{"a": 1}')
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
    events = conn.receive_data(head + body)
    started = events[0]
    assert type(started) is ResponseStarted
    response = build_response(started, None)
    with pytest.raises(RuntimeError, match="finish_response"):
        response.content  # noqa: B018
    with pytest.raises(RuntimeError, match="finish_response"):
        response.text  # noqa: B018
    pieces = b"".join(e.data for e in events if type(e) is BodyData)
    assert finish_response(response, pieces) is response
    assert response.json() == {"a": 1}
    assert list(response.iter_content(3))[0] == b'{"a'
    response.close()  # nothing to release, no error


def test_a_plain_response_keeps_requests_behaviour() -> None:
    assert models.Response().content is None  # requests' value for a Response with no raw


def test_finish_response_refuses_bad_compressed_content() -> None:
    started = ResponseStarted(200, "OK", (("Content-Encoding", "gzip"),), "1.1")
    with pytest.raises(exceptions.ContentDecodingError):
        finish_response(build_response(started, None), b"not gzip at all")


# -- state -----------------------------------------------------------------------------------


def test_states_through_a_streamed_upload_and_its_response() -> None:
    conn = ClientConnection(buffer_body=False)
    assert (conn.our_state, conn.their_state) == (State.IDLE, State.IDLE)
    conn.send_request(req("POST", body=iter([b"x"])))
    assert (conn.our_state, conn.their_state) == (State.SEND_BODY, State.SEND_RESPONSE)
    conn.send_body(b"abc")
    conn.end_body()
    assert (conn.our_state, conn.their_state) == (State.DONE, State.SEND_RESPONSE)
    assert conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-") == []  # a partial head...
    assert conn.their_state is State.SEND_RESPONSE  # ...says so
    conn.receive_data(b"Length: 5\r\n\r\nhe")
    assert conn.their_state is State.SEND_BODY
    conn.receive_data(b"llo")
    assert (conn.our_state, conn.their_state) == (State.DONE, State.DONE)
    assert conn.reusable
    conn.start_next_cycle()
    assert (conn.our_state, conn.their_state) == (State.IDLE, State.IDLE)


def test_state_is_error_after_a_bad_head() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    with pytest.raises(exceptions.ConnectionError):
        conn.receive_data(b"NOT HTTP\r\n\r\n")
    assert (conn.our_state, conn.their_state) == (State.ERROR, State.ERROR)


def test_early_final_response_leaves_reusable_false_for_good() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req("POST", body=iter(())))
    conn.send_body(b"part of a large upload")
    events = conn.receive_data(b"HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n")
    assert type(events[-1]) is ResponseComplete
    assert conn.our_state is State.SEND_BODY and conn.their_state is State.DONE
    assert not conn.reusable
    conn.end_body()
    assert conn.our_state is State.DONE
    assert not conn.reusable


# -- interim responses -----------------------------------------------------------------------


def test_interim_responses_are_events_on_request() -> None:
    conn = ClientConnection(buffer_body=False, interim_responses=True)
    conn.send_request(req())
    events = conn.receive_data(
        CONTINUE + b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
    )
    assert events == [
        InformationalResponse(100, "Continue", ()),
        InformationalResponse(103, "Early Hints", (("Link", "</s.css>; rel=preload"),)),
    ]
    assert conn.their_state is State.SEND_RESPONSE
    events = conn.receive_data(OK)
    assert [type(e) for e in events] == [ResponseStarted, BodyData, ResponseComplete]


def test_interim_responses_are_absorbed_by_default() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    assert conn.receive_data(CONTINUE) == []
    assert type(conn.receive_data(OK)[0]) is ResponseStarted


@pytest.mark.parametrize("interim", [False, True])
def test_too_many_interim_responses_is_an_error(interim: bool) -> None:
    conn = ClientConnection(buffer_body=False, interim_responses=interim)
    conn.send_request(req())
    conn.receive_data(CONTINUE * DEFAULT_MAX_INTERIM_RESPONSES)  # the limit itself is fine
    with pytest.raises(exceptions.ConnectionError, match="interim"):
        conn.receive_data(CONTINUE)
    assert conn.their_state is State.ERROR


def test_interim_bound_counts_per_request() -> None:
    conn = ClientConnection(buffer_body=False, max_interim_responses=1)
    for _ in range(3):
        conn.send_request(req())
        conn.receive_data(CONTINUE + OK)
        conn.start_next_cycle()


def test_switching_protocols_still_ends_the_cycle_and_later_data_raises() -> None:
    conn = ClientConnection(buffer_body=False, interim_responses=True)
    conn.send_request(req(headers={"Upgrade": "websocket", "Connection": "Upgrade"}))
    events = conn.receive_data(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81"
    )
    assert [type(e) for e in events] == [ResponseStarted, ResponseComplete]
    assert conn.their_state is State.SWITCHED and not conn.reusable
    assert conn.trailing_data == b"\x81"
    with pytest.raises(RuntimeError, match="handed over"):
        conn.receive_data(b"\x00")
    assert conn.receive_data(b"") == []  # the peer closing afterwards is no error


# -- trailers --------------------------------------------------------------------------------


def test_trailers_arrive_on_the_completion_event() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    events = conn.receive_data(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
        b"3\r\nabc\r\n0\r\nX-Sum: 42\r\n\r\n"
    )
    assert events[-1] == ResponseComplete(trailers=(("X-Sum", "42"),))
    assert conn.reusable


# -- typed errors ----------------------------------------------------------------------------


def test_eof_before_any_byte_is_remote_disconnected() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    with pytest.raises(RemoteDisconnected) as info:
        conn.receive_data(b"")
    assert isinstance(info.value, exceptions.ConnectionError)
    assert exceptions.RemoteDisconnected is RemoteDisconnected


def test_garbage_head_is_not_remote_disconnected() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    with pytest.raises(exceptions.ConnectionError) as info:
        conn.receive_data(b"garbage\r\n\r\n")
    assert not isinstance(info.value, RemoteDisconnected)


def test_stray_bytes_after_start_next_cycle_raise() -> None:
    conn = ClientConnection(buffer_body=False)
    conn.send_request(req())
    conn.receive_data(OK)
    conn.start_next_cycle()
    with pytest.raises(exceptions.ConnectionError, match="no request"):
        conn.receive_data(OK)
    assert not conn.reusable


# -- the request interface -------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-A": "1", "X-B": "2"},
        [("X-A", "1"), ("X-B", "2")],
        ((b"X-A", b"1"), (b"X-B", b"2")),
    ],
)
def test_headers_in_common_shapes(headers: Any) -> None:
    wire = ClientConnection().send_request(req(headers=headers))
    assert head_of(wire) == [b"GET /p HTTP/1.1", b"Host: example.com", b"X-A: 1", b"X-B: 2"]


def test_headers_of_a_wrong_shape_are_a_clear_error() -> None:
    with pytest.raises(exceptions.InvalidHeader, match="pairs"):
        ClientConnection().send_request(req(headers=["X-A"]))


def test_explicit_streaming_needs_no_placeholder_body() -> None:
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(req("POST"), streaming=True)
    assert fields(wire)[b"transfer-encoding"] == b"chunked"
    assert conn.body_is_streaming
    assert conn.send_body(b"abc") == b"3\r\nabc\r\n"
    assert conn.end_body() == b"0\r\n\r\n"


def test_streaming_false_refuses_an_unsized_body() -> None:
    with pytest.raises(exceptions.InvalidBodyError):
        ClientConnection().send_request(req("POST", body=iter([b"x"])), streaming=False)


def test_generator_body_with_content_length_never_sends_both() -> None:
    prepared = models.Request(
        "POST", "http://example.com/p", data=iter([b"abc"]), headers={"Content-Length": "3"}
    ).prepare()
    assert "Content-Length" in prepared.headers and "Transfer-Encoding" in prepared.headers
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(prepared)
    sent = fields(wire)
    assert b"content-length" not in sent and sent[b"transfer-encoding"] == b"chunked"
    assert conn.send_body(b"abc") + conn.end_body() == b"3\r\nabc\r\n0\r\n\r\n"


def test_head_only_send_returns_the_body_object_uncopied() -> None:
    body = b"x" * (1 << 20)
    conn = ClientConnection(buffer_body=False)
    wire = conn.send_request(req("PUT", body=body), streaming=True)
    assert wire.endswith(b"\r\n\r\n") and len(wire) < 200
    assert fields(wire)[b"content-length"] == str(len(body)).encode()
    assert conn.send_body(body) is body
    assert conn.end_body() == b""
    conn.receive_data(OK)
    assert conn.reusable
