"""Text encodings of bodies: httpcore_lite._charset, through requests' utils names."""

from __future__ import annotations

import codecs
from types import SimpleNamespace
from typing import Any

import pytest

from httpcore_lite import utils
from httpcore_lite.structures import CaseInsensitiveDict

# --- decoding -----------------------------------------------------------------------------------


class TestDecoding:
    def test_stream_decode_response_unicode(self) -> None:
        data = "h\u00e9llo \u20ac".encode()
        chunks = [data[i : i + 1] for i in range(len(data))]  # split inside characters
        r = SimpleNamespace(encoding="utf-8")
        assert "".join(utils.stream_decode_response_unicode(iter(chunks), r)) == "h\u00e9llo \u20ac"

    def test_stream_decode_unknown_charset_falls_back_to_utf8(self) -> None:
        # The charset comes from the server: an unknown name must not raise LookupError.
        r = SimpleNamespace(encoding="bogus-charset")
        chunks = iter(["\u00e9".encode(), b"\xff"])
        assert "".join(utils.stream_decode_response_unicode(chunks, r)) == "\u00e9\ufffd"

    def test_stream_decode_without_encoding_passes_bytes(self) -> None:
        r = SimpleNamespace(encoding=None)
        assert list(utils.stream_decode_response_unicode(iter([b"a", b"b"]), r)) == [b"a", b"b"]

    def test_stream_decode_replaces_invalid(self) -> None:
        r = SimpleNamespace(encoding="utf-8")
        assert "".join(utils.stream_decode_response_unicode(iter([b"a\xff"]), r)) == "a\ufffd"

    @pytest.mark.parametrize(
        ("value", "length", "expected"),
        [
            ("abcdef", 2, ["ab", "cd", "ef"]),
            ("abcde", 2, ["ab", "cd", "e"]),
            ("abc", None, ["abc"]),
            ("abc", 0, ["abc"]),
            ("", 3, []),
            (b"abc", 2, [b"ab", b"c"]),
        ],
    )
    def test_iter_slices(self, value: Any, length: Any, expected: list[Any]) -> None:
        assert list(utils.iter_slices(value, length)) == expected

    def test_get_unicode_from_response(self) -> None:
        r = SimpleNamespace(
            headers=CaseInsensitiveDict({"content-type": "text/plain; charset=utf-8"}),
            content="\u00e9".encode(),
        )
        with pytest.warns(DeprecationWarning):
            assert utils.get_unicode_from_response(r) == "\u00e9"
        r2 = SimpleNamespace(headers=CaseInsensitiveDict(), content=b"abc\xff")
        with pytest.warns(DeprecationWarning):
            assert utils.get_unicode_from_response(r2) == "abc\ufffd"

    @pytest.mark.parametrize(
        "encoding",
        [
            "utf-32",
            "utf-8-sig",
            "utf-16",
            "utf-8",
            "utf-16-be",
            "utf-16-le",
            "utf-32-be",
            "utf-32-le",
        ],
    )
    def test_guess_json_utf(self, encoding: str) -> None:
        data = '{"key": "value"}'.encode(encoding)
        assert utils.guess_json_utf(data) == encoding

    def test_guess_json_utf_bad(self) -> None:
        assert utils.guess_json_utf(b"\x00\x00\x00\x00") is None
        assert utils.guess_json_utf(b"a\x00\x00b") is None
        assert utils.guess_json_utf(codecs.BOM_UTF8 + b"{}") == "utf-8-sig"
