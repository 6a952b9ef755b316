"""Unit tests for httpcore_lite.cookies: the jar's dict interface and the cookiejar glue."""

from __future__ import annotations

import copy
import pickle
import threading
import time
from http import cookiejar as cookielib
from http.cookies import Morsel, SimpleCookie
from typing import Any

import pytest

from httpcore_lite.cookies import (
    CookieConflictError,
    MockRequest,
    MockResponse,
    RequestsCookieJar,
    _copy_cookie_jar,
    cookiejar_from_dict,
    create_cookie,
    extract_cookies_to_jar,
    get_cookie_header,
    merge_cookies,
    morsel_to_cookie,
    remove_cookie_by_name,
)
from httpcore_lite.structures import CaseInsensitiveDict


class FakeRequest:
    """The two attributes the cookie glue reads from a PreparedRequest."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.headers = CaseInsensitiveDict(headers or {})


class FakeRaw:
    """A raw response as the transport builds it: header fields in wire order, duplicates kept."""

    def __init__(self, *fields: tuple[str, str]) -> None:
        self.header_list = tuple(fields)


def received(
    url: str, *set_cookies: str, jar: RequestsCookieJar | None = None
) -> RequestsCookieJar:
    jar = RequestsCookieJar() if jar is None else jar
    raw = FakeRaw(("Content-Type", "text/plain"), *(("Set-Cookie", v) for v in set_cookies))
    extract_cookies_to_jar(jar, FakeRequest(url), raw)
    return jar


# --- create_cookie / morsel_to_cookie -----------------------------------------------------------


class TestCreateCookie:
    def test_defaults(self) -> None:
        c = create_cookie("name", "value")
        assert (c.name, c.value) == ("name", "value")
        assert c.version == 0 and c.port is None and not c.port_specified
        assert c.domain == "" and not c.domain_specified and not c.domain_initial_dot
        assert c.path == "/" and c.path_specified
        assert c.secure is False and c.expires is None and c.discard is True
        assert c.comment is None and c.comment_url is None and c.rfc2109 is False
        assert c.has_nonstandard_attr("HttpOnly")

    def test_kwargs(self) -> None:
        c = create_cookie("n", "v", domain=".example.com", path="/p", secure=True, port="80")
        assert c.domain_specified and c.domain_initial_dot and c.secure
        assert c.port_specified and c.path == "/p"

    def test_rest_not_shared(self) -> None:
        a, b = create_cookie("a", "1"), create_cookie("b", "2")
        a._rest["x"] = "y"  # type: ignore[attr-defined]
        assert "x" not in b._rest  # type: ignore[attr-defined]

    def test_bad_args(self) -> None:
        with pytest.raises(TypeError, match="unexpected keyword arguments"):
            create_cookie("n", "v", bogus=1)


class TestMorselToCookie:
    def _morsel(self, **attrs: Any) -> Morsel:  # type: ignore[type-arg]
        m: Morsel = Morsel()  # type: ignore[type-arg]
        m.set("foo", "bar", "bar")
        for k, v in attrs.items():
            m[k.replace("_", "-")] = v
        return m

    def test_plain(self) -> None:
        c = morsel_to_cookie(self._morsel(path="/x", domain="example.com", secure=True))
        assert (c.name, c.value, c.path, c.domain, c.secure) == (
            "foo",
            "bar",
            "/x",
            "example.com",
            True,
        )
        assert c.expires is None and c.discard is False

    def test_max_age(self) -> None:
        before = time.time()
        c = morsel_to_cookie(self._morsel(max_age="100"))
        assert c.expires is not None and before + 99 <= c.expires <= time.time() + 101

    def test_max_age_wins_over_expires(self) -> None:
        c = morsel_to_cookie(self._morsel(max_age="10", expires="Thu, 01-Jan-1970 00:00:01 GMT"))
        assert c.expires is not None and c.expires > time.time()

    @pytest.mark.parametrize(
        "expires", ["Thu, 01-Jan-1970 00:00:01 GMT", "Thu, 01 Jan 1970 00:00:01 GMT"]
    )
    def test_expires(self, expires: str) -> None:
        assert morsel_to_cookie(self._morsel(expires=expires)).expires == 1

    def test_invalid_max_age(self) -> None:
        with pytest.raises(TypeError, match="max-age"):
            morsel_to_cookie(self._morsel(max_age="woops"))

    def test_invalid_expires(self) -> None:
        with pytest.raises(TypeError):
            morsel_to_cookie(self._morsel(expires=100))
        with pytest.raises(ValueError):
            morsel_to_cookie(self._morsel(expires="woops"))

    def test_jar_set_morsel(self) -> None:
        jar = RequestsCookieJar()
        cookie = SimpleCookie()
        cookie["session"] = "abc"
        jar.set("ignored-name", cookie["session"])
        assert jar["session"] == "abc"


# --- RequestsCookieJar as a dict ----------------------------------------------------------------


class TestJarDictInterface:
    @pytest.fixture
    def jar(self) -> RequestsCookieJar:
        jar = RequestsCookieJar()
        jar.set("a", "1", domain="example.com", path="/")
        jar.set("b", "2", domain="example.com", path="/sub")
        jar.set("c", "3", domain="other.org", path="/")
        return jar

    def test_getitem_setitem_delitem(self) -> None:
        jar = RequestsCookieJar()
        jar["k"] = "v"
        assert jar["k"] == "v"
        jar["k"] = "w"
        assert jar["k"] == "w" and len(jar) == 1
        del jar["k"]
        assert "k" not in jar
        with pytest.raises(KeyError):
            jar["k"]

    def test_get(self, jar: RequestsCookieJar) -> None:
        assert jar.get("a") == "1"
        assert jar.get("missing") is None
        assert jar.get("missing", "dflt") == "dflt"
        assert jar.get("a", domain="other.org") is None
        assert jar.get("b", path="/sub") == "2"
        assert jar.get("b", path="/") is None

    def test_views(self, jar: RequestsCookieJar) -> None:
        assert jar.keys() == ["a", "b", "c"]
        assert jar.values() == ["1", "2", "3"]
        assert jar.items() == [("a", "1"), ("b", "2"), ("c", "3")]
        assert list(jar.iterkeys()) == ["a", "b", "c"]
        assert list(jar.itervalues()) == ["1", "2", "3"]
        assert list(jar.iteritems()) == [("a", "1"), ("b", "2"), ("c", "3")]
        assert dict(jar) == {"a": "1", "b": "2", "c": "3"}
        assert all(isinstance(c, cookielib.Cookie) for c in jar)
        assert len(jar) == 3

    def test_domains_and_paths(self, jar: RequestsCookieJar) -> None:
        assert jar.list_domains() == ["example.com", "other.org"]
        assert jar.list_paths() == ["/", "/sub"]
        assert jar.multiple_domains() is True
        single = RequestsCookieJar()
        single.set("a", "1", domain="x.test")
        single.set("b", "1", domain="x.test")
        assert single.multiple_domains() is False
        assert RequestsCookieJar().multiple_domains() is False

    def test_get_dict(self, jar: RequestsCookieJar) -> None:
        assert jar.get_dict() == {"a": "1", "b": "2", "c": "3"}
        assert jar.get_dict(domain="example.com") == {"a": "1", "b": "2"}
        assert jar.get_dict(path="/sub") == {"b": "2"}
        assert jar.get_dict(domain="example.com", path="/") == {"a": "1"}
        assert jar.get_dict(domain="nowhere") == {}

    def test_conflict(self) -> None:
        jar = RequestsCookieJar()
        jar.set("token", "one", domain="a.test")
        jar.set("token", "two", domain="b.test")
        with pytest.raises(CookieConflictError, match="multiple cookies with name, 'token'"):
            jar["token"]
        with pytest.raises(CookieConflictError):
            jar.get("token")
        assert "token" in jar  # a conflict still means "present"
        assert jar.get("token", domain="b.test") == "two"
        assert jar._find("token") == "one"
        assert issubclass(CookieConflictError, RuntimeError)

    def test_set_none_removes(self, jar: RequestsCookieJar) -> None:
        jar.set("a", None)
        assert "a" not in jar and len(jar) == 2

    def test_set_none_with_domain(self) -> None:
        jar = RequestsCookieJar()
        jar.set("t", "1", domain="a.test")
        jar.set("t", "2", domain="b.test")
        jar.set("t", None, domain="a.test")
        assert jar.items() == [("t", "2")]

    def test_set_returns_cookie(self) -> None:
        c = RequestsCookieJar().set("n", "v", secure=True)
        assert isinstance(c, cookielib.Cookie) and c.secure

    def test_empty_value_is_found(self) -> None:
        jar = RequestsCookieJar()
        jar["empty"] = ""
        assert jar["empty"] == ""
        assert "empty" in jar

    def test_escaped_quotes_stripped(self) -> None:
        jar = RequestsCookieJar()
        jar.set("q", '"a\\"b\\"c"')
        assert jar["q"] == '"abc"'
        jar.set("plain", '"quoted"')
        assert jar["plain"] == '"quoted"'

    def test_update_from_dict_and_jar(self, jar: RequestsCookieJar) -> None:
        other = RequestsCookieJar()
        other.update({"x": "9"})
        assert other["x"] == "9"
        other.update(jar)
        assert sorted(other.keys()) == ["a", "b", "c", "x"]
        # Copies: changing the source's cookie objects does not change ours.
        for cookie in jar:
            cookie.value = "changed"
        assert other["a"] == "1"

    def test_update_from_plain_cookiejar(self) -> None:
        plain = cookielib.CookieJar()
        plain.set_cookie(create_cookie("p", "1"))
        jar = RequestsCookieJar()
        jar.update(plain)
        assert jar["p"] == "1"

    def test_copy(self, jar: RequestsCookieJar) -> None:
        policy = cookielib.DefaultCookiePolicy(blocked_domains=["blocked.test"])
        jar.set_policy(policy)
        clone = jar.copy()
        assert isinstance(clone, RequestsCookieJar)
        assert clone is not jar and clone.items() == jar.items()
        assert clone.get_policy() is policy
        clone["new"] = "x"
        assert "new" not in jar

    def test_pickle(self, jar: RequestsCookieJar) -> None:
        clone = pickle.loads(pickle.dumps(jar))
        assert clone.items() == jar.items()
        assert isinstance(clone, RequestsCookieJar)
        # The lock is recreated, so the clone is usable from threads.
        clone["after"] = "1"
        assert clone["after"] == "1"
        assert "_cookies_lock" not in jar.__getstate__()

    def test_deepcopy(self, jar: RequestsCookieJar) -> None:
        clone = copy.deepcopy(jar)
        assert clone.items() == jar.items()

    def test_mapping_equality_and_unhashable(self, jar: RequestsCookieJar) -> None:
        assert jar == {"a": "1", "b": "2", "c": "3"}
        assert jar != {"a": "1"}
        with pytest.raises(TypeError):
            hash(jar)

    def test_mutable_mapping_mixins(self) -> None:
        jar = RequestsCookieJar()
        jar["a"] = "1"
        assert jar.pop("a") == "1"
        assert "a" not in jar
        assert jar.setdefault("b", "2") == "2"
        assert jar["b"] == "2"

    def test_threads_share_a_jar(self) -> None:
        jar = RequestsCookieJar()

        def work(n: int) -> None:
            for i in range(50):
                jar.set(f"c{n}-{i}", str(i))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(jar) == 200


# --- helpers ------------------------------------------------------------------------------------


class TestHelpers:
    def test_cookiejar_from_dict(self) -> None:
        jar = cookiejar_from_dict({"a": "1", "b": "2"})
        assert isinstance(jar, RequestsCookieJar) and jar.get_dict() == {"a": "1", "b": "2"}
        assert cookiejar_from_dict(None).items() == []
        cookiejar_from_dict({"a": "new"}, jar, overwrite=False)
        assert jar["a"] == "1"
        cookiejar_from_dict({"a": "new"}, jar, overwrite=True)
        assert jar["a"] == "new"

    def test_cookiejar_from_dict_into_plain_jar(self) -> None:
        plain = cookielib.CookieJar()
        assert cookiejar_from_dict({"a": "1"}, plain) is plain
        assert [c.name for c in plain] == ["a"]

    def test_merge_cookies(self) -> None:
        jar = cookiejar_from_dict({"a": "1"})
        merged = merge_cookies(jar, {"a": "overwritten?", "b": "2"})
        assert merged is jar
        assert jar.get_dict() == {"a": "1", "b": "2"}  # dicts do not overwrite
        other = cookiejar_from_dict({"c": "3"})
        merge_cookies(jar, other)
        assert jar["c"] == "3"
        assert merge_cookies(jar, None) is jar
        assert merge_cookies(jar, {}) is jar
        assert merge_cookies(jar, RequestsCookieJar()) is jar
        plain = cookielib.CookieJar()
        plain.set_cookie(create_cookie("p", "4"))
        merge_cookies(jar, plain)
        assert jar["p"] == "4"

    def test_merge_into_plain_jar(self) -> None:
        plain = cookielib.CookieJar()
        merge_cookies(plain, cookiejar_from_dict({"x": "1"}))
        assert [c.name for c in plain] == ["x"]

    def test_merge_requires_jar(self) -> None:
        with pytest.raises(ValueError, match="only merge into CookieJar"):
            merge_cookies({}, {"a": "1"})  # type: ignore[arg-type]

    def test_empty_jar_fast_path_does_not_lock(self) -> None:
        class NoLockJar(RequestsCookieJar):
            def __iter__(self) -> Any:
                raise AssertionError("jar iterated")

            def add_cookie_header(self, request: Any) -> None:
                raise AssertionError("cookie policy consulted")

        jar = NoLockJar()
        assert merge_cookies(RequestsCookieJar(), jar) is not None
        assert get_cookie_header(jar, FakeRequest("http://a.test/")) is None

    def test_remove_cookie_by_name(self) -> None:
        jar = RequestsCookieJar()
        jar.set("t", "1", domain="a.test", path="/")
        jar.set("t", "2", domain="a.test", path="/x")
        jar.set("t", "3", domain="b.test", path="/")
        jar.set("u", "4", domain="a.test", path="/")
        remove_cookie_by_name(jar, "t", domain="a.test", path="/x")
        assert sorted(jar.values()) == ["1", "3", "4"]
        remove_cookie_by_name(jar, "t", domain="a.test")
        assert sorted(jar.values()) == ["3", "4"]
        remove_cookie_by_name(jar, "t")
        assert jar.items() == [("u", "4")]

    def test_copy_cookie_jar(self) -> None:
        assert _copy_cookie_jar(None) is None
        jar = cookiejar_from_dict({"a": "1"})
        clone = _copy_cookie_jar(jar)
        assert isinstance(clone, RequestsCookieJar) and clone is not jar
        assert clone.items() == [("a", "1")]  # type: ignore[union-attr]
        plain = cookielib.CookieJar()
        plain.set_cookie(create_cookie("p", "1"))
        plain_clone = _copy_cookie_jar(plain)
        assert type(plain_clone) is cookielib.CookieJar and plain_clone is not plain
        assert [c.name for c in plain_clone] == ["p"]  # type: ignore[union-attr]
        plain.clear()
        assert [c.name for c in plain_clone] == ["p"]  # type: ignore[union-attr]


# --- adapters to http.cookiejar -----------------------------------------------------------------


class TestMockRequestResponse:
    def test_mock_request(self) -> None:
        r = MockRequest(FakeRequest("https://example.com:8443/p?q=1", {"Accept": "*/*"}))
        assert r.get_type() == r.type == "https"
        assert r.get_host() == r.host == "example.com:8443"
        assert r.get_origin_req_host() == r.origin_req_host == "example.com:8443"
        assert r.get_full_url() == "https://example.com:8443/p?q=1"
        assert r.is_unverifiable() is True and r.unverifiable is True
        assert r.has_header("accept") and not r.has_header("Cookie")
        assert r.get_header("Accept") == "*/*" and r.get_header("X", "d") == "d"
        r.add_unredirected_header("Cookie", "a=1")
        assert r.has_header("Cookie") and r.get_new_headers() == {"Cookie": "a=1"}
        with pytest.raises(NotImplementedError):
            r.add_header("X", "y")

    def test_full_url_uses_host_header(self) -> None:
        r = MockRequest(FakeRequest("http://10.0.0.1/p?q", {"Host": "virtual.test"}))
        assert r.get_full_url() == "http://virtual.test/p?q"
        r2 = MockRequest(FakeRequest("http://10.0.0.1/p", {"Host": b"bytes.test"}))  # type: ignore[dict-item]
        assert r2.get_full_url() == "http://bytes.test/p"

    def test_mock_response(self) -> None:
        m = MockResponse([("Set-Cookie", "a=1"), ("X", "y"), ("set-cookie", "b=2")])
        assert m.info() is m
        assert m.get_all("SET-COOKIE", []) == ["a=1", "b=2"]
        assert m.get_all("Set-Cookie2", []) == []
        assert m.get_all("Missing") is None
        assert m.getheaders("x") == ["y"]


class TestExtractAndSend:
    def test_no_set_cookie_returns_before_cookiejar(self) -> None:
        class Refusing(RequestsCookieJar):
            def extract_cookies(self, response: Any, request: Any) -> None:
                raise AssertionError("cookiejar consulted without Set-Cookie")

        jar = Refusing()
        extract_cookies_to_jar(jar, FakeRequest("http://a.test/"), FakeRaw(("X", "y")))
        extract_cookies_to_jar(jar, FakeRequest("http://a.test/"), FakeRaw())
        assert len(jar) == 0

    def test_host_only_cookie_scoped_to_response_host(self) -> None:
        jar = received("http://a.example.com/login", "sid=1; Path=/")
        assert get_cookie_header(jar, FakeRequest("http://a.example.com/x")) == "sid=1"
        assert get_cookie_header(jar, FakeRequest("http://b.example.com/x")) is None
        assert get_cookie_header(jar, FakeRequest("http://evil.test/")) is None
        assert get_cookie_header(jar, FakeRequest("http://sub.a.example.com/")) is None

    def test_domain_cookie(self) -> None:
        jar = received("http://www.example.com/", "d=1; Domain=example.com; Path=/")
        assert get_cookie_header(jar, FakeRequest("http://api.example.com/")) == "d=1"
        assert get_cookie_header(jar, FakeRequest("http://example.org/")) is None

    def test_foreign_domain_rejected(self) -> None:
        jar = received("http://www.example.com/", "evil=1; Domain=other.test")
        assert len(jar) == 0

    def test_path_scoping(self) -> None:
        jar = received("http://h.test/app/login", "p=1; Path=/app")
        assert get_cookie_header(jar, FakeRequest("http://h.test/app/page")) == "p=1"
        assert get_cookie_header(jar, FakeRequest("http://h.test/other")) is None

    def test_secure_only_over_https(self) -> None:
        jar = received("https://h.test/", "s=1; Secure")
        assert get_cookie_header(jar, FakeRequest("https://h.test/")) == "s=1"
        assert get_cookie_header(jar, FakeRequest("http://h.test/")) is None

    def test_many_set_cookie_fields_with_commas(self) -> None:
        jar = received(
            "http://h.test/",
            "a=1; Expires=Wed, 09 Jun 2100 10:18:14 GMT; Path=/",
            "b=2; Path=/",
        )
        assert jar.get_dict() == {"a": "1", "b": "2"}
        assert get_cookie_header(jar, FakeRequest("http://h.test/")) in ("a=1; b=2", "b=2; a=1")

    def test_expired_cookie_removes(self) -> None:
        jar = received("http://h.test/", "a=1; Path=/")
        received("http://h.test/", "a=gone; Path=/; Max-Age=0", jar=jar)
        assert len(jar) == 0

    def test_existing_cookie_header_is_kept(self) -> None:
        jar = received("http://h.test/", "a=1")
        assert get_cookie_header(jar, FakeRequest("http://h.test/", {"Cookie": "mine=1"})) is None

    def test_fallback_to_headers_without_header_list(self) -> None:
        class WithHeaders:
            headers = {"Set-Cookie": "f=1; Path=/"}

        jar = RequestsCookieJar()
        extract_cookies_to_jar(jar, FakeRequest("http://h.test/"), WithHeaders())
        assert jar["f"] == "1"
        extract_cookies_to_jar(jar, FakeRequest("http://h.test/"), object())
        assert len(jar) == 1

    def test_cookie_from_dict_sent_to_any_host(self) -> None:
        jar = cookiejar_from_dict({"k": "v"})
        assert get_cookie_header(jar, FakeRequest("http://anywhere.test/")) == "k=v"
        assert get_cookie_header(None, FakeRequest("http://anywhere.test/")) is None  # type: ignore[arg-type]


def test_host_only_policy_is_default_and_replaceable() -> None:
    from httpcore_lite.cookies import HostOnlyCookiePolicy

    assert isinstance(RequestsCookieJar().get_policy(), HostOnlyCookiePolicy)
    assert isinstance(
        pickle.loads(pickle.dumps(RequestsCookieJar())).get_policy(), HostOnlyCookiePolicy
    )
    # With the standard library's Netscape policy, subdomains get host-only cookies too.
    legacy = RequestsCookieJar(policy=cookielib.DefaultCookiePolicy())
    received("http://a.example.com/", "sid=1", jar=legacy)
    assert get_cookie_header(legacy, FakeRequest("http://sub.a.example.com/")) == "sid=1"
    strict = received("http://a.example.com/", "sid=1")
    assert get_cookie_header(strict, FakeRequest("http://sub.a.example.com/")) is None
    assert get_cookie_header(strict, FakeRequest("http://A.Example.com:8080/")) == "sid=1"


def test_localhost_cookies_round_trip() -> None:
    jar = received("http://localhost:8000/", "l=1")
    assert get_cookie_header(jar, FakeRequest("http://localhost:8000/x")) == "l=1"
    jar = received("http://127.0.0.1:8000/", "ip=1")
    assert get_cookie_header(jar, FakeRequest("http://127.0.0.1:9000/")) == "ip=1"
    assert get_cookie_header(jar, FakeRequest("http://localhost:8000/")) is None


def test_morsel_int_max_age_and_no_expires() -> None:
    m: Morsel = Morsel()  # type: ignore[type-arg]
    m.set("k", "v", "v")
    m["max-age"] = 60  # type: ignore[assignment]
    assert isinstance(morsel_to_cookie(m).expires, int)
    plain: Morsel = Morsel()  # type: ignore[type-arg]
    plain.set("k", "v", "v")
    assert morsel_to_cookie(plain).expires is None


def test_copy_keeps_a_custom_policy_class() -> None:
    class MyPolicy(cookielib.DefaultCookiePolicy):
        pass

    jar = RequestsCookieJar()
    jar.set_policy(MyPolicy())
    assert isinstance(jar.copy().get_policy(), MyPolicy)


def test_cookie_parameters_kept() -> None:
    jar = RequestsCookieJar()
    jar.set("k", "v", secure=True, domain="test.com", rest={"HttpOnly": True})
    cookie = next(iter(jar))
    assert cookie.secure and cookie.domain == "test.com"
    assert cookie.has_nonstandard_attr("HttpOnly")


class _ReferencePolicy(cookielib.DefaultCookiePolicy):
    """The standard library's policy plus the host-only rule, written the slow, obvious way."""

    def return_ok_domain(self, cookie: cookielib.Cookie, request: Any) -> bool:
        if cookie.version == 0 and cookie.domain and not cookie.domain_specified:
            req_host, erhn = cookielib.eff_request_host(request)  # type: ignore[attr-defined]
            if cookie.domain.lower() not in (req_host, erhn):
                return False
        return super().return_ok_domain(cookie, request)


