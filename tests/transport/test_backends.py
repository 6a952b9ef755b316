"""Network backends on real sockets (127.0.0.1 and Unix sockets) and in memory."""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time

import pytest

from httpcore_lite.exceptions import (
    ConnectionError,
    ConnectTimeout,
    NewConnectionError,
    ReadTimeout,
    SSLError,
)
from httpcore_lite.transport.backends import (
    MemoryBackend,
    MemoryStream,
    NetworkStream,
    TCPBackend,
    UnixBackend,
)
from httpcore_lite.transport.backends.memory import request_length


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_tcp_roundtrip_and_eof(raw_server):
    def echo(sock):
        data = sock.recv(100)
        sock.sendall(b"echo:" + data)

    srv = raw_server(echo)
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    try:
        assert stream.get_extra_info("peername")[1] == srv.port
        assert stream.get_extra_info("is_tls") is False
        assert not stream.is_readable()
        stream.write(b"ping", 1)
        assert stream.read(65536, 2) == b"echo:ping"
        assert stream.read(65536, 2) == b""  # server closed
        assert stream.is_readable()  # idle and closed by the peer: must be discarded
    finally:
        stream.close()
    stream.close()  # twice is harmless


def test_tcp_nodelay_and_socket_options(raw_server):
    srv = raw_server(lambda sock: sock.recv(1))
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2, socket_options=options)
    try:
        sock = stream.get_extra_info("socket")
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
    finally:
        stream.close()


def test_tcp_source_address(raw_server):
    srv = raw_server(lambda sock: sock.recv(1))
    port = _free_port()
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2, source_address=("127.0.0.1", port))
    try:
        assert stream.get_extra_info("sockname") == ("127.0.0.1", port)
    finally:
        stream.close()


def test_tcp_localhost_tries_addresses(raw_server):
    # "localhost" may resolve to ::1 first; the IPv4 listener must still be reached.
    srv = raw_server(lambda sock: sock.sendall(b"x"))
    stream = TCPBackend().connect_tcp("localhost", srv.port, 2)
    try:
        assert stream.read(10, 2) == b"x"
    finally:
        stream.close()


def test_refused_is_new_connection_error():
    with pytest.raises(NewConnectionError) as info:
        TCPBackend().connect_tcp("127.0.0.1", _free_port(), 2)
    assert isinstance(info.value.__cause__, OSError)
    assert isinstance(info.value, ConnectionError)


def test_dns_failure_is_new_connection_error():
    with pytest.raises(NewConnectionError) as info:
        TCPBackend().connect_tcp("does-not-exist.invalid", 80, 2)
    assert isinstance(info.value.__cause__, socket.gaierror)


def test_read_timeout(raw_server):
    srv = raw_server(lambda sock: time.sleep(2))
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    try:
        start = time.monotonic()
        with pytest.raises(ReadTimeout) as info:
            stream.read(100, 0.5)
        assert time.monotonic() - start < 0.5 * 1.5 + 0.5
        assert isinstance(info.value.__cause__, TimeoutError)
    finally:
        stream.close()


def test_reset_is_connection_error(raw_server):
    def reset(sock):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.recv(10)

    srv = raw_server(reset)
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    try:
        stream.write(b"x", 1)
        time.sleep(0.2)
        with pytest.raises(ConnectionError) as info:
            stream.read(100, 2)
        assert isinstance(info.value.__cause__, OSError)
    finally:
        stream.close()


def test_garbage_makes_idle_stream_readable(raw_server):
    srv = raw_server(lambda sock: (sock.sendall(b"junk"), time.sleep(1)))
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    try:
        deadline = time.monotonic() + 2
        while not stream.is_readable() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert stream.is_readable()
    finally:
        stream.close()


# --- TLS ----------------------------------------------------------------------------------------


def _tls_server(raw_server, ca, hostnames=("localhost", "127.0.0.1")):
    cert = ca.issue_cert(*hostnames)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)

    def handler(sock):
        try:
            tls = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            return
        data = tls.recv(100)
        tls.sendall(b"tls:" + data)
        tls.close()

    return raw_server(handler)


