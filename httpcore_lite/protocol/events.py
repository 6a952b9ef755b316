"""
Events returned by :meth:`ClientConnection.receive_data`.

They are small immutable records, so a caller may keep, compare or log them freely. A response
arrives as one :class:`ResponseStarted`, zero or more :class:`BodyData`, then one
:class:`ResponseComplete`. Interim 1xx responses are absorbed by the connection and never appear
here, except ``101 Switching Protocols``, which ends the cycle as a :class:`ResponseStarted`
followed directly by :class:`ResponseComplete` (the connection is then handed over and
``reusable`` is False).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResponseStarted:
    """The status line and headers of the final response have arrived.

    ``headers`` keeps every field in wire order with its original case, duplicates included, so
    that repeated ``Set-Cookie`` lines survive; ``http_version`` is ``"1.0"`` or ``"1.1"``.
    """

    __slots__ = ("status_code", "reason", "headers", "http_version")

    status_code: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    http_version: str


@dataclass(frozen=True)
class BodyData:
    """A piece of the response body.

    ``data`` is the body after transfer framing is removed but *before* content decoding, which
    keeps ``Response.raw.read(decode_content=False)`` possible; decoded bytes come from
    :mod:`httpcore_lite.protocol.decoders`.
    """

    __slots__ = ("data",)

    data: bytes


@dataclass(frozen=True)
class ResponseComplete:
    """The body has ended. ``ClientConnection.reusable`` now says whether to keep the stream."""

    __slots__ = ()


Event = ResponseStarted | BodyData | ResponseComplete
