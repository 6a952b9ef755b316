"""Tests for help, certs, packages and the compat/support module surface."""

from __future__ import annotations

import json
import subprocess
import sys

import certifi
import pytest

from httpcore_lite import certs, help
from httpcore_lite.__version__ import __release__


def test_certs_where_is_certifi() -> None:
    assert certs.where() == certifi.where()


def test_info_contents() -> None:
    import charset_normalizer
    import h11
    import idna

    info = help.info()
    assert info["httpcore_lite"] == {"version": __release__}
    assert info["h11"] == {"version": h11.__version__}
    assert info["certifi"] == {"version": certifi.__version__}
    assert info["charset_normalizer"] == {"version": charset_normalizer.__version__}
    assert info["idna"] == {"version": idna.__version__}
    assert set(info["platform"]) == {"system", "release"}
    assert info["implementation"]["name"] == "CPython"
    assert info["implementation"]["version"] == ".".join(map(str, sys.version_info[:3]))
    import ssl

    assert info["system_ssl"]["openssl_version"] == ssl.OPENSSL_VERSION
    assert int(info["system_ssl"]["version"], 16) == ssl.OPENSSL_VERSION_NUMBER
    assert info["using_pyopenssl"] is False and info["using_charset_normalizer"] is True
    json.dumps(info)  # everything is JSON-serialisable


class _Versioned:
    def __init__(self, version: str) -> None:
        self.__version__ = version


@pytest.mark.parametrize(
    ("module", "expected"),
    [(None, ""), (object(), ""), (_Versioned("3.9"), "3.9")],
    ids=["missing", "without-version", "with-version"],
)
def test_info_idna_version_comes_from_the_module_attribute(
    monkeypatch: pytest.MonkeyPatch, module: object, expected: str
) -> None:
    monkeypatch.setattr(help, "idna", module)
    assert help.info()["idna"] == {"version": expected}


def test_info_optional_packages() -> None:
    info = help.info()
    try:
        import zstandard
    except ImportError:
        assert info["zstandard"] == {"version": None}
    else:
        assert info["zstandard"] == {"version": zstandard.__version__}
    try:
        import brotli
    except ImportError:
        assert "version" in info["brotli"]
    else:
        assert info["brotli"] == {"version": brotli.__version__}


def test_main_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    help.main()
    assert json.loads(capsys.readouterr().out) == help.info()


def test_python_m_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "httpcore_lite.help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["httpcore_lite"]["version"] == __release__


def test_packages_aliases() -> None:
    import charset_normalizer
    import charset_normalizer.api
    import idna
    import idna.core

    import httpcore_lite.packages as packages

    assert packages.idna is idna
    assert packages.chardet is charset_normalizer
    assert sys.modules["httpcore_lite.packages.idna"] is idna
    assert sys.modules["httpcore_lite.packages.idna.core"] is idna.core
    assert sys.modules["httpcore_lite.packages.chardet"] is charset_normalizer
    assert sys.modules["httpcore_lite.packages.chardet.api"] is charset_normalizer.api
    from httpcore_lite.packages.chardet import detect
    from httpcore_lite.packages.idna import encode

    assert encode("\u00fcnicode.org") == b"xn--nicode-2ya.org"
    assert detect(b"plain ascii")["encoding"] == "ascii"


def test_packages_without_urllib3() -> None:
    code = (
        "import sys, httpcore_lite.packages\n"
        "import httpcore_lite.packages.idna\n"
        "assert 'urllib3' not in sys.modules\n"
        "assert 'httpcore_lite.packages.urllib3' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
