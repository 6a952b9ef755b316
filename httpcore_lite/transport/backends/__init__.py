"""
Network backends: how the transport opens and drives byte streams.

:class:`NetworkBackend` / :class:`NetworkStream` are the interface (see :mod:`.base`);
:class:`TCPBackend` (the default, with TLS), :class:`UnixBackend` and :class:`MemoryBackend`
are the implementations shipped.
"""

from __future__ import annotations

from .base import READ_BUFFER_SIZE, NetworkBackend, NetworkStream, SocketOption
from .memory import MemoryBackend, MemoryStream
from .tcp import SocketStream, TCPBackend, UnixBackend
from .tls_stream import TLSStream

__all__ = [
    "READ_BUFFER_SIZE",
    "MemoryBackend",
    "MemoryStream",
    "NetworkBackend",
    "NetworkStream",
    "SocketOption",
    "SocketStream",
    "TCPBackend",
    "TLSStream",
    "UnixBackend",
]
