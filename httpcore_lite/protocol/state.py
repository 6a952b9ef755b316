"""
The state of one request/response cycle, as data.

:attr:`ClientConnection.our_state` says what the caller still owes the peer, and
:attr:`ClientConnection.their_state` what the core still waits for from the peer. Together they
answer the questions an event loop asks: must I keep writing the body (``our_state is
SEND_BODY``)? Should a read be pending, and a read timeout run (``their_state`` is
``SEND_RESPONSE`` or ``SEND_BODY``, and ``our_state`` is no longer ``SEND_BODY`` -- a server may
legitimately stay silent while an upload is in progress)? Is the cycle over (both ``DONE``)?
"""

from __future__ import annotations

import enum

__all__ = ["State"]


class State(enum.Enum):
    """One side's position in the cycle. The names follow h11's."""

    #: No request in this cycle yet (both sides).
    IDLE = "IDLE"
    #: Ours: the request body is still to be sent through ``send_body``/``end_body``.
    #: Theirs: the response body is arriving.
    SEND_BODY = "SEND_BODY"
    #: Theirs only: the request went (or is going) out; the final response head is awaited.
    #: Interim 1xx responses keep the peer in this state.
    SEND_RESPONSE = "SEND_RESPONSE"
    #: This side has finished its part of the cycle.
    DONE = "DONE"
    #: Theirs only: a ``101`` or a ``2xx`` to ``CONNECT`` ended the cycle; the stream now
    #: belongs to another protocol, starting with ``trailing_data``. Feeding more data raises.
    SWITCHED = "SWITCHED"
    #: An error was raised; the connection must be closed (both sides).
    ERROR = "ERROR"
