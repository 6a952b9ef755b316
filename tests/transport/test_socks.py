"""SOCKS4, SOCKS4a, SOCKS5 and SOCKS5h proxies end to end: whole requests through pproxy (a real
SOCKS server), a SOCKS4a relay, and raw-socket proxies that refuse, stall, hang up or send
garbage. The handshakes' bytes are tested in tests/protocol/test_socks.py."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

import httpcore_lite as requests
from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.exceptions import (
    ConnectionError,
    ConnectTimeout,
    InvalidProxyURL,
    ProxyError,
    RequestException,
)
from httpcore_lite.transport.timeout import Timeout
from tests.servers.raw import read_request, response, wait_closed
from tests.servers.socks import Tap, socks4a_relay

# --- whole requests through a real SOCKS server ---------------------------------------------------


@pytest.fixture
def tap(socks_proxy_port, raw_server):
    """A recording tap in front of pproxy: ``(proxy_port, Tap)``."""
    recorder = Tap(socks_proxy_port)
    server = raw_server(recorder)
    return server.port, recorder


def _local_address(host: str) -> bytes:
    """What a locally resolving client puts in a SOCKS5 request for ``host``."""
    family, *_, address = socket.getaddrinfo(host, 80, 0, socket.SOCK_STREAM)[0]
    packed = socket.inet_pton(family, address[0])
    return (b"\x01" if family == socket.AF_INET else b"\x04") + packed


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_socks5_resolution_modes(scheme, tap, httpbin_url):
    port, recorder = tap
    url = httpbin_url.replace("127.0.0.1", "localhost") + "/get"
    r = requests.get(url, proxies={"http": f"{scheme}://127.0.0.1:{port}"}, timeout=10)
    assert r.status_code == 200
    assert r.json()["url"] == url
    sent = bytes(recorder.streams[0])
    if scheme == "socks5h":
        assert b"\x05\x01\x00\x03\x09localhost" in sent  # the name, for the proxy to resolve
    else:
        assert b"\x05\x01\x00" + _local_address("localhost") in sent
        assert b"localhost\x00" not in sent.split(b"GET ")[0]


def test_socks4_resolves_locally_and_sends_the_user_id(tap, httpbin_url):
    port, recorder = tap
    url = httpbin_url.replace("127.0.0.1", "localhost") + "/get"
    r = requests.get(url, proxies={"http": f"socks4://someone@127.0.0.1:{port}"}, timeout=10)
    assert r.status_code == 200
    sent = bytes(recorder.streams[0])
    assert sent.startswith(b"\x04\x01" + int(url.split(":")[2].split("/")[0]).to_bytes(2, "big"))
    assert sent[4:8] == b"\x7f\x00\x00\x01"
    assert sent[8:16] == b"someone\x00"
    # The user ID goes to the proxy only, never as a header to the origin.
    assert "Proxy-Authorization" not in r.json()["headers"]


def test_socks4a_sends_the_name(raw_server, httpbin_url):
    seen: list[tuple[bytes, str, int]] = []
    proxy = raw_server(socks4a_relay(seen))
    url = httpbin_url.replace("127.0.0.1", "localhost") + "/get"
    r = requests.get(url, proxies={"http": f"socks4a://id@127.0.0.1:{proxy.port}"}, timeout=10)
    assert r.status_code == 200
    assert seen == [(b"id", "localhost", int(httpbin_url.rsplit(":", 1)[1]))]


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_socks5_auth_success(scheme, socks_auth_proxy_port, httpbin_url):
    proxy = f"{scheme}://user:pass@127.0.0.1:{socks_auth_proxy_port}"
    with requests.Session() as s:
        r = s.get(httpbin_url + "/headers", proxies={"http": proxy}, timeout=10)
        assert r.status_code == 200
        # SOCKS credentials never become a header for the origin.
        assert "Proxy-Authorization" not in r.json()["headers"]
        s.get(httpbin_url + "/get", proxies={"http": proxy}, timeout=10)
        stats = s.get_adapter("http://").stats()
    assert stats.opened == 1 and stats.reused == 1


@pytest.mark.parametrize(
    ("credentials", "message"),
    [("user:wrong@", "during authentication"), ("", "authentication method")],
)
def test_socks5_auth_failure(credentials, message, socks_auth_proxy_port, httpbin_url):
    proxy = f"socks5://{credentials}127.0.0.1:{socks_auth_proxy_port}"
    with pytest.raises(ProxyError, match=message):
        requests.get(httpbin_url + "/get", proxies={"http": proxy}, timeout=10)


def test_https_through_socks(tap, httpbin_tls_url, ca_bundle):
    port, recorder = tap
    for scheme in ("socks5h", "socks5", "socks4"):
        r = requests.get(
            httpbin_tls_url + "/get",
            proxies={"https": f"{scheme}://127.0.0.1:{port}"},
            verify=ca_bundle,
            timeout=10,
        )
        assert r.status_code == 200
        assert r.json()["url"] == httpbin_tls_url + "/get"
    assert len(recorder.streams) == 3
    # TLS follows the handshake: the proxy relays a ClientHello, never a plaintext request.
    assert all(b"GET /get" not in stream for stream in recorder.streams)
    assert all(b"\x16\x03" in stream for stream in recorder.streams)


def test_https_through_socks_still_verifies(socks_proxy_port, httpbin_tls_url):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(
            httpbin_tls_url + "/get",
            proxies={"https": f"socks5h://127.0.0.1:{socks_proxy_port}"},
            verify=True,
            timeout=10,
        )


@pytest.fixture
def ipv6_origin() -> Iterator[int]:
    """An HTTP server on [::1] answering every request with "v6"; skipped without IPv6."""
    try:
        listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        listener.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                sock, _ = listener.accept()
            except OSError:
                continue
            with sock:
                sock.settimeout(5)
                while read_request(sock) is not None:
                    sock.sendall(response(200, b"v6"))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    listener.close()


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_ipv6_target_through_socks5(scheme, tap, ipv6_origin):
    port, recorder = tap
    r = requests.get(
        f"http://[::1]:{ipv6_origin}/", proxies={"http": f"{scheme}://127.0.0.1:{port}"}, timeout=10
    )
    assert r.text == "v6"
    assert b"\x05\x01\x00\x04" + b"\x00" * 15 + b"\x01" in bytes(recorder.streams[0])


def test_ipv6_target_through_socks4_is_refused(socks_proxy_port):
    with pytest.raises(ProxyError, match="SOCKS4 cannot reach IPv6"):
        requests.get("http://[::1]:1/", proxies={"http": f"socks4://127.0.0.1:{socks_proxy_port}"})


def test_pools_are_keyed_by_the_proxy(socks_proxy_port, raw_server, httpbin_url):
    taps = [Tap(socks_proxy_port), Tap(socks_proxy_port)]
    ports = [raw_server(t).port for t in taps]
    with requests.Session() as s:
        for _ in range(2):
            for port in ports:
                r = s.get(httpbin_url + "/get", proxies={"http": f"socks5://127.0.0.1:{port}"})
                assert r.status_code == 200
        r = s.get(httpbin_url + "/get")  # direct: a third pool
        stats = s.get_adapter("http://").stats()
    assert [len(t.streams) for t in taps] == [1, 1]  # one connection each, reused once
    assert all(bytes(t.streams[0]).count(b"GET /get") == 2 for t in taps)
    assert stats.opened == 3 and stats.reused == 2


def test_unknown_proxy_scheme_is_refused():
    with pytest.raises(InvalidProxyURL, match="Unsupported proxy scheme 'socks6'"):
        HTTPAdapter().proxy_manager_for("socks6://127.0.0.1:1080")


# --- proxies that misbehave -----------------------------------------------------------------------


def _consume_then_close(sock: socket.socket) -> None:
    """requests' dead proxy: read whatever arrives for half a second of silence, then hang up."""
    sock.settimeout(0.5)
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


