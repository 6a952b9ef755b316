"""One test per published advisory class against requests, urllib3 or h11.

Each test is named after the advisory it guards against and reproduces the attack's shape on
127.0.0.1: a vulnerable implementation fails it. Tests include a positive control where the
protection could otherwise pass by accident (e.g. credentials that were never sent at all).
"""

from __future__ import annotations

import base64
import gzip
import socket
import ssl
import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import httpcore_lite as requests
from httpcore_lite import exceptions
from httpcore_lite.adapters import HTTPAdapter, Retry
from tests.servers.raw import RawServer, canned, read_request, response, wait_closed

RawFactory = Callable[[Callable[[socket.socket], None]], RawServer]

pytestmark = pytest.mark.filterwarnings("ignore::Warning")


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def _recorder(raw_server: RawFactory, body: bytes = b"landed") -> RawServer:
    """A server that answers every request with 200 and records what it received."""

    def handler(sock: socket.socket) -> None:
        while read_request(sock) is not None:
            sock.sendall(response(200, body))

    return raw_server(handler)


def _redirector(raw_server: RawFactory, location: str, extra: tuple = ()) -> RawServer:
    def handler(sock: socket.socket) -> None:
        while read_request(sock) is not None:
            sock.sendall(response(302, b"", headers=[("Location", location), *extra]))

    return raw_server(handler)


def _header(request: bytes, name: bytes) -> bytes | None:
    head = request.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def _basic(user: str, password: str) -> bytes:
    return b"Basic " + base64.b64encode(f"{user}:{password}".encode())


# --- credentials and redirects --------------------------------------------------------------------


def test_cve_2018_18074_authorization_stripped_cross_host(
    raw_server: RawFactory, session: requests.Session
) -> None:
    target = _recorder(raw_server)
    # 127.0.0.1 -> localhost: same machine, different host name
    origin = _redirector(raw_server, f"http://localhost:{target.port}/landing")
    r = session.get(origin.url, auth=("user", "secret"), timeout=5)
    assert r.status_code == 200 and r.content == b"landed"
    assert _header(origin.requests[0], b"Authorization") == _basic("user", "secret")
    assert _header(target.requests[0], b"Authorization") is None

    # a port change on the same host is another origin too
    origin2 = _redirector(raw_server, f"http://127.0.0.1:{target.port}/again")
    session.get(origin2.url, headers={"Authorization": "Bearer token"}, timeout=5)
    assert _header(origin2.requests[0], b"Authorization") == b"Bearer token"
    assert _header(target.requests[-1], b"Authorization") is None


def test_cve_2018_18074_authorization_stripped_https_to_http(
    raw_server: RawFactory, session: requests.Session, httpbin_tls_url: str, ca_bundle: str
) -> None:
    target = _recorder(raw_server)
    r = session.get(
        f"{httpbin_tls_url}/redirect-to",
        params={"url": f"http://localhost:{target.port}/plain"},
        auth=("user", "secret"),
        verify=ca_bundle,
        timeout=5,
    )
    assert r.status_code == 200
    assert len(r.history) == 1
    assert r.history[0].request.headers["Authorization"] == _basic("user", "secret").decode()
    assert _header(target.requests[0], b"Authorization") is None


def test_cve_2023_43804_cookie_header_stripped_cross_origin(
    raw_server: RawFactory, session: requests.Session
) -> None:
    target = _recorder(raw_server)
    origin = _redirector(raw_server, f"http://localhost:{target.port}/landing")
    session.get(origin.url, headers={"Cookie": "session=secret"}, timeout=5)
    assert b"session=secret" in (_header(origin.requests[0], b"Cookie") or b"")
    assert b"secret" not in (_header(target.requests[0], b"Cookie") or b"")


def test_cve_2024_37891_proxy_authorization_stripped_cross_origin(
    raw_server: RawFactory, session: requests.Session
) -> None:
    target = _recorder(raw_server)
    origin = _redirector(raw_server, f"http://localhost:{target.port}/landing")
    session.get(origin.url, headers={"Proxy-Authorization": "Basic c2VjcmV0"}, timeout=5)
    assert _header(target.requests[0], b"Proxy-Authorization") is None


