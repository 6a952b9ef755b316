"""
Events returned by :meth:`ClientConnection.receive_data`.

They are small immutable records, so a caller may keep, compare or log them freely. A response
arrives as one :class:`ResponseStarted`, zero or more :class:`BodyData`, then one
:class:`ResponseComplete`; one call may return any slice of that sequence, including none (a
partial head, or an interim response that was absorbed).

Interim 1xx responses (``100 Continue``, ``103 Early Hints``) come before the final response.
They are absorbed unless the connection was made with ``interim_responses=True``, in which case
each one arrives as an :class:`InformationalResponse` before ``ResponseStarted``. Either way
their number per request is bounded (``max_interim_responses``). ``101 Switching Protocols``
is not interim: it ends the cycle as a :class:`ResponseStarted` followed directly by
:class:`ResponseComplete`, and the connection is handed over (see ``ClientConnection.their_state``).
"""

from __future__ import annotations

from dataclasses import dataclass

Fields = tuple[tuple[str, str], ...]
"""Header fields in wire order, original case, duplicates kept, decoded as latin-1."""


@dataclass(frozen=True)
class InformationalResponse:
    """An interim 1xx response (never 101) to the request in progress.

    Only produced with ``ClientConnection(interim_responses=True)``. ``100 Continue`` tells a
    client that sent ``Expect: 100-continue`` to send its body now; ``103 Early Hints`` carries
    ``Link`` headers. The final response is still to come.
    """

    __slots__ = ("status_code", "reason", "headers")

    status_code: int
    reason: str
    headers: Fields


@dataclass(frozen=True)
class ResponseStarted:
    """The status line and headers of the final response have arrived.

    ``headers`` keeps every field in wire order with its original case, duplicates included, so
    that repeated ``Set-Cookie`` lines survive; ``http_version`` is ``"1.0"`` or ``"1.1"``.
    """

    __slots__ = ("status_code", "reason", "headers", "http_version")

    status_code: int
    reason: str
    headers: Fields
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


@dataclass(frozen=True, slots=True)
class ResponseComplete:
    """The response has ended: its body is complete, or the connection was handed over.

    ``trailers`` holds the trailer fields of a chunked body (same shape as
    ``ResponseStarted.headers``), empty for every other response.

    :attr:`ClientConnection.reusable` is final from this event on: it does not change when a
    request body still being sent is finished later (a server that answers before the whole
    request arrived leaves the connection unusable for another request).
    """

    trailers: Fields = ()


Event = InformationalResponse | ResponseStarted | BodyData | ResponseComplete
