"""What a Session takes from the environment when ``trust_env`` is set: proxies (HTTP_PROXY,
HTTPS_PROXY, ALL_PROXY in either case, NO_PROXY), CA bundles (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE)
and .netrc credentials (NETRC). Variables are read afresh for every request."""

from __future__ import annotations

import socket
from urllib.parse import quote, urlsplit

import pytest

from httpcore_lite import sessions
from httpcore_lite.exceptions import ProxyError, SSLError
from tests.servers.raw import canned


@pytest.fixture
def s():
    with sessions.Session() as session:
        yield session


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Type: text/plain\r\n\r\nproxied"


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- proxies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_proxy_from_environment_is_used(s, raw_server, monkeypatch, name) -> None:
    fake_proxy = raw_server(canned(OK))
    monkeypatch.setenv(name, fake_proxy.url)
    r = s.get("http://origin.invalid/path?q=1")
    assert r.content == b"proxied"
    # A forward proxy receives the absolute-form target.
    assert fake_proxy.requests[0].startswith(b"GET http://origin.invalid/path?q=1 HTTP/1.1\r\n")


def test_real_forward_proxy_from_environment(s, proxy_url, httpbin_url, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    r = s.get(f"{httpbin_url}/get?via=proxy")
    assert r.status_code == 200 and r.json()["args"] == {"via": "proxy"}


def test_real_connect_proxy_from_environment(
    s, proxy_url, httpbin_tls_url, ca_bundle, monkeypatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy_url)
    r = s.get(f"{httpbin_tls_url}/get", verify=ca_bundle)
    assert r.status_code == 200


def test_unreachable_proxy_from_environment_gives_proxy_error(s, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_unused_port()}")
    with pytest.raises(ProxyError):
        s.get("http://origin.invalid/", timeout=5)


@pytest.mark.parametrize(
    "no_proxy",
    ["127.0.0.1", "localhost,127.0.0.1", "127.0.0.0/8", "*", "example.com, 127.0.0.1"],
)
def test_no_proxy_bypasses_the_proxy(s, httpbin_url, monkeypatch, no_proxy) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_unused_port()}")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert s.get(f"{httpbin_url}/get").status_code == 200


def test_no_proxy_with_port(s, httpbin_url, monkeypatch) -> None:
    port = urlsplit(httpbin_url).port
    url = f"http://localhost:{port}/get"
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_unused_port()}")
    monkeypatch.setenv("no_proxy", f"localhost:{port}")
    assert s.get(url).status_code == 200
    monkeypatch.setenv("no_proxy", "localhost:1")
    with pytest.raises(ProxyError):
        s.get(url, timeout=5)


def test_no_proxy_for_other_hosts_does_not_bypass(s, raw_server, monkeypatch) -> None:
    fake_proxy = raw_server(canned(OK))
    monkeypatch.setenv("HTTP_PROXY", fake_proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.com,10.0.0.0/8")
    assert s.get("http://origin.invalid/").content == b"proxied"


def test_no_proxy_in_proxies_argument(s, httpbin_url, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_unused_port()}")
    r = s.get(f"{httpbin_url}/get", proxies={"no_proxy": "127.0.0.1"})
    assert r.status_code == 200


def test_trust_env_false_ignores_proxy_variables(s, httpbin_url, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_unused_port()}")
    s.trust_env = False
    assert s.get(f"{httpbin_url}/get").status_code == 200


def test_explicit_proxies_win_over_environment(s, raw_server, monkeypatch) -> None:
    fake_proxy = raw_server(canned(OK))
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_unused_port()}")
    r = s.get("http://origin.invalid/", proxies={"http": fake_proxy.url})
    assert r.content == b"proxied"


def test_session_proxies_are_used(s, raw_server) -> None:
    fake_proxy = raw_server(canned(OK))
    s.proxies = {"http": fake_proxy.url}
    assert s.get("http://origin.invalid/").content == b"proxied"


def test_environment_change_takes_effect_on_the_next_request(
    s, raw_server, httpbin_url, monkeypatch
) -> None:
    fake_proxy = raw_server(canned(OK, OK))
    assert s.get(f"{httpbin_url}/get").status_code == 200
    monkeypatch.setenv("HTTP_PROXY", fake_proxy.url)
    assert s.get(f"{httpbin_url}/get").content == b"proxied"
    monkeypatch.delenv("HTTP_PROXY")
    assert s.get(f"{httpbin_url}/get").status_code == 200
    assert len(fake_proxy.requests) == 1


