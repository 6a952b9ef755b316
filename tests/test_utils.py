"""Unit tests for httpcore_lite.utils, _internal_utils and compat."""

from __future__ import annotations

import codecs
import io
import os
import pickle
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from httpcore_lite import _internal_utils, compat, utils
from httpcore_lite.cookies import RequestsCookieJar
from httpcore_lite.exceptions import (
    FileModeWarning,
    InvalidHeader,
    InvalidURL,
    UnrewindableBodyError,
)
from httpcore_lite.structures import CaseInsensitiveDict

# --- _internal_utils ----------------------------------------------------------------------------


class TestInternalUtils:
    def test_to_native_string(self) -> None:
        assert _internal_utils.to_native_string("abc") == "abc"
        assert _internal_utils.to_native_string(b"abc") == "abc"
        assert _internal_utils.to_native_string("é".encode(), "utf-8") == "é"
        with pytest.raises(UnicodeDecodeError):
            _internal_utils.to_native_string("é".encode())

    @pytest.mark.parametrize(
        ("value", "expected"), [("abc", True), ("ab\u00e9", False), ("", True)]
    )
    def test_unicode_is_ascii(self, value: str, expected: bool) -> None:
        assert _internal_utils.unicode_is_ascii(value) is expected

    def test_unicode_is_ascii_requires_str(self) -> None:
        with pytest.raises(AssertionError):
            _internal_utils.unicode_is_ascii(b"abc")  # type: ignore[arg-type]

    @pytest.mark.parametrize("kind", [str, bytes])
    def test_header_validators(self, kind: type) -> None:
        name_re, value_re = _internal_utils.HEADER_VALIDATORS[kind]

        def enc(s: str) -> Any:
            return s if kind is str else s.encode()

        assert name_re.match(enc("X-Token"))
        for bad_name in (" X", "X:Y", "X\r\nY", "X\x00", ""):
            assert not name_re.match(enc(bad_name)), bad_name
        assert value_re.match(enc("a value; with=stuff"))
        assert value_re.match(enc(""))
        for bad_value in (" lead", "\tlead", "a\r\nb", "a\nb", "a\rb", "a\x00b", "trailing\n"):
            assert not value_re.match(enc(bad_value)), bad_value


# --- compat -------------------------------------------------------------------------------------


def test_compat_names() -> None:
    import http.cookiejar
    import json

    import charset_normalizer

    assert compat.is_py3 is True and compat.is_py2 is False
    assert compat.builtin_str is str and compat.str is str and compat.bytes is bytes
    assert compat.basestring == (str, bytes)
    assert compat.numeric_types == (int, float) and compat.integer_types == (int,)
    assert compat.cookielib is http.cookiejar
    assert compat.complexjson is json
    assert compat.chardet is charset_normalizer
    assert compat.has_simplejson is False
    assert compat.is_urllib3_1 is False
    assert compat.JSONDecodeError is json.JSONDecodeError
    assert compat.urlparse("http://h/p").path == "/p"
    assert compat.urljoin("http://h/a/b", "c") == "http://h/a/c"
    assert compat.quote("a b") == "a%20b" and compat.unquote_plus("a+b") == "a b"
    assert compat.OrderedDict is OrderedDict
    assert compat.parse_http_list('a, "b, c"') == ["a", '"b, c"']
    assert callable(compat.getproxies) and callable(compat.proxy_bypass)
    with pytest.raises(AttributeError):
        compat.does_not_exist  # noqa: B018


# --- super_len ----------------------------------------------------------------------------------


