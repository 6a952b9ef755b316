"""How the blocking transport sends a request: ``Expect: 100-continue`` and interim responses
against raw-socket servers on 127.0.0.1 (that answer 100, answer early with a final status,
never answer 100, or send interim responses without end), and large bodies written uncopied."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

import httpcore_lite as requests
from httpcore_lite import exceptions
from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.transport import connection
from httpcore_lite.transport.backends.tcp import SocketStream
from tests.servers.raw import RawServer

RawFactory = Callable[[Callable[[socket.socket], None]], RawServer]
EXPECT = {"Expect": "100-continue"}
BODY = b"b" * 100_000


class Conn:
    """One accepted connection, read by head and by exact byte counts, with a log of it."""

    def __init__(self, sock: socket.socket, log: list[tuple[str, bytes]]) -> None:
        self.sock = sock
        self.buf = b""
        self.log = log

    def head(self) -> dict[str, str] | None:
        while b"\r\n\r\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.log.append(("head", head))
        lines = head.decode("latin-1").split("\r\n")
        return {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}

    def body(self, size: int) -> bytes:
        while len(self.buf) < size:
            data = self.sock.recv(65536)
            if not data:
                break
            self.buf += data
        body, self.buf = self.buf[:size], self.buf[size:]
        self.log.append(("body", body))
        return body

    def drain(self, wait: float) -> bytes:
        """Whatever else arrives within ``wait`` seconds (b"" when the client sent nothing)."""
        self.sock.settimeout(wait)
        got = self.buf
        try:
            while data := self.sock.recv(65536):
                got += data
        except (TimeoutError, OSError):
            pass
        self.log.append(("rest", got))
        return got


def ok(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        adapter = HTTPAdapter()
        adapter.init_poolmanager(10, 10, expect_continue_timeout=0.3)
        s.mount("http://", adapter)
        yield s


def serve(raw_server: RawFactory, answer: Callable[[Conn], bool]) -> tuple[RawServer, list]:
    """A server whose ``answer(conn)`` handles one request; it returns False to hang up."""
    log: list[tuple[str, bytes]] = []

    def handler(sock: socket.socket) -> None:
        conn = Conn(sock, log)
        while answer(conn):
            pass

    return raw_server(handler), log


def test_body_follows_100_continue(raw_server: RawFactory, session: requests.Session) -> None:
    def answer(conn: Conn) -> bool:
        fields = conn.head()
        if fields is None:
            return False
        size = int(fields.get("content-length", "0"))
        if fields.get("expect") == "100-continue":
            conn.log.append(("buffered", conn.buf))  # nothing may come before the 100
            conn.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        conn.sock.sendall(ok(b"got %d" % len(conn.body(size))))
        return True

    srv, log = serve(raw_server, answer)
    first = session.post(srv.url, data=BODY, headers=EXPECT, timeout=5)
    assert first.status_code == 200 and first.content == b"got 100000"
    assert ("buffered", b"") in log
    # The connection stays in use: the exchange was complete on both sides.
    assert session.get(srv.url, timeout=5).content == b"got 0"
    assert srv.connections == 1


def test_early_final_response_keeps_the_body_back(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def answer(conn: Conn) -> bool:
        fields = conn.head()
        if fields is None:
            return False
        if fields.get("expect") == "100-continue":
            conn.sock.sendall(b"HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\n\r\nbig!")
            conn.drain(0.6)  # longer than the client's 100-continue wait
            return False
        conn.sock.sendall(ok(b"fresh"))
        return True

    srv, log = serve(raw_server, answer)
    refused = session.put(srv.url, data=BODY, headers=EXPECT, timeout=5)
    assert refused.status_code == 413 and refused.content == b"big!"
    # The body never left, and the connection was not reused for the next request.
    assert session.get(srv.url, timeout=5).content == b"fresh"
    assert ("rest", b"") in log
    assert srv.connections == 2


def test_silent_server_gets_the_body_after_the_wait(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def answer(conn: Conn) -> bool:
        fields = conn.head()
        if fields is None:
            return False
        body = conn.body(int(fields.get("content-length", "0")))
        conn.sock.sendall(ok(b"got %d" % len(body)))
        return True

    srv, _ = serve(raw_server, answer)
    reply = session.post(srv.url, data=BODY, headers=EXPECT, timeout=5)
    assert reply.content == b"got 100000"
    assert session.get(srv.url, timeout=5).content == b"got 0"
    assert srv.connections == 1


def test_generator_body_with_expect_is_chunked_after_the_100(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def answer(conn: Conn) -> bool:
        fields = conn.head()
        if fields is None:
            return False
        assert fields.get("transfer-encoding") == "chunked"
        conn.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        conn.body(len(b"3\r\nabc\r\n0\r\n\r\n"))
        conn.sock.sendall(ok(b"done"))
        return True

    srv, log = serve(raw_server, answer)
    reply = session.post(srv.url, data=iter([b"abc"]), headers=EXPECT, timeout=5)
    assert reply.content == b"done"
    assert ("body", b"3\r\nabc\r\n0\r\n\r\n") in log


def test_endless_interim_responses_fail_cleanly(
    raw_server: RawFactory, session: requests.Session
) -> None:
    stop = threading.Event()
    sent = []

    def answer(conn: Conn) -> bool:
        if conn.head() is None:
            return False
        try:
            while not stop.is_set() and len(sent) < 500:  # 10 s of them at most
                conn.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                sent.append(1)
                time.sleep(0.02)
        except OSError:
            pass
        return False

    srv, _ = serve(raw_server, answer)
    try:
        with pytest.raises(exceptions.ConnectionError, match="interim"):
            session.get(srv.url, timeout=5)
    finally:
        stop.set()
    assert len(sent) < 500  # the client gave up long before the server stopped


def test_large_bytes_body_is_written_as_is_after_the_head(
    raw_server: RawFactory, session: requests.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(conn: Conn) -> bool:
        fields = conn.head()
        if fields is None:
            return False
        body = conn.body(int(fields["content-length"]))
        conn.sock.sendall(ok(b"%d %d" % (len(body), body.count(b"L"))))
        return True

    written: list[bytes] = []
    write = SocketStream.write

    def spy(self: SocketStream, data: bytes, timeout: float | None) -> None:
        written.append(data)
        write(self, data, timeout)

    monkeypatch.setattr(SocketStream, "write", spy)
    srv, _ = serve(raw_server, answer)
    large = b"L" * connection.LARGE_BODY
    assert session.put(srv.url, data=large, timeout=5).content == b"%d %d" % ((len(large),) * 2)
    assert len(written) == 2 and written[1] is large  # the head, then the very body object
    written.clear()
    small = b"s" * 1000
    assert session.put(srv.url, data=small, timeout=5).content == b"1000 0"
    assert len(written) == 1 and written[0].endswith(small)  # small: one write, head joined


@pytest.mark.parametrize(
    ("second_answer", "error"),
    [(b"", exceptions.RemoteDisconnected), (b"garbage\r\n\r\n", exceptions.ConnectionError)],
)
def test_the_retry_of_a_reused_connection_is_decided_by_type(
    raw_server: RawFactory, session: requests.Session, second_answer: bytes, error: type
) -> None:
    """A reused connection that fails answering a POST: typed error, and no retry of a body
    that left. A GET after nothing came back is retried; after garbage it is not."""

    def answer(conn: Conn) -> bool:
        fields = conn.head()
        if fields is None:
            return False
        conn.body(int(fields.get("content-length", "0")))
        if sum(1 for kind, _ in conn.log if kind == "head") % 2:
            conn.sock.sendall(ok(b"first"))  # odd requests of the server: a good answer
            return True
        conn.sock.sendall(second_answer)
        return False  # then hang up

    srv, log = serve(raw_server, answer)
    assert session.get(srv.url, timeout=5).content == b"first"
    with pytest.raises(error) as info:
        session.post(srv.url, data=b"payload", timeout=5)
    assert isinstance(info.value, exceptions.ConnectionError)
    assert type(info.value) is error
    heads = sum(1 for kind, _ in log if kind == "head")
    assert heads == 2  # the POST went out once: its body had left
    assert session.get(srv.url, timeout=5).content == b"first"  # a fresh connection
    if error is exceptions.RemoteDisconnected:
        # The next GET meets the same hang-up on its reused connection: it is sent again.
        assert session.get(srv.url, timeout=5).content == b"first"
        assert sum(1 for kind, _ in log if kind == "head") == 5
