"""Header parsing and validation: httpcore_lite._headers, through requests' utils names."""

from __future__ import annotations

from typing import Any

import pytest

from httpcore_lite import _headers, utils
from httpcore_lite.exceptions import (
    InvalidHeader,
)
from httpcore_lite.structures import CaseInsensitiveDict

# --- header parsing -----------------------------------------------------------------------------


class TestHeaderParsing:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("token, 'quoted value'", ["token", "'quoted value'"]),
            ('token, "quoted value"', ["token", "quoted value"]),
            ('foo, "bar, baz", qux', ["foo", "bar, baz", "qux"]),
            ('a, "b \\" c"', ["a", 'b " c']),
            ("", []),
            ("a,,b", ["a", "", "b"]),
        ],
    )
    def test_parse_list_header(self, value: str, expected: list[str]) -> None:
        assert utils.parse_list_header(value) == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ('foo="is a fish", bar="as well"', {"foo": "is a fish", "bar": "as well"}),
            ("key_without_value", {"key_without_value": None}),
            ('realm="a, b", nonce=xyz', {"realm": "a, b", "nonce": "xyz"}),
            ('q="a=b"', {"q": "a=b"}),
            ("", {}),
        ],
    )
    def test_parse_dict_header(self, value: str, expected: dict[str, Any]) -> None:
        assert utils.parse_dict_header(value) == expected

    @pytest.mark.parametrize(
        ("value", "is_filename", "expected"),
        [
            ('"plain"', False, "plain"),
            ('"a\\"b"', False, 'a"b'),
            ('"a\\\\b"', False, "a\\b"),
            ('"\\\\server\\share"', True, "\\\\server\\share"),
            ('"\\\\server\\share"', False, "\\server\\share"),
            ("unquoted", False, "unquoted"),
            ("", False, ""),
        ],
    )
    def test_unquote_header_value(self, value: str, is_filename: bool, expected: str) -> None:
        assert utils.unquote_header_value(value, is_filename) == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("application/xml", ("application/xml", {})),
            ("application/json ; charset=utf-8", ("application/json", {"charset": "utf-8"})),
            (
                'text/plain; charset="UTF-8"; format=flowed',
                ("text/plain", {"charset": "UTF-8", "format": "flowed"}),
            ),
            ("text/plain; CHARSET= 'latin-1' ", ("text/plain", {"charset": "latin-1"})),
            ("multipart/form-data; boundary", ("multipart/form-data", {})),
            (
                "multipart/form-data; boundary = something ; 'b2=else' ; no_equals ",
                ("multipart/form-data", {"boundary": "something", "b2": "else"}),
            ),
            ("text/plain;;", ("text/plain", {})),
        ],
    )
    def test_parse_content_type_header(self, value: str, expected: Any) -> None:
        assert _headers.parse_content_type_header(value) == expected

    @pytest.mark.parametrize(
        ("content_type", "expected"),
        [
            (None, None),
            ("text/html", "ISO-8859-1"),
            ("text/html; charset=utf-8", "utf-8"),
            ("text/html; charset='koi8-r'", "koi8-r"),
            ("text/html; charset", "ISO-8859-1"),
            ("application/json", "utf-8"),
            ("application/json; charset=latin-1", "latin-1"),
            ("application/octet-stream", None),
            ("image/png", None),
        ],
    )
    def test_get_encoding_from_headers(self, content_type: Any, expected: Any) -> None:
        headers = CaseInsensitiveDict()
        if content_type is not None:
            headers["Content-Type"] = content_type
        assert utils.get_encoding_from_headers(headers) == expected

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            ('<meta charset="UTF-8">', ["UTF-8"]),
            ('<meta http-equiv="Content-type" content="text/html;charset=HTML5">', ["HTML5"]),
            ('<?xml version="1.0" encoding="XML"?>', ["XML"]),
            ("<html></html>", []),
        ],
    )
    def test_get_encodings_from_content(self, content: str, expected: list[str]) -> None:
        with pytest.warns(DeprecationWarning):
            assert utils.get_encodings_from_content(content) == expected

    def test_parse_header_links(self) -> None:
        value = (
            '<http://.../front.jpeg>; rel=front; type="image/jpeg", '
            "<http://.../back.jpeg>; rel=back;type='image/jpeg'"
        )
        assert utils.parse_header_links(value) == [
            {"url": "http://.../front.jpeg", "rel": "front", "type": "image/jpeg"},
            {"url": "http://.../back.jpeg", "rel": "back", "type": "image/jpeg"},
        ]
        assert utils.parse_header_links("") == []
        assert utils.parse_header_links("<http://a/>") == [{"url": "http://a/"}]
        assert utils.parse_header_links("<http://a/>; broken") == [{"url": "http://a/"}]
        assert utils.parse_header_links("<http://a/>;") == [{"url": "http://a/"}]
        # A quoted value may contain "=" (RFC 8288); later parameters are kept.
        assert utils.parse_header_links('<http://a/>; title="a=b"; rel="next"') == [
            {"url": "http://a/", "title": "a=b", "rel": "next"}
        ]