class TestSuperLen:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [(b"abc", 3), ("abc", 3), ("h\u00e9", 3), (b"", 0), (bytearray(b"xy"), 2), (None, 0)],
    )
    def test_sized(self, body: Any, expected: int) -> None:
        assert utils.super_len(body) == expected

    def test_bytesio_respects_position(self) -> None:
        buf = io.BytesIO(b"0123456789")
        assert utils.super_len(buf) == 10
        buf.read(4)
        assert utils.super_len(buf) == 6
        buf.seek(0, 2)
        assert utils.super_len(buf) == 0

    def test_binary_file(self, tmp_path: Path) -> None:
        path = tmp_path / "f.bin"
        path.write_bytes(b"x" * 123)
        with open(path, "rb") as f:
            assert utils.super_len(f) == 123
            f.read(23)
            assert utils.super_len(f) == 100

    def test_text_file_warns(self, tmp_path: Path) -> None:
        path = tmp_path / "f.txt"
        path.write_text("hello")
        with open(path) as f, pytest.warns(FileModeWarning):
            assert utils.super_len(f) == 5

    def test_len_attribute(self) -> None:
        assert utils.super_len(SimpleNamespace(len=42)) == 42

    def test_tell_failure_counts_as_consumed(self) -> None:
        class Broken:
            def __len__(self) -> int:
                return 10

            def tell(self) -> int:
                raise OSError("no tell")

        assert utils.super_len(Broken()) == 0

    def test_seekable_without_length(self) -> None:
        class Stream:
            def __init__(self) -> None:
                self._buf = io.BytesIO(b"abcdef")

            def tell(self) -> int:
                return self._buf.tell()

            def seek(self, *args: Any) -> int:
                return self._buf.seek(*args)

        s = Stream()
        s.seek(2)
        assert utils.super_len(s) == 4
        assert s.tell() == 2  # position restored

    def test_unseekable_stream(self) -> None:
        class Stream:
            def tell(self) -> int:
                return 0

            def seek(self, *args: Any) -> int:
                raise OSError("not seekable")

        assert utils.super_len(Stream()) == 0

    def test_generator_has_no_length(self) -> None:
        assert utils.super_len(x for x in [b"a"]) == 0


# --- netrc --------------------------------------------------------------------------------------


