"""Servers that misbehave on purpose, on raw sockets: every fault ends in our exceptions."""

from __future__ import annotations

import socket
import time

import pytest

from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    NewConnectionError,
    ReadTimeout,
    RequestException,
    RetryError,
)
from httpcore_lite.models import Request
from httpcore_lite.transport.retry import Retry
from httpcore_lite.transport.timeout import Timeout
from tests.servers.raw import canned, read_request

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def once(response: bytes):
    """Handler: answer one request with ``response`` and close the connection."""

    def handler(sock: socket.socket) -> None:
        if read_request(sock) is not None:
            sock.sendall(response)

    return handler


def get(url: str, method: str = "GET", **kwargs):
    return Request(method, url, **kwargs).prepare()


def test_keep_alive_reuses_one_connection(raw_server):
    srv = raw_server(canned(*[OK] * 5))
    adapter = HTTPAdapter()
    for _ in range(5):
        assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    assert srv.connections == 1
    stats = adapter.stats()
    assert (stats.opened, stats.reused, stats.idle) == (1, 4, 1)


def test_stale_keep_alive_closed_by_server(raw_server):
    def one_per_connection(sock):
        if read_request(sock) is not None:
            sock.sendall(OK)  # keep-alive promised, then closed

    srv = raw_server(one_per_connection)
    adapter = HTTPAdapter()
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    time.sleep(0.1)
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    assert srv.connections == 2
    assert adapter.stats().discarded == 1


def test_no_response_is_connection_error(raw_server):
    srv = raw_server(lambda sock: read_request(sock))
    with pytest.raises(ConnectionError) as info:
        HTTPAdapter().send(get(srv.url), timeout=5)
    assert "without response" in str(info.value)
    assert info.value.request is not None


