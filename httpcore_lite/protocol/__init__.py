"""
The sans-IO HTTP/1.1 client core: h11 in, bytes out.

Nothing here does I/O, sleeps or reads a clock, so the same :class:`ClientConnection` serves the
blocking transport, an asyncio or trio loop, a ``selectors`` loop or an in-memory test::

    conn = ClientConnection()
    sock.sendall(conn.send_request(prepared))
    done = False
    while not done:
        events = conn.receive_data(sock.recv(65536))
        done = any(isinstance(event, ResponseComplete) for event in events)
    conn.response  # a models.Response, content decoded
    if conn.reusable:
        conn.start_next_cycle()  # the next request may use the same socket
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..exceptions import RemoteDisconnected
from . import decoders
from .connection import (
    DEFAULT_MAX_HEAD_SIZE,
    DEFAULT_MAX_HEADER_COUNT,
    DEFAULT_MAX_INTERIM_RESPONSES,
    ClientConnection,
    finish_response,
)
from .events import BodyData, Event, InformationalResponse, ResponseComplete, ResponseStarted
from .state import State

if TYPE_CHECKING:
    from ..models import build_response

__all__ = [
    "DEFAULT_MAX_HEAD_SIZE",
    "DEFAULT_MAX_HEADER_COUNT",
    "DEFAULT_MAX_INTERIM_RESPONSES",
    "BodyData",
    "ClientConnection",
    "Event",
    "InformationalResponse",
    "RemoteDisconnected",
    "ResponseComplete",
    "ResponseStarted",
    "State",
    "build_response",
    "decoders",
    "finish_response",
]


def __getattr__(name: str) -> object:
    # build_response lives with Response in models, which the core imports only when needed.
    if name == "build_response":
        from ..models import build_response

        return build_response
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
