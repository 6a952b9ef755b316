"""HTTPAdapter end to end: httpbin over TCP, Unix sockets, the in-memory backend, and its API."""

from __future__ import annotations

import io
import itertools
import json
import os
import pickle
import socket
import subprocess
import sys
import textwrap
import threading

import pytest

from httpcore_lite.adapters import BaseAdapter, HTTPAdapter, Retry, Timeout
from httpcore_lite.exceptions import InvalidProxyURL, ReadTimeout
from httpcore_lite.models import Request
from httpcore_lite.transport.backends import MemoryBackend, UnixBackend
from httpcore_lite.transport.pool import PoolManager
from httpcore_lite.transport.raw import RawResponse

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nok"


def prepare(method: str, url: str, **kwargs):
    return Request(method, url, **kwargs).prepare()


# --- over TCP to httpbin ------------------------------------------------------------------------


def test_get_builds_full_response(httpbin_url):
    adapter = HTTPAdapter()
    request = prepare("GET", httpbin_url + "/get?a=1")
    response = adapter.send(request, timeout=10)
    assert response.status_code == 200
    assert response.reason == "OK"
    assert response.url == request.url
    assert response.request is request
    assert response.connection is adapter
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.raw, RawResponse)
    assert response.json()["args"] == {"a": "1"}
    assert response.encoding is None or isinstance(response.encoding, str)


def test_keep_alive_against_httpbin(httpbin_url):
    adapter = HTTPAdapter()
    for _ in range(5):
        assert adapter.send(prepare("GET", httpbin_url + "/get"), timeout=10).ok
    stats = adapter.stats()
    assert stats.opened == 1
    assert stats.reused == 4


def test_post_bytes_file_and_generator(httpbin_url):
    adapter = HTTPAdapter()
    r = adapter.send(prepare("POST", httpbin_url + "/post", data=b"raw bytes"), timeout=10)
    assert r.json()["data"] == "raw bytes"
    r = adapter.send(
        prepare("POST", httpbin_url + "/post", data=io.BytesIO(b"a" * 200000)), timeout=10
    )
    assert len(r.json()["data"]) == 200000
    r = adapter.send(
        prepare("POST", httpbin_url + "/post", data=(c for c in [b"chunk1", b"chunk2"])),
        timeout=10,
    )
    assert r.json()["data"] == "chunk1chunk2"


def test_streamed_gzip_is_decoded(httpbin_url):
    adapter = HTTPAdapter()
    response = adapter.send(prepare("GET", httpbin_url + "/gzip"), stream=True, timeout=10)
    assert response.headers["content-encoding"] == "gzip"
    assert json.loads(response.raw.read())["gzipped"] is True
    assert adapter.stats().in_use == 0


def test_raw_read_undecoded(httpbin_url):
    response = HTTPAdapter().send(prepare("GET", httpbin_url + "/gzip"), stream=True, timeout=10)
    data = response.raw.read(decode_content=False)
    assert data[:2] == b"\x1f\x8b"
    assert response.raw.tell() == len(data)


def test_raw_read_amounts_and_stream(httpbin_url):
    response = HTTPAdapter().send(
        prepare("GET", httpbin_url + "/bytes/1000"), stream=True, timeout=10
    )
    raw = response.raw
    assert len(raw.read(10)) == 10
    pieces = list(raw.stream(300))
    assert [len(p) for p in pieces] == [300, 300, 300, 90]
    assert raw.read() == b""
    assert raw.closed


def test_head_has_no_body(httpbin_url):
    adapter = HTTPAdapter()
    response = adapter.send(prepare("HEAD", httpbin_url + "/get"), timeout=10)
    assert response.content == b""
    assert adapter.send(prepare("GET", httpbin_url + "/get"), timeout=10).ok
    assert adapter.stats().opened == 1


def test_set_cookie_extracted(httpbin_url):
    response = HTTPAdapter().send(prepare("GET", httpbin_url + "/cookies/set?k=v"), timeout=10)
    assert response.status_code == 302
    assert response.cookies.get("k") == "v"


def test_read_timeout_against_httpbin(httpbin_url):
    with pytest.raises(ReadTimeout):
        HTTPAdapter().send(prepare("GET", httpbin_url + "/delay/3"), timeout=(5, 0.5))


# --- API ----------------------------------------------------------------------------------------


def test_max_retries_mapping():
    default = HTTPAdapter().max_retries
    assert isinstance(default, Retry)
    assert default.total == 0 and default.read is False
    assert HTTPAdapter(max_retries=3).max_retries.total == 3
    mine = Retry(5, backoff_factor=0.1)
    assert HTTPAdapter(max_retries=mine).max_retries is mine


