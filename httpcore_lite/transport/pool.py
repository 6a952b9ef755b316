"""
Connection pools: one per origin (and security setting), kept in a least-recently-used map.

Rules (DESIGN.md, "Pool"):

* A pool's key holds everything that changes what a connection *is*: scheme, host, port, the
  TLS settings (verification, CA bundle, client certificate) and the proxy. A connection made
  with ``verify=False`` therefore never serves a verified request.
* ``maxsize`` idle connections are kept per pool. With ``block=True`` at most ``maxsize``
  connections exist per pool and callers wait (bounded by the connect timeout and the total
  deadline); with ``block=False`` extra connections are made and closed on release.
* An idle connection is checked before reuse (a readable idle socket was closed by the server
  or holds garbage) and discarded if dead.
* A *reused* connection that fails before any response byte arrives is retried once on a fresh
  connection when the request is idempotent or its body did not go out completely: the server
  closed a keep-alive connection just as we sent on it, which is not the request's fault. This
  is not a ``Retry`` attempt.
* One lock and condition per pool; no lock is held during I/O.
* An https pool keeps the TLS sessions of its connections (:mod:`.tls_sessions`) and offers
  one to each new connection, unless ``tls_sessions=False``.
* After ``os.fork()`` the child never touches a connection its parent opened: the pools drop
  them in the child (closing only the child's copy of each file descriptor, with no TLS
  ``close_notify`` and no FIN, since the parent still holds the socket) and open their own. A
  connection that was in use at the fork and is released in the child is dropped the same way.
  This costs nothing per request: a fork hook resets the pools, and ``release`` compares the
  connection's pid with the pool's.

Statistics are counted per pool and summed per origin by :meth:`PoolManager.stats`.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from ..exceptions import (
    ConnectionError,
    ConnectTimeout,
    NewConnectionError,
    ProxyError,
    RemoteDisconnected,
)
from ..protocol import ResponseStarted
from .backends.base import NetworkBackend, NetworkStream, SocketOption
from .backends.tcp import TCPBackend
from .connection import EXPECT_CONTINUE_TIMEOUT, HTTPConnection
from .facts import ConnectionSetup, next_connection_id, tls_facts
from .proxy import ProxyURL, open_tunnel
from .socks import open_socks
from .timeout import Deadline
from .tls_sessions import SessionCache, accepts_session

if TYPE_CHECKING:
    from ._typing import Request
    from .tls import CertType, VerifyType

__all__ = ["PoolKey", "PoolStats", "ConnectionPool", "PoolManager", "IDEMPOTENT_METHODS"]

#: Methods whose request may be sent twice without changing the outcome (RFC 9110, 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})

#: Pools and managers alive in this process, reset in the child after a fork.
_forkable: weakref.WeakSet[ConnectionPool | PoolManager] = weakref.WeakSet()

#: This process's id, updated in a forked child (``os.getpid()`` is a system call, and every
#: new pool and connection records the process that made it).
_pid = os.getpid()


class PoolKey(NamedTuple):
    """What identifies a pool. ``socket_path`` is set for ``http+unix://`` origins."""

    scheme: str
    host: str
    port: int
    verify: VerifyType = True
    cert: CertType = None
    socket_path: str | None = None
    tunnel_auth: str | None = None


@dataclass
class PoolStats:
    """Connection statistics; ``adapter.stats()`` returns totals with ``origins`` filled in.

    * ``opened``: connections established (TCP connect, TLS handshake, tunnel), counting one
      being established right now.
    * ``reused``: requests sent on a connection taken from the idle set.
    * ``discarded``: idle connections found dead before reuse, plus reused connections that
      failed before answering (each then retried, see ``retried``).
    * ``retried``: transparent retries of such requests on a fresh connection.
    * ``in_use``: connections currently carrying a request or an unread response.
    * ``idle``: connections waiting in the pool.
    """

    opened: int = 0
    reused: int = 0
    discarded: int = 0
    retried: int = 0
    in_use: int = 0
    idle: int = 0
    origins: dict[str, PoolStats] = field(default_factory=dict)

    def add(self, other: PoolStats) -> None:
        self.opened += other.opened
        self.reused += other.reused
        self.discarded += other.discarded
        self.retried += other.retried
        self.in_use += other.in_use
        self.idle += other.idle

    def __repr__(self) -> str:
        return (
            f"PoolStats(opened={self.opened}, reused={self.reused}, "
            f"discarded={self.discarded}, retried={self.retried}, in_use={self.in_use}, "
            f"idle={self.idle}, origins={list(self.origins)})"
        )


