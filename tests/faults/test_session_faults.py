"""The fault matrix: what a user sees when the server or the network misbehaves.

Every row is a raw-socket server on 127.0.0.1 that misbehaves in one precise way, driven through
the public Session API. The promise under test: the call either succeeds with the complete,
correct body, or raises one of the library's exceptions quickly; it never hangs, never returns
silently short content, and never lets a socket, ssl or h11 exception escape.
"""

from __future__ import annotations

import email.utils
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator

import pytest

import httpcore_lite as requests
from httpcore_lite import exceptions
from httpcore_lite.adapters import HTTPAdapter, Retry, Timeout
from tests.servers.procs import free_port
from tests.servers.raw import (
    RawServer,
    canned,
    once,
    read_request,
    reset,
    response,
    wait_closed,
)

RawFactory = Callable[[Callable[[socket.socket], None]], RawServer]


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def _requests_seen(srv: RawServer, method: bytes) -> int:
    return sum(1 for r in srv.requests if r.startswith(method + b" "))


# --- keep-alive -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_idle_keepalive_closed_by_server_is_transparent(
    raw_server: RawFactory, session: requests.Session, method: str
) -> None:
    closed = threading.Event()

    def handler(sock: socket.socket) -> None:
        # Answer one request as if keeping the connection alive, then close it while idle.
        if read_request(sock) is None:
            return
        sock.sendall(response(200, b"first"))
        time.sleep(0.05)
        sock.close()
        closed.set()

    srv = raw_server(handler)
    assert session.get(srv.url, timeout=5).content == b"first"
    assert closed.wait(5)
    time.sleep(0.1)  # let the FIN arrive at the client
    # the dead connection is noticed before anything is sent, so even a POST is safe
    second = session.request(method, srv.url, data=b"payload", timeout=5)
    assert second.status_code == 200
    assert second.content == b"first"
    assert srv.connections == 2
    assert _requests_seen(srv, method.encode()) == (2 if method == "GET" else 1)


def test_reused_connection_dropped_before_answer_is_retried_for_get(
    raw_server: RawFactory, session: requests.Session
) -> None:
    """The server reads the second request and closes without a byte: the race every pool
    meets when a server times out an idle connection just as the client reuses it."""
    calls: list[int] = []

    def handler(sock: socket.socket) -> None:
        calls.append(1)
        if len(calls) == 1:
            if read_request(sock) is None:
                return
            sock.sendall(response(200, b"one"))
            read_request(sock)  # the reuse attempt: swallowed, then the connection dies
            return
        if read_request(sock) is None:
            return
        sock.sendall(response(200, b"two"))
        wait_closed(sock)

    srv = raw_server(handler)
    assert session.get(srv.url, timeout=5).content == b"one"
    assert session.get(srv.url, timeout=5).content == b"two"
    assert srv.connections == 2
    assert _requests_seen(srv, b"GET") == 3


# --- nothing, or nothing useful, comes back -------------------------------------------------------


