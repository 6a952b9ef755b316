"""The per-request shortcuts of the hot path give exactly what the general path gives."""

from __future__ import annotations

import pytest

from httpcore_lite import models
from httpcore_lite.exceptions import InvalidURL
from httpcore_lite.models import PreparedRequest, Request
from httpcore_lite.sessions import Session
from httpcore_lite.structures import CaseInsensitiveDict


def _prepare_url(url: object, params: object = None) -> PreparedRequest:
    p = PreparedRequest()
    p.prepare_method("GET")
    p.prepare_url(url, params)
    return p


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a b?q=1",
        "http://EXAMPLE.com:80/path/../x?y=%zz#frag",
        "https://bücher.example/ü",
        "  http://example.com",
    ],
)
def test_prepared_url_is_the_same_when_cached(url: str) -> None:
    models._PREPARED_URLS.clear()
    first = _prepare_url(url)
    assert url in models._PREPARED_URLS
    second = _prepare_url(url)
    assert (second.url, second.path_url) == (first.url, first.path_url)


def test_params_bypass_the_url_cache() -> None:
    models._PREPARED_URLS.clear()
    p = _prepare_url("http://example.com/p", {"a": "1"})
    assert p.url == "http://example.com/p?a=1"
    assert not models._PREPARED_URLS
    assert _prepare_url("http://example.com/p").url == "http://example.com/p"


def test_bad_url_raises_every_time() -> None:
    models._PREPARED_URLS.clear()
    for _ in range(2):
        with pytest.raises(InvalidURL):
            _prepare_url("http://exa\nmple.com/")
    assert not models._PREPARED_URLS


def test_session_headers_copied_not_shared() -> None:
    s = Session()
    s.headers["X-Test"] = "1"
    p1 = s.prepare_request(Request("GET", "http://example.com/"))
    p2 = s.prepare_request(Request("GET", "http://example.com/"))
    assert type(p1.headers) is CaseInsensitiveDict
    assert p1.headers["x-test"] == "1"
    p1.headers["X-Other"] = "2"
    assert "X-Other" not in p2.headers
    assert "X-Other" not in s.headers
    assert list(p2.headers) == list(s.headers)


def test_session_header_with_bytes_value_still_prepared() -> None:
    s = Session()
    s.headers["X-Bytes"] = b"v"
    p = s.prepare_request(Request("GET", "http://example.com/"))
    assert p.headers["X-Bytes"] == b"v"


def test_no_proxy_variable_then_one_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from httpcore_lite.utils import get_environ_proxies

    assert get_environ_proxies("http://example.com/") == {}
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    assert get_environ_proxies("https://example.com/") == {"https": "http://proxy.invalid:3128"}
    monkeypatch.delenv("HTTPS_PROXY")
    assert get_environ_proxies("https://example.com/") == {}


def test_cookie_jar_of_a_request_without_cookies() -> None:
    import copy
    import pickle

    from httpcore_lite.cookies import RequestsCookieJar

    assert PreparedRequest()._cookies is None
    p = Request("GET", "http://example.com/").prepare()
    c = p.copy()
    for q in (p, c, pickle.loads(pickle.dumps(p)), copy.deepcopy(p)):
        jar = q._cookies
        assert isinstance(jar, RequestsCookieJar)
        assert len(jar) == 0
        assert q._cookies is jar  # made once, then kept
    assert c._cookies is not p._cookies
    assert "Cookie" not in p.headers


def _cycle(conn: object, prepared: PreparedRequest) -> bytes:
    from httpcore_lite.protocol import ClientConnection

    assert isinstance(conn, ClientConnection)
    wire = conn.send_request(prepared)
    conn.receive_data(b"HTTP/1.1 204 No Content\r\n\r\n")
    conn.start_next_cycle()
    return wire


def test_repeated_request_head_gives_the_same_bytes() -> None:
    from httpcore_lite.protocol import ClientConnection, _head

    _head.REQUEST_EVENTS.clear()
    conn = ClientConnection()
    p = Request("GET", "http://example.com/a?b=1", headers={"X-A": "1"}).prepare()
    first = _cycle(conn, p)
    assert _head.REQUEST_EVENTS
    assert _cycle(conn, p) == first
    assert _cycle(ClientConnection(), p) == first
    other = Request("GET", "http://example.com/a?b=1", headers={"X-A": "2"}).prepare()
    assert b"X-A: 2\r\n" in _cycle(conn, other)
    elsewhere = Request("GET", "http://example.org:8080/a?b=1", headers={"X-A": "1"}).prepare()
    assert b"Host: example.org:8080\r\n" in _cycle(conn, elsewhere)
    assert _cycle(conn, p) == first


def test_refused_request_head_is_refused_every_time() -> None:
    from httpcore_lite.exceptions import InvalidHeader
    from httpcore_lite.protocol import ClientConnection, _head

    _head.REQUEST_EVENTS.clear()
    p = Request("GET", "http://example.com/").prepare()
    p.headers["Content-Length"] = "5"  # promises a body that never comes
    for _ in range(2):
        with pytest.raises(InvalidHeader):
            ClientConnection().send_request(p)
    assert not _head.REQUEST_EVENTS


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset='UTF-8'", "UTF-8"),
        ("text/plain", "ISO-8859-1"),
        ("application/json", "utf-8"),
        ("application/octet-stream", None),
    ],
)
def test_encoding_from_headers_is_the_same_when_cached(
    content_type: str, expected: str | None
) -> None:
    from httpcore_lite.utils import get_encoding_from_headers

    headers = CaseInsensitiveDict({"Content-Type": content_type})
    assert get_encoding_from_headers(headers) == expected
    assert get_encoding_from_headers(headers) == expected


def _memory_session(canned: bytes) -> Session:
    from httpcore_lite.adapters import HTTPAdapter
    from httpcore_lite.transport.backends import MemoryBackend

    s = Session()
    s.mount("http://", HTTPAdapter(backend=MemoryBackend(canned)))
    return s


def test_raw_response_field_flags_plain() -> None:
    s = _memory_session(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
    r = s.get("http://example.test/")
    assert r.content == b"hi"
    assert r.raw.has_content_encoding is False
    assert r.raw.has_set_cookie is False
    assert not s.cookies


def test_raw_response_field_flags_gzip_and_set_cookie2() -> None:
    import gzip

    body = gzip.compress(b"hello")
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-ENCODING: gzip\r\nSet-Cookie2: a=1\r\n"
        b"SET-COOKIE: b=2\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    s = _memory_session(head + body)
    r = s.get("http://example.test/")
    assert r.content == b"hello"
    assert r.raw.has_content_encoding is True
    assert r.raw.has_set_cookie is True
    assert r.cookies.get("b") == "2"
    assert s.cookies.get("b") == "2"
