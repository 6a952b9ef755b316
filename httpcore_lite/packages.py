"""
Module paths that requests users reach for: ``httpcore_lite.packages.idna``, ``.chardet`` and
``.urllib3``.

requests re-exports its vendored dependencies as ``requests.packages.<name>``, and some code
imports them from there. We alias the real modules in ``sys.modules`` instead of vendoring:
``idna`` is idna, and ``chardet`` is charset-normalizer (its detection API is chardet's).

``packages.urllib3`` (and ``packages.urllib3.<sub>``) is the installed urllib3, as in requests,
found only when someone asks for it: this package never uses urllib3, so nothing about it
happens at import. Without urllib3 installed, the idioms people use it for here still work,
served by :mod:`httpcore_lite._urllib3_idioms`: ``disable_warnings()``,
``exceptions.InsecureRequestWarning`` and ``util.retry.Retry``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from typing import Any

import charset_normalizer
import idna

chardet = charset_normalizer

__all__ = ["chardet", "charset_normalizer", "idna"]

#: Submodules may be imported from here (``import httpcore_lite.packages.urllib3.util``).
__path__: list[str] = []


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


def _urllib3(name: str) -> types.ModuleType:
    """The module ``urllib3[.sub]`` named by ``name``: the installed urllib3's, else ours."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if importlib.util.find_spec("urllib3") is not None and name != "urllib3":
            raise  # urllib3 is installed but has no such submodule
    from . import _urllib3_idioms

    module = _urllib3_idioms.MODULES.get(name)
    if module is None:
        raise ModuleNotFoundError(f"No module named {name!r} (urllib3 is not installed)")
    return module


class _Urllib3Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``<this module's name>.urllib3[.sub]`` as ``urllib3[.sub]``.

    This module may be known by more than one name (``requests.packages`` when it stands in
    for requests), so a name counts when its parent in ``sys.modules`` is this module.
    """

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        head, sep, tail = fullname.partition(".urllib3")
        if not sep or (tail and not tail.startswith(".")):
            return None
        if sys.modules.get(head) is not sys.modules[__name__]:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: Any) -> types.ModuleType:
        return types.ModuleType(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        # The import system returns whatever sys.modules holds under the name afterwards.
        name = module.__name__
        real = _urllib3("urllib3" + name.partition(".urllib3")[2])
        sys.modules[name] = real


# First in line: the path finder would otherwise find urllib3's submodules through the real
# urllib3's __path__ and load them a second time under the alias.
if not any(isinstance(finder, _Urllib3Finder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _Urllib3Finder())


_WARNINGS: dict[type, type[Warning]] = {}


def insecure_request_warning() -> type[Warning]:
    """The category of the ``verify=False`` warning.

    Our :class:`~httpcore_lite.exceptions.InsecureRequestWarning`; when urllib3 is loaded
    (someone imported it; we never do), a subclass of both ours and urllib3's, so that the
    usual ``urllib3.disable_warnings()`` (or a filter on either class) silences it, as it
    does with requests.
    """
    from .exceptions import InsecureRequestWarning

    theirs = getattr(sys.modules.get("urllib3.exceptions"), "InsecureRequestWarning", None)
    if not isinstance(theirs, type) or issubclass(InsecureRequestWarning, theirs):
        return InsecureRequestWarning
    category = _WARNINGS.get(theirs)
    if category is None:
        category = type(
            "InsecureRequestWarning",
            (InsecureRequestWarning, theirs),
            {
                "__module__": InsecureRequestWarning.__module__,
                "__doc__": "An unverified HTTPS request (ours and urllib3's category).",
            },
        )
        _WARNINGS[theirs] = category
    return category


def __getattr__(name: str) -> Any:
    if name == "urllib3":
        module = importlib.import_module(f"{__name__}.urllib3")
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