def test_accept_and_never_answer_raises_read_timeout(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        read_request(sock)
        wait_closed(sock)

    srv = raw_server(handler)
    timeout = 0.5
    started = time.monotonic()
    with pytest.raises(exceptions.ReadTimeout):
        session.get(srv.url, timeout=(2, timeout))
    assert time.monotonic() - started < 1.5 * timeout + 0.25


def test_accept_and_never_read_raises_read_timeout(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(wait_closed)
    timeout = 0.5
    started = time.monotonic()
    with pytest.raises(exceptions.ReadTimeout):
        session.get(srv.url, timeout=timeout)
    assert time.monotonic() - started < 1.5 * timeout + 0.25


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A port whose accept queue is full: new SYNs are dropped, so connecting times out."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        for _ in range(16):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.settimeout(0.2)
            fillers.append(filler)
            try:
                filler.connect(("127.0.0.1", port))
            except OSError:
                break  # this one timed out: the queue is full
        else:
            pytest.skip("the kernel kept accepting connections into a zero backlog")
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_unanswered_connect_raises_connect_timeout(
    full_backlog: int, session: requests.Session
) -> None:
    timeout = 0.5
    started = time.monotonic()
    with pytest.raises(exceptions.ConnectTimeout):
        session.get(f"http://127.0.0.1:{full_backlog}/", timeout=(timeout, 5))
    assert time.monotonic() - started < 1.5 * timeout + 0.25


@pytest.mark.timeout(15)
def test_total_timeout_bounds_connect_retries(session: requests.Session) -> None:
    port = free_port()  # refused every time: only the deadline can end the backoff
    retry = Retry(total=20, connect=20, backoff_factor=0.5, backoff_max=4)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    total = 1.0
    started = time.monotonic()
    with pytest.raises(exceptions.ConnectionError):
        session.get(f"http://127.0.0.1:{port}/", timeout=Timeout(connect=1, read=1, total=total))
    assert time.monotonic() - started < 1.5 * total


def test_answer_nothing_and_close_raises_connection_error(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(lambda sock: None if read_request(sock) is None else sock.close())
    started = time.monotonic()
    with pytest.raises(exceptions.ConnectionError):
        session.get(srv.url, timeout=5)
    assert time.monotonic() - started < 2


def test_reset_before_answer_raises_connection_error(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(lambda sock: None if read_request(sock) is None else reset(sock))
    with pytest.raises(exceptions.ConnectionError):
        session.get(srv.url, timeout=5)


def test_refused_port_raises_connection_error(session: requests.Session) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(exceptions.ConnectionError) as info:
        session.get(f"http://127.0.0.1:{port}/", timeout=5)
    assert not isinstance(info.value, exceptions.Timeout)


# --- truncated bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
def test_truncated_content_length_body_raises_chunked_encoding_error(
    raw_server: RawFactory, session: requests.Session, stream: bool
) -> None:
    payload = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 50
    srv = raw_server(once(payload))
    got = b""
    with pytest.raises(exceptions.ChunkedEncodingError):
        r = session.get(srv.url, timeout=5, stream=stream)
        for piece in r.iter_content(16):
            got += piece
    assert len(got) < 100  # never a silently short "complete" body


@pytest.mark.parametrize(
    "body",
    [
        b"5\r\nhello\r\n",  # no last chunk
        b"a\r\nhel",  # cut inside a chunk
        b"5\r\nhello\r\n0\r\n",  # last chunk without the final CRLF
    ],
    ids=["no-last-chunk", "mid-chunk", "no-final-crlf"],
)
def test_truncated_chunked_body_raises_chunked_encoding_error(
    raw_server: RawFactory, session: requests.Session, body: bytes
) -> None:
    payload = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body
    srv = raw_server(once(payload))
    with pytest.raises(exceptions.ChunkedEncodingError):
        session.get(srv.url, timeout=5)


def test_compressed_body_cut_short_inside_a_complete_message_is_not_short_content(
    raw_server: RawFactory, session: requests.Session
) -> None:
    """Framing is intact but the gzip stream stops halfway (a server that died while
    compressing into a pre-announced length): the decoder knows the stream is unfinished."""
    import gzip

    data = bytes(range(256)) * 400  # barely compressible: half the stream is half the data
    packed = gzip.compress(data)
    srv = raw_server(
        once(response(200, packed[: len(packed) // 2], headers=[("Content-Encoding", "gzip")]))
    )
    with pytest.raises(exceptions.ContentDecodingError):
        r = session.get(srv.url, timeout=5)
        assert len(r.content) < len(data)  # what a silent truncation would return


def test_reset_mid_body_raises(raw_server: RawFactory, session: requests.Session) -> None:
    payload = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000

    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(payload)
        time.sleep(0.05)
        reset(sock)

    srv = raw_server(handler)
    with pytest.raises((exceptions.ChunkedEncodingError, exceptions.ConnectionError)):
        session.get(srv.url, timeout=5)


# --- malformed heads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"this is not http at all\r\n\r\n",
        b"\x00\xff\xfe\x80\x16\x03\x01 binary status\r\n\r\n",
        b"HTTP/3.7 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nno colon in this header\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok",
    ],
    ids=[
        "garbage",
        "binary-status-line",
        "unknown-http-version",
        "bad-status-code",
        "header-without-colon",
        "negative-content-length",
    ],
)
def test_malformed_head_raises_connection_error(
    raw_server: RawFactory, session: requests.Session, payload: bytes
) -> None:
    srv = raw_server(once(payload))
    started = time.monotonic()
    with pytest.raises(exceptions.ConnectionError):
        session.get(srv.url, timeout=5)
    assert time.monotonic() - started < 3


def test_conflicting_content_lengths_raise_invalid_header(
    raw_server: RawFactory, session: requests.Session
) -> None:
    payload = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"
    srv = raw_server(once(payload))
    with pytest.raises(exceptions.InvalidHeader):
        session.get(srv.url, timeout=5)


@pytest.mark.parametrize("stream", [False, True])
def test_head_cut_short_raises_chunked_encoding_error(
    raw_server: RawFactory, session: requests.Session, stream: bool
) -> None:
    # The status line and part of the header fields, then the server hangs up.
    payload = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
    srv = raw_server(once(payload))
    with pytest.raises(exceptions.ChunkedEncodingError):
        session.get(srv.url, timeout=5, stream=stream)


def test_two_mib_header_is_refused(raw_server: RawFactory, session: requests.Session) -> None:
    big = b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (2 << 20) + b"\r\nContent-Length: 2\r\n\r\nok"
    srv = raw_server(once(big))
    tracemalloc.start()
    try:
        with pytest.raises(exceptions.ConnectionError):
            session.get(srv.url, timeout=5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # refused at the head limit, not after buffering (and copying) the whole 2 MiB
    assert peak < 8 << 20


@pytest.mark.timeout(30)
def test_endless_headers_are_refused_in_bounded_memory(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\n")
        line = b"X-More: " + b"v" * 56 + b"\r\n"
        block = line * 1024  # 64 KiB of header lines
        for _ in range(1024):  # give up after 64 MiB
            sock.sendall(block)

    srv = raw_server(handler)
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(exceptions.ConnectionError):
            session.get(srv.url, timeout=5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20
    assert time.monotonic() - started < 10


def test_too_many_small_headers_are_refused(
    raw_server: RawFactory, session: requests.Session
) -> None:
    # 1,000 fields in a 9 KB head: small in bytes, but a field count no sane server sends
    many = b"".join(b"X-%d: v\r\n" % i for i in range(1000))
    srv = raw_server(once(b"HTTP/1.1 200 OK\r\n" + many + b"Content-Length: 2\r\n\r\nok"))
    with pytest.raises(exceptions.ConnectionError):
        session.get(srv.url, timeout=5)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("start", "filler"),
    [(b"5;ext=", b"e" * 65536), (b"0\r\n", b"X-Trailer: t\r\n" * 4096)],
    ids=["chunk-size-line", "trailers"],
)
def test_endless_chunk_size_line_or_trailers_are_refused_in_bounded_memory(
    raw_server: RawFactory, session: requests.Session, start: bytes, filler: bytes
) -> None:
    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + start)
        block = filler
        for _ in range(512):  # give up after about 32 MiB
            sock.sendall(block)

    srv = raw_server(handler)
    tracemalloc.start()
    try:
        with pytest.raises((exceptions.ChunkedEncodingError, exceptions.ConnectionError)):
            session.get(srv.url, timeout=5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20


# --- slow servers and deadlines -------------------------------------------------------------------


def _drip(payload: bytes, piece: int, pause: float) -> Callable[[socket.socket], None]:
    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        for i in range(0, len(payload), piece):
            sock.sendall(payload[i : i + piece])
            time.sleep(pause)
        wait_closed(sock)

    return handler


def test_slow_drip_within_read_timeout_succeeds(
    raw_server: RawFactory, session: requests.Session
) -> None:
    body = b"0123456789" * 3
    srv = raw_server(_drip(response(200, body), piece=4, pause=0.05))
    r = session.get(srv.url, timeout=(2, 0.5))
    assert r.status_code == 200
    assert r.content == body


def test_slow_drip_beyond_total_timeout_fails_at_deadline(
    raw_server: RawFactory, session: requests.Session
) -> None:
    # Each byte arrives well within the read timeout; only the total deadline can stop it.
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n"
    srv = raw_server(_drip(head + b"x" * 60, piece=1, pause=0.05))
    total = 1.0
    started = time.monotonic()
    with pytest.raises(exceptions.Timeout):
        session.get(srv.url, timeout=Timeout(connect=2, read=1, total=total))
    assert time.monotonic() - started < 1.5 * total


def test_total_timeout_covers_a_stalled_head(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(_drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: 1\r\n" * 60, piece=11, pause=0.05))
    total = 0.8
    started = time.monotonic()
    with pytest.raises(exceptions.Timeout):
        session.get(srv.url, timeout=Timeout(connect=2, read=1, total=total))
    assert time.monotonic() - started < 1.5 * total


# --- protocol variants that must simply work ------------------------------------------------------


@pytest.mark.parametrize(
    "interim",
    [
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n",
    ],
    ids=["100-continue", "103-early-hints", "two-interim"],
)
def test_interim_responses_are_skipped(
    raw_server: RawFactory, session: requests.Session, interim: bytes
) -> None:
    srv = raw_server(canned(interim + response(200, b"final"), response(200, b"again")))
    r = session.post(srv.url, data=b"payload", timeout=5)
    assert r.status_code == 200
    assert r.content == b"final"
    # the connection is still in a clean state for the next request
    assert session.get(srv.url, timeout=5).content == b"again"
    assert srv.connections == 1


def test_http10_reply_is_read_and_not_reused(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        while read_request(sock) is not None:
            sock.sendall(response(200, b"hello", version="HTTP/1.0"))

    srv = raw_server(handler)
    for _ in range(2):
        r = session.get(srv.url, timeout=5)
        assert r.content == b"hello"
        assert r.raw.version == 10
    assert srv.connections == 2  # HTTP/1.0 without keep-alive: one connection per request


@pytest.mark.parametrize("version", ["HTTP/1.0", "HTTP/1.1"])
def test_close_delimited_reply_is_read_to_eof(
    raw_server: RawFactory, session: requests.Session, version: str
) -> None:
    body = b"close-delimited " * 1000
    srv = raw_server(once(response(200, body, version=version, length=False)))
    r = session.get(srv.url, timeout=5)
    assert r.content == body
    second = raw_server(once(response(200, body, version=version, length=False)))
    r = session.get(second.url, timeout=5, stream=True)
    assert b"".join(r.iter_content(1000)) == body


# --- retries --------------------------------------------------------------------------------------


def test_port_that_listens_late_is_reached_with_connect_retries(session: requests.Session) -> None:
    port = free_port()
    servers: list[RawServer] = []

    def start_later() -> None:
        time.sleep(0.4)
        servers.append(RawServer(canned(response(200, b"late")), port=port))

    starter = threading.Thread(target=start_later, daemon=True)
    starter.start()
    try:
        session.mount(
            "http://", HTTPAdapter(max_retries=Retry(total=10, connect=10, backoff_factor=0.1))
        )
        started = time.monotonic()
        r = session.get(f"http://127.0.0.1:{port}/", timeout=2)
        assert r.content == b"late"
        assert time.monotonic() - started < 8
    finally:
        starter.join(5)
        for srv in servers:
            srv.stop()


def test_port_that_listens_late_fails_without_retries(session: requests.Session) -> None:
    port = free_port()
    with pytest.raises(exceptions.ConnectionError):
        session.get(f"http://127.0.0.1:{port}/", timeout=2)


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_503_with_retry_after_is_respected(
    raw_server: RawFactory, session: requests.Session, form: str
) -> None:
    # the date is whole seconds: two seconds ahead means a wait of one to two seconds
    when = "1" if form == "seconds" else email.utils.formatdate(time.time() + 2, usegmt=True)
    srv = raw_server(
        canned(
            response(503, b"busy", headers=[("Retry-After", when)]),
            response(200, b"done"),
        )
    )
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503])))
    started = time.monotonic()
    r = session.get(srv.url, timeout=5)
    elapsed = time.monotonic() - started
    assert r.status_code == 200
    assert r.content == b"done"
    assert _requests_seen(srv, b"GET") == 2
    assert elapsed >= 0.9  # the server asked for one second; a sleep never ends early
    assert elapsed < 5


def test_503_retries_exhausted_raise_retry_error(
    raw_server: RawFactory, session: requests.Session
) -> None:
    busy = response(503, b"busy", headers=[("Retry-After", "0")])
    srv = raw_server(canned(busy, busy, busy, busy))
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=2, status_forcelist=[503])))
    with pytest.raises(exceptions.RetryError):
        session.get(srv.url, timeout=5)
    assert _requests_seen(srv, b"GET") == 3


def _dies_after_reading_once() -> tuple[Callable[[socket.socket], None], list[int]]:
    """First connection: read the request and die without answering; later ones answer."""
    calls: list[int] = []

    def handler(sock: socket.socket) -> None:
        calls.append(1)
        if read_request(sock) is None:
            return
        if len(calls) == 1:
            return  # closed by the server after the whole request arrived
        sock.sendall(response(200, b"stored"))
        wait_closed(sock)

    return handler, calls


def test_post_whose_connection_dies_is_not_resent(
    raw_server: RawFactory, session: requests.Session
) -> None:
    handler, _ = _dies_after_reading_once()
    srv = raw_server(handler)
    with pytest.raises(exceptions.ConnectionError):
        session.post(srv.url, data=b"charge the card", timeout=5)
    assert _requests_seen(srv, b"POST") == 1


def test_post_whose_connection_dies_is_not_resent_by_default_retry(
    raw_server: RawFactory, session: requests.Session
) -> None:
    # Retry's default allowed_methods are the idempotent ones: POST is not among them.
    handler, _ = _dies_after_reading_once()
    srv = raw_server(handler)
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=3, read=3)))
    with pytest.raises(exceptions.ConnectionError):
        session.post(srv.url, data=b"charge the card", timeout=5)
    assert _requests_seen(srv, b"POST") == 1


