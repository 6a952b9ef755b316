"""
The names ``requests.compat`` offers, for code that imports them from there.

requests kept this module through its Python 2 years; code in the wild still does
``from requests.compat import urlparse, basestring``. Everything here is an alias of the standard
library (or charset-normalizer for ``chardet``); nothing here is used on our own hot path.
"""

from __future__ import annotations

import json as complexjson
import sys
from collections import OrderedDict
from collections.abc import Callable, Mapping, MutableMapping
from http import cookiejar as cookielib
from http.cookies import Morsel
from io import StringIO
from json import JSONDecodeError
from typing import Any
from urllib.parse import (
    quote,
    quote_plus,
    unquote,
    unquote_plus,
    urldefrag,
    urlencode,
    urljoin,
    urlparse,
    urlsplit,
    urlunparse,
)

import charset_normalizer as chardet

_ver = sys.version_info

#: Python 2 is long gone; these flags remain for code that still tests them.
is_py2 = False
is_py3 = True

#: requests prefers simplejson when installed; we always use the standard library's json.
has_simplejson = False

#: requests tells urllib3 1.x and 2.x apart with this; there is no urllib3 here at all.
is_urllib3_1 = False

builtin_str = str
str = str  # noqa: A001 - the name is the point of this module
bytes = bytes  # noqa: A001
basestring = (str, bytes)
numeric_types = (int, float)
integer_types = (int,)


_URLLIB_REQUEST_NAMES = frozenset(
    {
        "getproxies",
        "getproxies_environment",
        "parse_http_list",
        "proxy_bypass",
        "proxy_bypass_environment",
    }
)


def __getattr__(name: str) -> Any:
    if name in _URLLIB_REQUEST_NAMES:
        import urllib.request

        return getattr(urllib.request, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Callable",
    "JSONDecodeError",
    "Mapping",
    "Morsel",
    "MutableMapping",
    "OrderedDict",
    "StringIO",
    "basestring",
    "builtin_str",
    "bytes",
    "chardet",
    "complexjson",
    "cookielib",
    "has_simplejson",
    "integer_types",
    "is_py2",
    "is_py3",
    "is_urllib3_1",
    "numeric_types",
    "quote",
    "quote_plus",
    "str",
    "unquote",
    "unquote_plus",
    "urldefrag",
    "urlencode",
    "urljoin",
    "urlparse",
    "urlsplit",
    "urlunparse",
]
