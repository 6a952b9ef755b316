"""NO_PROXY and proxy selection: httpcore_lite._proxies, through requests' utils names."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest

from httpcore_lite import utils

# --- networks -----------------------------------------------------------------------------------


class TestNetworks:
    @pytest.mark.parametrize(
        ("mask", "expected"),
        [(8, "255.0.0.0"), (24, "255.255.255.0"), (25, "255.255.255.128"), (32, "255.255.255.255")],
    )
    def test_dotted_netmask(self, mask: int, expected: str) -> None:
        assert utils.dotted_netmask(mask) == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("8.8.8.8", True), ("8.8.8.8.8", False), ("localhost.localdomain", False), ("::1", False)],
    )
    def test_is_ipv4_address(self, value: str, expected: bool) -> None:
        assert utils.is_ipv4_address(value) is expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("192.168.1.0/24", True),
            ("192.168.1.0/32", True),
            ("192.168.1.0/1", True),
            ("8.8.8.8", False),
            ("192.168.1.0/a", False),
            ("192.168.1.0/128", False),
            ("192.168.1.0/-1", False),
            ("192.168.1.0/0", False),
            ("192.168.1.999/24", False),
            ("1.2.3.4/24/8", False),
        ],
    )
    def test_is_valid_cidr(self, value: str, expected: bool) -> None:
        assert utils.is_valid_cidr(value) is expected

    @pytest.mark.parametrize(
        ("ip", "net", "expected"),
        [
            ("192.168.1.1", "192.168.1.0/24", True),
            ("192.168.1.1", "192.168.100.0/24", False),
            ("10.255.0.1", "10.0.0.0/8", True),
            ("11.0.0.1", "10.0.0.0/8", False),
            ("192.168.1.1", "192.168.1.1/32", True),
        ],
    )
    def test_address_in_network(self, ip: str, net: str, expected: bool) -> None:
        assert utils.address_in_network(ip, net) is expected


# --- proxies ------------------------------------------------------------------------------------

NO_PROXY = "192.168.0.0/24,127.0.0.1,localhost.localdomain,172.16.1.1, google.com:6000"


class TestNoProxy:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("http://192.168.0.1:5000/", True),
            ("http://192.168.0.1/", True),
            ("http://172.16.1.1/", True),
            ("http://172.16.1.1:5000/", True),
            ("http://localhost.localdomain:5000/v1.0/", True),
            ("http://google.com:6000/", True),
            ("http://www.google.com:6000/", True),
            ("http://127.0.0.1/", True),
            ("http://172.16.1.12/", False),
            ("http://172.16.1.12:5000/", False),
            ("http://google.com:5000/v1.0/", False),
            ("http://google.com/", False),
            ("http://192.168.1.1/", False),
            ("file:///some/path/on/disk", True),
        ],
    )
    def test_from_env(self, monkeypatch: pytest.MonkeyPatch, url: str, expected: bool) -> None:
        monkeypatch.setenv("no_proxy", NO_PROXY)
        assert utils.should_bypass_proxies(url, no_proxy=None) is expected

    @pytest.mark.parametrize("var", ["no_proxy", "NO_PROXY"])
    def test_either_case(self, monkeypatch: pytest.MonkeyPatch, var: str) -> None:
        monkeypatch.setenv(var, "example.com")
        assert utils.should_bypass_proxies("http://example.com/", None) is True
        assert utils.should_bypass_proxies("http://example.org/", None) is False

    def test_lowercase_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("no_proxy", "a.test")
        monkeypatch.setenv("NO_PROXY", "b.test")
        assert utils.should_bypass_proxies("http://a.test/", None) is True
        assert utils.should_bypass_proxies("http://b.test/", None) is False
        # An empty lower-case variable falls back to the upper-case one, as in requests.
        monkeypatch.setenv("no_proxy", "")
        assert utils.should_bypass_proxies("http://b.test/", None) is True

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("http://localhost/", True),
            ("http://anotherdomain.com:8888/", True),
            ("http://newdomain.com:1234/", True),
            ("http://www.newdomain.com:1234/", True),
            ("http://foo.d.o.t/", True),
            ("http://d.o.t/", True),
            ("http://prelocalhost/", False),
            ("http://newdomain.com/", False),
            ("http://newdomain.com:1235/", False),
        ],
    )
    def test_domain_boundary(self, url: str, expected: bool) -> None:
        no_proxy = "localhost, anotherdomain.com, newdomain.com:1234, .d.o.t"
        assert utils.should_bypass_proxies(url, no_proxy=no_proxy) is expected

    def test_argument_overrides_env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("no_proxy", "a.test")
        assert utils.should_bypass_proxies("http://a.test/", no_proxy="b.test") is False
        assert utils.should_bypass_proxies("http://b.test/", no_proxy="b.test") is True

    @pytest.mark.parametrize(
        ("no_proxy", "url", "expected"),
        [
            ("*", "http://anything.example/", True),
            ("a.test, *", "http://anything.example/", True),
            ("example.com", "http://example.com/", True),
            ("example.com", "http://www.example.com/", True),
            ("example.com", "http://deep.sub.example.com:8080/", True),
            ("example.com", "http://badexample.com/", False),
            ("example.com", "http://example.com.evil.test/", False),
            (".example.com", "http://example.com/", True),
            (".example.com", "http://www.example.com/", True),
            ("*.example.com", "http://www.example.com/", True),
            ("EXAMPLE.com", "http://Example.COM/", True),
            ("example.com:8080", "http://example.com:8080/", True),
            ("example.com:8080", "http://example.com:8081/", False),
            ("example.com:8080", "http://example.com/", False),
            ("example.com:80", "http://example.com/", True),
            ("example.com:443", "https://example.com/", True),
            ("10.0.0.0/8", "http://10.1.2.3/", True),
            ("10.0.0.0/8", "http://11.1.2.3/", False),
            ("10.0.0.0/8", "http://10.example.com/", False),
            ("127.0.0.1:8000", "http://127.0.0.1:8000/", True),
            ("127.0.0.1:8000", "http://127.0.0.1:9000/", False),
            ("::1", "http://[::1]:8080/", True),
            ("[::1]", "http://[::1]/", True),
            ("[::1]:8080", "http://[::1]:8080/", True),
            ("[::1]:8080", "http://[::1]:9090/", False),
            ("fe80::/10", "http://[fe80::1]/", True),
            ("fe80::/10", "http://[2001:db8::1]/", False),
            ("0.0.0.0/0", "http://8.8.8.8/", True),
            ("", "http://example.com/", False),
            (" , ,", "http://example.com/", False),
            (".", "http://example.com/", False),
        ],
    )
    def test_rules(self, no_proxy: str, url: str, expected: bool) -> None:
        assert utils.should_bypass_proxies(url, no_proxy=no_proxy) is expected

    @pytest.mark.parametrize(
        ("url", "host"),
        [
            ("http://172.16.1.1:5000/", "172.16.1.1"),
            ("http://user:pass@172.16.1.1", "172.16.1.1"),
            ("https://user:pass@Host.Example:8443/path?q=1", "host.example"),
            ("http://[::1]:8080/", "::1"),
        ],
    )
    def test_asks_proxy_bypass_with_the_bare_host(
        self, monkeypatch: pytest.MonkeyPatch, url: str, host: str
    ) -> None:
        asked: list[str] = []

        def proxy_bypass(name: str) -> bool:
            asked.append(name)
            return True

        monkeypatch.setattr(utils, "proxy_bypass", proxy_bypass)
        assert utils.should_bypass_proxies(url, no_proxy=None) is True
        assert asked == [host]
        # An explicit list decides alone, as the environment would not be consulted.
        assert utils.should_bypass_proxies(url, no_proxy="other.test") is False
        assert asked == [host]

    def test_proxy_bypass_reads_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert utils.proxy_bypass("example.com") is False
        monkeypatch.setenv("NO_PROXY", "example.com, 10.0.0.0/8")
        assert utils.proxy_bypass("www.example.com") is True
        assert utils.proxy_bypass("10.9.8.7") is True
        assert utils.proxy_bypass("badexample.com") is False
        monkeypatch.setenv("no_proxy", "*")
        assert utils.proxy_bypass("anything.test") is True

    def test_no_env_means_proxy(self) -> None:
        assert utils.should_bypass_proxies("http://example.com/", None) is False

    def test_env_change_takes_effect_immediately(self, monkeypatch: pytest.MonkeyPatch) -> None:
        url = "http://example.com/"
        assert utils.should_bypass_proxies(url, None) is False
        monkeypatch.setenv("no_proxy", "example.com")
        assert utils.should_bypass_proxies(url, None) is True
        monkeypatch.delenv("no_proxy")
        assert utils.should_bypass_proxies(url, None) is False


class TestEnvironProxies:
    def test_none(self) -> None:
        assert utils.get_environ_proxies("http://example.com/") == {}

    @pytest.mark.parametrize("upper", [False, True])
    def test_reads_both_cases(self, monkeypatch: pytest.MonkeyPatch, upper: bool) -> None:
        def name(n: str) -> str:
            return n.upper() if upper else n

        monkeypatch.setenv(name("http_proxy"), "http://p1:3128")
        monkeypatch.setenv(name("https_proxy"), "http://p2:3128")
        monkeypatch.setenv(name("all_proxy"), "socks5://p3:1080")
        assert utils.get_environ_proxies("http://example.com/") == {
            "http": "http://p1:3128",
            "https": "http://p2:3128",
            "all": "socks5://p3:1080",
        }

    def test_lowercase_wins_and_empty_lowercase_disables(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("http_proxy", "http://lower:1")
        monkeypatch.setenv("HTTP_PROXY", "http://upper:1")
        monkeypatch.setenv("https_proxy", "")
        monkeypatch.setenv("HTTPS_PROXY", "http://upper:2")
        assert utils.get_environ_proxies("http://example.com/") == {"http": "http://lower:1"}

    def test_no_proxy_bypass(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("http_proxy", "http://p:1")
        monkeypatch.setenv("no_proxy", "example.com")
        assert utils.get_environ_proxies("http://example.com/") == {}
        # A NO_PROXY list that does not exempt the URL comes back under "no", as in requests.
        expected = {"http": "http://p:1", "no": "example.com"}
        assert utils.get_environ_proxies("http://other.com/") == expected
        assert utils.get_environ_proxies("http://example.com/", no_proxy="other.com") == expected

    @pytest.mark.parametrize("var", ["no_proxy", "NO_PROXY"])
    def test_no_proxy_alone_is_reported(self, monkeypatch: pytest.MonkeyPatch, var: str) -> None:
        # No proxy set, only an exemption list: what requests returns (urllib's getproxies()).
        monkeypatch.setenv(var, "10.0.0.0/8,internal.test")
        assert utils.get_environ_proxies("http://10.1.2.3/") == {}
        assert utils.get_environ_proxies("http://internal.test:8080/") == {}
        for url in ("http://11.1.2.3:5000/", "http://www.example.com/"):
            assert utils.get_environ_proxies(url) == {"no": "10.0.0.0/8,internal.test"}

    def test_no_proxy_alone_adds_no_proxy(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("no_proxy", "internal.test")
        request = SimpleNamespace(url="http://www.example.com/")
        assert utils.resolve_proxies(request, None) == {}
        assert utils.resolve_proxies(request, {"https": "http://p:1"}) == {"https": "http://p:1"}

    def test_httpoxy(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Under CGI, HTTP_PROXY can be set by a client's "Proxy:" request header.
        monkeypatch.setenv("REQUEST_METHOD", "GET")
        monkeypatch.setenv("HTTP_PROXY", "http://attacker:1")
        assert utils.get_environ_proxies("http://example.com/") == {}
        monkeypatch.setenv("http_proxy", "http://admin:1")
        assert utils.get_environ_proxies("http://example.com/") == {"http": "http://admin:1"}

    def test_never_scans_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Only named variables are read: iterating os.environ would fail here."""

        class NoScan(os._Environ):  # type: ignore[type-arg,name-defined]
            def __iter__(self) -> Any:
                raise AssertionError("the environment was scanned")

            def keys(self) -> Any:
                raise AssertionError("the environment was scanned")

            def items(self) -> Any:
                raise AssertionError("the environment was scanned")

        env = os.environ
        fake = NoScan(
            env._data,  # type: ignore[attr-defined]
            env.encodekey,  # type: ignore[attr-defined]
            env.decodekey,  # type: ignore[attr-defined]
            env.encodevalue,  # type: ignore[attr-defined]
            env.decodevalue,  # type: ignore[attr-defined]
        )
        monkeypatch.setattr(os, "environ", fake)
        monkeypatch.setenv("http_proxy", "http://p:1")
        monkeypatch.setenv("no_proxy", "internal.test")
        assert utils.get_environ_proxies("http://example.com/") == {
            "http": "http://p:1",
            "no": "internal.test",
        }
        assert utils.should_bypass_proxies("http://internal.test/", None) is True
        assert utils.should_bypass_proxies("http://example.com/", None) is False
        prep = SimpleNamespace(url="http://example.com/")
        assert utils.resolve_proxies(prep, None) == {"http": "http://p:1"}