def _replayable(request: Request) -> bool:
    """Whether the request body can be sent again (rewinding a file body when needed)."""
    body = request.body
    if body is None or isinstance(body, (bytes, str, bytearray)):
        return True
    position = getattr(request, "body_position", None)
    seek = getattr(body, "seek", None)
    if isinstance(position, int) and seek is not None:
        try:
            seek(position)
            return True
        except (OSError, ValueError):
            return False
    return False


class ConnectionPool:
    """Connections to one origin with one security setting."""

    def __init__(
        self,
        key: PoolKey,
        backend: NetworkBackend,
        maxsize: int = 10,
        block: bool = False,
        proxy: ProxyURL | None = None,
        proxy_headers: dict[str, str] | None = None,
        source_address: tuple[str, int] | None = None,
        socket_options: Iterable[SocketOption] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        expect_continue_timeout: float = EXPECT_CONTINUE_TIMEOUT,
        tls_sessions: bool = True,
    ) -> None:
        self.key = key
        self.scheme = key.scheme
        self.host = key.host
        self.port = key.port
        self.backend = backend
        self.maxsize = max(int(maxsize), 1)
        self.block = block
        self.proxy = proxy
        self.proxy_headers = dict(proxy_headers or {})
        self.source_address = source_address
        self.socket_options = list(socket_options) if socket_options is not None else None
        #: A caller-supplied context (``init_poolmanager(ssl_context=...)``) replaces the one
        #: built from ``verify``/``cert`` for the origin's TLS.
        self.ssl_context = ssl_context
        #: Seconds a request with ``Expect: 100-continue`` waits for ``100 Continue``.
        self.expect_continue_timeout = expect_continue_timeout
        #: TLS sessions offered to new connections (None: resumption off, or not https).
        self.sessions = SessionCache() if tls_sessions and key.scheme == "https" else None
        self._lock = threading.Lock()
        # Made by the first thread that has to wait (only ``block=True`` pools ever do): most
        # pools never need one, and a Condition costs more to build than the pool's lock.
        self._cond: threading.Condition | None = None
        self._idle: list[HTTPConnection] = []
        self._waiters = 0  # threads waiting in _checkout: only then is notify() worth its cost
        self._count = 0  # connections that exist (idle + in use + being opened)
        self.closed = False
        self.opened = 0
        self.reused = 0
        self.discarded = 0
        self.retried = 0
        self.in_use = 0
        #: The process the pool belongs to (a forked child resets it, see the module doc).
        self.pid = _pid
        _forkable.add(self)

    def _after_fork(self) -> None:
        """In a forked child: forget the parent's connections and locks (see the module doc)."""
        if self.sessions is not None:
            self.sessions = SessionCache()  # its lock may have been held by a parent thread
        idle, self._idle = self._idle, []
        for conn in idle:
            # The child's copy of the fd only: nothing is sent, no TLS session read (the
            # connection still points at the parent's cache).
            conn.stream.close()
        self._lock = threading.Lock()
        self._cond = None
        self._waiters = self._count = self.in_use = 0
        self.pid = _pid

    # -- checkout / checkin -------------------------------------------------------------------

    def _wake(self, every: bool = False) -> None:
        """Wake one waiting thread (all with ``every``). Called with the lock held, and only
        when ``_waiters`` says there is one: the first of them made the condition."""
        cond = self._cond
        assert cond is not None
        if every:
            cond.notify_all()
        else:
            cond.notify()

    def _checkout(self, clock: Deadline, fresh: bool = False) -> tuple[HTTPConnection | None, bool]:
        """Take an idle connection (True) or a slot for a new one (None, False).

        The statistics are counted here, under the lock, and corrected by :meth:`acquire` when
        the idle connection turns out dead or the new one cannot be opened.
        """
        wait_until: float | None = None
        evicted: HTTPConnection | None = None
        try:
            with self._lock:
                while True:
                    if self._idle and not fresh:
                        conn = self._idle.pop()
                        self.in_use += 1
                        self.reused += 1
                        return conn, True
                    if not self.block or self._count < self.maxsize:
                        self._count += 1
                        self.in_use += 1
                        self.opened += 1
                        return None, False
                    if fresh and self._idle:
                        # Make room for the fresh connection: the oldest idle one goes.
                        evicted = self._idle.pop(0)
                        self._count -= 1
                        continue
                    timeout = clock.connect_timeout()
                    if timeout is not None:
                        now = time.monotonic()
                        if wait_until is None:
                            wait_until = now + timeout
                        elif now >= wait_until:
                            raise ConnectTimeout(
                                f"Pool for {self.describe()} is full (maxsize={self.maxsize}) "
                                f"and no connection was released within {timeout} seconds"
                            )
                        timeout = wait_until - now
                    cond = self._cond
                    if cond is None:
                        cond = self._cond = threading.Condition(self._lock)
                    self._waiters += 1
                    try:
                        cond.wait(timeout)
                    finally:
                        self._waiters -= 1
        finally:
            if evicted is not None:
                evicted.close()

    def acquire(self, clock: Deadline, fresh: bool = False) -> tuple[HTTPConnection, bool]:
        """A connection for one request, and whether it was reused from the idle set."""
        if not fresh:
            # The common case first: an idle connection is there (see _checkout).
            with self._lock:
                idle = self._idle
                conn = idle.pop() if idle else None
                if conn is not None:
                    self.in_use += 1
                    self.reused += 1
            if conn is not None:
                if not conn.is_stale():
                    return conn, True
                self._discard_stale(conn)
        while True:
            conn, reused = self._checkout(clock, fresh)
            if conn is None:
                break
            if not conn.is_stale():
                return conn, True
            self._discard_stale(conn)
        try:
            conn = self.connect(clock)
        except BaseException:
            with self._lock:
                self._count -= 1
                self.in_use -= 1
                self.opened -= 1
                if self._waiters:
                    self._wake()
            raise
        return conn, False

    def _discard_stale(self, conn: HTTPConnection) -> None:
        """An idle connection taken by :meth:`acquire` showed activity: close and uncount it."""
        conn.close()
        with self._lock:
            self._count -= 1
            self.in_use -= 1
            self.reused -= 1
            self.discarded += 1
            if self._waiters:
                self._wake()

    def release(self, conn: HTTPConnection) -> None:
        """Take back a connection whose response ended cleanly."""
        if conn.pid != self.pid:  # opened before a fork: the parent's socket (and cache)
            conn.stream.close()
            return
        with self._lock:
            self.in_use -= 1
            if not self.closed and len(self._idle) < self.maxsize:
                self._idle.append(conn)
                if self._waiters:
                    self._wake()
                return
            self._count -= 1
            if self._waiters:
                self._wake()
        conn.close()

    def forget(self, conn: HTTPConnection) -> None:
        """A checked-out connection was closed (error, unreusable, or abandoned)."""
        if conn.pid != self.pid:  # counted by the parent, not here
            return
        with self._lock:
            self._count -= 1
            self.in_use -= 1
            if self._waiters:
                self._wake()

    # -- connecting ---------------------------------------------------------------------------

    def connect(self, clock: Deadline) -> HTTPConnection:
        """Open a new connection: TCP (or Unix), proxy tunnel or SOCKS hop, TLS, as the key
        says."""
        backend = self.backend
        key = self.key
        proxy = self.proxy
        began = time.perf_counter()
        if key.socket_path is not None:
            stream: NetworkStream = backend.connect_unix(key.socket_path, clock.connect_timeout())
        elif proxy is not None:
            try:
                stream = backend.connect_tcp(
                    proxy.host,
                    proxy.port,
                    clock.connect_timeout(),
                    self.source_address,
                    self.socket_options,
                )
            except NewConnectionError as exc:
                raise ProxyError(
                    f"Unable to connect to proxy {proxy.host}:{proxy.port}: {exc}"
                ) from exc
            try:
                if proxy.scheme.startswith("socks"):
                    stream = open_socks(stream, proxy, key.host, key.port, clock)
                else:
                    if proxy.scheme == "https":
                        stream = self._start_tls(stream, proxy.host, clock)
                    if key.scheme == "https":
                        headers = dict(self.proxy_headers)
                        if key.tunnel_auth:
                            headers["Proxy-Authorization"] = key.tunnel_auth
                        stream = open_tunnel(stream, key.host, key.port, headers, clock)
            except BaseException:
                stream.close()
                raise
        else:
            stream = backend.connect_tcp(
                key.host,
                key.port,
                clock.connect_timeout(),
                self.source_address,
                self.socket_options,
            )
        connected = time.perf_counter()
        dns = stream.get_extra_info("dns_time")
        peer = stream.get_extra_info("peername")
        local = stream.get_extra_info("sockname")
        verified = False
        tls_time = None
        tls: tuple[str | None, str | None, str | None, bool | None] = (None, None, None, None)
        if key.scheme == "https":
            stream = self._start_tls(stream, key.host, clock, self.sessions)
            verified = bool(key.verify)
            tls_time = time.perf_counter() - connected
            tls = tls_facts(stream.get_extra_info("ssl_object"))
        setup = ConnectionSetup(
            next_connection_id(),
            dns,
            connected - began - (dns or 0.0),
            tls_time,
            local,
            peer,
            *tls,
            proxy=None if proxy is None else f"{proxy.scheme}://{proxy.host}:{proxy.port}",
            tunnel=proxy is not None
            and (key.scheme == "https" or proxy.scheme.startswith("socks")),
        )
        return HTTPConnection(
            stream, self, verified, self.expect_continue_timeout, setup, self.sessions
        )

    def _start_tls(
        self,
        stream: NetworkStream,
        host: str,
        clock: Deadline,
        sessions: SessionCache | None = None,
    ) -> NetworkStream:
        """The TLS handshake; with ``sessions``, offering a cached session of this pool."""
        from .tls import context_for

        try:
            context = self.ssl_context or context_for(self.key.verify, self.key.cert)
            session = None
            if sessions is not None and accepts_session(stream):
                session = sessions.take(context)
            if session is not None:
                return stream.start_tls(context, host, clock.connect_timeout(), session=session)
            return stream.start_tls(context, host, clock.connect_timeout())
        except BaseException:
            stream.close()
            raise

    # -- one request --------------------------------------------------------------------------

    def send(
        self,
        request: Request,
        clock: Deadline,
        target: str | None = None,
        extra_headers: Iterable[tuple[str | bytes, str | bytes]] = (),
    ) -> tuple[HTTPConnection, ResponseStarted]:
        """Send ``request`` on a pooled connection; return it with the response head.

        Applies the one transparent retry of a reused connection that died before answering.
        """
        started = time.perf_counter()
        conn, reused = self.acquire(clock)
        conn.started_at = started
        conn.reused = reused
        conn.replaced = None
        try:
            return conn, conn.send(request, clock, target, extra_headers)
        except ConnectionError as exc:
            conn.discard()
            if not (
                reused
                and isinstance(exc, RemoteDisconnected)  # the request never got an answer
                and (request.method in IDEMPOTENT_METHODS or not conn.body_sent)
                and _replayable(request)
            ):
                raise
            with self._lock:
                self.discarded += 1
                self.retried += 1
        except BaseException:
            conn.discard()
            raise
        dead = conn.setup
        conn, _ = self.acquire(clock, fresh=True)
        conn.started_at = started
        conn.reused = False
        conn.replaced = None if dead is None else dead.id
        try:
            return conn, conn.send(request, clock, target, extra_headers)
        except BaseException:
            conn.discard()
            raise

    # -- housekeeping -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the idle connections; connections in use close when they are released."""
        with self._lock:
            self.closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            if self._waiters:
                self._wake(every=True)
        if self.sessions is not None:
            self.sessions.clear()
        for conn in idle:
            conn.close()

    def stats(self) -> PoolStats:
        with self._lock:
            return PoolStats(
                self.opened, self.reused, self.discarded, self.retried, self.in_use, len(self._idle)
            )

    def describe(self) -> str:
        """The origin this pool serves, as ``scheme://host:port``."""
        return _describe(self.scheme, self.host, self.port, self.key.socket_path)

    def __repr__(self) -> str:
        return f"<ConnectionPool {self.describe()} idle={len(self._idle)} in_use={self.in_use}>"


