"""
The request head: a request's method, URL and headers in, a checked ``h11.Request`` out.

Everything the core does before the first byte of a request exists lives here: the
request-target and the ``Host`` value from the URL, header names and values encoded to latin-1
bytes, and the refusal of anything that could smuggle a second header or request (a name that
is not a token, a CR, LF or NUL in a value). Errors are the project's
(:class:`~httpcore_lite.exceptions.InvalidURL`, :class:`~httpcore_lite.exceptions.InvalidHeader`),
raised before anything is produced, so the connection stays usable.

A client sends the same bodiless head again and again; :data:`REQUEST_EVENTS` keeps the
``h11.Request`` accepted for such a head so that the next identical one skips the work.
"""

from __future__ import annotations

import re
from typing import Any

import h11

from .._urls import DEFAULT_PORTS
from ..exceptions import InvalidHeader, InvalidURL

# The default ports as the authority spells them, so the Host header compares text with text;
# WebSocket URLs use HTTP's ports (RFC 6455).
DEFAULT_PORT_TEXT = {scheme: str(port) for scheme, port in DEFAULT_PORTS.items()}
DEFAULT_PORT_TEXT.update(ws=DEFAULT_PORT_TEXT["http"], wss=DEFAULT_PORT_TEXT["https"])


def split_url(url: str) -> tuple[str, str, str]:
    """Split an absolute URL into (scheme, authority, rest), rest being path, query, fragment.

    A hand-written split rather than ``urlsplit``: the URL was already parsed and quoted by
    ``PreparedRequest.prepare_url``, and we need only these slices of it.
    """
    sep = url.find("://")
    if sep <= 0:
        raise InvalidURL(f"Invalid URL {url!r}: No scheme supplied")
    start = sep + 3
    end = len(url)
    for delim in "/?#":
        i = url.find(delim, start, end)
        if i >= 0:
            end = i
    return url[:sep].lower(), url[start:end], url[end:]


def host_header(scheme: str, authority: str, url: str) -> bytes:
    """``Host`` value for an authority: userinfo removed, default port omitted.

    IPv6 literals keep their brackets (they are in the authority already). The host part is
    kept as the URL spells it: ``prepare_url`` has already IDNA-encoded and lowercased it.
    """
    at = authority.rfind("@")
    if at >= 0:
        authority = authority[at + 1 :]
    colon = authority.rfind(":")
    if colon >= 0 and authority.rfind("]") < colon:
        port = authority[colon + 1 :]
        if not port or port == DEFAULT_PORT_TEXT.get(scheme):
            authority = authority[:colon]
    if not authority:
        raise InvalidURL(f"Invalid URL {url!r}: No host supplied")
    try:
        return authority.encode("ascii")
    except UnicodeEncodeError as exc:
        raise InvalidURL(f"Invalid host in URL {url!r}") from exc


def encode_name(name: Any) -> bytes:
    if type(name) is bytes:
        return name
    if isinstance(name, str):
        try:
            return name.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise InvalidHeader(f"Invalid header name {name!r}: not latin-1") from exc
    if isinstance(name, (bytes, bytearray)):
        return bytes(name)
    raise InvalidHeader(f"Header name {name!r} must be of type str or bytes, not {type(name)}")


def encode_value(name: Any, value: Any) -> bytes:
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        try:
            return value.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise InvalidHeader(f"Invalid header value for {name!r}: not latin-1") from exc
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise InvalidHeader(
        f"Header part ({value!r}) from ({name!r}, {value!r}) must be of type str or bytes, "
        f"not {type(value)}"
    )


_TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+")
NAMES = re.compile(rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+(?: [-!#$%&'*+.^_`|~0-9a-zA-Z]+)*")
_TARGET = re.compile(rb"[\x21-\x7e]+")
_CTL = re.compile(rb"[\r\n\0]")

# (method, target, Host, header pairs) -> the h11.Request accepted for a bodiless request with
# exactly those inputs (see send_request). Bounded: cleared when full.
REQUEST_EVENTS: dict[Any, h11.Request] = {}
REQUEST_EVENTS_MAX = 256


def retry_or_refuse(
    method: bytes, target: bytes, headers: list[tuple[bytes, bytes]], url: str, exc: Exception
) -> h11.Request:
    """Explain why a request head was refused, or rescue the one harmless case.

    Only reached on failure, so the checks that make the error precise cost nothing on the hot
    path. The harmless case is surrounding whitespace in a value, which h11's own validation
    refuses while requests and http.client send it: it is dropped and the head built again.
    """
    if not _TOKEN.fullmatch(method):
        raise InvalidURL(f"Invalid method {method!r}") from exc
    if not _TARGET.fullmatch(target):
        raise InvalidURL(f"Invalid request target {target!r} for URL {url!r}") from exc
    for name, value in headers:
        if not _TOKEN.fullmatch(name):
            raise InvalidHeader(f"Invalid header name {name!r}") from exc
        if _CTL.search(value):
            raise InvalidHeader(
                f"Invalid return character or NUL in header value for {name!r}"
            ) from exc
    try:
        return h11.Request(
            method=method,
            target=target,
            headers=[(name, value.strip(b" \t")) for name, value in headers],
        )
    except h11.LocalProtocolError as again:
        raise InvalidHeader(f"Invalid request head: {again}") from exc
