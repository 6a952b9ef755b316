"""
The default backends: blocking ``socket`` + ``ssl``, over TCP or a Unix domain socket.

A read is one ``recv`` of at most 64 KiB straight into the bytes object it returns (CPython
allocates it at the asked size and trims it to what arrived), so a long download allocates
nothing but the bytes it returns and copies none of them; the socket timeout is only changed when it differs from the
previous call, which keeps the keep-alive hot path to one ``send`` and one ``recv`` syscall.
"""

from __future__ import annotations

import errno
import select
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..._urls import idna_encode
from ...exceptions import (
    ConnectionError,
    ConnectTimeout,
    InvalidURL,
    NewConnectionError,
    ReadTimeout,
    SSLError,
)
from .base import READ_BUFFER_SIZE, NetworkBackend, NetworkStream, SocketOption

if TYPE_CHECKING:
    #: A socket address (IPv4, IPv6, or what getaddrinfo gives for other families), and a
    #: resolved address as ``getaddrinfo`` lists it.
    _SockAddr = tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes]
    _AddrInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, _SockAddr]

__all__ = ["SocketStream", "TCPBackend", "UnixBackend"]

_HAS_POLL = hasattr(select, "poll")
_UNSET = object()


def idna_hostname(host: str | None) -> str | None:
    """The name to put in SNI and match the certificate against (ASCII, no IPv6 brackets)."""
    if not host:
        return None
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    if host.isascii():
        return host
    try:
        return idna_encode(host)
    except InvalidURL:
        return host.encode("idna").decode("ascii")