class PoolManager:
    """Per-key :class:`ConnectionPool` objects, the ``num_pools`` most recently used kept.

    A pool pushed out of the map closes its idle connections at once; its connections still in
    use close when their responses end. Its counters move into the manager's history so that
    totals never go backwards.
    """

    def __init__(
        self,
        num_pools: int = 10,
        maxsize: int = 10,
        block: bool = False,
        backend: NetworkBackend | None = None,
        proxy: ProxyURL | None = None,
        proxy_headers: dict[str, str] | None = None,
        tls_sessions: bool = True,
        **connection_pool_kw: Any,
    ) -> None:
        if backend is None:
            backend = TCPBackend()
        self.num_pools = max(int(num_pools), 1)
        self.maxsize = maxsize
        self.block = block
        self.backend = backend
        self.proxy = proxy
        self.proxy_headers = dict(proxy_headers or {})
        self.tls_sessions = tls_sessions
        # urllib3's name and content: every pool's settings, maxsize and block included.
        self.connection_pool_kw = {"maxsize": maxsize, "block": block, **connection_pool_kw}
        self.pools: OrderedDict[PoolKey, ConnectionPool] = OrderedDict()
        self._lock = threading.Lock()
        #: The counters of pools no longer in the map, per origin ``(scheme, host, port,
        #: socket_path)``: opened, reused, discarded, retried. Named only when stats are read.
        self._history: dict[tuple[str, str, int, str | None], list[int]] = {}
        self._on_new: Callable[[ConnectionPool], None] | None = None
        _forkable.add(self)

    def _after_fork(self) -> None:
        """In a forked child: a lock another thread of the parent held would stay locked."""
        self._lock = threading.Lock()

    def connection_from_key(self, key: PoolKey) -> ConnectionPool:
        """The pool for ``key``, created on first use; marks it most recently used."""
        pools = self.pools
        pool = pools.get(key)
        if pool is not None:
            # The common case needs no lock: each OrderedDict call is atomic, and a pool that
            # another thread drops from the map meanwhile makes move_to_end fail.
            try:
                pools.move_to_end(key)
            except KeyError:
                pass
            else:
                return pool
        with self._lock:
            pool = pools.get(key)
            if pool is not None:
                pools.move_to_end(key)
                return pool
            pool = ConnectionPool(
                key,
                self.backend,
                self.maxsize,
                self.block,
                self.proxy,
                self.proxy_headers,
                self.connection_pool_kw.get("source_address"),
                self.connection_pool_kw.get("socket_options"),
                self.connection_pool_kw.get("ssl_context"),
                self.connection_pool_kw.get("expect_continue_timeout", EXPECT_CONTINUE_TIMEOUT),
                self.tls_sessions,
            )
            self.pools[key] = pool
            dropped = None
            if len(self.pools) > self.num_pools:
                _, dropped = self.pools.popitem(last=False)
                self._retire(dropped)
        if dropped is not None:
            dropped.close()
        return pool

    def connection_from_host(
        self,
        host: str,
        port: int | None = None,
        scheme: str = "http",
        pool_kwargs: dict[str, Any] | None = None,
    ) -> ConnectionPool:
        """urllib3-style lookup: ``pool_kwargs`` as built by the adapter's
        ``build_connection_pool_key_attributes``."""
        scheme = (scheme or "http").lower()
        if port is None:
            port = 443 if scheme == "https" else 80
        kw = pool_kwargs or {}
        verify: VerifyType = True
        if kw.get("cert_reqs") == "CERT_NONE":
            verify = False
        elif kw.get("ca_certs") or kw.get("ca_cert_dir"):
            verify = kw.get("ca_certs") or kw["ca_cert_dir"]
        cert: CertType = kw.get("cert_file")
        if cert and kw.get("key_file"):
            cert = (cert, kw["key_file"])
        if scheme != "https":
            verify, cert = True, None
        return self.connection_from_key(
            PoolKey(scheme, host.lower(), int(port), verify, cert, kw.get("socket_path"))
        )

    def _retire(self, pool: ConnectionPool) -> None:
        """Keep the counters of a pool leaving the map (once per pool: cheap, since a one-shot
        ``get`` makes and drops one)."""
        with pool._lock:
            counts = (pool.opened, pool.reused, pool.discarded, pool.retried)
        key = pool.key
        origin = (key.scheme, key.host, key.port, key.socket_path)
        past = self._history.get(origin)
        if past is None:
            self._history[origin] = list(counts)
        else:
            for i, count in enumerate(counts):
                past[i] += count

    def clear(self) -> None:
        """Close every pool (idle connections now, connections in use when released)."""
        with self._lock:
            pools = list(self.pools.values())
            for pool in pools:
                self._retire(pool)
            self.pools.clear()
        for pool in pools:
            pool.close()

    def stats(self, into: PoolStats | None = None) -> PoolStats:
        """Totals plus ``origins`` keyed ``"scheme://host:port"`` (pools of one origin summed)."""
        total = into if into is not None else PoolStats()
        with self._lock:
            pools = list(self.pools.values())
            history = [
                (origin, PoolStats(c[0], c[1], c[2], c[3])) for origin, c in self._history.items()
            ]
        for origin, past in history:
            total.origins.setdefault(_describe(*origin), PoolStats()).add(past)
            total.add(past)
        for pool in pools:
            stats = pool.stats()
            total.origins.setdefault(pool.describe(), PoolStats()).add(stats)
            total.add(stats)
        return total


def _after_fork_in_child() -> None:
    global _pid
    _pid = os.getpid()
    for obj in list(_forkable):
        obj._after_fork()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _describe(scheme: str, host: str, port: int, socket_path: str | None) -> str:
    """An origin as ``scheme://host:port`` (``scheme://host`` for a Unix socket)."""
    if socket_path is not None:
        return f"{scheme}://{host}"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"
