"""Tests of Response: body access, streaming, decoding, errors, pickling. No sockets needed."""

from __future__ import annotations

import datetime
import io
import json
import pickle
from collections.abc import Iterator
from typing import Any, Optional

import pytest

from httpcore_lite.cookies import RequestsCookieJar
from httpcore_lite.exceptions import HTTPError, JSONDecodeError, StreamConsumedError
from httpcore_lite.models import Request, Response
from httpcore_lite.structures import CaseInsensitiveDict


class StreamRaw:
    """A raw object shaped like the transport's: stream(amt, decode_content), close, release."""

    def __init__(self, data: bytes, piece: int = 3) -> None:
        self._data = data
        self.piece = piece
        self.calls: list[tuple[Optional[int], Any]] = []
        self.closed = False
        self.released = 0

    def stream(self, amt: Optional[int] = 65536, decode_content: Any = None) -> Iterator[bytes]:
        self.calls.append((amt, decode_content))
        # Deliberately uneven pieces: decoded data need not come in chunk_size units.
        for i in range(0, len(self._data), self.piece):
            yield self._data[i : i + self.piece]

    def read(self, amt: Optional[int] = None) -> bytes:  # pragma: no cover - must not be used
        raise AssertionError("stream() must be preferred over read()")

    def close(self) -> None:
        self.closed = True

    def release_conn(self) -> None:
        self.released += 1


class ClosingBytesIO(io.BytesIO):
    closed_by_response = False

    def close(self) -> None:
        self.closed_by_response = True
        super().close()


def make(
    body: bytes = b"",
    status: int = 200,
    headers: Optional[dict[str, str]] = None,
    encoding: Optional[str] = None,
    raw: Any = None,
    reason: Any = "OK",
    url: str = "http://example.com/",
) -> Response:
    r = Response()
    r.status_code = status
    r.reason = reason
    r.headers = CaseInsensitiveDict(headers or {})
    r.raw = io.BytesIO(body) if raw is None else raw
    r.encoding = encoding
    r.url = url
    return r


def test_defaults() -> None:
    r = Response()
    assert r._content is False
    assert r._content_consumed is False
    assert r._next is None
    assert r.status_code is None
    assert isinstance(r.headers, CaseInsensitiveDict) and len(r.headers) == 0
    assert (r.raw, r.url, r.encoding, r.reason, r.request) == (None, None, None, None, None)
    assert r.history == []
    assert r.elapsed == datetime.timedelta(0)
    assert isinstance(r.cookies, RequestsCookieJar)
    assert len(r.cookies) == 0
    # Each response has its own containers.
    assert Response().history is not r.history
    assert Response().cookies is not r.cookies


def test_cookie_jar_made_on_first_use_only() -> None:
    r = Response()
    assert r._cookie_jar is None  # the hot path allocates no jar
    jar = r.cookies
    assert r.cookies is jar


def test_cookies_settable() -> None:
    r = Response()
    jar = RequestsCookieJar()
    jar.set("a", "1")
    r.cookies = jar
    assert r.cookies is jar
    assert r.cookies["a"] == "1"


def test_repr_bool_ok() -> None:
    assert repr(make(status=200)) == "<Response [200]>"
    assert make(status=200).ok and bool(make(status=200))
    assert make(status=302).ok and bool(make(status=399))
    assert not make(status=404).ok and not bool(make(status=404))
    assert not make(status=500) and not make(status=599).ok
    assert make(status=600).ok  # outside 4xx/5xx: not an error, as in requests


@pytest.mark.parametrize(
    ("status", "location", "redirect", "permanent"),
    [
        (301, True, True, True),
        (302, True, True, False),
        (303, True, True, False),
        (307, True, True, False),
        (308, True, True, True),
        (301, False, False, False),
        (300, True, False, False),
        (200, True, False, False),
    ],
)
def test_is_redirect(status: int, location: bool, redirect: bool, permanent: bool) -> None:
    r = make(status=status, headers={"Location": "/x"} if location else {})
    assert r.is_redirect is redirect
    assert r.is_permanent_redirect is permanent


