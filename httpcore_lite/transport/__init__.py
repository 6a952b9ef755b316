"""
The blocking half of the stack: network backends, connections, the pool, proxies and policy.

:mod:`.backends` opens byte streams; :mod:`.connection` drives one
:class:`httpcore_lite.protocol.ClientConnection` over one stream; :mod:`.pool` keeps
connections per origin; :mod:`.proxy` handles forward proxies and ``CONNECT`` tunnels;
:mod:`.raw` is the file-like ``Response.raw``; :mod:`.retry`, :mod:`.timeout` and :mod:`.tls`
hold the retry, timeout and TLS policies.
"""

from __future__ import annotations

from .backends import (
    MemoryBackend,
    NetworkBackend,
    NetworkStream,
    TCPBackend,
    UnixBackend,
)

__all__ = ["MemoryBackend", "NetworkBackend", "NetworkStream", "TCPBackend", "UnixBackend"]
