"""The per-request path of a Session: the environment is read variable by variable (never
scanned, never cached) and no cookie work happens when there are no cookies. No timing here:
these are the structural properties that keep a kept-alive request cheap."""

from __future__ import annotations

import os

import pytest

from httpcore_lite import cookies as cookies_module
from httpcore_lite import sessions


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