def test_next() -> None:
    r = make()
    assert r.next is None
    p = Request("GET", "http://x/").prepare()
    r._next = p
    assert r.next is p


def test_content_read_once_and_kept() -> None:
    raw = io.BytesIO(b"hello world")
    r = make(raw=raw)
    assert r.content == b"hello world"
    assert r.content == b"hello world"
    assert r._content_consumed is True
    assert raw.read() == b""


def test_content_none_without_raw_or_status_zero() -> None:
    r = Response()
    assert r.content is None
    assert r.text == ""
    r = make(b"data", status=0)
    assert r.content is None


def test_content_empty_body_is_bytes() -> None:
    assert make(b"").content == b""


def test_content_after_streaming_raises() -> None:
    r = make(b"abc")
    assert b"".join(r.iter_content(2)) == b"abc"
    with pytest.raises(RuntimeError, match="already consumed"):
        _ = r.content


def test_iter_content_uses_stream_with_decode_content() -> None:
    raw = StreamRaw(b"abcdefghij", piece=4)
    r = make(raw=raw)
    assert list(r.iter_content(7)) == [b"abcd", b"efgh", b"ij"]
    assert raw.calls == [(7, True)]
    assert r._content_consumed is True


def test_iter_content_read_loop() -> None:
    r = make(b"abcdefg")
    assert list(r.iter_content(3)) == [b"abc", b"def", b"g"]


def test_iter_content_none_chunk_size() -> None:
    r = make(b"abcdefg")
    assert list(r.iter_content(None)) == [b"abcdefg"]


def test_iter_content_twice_raises_stream_consumed() -> None:
    r = make(b"abc")
    list(r.iter_content())
    with pytest.raises(StreamConsumedError):
        r.iter_content()
    with pytest.raises(TypeError):  # StreamConsumedError is a TypeError too
        r.iter_content()


def test_iter_content_slices_of_read_content() -> None:
    r = make(b"0123456789")
    assert r.content == b"0123456789"
    assert list(r.iter_content(4)) == [b"0123", b"4567", b"89"]
    assert list(r.iter_content(4)) == [b"0123", b"4567", b"89"]


def test_iter_content_with_preset_content() -> None:
    # The protocol core builds buffered responses with _content set and raw None.
    r = Response()
    r._content = b"abcdef"
    r._content_consumed = True
    assert list(r.iter_content(4)) == [b"abcd", b"ef"]
    assert r.content == b"abcdef"
    assert list(r) == [b"abcdef"]


def test_iter_content_consumed_none_content() -> None:
    r = Response()
    r._content = None
    r._content_consumed = True
    assert list(r.iter_content(4)) == []


@pytest.mark.parametrize("chunk_size", ["1", 1.5, b"1"])
def test_iter_content_bad_chunk_size(chunk_size: Any) -> None:
    with pytest.raises(TypeError, match="chunk_size must be an int"):
        make(b"abc").iter_content(chunk_size)


def test_iter_content_decode_unicode() -> None:
    body = "héllo wörld".encode()
    r = make(body, encoding="utf-8")
    chunks = list(r.iter_content(1, decode_unicode=True))
    assert all(isinstance(c, str) for c in chunks)
    assert "".join(chunks) == "héllo wörld"


def test_iter_content_decode_unicode_without_encoding_yields_bytes() -> None:
    r = make(b"abc")
    assert b"".join(r.iter_content(1, decode_unicode=True)) == b"abc"


def test_dunder_iter_uses_128_byte_chunks() -> None:
    raw = StreamRaw(b"x" * 300, piece=1000)
    r = make(raw=raw)
    assert b"".join(r) == b"x" * 300
    assert raw.calls == [(128, True)]
    r2 = make(b"y" * 300)
    assert [len(c) for c in r2] == [128, 128, 44]


