"""The top-level functions (``httpcore_lite.api``): each verb, its defaults, and the throwaway
session behind every call."""

from __future__ import annotations

import pytest

from httpcore_lite import api, sessions
from httpcore_lite.models import Response


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_each_verb(httpbin_url: str, method: str) -> None:
    r = getattr(api, method)(f"{httpbin_url}/anything")
    assert isinstance(r, Response)
    assert r.status_code == 200
    assert r.json()["method"] == method.upper()


def test_request_with_explicit_method(httpbin_url: str) -> None:
    r = api.request("GET", f"{httpbin_url}/get", params={"a": "1"})
    assert r.json()["args"] == {"a": "1"}
    r = api.request("post", f"{httpbin_url}/post", json={"k": "v"})
    assert r.json()["json"] == {"k": "v"}


def test_get_positional_params(httpbin_url: str) -> None:
    r = api.get(f"{httpbin_url}/get", {"q": "requests+language:python"})
    assert r.json()["args"] == {"q": "requests+language:python"}


def test_post_positional_data_and_json(httpbin_url: str) -> None:
    assert api.post(f"{httpbin_url}/post", {"k": "v"}).json()["form"] == {"k": "v"}
    assert api.post(f"{httpbin_url}/post", None, {"k": "v"}).json()["json"] == {"k": "v"}
    assert api.put(f"{httpbin_url}/put", b"raw").json()["data"] == "raw"
    assert api.patch(f"{httpbin_url}/patch", "text").json()["data"] == "text"


def test_head_does_not_follow_redirects_by_default(httpbin_url: str) -> None:
    r = api.head(f"{httpbin_url}/redirect/1")
    assert r.status_code == 302
    r = api.head(f"{httpbin_url}/redirect/1", allow_redirects=True)
    assert r.status_code == 200 and len(r.history) == 1


def test_get_follows_redirects_by_default(httpbin_url: str) -> None:
    r = api.get(f"{httpbin_url}/redirect/2")
    assert r.status_code == 200 and len(r.history) == 2
    r = api.get(f"{httpbin_url}/redirect/2", allow_redirects=False)
    assert r.status_code == 302


def test_options(httpbin_url: str) -> None:
    r = api.options(f"{httpbin_url}/get")
    assert r.status_code == 200
    assert "GET" in r.headers["Allow"]


def test_each_call_closes_its_session(monkeypatch, httpbin_url: str) -> None:
    closed = []
    original = sessions.Session.close

    def recording_close(self) -> None:
        closed.append(self)
        original(self)

    monkeypatch.setattr(sessions.Session, "close", recording_close)
    api.get(f"{httpbin_url}/get")
    api.post(f"{httpbin_url}/post")
    assert len(closed) == 2 and closed[0] is not closed[1]


def test_body_is_readable_after_the_session_closed(httpbin_url: str) -> None:
    r = api.get(f"{httpbin_url}/bytes/5000")
    assert len(r.content) == 5000


def test_no_cookies_survive_between_calls(httpbin_url: str) -> None:
    r = api.get(f"{httpbin_url}/cookies/set?k=v")
    assert r.json()["cookies"] == {"k": "v"}
    assert api.get(f"{httpbin_url}/cookies").json()["cookies"] == {}