class TestSelectProxy:
    PROXIES = {
        "http://somehost": "http://hostproxy",
        "http": "http://httpproxy",
        "all://otherhost": "http://allhostproxy",
        "all": "http://allproxy",
    }

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("http://somehost/path", "http://hostproxy"),
            ("http://SOMEHOST/path", "http://hostproxy"),
            ("http://otherhost/path", "http://httpproxy"),
            ("https://otherhost/path", "http://allhostproxy"),
            ("https://thirdhost/path", "http://allproxy"),
            ("hTTp:///path", "http://httpproxy"),
            ("file:///etc/motd", "http://allproxy"),
        ],
    )
    def test_priorities(self, url: str, expected: str) -> None:
        assert utils.select_proxy(url, self.PROXIES) == expected

    def test_empty(self) -> None:
        assert utils.select_proxy("http://a/", None) is None
        assert utils.select_proxy("http://a/", {}) is None
        assert utils.select_proxy("https://a/", {"http": "http://p"}) is None


class TestResolveProxies:
    def test_env_added(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("https_proxy", "http://envproxy:1")
        prep = SimpleNamespace(url="https://example.com/")
        given = {"http": "http://given:1"}
        result = utils.resolve_proxies(prep, given)
        assert result == {"http": "http://given:1", "https": "http://envproxy:1"}
        assert given == {"http": "http://given:1"}  # not mutated

    def test_explicit_scheme_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("https_proxy", "http://envproxy:1")
        prep = SimpleNamespace(url="https://example.com/")
        assert utils.resolve_proxies(prep, {"https": "http://mine:1"}) == {"https": "http://mine:1"}

    def test_all_proxy_fallback(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ALL_PROXY", "http://allp:1")
        prep = SimpleNamespace(url="http://example.com/")
        assert utils.resolve_proxies(prep, None) == {"http": "http://allp:1"}

    def test_trust_env_false(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("http_proxy", "http://envproxy:1")
        prep = SimpleNamespace(url="http://example.com/")
        assert utils.resolve_proxies(prep, {"x": "y"}, trust_env=False) == {"x": "y"}
        assert utils.resolve_proxies(prep, None, trust_env=False) == {}

    def test_no_proxy_from_env_and_argument(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("http_proxy", "http://envproxy:1")
        monkeypatch.setenv("no_proxy", "example.com")
        prep = SimpleNamespace(url="http://example.com/")
        assert utils.resolve_proxies(prep, None) == {}
        other = SimpleNamespace(url="http://other.test/")
        assert utils.resolve_proxies(other, {"no_proxy": "other.test"}) == {
            "no_proxy": "other.test"
        }

    def test_no_env_returns_copy(self) -> None:
        given = {"http": "http://p:1"}
        result = utils.resolve_proxies(SimpleNamespace(url="http://a/"), given)
        assert result == given and result is not given
