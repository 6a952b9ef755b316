"""Tests for httpcore_lite.auth: Basic, proxy Basic and Digest (RFC 2617 / RFC 7616)."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from typing import Any

import pytest

from httpcore_lite.auth import (
    AuthBase,
    HTTPBasicAuth,
    HTTPDigestAuth,
    HTTPProxyAuth,
    _basic_auth_str,
)
from httpcore_lite.models import Request, Response
from httpcore_lite.structures import CaseInsensitiveDict
from httpcore_lite.utils import parse_dict_header

# --- Basic --------------------------------------------------------------------------------------


class TestBasic:
    @pytest.mark.parametrize(
        ("user", "password", "expected"),
        [
            ("user", "pass", "Basic dXNlcjpwYXNz"),
            (b"user", b"pass", "Basic dXNlcjpwYXNz"),
            ("Aladdin", "open sesame", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            # str credentials are Latin-1 on the wire, as in requests.
            ("\u00e9l\u00e8ve", "p", "Basic 6WzodmU6cA=="),
            ("", "", "Basic Og=="),
        ],
    )
    def test_basic_auth_str(self, user: Any, password: Any, expected: str) -> None:
        assert _basic_auth_str(user, password) == expected

    def test_non_latin1_falls_back_to_utf8(self) -> None:
        import base64

        value = _basic_auth_str("\u0436", "\u20ac")
        assert base64.b64decode(value[len("Basic ") :]) == "\u0436:\u20ac".encode()

    def test_non_string_warns(self) -> None:
        with pytest.warns(DeprecationWarning, match="Non-string usernames"):
            assert _basic_auth_str(123, "p") == _basic_auth_str("123", "p")  # type: ignore[arg-type]
        with pytest.warns(DeprecationWarning, match="Non-string passwords"):
            assert _basic_auth_str("u", 456) == _basic_auth_str("u", "456")  # type: ignore[arg-type]

    def test_basic_auth_sets_header(self) -> None:
        prep = Request("GET", "http://h.test/").prepare()
        assert HTTPBasicAuth("user", "pass")(prep) is prep
        assert prep.headers["Authorization"] == "Basic dXNlcjpwYXNz"

    def test_proxy_auth_sets_proxy_header(self) -> None:
        prep = Request("GET", "http://h.test/").prepare()
        HTTPProxyAuth("user", "pass")(prep)
        assert prep.headers["Proxy-Authorization"] == "Basic dXNlcjpwYXNz"
        assert "Authorization" not in prep.headers

    def test_equality(self) -> None:
        assert HTTPBasicAuth("u", "p") == HTTPBasicAuth("u", "p")
        assert not (HTTPBasicAuth("u", "p") != HTTPBasicAuth("u", "p"))
        assert HTTPBasicAuth("u", "p") != HTTPBasicAuth("u", "q")
        assert HTTPBasicAuth("u", "p") != HTTPBasicAuth("v", "p")
        assert HTTPBasicAuth("u", "p") != ("u", "p")
        assert HTTPDigestAuth("u", "p") == HTTPDigestAuth("u", "p")
        assert HTTPDigestAuth("u", "p") != HTTPDigestAuth("u", "x")

    def test_auth_base_is_abstract(self) -> None:
        with pytest.raises(NotImplementedError, match="Auth hooks must be callable"):
            AuthBase()(object())


# --- Digest header computation ------------------------------------------------------------------


def digest_auth(user: str, password: str, cnonce: str, **challenge: str) -> HTTPDigestAuth:
    auth = HTTPDigestAuth(user, password)
    auth.init_per_thread_state()
    auth._thread_local.chal = challenge
    auth._make_cnonce = lambda nonce_count, nonce: cnonce  # type: ignore[method-assign]
    return auth


def fields(header: str) -> dict[str, Any]:
    assert header.startswith("Digest ")
    return parse_dict_header(header[len("Digest ") :])


def expected_response(
    h: Any,
    user: str,
    realm: str,
    password: str,
    method: str,
    uri: str,
    nonce: str,
    nc: str,
    cnonce: str,
    qop: str | None = "auth",
    sess: bool = False,
) -> str:
    def hh(s: str) -> str:
        return h(s.encode()).hexdigest()

    ha1 = hh(f"{user}:{realm}:{password}")
    if sess:
        ha1 = hh(f"{ha1}:{nonce}:{cnonce}")
    ha2 = hh(f"{method}:{uri}")
    if qop is None:
        return hh(f"{ha1}:{nonce}:{ha2}")
    return hh(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")


class TestDigestHeader:
    def test_rfc2617_example(self) -> None:
        auth = digest_auth(
            "Mufasa",
            "Circle Of Life",
            "0a4f113b",
            realm="testrealm@host.com",
            qop="auth,auth-int",
            nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
            opaque="5ccc069c403ebaf9f0171e9517f40e41",
        )
        header = auth.build_digest_header("GET", "http://www.nowhere.org/dir/index.html")
        assert header is not None
        f = fields(header)
        assert f["response"] == "6629fae49393a05397450978507c4ef1"
        assert f["username"] == "Mufasa" and f["realm"] == "testrealm@host.com"
        assert f["uri"] == "/dir/index.html" and f["nc"] == "00000001"
        assert f["cnonce"] == "0a4f113b" and f["qop"] == "auth"
        assert f["opaque"] == "5ccc069c403ebaf9f0171e9517f40e41"
        assert "algorithm" not in f

    @pytest.mark.parametrize(
        ("algorithm", "response"),
        [
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
            ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ],
    )
    def test_rfc7616_examples(self, algorithm: str, response: str) -> None:
        auth = digest_auth(
            "Mufasa",
            "Circle of Life",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            realm="http-auth@example.org",
            qop="auth, auth-int",
            algorithm=algorithm,
            nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
        )
        header = auth.build_digest_header("GET", "http://www.example.org/dir/index.html")
        assert header is not None
        f = fields(header)
        assert f["response"] == response
        assert f["algorithm"] == algorithm
        # Quoted, as requests sends them (its own suite checks for '"auth"').
        assert f'algorithm="{algorithm}",' in header and 'qop="auth",' in header

    @pytest.mark.parametrize(
        ("algorithm", "hasher", "sess"),
        [
            ("MD5", hashlib.md5, False),
            ("md5", hashlib.md5, False),
            ("MD5-SESS", hashlib.md5, True),
            ("MD5-sess", hashlib.md5, True),
            ("SHA", hashlib.sha1, False),
            ("SHA-256", hashlib.sha256, False),
            ("SHA-256-SESS", hashlib.sha256, True),
            ("SHA-512", hashlib.sha512, False),
            ("SHA-512-SESS", hashlib.sha512, True),
        ],
    )
    def test_each_algorithm(self, algorithm: str, hasher: Any, sess: bool) -> None:
        auth = digest_auth(
            "user",
            "passwd",
            "c0ffee",
            realm="me@kennethreitz.com",
            nonce="n1",
            qop="auth",
            algorithm=algorithm,
        )
        header = auth.build_digest_header("POST", "http://h.test/digest-auth/auth?x=1&y=2")
        assert header is not None
        f = fields(header)
        assert f["uri"] == "/digest-auth/auth?x=1&y=2"
        assert f["response"] == expected_response(
            hasher,
            "user",
            "me@kennethreitz.com",
            "passwd",
            "POST",
            "/digest-auth/auth?x=1&y=2",
            "n1",
            "00000001",
            "c0ffee",
            sess=sess,
        )

    def test_default_algorithm_is_md5(self) -> None:
        auth = digest_auth("u", "p", "cn", realm="r", nonce="n", qop="auth")
        f = fields(auth.build_digest_header("GET", "http://h.test/") or "")
        assert f["response"] == expected_response(
            hashlib.md5, "u", "r", "p", "GET", "/", "n", "00000001", "cn"
        )

    def test_no_qop_rfc2069(self) -> None:
        auth = digest_auth("u", "p", "cn", realm="r", nonce="n")
        header = auth.build_digest_header("GET", "http://h.test/x")
        assert header is not None
        f = fields(header)
        assert "qop" not in f and "nc" not in f and "cnonce" not in f
        assert f["response"] == expected_response(
            hashlib.md5, "u", "r", "p", "GET", "/x", "n", "", "", qop=None
        )

    def test_unsupported(self) -> None:
        assert (
            digest_auth("u", "p", "c", realm="r", nonce="n", qop="auth-int").build_digest_header(
                "GET", "http://h.test/"
            )
            is None
        )
        assert (
            digest_auth(
                "u", "p", "c", realm="r", nonce="n", algorithm="SHA-3000"
            ).build_digest_header("GET", "http://h.test/")
            is None
        )

    def test_nonce_counting(self) -> None:
        auth = digest_auth("u", "p", "c", realm="r", nonce="n1", qop="auth")
        ncs = [
            fields(auth.build_digest_header("GET", "http://h.test/") or "")["nc"] for _ in range(3)
        ]
        assert ncs == ["00000001", "00000002", "00000003"]
        auth._thread_local.chal = {"realm": "r", "nonce": "n2", "qop": "auth"}
        assert fields(auth.build_digest_header("GET", "http://h.test/") or "")["nc"] == "00000001"

    def test_nonce_count_in_hex(self) -> None:
        auth = digest_auth("u", "p", "c", realm="r", nonce="n", qop="auth")
        auth._thread_local.last_nonce = "n"
        auth._thread_local.nonce_count = 15
        assert fields(auth.build_digest_header("GET", "http://h.test/") or "")["nc"] == "00000010"

    def test_cnonce_is_random_hex(self) -> None:
        auth = HTTPDigestAuth("u", "p")
        auth.init_per_thread_state()
        auth._thread_local.chal = {"realm": "r", "nonce": "n", "qop": "auth"}
        c1 = fields(auth.build_digest_header("GET", "http://h.test/") or "")["cnonce"]
        c2 = fields(auth.build_digest_header("GET", "http://h.test/") or "")["cnonce"]
        assert re.fullmatch(r"[0-9a-f]{16}", c1) and c1 != c2

    def test_quotes_escaped(self) -> None:
        auth = digest_auth('we"ird', "p", "c", realm='r"x', nonce="n", qop="auth")
        header = auth.build_digest_header("GET", "http://h.test/") or ""
        assert 'username="we\\"ird"' in header and 'realm="r\\"x"' in header
        f = fields(header)
        assert f["username"] == 'we"ird'
        # The hash covers the raw values, not the escaped ones.
        assert f["response"] == expected_response(
            hashlib.md5, 'we"ird', 'r"x', "p", "GET", "/", "n", "00000001", "c"
        )

    def test_state_is_per_thread(self) -> None:
        auth = digest_auth("u", "p", "c", realm="r", nonce="main", qop="auth")
        auth.build_digest_header("GET", "http://h.test/")
        seen: dict[str, Any] = {}

        def other() -> None:
            auth.init_per_thread_state()
            seen["chal"] = auth._thread_local.chal
            seen["last_nonce"] = auth._thread_local.last_nonce

        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert seen == {"chal": {}, "last_nonce": ""}
        assert auth._thread_local.last_nonce == "main"


# --- Digest 401 handling, with a stand-in adapter -----------------------------------------------


class FakeRaw:
    def __init__(self, fields: tuple[tuple[str, str], ...] = ()) -> None:
        self.header_list = fields


class RecordingAdapter:
    """Plays the adapter's part in handle_401: records what is re-sent, answers with a status."""

    def __init__(self, status: int = 200, challenge: str | None = None) -> None:
        self.status = status
        self.challenge = challenge
        self.sent: list[Any] = []
        self.kwargs: list[dict[str, Any]] = []

    def send(self, request: Any, **kwargs: Any) -> Response:
        body = request.body.read() if hasattr(request.body, "read") else request.body
        self.sent.append((request, body))
        self.kwargs.append(kwargs)
        headers = {"WWW-Authenticate": self.challenge} if self.challenge else {}
        return make_response(request, self, self.status, headers)


