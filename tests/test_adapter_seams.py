"""HTTPAdapter's urllib3-shaped seams: foreign raw responses, urllib3-shaped Retry objects,
urllib3's error names, and the pool manager settings subclasses read."""

from __future__ import annotations

import io
from typing import Any

import pytest

import httpcore_lite
from httpcore_lite import adapters
from httpcore_lite.adapters import HTTPAdapter, Retry
from httpcore_lite.exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ConnectTimeout,
    InvalidHeader,
    InvalidURL,
    ProxyError,
    ReadTimeout,
    RetryError,
    SSLError,
)
from httpcore_lite.models import Request


class Fields:
    """A urllib3-like header dict: a mapping plus get_all/getlist, repeats kept."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def getlist(self, name: str, default: Any = None) -> list[str]:
        found = [v for k, v in self.pairs if k.lower() == name.lower()]
        return found or ([] if default is None else default)

    get_all = getlist

    def keys(self) -> list[str]:
        return list(dict.fromkeys(k for k, _ in self.pairs))

    def __getitem__(self, name: str) -> str:
        return ", ".join(self.getlist(name))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def items(self) -> list[tuple[str, str]]:
        return [(k, self[k]) for k in self.keys()]


class FakeRaw:
    """What a mocking library hands to build_response: urllib3's HTTPResponse shape."""

    def __init__(self, body: bytes, status: int = 200, fields: Any = None, error: Any = None):
        self.status = status
        self.reason = "Fine"
        self.headers = Fields(fields or [("Content-Type", "text/plain; charset=latin-1")])
        self._body = io.BytesIO(body)
        self._error = error
        self.released = False

    def stream(self, amt: int = 65536, decode_content: bool | None = None):  # type: ignore[no-untyped-def]
        while True:
            data = self._body.read(amt)
            if not data:
                if self._error is not None:
                    raise self._error
                return
            yield data

    def read(self, amt: int | None = None, decode_content: bool | None = None) -> bytes:
        return self._body.read(amt)

    def release_conn(self) -> None:
        self.released = True


def prepare(url: str = "http://example.invalid/path") -> Any:
    return Request("GET", url).prepare()


def test_build_response_from_foreign_raw() -> None:
    fields = [("Content-Type", "text/plain; charset=latin-1"), ("Set-Cookie", "a=1; Path=/")]
    fields.append(("Set-Cookie", "b=2; Expires=Wed, 09 Jun 2100 10:18:14 GMT"))
    raw = FakeRaw(b"caf\xe9", status=201, fields=fields)
    response = HTTPAdapter().build_response(prepare(), raw)
    assert response.status_code == 201
    assert response.reason == "Fine"
    assert response.encoding == "latin-1"
    assert response.raw is raw
    assert response.url == "http://example.invalid/path"
    assert response.cookies.get_dict() == {"a": "1", "b": "2"}
    assert response.text == "caf\u00e9"
    response.close()
    assert raw.released


def test_foreign_protocol_error_is_chunked_encoding_error() -> None:
    class ProtocolError(Exception):
        pass

    class IncompleteRead(ProtocolError):
        pass

    raw = FakeRaw(b"partial", error=IncompleteRead("cut"))
    response = HTTPAdapter().build_response(prepare(), raw)
    with pytest.raises(ChunkedEncodingError):
        response.content  # noqa: B018
    raw = FakeRaw(b"x", error=ValueError("not urllib3's"))
    with pytest.raises(ValueError):
        HTTPAdapter().build_response(prepare(), raw).content  # noqa: B018


def test_subclass_header_edits_are_kept(httpbin_url: str) -> None:
    class Tagging(HTTPAdapter):
        def build_response(self, req, resp):  # type: ignore[no-untyped-def]
            resp.headers["X-Tag"] = "added"
            return super().build_response(req, resp)

    s = httpcore_lite.Session()
    s.mount("http://", Tagging())
    r = s.get(httpbin_url + "/cookies/set?k=v", allow_redirects=False, timeout=10)
    assert r.headers["X-Tag"] == "added"
    assert r.cookies["k"] == "v"