def test_post_on_reused_connection_that_dies_is_not_resent(
    raw_server: RawFactory, session: requests.Session
) -> None:
    """The pool's own retry of a reused connection must not cover a fully sent POST."""
    calls: list[int] = []

    def handler(sock: socket.socket) -> None:
        calls.append(1)
        if read_request(sock) is None:
            return
        sock.sendall(response(200, b"warm"))
        read_request(sock)  # the POST arrives whole; the connection dies unanswered

    srv = raw_server(handler)
    assert session.get(srv.url, timeout=5).content == b"warm"
    with pytest.raises(exceptions.ConnectionError):
        session.post(srv.url, data=b"charge the card", timeout=5)
    assert _requests_seen(srv, b"POST") == 1


def test_post_whose_connection_dies_is_resent_when_retry_allows(
    raw_server: RawFactory, session: requests.Session
) -> None:
    handler, _ = _dies_after_reading_once()
    srv = raw_server(handler)
    retry = Retry(total=3, read=3, allowed_methods=frozenset({"POST"}))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    r = session.post(srv.url, data=b"charge the card", timeout=5)
    assert r.content == b"stored"
    assert _requests_seen(srv, b"POST") == 2
    assert all(req.endswith(b"charge the card") for req in srv.requests)


def test_get_whose_connection_dies_is_retried_by_retry(
    raw_server: RawFactory, session: requests.Session
) -> None:
    handler, _ = _dies_after_reading_once()
    srv = raw_server(handler)
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=2, read=2)))
    assert session.get(srv.url, timeout=5).content == b"stored"
    assert _requests_seen(srv, b"GET") == 2


