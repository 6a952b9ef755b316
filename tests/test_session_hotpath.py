"""The per-request path of a Session: the environment is read variable by variable (never
scanned, never cached) and no cookie work happens when there are no cookies. No timing here:
these are the structural properties that keep a kept-alive request cheap."""

from __future__ import annotations

import os
import pickle
import threading
import time
import uuid

import pytest

from httpcore_lite import cookies as cookies_module
from httpcore_lite import exceptions, models, sessions


class StrictEnviron(dict):
    """An os.environ stand-in that records lookups and fails on any whole-environment scan."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.looked_up: list[str] = []

    def get(self, key, default=None):
        self.looked_up.append(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.looked_up.append(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.looked_up.append(key)
        return super().__contains__(key)

    def _scan(self, *args, **kwargs):
        raise AssertionError("the whole environment was scanned")

    __iter__ = _scan  # type: ignore[assignment]
    keys = _scan  # type: ignore[assignment]
    items = _scan  # type: ignore[assignment]
    values = _scan  # type: ignore[assignment]
    copy = _scan  # type: ignore[assignment]


@pytest.fixture
def strict_environ(monkeypatch):
    env = StrictEnviron(os.environ)
    monkeypatch.setattr(os, "environ", env)
    return env


def test_get_never_scans_the_environment(httpbin_url, strict_environ) -> None:
    with sessions.Session() as s:
        s.get(f"{httpbin_url}/get")
        strict_environ.looked_up.clear()
        r = s.get(f"{httpbin_url}/get")
        assert r.status_code == 200
    looked_up = set(strict_environ.looked_up)
    assert {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTP_PROXY", "http_proxy"} <= looked_up


def test_get_with_proxy_variables_never_scans_the_environment(httpbin_url, strict_environ) -> None:
    strict_environ["HTTPS_PROXY"] = "http://127.0.0.1:9"
    strict_environ["NO_PROXY"] = "localhost"
    with sessions.Session() as s:
        assert s.get(f"{httpbin_url}/get").status_code == 200


def test_environment_is_read_again_for_every_request(strict_environ) -> None:
    s = sessions.Session()
    url = "https://example.com/"
    assert s.merge_environment_settings(url, {}, None, None, None)["verify"] is True
    strict_environ["REQUESTS_CA_BUNDLE"] = "/etc/bundle.pem"
    assert s.merge_environment_settings(url, {}, None, None, None)["verify"] == "/etc/bundle.pem"
    strict_environ["HTTPS_PROXY"] = "http://proxy.invalid:1"
    settings = s.merge_environment_settings(url, {}, None, None, None)
    assert settings["proxies"]["https"] == "http://proxy.invalid:1"
    del strict_environ["HTTPS_PROXY"]
    assert "https" not in s.merge_environment_settings(url, {}, None, None, None)["proxies"]


def test_no_cookie_merging_without_cookies(httpbin_url, monkeypatch) -> None:
    calls = []
    original = cookies_module.merge_cookies

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(sessions, "merge_cookies", counting)
    with sessions.Session() as s:
        r = s.get(f"{httpbin_url}/get")
        assert r.status_code == 200 and "Cookie" not in r.request.headers
        assert calls == []
        s.cookies.set("now", "some")
        r = s.get(f"{httpbin_url}/get")
        assert r.request.headers["Cookie"] == "now=some"
        assert calls


def test_session_settings_are_not_copied_into_requests(httpbin_url) -> None:
    with sessions.Session() as s:
        s.get(f"{httpbin_url}/get")
        before = dict(s.headers)
        r = s.get(f"{httpbin_url}/get", headers={"X-One": "1"})
        r.request.headers["X-Mutated"] = "yes"
        assert dict(s.headers) == before


# --- a request that brings nothing of its own --------------------------------------------------
# Session.request prepares such a request straight from the session's settings when they allow
# it. These tests hold that shortcut to what prepare_request(Request(...)) makes, and show that
# it steps aside whenever the session has something to merge.


class CountingRequest(models.Request):
    made = 0

    def __init__(self, *args, **kwargs) -> None:
        CountingRequest.made += 1
        super().__init__(*args, **kwargs)


def _session_with(setting: str) -> sessions.Session:
    s = sessions.Session()
    if setting == "header removed":
        s.headers["Accept"] = None
    elif setting == "bytes header":
        s.headers["X-Bytes"] = b"raw"
    elif setting == "new header":
        s.headers["X-Never-Seen"] = uuid.uuid4().hex  # (not yet known to be valid)
    elif setting == "params":
        s.params = {"q": "1"}
    elif setting == "auth":
        s.auth = ("user", "pass")
    elif setting == "hooks":
        s.hooks["response"].append(lambda r, **kwargs: None)
    elif setting == "cookie":
        s.cookies.set("flavour", "oat", domain="127.0.0.1", path="/")
    return s


SETTINGS = ["defaults", "header removed", "bytes header", "new header", "params", "auth", "hooks"]


@pytest.mark.parametrize("setting", [*SETTINGS, "cookie"])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "DELETE"])
def test_bare_request_is_prepared_as_prepare_request_would(httpbin_url, setting, method) -> None:
    with _session_with(setting) as s:
        url = f"{httpbin_url}/anything/x"
        sent = s.request(method.lower(), url).request
        general = s.prepare_request(models.Request(method, url))
        assert sent.method == general.method == method
        assert sent.url == general.url
        assert list(sent.headers.items()) == list(general.headers.items())
        assert sent.body == general.body
        assert sent.hooks == general.hooks
        assert sent.headers is not s.headers
        if method not in ("GET", "HEAD"):
            assert sent.headers["Content-Length"] == "0"


@pytest.mark.parametrize("setting", SETTINGS)
def test_bare_request_takes_the_general_path_when_the_session_has_settings(
    httpbin_url, monkeypatch, setting
) -> None:
    monkeypatch.setattr(sessions, "Request", CountingRequest)
    monkeypatch.setattr(CountingRequest, "made", 0)
    with _session_with(setting) as s:
        s.get(f"{httpbin_url}/get")
        first = CountingRequest.made
        s.get(f"{httpbin_url}/get")
        # With the defaults no Request is built at all; a header seen once is known afterwards.
        expected = {"defaults": (0, 0), "new header": (1, 1)}.get(setting, (1, 2))
        assert (first, CountingRequest.made) == expected


def test_bare_request_goes_through_an_overridden_prepare_request(httpbin_url) -> None:
    seen = []

    class Recording(sessions.Session):
        def prepare_request(self, request):
            seen.append(request)
            return super().prepare_request(request)

    with Recording() as s:
        assert s.get(f"{httpbin_url}/get").status_code == 200
    assert len(seen) == 1 and isinstance(seen[0], models.Request)


def test_cookies_set_by_a_response_are_sent_on_the_next_bare_request(httpbin_url) -> None:
    with sessions.Session() as s:
        assert "Cookie" not in s.get(f"{httpbin_url}/get").request.headers
        s.get(f"{httpbin_url}/cookies/set/flavour/oat", allow_redirects=False)
        r = s.get(f"{httpbin_url}/cookies")
        assert r.request.headers["Cookie"] == "flavour=oat"
        assert r.json() == {"cookies": {"flavour": "oat"}}
        s.cookies.clear()
        assert "Cookie" not in s.get(f"{httpbin_url}/get").request.headers


def test_a_netrc_file_appearing_between_two_bare_requests_is_used(
    httpbin_url, tmp_path, monkeypatch
) -> None:
    netrc = tmp_path / "netrc"
    monkeypatch.setenv("NETRC", str(netrc))
    with sessions.Session() as s:
        assert "Authorization" not in s.get(f"{httpbin_url}/get").request.headers
        netrc.write_text("machine 127.0.0.1 login alice password secret\n")
        r = s.get(f"{httpbin_url}/basic-auth/alice/secret")
        assert r.status_code == 200
        monkeypatch.delenv("NETRC")
        monkeypatch.setenv("HOME", str(tmp_path / "nowhere"))
        assert "Authorization" not in s.get(f"{httpbin_url}/get").request.headers


def test_a_proxy_variable_set_between_two_bare_requests_is_used(httpbin_url, monkeypatch) -> None:
    with sessions.Session() as s:
        assert s.get(f"{httpbin_url}/get").status_code == 200
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
        with pytest.raises(exceptions.ProxyError):
            s.get(f"{httpbin_url}/get")
        monkeypatch.delenv("HTTP_PROXY")
        assert s.get(f"{httpbin_url}/get").status_code == 200


# --- the session's cookie jar, made on first use -------------------------------------------------


def test_session_cookie_jar_is_one_jar_made_when_asked_for() -> None:
    s = sessions.Session()
    jar = s.cookies
    assert isinstance(jar, cookies_module.RequestsCookieJar) and len(jar) == 0
    assert s.cookies is jar
    s.cookies = None  # type: ignore[assignment]  # (what the user assigns is kept, None too)
    assert s.cookies is None
    other = cookies_module.RequestsCookieJar()
    s.cookies = other
    assert s.cookies is other


def test_session_cookie_jar_survives_pickling() -> None:
    s = sessions.Session()
    s.cookies.set("flavour", "oat")
    clone = pickle.loads(pickle.dumps(s))
    assert clone.cookies.get("flavour") == "oat"
    assert pickle.loads(pickle.dumps(sessions.Session())).cookies.get("flavour") is None


def test_threads_sharing_a_new_session_get_one_cookie_jar(monkeypatch) -> None:
    made = sessions.cookiejar_from_dict

    def slow(*args, **kwargs):
        time.sleep(0.01)  # (widens the window in which a second jar could be made)
        return made(*args, **kwargs)

    monkeypatch.setattr(sessions, "cookiejar_from_dict", slow)
    s = sessions.Session()
    start = threading.Barrier(8)
    seen = []

    def first_use() -> None:
        start.wait()
        seen.append(s.cookies)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(jar is seen[0] for jar in seen)
