"""Session: defaults, settings merging, adapters, cookies, auth, hooks, streaming, decoding and
pickling, against httpbin on gunicorn (keep-alive) on 127.0.0.1."""

from __future__ import annotations

import io
import pickle
import shutil
from collections import OrderedDict
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from httpcore_lite import sessions
from httpcore_lite.adapters import BaseAdapter, HTTPAdapter
from httpcore_lite.auth import HTTPBasicAuth, HTTPDigestAuth
from httpcore_lite.cookies import RequestsCookieJar
from httpcore_lite.exceptions import InvalidSchema
from httpcore_lite.models import PreparedRequest, Request, Response
from httpcore_lite.structures import CaseInsensitiveDict


@pytest.fixture
def s():
    with sessions.Session() as session:
        yield session


def _localhost(url: str) -> str:
    """The same server under another host name (a different origin for cookies and auth)."""
    return url.replace("127.0.0.1", "localhost")


# --- defaults and pure helpers -------------------------------------------------------------------


def test_session_defaults() -> None:
    s = sessions.Session()
    assert isinstance(s.headers, CaseInsensitiveDict)
    assert s.headers["Accept"] == "*/*"
    assert s.headers["Connection"] == "keep-alive"
    assert "gzip" in s.headers["Accept-Encoding"]
    assert "User-Agent" in s.headers
    assert s.auth is None
    assert s.proxies == {}
    assert s.hooks == {"response": []}
    assert s.params == {}
    assert s.stream is False
    assert s.verify is True
    assert s.cert is None
    assert s.max_redirects == 30
    assert s.trust_env is True
    assert isinstance(s.cookies, RequestsCookieJar) and len(s.cookies) == 0
    assert isinstance(s.adapters, OrderedDict)
    assert list(s.adapters) == ["https://", "http://"]
    assert all(isinstance(a, HTTPAdapter) for a in s.adapters.values())
    assert isinstance(sessions.session(), sessions.Session)


def test_merge_setting_request_wins_and_none_removes() -> None:
    merged = sessions.merge_setting({"a": "1", "b": None}, {"a": "0", "b": "2", "c": "3"})
    assert merged == {"a": "1", "c": "3"}
    assert sessions.merge_setting(None, {"x": 1}) == {"x": 1}
    assert sessions.merge_setting({"x": 1}, None) == {"x": 1}
    assert sessions.merge_setting(False, True) is False
    assert sessions.merge_setting("ca.pem", True) == "ca.pem"
    merged_headers = sessions.merge_setting(
        {"accept": "text/plain"}, CaseInsensitiveDict({"Accept": "*/*"}), CaseInsensitiveDict
    )
    assert isinstance(merged_headers, CaseInsensitiveDict)
    assert dict(merged_headers.lower_items()) == {"accept": "text/plain"}


def test_merge_hooks_keeps_session_hooks_when_request_has_none() -> None:
    def hook(r, **kw):
        return r

    session_hooks = {"response": [hook]}
    assert sessions.merge_hooks({"response": []}, session_hooks) is session_hooks
    assert sessions.merge_hooks(session_hooks, {"response": []}) is session_hooks
    assert sessions.merge_hooks(None, session_hooks) is session_hooks


def test_mount_keeps_longest_prefix_first_and_get_adapter_is_case_insensitive() -> None:
    s = sessions.Session()
    a, b = HTTPAdapter(), HTTPAdapter()
    s.mount("http://git", a)
    s.mount("http://github.com/api", b)
    assert list(s.adapters) == ["http://github.com/api", "http://git", "https://", "http://"]
    assert s.get_adapter("HTTP://GitHub.com/API/x") is b
    assert s.get_adapter("http://gitlab.com/") is a
    assert s.get_adapter("http://example.com/") is s.adapters["http://"]
    assert s.get_adapter("https://example.com/") is s.adapters["https://"]


def test_get_adapter_unknown_scheme_raises_invalid_schema() -> None:
    s = sessions.Session()
    with pytest.raises(InvalidSchema, match="No connection adapters were found for 'ftp://x/'"):
        s.get_adapter("ftp://x/")
    with pytest.raises(InvalidSchema):
        s.get("ftp://example.com/file")