_POLICY_SETTINGS: list[dict[str, Any]] = [
    {},
    {"strict_ns_unverifiable": True},
    {"strict_rfc2965_unverifiable": False, "rfc2965": True},
    {"strict_ns_domain": cookielib.DefaultCookiePolicy.DomainStrict},
    {"blocked_domains": [".other.org"]},
    {"allowed_domains": ["example.com", ".example.com"]},
    {"rfc2965": True},
]


def _matrix_cookies() -> list[cookielib.Cookie]:
    cookies = []
    n = 0
    for domain in ("", "example.com", ".example.com", "a.example.com", "localhost.local",
                   "127.0.0.1", "other.org", "EXAMPLE.com"):  # fmt: skip
        for specified in (False, True):
            for version in (0, 1):
                for secure, path, port, expires in (
                    (False, "/", None, None),
                    (True, "/app", None, None),
                    (False, "/", "8080", None),
                    (False, "/", None, 1),  # expired
                ):
                    n += 1
                    cookies.append(
                        create_cookie(
                            f"c{n}",
                            f"v{n}",
                            domain=domain,
                            version=version,
                            secure=secure,
                            path=path,
                            port=port,
                            expires=expires,
                        )
                    )
                    cookies[-1].domain_specified = specified
    return cookies


@pytest.mark.parametrize("settings", _POLICY_SETTINGS)
def test_fast_policy_decides_like_the_standard_library(settings: dict[str, Any]) -> None:
    from httpcore_lite.cookies import HostOnlyCookiePolicy

    urls = [
        f"{scheme}://{host}{port}{path}"
        for scheme in ("http", "https")
        for host in (
            "example.com",
            "a.example.com",
            "b.a.example.com",
            "localhost",
            "127.0.0.1",
            "other.org",
            "EXAMPLE.COM",
        )  # fmt: skip
        for port in ("", ":8080")
        for path in ("/", "/app/x", "/other")
    ]
    compared = 0
    for url in urls:
        fast = RequestsCookieJar(policy=HostOnlyCookiePolicy(**settings))
        slow = RequestsCookieJar(policy=_ReferencePolicy(**settings))
        for cookie in _matrix_cookies():
            fast.set_cookie(copy.copy(cookie))
            slow.set_cookie(copy.copy(cookie))
        expected = get_cookie_header(slow, FakeRequest(url))
        assert get_cookie_header(fast, FakeRequest(url)) == expected, url
        compared += expected is not None
    assert compared > 0  # the matrix exercises real matches, not only refusals


def test_mock_response_takes_any_headers_with_get_all() -> None:
    import email.message

    from httpcore_lite.cookies import MockResponse, extract_cookies_to_jar

    message = email.message.Message()
    message["Set-Cookie"] = "a=1; Path=/"
    message["Set-Cookie"] = "b=2; Path=/"
    assert MockResponse(message).info().get_all("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert MockResponse([("set-cookie", "c=3")]).getheaders("Set-Cookie") == ["c=3"]

    class Original:
        msg = message

    class Raw:  # urllib3's shape: cookies come from _original_response.msg, as in requests
        _original_response = Original()
        headers: dict[str, str] = {}

    from httpcore_lite.models import Request

    jar = httpcore_lite_jar()
    extract_cookies_to_jar(jar, Request("GET", "http://host.example/").prepare(), Raw())
    assert {c.name: c.value for c in jar} == {"a": "1", "b": "2"}


def httpcore_lite_jar():  # type: ignore[no-untyped-def]
    from httpcore_lite.cookies import RequestsCookieJar

    return RequestsCookieJar()
