"""
requests' ``utils`` namespace: every name requests offers there, with its behaviour.

The implementations live in private modules, one per concern, and are re-exported here:

* ``_urls``: parsing, quoting and the origin of URLs, default ports;
* ``_env``: environment variables, netrc, the proxy variables;
* ``_proxies``: NO_PROXY matching and choosing a URL's proxy;
* ``_headers``: parsing and validating header values, the default headers;
* ``_charset``: finding the text encoding of a body;
* ``_bodies``: body length, file names, rewinding.

What stays here belongs to no one concern: requests' key/value-list and cookie-dict helpers
and the CA bundle path. Code in the package imports from the private modules; users import from
here.
"""

from __future__ import annotations

# requests' utils module holds these stdlib names too, and code and tests reach them through it
# (``mock.patch("requests.utils.socket.gethostbyname")``, ``requests.utils.os.environ``).
import codecs  # noqa: F401
import io  # noqa: F401
import os  # noqa: F401
import re  # noqa: F401
import socket  # noqa: F401
import struct  # noqa: F401
import sys  # noqa: F401
import tempfile  # noqa: F401
import warnings  # noqa: F401
import zipfile  # noqa: F401
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from netrc import NetrcParseError, netrc  # noqa: F401
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import quote, unquote, urlparse, urlunparse  # noqa: F401

from . import certs
from ._bodies import (
    atomic_open,
    extract_zipped_paths,
    guess_filename,
    rewind_body,
    super_len,
)
from ._charset import (
    get_encodings_from_content,
    get_unicode_from_response,
    guess_json_utf,
    iter_slices,
    stream_decode_response_unicode,
)
from ._env import NETRC_FILES, get_netrc_auth, set_environ
from ._headers import (
    DEFAULT_ACCEPT_ENCODING,
    check_header_validity,
    default_headers,
    default_user_agent,
    get_encoding_from_headers,
    parse_content_type_header,
    parse_dict_header,
    parse_header_links,
    parse_list_header,
    unquote_header_value,
)
from ._internal_utils import (  # noqa: F401 - re-exported, as requests.utils does
    HEADER_VALIDATOR_BYTE,
    HEADER_VALIDATOR_STR,
    HEADER_VALIDATORS,
    to_native_string,
    unicode_is_ascii,
)
from ._proxies import (
    address_in_network,
    dotted_netmask,
    get_environ_proxies,
    is_ipv4_address,
    is_valid_cidr,
    proxy_bypass,
    resolve_proxies,
    select_proxy,
    should_bypass_proxies,
)
from ._urls import (
    DEFAULT_PORTS,
    UNRESERVED_SET,
    get_auth_from_url,
    prepend_scheme_if_needed,
    requote_uri,
    unquote_unreserved,
    urldefragauth,
)
from .exceptions import (  # noqa: F401  (requests' utils module has these names too)
    FileModeWarning,
    InvalidHeader,
    InvalidURL,
    UnrewindableBodyError,
)
from .structures import CaseInsensitiveDict  # noqa: F401

if TYPE_CHECKING:
    from http.cookiejar import CookieJar

#: The CA bundle used when ``verify=True``: certifi's.
DEFAULT_CA_BUNDLE_PATH = certs.where()


def dict_to_sequence(d: Any) -> Any:
    """Return the ``items()`` of a mapping, or the object itself when it has none."""
    if hasattr(d, "items"):
        d = d.items()
    return d


def from_key_val_list(value: Any) -> Optional[OrderedDict[Any, Any]]:
    """Make an ``OrderedDict`` from a mapping or a list of 2-tuples.

    :raises ValueError: for scalars (``str``, ``bytes``, ``bool``, ``int``), which are not pairs.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, bool, int)):
        raise ValueError("cannot encode objects that are not 2-tuples")
    return OrderedDict(value)


def to_key_val_list(value: Any) -> Optional[list[Any]]:
    """Make a list of ``(key, value)`` tuples from a mapping or a list of 2-tuples.

    :raises ValueError: for scalars (``str``, ``bytes``, ``bool``, ``int``), which are not pairs.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, bool, int)):
        raise ValueError("cannot encode objects that are not 2-tuples")
    if isinstance(value, Mapping):
        value = value.items()
    return list(value)


def dict_from_cookiejar(cj: Iterable[Any]) -> dict[str, Any]:
    """Return a ``{name: value}`` dict of the cookies in a jar."""
    return {cookie.name: cookie.value for cookie in cj}


def add_dict_to_cookiejar(cj: CookieJar, cookie_dict: Mapping[str, Any]) -> CookieJar:
    """Insert the cookies of a dict into a jar and return the jar."""
    from .cookies import cookiejar_from_dict

    return cookiejar_from_dict(cookie_dict, cj)


# requests' name, which its own tests import.
_parse_content_type_header = parse_content_type_header

__all__ = [
    "DEFAULT_ACCEPT_ENCODING",
    "DEFAULT_CA_BUNDLE_PATH",
    "DEFAULT_PORTS",
    "NETRC_FILES",
    "UNRESERVED_SET",
    "add_dict_to_cookiejar",
    "address_in_network",
    "atomic_open",
    "check_header_validity",
    "default_headers",
    "default_user_agent",
    "dict_from_cookiejar",
    "dict_to_sequence",
    "dotted_netmask",
    "extract_zipped_paths",
    "from_key_val_list",
    "get_auth_from_url",
    "get_encoding_from_headers",
    "get_encodings_from_content",
    "get_environ_proxies",
    "get_netrc_auth",
    "get_unicode_from_response",
    "guess_filename",
    "guess_json_utf",
    "is_ipv4_address",
    "is_valid_cidr",
    "iter_slices",
    "parse_dict_header",
    "parse_header_links",
    "parse_list_header",
    "prepend_scheme_if_needed",
    "proxy_bypass",
    "requote_uri",
    "resolve_proxies",
    "rewind_body",
    "select_proxy",
    "set_environ",
    "should_bypass_proxies",
    "stream_decode_response_unicode",
    "super_len",
    "to_key_val_list",
    "to_native_string",
    "unicode_is_ascii",
    "unquote_header_value",
    "unquote_unreserved",
    "urldefragauth",
]