def test_http_unix_urls_use_the_http_adapter_unless_one_is_mounted() -> None:
    s = sessions.Session()
    url = "http+unix://%2Ftmp%2Fsock/path"
    assert s.get_adapter(url) is s.adapters["http://"]
    own = HTTPAdapter()
    s.mount("http+unix://", own)
    assert s.get_adapter(url) is own


def test_send_refuses_an_unprepared_request(s) -> None:
    with pytest.raises(ValueError, match="PreparedRequests"):
        s.send(Request("GET", "http://127.0.0.1/"))


def test_close_closes_every_adapter() -> None:
    closed = []

    class Recording(BaseAdapter):
        def send(self, *args, **kwargs):  # pragma: no cover - never called
            raise AssertionError

        def close(self) -> None:
            closed.append(self)

    with sessions.Session() as s:
        s.mount("mock://", Recording())
    assert len(closed) == 1


# --- prepare_request --------------------------------------------------------------------------


def test_prepare_request_merges_session_settings() -> None:
    s = sessions.Session()
    s.headers["X-Session"] = "1"
    s.params = {"sp": "1"}
    s.auth = ("user", "pass")
    s.cookies.set("sc", "1")
    p = s.prepare_request(
        Request("get", "http://127.0.0.1/path", params={"rp": "2"}, cookies={"rc": "2"})
    )
    assert isinstance(p, PreparedRequest)
    assert p.method == "GET"
    query = urlsplit(p.url).query
    assert "sp=1" in query and "rp=2" in query
    assert p.headers["X-Session"] == "1"
    assert p.headers["Authorization"].startswith("Basic ")
    assert "sc=1" in p.headers["Cookie"] and "rc=2" in p.headers["Cookie"]


def test_prepare_request_header_none_removes_session_header() -> None:
    s = sessions.Session()
    p = s.prepare_request(Request("GET", "http://127.0.0.1/", headers={"Accept-Encoding": None}))
    assert "Accept-Encoding" not in p.headers
    assert "Accept-Encoding" in s.headers  # the session itself is untouched


def test_prepare_request_without_cookies_sends_no_cookie_header() -> None:
    s = sessions.Session()
    p = s.prepare_request(Request("GET", "http://127.0.0.1/"))
    assert "Cookie" not in p.headers


# --- every verb ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_every_verb(s, httpbin_url: str, method: str) -> None:
    r = getattr(s, method)(f"{httpbin_url}/anything")
    assert r.status_code == 200
    assert r.json()["method"] == method.upper()
    assert r.request.method == method.upper()
    assert isinstance(r.elapsed, timedelta) and r.elapsed > timedelta(0)


def test_head_and_options(s, httpbin_url: str) -> None:
    r = s.head(f"{httpbin_url}/get")
    assert r.status_code == 200 and r.content == b""
    assert int(r.headers["Content-Length"]) > 0
    r = s.options(f"{httpbin_url}/get")
    assert r.status_code == 200
    assert "GET" in r.headers["Allow"]


def test_head_does_not_follow_redirects_by_default(s, httpbin_url: str) -> None:
    r = s.head(f"{httpbin_url}/redirect/1")
    assert r.status_code == 302 and r.history == []
    r = s.head(f"{httpbin_url}/redirect/1", allow_redirects=True)
    assert r.status_code == 200 and len(r.history) == 1


def test_request_accepts_bytes_url_and_lowercase_method(s, httpbin_url: str) -> None:
    r = s.request(b"get", f"{httpbin_url}/get".encode())
    assert r.status_code == 200
    assert r.request.method == "GET"


# --- params -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"a": "1", "b": ["2", "3"]},
        [("a", "1"), ("b", "2"), ("b", "3")],
        b"a=1&b=2&b=3",
        "a=1&b=2&b=3",
    ],
)
def test_params_in_every_form(s, httpbin_url: str, params) -> None:
    r = s.get(f"{httpbin_url}/get", params=params)
    args = r.json()["args"]
    assert args["a"] == "1"
    assert args["b"] == ["2", "3"]


def test_params_merge_with_url_query_and_session_params(s, httpbin_url: str) -> None:
    s.params = {"session": "yes"}
    r = s.get(f"{httpbin_url}/get?inline=1", params={"extra": "é"})
    assert r.json()["args"] == {"inline": "1", "extra": "é", "session": "yes"}