class SocketStream(NetworkStream):
    """A connected ``socket.socket`` (or ``ssl.SSLSocket``) as a :class:`NetworkStream`."""

    __slots__ = (
        "_sock",
        "_timeout",
        "_server_hostname",
        "_closed",
        "_poller",
        "_tls",
        "_peer",
        "_dns_time",
        "_recv",
        "_sendall",
        "_pending",
    )

    def __init__(self, sock: socket.socket, server_hostname: str | None = None) -> None:
        self._sock = sock
        self._timeout: float | None | object = _UNSET
        self._server_hostname = server_hostname
        self._closed = False
        self._poller: select.poll | None = None
        self._tls = isinstance(sock, ssl.SSLSocket)
        # The address connected to, when known (spares a getpeername).
        self._peer: _SockAddr | None = None
        self._dns_time: float | None = None
        self._recv: Callable[[int], bytes] = sock.recv
        self._sendall: Callable[[bytes], object] = sock.sendall
        # Decrypted bytes OpenSSL holds (TLS only): an idle stream with any is not reusable.
        self._pending: Callable[[], int] | None = sock.pending if self._tls else None  # type: ignore[attr-defined]
        tls_object = getattr(sock, "_sslobj", None) if self._tls else None
        if tls_object is not None and getattr(sock, "suppress_ragged_eofs", False):
            # The TLS object itself: SSLSocket.recv and .sendall are Python layers over its
            # read and write (two frames each, memoryview contexts, checks that cannot fail
            # on a connected socket) and cost a microsecond per request. The socket's timeout
            # still applies: the C code waits on the socket with it.
            self._recv = tls_object.read
            self._sendall = _TLSWriter(tls_object.write)
            self._pending = tls_object.pending

    def _set_timeout(self, timeout: float | None) -> None:
        if timeout != self._timeout:
            self._sock.settimeout(timeout)
            self._timeout = timeout

    def read(self, max_bytes: int, timeout: float | None) -> bytes:
        if max_bytes > READ_BUFFER_SIZE:
            max_bytes = READ_BUFFER_SIZE
        try:
            if timeout != self._timeout:
                self._set_timeout(timeout)  # (on a closed socket: OSError, mapped below)
            # recv, not recv_into a reused buffer: the bytes object is filled in place, where
            # the buffer would need a copy into a new bytes object (measured: ~10% of the
            # throughput of a streamed download, and slower on small answers too).
            return self._recv(max_bytes)
        except ssl.SSLEOFError:
            return b""  # a TLS peer that closed without close_notify, as SSLSocket.recv says
        except (TimeoutError, ssl.SSLWantReadError) as exc:
            raise ReadTimeout(f"Read timed out. (read timeout={timeout})") from exc
        except ssl.SSLError as exc:
            raise SSLError(exc) from exc
        except OSError as exc:
            raise ConnectionError(f"Connection broken: {exc!r}") from exc

    def write(self, data: bytes, timeout: float | None) -> None:
        try:
            if timeout != self._timeout:
                self._set_timeout(timeout)
            self._sendall(data)
        except (TimeoutError, ssl.SSLWantWriteError) as exc:
            raise ReadTimeout(f"Write timed out. (timeout={timeout})") from exc
        except ssl.SSLError as exc:
            raise SSLError(exc) from exc
        except OSError as exc:
            raise ConnectionError(f"Connection broken: {exc!r}") from exc

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None,
        timeout: float | None,
        session: ssl.SSLSession | None = None,
    ) -> NetworkStream:
        hostname = idna_hostname(server_hostname)
        if self._tls:
            # Already TLS (an https:// proxy): the inner session carries the outer one.
            from .tls_stream import TLSStream

            return TLSStream(self, ssl_context, hostname, session).handshake(timeout)
        # wrap_socket gives the TLS socket the plain one's timeout (and do_handshake sets it
        # again): setting it here is the only call needed.
        self._set_timeout(timeout)
        try:
            tls = ssl_context.wrap_socket(
                self._sock,
                server_hostname=hostname,
                do_handshake_on_connect=False,
                session=session,
            )
        except (ssl.SSLError, ssl.CertificateError, ValueError) as exc:
            self.close()
            raise SSLError(exc) from exc
        try:
            tls.do_handshake()
        except TimeoutError as exc:
            tls.close()
            raise ConnectTimeout(f"TLS handshake timed out. (connect timeout={timeout})") from exc
        except (ssl.SSLError, ssl.CertificateError) as exc:
            tls.close()
            raise SSLError(exc) from exc
        except OSError as exc:
            tls.close()
            raise ConnectionError(f"Connection broken during TLS handshake: {exc!r}") from exc
        stream = SocketStream(tls, hostname)
        stream._timeout = timeout
        stream._peer = self._peer
        return stream

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # From now on the socket's own methods answer (with the errors of a closed socket).
        self._recv = self._sock.recv
        self._sendall = self._sock.sendall
        try:
            self._sock.close()
        except OSError:
            pass

    def is_readable(self) -> bool:
        if self._closed:
            return True
        sock = self._sock
        pending = self._pending
        if pending is not None and pending():
            return True
        try:
            if _HAS_POLL:
                poller = self._poller
                if poller is None:
                    poller = self._poller = select.poll()
                    poller.register(sock, select.POLLIN)
                return bool(poller.poll(0))
            return bool(select.select([sock], [], [], 0)[0])
        except (OSError, ValueError):
            return True

    def get_extra_info(self, name: str) -> Any:
        sock = self._sock
        if name == "socket":
            return sock
        if name == "ssl_object":
            return sock if isinstance(sock, ssl.SSLSocket) else None
        if name == "is_tls":
            return isinstance(sock, ssl.SSLSocket)
        if name == "server_hostname":
            return self._server_hostname
        if name == "dns_time":
            return self._dns_time
        try:
            if name == "peername":
                return self._peer if self._peer is not None else sock.getpeername()
            if name == "sockname":
                return sock.getsockname()
        except OSError:
            return None
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._sock!r}>"


class _TLSWriter:
    """``sendall`` on a TLS object: its ``write`` sends everything at once on a blocking
    socket; the loop covers a partial write all the same."""

    __slots__ = ("_write",)

    def __init__(self, write: Callable[[bytes | memoryview], int]) -> None:
        self._write = write

    def __call__(self, data: bytes) -> None:
        if not data:
            return
        sent = self._write(data)
        if sent < len(data):
            view = memoryview(data)[sent:]
            while view:
                view = view[self._write(view) :]


def _connect_error(host: str, port: int | str, exc: BaseException) -> NewConnectionError:
    return NewConnectionError(f"Failed to establish a new connection to {host}:{port}: {exc}")


