"""Proxies: forward http:// through proxy.py, CONNECT tunnels for https://, credentials."""

from __future__ import annotations

import socket
import ssl
import threading

import pytest

import httpcore_lite as requests
from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.exceptions import InvalidProxyURL, ProxyError
from httpcore_lite.models import Request
from httpcore_lite.transport.proxy import parse_proxy_url, with_default_scheme
from tests.servers.raw import canned, read_request

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def prepare(method: str, url: str, **kwargs):
    return Request(method, url, **kwargs).prepare()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("proxy:3128", "http://proxy:3128"),
        ("user:pw@proxy:3128", "http://user:pw@proxy:3128"),
        ("127.0.0.1:3128", "http://127.0.0.1:3128"),
        ("https://proxy", "https://proxy"),
        ("http:/proxy:3128", "http:/proxy:3128"),
    ],
)
def test_with_default_scheme(given: str, expected: str) -> None:
    assert with_default_scheme(given) == expected


def test_scheme_without_host_is_refused_not_read_as_host_http() -> None:
    with pytest.raises(InvalidProxyURL, match="missing the host"):
        parse_proxy_url("http:/proxy:3128")
    assert parse_proxy_url("proxy:3128")[1:3] == ("proxy", 3128)


def _without_auth(proxy_url: str) -> str:
    scheme, _, rest = proxy_url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def test_http_through_proxy(proxy_url, raw_server):
    origin = raw_server(canned(OK, OK))
    adapter = HTTPAdapter()
    for _ in range(2):
        response = adapter.send(
            prepare("GET", origin.url + "/a"), proxies={"http": proxy_url}, timeout=10
        )
        assert response.content == b"ok"
    assert len(origin.requests) == 2
    stats = adapter.stats()
    assert stats.opened == 1 and stats.reused == 1  # the connection to the proxy was kept


def test_forward_request_is_absolute_form_with_proxy_credentials(raw_server):
    fake_proxy = raw_server(canned(OK))
    proxy = f"http://us%40er:p%3Ass@127.0.0.1:{fake_proxy.port}"
    adapter = HTTPAdapter()
    response = adapter.send(
        prepare("GET", "http://example.org/x?y=1#frag"), proxies={"http": proxy}
    )
    assert response.content == b"ok"
    head = fake_proxy.requests[0]
    assert head.startswith(b"GET http://example.org/x?y=1 HTTP/1.1\r\n")
    assert b"\r\nProxy-Authorization: Basic dXNAZXI6cDpzcw==\r\n" in head  # "us@er:p:ss"
    assert b"Host: example.org\r\n" in head


def test_auth_proxy_http(auth_proxy_url, raw_server):
    origin = raw_server(canned(OK))
    response = HTTPAdapter().send(
        prepare("GET", origin.url), proxies={"http": auth_proxy_url}, timeout=10
    )
    assert response.content == b"ok"
    assert b"proxy-authorization" not in origin.requests[0].lower()


def test_auth_proxy_without_credentials_answers_407(auth_proxy_url, raw_server):
    origin = raw_server(canned(OK))
    proxy = _without_auth(auth_proxy_url)
    response = HTTPAdapter().send(prepare("GET", origin.url), proxies={"http": proxy}, timeout=10)
    assert response.status_code == 407
    assert origin.requests == []


def test_https_through_proxy_tunnel(proxy_url, httpbin_tls_url, ca_bundle):
    adapter = HTTPAdapter()
    for _ in range(2):
        response = adapter.send(
            prepare("GET", httpbin_tls_url + "/get"),
            proxies={"https": proxy_url},
            verify=ca_bundle,
            timeout=10,
        )
        assert response.json()["url"].endswith("/get")
    assert adapter.stats().opened == 1