def test_base_adapter_is_abstract():
    with pytest.raises(NotImplementedError):
        BaseAdapter().send(None)
    with pytest.raises(NotImplementedError):
        BaseAdapter().close()


def test_pickle_rebuilds_pool(httpbin_url):
    adapter = HTTPAdapter(pool_connections=3, pool_maxsize=4, max_retries=2, pool_block=True)
    adapter.send(prepare("GET", httpbin_url + "/get"), timeout=10)
    clone = pickle.loads(pickle.dumps(adapter))
    assert clone.max_retries.total == 2
    assert (clone._pool_connections, clone._pool_maxsize, clone._pool_block) == (3, 4, True)
    assert clone.poolmanager is not adapter.poolmanager
    assert clone.stats().opened == 0
    assert clone.send(prepare("GET", httpbin_url + "/get"), timeout=10).ok


def test_poolmanager_is_built_on_first_use_and_once():
    adapter = HTTPAdapter(pool_connections=3, pool_maxsize=4, pool_block=True)
    adapter.close()  # closing an adapter that never sent builds nothing
    assert "poolmanager" not in vars(adapter)
    managers = []
    barrier = threading.Barrier(8)

    def first_use() -> None:
        barrier.wait()
        managers.append(adapter.poolmanager)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(manager) for manager in managers}) == 1
    assert managers[0].connection_pool_kw == {"maxsize": 4, "block": True}
    with pytest.raises(AttributeError, match="no_such_thing"):
        adapter.no_such_thing  # noqa: B018


def test_default_retry_is_made_on_first_read():
    adapter = HTTPAdapter()
    assert "max_retries" not in vars(adapter)
    retries = adapter.max_retries
    assert isinstance(retries, Retry)
    assert (retries.total, retries.read) == (0, False)
    assert adapter.max_retries is retries
    assert HTTPAdapter().max_retries is not retries  # each adapter has its own, as in requests
    assert "max_retries" in vars(HTTPAdapter(max_retries=3))


def test_values_set_before_the_first_read_win():
    """A subclass's class attribute, or a manager assigned before first use, is what is read:
    the default is only made when nothing else answers."""
    mine = Retry(4)

    class Fixed(HTTPAdapter):
        max_retries = mine

    assert Fixed().max_retries is mine
    adapter = HTTPAdapter()
    manager = PoolManager(num_pools=2)
    adapter.poolmanager = manager
    assert adapter.poolmanager is manager
    assert "max_retries" not in vars(adapter)


def test_overridden_init_poolmanager_runs_at_construction():
    seen = []

    class Custom(HTTPAdapter):
        def init_poolmanager(self, connections, maxsize, block=False, **kw):  # type: ignore[no-untyped-def]
            seen.append((connections, maxsize, block))
            super().init_poolmanager(connections, maxsize, block=block, source_address=None, **kw)

    adapter = Custom(pool_connections=2, pool_maxsize=5)
    assert seen == [(2, 5, False)]
    assert adapter.poolmanager.connection_pool_kw["source_address"] is None
    clone = Custom.__new__(Custom)  # what unpickling does (a local class cannot be pickled)
    clone.__setstate__(adapter.__getstate__())
    assert seen == [(2, 5, False), (2, 5, False)]


def test_cert_verify_messages(tmp_path):
    adapter = HTTPAdapter()
    pool = adapter.poolmanager.connection_from_host("localhost", 443, "https")
    with pytest.raises(OSError, match="Could not find a suitable TLS CA certificate bundle"):
        adapter.cert_verify(pool, "https://localhost", str(tmp_path / "missing.pem"), None)
    with pytest.raises(OSError, match="Could not find the TLS certificate file"):
        adapter.cert_verify(pool, "https://localhost", True, str(tmp_path / "c.pem"))
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    with pytest.raises(OSError, match="Could not find the TLS key file"):
        adapter.cert_verify(pool, "https://localhost", True, (str(cert), str(tmp_path / "k")))
    adapter.cert_verify(pool, "https://localhost", str(tmp_path), None)
    assert pool.ca_cert_dir == str(tmp_path)


