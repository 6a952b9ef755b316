"""Load: many threads on one Session against a server that drops connections regularly.

8 threads x 2,000 requests share one Session; the server closes each connection after 50
answers without warning (as servers with a requests-per-connection limit do). Nothing may fail,
no file descriptor may leak, and the adapter's statistics must agree with what the server saw.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

import httpcore_lite as requests
from tests.servers.keepalive import KeepAliveServer

THREADS = 8
PER_THREAD = 2_000
CLOSE_AFTER = 50


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.load
@pytest.mark.timeout(180)
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to count fds")
def test_threads_share_a_session_through_server_closes() -> None:
    fds_before = _open_fds()
    server = KeepAliveServer(close_after=CLOSE_AFTER)
    session = requests.Session()
    errors: list[BaseException] = []
    bad: list[tuple[int, bytes]] = []
    peak_fds = [0]
    start = threading.Barrier(THREADS + 1)
    url = server.url + "/load"

    def worker() -> None:
        start.wait()
        for i in range(PER_THREAD):
            try:
                r = session.get(url, timeout=10)
                if r.status_code != 200 or r.content != b"ok":
                    bad.append((r.status_code, r.content))
            except BaseException as exc:  # noqa: BLE001 - every failure is a finding
                errors.append(exc)
                return
            if i % 250 == 0:
                peak_fds[0] = max(peak_fds[0], _open_fds())

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join(150)
    elapsed = time.monotonic() - started
    try:
        assert not any(thread.is_alive() for thread in threads), "workers hung"
        assert not errors, f"{len(errors)} errors, first: {errors[0]!r}"
        assert not bad, bad[:5]
        total = THREADS * PER_THREAD
        assert server.answered == total

        stats = session.get_adapter(url).stats()
        assert stats.in_use == 0
        # every connection the pool opened is one the server accepted, and vice versa
        assert stats.opened == server.connections
        # each attempt took a new or a pooled connection; attempts that died on a connection
        # the server had just closed were retried once on a fresh one
        assert stats.opened + stats.reused == total + stats.retried
        # the server closed about one connection in 50: reuse must still dominate
        assert stats.opened <= total // CLOSE_AFTER + 2 * THREADS + stats.retried
        assert stats.reused >= total * 9 // 10
        origin = stats.origins[f"http://127.0.0.1:{server.port}"]
        assert (origin.opened, origin.reused) == (stats.opened, stats.reused)

        # descriptors in use stay bounded by threads and pool size (both ends live here)
        assert peak_fds[0] - fds_before <= 2 * (THREADS + 10) + 8, (peak_fds[0], fds_before)
    finally:
        session.close()
        server.stop()
    deadline = time.monotonic() + 5
    while _open_fds() > fds_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _open_fds() <= fds_before, "file descriptors leaked"
    assert elapsed < 120


@pytest.mark.load
@pytest.mark.timeout(120)
def test_blocking_pool_caps_connections_under_churn() -> None:
    """pool_block=True: eight threads share two connections and wait their turn, never fail."""
    from httpcore_lite.adapters import HTTPAdapter

    server = KeepAliveServer(close_after=CLOSE_AFTER)
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, pool_block=True)
    session.mount("http://", adapter)
    errors: list[BaseException] = []
    in_use_seen: list[int] = []
    url = server.url + "/blocking"

    def worker() -> None:
        for _ in range(250):
            try:
                r = session.get(url, timeout=10)
                assert r.content == b"ok"
            except BaseException as exc:  # noqa: BLE001 - every failure is a finding
                errors.append(exc)
                return
            stats = adapter.stats()
            in_use_seen.append(stats.in_use + stats.idle)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(100)
        assert not any(thread.is_alive() for thread in threads), "workers hung"
        assert not errors, f"{len(errors)} errors, first: {errors[0]!r}"
        assert server.answered == THREADS * 250
        assert max(in_use_seen) <= 2
        stats = adapter.stats()
        assert stats.in_use == 0
        assert stats.opened == server.connections
    finally:
        session.close()
        server.stop()


@pytest.mark.load
@pytest.mark.timeout(120)
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to count fds")
def test_error_paths_do_not_leak_descriptors() -> None:
    """Hundreds of failed requests (resets, truncation, garbage, abandoned streams) keep no fds."""
    import gc
    import socket
    import struct

    from httpcore_lite import exceptions
    from tests.servers.raw import RawServer, read_request

    faults = [
        b"",  # reset before answering
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        b"\x00garbage\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100000,  # abandoned stream
    ]

    def handler(sock: socket.socket) -> None:
        while (request := read_request(sock)) is not None:
            index = int(request.split(b" ", 2)[1].rsplit(b"/", 1)[1])
            payload = faults[index]
            if payload:
                sock.sendall(payload)
            if index != len(faults) - 1:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return

    gc.collect()
    fds_before = _open_fds()
    server = RawServer(handler)
    session = requests.Session()
    outcomes: dict[str, int] = {}
    try:
        for i in range(400):
            index = i % len(faults)
            try:
                r = session.get(f"{server.url}/{index}", timeout=5, stream=index == len(faults) - 1)
                if index == len(faults) - 1:
                    next(r.iter_content(10))
                    del r  # dropped without close(): the library must not keep the socket
                outcome = "ok"
            except exceptions.RequestException as exc:
                outcome = type(exc).__name__
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        assert outcomes.get("ok", 0) == 80, outcomes
        gc.collect()
        assert _open_fds() - fds_before <= 2 * 10 + 4, outcomes  # at most the pool, both ends
    finally:
        session.close()
        server.stop()
    gc.collect()
    deadline = time.monotonic() + 5
    while _open_fds() > fds_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _open_fds() <= fds_before, "file descriptors leaked"
