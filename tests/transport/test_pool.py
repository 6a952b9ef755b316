"""The connection pool under load: blocking caps, overflow, leaks, LRU, statistics."""

from __future__ import annotations

import gc
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.exceptions import ConnectTimeout
from httpcore_lite.models import Request
from httpcore_lite.transport.pool import PoolStats
from tests.servers.raw import read_request

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def get(url: str):
    return Request("GET", url).prepare()


class Concurrency:
    """A keep-alive handler that answers slowly and records the peak of open connections."""

    def __init__(self, delay: float = 0.02, response: bytes = OK) -> None:
        self.delay = delay
        self.response = response
        self.lock = threading.Lock()
        self.open = 0
        self.peak = 0

    def __call__(self, sock) -> None:
        with self.lock:
            self.open += 1
            self.peak = max(self.peak, self.open)
        try:
            while read_request(sock) is not None:
                time.sleep(self.delay)
                sock.sendall(self.response)
        finally:
            with self.lock:
                self.open -= 1


def _hammer(adapter: HTTPAdapter, url: str, threads: int = 8, each: int = 5) -> list[bytes]:
    def work(_: int) -> list[bytes]:
        return [adapter.send(get(url), timeout=10).content for _ in range(each)]

    with ThreadPoolExecutor(threads) as executor:
        return [body for bodies in executor.map(work, range(threads)) for body in bodies]


def test_pool_block_caps_connections(raw_server):
    handler = Concurrency()
    srv = raw_server(handler)
    adapter = HTTPAdapter(pool_maxsize=2, pool_block=True)
    bodies = _hammer(adapter, srv.url)
    assert bodies == [b"ok"] * 40
    assert srv.connections <= 2
    assert handler.peak <= 2
    stats = adapter.stats()
    assert stats.opened == srv.connections
    assert stats.opened + stats.reused == len(srv.requests) == 40
    assert stats.in_use == 0


def test_non_blocking_overflow_serves_everything(raw_server):
    handler = Concurrency()
    srv = raw_server(handler)
    adapter = HTTPAdapter(pool_maxsize=2, pool_block=False)
    bodies = _hammer(adapter, srv.url)
    assert bodies == [b"ok"] * 40
    stats = adapter.stats()
    assert stats.idle <= 2  # extra connections were closed on release
    assert stats.in_use == 0
    assert stats.opened == srv.connections
    assert stats.opened + stats.reused == 40


def test_pool_block_wait_is_bounded_by_connect_timeout(raw_server):
    srv = raw_server(Concurrency(response=OK))
    adapter = HTTPAdapter(pool_maxsize=1, pool_block=True)
    held = adapter.send(get(srv.url), stream=True, timeout=5)
    start = time.monotonic()
    with pytest.raises(ConnectTimeout):
        adapter.send(get(srv.url), timeout=(0.5, 5))
    assert time.monotonic() - start < 0.5 * 1.5 + 0.5
    held.close()
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"  # the slot came back


def test_unread_streamed_responses_do_not_leak(raw_server):
    big = b"HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n" + b"x" * 1048576
    srv = raw_server(Concurrency(delay=0, response=big))
    adapter = HTTPAdapter(pool_maxsize=2, pool_block=True)
    for _ in range(10):
        response = adapter.send(get(srv.url), stream=True, timeout=5)
        assert response.raw.read(10) == b"x" * 10
        response.close()  # too much left to drain: the connection is closed
    stats = adapter.stats()
    assert stats.in_use == 0
    assert stats.opened == srv.connections == 10


