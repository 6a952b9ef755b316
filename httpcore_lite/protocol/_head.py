"""
The request head: a request's method, URL and headers in, a checked ``h11.Request`` out.

Everything the core does before the first byte of a request exists lives here: the
request-target and the ``Host`` value from the URL, header names and values encoded to latin-1
bytes, and the refusal of anything that could smuggle a second header or request (a name that
is not a token, a CR, LF or NUL in a value). Errors are the project's
(:class:`~httpcore_lite.exceptions.InvalidURL`, :class:`~httpcore_lite.exceptions.InvalidHeader`),
raised before anything is produced, so the connection stays usable.

A client sends the same bodiless head again and again; :data:`REQUEST_EVENTS` keeps the
``h11.Request`` accepted for such a head, and its bytes, so that the next identical one skips
the work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import h11

from .._urls import DEFAULT_PORTS
from ..exceptions import InvalidBodyError, InvalidHeader, InvalidURL
from ..structures import CaseInsensitiveDict
from . import fastpath
from ._response_head import closes

if TYPE_CHECKING:
    from typing import Protocol, TypeAlias

    class HeaderItems(Protocol):
        """A mapping of header fields, as far as the core reads one."""

        def items(self) -> Iterable[tuple[object, object]]: ...

    #: Header fields as (name, value) pairs. Names and values are str or bytes; anything else
    #: is refused with ``InvalidHeader``, so the type says no more than ``object``.
    HeaderPairs: TypeAlias = Iterable[tuple[object, object]]
    #: Request headers: a mapping (a ``CaseInsensitiveDict`` is read fastest) or pairs.
    HeaderSource: TypeAlias = HeaderItems | HeaderPairs | None

    class OutgoingRequest(Protocol):
        """What the core reads from a request: a ``PreparedRequest`` or any such object.

        Checked by mypy only: at run time the core reads the four attributes, nothing else.
        """

        @property
        def method(self) -> str | bytes | None: ...
        @property
        def url(self) -> str | None: ...
        @property
        def headers(self) -> HeaderSource: ...
        @property
        def body(self) -> object: ...

    #: The cache key of a bodiless head: method, target, Host and the header store's pairs.
    HeadKey: TypeAlias = tuple[bytes, bytes, bytes, tuple[tuple[str, object], ...]]

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


def encode_name(name: object) -> bytes:
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


def encode_value(name: object, value: object) -> bytes:
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
# exactly those inputs, and its bytes when the exchange is plain (see accepted_head).
# Bounded: cleared when full.
REQUEST_EVENTS: dict[HeadKey, tuple[h11.Request, bytes | None]] = {}
REQUEST_EVENTS_MAX = 256


def encode_method(method: str | bytes | None) -> bytes:
    """The method as bytes; one that is not a token is refused later, by checked_request."""
    if isinstance(method, str):
        return method.encode("ascii", "replace")
    return bytes(method or b"")


def request_target(path: str, target: str | bytes | None) -> bytes:
    """The request-target: ``target`` when given, else requests' ``path_url`` of the URL.

    ``path`` is the URL after its authority. ``path_url`` is the path (``/`` when empty) and
    the ``?query``, never the fragment.
    """
    if target is None:
        if "#" in path:
            path = path[: path.index("#")]
        if not path or path[0] == "?":
            path = "/" + path
        return path.encode("ascii", "replace")
    if isinstance(target, str):
        return target.encode("ascii", "replace")
    return bytes(target)


def accepted_head(
    method: bytes, target: bytes, host: bytes, headers: HeaderSource
) -> tuple[h11.Request, bytes | None] | None:
    """The event built and accepted before for this very bodiless head, if any, and its bytes.

    A client sends the same bodiless head again and again (same method, target, Host and
    headers). h11's events are immutable and h11 only reads them, so the event built and
    checked for the first such request serves again: that skips the encoding, our checks and
    h11's own, which would all give the same answer. Only heads that were accepted are stored
    (:func:`remember_head`); the key holds every input the head is built from.

    The bytes are there only for a plain exchange (see :func:`remember_head`): the core may
    then send them without h11, and tell h11 only if the response turns out unusual.
    """
    if type(headers) is not CaseInsensitiveDict:
        return None
    try:
        return REQUEST_EVENTS.get((method, target, host, tuple(headers.fields())))
    except TypeError:  # an unhashable header value: the general path serves it
        return None


def remember_head(
    method: bytes,
    target: bytes,
    host: bytes,
    headers: HeaderSource,
    event: h11.Request,
    wire: bytes,
) -> None:
    """Store an accepted bodiless head for :func:`accepted_head`, with its bytes ``wire``."""
    if type(headers) is not CaseInsensitiveDict:
        return
    if len(REQUEST_EVENTS) >= REQUEST_EVENTS_MAX:
        REQUEST_EVENTS.clear()
    try:
        REQUEST_EVENTS[(method, target, host, tuple(headers.fields()))] = (
            event,
            wire if is_plain(event) else None,
        )
    except TypeError:  # an unhashable header value: never cached
        pass


def is_plain(event: h11.Request) -> bool:
    """Whether h11's state machine has nothing to add to an exchange that starts with ``event``.

    Not so for ``CONNECT`` and ``Upgrade`` (the connection may change protocol), ``Expect``
    (h11 tracks the wait for ``100 Continue``) or ``Connection: close`` (the connection ends
    with the exchange): those requests always go through h11.
    """
    if event.method == b"CONNECT":
        return False
    for name, value in event.headers:  # lowercased names
        if name in (b"upgrade", b"expect"):
            return False
        if name == b"connection" and closes(value.decode("latin-1")):
            return False
    return True


def encode_fields(
    headers: HeaderSource, extra_headers: HeaderPairs, host: bytes
) -> tuple[list[tuple[bytes, bytes]], bool, bool]:
    """The header fields as latin-1 bytes, in order, ``Host`` first when none is given.

    Also says whether a ``Content-Length`` and a ``Transfer-Encoding`` were among them.
    """
    if type(headers) is CaseInsensitiveDict:
        # Its (original-case name, value) pairs and lowercased names, read as views: no
        # MutableMapping item machinery on the hot path.
        pairs: HeaderPairs = headers.fields()
        store = headers.lower_keys()
        has_host = "host" in store
        has_cl = "content-length" in store
        has_te = "transfer-encoding" in store
    else:
        try:
            items = getattr(headers, "items", None)
            # Without an items() method, headers can only be the pairs themselves.
            pairs = list(items() if items is not None else cast("HeaderPairs", headers or ()))
            lowered = {encode_name(k).lower() for k, _ in pairs}
        except (TypeError, ValueError) as exc:
            raise InvalidHeader(
                f"Request headers must be a mapping or (name, value) pairs, not {headers!r}"
            ) from exc
        has_host = b"host" in lowered
        has_cl = b"content-length" in lowered
        has_te = b"transfer-encoding" in lowered

    out: list[tuple[bytes, bytes]] = []
    append = out.append
    try:
        for name, value in pairs:
            append(
                (
                    name.encode("latin-1") if type(name) is str else encode_name(name),
                    value.encode("latin-1") if type(value) is str else encode_value(name, value),
                )
            )
    except UnicodeEncodeError:
        for name, value in pairs:  # the slow path names the culprit
            encode_name(name)
            encode_value(name, value)
        raise
    if extra_headers:
        for name, value in extra_headers:
            name_b = encode_name(name)
            lname = name_b.lower()
            if lname == b"host":
                has_host = True
            elif lname == b"content-length":
                has_cl = True
            elif lname == b"transfer-encoding":
                has_te = True
            append((name_b, encode_value(name, value)))
    if not has_host:
        out.insert(0, (b"Host", host))
    return out, has_cl, has_te


def body_bytes(body: object, streaming: bool | None) -> tuple[bytes | bytearray | memoryview, bool]:
    """The body as the bytes that go out with the head, and whether its length is known.

    None, bytes and str have a length; bytearray and memoryview too (copied unless the body is
    explicitly streamed, where the caller passes that very object to ``send_body``). Anything
    else is streamed after the head, so no bytes go with it, and ``streaming=False`` refuses it.
    """
    if body is None:
        return b"", streaming is not True  # an explicitly streamed body with none given
    if isinstance(body, bytes):
        return body, True
    if isinstance(body, str):
        return body.encode("utf-8"), True
    if isinstance(body, (bytearray, memoryview)):
        return (bytes(body) if not streaming else body), True
    if streaming is False:
        raise InvalidBodyError(
            f"streaming=False needs a body of bytes, str or None, not {type(body)}"
        )
    return b"", False


def add_framing(
    fields: list[tuple[bytes, bytes]], has_cl: bool, has_te: bool, sized: bool, length: int
) -> list[tuple[bytes, bytes]]:
    """Frame the body: the fields with ``Content-Length`` or ``Transfer-Encoding`` settled.

    A body with neither header gets a ``Content-Length`` when sized (and not empty) and
    ``Transfer-Encoding: chunked`` when streamed. Never both on the wire (RFC 9112 section
    6.2): ``Transfer-Encoding`` wins, as it would at the recipient.
    """
    if has_cl and has_te:
        fields = [pair for pair in fields if pair[0].lower() != b"content-length"]
        has_cl = False
    if not has_cl and not has_te:
        if not sized:
            fields.append((b"Transfer-Encoding", b"chunked"))
        elif length:
            fields.append((b"Content-Length", str(length).encode("ascii")))
    return fields


def checked_request(
    method: bytes, target: bytes, fields: list[tuple[bytes, bytes]], url: str
) -> h11.Request:
    """The ``h11.Request`` for a head, or an error that says what in it is not allowed.

    Refuses what could smuggle a second header or request: a name that is not a token, a CR,
    LF or NUL in a value. Checked over all fields at once (two C-level joins and scans instead
    of two regex matches per field), after which h11 is told the fields are clean; it still
    checks the method, target, Host and body framing itself.
    """
    names = b" ".join([name for name, _ in fields])
    values = b" ".join([value for _, value in fields])
    try:
        if (
            fastpath.ENABLED
            and NAMES.fullmatch(names) is not None
            and names.count(b" ") == len(fields) - 1  # no name hid a space
            and b"\r" not in values
            and b"\n" not in values
            and b"\0" not in values
        ):
            return fastpath.trusted_request(method, target, fields)
        return h11.Request(method=method, target=target, headers=fields)
    except h11.LocalProtocolError as exc:
        return retry_or_refuse(method, target, fields, url, exc)


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
