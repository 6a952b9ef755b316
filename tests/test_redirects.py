"""Redirects: requests' method/body rules, history, limits, Locations of every shape, and the
security rules (secrets never follow a redirect to another origin, no body after 303, cookies of
a redirect stay scoped, redirect bodies are never decoded, only http/https targets)."""

from __future__ import annotations

import gzip
import io
import zlib
from urllib.parse import quote

import pytest

from httpcore_lite import sessions
from httpcore_lite.exceptions import (
    InvalidSchema,
    InvalidURL,
    TooManyRedirects,
    UnrewindableBodyError,
)
from httpcore_lite.models import PreparedRequest, Request
from tests.servers.raw import canned


@pytest.fixture
def s():
    with sessions.Session() as session:
        yield session


def _localhost(url: str) -> str:
    """The same server under another host name: a different origin."""
    return url.replace("127.0.0.1", "localhost")


def redirect_to(base: str, target: str, status: int = 302) -> str:
    return f"{base}/redirect-to?url={quote(target, safe='')}&status_code={status}"


def response(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    reason = {200: "OK", 301: "Moved", 302: "Found", 303: "See Other", 307: "Temporary"}.get(
        status, "Redirect"
    )
    head = [f"HTTP/1.1 {status} {reason}"]
    for name, value in (headers or {}).items():
        head.append(f"{name}: {value}")
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


# --- method and body rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "method", "body_kept"),
    [
        (301, "GET", False),
        (302, "GET", False),
        (303, "GET", False),
        (307, "POST", True),
        (308, "POST", True),
    ],
)
def test_post_redirect_method_and_body(s, httpbin_url, status, method, body_kept) -> None:
    r = s.post(redirect_to(httpbin_url, "/anything", status), data={"key": "value"})
    assert r.status_code == 200
    assert [h.status_code for h in r.history] == [status]
    body = r.json()
    assert body["method"] == method
    assert r.request.method == method
    if body_kept:
        assert body["form"] == {"key": "value"}
        assert r.request.headers["Content-Length"] == str(len("key=value"))
    else:
        assert body["form"] == {} and body["data"] == ""
        assert r.request.body is None
        for header in ("Content-Length", "Content-Type", "Transfer-Encoding"):
            assert header not in r.request.headers


def test_no_body_after_303_even_for_put(s, httpbin_url) -> None:
    r = s.put(redirect_to(httpbin_url, "/anything", 303), data=b"secret payload")
    body = r.json()
    assert body["method"] == "GET"
    assert body["data"] == ""
    assert "Content-Length" not in body["headers"] or body["headers"]["Content-Length"] == "0"


def test_301_keeps_put_but_drops_its_body(s, httpbin_url) -> None:
    r = s.put(redirect_to(httpbin_url, "/anything", 301), data=b"payload")
    assert r.json()["method"] == "PUT"
    assert r.json()["data"] == ""


def test_303_keeps_head(s, httpbin_url) -> None:
    r = s.head(redirect_to(httpbin_url, "/get", 303), allow_redirects=True)
    assert r.status_code == 200 and r.request.method == "HEAD"


def test_307_rewinds_file_body(s, httpbin_url) -> None:
    body = io.BytesIO(b"file body " * 100)
    r = s.post(redirect_to(httpbin_url, "/anything", 307), data=body)
    assert r.json()["data"] == "file body " * 100


def test_307_with_unrewindable_body_raises(s, httpbin_url) -> None:
    class NoTell(io.BytesIO):
        def tell(self) -> int:
            raise OSError("not seekable")

    with pytest.raises(UnrewindableBodyError):
        s.post(redirect_to(httpbin_url, "/anything", 307), data=NoTell(b"abc"))


# --- history, limits, Response.next ----------------------------------------------------------


def test_redirect_chain_history(s, httpbin_url) -> None:
    r = s.get(f"{httpbin_url}/redirect/3")
    assert r.status_code == 200
    assert r.url == f"{httpbin_url}/get"
    assert [h.status_code for h in r.history] == [302, 302, 302]
    assert r.history[0].url == f"{httpbin_url}/redirect/3"
    assert [len(h.history) for h in r.history] == [0, 1, 2]
    assert r.history[1].request.url == f"{httpbin_url}/relative-redirect/2"


