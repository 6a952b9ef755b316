"""The version names: requests' (for libraries' checks) and the project's own release."""

from __future__ import annotations

import importlib

import httpcore_lite

version_module = importlib.import_module("httpcore_lite.__version__")


def test_requests_version_checks_pass() -> None:
    # Libraries built on requests compare these against 2.x.
    assert httpcore_lite.__version__ >= "2.0.0"
    assert tuple(int(p) for p in httpcore_lite.__version__.split(".")) >= (2, 4, 1)
    assert httpcore_lite.__build__ >= 0x020401
    major, minor, patch = (int(p) for p in httpcore_lite.__version__.split("."))
    # requests writes each part as two hex digits: 2.34.2 is 0x023402.
    assert httpcore_lite.__build__ == int(f"{major:02d}{minor:02d}{patch:02d}", 16)


def test_own_release_is_separate() -> None:
    assert httpcore_lite.__release__ == version_module.__release__
    assert httpcore_lite.__release__ != httpcore_lite.__version__
    assert httpcore_lite.__title__ == "httpcore_lite"
    assert httpcore_lite.utils.default_user_agent().endswith("/" + httpcore_lite.__release__)
