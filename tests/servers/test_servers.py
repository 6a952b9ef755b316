"""The test servers themselves work: keep-alive httpbin, TLS, mTLS, proxy.py, raw sockets.

Only ``socket`` and ``ssl`` are used here, so a failure points at the fixture, not the client.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import threading
from urllib.parse import urlsplit

import pytest

from tests.servers.raw import canned, read_request


def _addr(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


_leftover: dict[int, bytes] = {}


def _read_response(sock: socket.socket | ssl.SSLSocket) -> tuple[bytes, bytes]:
    """Read one Content-Length framed response; return (head, body).

    Bytes past the response (a pipelined next response) are kept for the next call.
    """
    buf = _leftover.pop(id(sock), b"")
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        assert data, f"connection closed before a full head: {buf!r}"
        buf += data
    head, _, body = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        data = sock.recv(65536)
        assert data, "connection closed mid-body"
        body += data
    if body[length:]:
        _leftover[id(sock)] = body[length:]
    return head, body[:length]


def _get(path: str, host: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode()


def test_clean_env_removed_proxy_and_ca_variables() -> None:
    for name in os.environ:
        assert name.lower() not in {
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
            "requests_ca_bundle",
            "curl_ca_bundle",
            "netrc",
        }


def test_httpbin_keeps_connection_alive(httpbin_url: str) -> None:
    host, port = _addr(httpbin_url)
    with socket.create_connection((host, port), timeout=10) as sock:
        for path in ("/get?n=1", "/get?n=2"):
            sock.sendall(_get(path, f"{host}:{port}"))
            head, body = _read_response(sock)
            assert head.startswith(b"HTTP/1.1 200")
            assert json.loads(body)["args"]["n"] == path[-1]


def test_httpbin_accepts_chunked_request_body(httpbin_url: str) -> None:
    host, port = _addr(httpbin_url)
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(
            f"POST /post HTTP/1.1\r\nHost: {host}:{port}\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: text/plain\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".encode()
        )
        head, body = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 200")
        assert json.loads(body)["data"] == "hello world"


def _tls_get(url: str, context: ssl.SSLContext, server_hostname: str = "localhost") -> bytes:
    host, port = _addr(url)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_hostname) as sock:
            sock.sendall(_get("/get", f"{host}:{port}"))
            head, _ = _read_response(sock)
            return head


def test_httpbin_tls_verifies_against_ca_bundle(httpbin_tls_url: str, ca_bundle: str) -> None:
    context = ssl.create_default_context(cafile=ca_bundle)
    assert _tls_get(httpbin_tls_url, context).startswith(b"HTTP/1.1 200")
    # the certificate is valid for the IP address too
    assert _tls_get(httpbin_tls_url, context, "127.0.0.1").startswith(b"HTTP/1.1 200")


def test_httpbin_tls_verifies_against_ca_dir(httpbin_tls_url: str, ca_dir: str) -> None:
    context = ssl.create_default_context(capath=ca_dir)
    assert _tls_get(httpbin_tls_url, context).startswith(b"HTTP/1.1 200")


def test_httpbin_tls_rejected_without_ca(httpbin_tls_url: str) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # no CA loaded at all
    with pytest.raises(ssl.SSLCertVerificationError):
        _tls_get(httpbin_tls_url, context)


def test_httpbin_mtls_requires_client_cert(
    httpbin_mtls_url: str, ca_bundle: str, client_cert: tuple[str, str]
) -> None:
    context = ssl.create_default_context(cafile=ca_bundle)
    context.load_cert_chain(*client_cert)
    assert _tls_get(httpbin_mtls_url, context).startswith(b"HTTP/1.1 200")

    bare = ssl.create_default_context(cafile=ca_bundle)
    with pytest.raises((ssl.SSLError, ConnectionError, AssertionError)):
        _tls_get(httpbin_mtls_url, bare)


def test_proxy_forwards_absolute_form(proxy_url: str, httpbin_url: str) -> None:
    with socket.create_connection(_addr(proxy_url), timeout=10) as sock:
        target = f"{httpbin_url}/get?via=proxy"
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {_addr(httpbin_url)[0]}\r\n\r\n".encode())
        head, body = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 200")
        assert json.loads(body)["args"] == {"via": "proxy"}


def test_proxy_connect_tunnel(proxy_url: str, httpbin_tls_url: str, ca_bundle: str) -> None:
    _, port = _addr(httpbin_tls_url)
    with socket.create_connection(_addr(proxy_url), timeout=10) as raw:
        raw.sendall(f"CONNECT localhost:{port} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = raw.recv(4096)
            assert data
            buf += data
        assert buf.split(b" ", 2)[1] == b"200", buf
        context = ssl.create_default_context(cafile=ca_bundle)
        with context.wrap_socket(raw, server_hostname="localhost") as sock:
            sock.sendall(_get("/get", f"localhost:{port}"))
            head, _ = _read_response(sock)
            assert head.startswith(b"HTTP/1.1 200")


def test_auth_proxy_requires_credentials(auth_proxy_url: str, httpbin_url: str) -> None:
    parts = urlsplit(auth_proxy_url)
    assert parts.username == "user" and parts.password == "pass"
    addr = _addr(auth_proxy_url)
    request = f"GET {httpbin_url}/get HTTP/1.1\r\nHost: {_addr(httpbin_url)[0]}\r\n"
    with socket.create_connection(addr, timeout=10) as sock:
        sock.sendall((request + "\r\n").encode())
        head, _ = _read_response(sock)
        assert head.split(b" ", 2)[1] == b"407"
    with socket.create_connection(addr, timeout=10) as sock:
        sock.sendall((request + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n").encode())
        head, _ = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 200")


def test_raw_server_canned_answers_in_order(raw_server) -> None:  # type: ignore[no-untyped-def]
    srv = raw_server(
        canned(
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none",
            b"HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\ntwo",
        )
    )
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        sock.sendall(
            _get("/a", "x") + b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
        )
        assert _read_response(sock) == (b"HTTP/1.1 200 OK\r\nContent-Length: 3", b"one")
        assert _read_response(sock)[1] == b"two"
        sock.sendall(_get("/c", "x"))
        assert sock.recv(10) == b""  # no more canned answers: closed
    assert srv.url == f"http://127.0.0.1:{srv.port}"
    assert srv.connections == 1
    assert len(srv.requests) == 3
    assert srv.requests[0].startswith(b"GET /a HTTP/1.1\r\n")
    assert srv.requests[1].endswith(b"\r\n\r\nhi")


def test_raw_server_runs_handlers_concurrently(raw_server) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Barrier(2, timeout=5)

    def handler(sock: socket.socket) -> None:
        assert read_request(sock) is not None
        gate.wait()  # both connections must be served at the same time to pass this
        sock.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")

    srv = raw_server(handler)
    socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=5) for _ in range(2)]
    try:
        for sock in socks:
            sock.sendall(_get("/", "x"))
        for sock in socks:
            assert sock.recv(100).startswith(b"HTTP/1.1 204")
    finally:
        for sock in socks:
            sock.close()
    assert srv.connections == 2


def test_raw_server_read_request_handles_chunked_body(raw_server) -> None:  # type: ignore[no-untyped-def]
    srv = raw_server(canned(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        )
        assert _read_response(sock)[0].startswith(b"HTTP/1.1 200")
    assert srv.requests[0].endswith(b"3\r\nabc\r\n0\r\n\r\n")