@pytest.mark.parametrize("kind", ["relative-redirect", "absolute-redirect"])
def test_relative_and_absolute_chains(s, httpbin_url, kind) -> None:
    r = s.get(f"{httpbin_url}/{kind}/2")
    assert r.status_code == 200 and len(r.history) == 2
    assert r.json()["url"].endswith("/get")


def test_too_many_redirects(s, httpbin_url) -> None:
    s.max_redirects = 3
    with pytest.raises(TooManyRedirects, match="Exceeded 3 redirects") as info:
        s.get(f"{httpbin_url}/redirect/5")
    assert info.value.response is not None
    assert info.value.response.status_code == 302


def test_default_limit_is_thirty(s, httpbin_url) -> None:
    assert len(s.get(f"{httpbin_url}/redirect/30").history) == 30
    with pytest.raises(TooManyRedirects):
        s.get(f"{httpbin_url}/redirect/31")


def test_allow_redirects_false_offers_next(s, httpbin_url) -> None:
    r = s.get(f"{httpbin_url}/redirect/2", allow_redirects=False)
    assert r.status_code == 302 and r.is_redirect and r.history == []
    assert isinstance(r.next, PreparedRequest)
    assert r.next.url == f"{httpbin_url}/relative-redirect/1"
    r2 = s.send(r.next, allow_redirects=False)
    assert r2.status_code == 302
    assert s.send(r2.next).url == f"{httpbin_url}/get"


def test_allow_redirects_false_keeps_the_redirect_body(s, httpbin_url) -> None:
    r = s.get(f"{httpbin_url}/redirect/1", allow_redirects=False)
    assert b"redirect" in r.content.lower()


# --- Location shapes ----------------------------------------------------------------------------


def test_relative_location_without_slash(s, httpbin_url) -> None:
    r = s.get(redirect_to(httpbin_url, "anything?x=1"))
    assert r.url == f"{httpbin_url}/anything?x=1"


def test_scheme_relative_location(s, httpbin_url) -> None:
    other = _localhost(httpbin_url)
    r = s.get(redirect_to(httpbin_url, "//" + other.split("://", 1)[1] + "/get"))
    assert r.url == f"{other}/get"


def test_fragment_is_carried_over(s, httpbin_url) -> None:
    original = redirect_to(httpbin_url, "/get") + "#frag"
    r = s.get(original)
    assert r.url == f"{httpbin_url}/get#frag"
    assert r.history[0].request.url == original


def test_location_fragment_wins(s, httpbin_url) -> None:
    r = s.get(redirect_to(httpbin_url, "/get#own") + "#frag")
    assert r.url == f"{httpbin_url}/get#own"


def test_utf8_location_is_decoded(s, raw_server, httpbin_url) -> None:
    srv = raw_server(
        canned(
            response(302, {"Location": "/caf\u00c3\u00a9"}),
            response(200, body=b"done"),
        )
    )
    r = s.get(srv.url + "/start")
    assert r.content == b"done"
    assert r.url == srv.url + "/caf%C3%A9"
    assert srv.requests[1].startswith(b"GET /caf%C3%A9 HTTP/1.1")


def test_mangled_location_never_raises_unicode_errors(s, raw_server) -> None:
    srv = raw_server(
        canned(
            response(302, {"Location": "/caf\u00e9"}),  # latin-1 byte 0xE9: not UTF-8
            response(200, body=b"done"),
        )
    )
    r = s.get(srv.url + "/start")
    assert r.content == b"done"
    assert len(r.history) == 1


# --- security: secrets and origins --------------------------------------------------------------


def test_authorization_kept_on_same_origin(s, httpbin_url) -> None:
    r = s.get(redirect_to(httpbin_url, "/headers"), auth=("user", "pass"))
    assert r.json()["headers"]["Authorization"].startswith("Basic ")


def test_authorization_stripped_on_host_change(s, httpbin_url) -> None:
    target = _localhost(httpbin_url) + "/headers"
    r = s.get(redirect_to(httpbin_url, target), auth=("user", "pass"))
    assert r.url == target
    assert "Authorization" not in r.json()["headers"]
    assert "Authorization" not in r.request.headers


def test_authorization_stripped_on_port_change(s, raw_server, httpbin_url) -> None:
    srv = raw_server(canned(response(302, {"Location": f"{httpbin_url}/headers"})))
    r = s.get(srv.url + "/", headers={"Authorization": "Bearer secret"})
    assert b"Authorization: Bearer secret" in srv.requests[0]
    assert "Authorization" not in r.json()["headers"]