class U3Retry:
    """Shaped like urllib3's Retry (2.x attribute names), unrelated to ours."""

    DEFAULT_BACKOFF_MAX = 120

    def __init__(self, total: int, status_forcelist: Any = None, allowed_methods: Any = None):
        self.total = total
        self.connect = self.read = self.redirect = self.status = self.other = None
        self.status_forcelist = status_forcelist
        self.allowed_methods = allowed_methods
        self.backoff_factor = 0
        self.raise_on_status = True
        self.raise_on_redirect = True
        self.respect_retry_after_header = True
        self.remove_headers_on_redirect = frozenset({"authorization"})

    def increment(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - never called
        raise AssertionError("the adapter must not call a foreign Retry's methods")


def test_urllib3_shaped_retry_status(httpbin_url: str) -> None:
    retry = U3Retry(total=2, status_forcelist=[503], allowed_methods=False)
    adapter = HTTPAdapter(max_retries=retry)
    assert adapter.max_retries is retry
    s = httpcore_lite.Session()
    s.mount("http://", adapter)
    with pytest.raises(RetryError):
        s.post(httpbin_url + "/status/503", timeout=10)
    assert adapter.stats().opened + adapter.stats().reused == 3


def test_urllib3_shaped_retry_refused() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    s = httpcore_lite.Session()
    s.mount("http://", HTTPAdapter(max_retries=U3Retry(total=1)))
    with pytest.raises(ConnectionError):
        s.get(f"http://127.0.0.1:{port}/", timeout=5)


def test_wrong_max_retries_type() -> None:
    with pytest.raises(TypeError, match="max_retries"):
        HTTPAdapter(max_retries="three")  # type: ignore[arg-type]


def test_retry_from_retry_like_fields() -> None:
    converted = Retry.from_retry_like(U3Retry(total=4, status_forcelist=[500, 502]))
    assert converted.total == 4
    assert set(converted.status_forcelist) == {500, 502}
    assert converted.allowed_methods is None
    assert converted.remove_headers_on_redirect == frozenset({"authorization"})


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (adapters.MaxRetryError(None, "/", adapters.ConnectTimeoutError("slow")), ConnectTimeout),
        (
            adapters.MaxRetryError(None, "/", adapters.NewConnectionError(None, "no")),
            ConnectionError,
        ),
        (adapters.MaxRetryError(None, "/", adapters.ResponseError("500s")), RetryError),
        (adapters.MaxRetryError(None, "/", adapters._ProxyError("p", None)), ProxyError),
        (adapters.MaxRetryError(None, "/", adapters._SSLError("tls")), SSLError),
        (adapters.ClosedPoolError(None, "closed"), ConnectionError),
        (adapters.ProtocolError("reset"), ConnectionError),
        (adapters.ReadTimeoutError(None, "/", "slow"), ReadTimeout),
        (adapters._InvalidHeader("bad"), InvalidHeader),
        (adapters.LocationValueError("no host"), InvalidURL),
    ],
)
def test_urllib3_names_mapped_as_requests_maps_them(
    httpbin_url: str, raised: Exception, expected: type
) -> None:
    class Failing(HTTPAdapter):
        def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
            raise raised

    with pytest.raises(expected) as info:
        Failing().send(prepare(httpbin_url + "/get"), timeout=5)
    assert info.value.__cause__ is raised
    assert info.value.request is not None


def test_poolmanager_settings_and_overrides(httpbin_url: str) -> None:
    seen: list[Any] = []

    class Custom(HTTPAdapter):
        def init_poolmanager(self, connections, maxsize, block=False, **kw):  # type: ignore[no-untyped-def]
            seen.append((connections, maxsize, block))
            super().init_poolmanager(connections, maxsize, block=block, **kw)

        def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):  # type: ignore[no-untyped-def]
            seen.append(request.url)
            return super().get_connection_with_tls_context(request, verify, proxies, cert)

    adapter = Custom(pool_connections=3, pool_maxsize=7, pool_block=True)
    assert adapter.poolmanager.connection_pool_kw["maxsize"] == 7
    assert adapter.poolmanager.connection_pool_kw["block"] is True
    assert adapter.send(prepare(httpbin_url + "/get"), timeout=10).ok
    assert seen == [(3, 7, True), httpbin_url + "/get"]


class ForeignPool:
    """A pool a subclass makes itself (urllib3's HTTPConnectionPool shape): only urlopen."""

    class Timeout:
        def __init__(self, connect: Any = None, read: Any = None) -> None:
            self.connect_timeout, self.read_timeout = connect, read

    def __init__(self, error: Exception | None = None) -> None:
        self.timeout = self.Timeout(60, 60)
        self.error = error
        self.calls: list[dict[str, Any]] = []

    def urlopen(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error
        return FakeRaw(b"from the foreign pool")


def test_foreign_pool_from_overridden_get_connection() -> None:
    pool = ForeignPool()

    class Own(HTTPAdapter):
        def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
            return pool

    request = Request("POST", "http://example.invalid/p?q=1", data=b"body").prepare()
    response = Own().send(request, timeout=(3, 7))
    assert response.content == b"from the foreign pool"
    [call] = pool.calls
    assert call["url"] == "/p?q=1" and call["method"] == "POST" and call["body"] == b"body"
    assert call["redirect"] is False and call["preload_content"] is False
    assert call["chunked"] is False
    assert (call["timeout"].connect_timeout, call["timeout"].read_timeout) == (3, 7)


def test_foreign_pool_errors_mapped_by_name() -> None:
    class NewConnectionError(Exception):
        pass

    class MaxRetryError(Exception):
        def __init__(self, reason: Exception) -> None:
            super().__init__(reason)
            self.reason = reason

    class Own(HTTPAdapter):
        def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
            return ForeignPool(MaxRetryError(NewConnectionError("refused")))

    with pytest.raises(ConnectionError):
        Own().send(prepare(), timeout=3)