class TCPBackend(NetworkBackend):
    """The default backend: TCP via ``socket``, TLS via ``ssl``.

    Every address ``getaddrinfo`` returns is tried in order (IPv6 and IPv4 alike) with the
    full connect timeout each, ``TCP_NODELAY`` is set because requests are written in one
    piece and must not wait for Nagle, and ``socket_options`` are applied before ``connect``
    so options like ``SO_KEEPALIVE`` or ``SO_BINDTODEVICE`` take effect for the handshake too.
    """

    #: Options applied to every TCP socket before any user options.
    default_socket_options: tuple[SocketOption, ...] = (
        (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
    )

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> NetworkStream:
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        resolving = time.perf_counter()
        infos = _numeric_address(host, port)
        if infos is None:
            try:
                lookup_host = host if host.isascii() else idna_hostname(host)
                infos = socket.getaddrinfo(lookup_host, port, 0, socket.SOCK_STREAM)
            except TimeoutError as exc:  # a resolver that gave up (patched or green resolvers)
                raise ConnectTimeout(
                    f"Resolving {host} timed out. (connect timeout={timeout})"
                ) from exc
            except (OSError, UnicodeError) as exc:  # socket.gaierror, any other resolver failure
                raise _connect_error(host, port, exc) from exc
        dns_time = time.perf_counter() - resolving
        options: Iterable[SocketOption] = self.default_socket_options
        if socket_options:
            options = [*options, *socket_options]
        last: Exception | None = None
        for family, socktype, proto, _, address in infos:
            sock = socket.socket(family, socktype, proto)
            try:
                for level, option, value in options:
                    sock.setsockopt(level, option, value)
                if timeout is not None or sock.gettimeout() is not None:
                    sock.settimeout(timeout)  # a system call: skipped when it changes nothing
                if source_address:
                    sock.bind(source_address)
                sock.connect(address)
            except TimeoutError as exc:
                sock.close()
                last = ConnectTimeout(
                    f"Connection to {host} timed out. (connect timeout={timeout})"
                )
                last.__cause__ = exc
                continue
            except OSError as exc:
                sock.close()
                last = _connect_error(host, port, exc)
                last.__cause__ = exc
                continue
            stream = SocketStream(sock)
            stream._timeout = timeout
            stream._peer = address
            stream._dns_time = dns_time
            return stream
        if last is None:
            last = NewConnectionError(f"getaddrinfo returned no addresses for {host}:{port}")
        raise last

    def connect_unix(self, path: str, timeout: float | None = None) -> NetworkStream:
        return _connect_unix(path, timeout)


def _numeric_address(host: str, port: int) -> Sequence[_AddrInfo] | None:
    """getaddrinfo's answer for an IP literal, without calling it; None for anything else.

    getaddrinfo makes no system call for a numeric host but still costs microseconds, on every
    new connection to ``127.0.0.1`` or ``[::1]``. Only the strict forms qualify (``127.1`` or a
    scoped ``fe80::1%eth0`` still go through getaddrinfo, which knows what they mean). The
    answer depends on nothing but the text, so it is kept (names are not: DNS answers change).
    """
    if not host or not (host[-1].isdigit() or ":" in host):
        return None
    key = (host, port)
    known = _numeric_cache.get(key)
    if known is not None:
        return known
    for family, address in ((socket.AF_INET, (host, port)), (socket.AF_INET6, (host, port, 0, 0))):
        try:
            socket.inet_pton(family, host)
        except (OSError, ValueError):
            continue
        infos: list[_AddrInfo] = [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", address)]
        if len(_numeric_cache) >= 64:
            _numeric_cache.clear()
        _numeric_cache[key] = infos
        return infos
    return None


#: (IP literal, port) -> what _numeric_address made of it; bounded (cleared when full).
_numeric_cache: dict[tuple[str, int], list[_AddrInfo]] = {}


def _connect_unix(path: str, timeout: float | None) -> NetworkStream:
    family = getattr(socket, "AF_UNIX", None)
    if family is None:  # pragma: no cover - Windows without AF_UNIX
        raise NewConnectionError("Unix domain sockets are not supported on this platform")
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
    except TimeoutError as exc:
        sock.close()
        raise ConnectTimeout(
            f"Connection to {path} timed out. (connect timeout={timeout})"
        ) from exc
    except OSError as exc:
        sock.close()
        if exc.errno == errno.ENAMETOOLONG:
            raise NewConnectionError(f"Unix socket path too long: {path!r}") from exc
        raise NewConnectionError(f"Failed to establish a new connection to {path}: {exc}") from exc
    stream = SocketStream(sock)
    stream._timeout = timeout
    return stream


class UnixBackend(TCPBackend):
    """Route every connection through one Unix domain socket.

    ``HTTPAdapter(backend=UnixBackend("/run/app.sock"))`` sends ``http://localhost/...`` to a
    server listening on that socket (the host name only fills the ``Host`` header), the way
    Docker's API or a local gunicorn is reached. ``http+unix://`` URLs work with any
    backend and name the socket in the URL instead.
    """

    def __init__(self, path: str) -> None:
        self.path = path

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> NetworkStream:
        return _connect_unix(self.path, timeout)

    def __repr__(self) -> str:
        return f"UnixBackend({self.path!r})"
