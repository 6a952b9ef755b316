"""
``packages.urllib3`` when urllib3 is not installed: the idioms code written for requests uses it
for, served by this package.

``requests.packages.urllib3.disable_warnings()``, ``...exceptions.InsecureRequestWarning`` and
``...util.retry.Retry`` (also ``...util.Retry`` and ``...Retry``) work; anything else is an
``AttributeError``, since this is not urllib3. Built only when someone imports
``packages.urllib3`` and urllib3 cannot be found.
"""

from __future__ import annotations

import types
import warnings

from . import exceptions as _exceptions
from .transport import errors as _errors
from .transport.retry import Retry


def disable_warnings(category: type[Warning] = _exceptions.InsecureRequestWarning) -> None:
    """Silence ``category`` (by default :class:`InsecureRequestWarning`), as urllib3's does."""
    warnings.simplefilter("ignore", category)


def _module(name: str, doc: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(name, doc)
    module.__dict__.update(attrs)
    module.__path__ = []  # importable as a package, like urllib3's
    return module


exceptions = _module(
    "urllib3.exceptions",
    "urllib3's exception names, as the package's own classes.",
    InsecureRequestWarning=_exceptions.InsecureRequestWarning,
    **{name: getattr(_errors, name) for name in _errors.__all__ if name[0].isupper()},
)
retry = _module("urllib3.util.retry", "The package's Retry, with urllib3's arguments.", Retry=Retry)
util = _module("urllib3.util", "Only util.retry.", retry=retry, Retry=Retry)
urllib3 = _module(
    "urllib3",
    __doc__ or "",
    disable_warnings=disable_warnings,
    exceptions=exceptions,
    util=util,
    Retry=Retry,
)

#: The modules by urllib3 name, for :mod:`httpcore_lite.packages`.
MODULES = {
    "urllib3": urllib3,
    "urllib3.exceptions": exceptions,
    "urllib3.util": util,
    "urllib3.util.retry": retry,
}