def _tls_origin(raw_server, ca):
    """A TLS origin; returns the server and the list of decrypted requests it received."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    heads: list[bytes] = []

    def handler(sock: socket.socket) -> None:
        try:
            tls = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            return
        while (request := read_request(tls)) is not None:
            heads.append(request)
            tls.sendall(OK)

    server = raw_server(handler)
    return server, heads


def test_tunnel_never_carries_proxy_authorization(auth_proxy_url, raw_server, ca, ca_bundle):
    origin, heads = _tls_origin(raw_server, ca)
    request = prepare("GET", f"https://localhost:{origin.port}/secret")
    response = HTTPAdapter().send(
        request, proxies={"https": auth_proxy_url}, verify=ca_bundle, timeout=10
    )
    assert response.content == b"ok"
    assert len(heads) == 1
    assert b"proxy-authorization" not in heads[0].lower()


def test_proxy_auth_header_moves_to_connect(auth_proxy_url, raw_server, ca, ca_bundle):
    from httpcore_lite.auth import _basic_auth_str

    origin, heads = _tls_origin(raw_server, ca)
    request = prepare("GET", f"https://localhost:{origin.port}/")
    request.headers["Proxy-Authorization"] = _basic_auth_str("user", "pass")
    proxy = _without_auth(auth_proxy_url)
    response = HTTPAdapter().send(request, proxies={"https": proxy}, verify=ca_bundle, timeout=10)
    assert response.content == b"ok"  # the proxy accepted the credentials on CONNECT
    assert b"proxy-authorization" not in heads[0].lower()
    assert "Proxy-Authorization" in request.headers  # the caller's request is untouched


def test_https_auth_proxy_without_credentials_is_proxy_error(
    auth_proxy_url, httpbin_tls_url, ca_bundle
):
    proxy = _without_auth(auth_proxy_url)
    with pytest.raises(ProxyError, match="407"):
        HTTPAdapter().send(
            prepare("GET", httpbin_tls_url + "/get"),
            proxies={"https": proxy},
            verify=ca_bundle,
            timeout=10,
        )


def test_connect_refused_by_proxy(raw_server):
    fake_proxy = raw_server(canned(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"))
    with pytest.raises(ProxyError, match="403"):
        HTTPAdapter().send(
            prepare("GET", "https://example.org/"), proxies={"https": fake_proxy.url}, timeout=5
        )
    assert fake_proxy.requests[0].startswith(b"CONNECT example.org:443 HTTP/1.1\r\n")


def test_unreachable_proxy_is_proxy_error():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    for url in ("http://example.org/", "https://example.org/"):
        with pytest.raises(ProxyError):
            HTTPAdapter().send(
                prepare("GET", url), proxies={"all": f"http://127.0.0.1:{port}"}, timeout=2
            )


def test_proxy_selected_per_scheme_and_host(raw_server):
    fake_proxy = raw_server(canned(OK))
    direct = raw_server(canned(OK))
    adapter = HTTPAdapter()
    # Only https is proxied: this http request goes straight to the origin.
    adapter.send(prepare("GET", direct.url), proxies={"https": fake_proxy.url}, timeout=5)
    assert len(direct.requests) == 1 and fake_proxy.requests == []


def test_threads_share_proxy_pools(proxy_url, raw_server):
    origin = raw_server(canned(*[OK] * 40))
    adapter = HTTPAdapter(pool_maxsize=4, pool_block=True)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                adapter.send(prepare("GET", origin.url), proxies={"http": proxy_url}, timeout=10)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert adapter.stats().opened <= 4


def test_response_request_is_the_callers(auth_proxy_url, raw_server, ca, ca_bundle):
    from httpcore_lite.auth import _basic_auth_str

    origin, _ = _tls_origin(raw_server, ca)
    request = prepare("GET", f"https://localhost:{origin.port}/")
    request.headers["Proxy-Authorization"] = _basic_auth_str("user", "pass")
    proxy = _without_auth(auth_proxy_url)
    response = HTTPAdapter().send(request, proxies={"https": proxy}, verify=ca_bundle, timeout=10)
    assert response.request is request


def _tls_tunnel_proxy(raw_server, ca):
    """An https:// proxy that only speaks CONNECT: TLS to the client, then a byte relay."""
    import select

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    heads: list[bytes] = []

    def handler(sock: socket.socket) -> None:
        try:
            tls = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            return
        head = read_request(tls)
        if head is None:
            return
        heads.append(head)
        port = int(head.split(b" ")[1].rsplit(b":", 1)[1])
        upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
        tls.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with upstream:
            while True:
                readable, _, _ = select.select([tls, upstream], [], [], 5)
                if not readable:
                    return
                if tls in readable:
                    data = tls.recv(65536)
                    while data and tls.pending():
                        data += tls.recv(tls.pending())
                    if not data:
                        return
                    upstream.sendall(data)
                if upstream in readable:
                    data = upstream.recv(65536)
                    if not data:
                        return
                    tls.sendall(data)

    return raw_server(handler), heads


def test_https_through_https_proxy(raw_server, ca, ca_bundle):
    """TLS to the origin inside TLS to the proxy."""
    origin, origin_heads = _tls_origin(raw_server, ca)
    proxy, proxy_heads = _tls_tunnel_proxy(raw_server, ca)
    proxies = {"https": f"https://user:pass@localhost:{proxy.port}"}
    adapter = HTTPAdapter()
    for _ in range(2):
        response = adapter.send(
            prepare("GET", f"https://localhost:{origin.port}/inner"),
            proxies=proxies,
            verify=ca_bundle,
            timeout=10,
        )
        assert response.content == b"ok"
    assert proxy_heads[0].startswith(b"CONNECT localhost:%d HTTP/1.1\r\n" % origin.port)
    assert b"Proxy-Authorization: Basic dXNlcjpwYXNz" in proxy_heads[0]
    assert [h.split(b"\r\n")[0] for h in origin_heads] == [b"GET /inner HTTP/1.1"] * 2
    assert b"proxy-authorization" not in b"".join(origin_heads).lower()
    assert adapter.stats().opened == 1


def test_resolver_failure_for_a_proxy_is_proxy_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list[object]:
        if host == "proxy.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(ProxyError, match="proxy.invalid"):
        requests.get("http://127.0.0.1:9/", proxies={"http": "proxy.invalid:3128"}, timeout=1)