def test_cve_2023_32681_proxy_credentials_never_inside_connect_tunnel(
    session: requests.Session, auth_proxy_url: str, httpbin_tls_url: str, ca_bundle: str
) -> None:
    proxies = {"https": auth_proxy_url, "http": auth_proxy_url}
    # Direct request through the authenticating proxy: the proxy accepted our credentials
    # (else 407), and the origin behind the tunnel never saw them.
    r = session.get(f"{httpbin_tls_url}/headers", proxies=proxies, verify=ca_bundle, timeout=10)
    assert r.status_code == 200
    assert "Proxy-Authorization" not in r.json()["headers"]
    # The original bug: rebuilding proxies on a redirect put the header on the tunnelled request.
    r = session.get(
        f"{httpbin_tls_url}/redirect-to",
        params={"url": "/headers"},
        proxies=proxies,
        verify=ca_bundle,
        timeout=10,
    )
    assert r.status_code == 200 and len(r.history) == 1
    assert "Proxy-Authorization" not in r.json()["headers"]


def test_cve_2023_32681_proxy_credentials_never_sent_to_a_bypassed_origin(
    raw_server: RawFactory, session: requests.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = _recorder(raw_server, b"from the proxy")
    target = _recorder(raw_server)
    origin = _redirector(raw_server, f"http://localhost:{target.port}/landing")
    monkeypatch.setenv("HTTP_PROXY", f"http://user:secret@127.0.0.1:{proxy.port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    r = session.get(origin.url, timeout=5)
    assert r.content == b"landed"
    assert proxy.connections == 0  # NO_PROXY honoured, on the redirect too
    for request in (origin.requests[0], target.requests[0]):
        assert _header(request, b"Proxy-Authorization") is None


def test_cve_2023_45803_no_body_after_303(
    raw_server: RawFactory, session: requests.Session
) -> None:
    def handler(sock: socket.socket) -> None:
        while (request := read_request(sock)) is not None:
            if request.startswith(b"POST"):
                sock.sendall(response(303, b"", headers=[("Location", "/result")]))
            else:
                sock.sendall(response(200, b"result"))

    srv = raw_server(handler)
    r = session.post(srv.url + "/submit", data=b"card=4111111111111111", timeout=5)
    assert r.status_code == 200 and r.content == b"result"
    assert srv.requests[0].endswith(b"card=4111111111111111")
    follow = srv.requests[1]
    assert follow.startswith(b"GET /result ")
    assert b"4111" not in follow
    assert _header(follow, b"Content-Length") in (None, b"0")
    assert _header(follow, b"Transfer-Encoding") is None
    assert _header(follow, b"Content-Type") is None


def test_cve_2024_35195_verify_false_connection_not_reused_for_verified(
    session: requests.Session, httpbin_tls_url: str, ca_bundle: str, tmp_path: Path
) -> None:
    url = f"{httpbin_tls_url}/get"
    assert session.get(url, verify=False, timeout=5).status_code == 200
    # The pooled unverified connection must not serve a request that asks for verification
    # against the default (certifi) roots, which do not trust the test CA.
    with pytest.raises(exceptions.SSLError):
        session.get(url, timeout=5)
    with pytest.raises(exceptions.SSLError):
        session.get(url, verify=True, timeout=5)

    # Nor may a connection verified with one CA bundle serve a request pinned to another.
    import trustme

    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    assert session.get(url, verify=ca_bundle, timeout=5).status_code == 200
    with pytest.raises(exceptions.SSLError):
        session.get(url, verify=str(other), timeout=5)


def test_cve_2024_47081_netrc_credentials_only_for_exact_host(
    raw_server: RawFactory,
    session: requests.Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(
        "machine example.com login victim password hunter2\n"
        "machine localhost login local password control\n"
    )
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    srv = _recorder(raw_server)

    # positive control: netrc is honoured for the exact host
    session.get(f"http://localhost:{srv.port}/", timeout=5)
    assert _header(srv.requests[-1], b"Authorization") == _basic("local", "control")

    # the crafted URL names example.com before the "@"; the real host is 127.0.0.1
    session.get(f"http://example.com:@127.0.0.1:{srv.port}/", timeout=5)
    sent = _header(srv.requests[-1], b"Authorization") or b""
    decoded = base64.b64decode(sent.split(b" ")[-1]) if sent else b""
    assert b"hunter2" not in decoded


def test_cve_2015_2296_redirect_cookies_scoped_to_their_host(
    raw_server: RawFactory, session: requests.Session
) -> None:
    target = _recorder(raw_server)
    origin = _redirector(
        raw_server,
        f"http://localhost:{target.port}/landing",
        extra=(("Set-Cookie", "sid=origin-only; Path=/"),),
    )
    r = session.get(origin.url, timeout=5)
    assert r.status_code == 200
    assert b"sid=" not in (_header(target.requests[0], b"Cookie") or b"")
    # positive control: the cookie was stored, for the host that set it
    session.get(origin.url, timeout=5, allow_redirects=False)
    assert b"sid=origin-only" in (_header(origin.requests[-1], b"Cookie") or b"")


# --- TLS trust --------------------------------------------------------------------------------


def test_cve_2019_11324_custom_ca_bundle_excludes_all_others(
    session: requests.Session,
    httpbin_tls_url: str,
    ca_bundle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trustme

    # Make the platform's default trust store trust the test CA ...
    monkeypatch.setenv("SSL_CERT_FILE", ca_bundle)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    host_port = httpbin_tls_url.split("//", 1)[1]
    port = int(host_port.rsplit(":", 1)[1])
    control = ssl.create_default_context()  # loads the default store
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with control.wrap_socket(raw, server_hostname="localhost"):
            pass  # control: the default store now trusts the server

    # ... then pin an unrelated CA: nothing else may be trusted.
    other = tmp_path / "unrelated-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with pytest.raises(exceptions.SSLError):
        session.get(f"{httpbin_tls_url}/get", verify=str(other), timeout=5)


# --- injection --------------------------------------------------------------------------------

_INJECT = "\r\nX-Injected: 1"


@pytest.mark.parametrize(
    "where",
    ["method", "header-value", "header-name", "nul-in-header-value", "proxy-url"],
)
def test_cve_2019_9740_cve_2019_11236_cve_2020_26137_crlf_nul_refused_before_sending(
    raw_server: RawFactory, session: requests.Session, where: str
) -> None:
    srv = _recorder(raw_server)
    kwargs: dict = {"timeout": 5}
    method = "GET"
    url = srv.url + "/"
    if where == "method":
        method = "GET" + _INJECT
    elif where == "header-value":
        kwargs["headers"] = {"X-Ok": "value" + _INJECT}
    elif where == "header-name":
        kwargs["headers"] = {"X-Ok" + _INJECT: "value"}
    elif where == "nul-in-header-value":
        kwargs["headers"] = {"X-Ok": "va\x00lue"}
    elif where == "proxy-url":
        kwargs["proxies"] = {"http": f"http://127.0.0.1:{srv.port}{_INJECT}/"}
    with pytest.raises((ValueError, exceptions.RequestException)):
        session.request(method, url, **kwargs)
    assert srv.connections == 0  # refused before a single byte went out


@pytest.mark.parametrize("where", ["path", "query", "params"])
def test_cve_2019_9740_cve_2019_11236_crlf_in_url_never_reaches_the_wire(
    raw_server: RawFactory, session: requests.Session, where: str
) -> None:
    """A URL with CR/LF is either refused or sent percent-encoded; never as raw bytes."""
    srv = _recorder(raw_server)
    url = srv.url + "/"
    params = None
    if where == "path":
        url += "a" + _INJECT
    elif where == "query":
        url += "?q=a" + _INJECT
    else:
        params = {"q": "a" + _INJECT}
    try:
        session.get(url, params=params, timeout=5)
    except (ValueError, exceptions.RequestException):
        assert srv.connections == 0
        return
    request_line = srv.requests[0].split(b"\r\n", 1)[0]
    assert b"X-Injected" not in request_line or b"%0D%0A" in request_line.upper()
    assert _header(srv.requests[0], b"X-Injected") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/" + "%" * 200_000,
        "http://" + "@" * 50_000 + "127.0.0.1:1/",
        "http://127.0.0.1:1/?" + "&" * 100_000 + "=" * 100_000,
        "http://" + "a:" * 50_000 + "@127.0.0.1:1/",
        "http://[" + ":" * 100_000 + "]/",
    ],
    ids=["percent", "at-signs", "ampersands", "colons-in-userinfo", "colons-in-ipv6"],
)
def test_cve_2020_7212_cve_2021_33503_hostile_urls_parsed_fast(url: str) -> None:
    started = time.perf_counter()
    try:
        requests.Request("GET", url).prepare()
    except (ValueError, exceptions.RequestException):
        pass
    assert time.perf_counter() - started < 1.0  # the vulnerable parsers took minutes
    # and through the whole stack (the adapter and pool parse the URL again): port 1 refuses
    started = time.perf_counter()
    with pytest.raises((ValueError, exceptions.RequestException)):
        requests.get(url, timeout=2)
    assert time.perf_counter() - started < 2.0


# --- content decoding -------------------------------------------------------------------------


def _zeros_gzip(size: int) -> bytes:
    """A valid gzip stream of ``size`` (a multiple of 1 MiB) zero bytes, built in milliseconds.

    A full flush makes each compressed 1 MiB segment independent of what came before, so the
    same segment can simply be repeated; only the CRC has to be computed over the real data.
    """
    block = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + segment * (size >> 20) + final + trailer


def test_cve_2025_66418_at_most_five_stacked_content_codings(
    raw_server: RawFactory, session: requests.Session
) -> None:
    data = b"layered " * 100
    five = data
    for _ in range(5):
        five = gzip.compress(five)
    six = gzip.compress(five)
    srv = raw_server(
        canned(
            response(200, five, headers=[("Content-Encoding", ", ".join(["gzip"] * 5))]),
            response(200, six, headers=[("Content-Encoding", ", ".join(["gzip"] * 6))]),
        )
    )
    assert session.get(srv.url, timeout=5).content == data  # control: five decode
    with pytest.raises(exceptions.ContentDecodingError):
        session.get(srv.url, timeout=5)


@pytest.mark.timeout(60)
def test_cve_2025_66471_streamed_decompression_is_bounded(
    raw_server: RawFactory, session: requests.Session
) -> None:
    size = 100 << 20
    bomb = _zeros_gzip(size)
    assert len(bomb) < 1 << 20
    srv = raw_server(canned(response(200, bomb, headers=[("Content-Encoding", "gzip")])))
    r = session.get(srv.url, stream=True, timeout=10)
    total = 0
    biggest = 0
    tracemalloc.start()
    try:
        for piece in r.iter_content(64 * 1024):
            total += len(piece)
            biggest = max(biggest, len(piece))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == size
    assert biggest <= 1 << 20
    assert peak < 16 << 20  # a few pieces in flight, never the whole 100 MiB


@pytest.mark.timeout(60)
def test_cve_2026_21441_redirect_gzip_bomb_discarded_without_decoding(
    raw_server: RawFactory, session: requests.Session
) -> None:
    bomb = _zeros_gzip(256 << 20)  # 256 MiB once decoded, ~260 KiB on the wire
    target = _recorder(raw_server)
    srv = raw_server(
        canned(
            response(
                302,
                bomb,
                headers=[("Location", f"{target.url}/landing"), ("Content-Encoding", "gzip")],
            )
        )
    )
    started = time.monotonic()
    tracemalloc.start()
    try:
        r = session.get(srv.url, timeout=10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.status_code == 200 and r.content == b"landed"
    assert len(r.history) == 1
    assert peak < 32 << 20
    assert time.monotonic() - started < 10


# --- redirect switches ------------------------------------------------------------------------


@pytest.mark.parametrize("switch", ["allow_redirects", "max_redirects", "retry_redirect_0"])
def test_cve_2025_50181_disabled_redirects_are_really_disabled(
    raw_server: RawFactory, session: requests.Session, switch: str
) -> None:
    target = _recorder(raw_server)
    origin = _redirector(raw_server, f"{target.url}/landing")
    if switch == "allow_redirects":
        r = session.get(origin.url, allow_redirects=False, timeout=5)
        assert r.status_code == 302 and r.is_redirect
    elif switch == "max_redirects":
        session.max_redirects = 0
        with pytest.raises(exceptions.TooManyRedirects):
            session.get(origin.url, timeout=5)
    else:
        adapter = HTTPAdapter(max_retries=Retry(total=5, redirect=0))
        try:
            r = adapter.send(requests.Request("GET", origin.url).prepare(), timeout=5)
        except (exceptions.TooManyRedirects, exceptions.RetryError):
            pass
        else:
            assert r.status_code == 302
        finally:
            adapter.close()
    assert origin.connections == 1
    assert target.connections == 0


# --- framing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"5\r\nhelloXX0\r\n\r\n", b"5\r\nhello\n0\r\n\r\n", b"5\r\nhello0\r\n\r\n"],
    ids=["two-bytes", "bare-lf", "missing"],
)
def test_cve_2025_43859_bad_chunk_terminator_refused(
    raw_server: RawFactory, session: requests.Session, body: bytes
) -> None:
    payload = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body

    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(payload)
        wait_closed(sock, 5)

    srv = raw_server(handler)
    with pytest.raises((exceptions.ChunkedEncodingError, exceptions.ConnectionError)):
        session.get(srv.url, timeout=2)
