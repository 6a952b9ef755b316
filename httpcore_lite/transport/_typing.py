"""
What the transport needs of the objects other layers hand it, written down for the type checker.

The pool and its connections take a request built elsewhere (``models.PreparedRequest``, or
anything shaped like it) and read four attributes from it. :class:`Request` names them as a
``typing.Protocol``, so a checker verifies every caller, while the run-time code stays duck
typed: the transport imports this module only under ``TYPE_CHECKING`` and never asks
``isinstance`` of a Protocol, so no request pays for the check. (Where a file body started,
``body_position``, is optional and looked up with ``getattr``, so it is not part of the shape.)

:class:`BodySource` and :class:`HasHeaders` do the same for a file put in place of a response
body and for the response a :class:`~.retry.Retry` looks at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, Union

__all__ = ["BodySource", "HasHeaders", "Request", "RequestBody"]

#: A request body as the connection sends it: bytes-like or text sent at once (the core frames
#: it with Content-Length), or an iterable of pieces (a generator, or a file, which is read by
#: ``read()`` when it has one), framed chunked unless a Content-Length says otherwise.
RequestBody = Union[bytes, bytearray, memoryview, str, Iterable[Union[bytes, str]], None]


class Request(Protocol):
    """A request as the pool reads it: method, absolute URL, header fields and body.

    Read-only properties, so that a class holding plain attributes of these (or narrower)
    types satisfies it, as ``PreparedRequest`` does.
    """

    @property
    def method(self) -> str | None: ...

    @property
    def url(self) -> str | None: ...

    @property
    def headers(self) -> Mapping[str, str | bytes]: ...

    @property
    def body(self) -> RequestBody: ...


class BodySource(Protocol):
    """What a response body is read from once code puts a file in its place (``raw._fp``):
    anything with ``read(amt)`` returning bytes, as the wrappers of caching layers are."""

    def read(self, amt: int, /) -> bytes: ...


class HasHeaders(Protocol):
    """A response as :class:`~.retry.Retry` reads it (a ``Response`` or a raw response): its
    header fields, for ``Retry-After`` and ``Location``; the status is looked up by name."""

    @property
    def headers(self) -> Mapping[str, str]: ...