def test_truncated_content_length(raw_server):
    srv = raw_server(once(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
    with pytest.raises(ChunkedEncodingError):
        HTTPAdapter().send(get(srv.url), timeout=5)


def test_truncated_chunked(raw_server):
    srv = raw_server(once(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"))
    adapter = HTTPAdapter()
    response = adapter.send(get(srv.url), stream=True, timeout=5)
    with pytest.raises(ChunkedEncodingError):
        response.raw.read()
    assert adapter.stats().in_use == 0  # the broken connection was dropped, not leaked


def test_garbage_head(raw_server):
    srv = raw_server(once(b"SSH-2.0-OpenSSH_9.0\r\n\r\n"))
    with pytest.raises(ConnectionError):
        HTTPAdapter().send(get(srv.url), timeout=5)


def test_huge_head_refused(raw_server):
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * (2 << 20) + b"\r\n\r\n"
    srv = raw_server(once(head))
    with pytest.raises(ConnectionError):
        HTTPAdapter().send(get(srv.url), timeout=5)


def test_silent_server_read_timeout(raw_server):
    srv = raw_server(lambda sock: (read_request(sock), time.sleep(3)))
    start = time.monotonic()
    with pytest.raises(ReadTimeout):
        HTTPAdapter().send(get(srv.url), timeout=(2, 1.0))
    assert time.monotonic() - start < 1.0 * 1.5


def test_slow_drip_within_read_timeout_succeeds(raw_server):
    def drip(sock):
        read_request(sock)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n")
        for byte in b"abcdef":
            time.sleep(0.15)
            sock.sendall(bytes([byte]))

    srv = raw_server(drip)
    # each wait is < 0.5 s although the whole body takes ~0.9 s
    assert HTTPAdapter().send(get(srv.url), timeout=0.5).content == b"abcdef"


def test_total_timeout_stops_a_drip(raw_server):
    def drip(sock):
        read_request(sock)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
        for _ in range(100):
            time.sleep(0.1)
            sock.sendall(b"x")

    srv = raw_server(drip)
    start = time.monotonic()
    with pytest.raises(ReadTimeout):
        HTTPAdapter().send(get(srv.url), timeout=Timeout(connect=2, read=1, total=1.0))
    assert time.monotonic() - start < 1.0 * 1.5


def test_100_continue_is_absorbed(raw_server):
    srv = raw_server(canned(b"HTTP/1.1 100 Continue\r\n\r\n" + OK))
    response = HTTPAdapter().send(get(srv.url, "POST", data=b"body"), timeout=5)
    assert response.status_code == 200
    assert response.content == b"ok"


def test_close_delimited_body(raw_server):
    def close_delimited(sock):
        read_request(sock)
        sock.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
        sock.shutdown(socket.SHUT_WR)

    srv = raw_server(close_delimited)
    adapter = HTTPAdapter()
    assert adapter.send(get(srv.url), timeout=5).content == b"until the end"
    assert adapter.stats().idle == 0  # not kept: the body ended with the connection


def test_http10_response(raw_server):
    def http10(sock):
        read_request(sock)
        sock.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold")

    srv = raw_server(http10)
    response = HTTPAdapter().send(get(srv.url), stream=True, timeout=5)
    assert response.raw.version == 10
    assert response.content == b"old"


def test_server_closes_while_request_body_is_sent(raw_server):
    def early_answer(sock):
        sock.recv(1024)
        sock.sendall(b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n")
        time.sleep(0.2)

    srv = raw_server(early_answer)
    body = (b"x" * 65536 for _ in range(200))  # 12.5 MiB, more than socket buffers hold
    try:
        response = HTTPAdapter().send(get(srv.url, "POST", data=body), timeout=5)
    except ConnectionError:
        return  # the reset won the race: still our exception
    assert response.status_code == 413


def test_connect_error_retried_then_raised():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    adapter = HTTPAdapter(max_retries=Retry(2, backoff_factor=0))
    with pytest.raises(NewConnectionError) as info:
        adapter.send(get(f"http://127.0.0.1:{port}/"), timeout=2)
    assert info.value.request is not None


def test_default_retries_do_not_retry_reads(raw_server):
    srv = raw_server(lambda sock: read_request(sock))
    with pytest.raises(ConnectionError):
        HTTPAdapter().send(get(srv.url), timeout=5)
    assert srv.connections == 1


def test_read_error_retried_for_idempotent_methods(raw_server):
    answers = [b"garbage\r\n\r\n", OK]

    def handler(sock):
        if read_request(sock) is not None:
            sock.sendall(answers.pop(0))

    srv = raw_server(handler)
    adapter = HTTPAdapter(max_retries=Retry(total=2, read=2))
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    assert srv.connections == 2


def test_status_forcelist_with_retry_after(raw_server):
    busy = b"HTTP/1.1 503 Busy\r\nRetry-After: 0\r\nContent-Length: 4\r\n\r\nbusy"
    srv = raw_server(canned(busy, OK))
    adapter = HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503]))
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    assert len(srv.requests) == 2
    assert adapter.stats().opened == 1  # the 503's body was drained and the connection reused


def test_status_retries_exhausted(raw_server):
    busy = b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"
    srv = raw_server(canned(busy, busy, busy))
    adapter = HTTPAdapter(max_retries=Retry(total=1, status_forcelist=[500]))
    with pytest.raises(RetryError):
        adapter.send(get(srv.url), timeout=5)
    adapter = HTTPAdapter(max_retries=Retry(total=0, status_forcelist=[500], raise_on_status=False))
    assert adapter.send(get(srv.url), timeout=5).status_code == 500


def test_errors_keep_their_cause(raw_server):
    def reset(sock):
        read_request(sock)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    srv = raw_server(reset)
    with pytest.raises(RequestException) as info:
        HTTPAdapter().send(get(srv.url), timeout=5)
    assert isinstance(info.value, ConnectionError)


def test_total_deadline_bounds_retry_backoff():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    adapter = HTTPAdapter(max_retries=Retry(total=20, connect=20, backoff_factor=0.5))
    start = time.monotonic()
    with pytest.raises(ConnectionError):
        adapter.send(get(f"http://127.0.0.1:{port}/"), timeout=Timeout(1, 1, total=1.0))
    assert time.monotonic() - start < 1.0 * 1.5


def test_retry_after_longer_than_total_returns_the_answer(raw_server):
    busy = b"HTTP/1.1 503 Busy\r\nRetry-After: 30\r\nContent-Length: 4\r\n\r\nbusy"
    srv = raw_server(canned(busy, OK))
    adapter = HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[503]))
    start = time.monotonic()
    response = adapter.send(get(srv.url), timeout=Timeout(2, 2, total=2.0))
    assert response.status_code == 503
    assert response.content == b"busy"
    assert time.monotonic() - start < 2.0
