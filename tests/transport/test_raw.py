"""Response.raw: urllib3's HTTPResponse surface over a real connection to httpbin."""

from __future__ import annotations

import gzip
import io
import shutil

import httpcore_lite
from httpcore_lite.adapters import HTTPAdapter, Retry


def test_surface(httpbin_url: str) -> None:
    r = httpcore_lite.get(httpbin_url + "/bytes/100?seed=1", stream=True, timeout=10)
    raw = r.raw
    assert (raw.status, raw.reason, raw.version) == (200, "OK", 11)
    assert raw.headers["Content-Length"] == "100"
    assert raw.readable() and not raw.closed
    assert raw._request_url == httpbin_url + "/bytes/100?seed=1"
    assert raw._original_response.msg.get_all("content-length") == ["100"]
    assert isinstance(raw.retries, Retry)
    assert raw.read(10) == _first(httpbin_url, 10)
    assert raw.tell() >= 10
    assert len(raw.read()) == 90
    assert raw.closed
    raw.release_conn()
    raw.drain_conn()


def _first(httpbin_url: str, n: int) -> bytes:
    return httpcore_lite.get(httpbin_url + "/bytes/100?seed=1", timeout=10).content[:n]


def test_decode_content_settable_and_per_call(httpbin_url: str) -> None:
    r = httpcore_lite.get(httpbin_url + "/gzip", stream=True, timeout=10)
    r.raw.decode_content = False
    compressed = r.raw.read()
    assert b'"gzipped": true' in gzip.decompress(compressed)
    r = httpcore_lite.get(httpbin_url + "/gzip", stream=True, timeout=10)
    assert b'"gzipped": true' in r.raw.read(decode_content=True)


def test_copyfileobj_decodes(httpbin_url: str) -> None:
    r = httpcore_lite.get(httpbin_url + "/gzip", stream=True, timeout=10)
    r.raw.decode_content = True
    out = io.BytesIO()
    shutil.copyfileobj(r.raw, out)
    assert b'"gzipped": true' in out.getvalue()


def test_stream_pieces(httpbin_url: str) -> None:
    r = httpcore_lite.get(httpbin_url + "/bytes/1000", stream=True, timeout=10)
    pieces = list(r.raw.stream(300))
    assert [len(p) for p in pieces] == [300, 300, 300, 100]


def test_stream_pieces_and_reads_in_between_keep_the_body_in_order(httpbin_url: str) -> None:
    whole = httpcore_lite.get(httpbin_url + "/range/5000?chunk_size=5000", timeout=10).content
    r = httpcore_lite.get(httpbin_url + "/range/5000?chunk_size=5000", stream=True, timeout=10)
    pieces = r.raw.stream(1000)
    got = [next(pieces), r.raw.read(7), next(pieces), r.raw.read(500), *pieces]
    assert b"".join(got) == whole
    assert [len(p) for p in got] == [1000, 7, 1000, 500, 1000, 1000, 493]
    assert r.raw.closed


def test_fp_wrapped_sees_the_body_and_its_end(httpbin_url: str) -> None:
    """A wrapper assigned to _fp (a cache teeing the body) reads all of it, then sees closed."""

    class Tee:
        def __init__(self, fp):  # type: ignore[no-untyped-def]
            self.fp, self.seen, self.ended = fp, b"", False

        def read(self, amt=None):  # type: ignore[no-untyped-def]
            data = self.fp.read(amt)
            self.seen += data
            self.ended = self.ended or self.fp.closed
            return data

    r = httpcore_lite.get(httpbin_url + "/bytes/5000?seed=3", stream=True, timeout=10)
    tee = Tee(r.raw._fp)
    assert tee.fp.version == 11
    r.raw._fp = tee
    assert r.raw._fp is tee
    body = r.content
    assert len(body) == 5000 and tee.seen == body and tee.ended


def test_fp_replaced_after_end_is_read_again(httpbin_url: str) -> None:
    r = httpcore_lite.get(httpbin_url + "/gzip", stream=True, timeout=10)
    compressed = r.raw.read(decode_content=False)
    r.raw._fp = io.BytesIO(compressed)  # "as though it was never read"
    assert b'"gzipped": true' in r.content


def test_chunked_flag(httpbin_url: str) -> None:
    r = httpcore_lite.get(httpbin_url + "/stream/2", stream=True, timeout=10)
    assert r.raw.chunked is True
    r.raw.chunked = False
    assert r.raw.chunked is False
    assert len(r.text.splitlines()) == 2


def test_max_retries_visible_on_raw(httpbin_url: str) -> None:
    s = httpcore_lite.Session()
    retry = Retry(total=2, status_forcelist=[503], backoff_factor=0)
    s.mount("http://", HTTPAdapter(max_retries=retry))
    r = s.get(httpbin_url + "/status/200", timeout=10)
    assert r.raw.retries.total == 2