# --- leftovers on a connection --------------------------------------------------------------------


def test_partly_read_stream_then_closed_leaves_no_leftovers(
    raw_server: RawFactory, session: requests.Session
) -> None:
    big = response(200, b"x" * (1 << 20))
    srv = raw_server(canned(big, response(200, b"second"), response(200, b"third")))
    r = session.get(srv.url, stream=True, timeout=5)
    assert next(r.iter_content(10)) == b"x" * 10
    r.close()
    # whether the rest was drained or the connection dropped, the next answer is clean
    assert session.get(srv.url, timeout=5).content == b"second"


def test_extra_bytes_after_a_response_are_never_read_as_the_next_answer(
    raw_server: RawFactory, session: requests.Session
) -> None:
    calls: list[int] = []

    def handler(sock: socket.socket) -> None:
        calls.append(1)
        first = len(calls) == 1
        while read_request(sock) is not None:
            if first:
                # more bytes than announced: an idle connection holding garbage must be dropped
                sock.sendall(
                    response(200, b"ok") + b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nforge"
                )
            else:
                sock.sendall(response(200, b"real"))

    srv = raw_server(handler)
    assert session.get(srv.url, timeout=5).content == b"ok"
    time.sleep(0.1)
    second = session.get(srv.url, timeout=5)
    assert second.content == b"real"
    assert srv.connections == 2