def test_build_connection_pool_key_attributes(tmp_path):
    adapter = HTTPAdapter()
    request = prepare("GET", "https://Example.org:8443/x")
    host_params, pool_kwargs = adapter.build_connection_pool_key_attributes(request, True)
    assert host_params == {"scheme": "https", "host": "example.org", "port": 8443}
    assert pool_kwargs == {"cert_reqs": "CERT_REQUIRED"}
    _, pool_kwargs = adapter.build_connection_pool_key_attributes(request, False, ("c", "k"))
    assert pool_kwargs == {"cert_reqs": "CERT_NONE", "cert_file": "c", "key_file": "k"}
    _, pool_kwargs = adapter.build_connection_pool_key_attributes(request, str(tmp_path))
    assert pool_kwargs["ca_cert_dir"] == str(tmp_path)


def test_pools_keyed_by_tls_settings():
    adapter = HTTPAdapter()
    request = prepare("GET", "https://example.org/")
    verified = adapter.get_connection_with_tls_context(request, True)
    unverified = adapter.get_connection_with_tls_context(request, False)
    assert verified is not unverified
    assert adapter.get_connection_with_tls_context(request, True) is verified
    with pytest.warns(DeprecationWarning):
        assert adapter.get_connection("http://example.org/") is not None


def test_request_url_and_proxy_headers():
    adapter = HTTPAdapter()
    request = prepare("GET", "http://user:pw@example.org/path?q=1#frag")
    assert adapter.request_url(request, {}) == "/path?q=1"
    proxies = {"http": "http://proxy:3128"}
    assert adapter.request_url(request, proxies) == "http://example.org/path?q=1"
    https_request = prepare("GET", "https://example.org/path")
    assert adapter.request_url(https_request, {"https": "http://proxy:3128"}) == "/path"
    assert adapter.proxy_headers("http://proxy:3128") == {}
    headers = adapter.proxy_headers("http://us%40er:p%3Ass@proxy:3128")
    assert headers["Proxy-Authorization"].startswith("Basic ")


def test_request_url_keeps_a_leading_double_slash():
    request = prepare("GET", "http://127.0.0.1:10000//v:h?q=1")
    assert HTTPAdapter().request_url(request, {}) == "//v:h?q=1"


def test_double_slash_path_goes_on_the_wire_as_given():
    """The default adapter and one that overrides request_url send the same target."""

    class Custom(HTTPAdapter):
        def request_url(self, request, proxies):
            return super().request_url(request, proxies)

    for adapter_class in (HTTPAdapter, Custom):
        backend = MemoryBackend(OK)
        adapter_class(backend=backend).send(prepare("GET", "http://127.0.0.1:10000//v:h"))
        assert backend.requests[0].startswith(b"GET //v:h HTTP/1.1\r\n")


@pytest.mark.parametrize(
    "proxy",
    [
        "http://proxy\r\n:3128",
        "http://pro xy:3128",
        "http://proxy:3128\x00",
        "http://",
        "https://",
        "http://:8080",
        "http:/proxy:3128",
    ],
)
def test_invalid_proxy_urls(proxy):
    adapter = HTTPAdapter()
    with pytest.raises(InvalidProxyURL):
        adapter.send(prepare("GET", "http://example.org/"), proxies={"http": proxy}, timeout=1)


def test_timeout_values_are_validated(raw_server):
    adapter = HTTPAdapter(backend=MemoryBackend(OK))
    with pytest.raises(ValueError, match="Pass a \\(connect, read\\) timeout tuple"):
        adapter.send(prepare("GET", "http://x/"), timeout=(1, 2, 3))
    assert adapter.send(prepare("GET", "http://x/"), timeout=Timeout(1, 1, 5)).ok


def test_add_headers_hook_is_called():
    class Tagging(HTTPAdapter):
        def add_headers(self, request, **kwargs):
            request.headers["X-Tag"] = "1"

    backend = MemoryBackend(OK)
    Tagging(backend=backend).send(prepare("GET", "http://x/"))
    assert b"X-Tag: 1" in backend.requests[0]


# --- other backends -----------------------------------------------------------------------------


def test_memory_backend_end_to_end():
    def app(request: bytes) -> bytes:
        body = request.split(b"\r\n\r\n", 1)[1]
        return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)

    backend = MemoryBackend(app)
    adapter = HTTPAdapter(backend=backend)
    for i in range(3):
        response = adapter.send(prepare("POST", "https://api.example/echo", data=b"n%d" % i))
        assert response.content == b"n%d" % i
    assert backend.connections == 1
    assert backend.requests[0].startswith(b"POST /echo HTTP/1.1\r\nHost: api.example\r\n")
    assert adapter.stats().origins["https://api.example:443"].reused == 2