def test_authorization_stripped_on_https_to_http(
    s, httpbin_tls_url, httpbin_url, ca_bundle
) -> None:
    target = _localhost(httpbin_url) + "/headers"
    r = s.get(redirect_to(httpbin_tls_url, target), auth=("user", "pass"), verify=ca_bundle)
    assert r.history[0].url.startswith("https://")
    assert r.url == target
    assert "Authorization" not in r.json()["headers"]


def test_should_strip_auth_rules() -> None:
    strip = sessions.Session().should_strip_auth
    assert strip("http://a.com/", "http://b.com/")
    assert strip("https://a.com/", "http://a.com/")
    assert strip("http://a.com:8080/", "http://a.com:8081/")
    assert strip("https://a.com/", "https://a.com:8443/")
    assert not strip("http://a.com/x", "http://a.com/y")
    assert not strip("http://a.com/", "https://a.com/")  # upgrade on default ports
    assert not strip("http://a.com:80/", "https://a.com:443/")
    assert not strip("https://a.com:443/", "https://a.com/")
    assert strip("http://a.com:8080/", "https://a.com/")


def test_cookie_header_dropped_cross_origin(s, httpbin_url) -> None:
    target = _localhost(httpbin_url) + "/headers"
    r = s.get(redirect_to(httpbin_url, target), headers={"Cookie": "session=secret"})
    assert "Cookie" not in r.json()["headers"]


def test_proxy_authorization_dropped_cross_origin(s, httpbin_url) -> None:
    target = _localhost(httpbin_url) + "/headers"
    r = s.get(redirect_to(httpbin_url, target), headers={"Proxy-Authorization": "Basic c2VjcmV0"})
    assert "Proxy-Authorization" not in r.json()["headers"]


def test_request_cookies_follow_only_same_origin(s, httpbin_url) -> None:
    r = s.get(redirect_to(httpbin_url, "/cookies"), cookies={"secret": "1"})
    assert r.json()["cookies"] == {"secret": "1"}
    target = _localhost(httpbin_url) + "/cookies"
    r = s.get(redirect_to(httpbin_url, target), cookies={"secret": "1"})
    assert r.json()["cookies"] == {}


def test_cookie_set_by_redirect_is_applied_on_same_host(s, httpbin_url) -> None:
    r = s.get(f"{httpbin_url}/cookies/set?from_redirect=1")
    assert r.json()["cookies"] == {"from_redirect": "1"}
    assert r.history[0].cookies["from_redirect"] == "1"


def test_cookie_set_by_redirect_stays_scoped_to_its_host(s, raw_server, httpbin_url) -> None:
    target = _localhost(httpbin_url) + "/cookies"
    srv = raw_server(canned(response(302, {"Location": target, "Set-Cookie": "planted=1; Path=/"})))
    r = s.get(srv.url + "/")
    assert r.url == target
    assert r.json()["cookies"] == {}
    cookies = list(s.cookies)
    assert [(c.name, c.domain) for c in cookies] == [("planted", "127.0.0.1")]


def test_redirect_body_is_not_decoded(s, raw_server, httpbin_url) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MiB of zeros, ~50 KiB on the wire
    srv = raw_server(
        canned(
            response(
                302,
                {"Location": f"{httpbin_url}/get", "Content-Encoding": "gzip"},
                bomb,
            )
        )
    )
    import tracemalloc

    tracemalloc.start()
    try:
        r = s.get(srv.url + "/")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 200 and r.url == f"{httpbin_url}/get"
    assert r.history[0].content == b""
    assert peak < 10 * 1024 * 1024


def test_broken_compressed_redirect_body_is_ignored(s, raw_server, httpbin_url) -> None:
    srv = raw_server(
        canned(
            response(
                302,
                {"Location": f"{httpbin_url}/get", "Content-Encoding": "deflate"},
                b"this is not deflate data",
            )
        )
    )
    r = s.get(srv.url + "/")
    assert r.status_code == 200


def test_identity_redirect_body_is_kept_in_history(s, raw_server, httpbin_url) -> None:
    srv = raw_server(canned(response(302, {"Location": f"{httpbin_url}/get"}, b"moved")))
    r = s.get(srv.url + "/")
    assert r.history[0].content == b"moved"
    assert r.status_code == 200


