"""URLs: httpcore_lite._urls, through requests' utils names."""

from __future__ import annotations

import pytest

from httpcore_lite import utils
from httpcore_lite.exceptions import (
    InvalidURL,
)

# --- URLs ---------------------------------------------------------------------------------------


class TestURLs:
    @pytest.mark.parametrize(
        ("uri", "expected"),
        [
            ("http://example.com/?a=%26", "http://example.com/?a=%26"),
            ("http://example.com/%7Euser", "http://example.com/~user"),
            ("http://example.com/%41%2f", "http://example.com/A%2f"),
            ("%", "%"),
        ],
    )
    def test_unquote_unreserved(self, uri: str, expected: str) -> None:
        assert utils.unquote_unreserved(uri) == expected

    def test_unquote_unreserved_invalid(self) -> None:
        with pytest.raises(InvalidURL, match="Invalid percent-escape sequence: 'zz'"):
            utils.unquote_unreserved("http://example.com/%zz")

    @pytest.mark.parametrize(
        ("uri", "expected"),
        [
            ("http://example.com/fiz?buz=%25ppicture", "http://example.com/fiz?buz=%25ppicture"),
            ("http://example.com/fiz?buz=%ppicture", "http://example.com/fiz?buz=%25ppicture"),
            ("http://example.com/a b", "http://example.com/a%20b"),
            ("http://example.com/\u00e9", "http://example.com/%C3%A9"),
            ("http://example.com/%7Efoo", "http://example.com/~foo"),
            ("http://example.com/p?q=a+b&c=[d]#frag", "http://example.com/p?q=a+b&c=[d]#frag"),
            ("http://example.com/%zz", "http://example.com/%25zz"),
            ('http://example.com/"quote"', "http://example.com/%22quote%22"),
        ],
    )
    def test_requote_uri(self, uri: str, expected: str) -> None:
        assert utils.requote_uri(uri) == expected
        # Idempotent: requoting a quoted URI changes nothing.
        assert utils.requote_uri(expected) == expected

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("example.com/path", "http://example.com/path"),
            ("//example.com/path", "http://example.com/path"),
            ("example.com:80", "http://example.com:80"),
            ("localhost:3128", "http://localhost:3128"),
            ("http://user:pass@example.com/path?query", "http://user:pass@example.com/path?query"),
            ("http://user@example.com/path?query", "http://user@example.com/path?query"),
            ("https://example.com", "https://example.com"),
            ("socks5://proxy:1080", "socks5://proxy:1080"),
        ],
    )
    def test_prepend_scheme_if_needed(self, url: str, expected: str) -> None:
        assert utils.prepend_scheme_if_needed(url, "http") == expected

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("http://user:pass@complex.url.com/path?query=yes", ("user", "pass")),
            ("http://user:pass%20pass@complex.url.com/path?query=yes", ("user", "pass pass")),
            ("http://user:pass pass@complex.url.com/path?query=yes", ("user", "pass pass")),
            ("http://user%25user:pass@complex.url.com/path?query=yes", ("user%user", "pass")),
            ("http://user:pass%23pass@complex.url.com/path?query=yes", ("user", "pass#pass")),
            ("http://complex.url.com/path?query=yes", ("", "")),
            ("http://user@complex.url.com/", ("", "")),
        ],
    )
    def test_get_auth_from_url(self, url: str, expected: tuple[str, str]) -> None:
        assert utils.get_auth_from_url(url) == expected

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("http://u:p@example.com/path?a=1#frag", "http://example.com/path?a=1"),
            ("http://example.com/path", "http://example.com/path"),
            ("//u:p@example.com/path", "//example.com/path"),
            ("example.com/path", "//example.com/path"),
            ("scheme:u:p@example.com/path", "scheme://example.com/path"),
        ],
    )
    def test_urldefragauth(self, url: str, expected: str) -> None:
        assert utils.urldefragauth(url) == expected


# --- origins and IDNA ---------------------------------------------------------------------------


def test_parse_origin_is_strict_for_sending() -> None:
    from httpcore_lite import _urls
    from httpcore_lite.exceptions import InvalidSchema

    assert _urls.parse_origin("http://User@Host.Example/x") == ("http", "host.example", 80, None)
    assert _urls.parse_origin("https://[::1]:8443/") == ("https", "::1", 8443, None)
    assert _urls.parse_origin("http+unix://%2Ftmp%2Fs.sock/") == (
        "http+unix",
        "%2Ftmp%2Fs.sock",
        0,
        "/tmp/s.sock",
    )
    with pytest.raises(InvalidSchema):
        _urls.parse_origin("ftp://host/")
    with pytest.raises(InvalidURL):
        _urls.parse_origin("http://host:99999/")


def test_origin_is_lenient_for_comparing() -> None:
    from httpcore_lite import _urls

    assert _urls.origin("https://user:pw@Host.Example/a") == ("https", "host.example", 443)
    assert _urls.origin("http://host:bad/") == ("http", "host", -1)
    assert _urls.origin(None) == ("", "", None)


def test_idna_encode_is_shared_by_urls_and_the_tcp_backend() -> None:
    from httpcore_lite import _urls
    from httpcore_lite.transport.backends.tcp import idna_hostname

    assert _urls.idna_encode("bücher.example") == "xn--bcher-kva.example"
    assert idna_hostname("bücher.example") == "xn--bcher-kva.example"
    with pytest.raises(InvalidURL):
        _urls.idna_encode("a..b\u0000")
