"""
Module paths that requests users reach for: ``httpcore_lite.packages.idna`` and ``.chardet``.

requests re-exports its vendored dependencies as ``requests.packages.<name>``, and some code
imports them from there. We alias the real modules in ``sys.modules`` instead of vendoring:
``idna`` is idna, and ``chardet`` is charset-normalizer (its detection API is chardet's).
``requests.packages.urllib3`` has no counterpart: this package does not use urllib3.
"""

from __future__ import annotations

import sys

import charset_normalizer
import idna

chardet = charset_normalizer

__all__ = ["chardet", "charset_normalizer", "idna"]


def _alias(package: str, alias: str) -> None:
    """Make ``httpcore_lite.packages.<alias>[.<sub>]`` name ``<package>[.<sub>]``.

    Only submodules already imported are aliased, which covers every public one of these two
    packages, since importing the package imports them.
    """
    prefix = package + "."
    for name in list(sys.modules):
        if name == package or name.startswith(prefix):
            target = f"{__name__}.{alias}{name[len(package) :]}"
            sys.modules[target] = sys.modules[name]


_alias("idna", "idna")
_alias("charset_normalizer", "charset_normalizer")
_alias("charset_normalizer", "chardet")
