"""Unit tests for the httpcore_lite.utils namespace, _internal_utils and compat."""

from __future__ import annotations

import pickle
import sys
from collections import OrderedDict
from typing import Any

import pytest

from httpcore_lite import _internal_utils, compat, utils
from httpcore_lite.cookies import RequestsCookieJar
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


# --- key/value lists ----------------------------------------------------------------------------


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


# --- cookies via utils --------------------------------------------------------------------------


def test_dict_from_and_add_dict_to_cookiejar() -> None:
    jar = RequestsCookieJar()
    jar.set("a", "1")
    result = utils.add_dict_to_cookiejar(jar, {"b": "2"})
    assert result is jar
    assert utils.dict_from_cookiejar(jar) == {"a": "1", "b": "2"}


# --- constants ----------------------------------------------------------------------------------


def test_constants() -> None:
    import certifi

    assert utils.DEFAULT_CA_BUNDLE_PATH == certifi.where()
    assert utils.DEFAULT_PORTS == {"http": 80, "https": 443}
    assert set("-._~") <= utils.UNRESERVED_SET and "%" not in utils.UNRESERVED_SET
    assert len(utils.UNRESERVED_SET) == 66


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