@pytest.mark.parametrize(
    ("body", "chunk", "delimiter", "lines"),
    [
        (b"a\nbb\nccc", 512, None, [b"a", b"bb", b"ccc"]),
        (b"a\nbb\nccc\n", 2, None, [b"a", b"bb", b"ccc"]),
        (b"line one\r\nline two\r\n", 64, None, [b"line one", b"line two"]),
        (b"a\r\nb", 2, None, [b"a", b"", b"b"]),  # requests' known CR LF split
        # requests' pending-line logic, quirks included: a delimiter ending a chunk gives an
        # extra empty line
        (b"a;b;;c", 2, b";", [b"a", b"", b"b", b"", b"", b"c"]),
        (b"a;b;;c", 512, b";", [b"a", b"b", b"", b"c"]),
        (b"a;b;", 512, b";", [b"a", b"b", b""]),
        (b"", 4, None, []),
        (b"abcdefgh", 3, None, [b"abcdefgh"]),
        (b"\n\n", 1, None, [b"", b""]),
    ],
)
def test_iter_lines(body: bytes, chunk: int, delimiter: Any, lines: list[bytes]) -> None:
    r = make(body)
    assert list(r.iter_lines(chunk_size=chunk, delimiter=delimiter)) == lines


def test_iter_lines_decode_unicode() -> None:
    r = make("ünï\ncödé\n".encode(), encoding="utf-8")
    assert list(r.iter_lines(chunk_size=1, decode_unicode=True)) == ["ünï", "cödé"]


def test_iter_lines_after_content() -> None:
    r = make(b"a\nb\n")
    assert r.content == b"a\nb\n"
    assert list(r.iter_lines()) == [b"a", b"b"]
    assert list(r.iter_lines()) == [b"a", b"b"]


def test_text_with_declared_encoding() -> None:
    assert make("é".encode("latin-1"), encoding="latin-1").text == "é"
    assert make("é".encode(), encoding="utf-8").text == "é"


def test_text_replaces_undecodable_bytes() -> None:
    assert make(b"ok \xff\xfe", encoding="utf-8").text == "ok \ufffd\ufffd"


def test_text_unknown_encoding_falls_back_to_utf8() -> None:
    assert make("é".encode(), encoding="no-such-codec").text == "é"


def test_text_uses_apparent_encoding() -> None:
    body = "Ceci est un texte français, écrit avec des accents: été, noël, où.".encode()
    r = make(body)
    assert r.apparent_encoding == "utf-8"
    assert r.text == body.decode()


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (b"plain ascii text", "ascii"),
        (b"", "utf-8"),
        ("\ufeffhello".encode(), "UTF-8-SIG"),
        (
            "Ceci est un texte français, écrit avec des accents: été, noël, très.".encode("cp1252"),
            "Windows-1252",
        ),
        (bytes(range(256)) * 4, None),
    ],
)
def test_apparent_encoding_names_like_requests(body: bytes, name: Optional[str]) -> None:
    # chardet-style names, as requests reports them (not Python codec names like "utf_8").
    assert make(body).apparent_encoding == name


def test_text_of_undetectable_binary_falls_back_to_utf8_replace() -> None:
    body = bytes(range(256)) * 4
    assert make(body).text == body.decode("utf-8", errors="replace")


def test_json() -> None:
    r = make(b'{"a": [1, 2], "b": "\xc3\xa9"}')
    assert r.json() == {"a": [1, 2], "b": "é"}


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_json_guesses_utf_flavour(codec: str) -> None:
    r = make(json.dumps({"k": "välue"}).encode(codec))
    assert r.json() == {"k": "välue"}


def test_json_with_declared_encoding_and_kwargs() -> None:
    r = make(b'{"n": 1.5}', encoding="utf-8")
    from decimal import Decimal

    assert r.json(parse_float=Decimal) == {"n": Decimal("1.5")}


@pytest.mark.parametrize("body", [b"not json", b"{", b"", b"{'a': 1}"])
def test_json_error(body: bytes) -> None:
    r = make(body, encoding="utf-8" if body == b"" else None)
    with pytest.raises(JSONDecodeError) as info:
        r.json()
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err, json.JSONDecodeError)
    assert err.doc == body.decode()
    assert isinstance(err.pos, int)
    assert err.msg


def test_json_error_pickles() -> None:
    with pytest.raises(JSONDecodeError) as info:
        make(b"nope").json()
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.msg, again.doc, again.pos) == (info.value.msg, info.value.doc, info.value.pos)