def test_merge_environment_settings_does_not_mutate_callers_proxies(s, monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    mine = {"http": "http://mine.invalid:1"}
    settings = s.merge_environment_settings("https://example.com/", mine, None, None, None)
    assert settings["proxies"]["https"] == "http://proxy.invalid:3128"
    assert settings["proxies"]["http"] == "http://mine.invalid:1"
    assert mine == {"http": "http://mine.invalid:1"}


def test_redirect_through_authenticated_proxy(s, auth_proxy_url, httpbin_url, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", auth_proxy_url)
    r = s.get(f"{httpbin_url}/redirect-to?url={quote('/headers', safe='')}")
    assert r.status_code == 200 and len(r.history) == 1
    # A plain-http request goes to the forward proxy as a whole: after the redirect it carries
    # the proxy URL's own credentials (and nothing a caller set for the first request).
    assert r.request.headers["Proxy-Authorization"] == "Basic dXNlcjpwYXNz"  # user:pass


def test_proxy_credentials_never_reach_the_origin_through_a_tunnel(
    s, auth_proxy_url, httpbin_tls_url, ca_bundle, monkeypatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", auth_proxy_url)
    r = s.get(f"{httpbin_tls_url}/redirect-to?url={quote('/headers', safe='')}", verify=ca_bundle)
    assert r.status_code == 200 and len(r.history) == 1
    # Inside the CONNECT tunnel the origin sees exactly our request headers.
    assert "Proxy-Authorization" not in r.json()["headers"]


# --- CA bundles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_ca_bundle_from_environment(s, httpbin_tls_url, ca_bundle, monkeypatch, name) -> None:
    with pytest.raises(SSLError):
        s.get(f"{httpbin_tls_url}/get")
    monkeypatch.setenv(name, ca_bundle)
    assert s.get(f"{httpbin_tls_url}/get").status_code == 200


def test_requests_ca_bundle_wins_over_curl_ca_bundle(s, monkeypatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/first.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/second.pem")
    settings = s.merge_environment_settings("https://example.com/", {}, None, None, None)
    assert settings["verify"] == "/first.pem"
    # An explicit verify (False or a path) is never overridden.
    settings = s.merge_environment_settings("https://example.com/", {}, None, False, None)
    assert settings["verify"] is False
    settings = s.merge_environment_settings("https://example.com/", {}, None, "/mine.pem", None)
    assert settings["verify"] == "/mine.pem"


def test_ca_bundle_ignored_without_trust_env(s, httpbin_tls_url, ca_bundle, monkeypatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_bundle)
    s.trust_env = False
    with pytest.raises(SSLError):
        s.get(f"{httpbin_tls_url}/get")
    assert s.get(f"{httpbin_tls_url}/get", verify=ca_bundle).status_code == 200


# --- netrc --------------------------------------------------------------------------------------


def _netrc(tmp_path, monkeypatch, machine: str, login: str = "user", password: str = "passwd"):
    path = tmp_path / "netrc"
    path.write_text(f"machine {machine}\nlogin {login}\npassword {password}\n")
    path.chmod(0o600)
    monkeypatch.setenv("NETRC", str(path))
    return path


def test_netrc_credentials_for_exact_host(s, httpbin_url, tmp_path, monkeypatch) -> None:
    _netrc(tmp_path, monkeypatch, "127.0.0.1")
    r = s.get(f"{httpbin_url}/basic-auth/user/passwd")
    assert r.status_code == 200
    assert r.request.headers["Authorization"].startswith("Basic ")


def test_netrc_other_host_is_not_used(s, httpbin_url, tmp_path, monkeypatch) -> None:
    _netrc(tmp_path, monkeypatch, "localhost")
    r = s.get(f"{httpbin_url}/basic-auth/user/passwd")
    assert r.status_code == 401
    assert "Authorization" not in r.request.headers


def test_netrc_ignored_without_trust_env(s, httpbin_url, tmp_path, monkeypatch) -> None:
    _netrc(tmp_path, monkeypatch, "127.0.0.1")
    s.trust_env = False
    assert s.get(f"{httpbin_url}/basic-auth/user/passwd").status_code == 401


def test_explicit_auth_wins_over_netrc(s, httpbin_url, tmp_path, monkeypatch) -> None:
    _netrc(tmp_path, monkeypatch, "127.0.0.1", password="wrong")
    assert s.get(f"{httpbin_url}/basic-auth/user/passwd").status_code == 401
    r = s.get(f"{httpbin_url}/basic-auth/user/passwd", auth=("user", "passwd"))
    assert r.status_code == 200


def test_netrc_reapplied_for_the_redirect_target(s, httpbin_url, tmp_path, monkeypatch) -> None:
    other = httpbin_url.replace("127.0.0.1", "localhost")
    _netrc(tmp_path, monkeypatch, "localhost")
    target = quote(f"{other}/basic-auth/user/passwd", safe="")
    r = s.get(f"{httpbin_url}/redirect-to?url={target}")
    assert r.status_code == 200
    assert r.url.startswith(other)


def test_netrc_change_takes_effect(s, httpbin_url, tmp_path, monkeypatch) -> None:
    url = f"{httpbin_url}/basic-auth/user/passwd"
    assert s.get(url).status_code == 401
    _netrc(tmp_path, monkeypatch, "127.0.0.1")
    assert s.get(url).status_code == 200
