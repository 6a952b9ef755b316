"""
Versions of this package, its dependencies and the platform, for bug reports.

``python -m httpcore_lite.help`` prints them as JSON, as ``python -m requests.help`` does.
"""

from __future__ import annotations

import importlib
import json
import platform
import ssl
import sys
from typing import Any, Optional

import idna

from .__version__ import __release__

__all__ = ["info", "main"]


def _implementation() -> dict[str, str]:
    """The Python implementation's name and version (PyPy reports its own version)."""
    implementation = platform.python_implementation()
    if implementation == "CPython":
        implementation_version = platform.python_version()
    elif implementation == "PyPy":
        pypy = sys.pypy_version_info  # type: ignore[attr-defined]
        implementation_version = f"{pypy.major}.{pypy.minor}.{pypy.micro}"
        if pypy.releaselevel != "final":
            implementation_version = "".join([implementation_version, pypy.releaselevel])
    elif implementation in ("Jython", "IronPython"):
        implementation_version = platform.python_version()
    else:
        implementation_version = "Unknown"
    return {"name": implementation, "version": implementation_version}


def _module_version(name: str) -> Optional[str]:
    """The version of an importable module, or None when it is missing or has no version."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    version = getattr(module, "__version__", None)
    if version is None and name == "zstandard":
        version = getattr(module, "ZSTD_VERSION", None)
        if isinstance(version, tuple):
            version = ".".join(str(part) for part in version)
    return None if version is None else str(version)


def info() -> dict[str, Any]:
    """Information about the running system and the installed versions, as a dict."""
    try:
        platform_info = {"system": platform.system(), "release": platform.release()}
    except OSError:
        platform_info = {"system": "Unknown", "release": "Unknown"}

    brotli_version = _module_version("brotli")
    if brotli_version is None:
        brotli_version = _module_version("brotlicffi")

    return {
        "platform": platform_info,
        "implementation": _implementation(),
        "system_ssl": {
            "version": f"{ssl.OPENSSL_VERSION_NUMBER:x}",
            "openssl_version": ssl.OPENSSL_VERSION,
        },
        "using_pyopenssl": False,
        "using_charset_normalizer": True,
        "httpcore_lite": {"version": __release__},
        "h11": {"version": _module_version("h11")},
        "certifi": {"version": _module_version("certifi")},
        "charset_normalizer": {"version": _module_version("charset_normalizer")},
        # A module attribute, as in requests (where tests patch it): "" when it has no version.
        "idna": {"version": getattr(idna, "__version__", "")},
        "brotli": {"version": brotli_version},
        "zstandard": {"version": _module_version("zstandard")},
    }


def main() -> None:
    """Pretty-print the bug information as JSON."""
    print(json.dumps(info(), sort_keys=True, indent=2))


if __name__ == "__main__":
    main()