@pytest.mark.parametrize(
    "location",
    ["ftp://127.0.0.1/file", "file:///etc/passwd", "http+unix://%2Fvar%2Frun%2Fdocker.sock/info"],
)
def test_only_http_and_https_redirect_targets(s, raw_server, location) -> None:
    srv = raw_server(canned(response(302, {"Location": location})))
    with pytest.raises(InvalidSchema):
        s.get(srv.url + "/")
    # Not following: the unsafe target is not offered as Response.next either.
    srv2 = raw_server(canned(response(302, {"Location": location})))
    r = s.get(srv2.url + "/", allow_redirects=False)
    assert r.status_code == 302 and r.next is None


def test_redirect_to_https_is_followed(s, httpbin_url, httpbin_tls_url, ca_bundle) -> None:
    r = s.get(redirect_to(httpbin_url, httpbin_tls_url + "/get"), verify=ca_bundle)
    assert r.status_code == 200 and r.url == httpbin_tls_url + "/get"


def test_deflate_helper_sanity() -> None:
    # The broken-body test above relies on this not being valid zlib data.
    with pytest.raises(zlib.error):
        zlib.decompress(b"this is not deflate data")


# --- the redirect mixin on its own ------------------------------------------------------------


class _RecordingSession(sessions.SessionRedirectMixin):
    """A SessionRedirectMixin whose send() answers from a list of statuses, as subclasses do."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.calls: list[tuple[tuple, dict]] = []
        self.max_redirects = 30
        self.cookies = {}
        self.trust_env = False

    def send(self, *args, **kwargs):
        from httpcore_lite.models import Response
        from httpcore_lite.structures import CaseInsensitiveDict

        self.calls.append((args, kwargs))
        r = Response()
        r.status_code = self.statuses.pop(0) if self.statuses else 200
        r.headers = CaseInsensitiveDict({"Location": "/"})
        r.raw = io.BytesIO(b"")
        r.request = args[0]
        return r  # no url: resolve_redirects must cope, as with requests' own test doubles


def test_resolve_redirects_calls_send_with_requests_arguments() -> None:
    from httpcore_lite.models import Request

    session = _RecordingSession([303, 307])
    prep = Request("POST", "http://127.0.0.1/post", data={"a": "b"}).prepare()
    r0 = session.send(prep)
    expected = {
        "stream": False,
        "verify": True,
        "cert": None,
        "timeout": None,
        "allow_redirects": False,
        "proxies": {},
    }
    methods = []
    for response in session.resolve_redirects(r0, prep):
        methods.append(response.request.method)
        args, kwargs = session.calls[-1]
        assert args == (response.request,)
        assert kwargs == expected
        assert not hasattr(response.request, "_redirect_hop")
    assert methods == ["GET", "GET"]


def test_plain_cookiejar_survives_redirects(s, httpbin_url) -> None:
    from http.cookiejar import CookieJar

    from httpcore_lite.cookies import RequestsCookieJar, cookiejar_from_dict
    from httpcore_lite.models import Request

    cj = CookieJar()
    cookiejar_from_dict({"foo": "bar"}, cj)
    s.cookies = cookiejar_from_dict({"cookie": "tasty"})
    prep = Request("GET", f"{httpbin_url}/headers", cookies=cj).prepare()
    resp = s.send(prep)
    resp.status_code = 302
    resp.headers["location"] = f"{httpbin_url}/get"
    resp = next(s.resolve_redirects(resp, prep))
    jar = resp.request._cookies
    assert isinstance(jar, CookieJar) and not isinstance(jar, RequestsCookieJar)
    assert {c.name: c.value for c in jar} == {"foo": "bar", "cookie": "tasty"}


def test_manual_redirect_with_partial_body_read(s, httpbin_url) -> None:
    r1 = s.get(f"{httpbin_url}/redirect/2", allow_redirects=False, stream=True)
    assert r1.is_redirect
    redirects = s.resolve_redirects(r1, r1.request, stream=True)
    r1.iter_content(8)
    r2 = next(redirects)
    assert r2.is_redirect
    for _ in r2.iter_content():
        pass
    r3 = next(redirects)
    assert not r3.is_redirect and r3.status_code == 200


def test_history_redirect_bodies_do_not_hold_connections(s, httpbin_url) -> None:
    for _ in range(3):
        assert s.get(f"{httpbin_url}/redirect/4").status_code == 200
    stats = s.get_adapter(httpbin_url).stats()
    assert stats.in_use == 0
    assert stats.opened == 1


def test_redirect_to_a_bad_port_is_an_invalid_url(s, raw_server) -> None:
    from httpcore_lite.exceptions import InvalidURL

    srv = raw_server(canned(response(302, {"Location": "http://localhost:-1/"})))
    with pytest.raises(InvalidURL):
        s.get(srv.url + "/")


def test_small_redirect_body_is_drained_and_the_connection_reused(s, raw_server) -> None:
    srv = raw_server(
        canned(response(302, {"Location": "/final"}, b"x" * 1000), response(200, body=b"ok"))
    )
    r = s.get(srv.url + "/")
    assert r.content == b"ok" and r.history[0].content == b"x" * 1000
    assert srv.connections == 1


def test_huge_redirect_body_is_not_downloaded(s, raw_server) -> None:
    srv = raw_server(
        canned(
            response(302, {"Location": "/final"}, b"x" * (8 * 1024 * 1024)),
            response(200, body=b"ok"),
        )
    )
    r = s.get(srv.url + "/")
    assert r.content == b"ok"
    assert r.history[0].content == b""
    # The rest of the 8 MiB was not read: the connection was closed instead of drained.
    assert srv.connections == 2


def test_digest_auth_follows_same_origin_redirects(s, httpbin_url) -> None:
    from httpcore_lite.auth import HTTPDigestAuth

    r = s.get(
        redirect_to(httpbin_url, "/digest-auth/auth/user/passwd/MD5"),
        auth=HTTPDigestAuth("user", "passwd"),
    )
    assert r.status_code == 200


def test_digest_auth_does_not_answer_another_origins_challenge(s, httpbin_url) -> None:
    from httpcore_lite.auth import HTTPDigestAuth

    target = _localhost(httpbin_url) + "/digest-auth/auth/user/passwd/MD5"
    r = s.get(redirect_to(httpbin_url, target), auth=HTTPDigestAuth("user", "passwd"))
    assert r.url == target
    assert r.status_code == 401
    assert "Authorization" not in r.request.headers


# --- Locations that cannot be parsed ----------------------------------------------------------

_HOSTILE_LOCATIONS = ["http://[::1", "http://host:99999999/", "//[bad/x"]


@pytest.mark.parametrize("location", _HOSTILE_LOCATIONS)
def test_hostile_location_not_followed_builds_the_response(s, raw_server, location) -> None:
    srv = raw_server(canned(response(302, {"Location": location}, b"moved")))
    r = s.get(srv.url + "/", allow_redirects=False)
    assert r.status_code == 302 and r.content == b"moved" and r.is_redirect
    # The error surfaces where the next URL is computed, and every time it is asked for.
    for _ in range(2):
        with pytest.raises(InvalidURL, match="Invalid redirect target"):
            r.next  # noqa: B018


@pytest.mark.parametrize("location", _HOSTILE_LOCATIONS)
def test_hostile_location_followed_is_invalid_url(s, raw_server, location) -> None:
    srv = raw_server(canned(response(302, {"Location": location}, b"moved")))
    with pytest.raises(InvalidURL):
        s.get(srv.url + "/")
    assert s.get_adapter(srv.url).stats().in_use == 0


def test_next_is_computed_on_read(s, raw_server) -> None:
    srv = raw_server(canned(response(302, {"Location": "/there"}, b"")))
    r = s.get(srv.url + "/here", allow_redirects=False)
    assert r.next is r.next
    assert r.next.url == srv.url + "/there" and r.next.method == "GET"


def test_rebuild_proxies_adds_proxy_credentials_only_for_plain_http() -> None:
    s = sessions.Session()
    proxies = {"http": "http://u:p@127.0.0.1:8080", "https": "http://u:p@127.0.0.1:8090"}
    for url, expected in (("http://example.com/", True), ("https://example.com/", False)):
        prep = Request("GET", url, headers={"Proxy-Authorization": "Basic stale"}).prepare()
        s.rebuild_proxies(prep, proxies)
        assert ("Proxy-Authorization" in prep.headers) is expected
        if expected:
            assert prep.headers["Proxy-Authorization"] == "Basic dTpw"
    # Not proxied: any Proxy-Authorization header is dropped and none is added.
    prep = Request("GET", "http://example.com/", headers={"Proxy-Authorization": "x"}).prepare()
    assert s.rebuild_proxies(prep, {}) == {}
    assert "Proxy-Authorization" not in prep.headers
