"""SOCKS test helpers: pproxy's command line, a recording tap in front of a proxy, and a tiny
SOCKS4a relay (pproxy's SOCKS4 server ignores the 4a host name).

The tap and the relay are raw-socket handlers for :class:`tests.servers.raw.RawServer`.
"""

from __future__ import annotations

import socket
import sys
import threading

from .raw import Handler


def pproxy_argv(port: int, scheme: str = "socks4+socks5", auth: str | None = None) -> list[str]:
    """pproxy listening on 127.0.0.1:port; ``auth`` is ``"user:pass"``.

    ``--auth 0`` makes pproxy ask for credentials on every connection (by default it trusts
    an address that authenticated once for 30 days, which would hide a missing password).
    """
    uri = f"{scheme}://127.0.0.1:{port}"
    if auth:
        uri += f"#{auth}"
    return [sys.executable, "-m", "pproxy", "-l", uri, "--auth", "0"]


def _pipe(src: socket.socket, dst: socket.socket, record: bytearray | None) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if record is not None:
                record += data
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def relay(client: socket.socket, upstream: socket.socket, record: bytearray | None = None) -> None:
    """Copy bytes both ways until both sides finished; ``record`` collects the client's bytes."""
    back = threading.Thread(target=_pipe, args=(upstream, client, None), daemon=True)
    back.start()
    _pipe(client, upstream, record)
    back.join(10)
    upstream.close()


class Tap:
    """A handler that forwards every connection to ``127.0.0.1:port`` and records what each
    client sent (one bytearray per connection), so a test can read the SOCKS requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: list[bytearray] = []
        self._lock = threading.Lock()

    def __call__(self, sock: socket.socket) -> None:
        record = bytearray()
        with self._lock:
            self.streams.append(record)
        upstream = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        relay(sock, upstream, record)


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise OSError("client closed")
        data += chunk
    return data


def _recv_until_nul(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\x00"):
        data += _recv_exact(sock, 1)
    return data[:-1]


def socks4a_relay(seen: list[tuple[bytes, str, int]]) -> Handler:
    """A SOCKS4/4a server: records ``(user_id, host, port)`` and relays to the target."""

    def handler(sock: socket.socket) -> None:
        head = _recv_exact(sock, 8)
        assert head[:2] == b"\x04\x01"
        port = int.from_bytes(head[2:4], "big")
        user_id = _recv_until_nul(sock)
        if head[4:7] == b"\x00\x00\x00" and head[7] != 0:
            host = _recv_until_nul(sock).decode("ascii")
        else:
            host = socket.inet_ntoa(head[4:8])
        seen.append((user_id, host, port))
        try:
            upstream = socket.create_connection((host, port), timeout=10)
        except OSError:
            sock.sendall(b"\x00\x5b" + b"\x00" * 6)
            return
        sock.sendall(b"\x00\x5a" + head[2:4] + b"\x00" * 4)
        relay(sock, upstream)

    return handler