def test_links() -> None:
    r = make(
        headers={
            "Link": '<https://api.example/?page=2>; rel="next", '
            '<https://api.example/?page=5>; rel="last", <https://norel.example/>'
        }
    )
    links = r.links
    assert links["next"]["url"] == "https://api.example/?page=2"
    assert links["last"]["rel"] == "last"
    assert links["https://norel.example/"] == {"url": "https://norel.example/"}
    assert make().links == {}


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        (404, "NOT FOUND", "404 Client Error: NOT FOUND for url: http://example.com/"),
        (400, "Bad Request", "400 Client Error: Bad Request for url: http://example.com/"),
        (503, "Unavailable", "503 Server Error: Unavailable for url: http://example.com/"),
        (500, "ünïcode".encode(), "500 Server Error: ünïcode for url: http://example.com/"),
        (
            418,
            "caf\xe9".encode("latin-1"),
            "418 Client Error: caf\xe9 for url: http://example.com/",
        ),
        (404, None, "404 Client Error: None for url: http://example.com/"),
    ],
)
def test_raise_for_status(status: int, reason: Any, message: str) -> None:
    r = make(status=status, reason=reason)
    with pytest.raises(HTTPError) as info:
        r.raise_for_status()
    assert str(info.value) == message
    assert info.value.response is r


@pytest.mark.parametrize("status", [100, 200, 204, 301, 399, 600])
def test_raise_for_status_ok(status: int) -> None:
    make(status=status).raise_for_status()


def test_raise_for_status_carries_request() -> None:
    r = make(status=500)
    r.request = Request("GET", "http://example.com/").prepare()
    with pytest.raises(HTTPError) as info:
        r.raise_for_status()
    assert info.value.request is r.request


def test_close_unread_closes_then_releases() -> None:
    raw = StreamRaw(b"abc")
    r = make(raw=raw)
    r.close()
    assert raw.closed is True
    assert raw.released == 1


def test_close_after_read_only_releases() -> None:
    raw = StreamRaw(b"abc")
    r = make(raw=raw)
    assert r.content == b"abc"
    r.close()
    assert raw.closed is False
    assert raw.released == 1


def test_close_without_release_conn_and_without_raw() -> None:
    raw = ClosingBytesIO(b"x")
    make(raw=raw).close()
    assert raw.closed_by_response is True
    Response().close()  # no raw: nothing to do, no error


def test_context_manager_closes() -> None:
    raw = StreamRaw(b"abc")
    with make(raw=raw) as r:
        assert r.status_code == 200
    assert raw.closed is True
    assert raw.released == 1


def test_pickle_reads_content_and_drops_raw() -> None:
    r = make(b"payload", status=201, headers={"X-A": "1"}, encoding="utf-8", reason="Created")
    r.history = [make(b"", status=301)]
    r.cookies.set("c", "v")
    r.request = Request("GET", "http://example.com/").prepare()
    r.elapsed = datetime.timedelta(seconds=2)
    again = pickle.loads(pickle.dumps(r))
    assert again.content == b"payload"
    assert again.status_code == 201
    assert again.headers["x-a"] == "1"
    assert again.encoding == "utf-8"
    assert again.reason == "Created"
    assert again.url == "http://example.com/"
    assert again.raw is None
    assert again._content_consumed is True
    assert again.cookies["c"] == "v"
    assert again.elapsed == datetime.timedelta(seconds=2)
    assert again.request.url == "http://example.com/"
    assert [h.status_code for h in again.history] == [301]
    assert again.next is None
    assert again.text == "payload"
    assert list(again.iter_content(3)) == [b"pay", b"loa", b"d"]


def test_pickle_of_streaming_response_reads_body_first() -> None:
    raw = StreamRaw(b"streamed")
    r = make(raw=raw)
    again = pickle.loads(pickle.dumps(r))
    assert again.content == b"streamed"
    assert raw.calls == [(10 * 1024, True)]


def test_state_attrs_list() -> None:
    assert Response.__attrs__ == [
        "_content",
        "status_code",
        "headers",
        "url",
        "history",
        "encoding",
        "reason",
        "cookies",
        "elapsed",
        "request",
    ]