def test_small_unread_rest_is_drained_and_reused(raw_server):
    srv = raw_server(
        Concurrency(delay=0, response=b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    )
    adapter = HTTPAdapter()
    for _ in range(5):
        response = adapter.send(get(srv.url), stream=True, timeout=5)
        response.close()
    assert srv.connections == 1
    assert adapter.stats().reused == 4


def test_response_released_when_body_read(raw_server):
    srv = raw_server(Concurrency(delay=0))
    adapter = HTTPAdapter()
    response = adapter.send(get(srv.url), stream=True, timeout=5)
    assert adapter.stats().in_use == 1
    assert response.raw.read() == b"ok"
    stats = adapter.stats()
    assert (stats.in_use, stats.idle) == (0, 1)


def _fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_no_fd_growth_over_many_adapters(raw_server):
    srv = raw_server(Concurrency(delay=0))
    warm = HTTPAdapter()
    warm.send(get(srv.url), timeout=5)
    warm.close()
    before = _fd_count()
    for i in range(300):
        adapter = HTTPAdapter()
        assert adapter.send(get(srv.url), timeout=5).content == b"ok"
        if i % 2:
            adapter.close()
        del adapter
    gc.collect()
    assert _fd_count() - before < 10


def test_lru_drops_least_recently_used_pool(raw_server):
    servers = [raw_server(Concurrency(delay=0)) for _ in range(3)]
    adapter = HTTPAdapter(pool_connections=2)
    for srv in servers:
        adapter.send(get(srv.url), timeout=5)
    stats = adapter.stats()
    assert len(adapter.poolmanager.pools) == 2
    assert stats.idle == 2  # the first origin's idle connection was closed
    assert stats.opened == 3  # counts of a dropped pool are kept
    assert set(stats.origins) == {f"http://127.0.0.1:{srv.port}" for srv in servers}


def test_stats_shape_and_origins(raw_server):
    srv = raw_server(Concurrency(delay=0))
    adapter = HTTPAdapter()
    for _ in range(3):
        adapter.send(get(srv.url + "/a"), timeout=5)
    stats = adapter.stats()
    assert isinstance(stats, PoolStats)
    origin = stats.origins[f"http://127.0.0.1:{srv.port}"]
    assert (origin.opened, origin.reused, origin.discarded, origin.retried) == (1, 2, 0, 0)
    assert (origin.in_use, origin.idle) == (0, 1)
    assert stats.opened == srv.connections == 1
    assert len(srv.requests) == 3


def test_transparent_retry_of_reused_connection(raw_server):
    """A reused connection that dies before answering is retried once, invisibly."""
    answered = []

    def handler(sock):
        # First connection: answer one request, then swallow the next one and close.
        if read_request(sock) is None:
            return
        sock.sendall(OK)
        answered.append(1)
        if len(answered) == 1:
            read_request(sock)

    srv = raw_server(handler)
    adapter = HTTPAdapter()
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    assert adapter.send(get(srv.url), timeout=5).content == b"ok"
    stats = adapter.stats()
    assert stats.retried == 1
    assert srv.connections == 2


def test_no_transparent_retry_for_post_fully_sent(raw_server):
    def handler(sock):
        if read_request(sock) is None:
            return
        sock.sendall(OK)
        read_request(sock)  # then die without answering

    srv = raw_server(handler)
    adapter = HTTPAdapter()
    adapter.send(Request("POST", srv.url, data=b"a").prepare(), timeout=5)
    from httpcore_lite.exceptions import ConnectionError

    with pytest.raises(ConnectionError):
        adapter.send(Request("POST", srv.url, data=b"b").prepare(), timeout=5)
    assert adapter.stats().retried == 0


def test_close_closes_idle_connections(raw_server):
    closed = threading.Event()

    def handler(sock):
        while read_request(sock) is not None:
            sock.sendall(OK)
        closed.set()

    srv = raw_server(handler)
    adapter = HTTPAdapter()
    adapter.send(get(srv.url), timeout=5)
    adapter.close()
    assert closed.wait(2)
    assert adapter.stats().idle == 0


def test_stats_of_closed_pools_are_kept_per_origin(raw_server):
    """Closing the adapter drops its pools, not their counts; a new pool adds to them."""
    srv = raw_server(Concurrency(delay=0))
    adapter = HTTPAdapter()
    for _ in range(2):
        adapter.send(get(srv.url + "/a"), timeout=5)
    adapter.close()
    name = f"http://127.0.0.1:{srv.port}"
    stats = adapter.stats()
    origin = stats.origins[name]
    assert (origin.opened, origin.reused, origin.in_use, origin.idle) == (1, 1, 0, 0)
    adapter.send(get(srv.url + "/a"), timeout=5)
    stats = adapter.stats()
    assert list(stats.origins) == [name]
    origin = stats.origins[name]
    assert (origin.opened, origin.reused, origin.in_use, origin.idle) == (2, 1, 0, 1)
    assert (stats.opened, stats.reused, stats.idle) == (2, 1, 1)