def make_response(
    request: Any, adapter: Any, status: int, headers: dict[str, str], raw: Any = None
) -> Response:
    r = Response()
    r.status_code = status
    r.headers = CaseInsensitiveDict(headers)
    r._content = b"challenge body"
    r.request = request
    r.connection = adapter
    r.raw = raw if raw is not None else FakeRaw()
    r.url = request.url
    return r


CHALLENGE = 'Digest realm="r", nonce="abc", qop="auth", opaque="op", algorithm=MD5'


def prepared(auth: HTTPDigestAuth, **kw: Any) -> Any:
    prep = Request(kw.pop("method", "GET"), "http://h.test/p?q=1", **kw).prepare()
    return auth(prep)


class TestDigestFlow:
    def test_answers_challenge_once(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        prep = prepared(auth)
        assert "Authorization" not in prep.headers
        adapter = RecordingAdapter(status=200)
        first = make_response(prep, adapter, 401, {"WWW-Authenticate": CHALLENGE})
        result = auth.handle_401(first, timeout=5, verify=False)
        assert result.status_code == 200
        assert result.history == [first]
        assert adapter.kwargs == [{"timeout": 5, "verify": False}]
        sent, _ = adapter.sent[0]
        assert sent is not prep and result.request is sent
        f = fields(sent.headers["Authorization"])
        assert f["uri"] == "/p?q=1" and f["opaque"] == "op" and f["nc"] == "00000001"
        assert "Authorization" not in prep.headers  # the original request is untouched

    def test_next_request_answers_up_front(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        prep = prepared(auth)
        auth.handle_401(
            make_response(prep, RecordingAdapter(), 401, {"WWW-Authenticate": CHALLENGE})
        )
        again = prepared(auth)
        assert fields(again.headers["Authorization"])["nc"] == "00000002"

    def test_at_most_one_retry(self) -> None:
        auth = HTTPDigestAuth("user", "wrong")
        prep = prepared(auth)
        adapter = RecordingAdapter(status=401, challenge=CHALLENGE)
        second = auth.handle_401(make_response(prep, adapter, 401, {"WWW-Authenticate": CHALLENGE}))
        # The retried response is a 401 again; the hook on it must not send a third request.
        third = auth.handle_401(second)
        assert third is second and third.status_code == 401
        assert len(adapter.sent) == 1

    def test_non_digest_401_untouched(self) -> None:
        auth = HTTPDigestAuth("u", "p")
        prep = prepared(auth)
        adapter = RecordingAdapter()
        r = make_response(prep, adapter, 401, {"WWW-Authenticate": 'Basic realm="x"'})
        assert auth.handle_401(r) is r and adapter.sent == []

    def test_success_passes_through_and_resets(self) -> None:
        auth = HTTPDigestAuth("u", "p")
        prep = prepared(auth)
        auth._thread_local.num_401_calls = 2
        r = make_response(prep, RecordingAdapter(), 200, {})
        assert auth.handle_401(r) is r
        assert auth._thread_local.num_401_calls == 1

    def test_handle_redirect_resets_counter(self) -> None:
        auth = HTTPDigestAuth("u", "p")
        prep = prepared(auth)
        auth._thread_local.num_401_calls = 2
        r = make_response(prep, RecordingAdapter(), 302, {"Location": "/elsewhere"})
        auth.handle_redirect(r)
        assert auth._thread_local.num_401_calls == 1

    def test_hooks_registered(self) -> None:
        auth = HTTPDigestAuth("u", "p")
        prep = prepared(auth)
        assert auth.handle_401 in prep.hooks["response"]
        assert auth.handle_redirect in prep.hooks["response"]

    def test_challenge_after_another_scheme(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        prep = prepared(auth)
        adapter = RecordingAdapter()
        r = make_response(prep, adapter, 401, {"WWW-Authenticate": 'Basic realm="b", ' + CHALLENGE})
        auth.handle_401(r)
        f = fields(adapter.sent[0][0].headers["Authorization"])
        assert f["realm"] == "r" and f["opaque"] == "op"

    def test_file_body_rewound(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        body = io.BytesIO(b"skip:payload")
        body.read(5)
        prep = prepared(auth, method="PUT", data=body)
        body.read()  # the first attempt consumed the file
        adapter = RecordingAdapter()
        auth.handle_401(make_response(prep, adapter, 401, {"WWW-Authenticate": CHALLENGE}))
        assert adapter.sent[0][1] == b"payload"

    def test_generator_body_not_resent(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        prep = prepared(auth, method="POST", data=(c for c in [b"a", b"b"]))
        adapter = RecordingAdapter()
        r = make_response(prep, adapter, 401, {"WWW-Authenticate": CHALLENGE})
        assert auth.handle_401(r) is r
        assert adapter.sent == []

    def test_cookies_from_401_are_sent_with_the_retry(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        prep = prepared(auth)
        adapter = RecordingAdapter()
        raw = FakeRaw((("Set-Cookie", "fake=fake_value; Path=/"),))
        auth.handle_401(make_response(prep, adapter, 401, {"WWW-Authenticate": CHALLENGE}, raw=raw))
        assert adapter.sent[0][0].headers["Cookie"] == "fake=fake_value"

    def test_bytes_body_resent(self) -> None:
        auth = HTTPDigestAuth("user", "pass")
        prep = prepared(auth, method="POST", data=b"payload")
        adapter = RecordingAdapter()
        auth.handle_401(make_response(prep, adapter, 401, {"WWW-Authenticate": CHALLENGE}))
        assert adapter.sent[0][1] == b"payload"


# --- end to end against httpbin -----------------------------------------------------------------


def _session() -> Any:
    sessions = pytest.importorskip("httpcore_lite.sessions")
    return sessions.Session()


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256", "SHA-512", "MD5-SESS"])
def test_digest_against_httpbin(httpbin_url: str, algorithm: str) -> None:
    with _session() as s:
        url = f"{httpbin_url}/digest-auth/auth/user/passwd/{algorithm}"
        auth = HTTPDigestAuth("user", "passwd")
        r = s.get(url, auth=auth)
        assert r.status_code == 200, r.text
        assert r.json() == {"authenticated": True, "user": "user"}
        assert [h.status_code for h in r.history] == [401]
        # The nonce is known now: the next request authenticates without a 401.
        r2 = s.get(url, auth=auth)
        assert r2.status_code == 200 and r2.history == []


def test_digest_wrong_password_httpbin(httpbin_url: str) -> None:
    with _session() as s:
        r = s.get(
            f"{httpbin_url}/digest-auth/auth/user/passwd/MD5", auth=HTTPDigestAuth("user", "bad")
        )
        assert r.status_code == 401
        assert len(r.history) == 1


def test_digest_reuses_the_connection(httpbin_url: str) -> None:
    with _session() as s:
        r = s.get(
            f"{httpbin_url}/digest-auth/auth/user/passwd/SHA-256",
            auth=HTTPDigestAuth("user", "passwd"),
        )
        assert r.status_code == 200
        stats = s.get_adapter(httpbin_url).stats()
        assert stats.opened == 1 and stats.reused >= 1


def test_digest_put_file_body_rewound_on_same_connection(raw_server: Any) -> None:
    from tests.servers.raw import canned

    challenge = (
        b"HTTP/1.1 401 Unauthorized\r\n"
        b'WWW-Authenticate: Digest realm="r", nonce="n0", qop="auth", algorithm=SHA-256\r\n'
        b"Content-Length: 6\r\n\r\ndenied"
    )
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    srv = raw_server(canned(challenge, ok))
    with _session() as s:
        body = io.BytesIO(b"prefix|file payload")
        body.read(7)
        r = s.put(srv.url + "/upload", data=body, auth=HTTPDigestAuth("user", "passwd"))
        assert r.status_code == 200 and r.content == b"ok"
        assert [h.status_code for h in r.history] == [401]
    assert srv.connections == 1
    first, second = srv.requests
    assert first.endswith(b"\r\n\r\nfile payload") and b"Authorization" not in first
    assert second.endswith(b"\r\n\r\nfile payload")
    head = second.split(b"\r\n\r\n")[0].decode()
    value = next(
        line.split(":", 1)[1].strip()
        for line in head.split("\r\n")
        if line.lower().startswith("authorization:")
    )
    f = fields(value)
    assert f["uri"] == "/upload" and f["algorithm"] == "SHA-256" and f["nc"] == "00000001"
    assert f["response"] == expected_response(
        hashlib.sha256, "user", "r", "passwd", "PUT", "/upload", "n0", "00000001", f["cnonce"]
    )


def test_basic_against_httpbin(httpbin_url: str) -> None:
    with _session() as s:
        ok = s.get(f"{httpbin_url}/basic-auth/user/pass", auth=HTTPBasicAuth("user", "pass"))
        assert ok.status_code == 200 and ok.json()["authenticated"] is True
        tuple_auth = s.get(f"{httpbin_url}/basic-auth/user/pass", auth=("user", "pass"))
        assert tuple_auth.status_code == 200
        bad = s.get(f"{httpbin_url}/basic-auth/user/pass", auth=("user", "nope"))
        assert bad.status_code == 401


def test_digest_shared_by_threads_httpbin(httpbin_url: str) -> None:
    """One auth object and one Session used by several threads: each thread keeps its own nonce."""
    auth = HTTPDigestAuth("user", "passwd")
    url = f"{httpbin_url}/digest-auth/auth/user/passwd/SHA-256"
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    with _session() as s:

        def work() -> None:
            try:
                for _ in range(3):
                    r = s.get(url, auth=auth)
                    with lock:
                        statuses.append(r.status_code)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
    assert statuses == [200] * 12


@pytest.mark.parametrize(
    "challenge",
    [
        'Digest realm="r"',  # no nonce
        'Digest nonce="n"',  # no realm
        "Digest nonce, realm",  # keys without values
        'Digest realm="r", nonce=""',  # empty nonce
        "Digest \x7f\x01garbage=,,,=",
        "Digest",
    ],
)
def test_unanswerable_digest_challenge_returns_the_401(raw_server: Any, challenge: str) -> None:
    from tests.servers.raw import canned, response

    denied = response(401, b"denied", [("WWW-Authenticate", challenge)])
    srv = raw_server(canned(denied, response(200, b"ok")))
    with _session() as s:
        r = s.get(srv.url + "/", auth=HTTPDigestAuth("user", "passwd"))
        assert r.status_code == 401 and r.content == b"denied"
        assert s.get_adapter(srv.url).stats().in_use == 0
    assert len(srv.requests) == 1  # no answer was attempted
