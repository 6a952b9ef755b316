"""A TLS keep-alive server with one server ``SSLContext``, so TLS sessions can be resumed.

gunicorn builds a new ``SSLContext`` for every connection it accepts, and session tickets are
encrypted with keys that belong to one context, so no client can resume a session with it. This
server wraps every accepted socket with the same context and then answers like
:class:`~tests.servers.keepalive.KeepAliveServer` (``close_after`` requests per connection).
"""

from __future__ import annotations

import socket
import ssl

from tests.servers.keepalive import KeepAliveServer


class TLSKeepAliveServer(KeepAliveServer):
    """``https://localhost:<port>``; ``resumed`` counts handshakes that resumed a session."""

    def __init__(self, context: ssl.SSLContext, close_after: int = 50) -> None:
        self.context = context
        self.resumed = 0
        self.handshakes = 0
        super().__init__(close_after)
        self.url = f"https://localhost:{self.port}"

    def _handle(self, sock: socket.socket) -> None:
        try:
            tls = self.context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that refused our certificate
        with self._lock:
            self.handshakes += 1
            self.resumed += bool(tls.session_reused)
        try:
            super()._handle(tls)
        finally:
            tls.close()  # wrap_socket detached ``sock``: closing it would not close the TLS socket