def test_head_and_304_carry_no_body_and_keep_the_connection(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(
        canned(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",  # answer to HEAD: no body follows
            b'HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\nETag: "v1"\r\n\r\n',
            response(200, b"after"),
        )
    )
    head = session.head(srv.url, timeout=2)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == "1000"
    cached = session.get(srv.url, headers={"If-None-Match": '"v1"'}, timeout=2)
    assert cached.status_code == 304 and cached.content == b""
    assert session.get(srv.url, timeout=2).content == b"after"
    assert srv.connections == 1


def test_stalled_streamed_body_raises_timeout(
    raw_server: RawFactory, session: requests.Session
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10
    srv = raw_server(once(head, then="hold"))
    r = session.get(srv.url, stream=True, timeout=(2, 0.5))
    started = time.monotonic()
    with pytest.raises((exceptions.Timeout, exceptions.ConnectionError)):
        for _ in r.iter_content(1000):
            pass
    assert time.monotonic() - started < 1.5 * 0.5 + 0.25


# --- proxies and TLS ------------------------------------------------------------------------------


def test_unreachable_proxy_raises_proxy_error(session: requests.Session) -> None:
    proxy = f"http://127.0.0.1:{free_port()}"
    for scheme in ("http", "https"):
        with pytest.raises(exceptions.ProxyError):
            session.get(f"{scheme}://localhost:1/", proxies={scheme: proxy}, timeout=5)


def test_refused_connect_tunnel_raises_proxy_error(
    session: requests.Session, auth_proxy_url: str, httpbin_tls_url: str, ca_bundle: str
) -> None:
    no_credentials = auth_proxy_url.replace("user:pass@", "")
    with pytest.raises(exceptions.ProxyError):
        session.get(
            f"{httpbin_tls_url}/get",
            proxies={"https": no_credentials},
            verify=ca_bundle,
            timeout=5,
        )


def test_plain_http_server_on_https_url_raises_ssl_error(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(lambda sock: sock.sendall(response(400, b"plain http")))
    with pytest.raises(exceptions.SSLError):
        session.get(f"https://127.0.0.1:{srv.port}/", timeout=5)


def test_stalled_tls_handshake_times_out(raw_server: RawFactory, session: requests.Session) -> None:
    srv = raw_server(wait_closed)  # accepts, reads the ClientHello, never answers
    timeout = 0.5
    started = time.monotonic()
    with pytest.raises(exceptions.Timeout):
        session.get(f"https://127.0.0.1:{srv.port}/", timeout=timeout)
    assert time.monotonic() - started < 1.5 * timeout + 0.25


def test_proxy_that_never_answers_connect_times_out(
    raw_server: RawFactory, session: requests.Session
) -> None:
    proxy = raw_server(lambda sock: (read_request(sock), wait_closed(sock)))
    started = time.monotonic()
    with pytest.raises((exceptions.Timeout, exceptions.ProxyError)):
        session.get("https://localhost:1/", proxies={"https": proxy.url}, timeout=0.5)
    assert time.monotonic() - started < 1.5 * 0.5 + 0.25
    assert proxy.requests and proxy.requests[0].startswith(b"CONNECT localhost:1 ")


def test_proxy_that_hangs_up_on_connect_raises_proxy_error(
    raw_server: RawFactory, session: requests.Session
) -> None:
    proxy = raw_server(lambda sock: None if read_request(sock) is None else sock.close())
    with pytest.raises(exceptions.ProxyError):
        session.get("https://localhost:1/", proxies={"https": proxy.url}, timeout=5)


def test_tunnel_that_answers_plain_text_raises_ssl_error(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def proxy(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        wait_closed(sock, 0.2)  # swallow the ClientHello
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno")

    srv = raw_server(proxy)
    with pytest.raises(exceptions.SSLError):
        session.get("https://localhost:1/", proxies={"https": srv.url}, timeout=5)


def test_early_answer_during_a_large_upload_is_returned(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = sock.recv(65536)
            if not data:
                return
            head += data
        # answer before the body arrives, as servers with upload limits do, and hang up
        sock.sendall(response(413, b"too large", headers=[("Connection", "close")]))
        time.sleep(0.1)

    srv = raw_server(handler)
    r = session.post(srv.url, data=b"x" * (32 << 20), timeout=5)
    assert r.status_code == 413
    assert r.content == b"too large"


def test_body_sent_with_a_head_answer_is_not_read_as_the_next_answer(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        while (request := read_request(sock)) is not None:
            if request.startswith(b"HEAD"):
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            else:
                sock.sendall(response(200, b"from GET"))

    srv = raw_server(handler)
    assert session.head(srv.url, timeout=5).content == b""
    time.sleep(0.1)
    assert session.get(srv.url, timeout=5).content == b"from GET"


def test_503_for_a_post_is_not_retried_by_default(
    raw_server: RawFactory, session: requests.Session
) -> None:
    busy = response(503, b"busy", headers=[("Retry-After", "0")])
    srv = raw_server(canned(busy, response(200, b"done")))
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503])))
    r = session.post(srv.url, data=b"order", timeout=5)
    assert r.status_code == 503  # POST is not in Retry's default allowed_methods
    assert _requests_seen(srv, b"POST") == 1


def test_503_retries_exhausted_without_raise_on_status_return_the_last_answer(
    raw_server: RawFactory, session: requests.Session
) -> None:
    busy = response(503, b"busy", headers=[("Retry-After", "0")])
    srv = raw_server(canned(busy, busy, busy))
    retry = Retry(total=1, status_forcelist=[503], raise_on_status=False)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    r = session.get(srv.url, timeout=5)
    assert r.status_code == 503
    assert r.content == b"busy"
    assert _requests_seen(srv, b"GET") == 2


# --- messages say where it happened, as requests' do ---------------------------------------------


def _pool(scheme: str, port: int) -> str:
    kind = "HTTPSConnectionPool" if scheme == "https" else "HTTPConnectionPool"
    return f"{kind}(host='127.0.0.1', port={port})"


def test_read_timeout_message_names_the_origin(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        read_request(sock)
        wait_closed(sock)

    srv = raw_server(handler)
    with pytest.raises(exceptions.ReadTimeout) as info:
        session.get(srv.url, timeout=(2, 0.3))
    expected = f"{_pool('http', srv.port)}: Read timed out. (read timeout=0.3)"
    assert str(info.value) == expected
    # requests' first argument is an exception holding that message (urllib3's ReadTimeoutError).
    assert info.value.args[0].args[0] == expected
    assert isinstance(info.value.__cause__, TimeoutError)


def test_stalled_body_read_timeout_names_the_origin(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        read_request(sock)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")
        wait_closed(sock)

    srv = raw_server(handler)
    r = session.get(srv.url, timeout=(2, 0.3), stream=True)
    with pytest.raises(exceptions.ReadTimeout, match=r"^HTTPConnectionPool\(host='127\.0\.0\.1'"):
        list(r.iter_content(4))


def test_remote_disconnect_message_names_the_origin(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(lambda sock: None if read_request(sock) is None else sock.close())
    with pytest.raises(exceptions.ConnectionError) as info:
        session.get(srv.url, timeout=5)
    assert str(info.value).startswith(f"{_pool('http', srv.port)}: Remote end closed connection")


def test_tls_error_message_names_the_origin(
    raw_server: RawFactory, session: requests.Session
) -> None:
    srv = raw_server(lambda sock: sock.sendall(response(400, b"plain http")))
    with pytest.raises(exceptions.SSLError) as info:
        session.get(f"https://127.0.0.1:{srv.port}/", timeout=5)
    assert str(info.value).startswith(f"{_pool('https', srv.port)}: ")
    assert "SSL" in str(info.value)  # the TLS library's reason follows


def test_connect_timeout_message_names_the_origin(
    full_backlog: int, session: requests.Session
) -> None:
    with pytest.raises(exceptions.ConnectTimeout) as info:
        session.get(f"http://127.0.0.1:{full_backlog}/", timeout=(0.3, 5))
    assert str(info.value).startswith(f"{_pool('http', full_backlog)}: ")
    assert "timed out" in str(info.value)


def test_refused_connection_names_host_and_port_once(session: requests.Session) -> None:
    port = free_port()
    with pytest.raises(exceptions.NewConnectionError) as info:
        session.get(f"http://127.0.0.1:{port}/", timeout=5)
    assert f"127.0.0.1:{port}" in str(info.value)
    assert "ConnectionPool" not in str(info.value)
