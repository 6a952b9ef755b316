"""
Error messages that say where they happened.

requests' messages start with the pool that failed, ``HTTPConnectionPool(host='example.org',
port=80): Read timed out. (read timeout=3)``, so that a log line of a program talking to several
services says which one timed out. Our errors are raised by a stream that does not know its
origin; the adapter (for a response head) and ``Response.raw`` (for a body) name the pool that
owns the connection on the way out, here, once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..exceptions import (
    ConnectionError,
    NewConnectionError,
    ProxyError,
    ReadTimeout,
    SSLError,
    Timeout,
)

if TYPE_CHECKING:
    from .pool import ConnectionPool
    from .timeout import Deadline

__all__ = ["name_origin", "pool_label"]

# The per-operation figure the stream put in its timeout message.
_OPERATION_TIMEOUT = re.compile(r"\((?:read|connect) timeout=[^)]*\)")


def pool_label(scheme: str, host: str, port: int | None) -> str:
    """urllib3's name for the pool of ``scheme://host:port``, which requests' messages show."""
    kind = "HTTPSConnectionPool" if scheme == "https" else "HTTPConnectionPool"
    return f"{kind}(host={host!r}, port={port})"


def name_origin(
    exc: BaseException | None, pool: ConnectionPool | None, clock: Deadline | None = None
) -> None:
    """Start the message of ``exc`` with the label of ``pool`` (which has scheme, host, port).

    ``clock`` is the call's :class:`~.timeout.Deadline`: when its total has run out, a timeout
    says ``(total timeout=30)`` instead of the few seconds that were left for the last wait.

    Only timeouts, TLS errors and broken connections are named: ``NewConnectionError`` and
    ``ProxyError`` already say which host they could not reach, and the other errors are about
    the request or the body, not the peer. A ``ReadTimeout``'s first argument becomes an
    exception that holds the message, as in requests (where it is urllib3's
    ``ReadTimeoutError``), so ``exc.args[0].args[0]`` reads "...: Read timed out. ...". Naming
    twice changes nothing.
    """
    if pool is None or not isinstance(exc, (Timeout, SSLError, ConnectionError)):
        return
    if isinstance(exc, (NewConnectionError, ProxyError)):
        return
    label = pool_label(pool.scheme, pool.host, pool.port)
    message = str(exc.args[0]) if exc.args else ""
    if message.startswith(label):
        return
    if isinstance(exc, Timeout) and clock is not None and clock.expired:
        message = _OPERATION_TIMEOUT.sub(f"(total timeout={clock.timeout.total})", message)
    message = f"{label}: {message}" if message else label
    exc.args = (TimeoutError(message),) if isinstance(exc, ReadTimeout) else (message,)