def test_params_none_value_is_dropped(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/get", params={"keep": "1", "drop": None})
    assert r.json()["args"] == {"keep": "1"}


# --- bodies -------------------------------------------------------------------------------------


def test_form_body_dict_and_tuples(s, httpbin_url: str) -> None:
    r = s.post(f"{httpbin_url}/post", data={"key": "value", "multi": ["1", "2"]})
    body = r.json()
    assert body["form"] == {"key": "value", "multi": ["1", "2"]}
    assert body["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    r = s.post(f"{httpbin_url}/post", data=[("key", "a"), ("key", "b")])
    assert r.json()["form"] == {"key": ["a", "b"]}


def test_json_body(s, httpbin_url: str) -> None:
    r = s.post(f"{httpbin_url}/post", json={"key": "value", "n": [1, 2]})
    body = r.json()
    assert body["json"] == {"key": "value", "n": [1, 2]}
    assert body["headers"]["Content-Type"] == "application/json"


def test_raw_bytes_and_str_bodies(s, httpbin_url: str) -> None:
    r = s.put(f"{httpbin_url}/put", data=b"\xff\xfebinary")
    assert r.json()["data"] == "data:application/octet-stream;base64,//5iaW5hcnk="
    r = s.patch(f"{httpbin_url}/patch", data="plain text")
    assert r.json()["data"] == "plain text"


def test_multipart_files_in_every_tuple_form(s, httpbin_url: str) -> None:
    files = {
        "plain": io.BytesIO(b"file one"),
        "two": ("two.txt", b"file two"),
        "three": ("three.csv", io.BytesIO(b"a,b"), "text/csv"),
        "four": ("four.txt", b"file four", "text/plain", {"X-Part": "4"}),
    }
    r = s.post(f"{httpbin_url}/post", files=files, data={"field": "v"})
    body = r.json()
    assert body["files"] == {
        "plain": "file one",
        "two": "file two",
        "three": "a,b",
        "four": "file four",
    }
    assert body["form"] == {"field": "v"}
    assert body["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_file_body_is_streamed_with_content_length(s, httpbin_url: str, tmp_path) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(b"x" * 100_000)
    with open(path, "rb") as f:
        r = s.post(f"{httpbin_url}/post", data=f)
    assert r.request.headers["Content-Length"] == "100000"
    assert len(r.json()["data"]) == 100_000


def test_generator_body_is_sent_chunked(s, httpbin_url: str) -> None:
    def gen():
        yield b"first,"
        yield b"second,"
        yield "third"

    r = s.post(f"{httpbin_url}/post", data=gen())
    assert r.request.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in r.request.headers
    assert r.json()["data"] == "first,second,third"


# --- headers ------------------------------------------------------------------------------------


def test_session_and_request_headers_merge(s, httpbin_url: str) -> None:
    s.headers.update({"X-Session": "s", "X-Both": "session"})
    r = s.get(f"{httpbin_url}/headers", headers={"X-Request": "r", "x-both": "request"})
    headers = r.json()["headers"]
    assert headers["X-Session"] == "s"
    assert headers["X-Request"] == "r"
    assert headers["X-Both"] == "request"
    # The request's headers did not leak into the session.
    assert "X-Request" not in s.headers


def test_header_none_removes_session_default(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/headers", headers={"User-Agent": None, "Accept-Encoding": None})
    headers = r.json()["headers"]
    assert "User-Agent" not in headers
    assert "Accept-Encoding" not in headers
    r = s.get(f"{httpbin_url}/headers")
    assert r.json()["headers"]["User-Agent"] == s.headers["User-Agent"]


# --- cookies ------------------------------------------------------------------------------------


def test_cookies_set_by_server_are_sent_back(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/cookies/set?flavour=oatmeal")
    assert r.json()["cookies"] == {"flavour": "oatmeal"}
    assert s.cookies["flavour"] == "oatmeal"
    r = s.get(f"{httpbin_url}/cookies")
    assert r.json()["cookies"] == {"flavour": "oatmeal"}


def test_cookies_deleted_by_server_disappear(s, httpbin_url: str) -> None:
    s.get(f"{httpbin_url}/cookies/set?a=1&b=2")
    s.get(f"{httpbin_url}/cookies/delete?a")
    assert s.get(f"{httpbin_url}/cookies").json()["cookies"] == {"b": "2"}


def test_request_cookies_are_sent_but_not_persisted(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/cookies", cookies={"once": "1"})
    assert r.json()["cookies"] == {"once": "1"}
    assert "once" not in s.cookies
    assert s.get(f"{httpbin_url}/cookies").json()["cookies"] == {}


def test_session_cookies_set_by_user_are_sent(s, httpbin_url: str) -> None:
    s.cookies.set("manual", "yes")
    r = s.get(f"{httpbin_url}/cookies", cookies={"extra": "1"})
    assert r.json()["cookies"] == {"manual": "yes", "extra": "1"}


def test_server_cookies_are_scoped_to_their_host(s, httpbin_url: str) -> None:
    s.get(f"{httpbin_url}/cookies/set?scoped=1", allow_redirects=False)
    assert s.get(f"{httpbin_url}/cookies").json()["cookies"] == {"scoped": "1"}
    other_host = _localhost(httpbin_url)
    assert s.get(f"{other_host}/cookies").json()["cookies"] == {}


def test_response_cookies_attribute(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/cookies/set/name/value", allow_redirects=False)
    assert r.status_code == 302
    assert r.cookies["name"] == "value"


# --- auth ---------------------------------------------------------------------------------------


def test_basic_auth_tuple_and_object(s, httpbin_url: str) -> None:
    url = f"{httpbin_url}/basic-auth/user/passwd"
    assert s.get(url).status_code == 401
    r = s.get(url, auth=("user", "passwd"))
    assert r.status_code == 200 and r.json() == {"authenticated": True, "user": "user"}
    assert s.get(url, auth=HTTPBasicAuth("user", "passwd")).status_code == 200
    assert s.get(url, auth=("user", "wrong")).status_code == 401


def test_session_auth_applies_to_every_request(s, httpbin_url: str) -> None:
    s.auth = ("user", "passwd")
    assert s.get(f"{httpbin_url}/basic-auth/user/passwd").status_code == 200
    # A request-level auth overrides the session's.
    assert s.get(f"{httpbin_url}/basic-auth/user/passwd", auth=("x", "y")).status_code == 401


def test_credentials_in_url(s, httpbin_url: str) -> None:
    url = httpbin_url.replace("http://", "http://user:passwd@") + "/basic-auth/user/passwd"
    assert s.get(url).status_code == 200


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_digest_auth(s, httpbin_url: str, algorithm: str) -> None:
    url = f"{httpbin_url}/digest-auth/auth/user/passwd/{algorithm}"
    r = s.get(url, auth=HTTPDigestAuth("user", "passwd"))
    assert r.status_code == 200
    assert r.json() == {"authenticated": True, "user": "user"}
    assert s.get(url, auth=HTTPDigestAuth("user", "nope")).status_code == 401


# --- hooks --------------------------------------------------------------------------------------


def test_request_and_session_hooks_run(s, httpbin_url: str) -> None:
    seen = []

    def session_hook(r, **kwargs):
        seen.append(("session", r.status_code))

    def request_hook(r, **kwargs):
        seen.append(("request", r.status_code))
        assert "timeout" in kwargs and "verify" in kwargs

    s.hooks["response"].append(session_hook)
    s.get(f"{httpbin_url}/status/201")
    assert seen == [("session", 201)]
    seen.clear()
    # As in requests, a request's hooks for an event replace the session's for that request.
    s.get(f"{httpbin_url}/status/204", hooks={"response": request_hook})
    assert seen == [("request", 204)]
    seen.clear()
    s.get(f"{httpbin_url}/status/202", hooks={"response": [request_hook, session_hook]})
    assert seen == [("request", 202), ("session", 202)]


def test_hook_may_replace_the_response(s, httpbin_url: str) -> None:
    replacement = Response()
    replacement.status_code = 299
    replacement._content = b"replaced"

    r = s.get(f"{httpbin_url}/get", hooks={"response": [lambda r, **kw: replacement]})
    assert r is replacement and r.content == b"replaced"


# --- streaming, raw reads, decoding ------------------------------------------------------------


def test_stream_iter_lines(s, httpbin_url: str) -> None:
    import json

    with s.get(f"{httpbin_url}/stream/20", stream=True) as r:
        lines = [json.loads(line) for line in r.iter_lines() if line]
    assert [line["id"] for line in lines] == list(range(20))


def test_stream_iter_content(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/stream-bytes/5000?seed=7&chunk_size=100", stream=True)
    chunks = list(r.iter_content(chunk_size=1000))
    assert sum(len(c) for c in chunks) == 5000
    assert all(len(c) <= 1000 for c in chunks)


def test_stream_false_reads_body_eagerly(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/bytes/2048")
    assert r._content_consumed is True and len(r.content) == 2048


def test_raw_reads_and_copyfileobj(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/bytes/3000?seed=1", stream=True)
    first = r.raw.read(10)
    assert len(first) == 10
    out = io.BytesIO()
    shutil.copyfileobj(r.raw, out)
    assert len(first) + len(out.getvalue()) == 3000


def test_raw_read_undecoded_gzip(s, httpbin_url: str) -> None:
    import gzip
    import json

    r = s.get(f"{httpbin_url}/gzip", stream=True)
    compressed = r.raw.read(decode_content=False)
    assert json.loads(gzip.decompress(compressed))["gzipped"] is True


@pytest.mark.parametrize(
    ("path", "flag"), [("gzip", "gzipped"), ("deflate", "deflated"), ("brotli", "brotli")]
)
def test_content_decoding(s, httpbin_url: str, path: str, flag: str) -> None:
    if path == "brotli":
        pytest.importorskip("brotli")
    r = s.get(f"{httpbin_url}/{path}")
    assert r.headers["Content-Encoding"] in ("gzip", "deflate", "br")
    assert r.json()[flag] is True


def test_connection_reused_across_requests(s, httpbin_url: str) -> None:
    for _ in range(5):
        assert s.get(f"{httpbin_url}/get").status_code == 200
    stats = s.get_adapter(httpbin_url).stats()
    assert stats.opened == 1
    assert stats.reused >= 4


# --- pickling -----------------------------------------------------------------------------------


def test_pickled_session_keeps_settings_and_works(httpbin_url: str) -> None:
    s = sessions.Session()
    s.headers["X-Pickled"] = "yes"
    s.cookies.set("pickled", "cookie")
    s.params = {"p": "1"}
    s.max_redirects = 7
    s.get(f"{httpbin_url}/get")
    s2 = pickle.loads(pickle.dumps(s))
    assert s2.headers["X-Pickled"] == "yes"
    assert s2.cookies["pickled"] == "cookie"
    assert s2.max_redirects == 7
    assert list(s2.adapters) == list(s.adapters)
    r = s2.get(f"{httpbin_url}/anything")
    assert r.json()["headers"]["X-Pickled"] == "yes"
    assert r.json()["args"] == {"p": "1"}
    assert "pickled=cookie" in r.json()["headers"]["Cookie"]
    s.close()
    s2.close()


def test_pickled_response(s, httpbin_url: str) -> None:
    r = s.get(f"{httpbin_url}/redirect/1")
    r2 = pickle.loads(pickle.dumps(r))
    assert r2.status_code == 200
    assert r2.content == r.content
    assert r2.json()["url"] == r.json()["url"]
    assert r2.headers == r.headers
    assert r2.url == r.url
    assert len(r2.history) == 1 and r2.history[0].status_code == 302


def test_http_unix_request_through_the_default_adapter(s, tmp_path) -> None:
    import socket
    import threading
    from urllib.parse import quote

    path = str(tmp_path / "app.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    seen: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            seen.append(data)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nunix")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        r = s.get(f"http+unix://{quote(path, safe='')}/status?x=1", timeout=5)
    finally:
        thread.join(5)
        server.close()
    assert r.status_code == 200 and r.content == b"unix"
    assert seen[0].startswith(b"GET /status?x=1 HTTP/1.1\r\n")


def test_custom_adapters_receive_requests_arguments(httpbin_url: str) -> None:
    calls = []

    class Recording(BaseAdapter):
        def __init__(self) -> None:
            super().__init__()
            self.inner = HTTPAdapter()

        def send(self, request, **kwargs):
            calls.append(kwargs)
            return self.inner.send(request, **kwargs)

        def close(self) -> None:
            self.inner.close()

    with sessions.Session() as s:
        s.mount(httpbin_url, Recording())
        r = s.get(f"{httpbin_url}/get", timeout=5)
    assert r.status_code == 200
    assert calls == [{"stream": False, "timeout": 5, "verify": True, "cert": None, "proxies": {}}]