def test_memory_backend_threaded_handler_streams():
    def handler(stream):
        data = b""
        while b"\r\n\r\n" not in data:
            data += stream.read(65536, 5)
        stream.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", None)
        for i in range(3):
            stream.write(b"5\r\npart%d\r\n" % i, None)
        stream.write(b"0\r\n\r\n", None)

    adapter = HTTPAdapter(backend=MemoryBackend(handler=handler))
    response = adapter.send(prepare("GET", "http://svc/"), stream=True)
    assert list(response.iter_content(5)) == [b"part0", b"part1", b"part2"]


@pytest.fixture
def unix_http_server(tmp_path):
    path = str(tmp_path / "http.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    from tests.servers.raw import read_request

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    def answer(conn):
        with conn:
            while (request := read_request(conn)) is not None:
                line = request.split(b"\r\n", 1)[0]
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(line), line))

    threading.Thread(target=serve, daemon=True).start()
    yield path
    listener.close()


def test_unix_backend_end_to_end(unix_http_server):
    adapter = HTTPAdapter(backend=UnixBackend(unix_http_server))
    assert adapter.send(prepare("GET", "http://localhost/info")).content == b"GET /info HTTP/1.1"
    assert adapter.send(prepare("GET", "http://localhost/two")).content == b"GET /two HTTP/1.1"
    assert adapter.stats().reused == 1


def test_http_unix_url(unix_http_server):
    from urllib.parse import quote

    url = "http+unix://" + quote(unix_http_server, safe="") + "/containers/json"
    request = prepare("GET", url)
    response = HTTPAdapter().send(request, timeout=5)
    assert response.content == b"GET /containers/json HTTP/1.1"


# --- memory use ---------------------------------------------------------------------------------

_STREAM_SCRIPT = textwrap.dedent(
    """
    import socket, threading, sys
    from httpcore_lite.adapters import HTTPAdapter
    from httpcore_lite.models import Request

    SIZE = 256 * 1024 * 1024
    block = b"x" * (1 << 20)
    listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n" % SIZE)
        for _ in range(SIZE // len(block)):
            conn.sendall(block)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()

    def hwm():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    url = "http://127.0.0.1:%d/" % listener.getsockname()[1]
    request = Request("GET", url).prepare()
    before = hwm()
    response = HTTPAdapter().send(request, stream=True, timeout=30)
    total = 0
    for chunk in response.iter_content(65536):
        total += len(chunk)
    print(total, hwm() - before)
    """
)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_streaming_256_mib_keeps_memory_flat():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), env.get("PYTHONPATH", "")]))
    result = subprocess.run(
        [sys.executable, "-c", _STREAM_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    total, growth_kib = map(int, result.stdout.split())
    assert total == 256 * 1024 * 1024
    assert growth_kib < 8 * 1024  # a few MiB at most, never the body


def test_raw_works_with_copyfileobj(httpbin_url, tmp_path):
    import shutil

    response = HTTPAdapter().send(
        prepare("GET", httpbin_url + "/bytes/70000"), stream=True, timeout=10
    )
    target = tmp_path / "out.bin"
    with open(target, "wb") as f:
        shutil.copyfileobj(response.raw, f)
    assert target.stat().st_size == 70000
    assert response.raw.closed


def test_streamed_response_closed_by_context_manager(httpbin_url):
    adapter = HTTPAdapter()
    with adapter.send(
        prepare("GET", httpbin_url + "/bytes/10"), stream=True, timeout=10
    ) as response:
        assert response.raw.read(5) and adapter.stats().in_use == 1
    assert adapter.stats().in_use == 0


def test_repeated_origin_shortcut_finds_the_pool_the_full_lookup_finds():
    """The pool of the previous request is reused only for the same origin and settings: a
    URL that merely starts with the previous origin, or other verify/cert values, is looked up
    again (compared with a new adapter's first lookup, which has nothing to reuse)."""
    urls = [
        "http://a.test/x",
        "http://a.test.evil/x",
        "http://a.test:8080/",
        "http://a.test",
        "http://a.test?q=1",
        "http://a.test#frag",
        "https://a.test/",
        "https://a.test:4443/",
        "http://u@a.test/",
    ]
    adapter = HTTPAdapter()
    settings = [(True, None), (True, "/c.pem"), (False, None), ("/ca.pem", None)]
    for url, (verify, cert) in itertools.product(urls + urls[::-1], settings + settings[::-1]):
        for _ in range(2):
            request = prepare("GET", url)
            pool = adapter.get_connection_with_tls_context(request, verify, cert=cert)
            expected = HTTPAdapter().get_connection_with_tls_context(request, verify, cert=cert)
            assert pool.key == expected.key, url
            assert pool is adapter.poolmanager.connection_from_key(expected.key)
