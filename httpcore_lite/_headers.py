"""
Header values: parsing requests' list, dict and Link forms, the charset of a Content-Type,
validation of names and values, and the default request headers.

Header values with CR, LF or NUL are refused (header injection), as requests does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

from .__version__ import __release__
from ._cache import remember
from ._internal_utils import HEADER_VALIDATOR_BYTE, HEADER_VALIDATOR_STR
from .exceptions import InvalidHeader
from .structures import CaseInsensitiveDict

__all__ = [
    "DEFAULT_ACCEPT_ENCODING",
    "check_header_validity",
    "default_headers",
    "default_user_agent",
    "get_encoding_from_headers",
    "parse_dict_header",
    "parse_header_links",
    "parse_list_header",
    "unquote_header_value",
]


def _accept_encoding() -> str:
    # Advertise only what the decoders can undo: br and zstd need optional packages.
    codings = ["gzip", "deflate"]
    try:
        import brotli  # noqa: F401
    except ImportError:
        try:
            import brotlicffi  # noqa: F401
        except ImportError:
            pass
        else:
            codings.append("br")
    else:
        codings.append("br")
    try:
        import zstandard  # noqa: F401
    except ImportError:
        pass
    else:
        codings.append("zstd")
    return ", ".join(codings)


#: ``"gzip, deflate"``, plus ``", br"`` / ``", zstd"`` when brotli / zstandard are installed.
DEFAULT_ACCEPT_ENCODING = _accept_encoding()


def _split_header_list(value: str) -> list[str]:
    """Split a comma-separated header value, keeping commas inside quoted strings.

    The same algorithm as ``urllib.request.parse_http_list``, written here so this module does not
    import ``urllib.request`` (and through it ``http.client``).
    """
    items: list[str] = []
    part: list[str] = []
    escape = quote_open = False
    for ch in value:
        if escape:
            part.append(ch)
            escape = False
            continue
        if quote_open:
            if ch == "\\":
                escape = True
                continue
            if ch == '"':
                quote_open = False
            part.append(ch)
            continue
        if ch == ",":
            items.append("".join(part))
            part = []
            continue
        if ch == '"':
            quote_open = True
        part.append(ch)
    if part:
        items.append("".join(part))
    return [item.strip() for item in items]


def parse_list_header(value: str) -> list[str]:
    """Parse a comma-separated list header (RFC 2068 section 2), unquoting quoted items.

    >>> parse_list_header('token, "quoted value"')
    ['token', 'quoted value']
    """
    result = []
    for item in _split_header_list(value):
        if item[:1] == item[-1:] == '"':
            item = unquote_header_value(item[1:-1])
        result.append(item)
    return result


def parse_dict_header(value: str) -> dict[str, Optional[str]]:
    """Parse ``key=value`` pairs separated by commas; keys without a value map to ``None``.

    >>> sorted(parse_dict_header('foo="is a fish", bar="as well"').items())
    [('bar', 'as well'), ('foo', 'is a fish')]
    """
    result: dict[str, Optional[str]] = {}
    for item in _split_header_list(value):
        if "=" not in item:
            result[item] = None
            continue
        name, item_value = item.split("=", 1)
        if item_value[:1] == item_value[-1:] == '"':
            item_value = unquote_header_value(item_value[1:-1])
        result[name] = item_value
    return result


def unquote_header_value(value: str, is_filename: bool = False) -> str:
    """Undo the quoting of a header value (what browsers actually do, not strict RFC).

    UNC paths (``\\\\server\\share``) in file names keep their backslashes.
    """
    if value and value[0] == value[-1] == '"':
        value = value[1:-1]
        if not is_filename or value[:2] != "\\\\":
            return value.replace("\\\\", "\\").replace('\\"', '"')
    return value


def parse_content_type_header(header: str) -> tuple[str, dict[str, Any]]:
    """Split a Content-Type header into the media type and its lower-cased parameters.

    Parameters without ``=`` are dropped (as in current requests). Quotes and spaces around keys
    and values go.
    """
    tokens = header.split(";")
    content_type, params = tokens[0].strip(), tokens[1:]
    params_dict: dict[str, Any] = {}
    strip_chars = "\"' "
    for param in params:
        index_of_equals = param.find("=")
        if index_of_equals == -1:
            continue
        key = param[:index_of_equals].strip(strip_chars)
        params_dict[key.lower()] = param[index_of_equals + 1 :].strip(strip_chars)
    return content_type, params_dict


def get_encoding_from_headers(headers: Mapping[str, Any]) -> Optional[str]:
    """The encoding a response declares in its Content-Type, or the HTTP defaults.

    ``charset=`` wins; otherwise ``text/*`` is ISO-8859-1 (RFC 2616) and ``application/json`` is
    UTF-8 (RFC 8259), as in requests. ``None`` when nothing is known.
    """
    content_type = headers.get("content-type")
    if not content_type:
        return None
    if type(content_type) is str:
        # A pure function of the value, and a server sends the same few Content-Types: the
        # answer for each is kept (bounded), sparing the parse on every response.
        known = _ENCODING_BY_TYPE.get(content_type, _UNKNOWN)
        if known is _UNKNOWN:
            known = remember(
                _ENCODING_BY_TYPE, content_type, _encoding_from_content_type(content_type), 256
            )
        return known  # type: ignore[return-value]
    return _encoding_from_content_type(content_type)


_UNKNOWN = object()
_ENCODING_BY_TYPE: dict[str, Optional[str]] = {}


def _encoding_from_content_type(content_type: str) -> Optional[str]:
    content_type, params = parse_content_type_header(content_type)
    if "charset" in params:
        charset = params["charset"]
        if isinstance(charset, str):
            return charset.strip("'\"")
    if "text" in content_type:
        return "ISO-8859-1"
    if "application/json" in content_type:
        return "utf-8"
    return None


def parse_header_links(value: str) -> list[dict[str, str]]:
    """Parse a ``Link`` header into a list of dicts with ``url`` and the link's parameters.

    i.e. ``<http://.../front.jpeg>; rel=front; type="image/jpeg", <http://.../back.jpeg>; rel=back``
    """
    links: list[dict[str, str]] = []
    replace_chars = " '\""
    value = value.strip(replace_chars)
    if not value:
        return links
    for val in re.split(", *<", value):
        try:
            url, params = val.split(";", 1)
        except ValueError:
            url, params = val, ""
        link = {"url": url.strip("<> '\"")}
        for param in params.split(";"):
            # Split once: a quoted value may itself contain "=" (RFC 8288).
            try:
                key, param_value = param.split("=", 1)
            except ValueError:
                break
            link[key.strip(replace_chars)] = param_value.strip(replace_chars)
        links.append(link)
    return links


def check_header_validity(header: tuple[Any, Any]) -> None:
    """Refuse a header whose name or value could break the message framing.

    Names may not contain ``:``, CR or LF, nor start with whitespace; values may not contain CR,
    LF or NUL, nor start with whitespace. Both must be ``str`` or ``bytes``.

    :raises InvalidHeader: with requests' messages.
    """
    name, value = header
    _validate_header_part(header, name, 0)
    _validate_header_part(header, value, 1)


def _validate_header_part(header: tuple[Any, Any], header_part: Any, index: int) -> None:
    validator: re.Pattern[Any]
    if isinstance(header_part, str):
        validator = HEADER_VALIDATOR_STR[index]
    elif isinstance(header_part, bytes):
        validator = HEADER_VALIDATOR_BYTE[index]
    else:
        raise InvalidHeader(
            f"Header part ({header_part!r}) from {header} "
            f"must be of type str or bytes, not {type(header_part)}"
        )
    if not validator.match(header_part):
        header_kind = "name" if index == 0 else "value"
        raise InvalidHeader(
            f"Invalid leading whitespace, reserved character(s), or return "
            f"character(s) in header {header_kind}: {header_part!r}"
        )


def default_user_agent(name: str = "httpcore_lite") -> str:
    """The default User-Agent: ``httpcore_lite/<version>``."""
    return f"{name}/{__release__}"


def default_headers() -> CaseInsensitiveDict:
    """The headers a new Session starts with (a fresh mapping each time: sessions change
    theirs)."""
    # A copy of one mapping built at import: a store copy costs a fraction of building it.
    return _DEFAULT_HEADERS.copy()


_DEFAULT_HEADERS = CaseInsensitiveDict.from_fields(
    (
        ("User-Agent", default_user_agent()),
        ("Accept-Encoding", DEFAULT_ACCEPT_ENCODING),
        ("Accept", "*/*"),
        ("Connection", "keep-alive"),
    )
)
