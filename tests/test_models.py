"""Tests of Request and PreparedRequest: URLs, methods, headers, bodies, auth, cookies, hooks."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from http.cookiejar import CookieJar
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from httpcore_lite.cookies import RequestsCookieJar, cookiejar_from_dict
from httpcore_lite.exceptions import (
    InvalidHeader,
    InvalidJSONError,
    InvalidURL,
    MissingSchema,
    RequestException,
)
from httpcore_lite.models import PreparedRequest, Request
from httpcore_lite.structures import CaseInsensitiveDict


def prep(method: str = "GET", url: str = "http://example.com/", **kwargs: Any) -> PreparedRequest:
    return Request(method, url, **kwargs).prepare()


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://google.com", "http://google.com/"),
        ("http://ジェーピーニック.jp", "http://xn--hckqz9bzb1cyrb.jp/"),
        ("http://xn--n3h.net/", "http://xn--n3h.net/"),
        ("http://ジェーピーニック.jp".encode(), "http://xn--hckqz9bzb1cyrb.jp/"),
        ("http://straße.de/straße", "http://xn--strae-oqa.de/stra%C3%9Fe"),
        ("http://straße.de/straße".encode(), "http://xn--strae-oqa.de/stra%C3%9Fe"),
        ("http://Königsgäßchen.de/straße", "http://xn--knigsgchen-b4a3dun.de/stra%C3%9Fe"),
        (b"http://xn--n3h.net/", "http://xn--n3h.net/"),
        (
            "http://[1200:0000:ab00:1234:0000:2552:7777:1313]:12345/",
            "http://[1200:0000:ab00:1234:0000:2552:7777:1313]:12345/",
        ),
        ("http://[::1]/", "http://[::1]/"),
        ("http://[fe80::1%25eth0]/", "http://[fe80::1%25eth0]/"),
        (" \t http://google.com", "http://google.com/"),
        ("HTTP://EXAMPLE.com/Path", "http://example.com/Path"),
        ("https://example.com:0443/x", "https://example.com:443/x"),
        ("http://x:/p", "http://x/p"),
        ("http://example.com./x", "http://example.com./x"),
        ("http://under_score.example/", "http://under_score.example/"),
        ("http://127.0.0.1:8000/get?x=1", "http://127.0.0.1:8000/get?x=1"),
        # dot segments resolved as urllib3 does for requests
        ("http://x/a/./b/../c", "http://x/a/c"),
        ("http://x/..", "http://x/"),
        ("http://x/a/b/..", "http://x/a/"),
        # percent handling: unreserved unquoted, escapes upper-cased, stray "%" quoted
        ("http://x/%7e%2f%41", "http://x/~%2FA"),
        ("http://x/100%", "http://x/100%25"),
        ("http://x/%zz", "http://x/%25zz"),
        ("http://x/a%2520", "http://x/a%2520"),
        ("http://x/?q=%", "http://x/?q=%25"),
        ("http://x/a b?c d#e f", "http://x/a%20b?c%20d#e%20f"),
        ("http://x/é?é#é", "http://x/%C3%A9?%C3%A9#%C3%A9"),
        ("http://x/?a=[1]&b=|", "http://x/?a=%5B1%5D&b=%7C"),
        ("http://x/{}", "http://x/%7B%7D"),
        ("http://x/path;p?q#frag", "http://x/path;p?q#frag"),
        ("http://x#", "http://x/"),
        ("http://x?", "http://x/"),
        # the authority ends at a backslash
        ("http://x\\y", "http://x/%5Cy"),
        # credentials: the last "@" separates them, earlier ones are quoted
        ("http://user:p@ss@host/x", "http://user:p%40ss@host/x"),
        ("http://user@host", "http://user@host/"),
    ],
)
def test_prepare_url(url: Any, expected: str) -> None:
    assert prep(url=url).url == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (b"http+unix://%2Fvar%2Frun%2Fsocket/path%7E", "http+unix://%2Fvar%2Frun%2Fsocket/path~"),
        ("http+unix://%2Fvar%2Frun%2Fsocket/path%7E", "http+unix://%2Fvar%2Frun%2Fsocket/path~"),
        (b"mailto:user@example.org", "mailto:user@example.org"),
        ("mailto:user@example.org", "mailto:user@example.org"),
        (b"data:SSDimaUgUHl0aG9uIQ==", "data:SSDimaUgUHl0aG9uIQ=="),
        ("file:///etc/passwd", "file:///etc/passwd"),
        ("magnet:?xt=urn:btih:abc", "magnet:?xt=urn:btih:abc"),
        # "host:port" reads as a scheme; requests passes it through (the adapter refuses it)
        ("localhost:3128", "localhost:3128"),
    ],
)
def test_url_mutation_non_http(url: Any, expected: str) -> None:
    assert prep(url=url).url == expected


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        (
            "http+unix://%2Fvar%2Frun%2Fsocket/path",
            {"key": "value"},
            "http+unix://%2Fvar%2Frun%2Fsocket/path?key=value",
        ),
        ("mailto:user@example.org", {"key": "value"}, "mailto:user@example.org"),
    ],
)
def test_params_for_nonstandard_schemes(url: str, params: Any, expected: str) -> None:
    assert prep(url=url, params=params).url == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://",
        b"http://*.google.com",
        b"http://*",
        "http://*.google.com",
        "http://*",
        "http://☃.net/",
        "http://.example.com",
        "http://localhost:-1",
        "http://fe80::5054:ff:fe5a:fc0",
        "http://x:99999",
        "http://x:abc",
        "http://x:123456",
        "http://[::1/",
        "http://[::1]x/",
        "http://[not-an-ip]/",
        "http:x",
        "http://@/",
        "http://a..b/",
        "http://" + "a" * 64 + ".com/",
        "http://" + "a." * 130 + "com/",
        "http://exa mple.com/",
        "http://exa%41mple.com/",
        "http://<script>/",
    ],
)
def test_invalid_urls(url: Any) -> None:
    with pytest.raises(InvalidURL):
        prep(url=url)


@pytest.mark.parametrize(
    "url",
    [
        "http+unix://sock et/",
        "http+unix://a[b]/",
        "http+unix://a%zz/",
        "http+unix://a:b:c/",
    ],
)
def test_invalid_hosts_other_schemes(url: str) -> None:
    with pytest.raises(InvalidURL):
        prep(url=url)


def test_brackets_in_credentials_of_other_schemes_are_escaped() -> None:
    p = prep(url="http+unix://u[1]:p@%2Fsock/x")
    assert p.url == "http+unix://u%5B1%5D:p@%2Fsock/x"
    assert p.headers["Authorization"] == "Basic dVsxXTpw"


def test_invalid_url_is_value_error_and_request_exception() -> None:
    with pytest.raises(ValueError):
        prep(url="http://")
    with pytest.raises(RequestException):
        prep(url="http://")


def test_invalid_url_messages() -> None:
    with pytest.raises(InvalidURL, match=r"^Invalid URL 'http://': No host supplied$"):
        prep(url="http://")
    with pytest.raises(InvalidURL, match="URL has an invalid label."):
        prep(url="http://*.example.com")
    with pytest.raises(InvalidURL, match="'x:abc' is not a valid host or port"):
        prep(url="http://x:abc")


@pytest.mark.parametrize("url", ["example.com/path", "example.com", "//example.com", "http.x:80/"])
def test_missing_schema(url: str) -> None:
    with pytest.raises(MissingSchema) as info:
        prep(url=url)
    assert str(info.value) == (
        f"Invalid URL {url!r}: No scheme supplied. Perhaps you meant https://{url}?"
    )
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/\r\nX-Injected: 1",
        "http://example.com/a\nb",
        "http://example.com/a\rb",
        "http://example.com/\x00",
        "http://exam\nple.com/",
        "http://example.com/?q=\r\n",
        "http://example.com/#\n",
        "http://example.com/\t",
        "http://example.com/\x7f",
        "http://example.com/\x1b[31m",
        "http://us\ner:pw@example.com/",
        "http://example.com\r\n",
        "http+unix://%2Fsock/\r\n",
    ],
)
def test_control_characters_in_url_refused(url: str) -> None:
    with pytest.raises(InvalidURL):
        prep(url=url)


def test_control_characters_refused_in_bytes_url() -> None:
    with pytest.raises(InvalidURL):
        prep(url=b"http://example.com/\r\nHost: evil")


@pytest.mark.parametrize(
    "url",
    [
        "http://x/" + "%" * 200_000,
        "http://" + "@" * 50_000,
        "http://" + "@" * 50_000 + "x/",
        "http://x/" + "%41" * 70_000,
        "http://x/?" + "%zz" * 70_000,
        "http://x" + "/.." * 100_000,
        "http://" + "a." * 100_000 + "com/",
        "http://" + "é" * 100_000 + ".com/",
        "http://[" + ":" * 200_000 + "]/",
        "http://x:" + "1" * 200_000 + "/",
        "http://x/" + "é" * 100_000,
        "http://x/?" + "a=b&" * 50_000,
        "http://" + "a" * 200_000,
    ],
)
def test_hostile_urls_are_fast(url: str) -> None:
    # A guard against quadratic parsing, not a benchmark: the bound is generous.
    start = time.perf_counter()
    try:
        p = prep(url=url)
        assert p.url is not None and p.url.startswith("http://")
    except InvalidURL:
        pass
    assert time.perf_counter() - start < 1.0


def test_hostile_params_are_fast() -> None:
    start = time.perf_counter()
    p = prep(url="http://x/", params={"a": "%" * 100_000, "@": "@" * 50_000})
    assert p.url is not None and p.url.startswith("http://x/?a=%25%25")
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("http://x/", {"a": "1", "b": "2"}, "http://x/?a=1&b=2"),
        ("http://x/?z=0", {"a": "1"}, "http://x/?z=0&a=1"),
        ("http://x/", [("a", "1"), ("a", "2")], "http://x/?a=1&a=2"),
        ("http://x/", {"a": ["1", "2"], "b": None}, "http://x/?a=1&a=2"),
        ("http://x/", "test=foo", "http://x/?test=foo"),
        ("http://x/", b"test=foo", "http://x/?test=foo"),
        ("http://x/", {"é": "ü ~"}, "http://x/?%C3%A9=%C3%BC+~"),
        ("http://x/#frag", {"a": "b"}, "http://x/?a=b#frag"),
        ("http://x/?", {"a": "b"}, "http://x/?a=b"),
        ("http://x/", {}, "http://x/"),
        ("http://x/", {"k": 1, "f": 1.5}, "http://x/?k=1&f=1.5"),
    ],
)
def test_params(url: str, params: Any, expected: str) -> None:
    assert prep(url=url, params=params).url == expected


def test_params_original_order_is_preserved() -> None:
    params = [("z", "1"), ("a", "2"), ("m", "3")]
    assert prep(url="http://x/", params=params).url == "http://x/?z=1&a=2&m=3"


def test_url_object_is_stringified() -> None:
    class U:
        def __str__(self) -> str:
            return "http://example.com/u"

    assert prep(url=U()).url == "http://example.com/u"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "path_url"),
    [
        ("http://x", "/"),
        ("http://x/a/b?c=d#frag", "/a/b?c=d"),
        ("http://x/a%20b?é", "/a%20b?%C3%A9"),
        ("http://u:p@x:81/p", "/p"),
    ],
)
def test_path_url(url: str, path_url: str) -> None:
    assert prep(url=url).path_url == path_url


def test_path_url_follows_a_changed_url() -> None:
    p = prep(url="http://x/first?a=1")
    assert p.path_url == "/first?a=1"
    p.url = "http://x/second"
    assert p.path_url == "/second"
    p.prepare_url("http://y/third?b", None)
    assert p.path_url == "/third?b"


# ---------------------------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("get", "GET"),
        ("Post", "POST"),
        (b"put", "PUT"),
        ("propfind", "PROPFIND"),
        ("M-SEARCH", "M-SEARCH"),
    ],
)
def test_prepare_method(method: Any, expected: str) -> None:
    p = prep(method=method)
    assert p.method == expected
    assert type(p.method) is str


def test_method_none() -> None:
    p = PreparedRequest()
    p.prepare_method(None)
    assert p.method is None


@pytest.mark.parametrize("method", ["GET\r\nX: y", "GET /", "GE\x00T", "GET\n", "", "GÉT", "GET\t"])
def test_bad_method_refused(method: str) -> None:
    with pytest.raises(ValueError):
        prep(method=method)


def test_reprs() -> None:
    assert repr(Request("get", "http://x/")) == "<Request [get]>"
    assert repr(prep("get")) == "<PreparedRequest [GET]>"


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


def test_headers_are_case_insensitive_and_keep_order() -> None:
    p = prep(headers={"X-B": "1", "x-a": "2", "Accept": "*/*"})
    assert isinstance(p.headers, CaseInsensitiveDict)
    assert list(p.headers) == ["X-B", "x-a", "Accept"]
    assert p.headers["X-A"] == "2"


def test_headers_bytes_values_and_names() -> None:
    p = prep(headers={b"X-Bytes": b"value", "X-Str": b"v2"})
    assert p.headers["X-Bytes"] == b"value"
    assert list(p.headers)[0] == "X-Bytes"
    assert type(list(p.headers)[0]) is str


def test_headers_not_copied_by_reference() -> None:
    headers = {"A": "1"}
    p = prep(headers=headers)
    p.headers["B"] = "2"
    assert headers == {"A": "1"}


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Foo": "bar\r\nX-Injected: 1"},
        {"X-Foo": "bar\n"},
        {"X-Foo": "bar\rbaz"},
        {"X-Foo": "a\x00b"},
        {"X-Foo": b"bar\r\nX: 1"},
        {"X-Foo": b"a\x00b"},
        {"X-Foo": " leading space"},
        {"X-Foo": "\tleading tab"},
        {"X-Foo\r\n": "v"},
        {"X:Foo": "v"},
        {" X-Foo": "v"},
        {"X-Foo": 3},
        {"X-Foo": None},
        {"X-Foo": ["a"]},
        {3: "v"},
    ],
)
def test_invalid_headers(headers: Any) -> None:
    with pytest.raises(InvalidHeader):
        prep(headers=headers)
    # Refused every time, not only the first (validation results are cached).
    with pytest.raises(InvalidHeader):
        prep(headers=headers)


def test_valid_header_checked_once_is_still_accepted() -> None:
    for _ in range(3):
        assert prep(headers={"X-Repeat": "same"}).headers["x-repeat"] == "same"


def test_header_validation_cache_is_bounded() -> None:
    from httpcore_lite import models

    for i in range(models._VALID_HEADERS_MAX * 2 + 5):
        prep(headers={"X-N": str(i)})
    assert len(models._VALID_HEADERS) <= models._VALID_HEADERS_MAX


def test_host_header_not_set_by_models() -> None:
    assert "Host" not in prep().headers


# ---------------------------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------------------------


def test_no_body_get_head_have_no_content_length() -> None:
    for method in ("GET", "HEAD"):
        p = prep(method)
        assert p.body is None
        assert "Content-Length" not in p.headers
        assert "Transfer-Encoding" not in p.headers


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_no_body_other_methods_send_content_length_zero(method: str) -> None:
    p = prep(method)
    assert p.body is None
    assert p.headers["Content-Length"] == "0"


def test_empty_data_post_content_length_zero() -> None:
    for data in (b"", "", {}, []):
        p = prep("POST", data=data)
        assert p.headers["Content-Length"] == "0"


def test_explicit_content_length_kept_without_body() -> None:
    p = prep("POST", headers={"Content-Length": "5"})
    assert p.headers["Content-Length"] == "5"


def test_json_body() -> None:
    p = prep("POST", json={"a": "é", "b": [1, 2.5, None, True]})
    assert p.headers["Content-Type"] == "application/json"
    assert isinstance(p.body, bytes)
    assert p.body == b'{"a": "\\u00e9", "b": [1, 2.5, null, true]}'
    assert p.headers["Content-Length"] == str(len(p.body))
    assert json.loads(p.body) == {"a": "é", "b": [1, 2.5, None, True]}


def test_json_keeps_explicit_content_type() -> None:
    p = prep("POST", json=[1], headers={"content-type": "application/vnd.api+json"})
    assert p.headers["Content-Type"] == "application/vnd.api+json"


def test_json_falsy_values_are_sent() -> None:
    assert prep("POST", json=[]).body == b"[]"
    assert prep("POST", json=0).body == b"0"
    assert prep("POST", json="").body == b'""'


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {"x": float("-inf")}])
def test_json_nan_refused(value: Any) -> None:
    with pytest.raises(InvalidJSONError) as info:
        prep("POST", json=value)
    assert info.value.request is not None


def test_json_unserializable_raises_invalid_json_error() -> None:
    # requests lets json's TypeError escape; ours is an InvalidJSONError with it as the cause.
    from httpcore_lite.exceptions import InvalidJSONError

    with pytest.raises(InvalidJSONError) as info:
        prep("POST", json={"a": object()})
    assert isinstance(info.value.__cause__, TypeError)


def test_data_wins_over_json() -> None:
    p = prep("POST", data={"a": "1"}, json={"b": 2})
    assert p.body == "a=1"
    assert p.headers["Content-Type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({"a": "1", "b": "x y"}, "a=1&b=x+y"),
        ([("a", "1"), ("a", "2")], "a=1&a=2"),
        ((("a", "1"),), "a=1"),
        ({"a": ["1", "2"], "n": None}, "a=1&a=2"),
        ({"é": "ü"}, "%C3%A9=%C3%BC"),
        ({b"k": b"v"}, "k=v"),
    ],
)
def test_form_body(data: Any, body: str) -> None:
    p = prep("POST", data=data)
    assert p.body == body
    assert p.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert p.headers["Content-Length"] == str(len(body))


def test_form_keeps_explicit_content_type() -> None:
    p = prep("POST", data={"a": "1"}, headers={"Content-Type": "text/plain"})
    assert p.headers["Content-Type"] == "text/plain"


@pytest.mark.parametrize(("data", "length"), [("héllo", "6"), ("abc", "3"), (b"\x00\xff", "2")])
def test_str_and_bytes_bodies_sent_as_is(data: Any, length: str) -> None:
    p = prep("PUT", data=data)
    assert p.body == data
    assert "Content-Type" not in p.headers
    assert p.headers["Content-Length"] == length
    assert "Transfer-Encoding" not in p.headers


def test_file_body_content_length_and_position() -> None:
    f = io.BytesIO(b"0123456789")
    f.seek(4)
    p = prep("POST", data=f)
    assert p.body is f
    assert p.headers["Content-Length"] == "6"
    assert "Transfer-Encoding" not in p.headers
    assert p._body_position == 4


def test_real_file_body(tmp_path: Any) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 1000)
    with open(path, "rb") as f:
        p = prep("POST", data=f)
        assert p.headers["Content-Length"] == "1000"
        assert p._body_position == 0
        assert "Content-Type" not in p.headers


def test_empty_stream_is_chunked() -> None:
    p = prep("POST", data=io.BytesIO(b""), auth=("user", "pass"))
    assert p.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in p.headers


def test_stream_with_auth_keeps_content_length() -> None:
    p = prep("POST", data=io.BytesIO(b"test data"), auth=("user", "pass"))
    assert p.headers["Content-Length"] == "9"
    assert "Transfer-Encoding" not in p.headers


def test_generator_body_is_chunked() -> None:
    def gen() -> Iterator[bytes]:
        yield b"a"
        yield b"b"

    body = gen()
    p = prep("POST", data=body)
    assert p.body is body
    assert p.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in p.headers
    assert p._body_position is None


def test_iterable_without_len_is_chunked() -> None:
    class Chunks:
        def __iter__(self) -> Iterator[bytes]:
            return iter([b"a", b"b"])

    p = prep("POST", data=Chunks())
    assert p.headers["Transfer-Encoding"] == "chunked"


def test_tell_failure_gives_sentinel_position() -> None:
    class NoTell(io.BytesIO):
        def tell(self) -> int:
            raise OSError("not seekable")

    p = prep("POST", data=NoTell(b"abc"))
    assert p._body_position is not None
    assert not isinstance(p._body_position, int)


def test_non_stream_body_has_no_position() -> None:
    assert prep("POST", data=b"the data")._body_position is None


def test_stream_and_files_are_exclusive() -> None:
    with pytest.raises(NotImplementedError):
        prep("POST", data=io.BytesIO(b"x"), files={"f": b"y"})


def test_content_length_is_native_str() -> None:
    p = prep("POST", data=b"abc")
    assert type(p.headers["Content-Length"]) is str


def test_encode_params_passthrough() -> None:
    f = io.BytesIO(b"")
    assert PreparedRequest._encode_params("a=b") == "a=b"
    assert PreparedRequest._encode_params(b"a=b") == b"a=b"
    assert PreparedRequest._encode_params(f) is f
    assert PreparedRequest._encode_params(5) == 5
    assert PreparedRequest._encode_params({"a": "b"}) == "a=b"


# ---------------------------------------------------------------------------------------------
# Auth
# ---------------------------------------------------------------------------------------------


def test_basic_auth_tuple() -> None:
    p = prep(auth=("user", "pass"))
    assert p.headers["Authorization"] == "Basic dXNlcjpwYXNz"
    assert type(p.headers["Authorization"]) is str


def test_auth_from_url() -> None:
    p = prep(url="http://us%40er:p%3Ass@example.com/path")
    # "us@er:p:ss" in base64
    assert p.headers["Authorization"] == "Basic dXNAZXI6cDpzcw=="
    # The credentials stay in the URL, as requests keeps them (the transport strips them).
    assert p.url == "http://us%40er:p%3Ass@example.com/path"


def test_explicit_auth_wins_over_url() -> None:
    p = prep(url="http://a:b@example.com/", auth=("user", "pass"))
    assert p.headers["Authorization"] == "Basic dXNlcjpwYXNz"


def test_no_auth_without_credentials() -> None:
    assert "Authorization" not in prep(url="http://example.com/a@b").headers


def test_callable_auth_applied_last_and_length_recomputed() -> None:
    seen: dict[str, Any] = {}

    def sign(r: PreparedRequest) -> PreparedRequest:
        seen["body"] = r.body
        seen["cookie"] = r.headers.get("Cookie")
        r.body = b"signed:" + r.body
        r.headers["X-Sig"] = "1"
        return r

    p = prep("POST", data=b"abc", auth=sign, cookies={"c": "1"})
    assert seen == {"body": b"abc", "cookie": "c=1"}
    assert p.body == b"signed:abc"
    assert p.headers["Content-Length"] == "10"
    assert p.headers["X-Sig"] == "1"


def test_callable_auth_returning_new_object_is_merged() -> None:
    def replace(r: PreparedRequest) -> PreparedRequest:
        new = r.copy()
        new.headers["X-New"] = "yes"
        new.url = "http://example.com/signed"
        return new

    p = prep(auth=replace)
    assert p.headers["X-New"] == "yes"
    assert p.url == "http://example.com/signed"


# ---------------------------------------------------------------------------------------------
# Cookies
# ---------------------------------------------------------------------------------------------


def test_cookies_dict() -> None:
    p = prep(cookies={"a": "1", "b": "2"})
    assert p.headers["Cookie"] == "a=1; b=2"
    assert isinstance(p._cookies, RequestsCookieJar)


def test_cookies_jar_used_as_is() -> None:
    jar = cookiejar_from_dict({"k": "v"})
    p = prep(cookies=jar)
    assert p._cookies is jar
    assert p.headers["Cookie"] == "k=v"


def test_plain_cookiejar_accepted() -> None:
    jar = CookieJar()
    p = prep(cookies=jar)
    assert p._cookies is jar
    assert "Cookie" not in p.headers


def test_explicit_cookie_header_not_overwritten() -> None:
    p = prep(cookies={"a": "1"}, headers={"Cookie": "mine=1"})
    assert p.headers["Cookie"] == "mine=1"


def test_no_cookies_no_header() -> None:
    p = prep()
    assert "Cookie" not in p.headers
    assert isinstance(p._cookies, CookieJar)


def test_cookies_only_for_matching_domain() -> None:
    jar = RequestsCookieJar()
    jar.set("a", "1", domain="other.example", path="/")
    assert "Cookie" not in prep(url="http://example.com/", cookies=jar).headers


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


def hook_a(r: Any, **kwargs: Any) -> None:
    return None


def hook_b(r: Any, **kwargs: Any) -> None:
    return None


def test_hooks_from_request() -> None:
    p = prep(hooks={"response": [hook_a, hook_b]})
    assert p.hooks == {"response": [hook_a, hook_b]}
    p = prep(hooks={"response": hook_a})
    assert p.hooks == {"response": [hook_a]}


def test_hooks_non_callables_filtered() -> None:
    r = Request("GET", "http://x/", hooks={"response": [hook_a, "nope", 3]})
    assert r.hooks == {"response": [hook_a]}


def test_unsupported_hook_event() -> None:
    with pytest.raises(ValueError, match='Unsupported event specified, with event name "nope"'):
        Request("GET", "http://x/", hooks={"nope": hook_a})


def test_register_and_deregister() -> None:
    r = Request("GET", "http://x/")
    r.register_hook("response", hook_a)
    r.register_hook("response", [hook_b])
    assert r.hooks["response"] == [hook_a, hook_b]
    assert r.deregister_hook("response", hook_a) is True
    assert r.deregister_hook("response", hook_a) is False
    p = r.prepare()
    assert p.hooks["response"] == [hook_b]
    assert p.deregister_hook("response", hook_b) is True


def test_prepare_hooks_none() -> None:
    p = PreparedRequest()
    p.prepare_hooks(None)
    assert p.hooks == {"response": []}


def test_request_defaults() -> None:
    r = Request()
    assert (r.method, r.url, r.json, r.auth, r.cookies) == (None, None, None, None, None)
    assert (r.headers, r.files, r.data, r.params) == ({}, [], [], {})
    assert r.hooks == {"response": []}
    # Fresh containers per request, never shared defaults.
    assert Request().headers is not r.headers


# ---------------------------------------------------------------------------------------------
# copy()
# ---------------------------------------------------------------------------------------------


def _assert_copy(p: PreparedRequest, c: PreparedRequest) -> None:
    for attr in ("method", "url", "headers", "_cookies", "body", "hooks", "_body_position"):
        assert getattr(p, attr) == getattr(c, attr)


def test_copy_empty() -> None:
    p = PreparedRequest()
    c = p.copy()
    _assert_copy(p, c)
    assert c.headers is None


def test_copy_complete_is_independent() -> None:
    f = io.BytesIO(b"body")
    p = prep("POST", "http://x/path?q", headers={"A": "1"}, cookies={"c": "1"}, data=f)
    c = p.copy()
    _assert_copy(p, c)
    c.headers["B"] = "2"
    assert "B" not in p.headers
    assert c._cookies is not p._cookies
    c._cookies.set("d", "2")
    assert "d" not in p._cookies
    assert c.body is f
    assert c.path_url == "/path?q"


def test_prepared_request_updated_each_time() -> None:
    r = Request("GET", "http://x/")
    p1 = r.prepare()
    r.url = "http://y/"
    p2 = r.prepare()
    assert (p1.url, p2.url) == ("http://x/", "http://y/")


# ---------------------------------------------------------------------------------------------
# Cases from requests' own suite
# ---------------------------------------------------------------------------------------------


def test_long_authinfo_and_63_character_label() -> None:
    url = "http://{}:{}@{}:9000/path?query#frag".format(
        "E8A3BE87-9E3F-4620-8858-95478E385B5B",
        "EA770032-DA4D-4D84-8CE9-29C6D910BF1E",
        "exactly-------------sixty-----------three------------characters",
    )
    assert prep(url=url).url == url


def test_prepared_request_pickles() -> None:
    import pickle

    p = prep(
        "POST",
        "http://x/a?b",
        data=io.BytesIO(b"abc"),
        cookies={"a": "b"},
        hooks={"response": hook_a},
    )
    q = pickle.loads(pickle.dumps(p))
    assert (q.method, q.url, q.path_url) == ("POST", "http://x/a?b", "/a?b")
    assert q.headers == p.headers
    assert q.body.read() == b"abc"
    assert q.hooks == {"response": [hook_a]}
    assert q._cookies["a"] == "b"


def test_iterable_with_failing_tell() -> None:
    class BadFileObj:
        def tell(self) -> int:
            raise OSError()

        def __iter__(self) -> Iterator[bytes]:
            return iter(())

    p = prep(data=BadFileObj())
    assert p._body_position is not None
    assert p.headers["Transfer-Encoding"] == "chunked"


@pytest.mark.parametrize("value", ["foo", b"foo", bytearray(b"foo")])
def test_files_accept_str_bytes_bytearray(value: Any) -> None:
    p = prep("POST", data={"a": "this is a string"}, files={"b": value})
    assert "multipart/form-data" in p.headers["Content-Type"]
    assert b"\r\n\r\nfoo\r\n" in p.body


def test_file_object_with_non_string_name() -> None:
    f = io.BytesIO(b"x")
    f.name = 2  # type: ignore[attr-defined]
    p = prep("POST", files={"f": f})
    assert b'name="f"; filename="f"' in p.body


def test_header_subclass_types() -> None:
    class MyString(str):
        pass

    class MyBytes(bytes):
        pass

    p = prep(headers={MyString("x-custom"): MyBytes(b"myvalue")})
    assert p.headers["x-custom"] == b"myvalue"


def test_custom_mapping_data() -> None:
    from collections import UserDict

    p = prep("POST", data=UserDict({"a": "1"}))
    assert p.body == "a=1"


def test_data_tuples_and_dicts_encode_like_urlencode() -> None:
    from urllib.parse import urlencode

    for data in ((("a", "b"), ("c", "d")), {"a": "b", "c": "d"}):
        p = PreparedRequest()
        p.prepare(method="GET", url="http://www.example.com", data=data)
        assert p.body == urlencode(data)


# ---------------------------------------------------------------------------------------------
# Robustness: any text gives a URL or one of our errors, never another exception
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http+unix://0/\ud800", "http://x/\udfff", "http://\ud800/"])
def test_lone_surrogates_refused(url: str) -> None:
    with pytest.raises(InvalidURL):
        prep(url=url)


def test_unparseable_passthrough_url_has_no_credentials() -> None:
    # urlparse raises on "[" here; that must not escape from prepare_auth.
    p = prep(url="//:@[")
    assert p.url == "//:@["
    assert "Authorization" not in p.headers


_URL_ALPHABET = "aZ09-._~!$&'()*+,;=:@/?#[]% \\\"<>{}|^`\r\n\x00\téß☃\ud800"


@settings(max_examples=400, deadline=None)
@given(
    scheme=st.sampled_from(["http://", "https://", "HTTP://", "http+unix://", "", "//", "mailto:"]),
    rest=st.text(alphabet=_URL_ALPHABET, max_size=40),
    params=st.sampled_from([None, {"a": "b"}, {"é": "%"}, "x=y", b"k=v"]),
)
def test_prepare_url_only_raises_our_errors(scheme: str, rest: str, params: Any) -> None:
    p = PreparedRequest()
    try:
        p.prepare(method="GET", url=scheme + rest, params=params)
    except (InvalidURL, MissingSchema):
        return
    assert p.url is not None
    if p.url.startswith(("http://", "https://")):
        assert not any(c in p.url for c in "\r\n\x00\t ")
        assert p.path_url.startswith("/")


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(alphabet="Xa-:\r\n\x00\t é", min_size=1, max_size=8),
    value=st.one_of(
        st.text(alphabet="va \r\n\x00\t\x0bé", max_size=8),
        st.binary(max_size=8),
        st.integers(),
    ),
)
def test_prepare_headers_refuses_what_could_split_a_header(name: str, value: Any) -> None:
    try:
        p = prep(headers={name: value})
    except InvalidHeader:
        return
    stored = p.headers[name]
    text = stored.decode("latin-1") if isinstance(stored, bytes) else stored
    assert isinstance(stored, (str, bytes))
    assert not any(c in name for c in ":\r\n")
    assert not any(c in text for c in "\r\n\x00")


class TestUnsendableInput:
    """Input that cannot be sent is refused while preparing, with an exception of ours."""

    @pytest.mark.parametrize("data", [5, 2.5, object()])
    def test_body_of_unsendable_type(self, data: object) -> None:
        from httpcore_lite.exceptions import InvalidBodyError, RequestException

        with pytest.raises(InvalidBodyError) as info:
            Request("POST", "http://127.0.0.1/", data=data).prepare()
        assert isinstance(info.value, RequestException)
        assert isinstance(info.value, TypeError)
        assert type(data).__name__ in str(info.value)

    def test_unserialisable_json(self) -> None:
        from httpcore_lite.exceptions import InvalidJSONError

        with pytest.raises(InvalidJSONError) as info:
            Request("POST", "http://127.0.0.1/", json={1, 2}).prepare()
        assert isinstance(info.value.__cause__, TypeError)