class TestNetrc:
    @pytest.fixture
    def netrc_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        path = tmp_path / "netrc"
        path.write_text(
            "machine example.com login alice password secret\n"
            "machine Other.Example.org login bob password hunter2\n"
            "machine acct.example.net account acct password pw\n"
        )
        monkeypatch.setenv("NETRC", str(path))
        return path

    def test_exact_host(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://example.com/path") == ("alice", "secret")
        assert utils.get_netrc_auth("https://EXAMPLE.com:8443/") == ("alice", "secret")
        assert utils.get_netrc_auth("http://user@example.com/") == ("alice", "secret")

    def test_case_insensitive_host_in_file(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://other.example.org/") == ("bob", "hunter2")

    def test_account_when_no_login(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://acct.example.net/") == ("acct", "pw")

    @pytest.mark.parametrize(
        "url",
        [
            # CVE-2024-47081: the netloc starts with "example.com" but the host is evil.com.
            "http://example.com:@evil.com/",
            "http://example.com@evil.com/",
            "http://example.com:80@evil.com/",
            # lookalikes by prefix or suffix
            "http://notexample.com/",
            "http://example.com.evil.com/",
            "http://sub.example.com/",
            "http://example.co/",
        ],
    )
    def test_hostile_lookalikes_get_nothing(self, netrc_file: Path, url: str) -> None:
        assert utils.get_netrc_auth(url) is None

    def test_no_host(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("file:///etc/passwd") is None

    def test_default_entry(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "netrc"
        path.write_text("machine a.test login a password b\ndefault login anon password x\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://a.test/") == ("a", "b")
        assert utils.get_netrc_auth("http://anything.test/") == ("anon", "x")

    def test_empty_default_ignored(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "netrc"
        path.write_text("machine example.com login user password pass\ndefault\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://httpbin.org/") is None
        assert utils.get_netrc_auth("http://example.com/") == ("user", "pass")

    def test_missing_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
        assert utils.get_netrc_auth("http://example.com/") is None

    def test_home_netrc(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOME", str(tmp_path))
        assert utils.get_netrc_auth("http://example.com/") is None
        (tmp_path / "_netrc").write_text("machine example.com login u password p\n")
        assert utils.get_netrc_auth("http://example.com/") == ("u", "p")
        (tmp_path / ".netrc").write_text("machine example.com login dot password p2\n")
        assert utils.get_netrc_auth("http://example.com/") == ("dot", "p2")

    def test_home_lookup_cached_by_directory_mtime(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        home = tmp_path / "home"
        home.mkdir()
        monkeypatch.setenv("HOME", str(home))
        old = 1_000_000_000 * 1_000_000_000  # 2001: long past the racy window
        os.utime(home, ns=(old, old))
        assert utils.get_netrc_auth("http://example.com/") is None
        assert utils._home_netrc_cache[str(home)] == (old, None)
        # Adding a file changes the directory's mtime: found on the very next call.
        (home / ".netrc").write_text("machine example.com login new password p\n")
        assert utils.get_netrc_auth("http://example.com/") == ("new", "p")
        os.utime(home, ns=(old, old))
        assert utils.get_netrc_auth("http://example.com/") == ("new", "p")
        assert utils._home_netrc_cache[str(home)] == (old, str(home / ".netrc"))
        (home / ".netrc").unlink()
        assert utils.get_netrc_auth("http://example.com/") is None

    def test_recently_changed_home_not_cached(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("HOME", str(tmp_path))
        utils._home_netrc_cache.pop(str(tmp_path), None)
        assert utils.get_netrc_auth("http://example.com/") is None
        assert str(tmp_path) not in utils._home_netrc_cache

    def test_parse_error(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import netrc

        path = tmp_path / "netrc"
        path.write_text("machine example.com login u password p\nbogus-token here\n")
        monkeypatch.setenv("NETRC", str(path))
        assert utils.get_netrc_auth("http://example.com/") is None
        with pytest.raises(netrc.NetrcParseError):
            utils.get_netrc_auth("http://example.com/", raise_errors=True)

    def test_cache_follows_file_changes(self, netrc_file: Path) -> None:
        assert utils.get_netrc_auth("http://example.com/") == ("alice", "secret")
        netrc_file.write_text("machine example.com login carol password changed-longer\n")
        st = netrc_file.stat()
        os.utime(netrc_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert utils.get_netrc_auth("http://example.com/") == ("carol", "changed-longer")

    def test_cache_is_used(self, netrc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        calls = []
        original = utils.netrc

        def counting(*args: Any) -> Any:
            calls.append(args)
            return original(*args)

        monkeypatch.setattr(utils, "netrc", counting)
        assert utils.get_netrc_auth("http://example.com/") == ("alice", "secret")
        assert len(calls) == 1  # a new file (per-test path): parsed once
        for _ in range(3):
            assert utils.get_netrc_auth("http://example.com/") == ("alice", "secret")
        assert len(calls) == 1


# --- files and bodies ---------------------------------------------------------------------------


class TestFiles:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("/a/b/c.txt", "c.txt"),
            ("c.txt", "c.txt"),
            ("<stdin>", None),
            (b"/x/y.bin", b"y.bin"),
            (b"<fd>", None),
            (5, None),
            ("", None),
        ],
    )
    def test_guess_filename(self, name: Any, expected: Any) -> None:
        assert utils.guess_filename(SimpleNamespace(name=name)) == expected

    def test_guess_filename_without_name(self) -> None:
        assert utils.guess_filename(object()) is None

    def test_extract_zipped_paths(self, tmp_path: Path) -> None:
        existing = tmp_path / "plain.pem"
        existing.write_text("x")
        assert utils.extract_zipped_paths(str(existing)) == str(existing)
        missing = str(tmp_path / "missing" / "file")
        assert utils.extract_zipped_paths(missing) == missing

        archive = tmp_path / "bundle.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("certs/zipped-ca-test.pem", "PEM DATA")
        extracted = utils.extract_zipped_paths(str(archive / "certs" / "zipped-ca-test.pem"))
        try:
            assert extracted != str(archive / "certs" / "zipped-ca-test.pem")
            assert Path(extracted).read_text() == "PEM DATA"
        finally:
            os.remove(extracted)
        absent_member = str(archive / "certs" / "nope.pem")
        assert utils.extract_zipped_paths(absent_member) == absent_member

    def test_atomic_open(self, tmp_path: Path) -> None:
        target = tmp_path / "out.bin"
        with utils.atomic_open(str(target)) as f:
            f.write(b"data")
            assert not target.exists()
        assert target.read_bytes() == b"data"
        with pytest.raises(RuntimeError), utils.atomic_open(str(target)) as f:
            f.write(b"partial")
            raise RuntimeError("boom")
        assert target.read_bytes() == b"data"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]

    def test_rewind_body(self) -> None:
        body = io.BytesIO(b"abcdef")
        body.read(2)
        prep = SimpleNamespace(body=body, _body_position=2)
        body.read()
        utils.rewind_body(prep)
        assert body.read() == b"cdef"

    def test_rewind_body_errors(self) -> None:
        with pytest.raises(UnrewindableBodyError, match="Unable to rewind"):
            utils.rewind_body(SimpleNamespace(body=iter([b"x"]), _body_position=0))
        with pytest.raises(UnrewindableBodyError, match="Unable to rewind"):
            utils.rewind_body(SimpleNamespace(body=io.BytesIO(), _body_position=object()))

        class BadSeek:
            def seek(self, pos: int) -> None:
                raise OSError("nope")

        with pytest.raises(UnrewindableBodyError, match="An error occurred"):
            utils.rewind_body(SimpleNamespace(body=BadSeek(), _body_position=0))

    def test_dict_to_sequence(self) -> None:
        assert list(utils.dict_to_sequence({"a": 1})) == [("a", 1)]
        seq = [("a", 1)]
        assert utils.dict_to_sequence(seq) is seq


# --- key/value and header parsing ---------------------------------------------------------------


class TestKeyValLists:
    def test_from_key_val_list(self) -> None:
        assert utils.from_key_val_list([("k", "v")]) == OrderedDict([("k", "v")])
        assert utils.from_key_val_list({"k": "v"}) == OrderedDict([("k", "v")])
        assert utils.from_key_val_list(None) is None
        for bad in ("string", b"bytes", 1, True):
            with pytest.raises(ValueError, match="2-tuples"):
                utils.from_key_val_list(bad)

    def test_to_key_val_list(self) -> None:
        assert utils.to_key_val_list([("k", "v")]) == [("k", "v")]
        assert utils.to_key_val_list({"k": "v"}) == [("k", "v")]
        assert utils.to_key_val_list(CaseInsensitiveDict({"K": "v"})) == [("K", "v")]
        assert utils.to_key_val_list(None) is None
        for bad in ("string", b"bytes", 1, False):
            with pytest.raises(ValueError, match="2-tuples"):
                utils.to_key_val_list(bad)


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
        assert utils._parse_content_type_header(value) == expected

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


# --- cookies via utils --------------------------------------------------------------------------


def test_dict_from_and_add_dict_to_cookiejar() -> None:
    jar = RequestsCookieJar()
    jar.set("a", "1")
    result = utils.add_dict_to_cookiejar(jar, {"b": "2"})
    assert result is jar
    assert utils.dict_from_cookiejar(jar) == {"a": "1", "b": "2"}


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

    def test_constants(self) -> None:
        import certifi

        assert utils.DEFAULT_CA_BUNDLE_PATH == certifi.where()
        assert utils.DEFAULT_PORTS == {"http": 80, "https": 443}
        assert set("-._~") <= utils.UNRESERVED_SET and "%" not in utils.UNRESERVED_SET
        assert len(utils.UNRESERVED_SET) == 66


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

    def test_set_environ(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("HCL_TEST_VAR", raising=False)
        with utils.set_environ("HCL_TEST_VAR", "x"):
            assert os.environ["HCL_TEST_VAR"] == "x"
        assert "HCL_TEST_VAR" not in os.environ
        monkeypatch.setenv("HCL_TEST_VAR", "old")
        with utils.set_environ("HCL_TEST_VAR", "new"):
            assert os.environ["HCL_TEST_VAR"] == "new"
        assert os.environ["HCL_TEST_VAR"] == "old"
        with utils.set_environ("HCL_TEST_VAR", None):
            assert os.environ["HCL_TEST_VAR"] == "old"
        with pytest.raises(RuntimeError), utils.set_environ("HCL_TEST_VAR", "tmp"):
            raise RuntimeError
        assert os.environ["HCL_TEST_VAR"] == "old"


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


def test_support_modules_do_not_import_other_clients() -> None:
    # These modules sit under models and sessions; they must not pull in another HTTP stack.
    import subprocess

    code = (
        "import sys\n"
        "import httpcore_lite.utils, httpcore_lite.cookies, httpcore_lite.auth\n"
        "import httpcore_lite.compat, httpcore_lite.help, httpcore_lite.packages\n"
        "import httpcore_lite.certs, httpcore_lite._internal_utils\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('urllib3', 'requests', 'httpx', 'httpcore')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_cookiejar_pickles_through_utils_helpers() -> None:
    jar = utils.add_dict_to_cookiejar(RequestsCookieJar(), {"k": "v"})
    clone = pickle.loads(pickle.dumps(jar))
    assert utils.dict_from_cookiejar(clone) == {"k": "v"}