def _client_context(ca):
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ca.configure_trust(context)
    return context


def test_start_tls_verified(raw_server, ca):
    srv = _tls_server(raw_server, ca)
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    tls = stream.start_tls(_client_context(ca), "localhost", 2)
    try:
        assert tls.get_extra_info("is_tls") is True
        assert tls.get_extra_info("server_hostname") == "localhost"
        tls.write(b"hi", 2)
        assert tls.read(100, 2) == b"tls:hi"
    finally:
        tls.close()


def _tls_handler_server(raw_server, ca, work):
    """A TLS server that runs ``work(tls_socket)`` on each connection."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)

    def handler(sock):
        try:
            tls = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            return
        work(tls)

    return raw_server(handler)


def _echo_until_eof(tls) -> None:
    while data := tls.recv(65536):
        tls.sendall(data)
    tls.unwrap()  # close_notify


@pytest.mark.parametrize("size", [1, 16384 + 1, 300_000])
def test_tls_stream_moves_large_payloads_both_ways(raw_server, ca, size):
    """Writes that span many TLS records go out whole and come back in order."""
    srv = _tls_handler_server(raw_server, ca, _echo_until_eof)
    tls = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2).start_tls(
        _client_context(ca), "localhost", 2
    )
    payload = os.urandom(size)
    try:
        tls.write(payload, 2)
        received = b""
        while len(received) < size:
            chunk = tls.read(65536, 2)
            assert chunk
            received += chunk
        assert received == payload
    finally:
        tls.close()


@pytest.mark.parametrize("notify", [True, False], ids=["close_notify", "ragged"])
def test_tls_eof_reads_empty_with_or_without_close_notify(raw_server, ca, notify):
    def answer_and_close(tls):
        tls.recv(100)
        tls.sendall(b"bye")
        if notify:
            tls.unwrap()
        tls.close()

    srv = _tls_handler_server(raw_server, ca, answer_and_close)
    tls = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2).start_tls(
        _client_context(ca), "localhost", 2
    )
    try:
        tls.write(b"hi", 2)
        assert tls.read(100, 2) == b"bye"
        assert tls.read(100, 2) == b""
    finally:
        tls.close()


def test_tls_bytes_held_by_openssl_make_an_idle_stream_readable(raw_server, ca):
    """Part of a record read: the rest sits decrypted in OpenSSL, not in the socket, and an
    idle stream holding it is still not fit for reuse."""

    def one_record_then_silence(tls):
        tls.recv(100)
        tls.sendall(b"x" * 200)
        time.sleep(2)

    srv = _tls_handler_server(raw_server, ca, one_record_then_silence)
    tls = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2).start_tls(
        _client_context(ca), "localhost", 2
    )
    try:
        tls.write(b"go", 2)
        assert tls.read(100, 2) == b"x" * 100
        assert tls.is_readable()
        assert tls.read(100, 2) == b"x" * 100
        assert not tls.is_readable()
    finally:
        tls.close()


def test_tls_read_timeout_and_use_after_close(raw_server, ca):
    srv = _tls_handler_server(raw_server, ca, lambda tls: time.sleep(2))
    tls = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2).start_tls(
        _client_context(ca), "localhost", 2
    )
    with pytest.raises(ReadTimeout) as info:
        tls.read(100, 0.3)
    assert isinstance(info.value.__cause__, TimeoutError)
    tls.close()
    with pytest.raises(ConnectionError):
        tls.read(100, 1)
    with pytest.raises(ConnectionError):
        tls.write(b"x", 1)


def test_start_tls_hostname_mismatch_is_ssl_error(raw_server, ca):
    srv = _tls_server(raw_server, ca, hostnames=("other.example",))
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    with pytest.raises(SSLError) as info:
        stream.start_tls(_client_context(ca), "localhost", 2)
    assert isinstance(info.value.__cause__, ssl.SSLError)


def test_start_tls_untrusted_is_ssl_error(raw_server, ca):
    srv = _tls_server(raw_server, ca)
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=None)
    context.load_verify_locations(cadata=_unrelated_ca_pem())
    with pytest.raises(SSLError):
        stream.start_tls(context, "localhost", 2)


def _unrelated_ca_pem() -> str:
    import trustme

    return trustme.CA().cert_pem.bytes().decode()


def test_silent_tls_server_is_connect_timeout(raw_server):
    srv = raw_server(lambda sock: time.sleep(2))
    stream = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    start = time.monotonic()
    with pytest.raises(ConnectTimeout):
        stream.start_tls(ssl.create_default_context(), "localhost", 0.5)
    assert time.monotonic() - start < 0.5 * 1.5 + 0.5


# --- Unix sockets -------------------------------------------------------------------------------


@pytest.fixture
def unix_server(tmp_path):
    path = str(tmp_path / "s.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = conn.recv(100)
                conn.sendall(b"unix:" + data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path
    stop.set()
    listener.close()


def test_unix_backend(unix_server):
    for stream in (
        UnixBackend(unix_server).connect_tcp("localhost", 80, 2),
        TCPBackend().connect_unix(unix_server, 2),
    ):
        try:
            stream.write(b"a", 2)
            assert stream.read(100, 2) == b"unix:a"
        finally:
            stream.close()


def test_unix_missing_socket(tmp_path):
    with pytest.raises(NewConnectionError):
        UnixBackend(str(tmp_path / "nope.sock")).connect_tcp("localhost", 80, 1)


# --- memory -------------------------------------------------------------------------------------

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def test_memory_canned_and_requests_recorded():
    backend = MemoryBackend(RESPONSE)
    stream = backend.connect_tcp("example.org", 80)
    assert isinstance(stream, NetworkStream)
    stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", None)
    assert stream.read(65536, None) == RESPONSE
    assert not stream.is_readable()
    assert backend.requests == [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"]
    assert backend.connections == 1


def test_memory_sequence_then_eof():
    backend = MemoryBackend([RESPONSE])
    stream = backend.connect_tcp("x", 80)
    stream.write(b"GET / HTTP/1.1\r\n\r\n", None)
    assert stream.read(65536, None) == RESPONSE
    stream.write(b"GET / HTTP/1.1\r\n\r\n", None)
    assert stream.read(65536, None) == b""
    assert stream.is_readable()


def test_memory_callable_sees_whole_request_with_body():
    seen = []

    def app(request: bytes) -> bytes:
        seen.append(request)
        return RESPONSE

    stream = MemoryBackend(app).connect_tcp("x", 80)
    stream.write(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", None)
    assert stream.read(100, None) == b""  # incomplete: nothing answered yet
    stream.write(b"cde", None)
    assert stream.read(100, None) == RESPONSE
    assert seen == [b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde"]


def test_request_length_chunked():
    body = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    assert request_length(body) == len(body)
    assert request_length(body[:-2]) == 0
    assert request_length(body + b"GET") == len(body)


def test_memory_handler_pair_and_timeout():
    def handler(stream):
        data = stream.read(100, 2)
        stream.write(b"got:" + data, None)
        time.sleep(0.5)

    stream = MemoryBackend(handler=handler).connect_tcp("x", 80)
    stream.write(b"hello", None)
    assert stream.read(100, 2) == b"got:hello"
    with pytest.raises(ReadTimeout):
        stream.read(100, 0.1)
    assert stream.read(100, 2) == b""  # handler returned: stream closed
    stream.close()
    with pytest.raises(ConnectionError):
        stream.write(b"x", None)


def test_memory_pair_broken_pipe():
    a, b = MemoryStream.pair()
    b.close()
    assert a.is_readable()
    with pytest.raises(ConnectionError):
        a.write(b"x", None)


def test_memory_backend_needs_one_source():
    with pytest.raises(TypeError):
        MemoryBackend()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="posix only")
def test_streams_do_not_leak_fds(raw_server):
    srv = raw_server(lambda sock: sock.recv(1))
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    backend = TCPBackend()
    for _ in range(50):
        backend.connect_tcp("127.0.0.1", srv.port, 2).close()
    after = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    assert after - before < 5


def test_server_hostname_is_idna_encoded():
    from httpcore_lite.transport.backends.tcp import idna_hostname

    assert idna_hostname("bücher.example") == "xn--bcher-kva.example"
    assert idna_hostname("[::1]") == "::1"
    assert idna_hostname("example.org") == "example.org"
    assert idna_hostname(None) is None


def test_custom_backend_through_the_interface(raw_server):
    """A user backend wrapping the default one sees every connection the pool opens."""
    from httpcore_lite.adapters import HTTPAdapter
    from httpcore_lite.models import Request
    from tests.servers.raw import canned

    srv = raw_server(canned(RESPONSE, RESPONSE))
    opened = []

    class Recording(TCPBackend):
        def connect_tcp(self, host, port, timeout=None, source_address=None, socket_options=None):
            opened.append((host, port, timeout))
            return super().connect_tcp(host, port, timeout, source_address, socket_options)

    adapter = HTTPAdapter(backend=Recording())
    for _ in range(2):
        assert adapter.send(Request("GET", srv.url).prepare(), timeout=(3, 5)).content == b"ok"
    assert opened == [("127.0.0.1", srv.port, 3.0)]


def test_tls_stream_over_any_stream(raw_server, ca):
    from httpcore_lite.transport.backends import TLSStream

    srv = _tls_server(raw_server, ca)
    plain = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    tls = TLSStream(plain, _client_context(ca), "localhost").handshake(2)
    try:
        assert tls.get_extra_info("is_tls") is True
        assert tls.get_extra_info("ssl_object").version() in ("TLSv1.2", "TLSv1.3")
        tls.write(b"bio", 2)
        assert tls.read(100, 2) == b"tls:bio"
        assert tls.read(100, 2) == b""  # the server closed (close_notify or ragged EOF)
    finally:
        tls.close()


def test_tls_stream_hostname_mismatch(raw_server, ca):
    from httpcore_lite.transport.backends import TLSStream

    srv = _tls_server(raw_server, ca, hostnames=("other.example",))
    plain = TCPBackend().connect_tcp("127.0.0.1", srv.port, 2)
    with pytest.raises(SSLError):
        TLSStream(plain, _client_context(ca), "localhost").handshake(2)


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "::1", "2001:db8::5"])
def test_ip_literals_resolve_like_getaddrinfo_without_it(host: str) -> None:
    from httpcore_lite.transport.backends import tcp

    expected = socket.getaddrinfo(host, 8080, 0, socket.SOCK_STREAM)
    assert tcp._numeric_address(host, 8080) == expected[:1]


@pytest.mark.parametrize("host", ["localhost", "example.com", "127.1", "host9", "fe80::1%lo", ""])
def test_other_hosts_go_through_getaddrinfo(host: str) -> None:
    from httpcore_lite.transport.backends import tcp

    assert tcp._numeric_address(host, 8080) is None


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), NewConnectionError),
        (
            socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
            NewConnectionError,
        ),
        (OSError(5, "Input/output error"), NewConnectionError),
        (TimeoutError("timed out"), ConnectTimeout),
    ],
    ids=["no-such-name", "try-again", "os-error", "timeout"],
)
def test_resolver_failures_become_connection_errors(
    monkeypatch: pytest.MonkeyPatch, failure: OSError, expected: type[Exception]
) -> None:
    def getaddrinfo(*args: object, **kwargs: object) -> list[object]:
        raise failure

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(expected, match="api.invalid") as info:
        TCPBackend().connect_tcp("api.invalid", 80, timeout=1)
    assert info.value.__cause__ is failure