# --- headers ------------------------------------------------------------------------------------


class TestHeaders:
    @pytest.mark.parametrize(
        "header",
        [
            ("Foo", "bar"),
            (b"Foo", b"bar"),
            ("Foo", ""),
            ("Foo", "bar baz\tqux"),
            ("X-Unicode", "\u00e9"),
        ],
    )
    def test_valid(self, header: Any) -> None:
        utils.check_header_validity(header)

    @pytest.mark.parametrize(
        ("header", "kind"),
        [
            (("Foo", "bar\r\nInjected: yes"), "value"),
            (("Foo", "bar\n"), "value"),
            (("Foo", "bar\rbaz"), "value"),
            (("Foo", "bar\x00baz"), "value"),
            ((b"Foo", b"bar\x00"), "value"),
            (("Foo", " leading"), "value"),
            ((b"Foo", b"\tleading"), "value"),
            ((" Foo", "bar"), "name"),
            (("Fo:o", "bar"), "name"),
            (("Foo\r\n", "bar"), "name"),
            (("Foo\x00", "bar"), "name"),
            (("", "bar"), "name"),
        ],
    )
    def test_invalid(self, header: Any, kind: str) -> None:
        with pytest.raises(InvalidHeader, match=f"return character\\(s\\) in header {kind}"):
            utils.check_header_validity(header)

    @pytest.mark.parametrize("header", [("Foo", 1), (1, "bar"), ("Foo", None)])
    def test_wrong_type(self, header: Any) -> None:
        with pytest.raises(InvalidHeader, match="must be of type str or bytes"):
            utils.check_header_validity(header)

    def test_default_user_agent(self) -> None:
        from httpcore_lite.__version__ import __release__

        assert utils.default_user_agent() == f"httpcore_lite/{__release__}"
        assert utils.default_user_agent("custom") == f"custom/{__release__}"

    def test_default_headers(self) -> None:
        headers = utils.default_headers()
        assert isinstance(headers, CaseInsensitiveDict)
        assert list(headers) == ["User-Agent", "Accept-Encoding", "Accept", "Connection"]
        assert headers["accept"] == "*/*"
        assert headers["connection"] == "keep-alive"
        assert headers["accept-encoding"].startswith("gzip, deflate")
        assert headers["user-agent"] == utils.default_user_agent()
        # Each call returns a new mapping: a Session may mutate its own.
        assert utils.default_headers() is not headers

    def test_accept_encoding_matches_installed(self) -> None:
        codings = utils.DEFAULT_ACCEPT_ENCODING.split(", ")
        assert codings[:2] == ["gzip", "deflate"]
        try:
            import brotli  # noqa: F401

            has_br = True
        except ImportError:
            try:
                import brotlicffi  # noqa: F401

                has_br = True
            except ImportError:
                has_br = False
        try:
            import zstandard  # noqa: F401

            has_zstd = True
        except ImportError:
            has_zstd = False
        assert ("br" in codings) is has_br
        assert ("zstd" in codings) is has_zstd