class _Recorder:
    def __init__(self, handler):
        self.handler = handler
        self.received: list[bytes] = []

    def __call__(self, sock: socket.socket) -> None:
        data = sock.recv(65536)
        self.received.append(data)
        self.handler(sock)


@pytest.mark.parametrize(
    ("var", "scheme"),
    [
        ("http_proxy", "http"),
        ("HTTP_PROXY", "http"),
        ("https_proxy", "https"),
        ("HTTPS_PROXY", "https"),
        ("all_proxy", "http"),
        ("ALL_PROXY", "http"),
        ("all_proxy", "https"),
        ("ALL_PROXY", "https"),
    ],
)
def test_dead_socks_proxy_from_environment(var, scheme, monkeypatch, raw_server):
    recorder = _Recorder(_consume_then_close)
    proxy = raw_server(recorder)
    monkeypatch.setenv(var, f"socks5://127.0.0.1:{proxy.port}")
    with pytest.raises(ConnectionError):
        requests.get(f"{scheme}://httpbin.org")
    # The request went to the proxy (a SOCKS5 greeting), and no name was resolved before.
    assert recorder.received == [b"\x05\x01\x00"]


def test_no_proxy_bypasses_a_socks_proxy(monkeypatch, raw_server, httpbin_url):
    recorder = _Recorder(_consume_then_close)
    proxy = raw_server(recorder)
    monkeypatch.setenv("ALL_PROXY", f"socks5h://127.0.0.1:{proxy.port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert requests.get(httpbin_url + "/get", timeout=10).status_code == 200
    assert recorder.received == []
    monkeypatch.setenv("NO_PROXY", "example.org")
    with pytest.raises(ProxyError):
        requests.get(httpbin_url + "/get", timeout=10)
    assert recorder.received == [b"\x05\x01\x00"]


def test_refused_socks_proxy_is_a_proxy_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once closed
    with pytest.raises(ProxyError, match="Unable to connect to proxy"):
        requests.get("http://127.0.0.1/", proxies={"http": f"socks5://127.0.0.1:{port}"})


def _fake_proxy(*replies: bytes, then: str = "close"):
    """A SOCKS5 proxy that answers each message it receives with the next reply."""

    def handler(sock: socket.socket) -> None:
        for reply in replies:
            if not sock.recv(65536):
                return
            sock.sendall(reply)
        if then == "stall":
            wait_closed(sock)

    return handler


@pytest.mark.parametrize(
    ("replies", "error", "message"),
    [
        ((b"\x05\x00", b"\x05\x05\x00\x01" + b"\x00" * 6), ProxyError, "connection refused"),
        ((b"\x05\x00", b"\x05\x04\x00\x01" + b"\x00" * 6), ProxyError, "host unreachable"),
        ((b"\x05\x00", b"\x05\x02\x00\x01" + b"\x00" * 6), ProxyError, "not allowed by ruleset"),
        ((b"HTTP/1.1 400 Bad Request\r\n\r\n",), ProxyError, "Malformed reply"),
        ((b"\x05\x00", b"\x05\x00\x00\x01\x00"), ProxyError, "before answering"),
        ((b"\x05",), ProxyError, "before choosing"),
        ((b"\x05\x00", b"\x05\x00\x00\x01" + b"\x00" * 6 + b"HTTP/1.1"), ProxyError, "unexpected"),
    ],
)
def test_misbehaving_socks5_proxy(replies, error, message, raw_server):
    proxy = raw_server(_fake_proxy(*replies))
    with requests.Session() as s:
        with pytest.raises(error, match=message):
            s.get("http://127.0.0.1:9/", proxies={"http": f"socks5://127.0.0.1:{proxy.port}"})
        assert s.get_adapter("http://").stats().in_use == 0


@pytest.mark.parametrize(
    "replies",
    [(), (b"\x05\x00",), (b"\x05\x00", b"\x05\x00\x00\x01\x00")],
    ids=["greet", "connect", "half"],
)
def test_stalled_socks_proxy_times_out(replies, raw_server):
    proxy = raw_server(_fake_proxy(*replies, then="stall"))
    started = time.monotonic()
    with pytest.raises(ConnectTimeout):
        requests.get(
            "http://127.0.0.1:9/",
            proxies={"http": f"socks5h://127.0.0.1:{proxy.port}"},
            timeout=(0.3, 30),
        )
    assert time.monotonic() - started < 10  # bounded by the connect timeout, not the read one


def test_total_timeout_covers_the_handshake(raw_server):
    proxy = raw_server(_fake_proxy(b"\x05\x00", then="stall"))
    with pytest.raises(ConnectTimeout):
        requests.get(
            "http://127.0.0.1:9/",
            proxies={"http": f"socks5h://127.0.0.1:{proxy.port}"},
            timeout=Timeout(total=0.3),
        )


def test_every_socks_failure_is_a_request_exception(raw_server):
    """Random bytes from a proxy: always a RequestException, never anything else."""
    import random

    rng = random.Random(1928)
    for _ in range(40):
        reply = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 24)))
        proxy = raw_server(_fake_proxy(reply))
        scheme = rng.choice(["socks5", "socks5h", "socks4", "socks4a"])
        try:
            requests.get(
                "http://127.0.0.1:9/",
                proxies={"http": f"{scheme}://u:p@127.0.0.1:{proxy.port}"},
                timeout=2,
            )
        except RequestException:
            pass


def test_local_resolution_failure_names_the_remote_scheme(raw_server):
    received: list[bytes] = []

    def accept_greeting(sock: socket.socket) -> None:
        received.append(sock.recv(65536))
        sock.sendall(b"\x05\x00")
        wait_closed(sock)
        received.append(b"<closed>")

    proxy = raw_server(accept_greeting)
    with pytest.raises(ConnectionError, match="use socks5h:// or socks4a://") as info:
        requests.get(
            "http://nonexistent.invalid/",
            proxies={"http": f"socks5://127.0.0.1:{proxy.port}"},
            timeout=5,
        )
    assert not isinstance(info.value, ProxyError)  # the proxy did nothing wrong
    deadline = time.monotonic() + 5
    while len(received) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # the handler notices the close on its own thread
    assert received == [b"\x05\x01\x00", b"<closed>"]  # greeted, then closed: nothing else
