"""
Transport adapters: how a :class:`~httpcore_lite.models.PreparedRequest` becomes a
:class:`~httpcore_lite.models.Response`.

:class:`HTTPAdapter` is requests' adapter on the project's own stack: pools of
:mod:`httpcore_lite.transport`, the sans-IO core, and :class:`Retry` / :class:`Timeout` with
urllib3's arguments. Two additions: ``backend=`` picks the network backend (TCP+TLS by default,
a Unix socket, or the in-memory backend), and :meth:`HTTPAdapter.stats` reports what the pools
did (connections opened, reused, discarded, retried, in use, idle).

The path from :meth:`HTTPAdapter.send` to the socket for a kept-alive request is deliberately
short: the pool key comes from a per-adapter cache of parsed origins, SSL contexts are built
once per setting, the environment is never read here, and the body of a non-streamed response
is read in one loop without going through ``iter_content``.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import certifi

from ._urls import ORIGIN_RE, has_origin, parse_origin
from .exceptions import (
    InvalidHeader,
    InvalidProxyURL,
    InvalidSchema,
    InvalidURL,
    RequestException,
    RetryError,
)
from .models import build_response as _build_response
from .packages import insecure_request_warning
from .transport.backends import NetworkBackend
from .transport.errors import (
    ClosedPoolError,
    ConnectTimeoutError,
    LocationValueError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
    to_request_exception,
)
from .transport.errors import HTTPError as _HTTPError
from .transport.errors import InvalidHeader as _InvalidHeader
from .transport.errors import ProxyError as _ProxyError
from .transport.errors import SSLError as _SSLError
from .transport.messages import name_origin
from .transport.pool import ConnectionPool, PoolKey, PoolManager, PoolStats
from .transport.proxy import basic_proxy_auth, parse_proxy_url, with_default_scheme
from .transport.raw import RawResponse
from .transport.retry import Retry
from .transport.timeout import NO_DEADLINE, Deadline, Timeout
from .transport.tls import ca_is_directory

__all__ = [
    "BaseAdapter",
    "HTTPAdapter",
    "PoolStats",
    "Retry",
    "Timeout",
    "DEFAULT_POOLBLOCK",
    "DEFAULT_POOLSIZE",
    "DEFAULT_RETRIES",
    "DEFAULT_POOL_TIMEOUT",
    # urllib3's names, as requests has them here (see transport.errors).
    "ClosedPoolError",
    "ConnectTimeoutError",
    "LocationValueError",
    "MaxRetryError",
    "NewConnectionError",
    "ProtocolError",
    "ReadTimeoutError",
    "ResponseError",
    "_HTTPError",
    "_InvalidHeader",
    "_ProxyError",
    "_SSLError",
]

DEFAULT_POOLBLOCK = False
DEFAULT_POOLSIZE = 10
DEFAULT_RETRIES = 0
DEFAULT_POOL_TIMEOUT = None

_ORIGIN_CACHE_SIZE = 256

#: (origin of a URL, verify, cert) -> the pool key of a direct connection. Shared by every
#: adapter: a key depends on nothing else, and a one-shot ``get`` makes a new adapter whose
#: first request would otherwise parse the URL's origin again. Cleared when full.
_POOL_KEYS: dict[tuple[Any, Any, Any], PoolKey] = {}


def _freeze(value: Any) -> Any:
    """A hashable form of ``verify``/``cert`` values for pool keys."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


class _MadeOnFirstRead:
    """An adapter attribute whose value is made when first read, then kept on the instance.

    A non-data descriptor: once the value is in the instance's ``__dict__`` (made here, or
    assigned, as ``init_poolmanager`` does), reads find it there and never come back here. Not
    a ``__getattr__``: that runs only after a failed lookup has raised and caught an
    AttributeError, which costs more than making the default Retry.
    """

    def __init__(self, make: Callable[[Any], Any]) -> None:
        self._make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        if "_lock" not in instance.__dict__:  # not initialised (being unpickled): no value yet
            raise AttributeError(
                f"{type(instance).__name__!r} object has no attribute {self._name!r}"
            )
        return self._make(instance)


class BaseAdapter:
    """The Base Transport Adapter"""

    def __init__(self) -> None:
        super().__init__()

    def send(
        self,
        request: Any,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> Any:
        """Sends PreparedRequest object. Returns Response object."""
        raise NotImplementedError

    def close(self) -> None:
        """Cleans up adapter specific items."""
        raise NotImplementedError


class HTTPAdapter(BaseAdapter):
    """The built-in HTTP adapter: connection pools, proxies, TLS, retries and timeouts.

    :param pool_connections: how many per-origin pools to keep (least recently used dropped).
    :param pool_maxsize: idle connections kept per pool (and, with ``pool_block``, the most
        connections that may exist per pool).
    :param max_retries: ``0`` (the default) means ``Retry(0, read=False)``: no retries, and
        errors surface as themselves; an int ``n`` means ``Retry.from_int(n)``; a
        :class:`Retry` is used as given, and an object shaped like urllib3's ``Retry`` is kept
        as ``max_retries`` and sent with its settings. As in requests, ``n`` retries connection failures for
        any method and failures after sending only for idempotent methods.
    :param pool_block: wait for a free connection instead of opening extra ones.
    :param backend: the :class:`~httpcore_lite.transport.backends.NetworkBackend` to use;
        None means TCP + TLS (``TCPBackend``).
    :param tls_resumption: offer a new https connection the TLS session of an earlier
        connection to the same pool (same origin, verification, client certificate and proxy),
        so the server may skip the full handshake. Sessions live in memory and are dropped by
        :meth:`close`. ``False`` makes every new connection do a full handshake.

    Usage::

      >>> import httpcore_lite as requests
      >>> s = requests.Session()
      >>> a = requests.adapters.HTTPAdapter(max_retries=3)
      >>> s.mount('http://', a)
    """

    __attrs__ = [
        "max_retries",
        "config",
        "_pool_connections",
        "_pool_maxsize",
        "_pool_block",
        "_backend",
        "_tls_resumption",
    ]

    _tls_resumption = True
    #: (origin, verify, cert, pool key) of the last direct request: see
    #: get_connection_with_tls_context.
    _last_key: tuple[str, Any, Any, PoolKey] | None = None
    #: The pools of direct connections (built on first use unless a subclass overrides
    #: :meth:`init_poolmanager`).
    poolmanager: PoolManager
    #: The :class:`Retry` in effect (or the urllib3-shaped one given).
    max_retries: Any

    def __init__(
        self,
        pool_connections: int = DEFAULT_POOLSIZE,
        pool_maxsize: int = DEFAULT_POOLSIZE,
        max_retries: Any = DEFAULT_RETRIES,
        pool_block: bool = DEFAULT_POOLBLOCK,
        backend: NetworkBackend | None = None,
        tls_resumption: bool = True,
    ) -> None:
        if isinstance(max_retries, Retry):
            self.max_retries = max_retries
        elif max_retries == DEFAULT_RETRIES and isinstance(max_retries, int):
            pass  # Retry(0, read=False), made on first use (see _MadeOnFirstRead)
        elif isinstance(max_retries, (bool, int)) or max_retries is None:
            self.max_retries = Retry.from_int(max_retries)
        else:
            # A urllib3-shaped Retry stays what the adapter exposes (code that calls its
            # methods gets urllib3's behaviour, as in requests); send() works from its settings.
            Retry.from_retry_like(max_retries)  # refuses a wrong type now, not at send time
            self.max_retries = max_retries
        self.config: dict[str, Any] = {}
        self.proxy_manager: dict[str, PoolManager] = {}
        super().__init__()
        self._pool_connections = pool_connections
        self._pool_maxsize = pool_maxsize
        self._pool_block = pool_block
        self._backend = backend
        self._tls_resumption = tls_resumption
        self._lock = threading.Lock()
        self._note_overrides()
        self._init_or_defer_poolmanager()

    def _init_or_defer_poolmanager(self) -> None:
        """Build :attr:`poolmanager` now if a subclass overrides :meth:`init_poolmanager` (it
        runs at construction, as in requests); otherwise on first use. A session mounts two
        adapters and a one-shot ``get`` uses one: building managers nobody asks for is most of
        what ``Session()`` costs."""
        if type(self).init_poolmanager is not HTTPAdapter.init_poolmanager:
            self.init_poolmanager(
                self._pool_connections, self._pool_maxsize, block=self._pool_block
            )

    if not TYPE_CHECKING:
        poolmanager = _MadeOnFirstRead(lambda adapter: adapter._first_poolmanager())
        # The default, made when first read: most sessions never use one of their two adapters.
        # (setdefault: two threads asking at once get the same object.)
        max_retries = _MadeOnFirstRead(
            lambda adapter: adapter.__dict__.setdefault("max_retries", Retry(0, read=False))
        )

    def _first_poolmanager(self) -> PoolManager:
        with self._lock:  # two threads asking at once must share one manager
            if "poolmanager" not in self.__dict__:
                self.init_poolmanager(
                    self._pool_connections, self._pool_maxsize, block=self._pool_block
                )
        manager: PoolManager = self.__dict__["poolmanager"]
        return manager

    def _note_overrides(self) -> None:
        """Remember which hooks a subclass overrides: the rest are skipped on the hot path."""
        cls = type(self)
        self._custom_key = (
            cls.build_connection_pool_key_attributes
            is not HTTPAdapter.build_connection_pool_key_attributes
        )
        self._custom_url = cls.request_url is not HTTPAdapter.request_url
        self._custom_headers = cls.add_headers is not HTTPAdapter.add_headers

    # -- pickling -----------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {attr: getattr(self, attr, None) for attr in self.__attrs__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pools and proxy managers hold sockets and locks: rebuild them empty.
        self.proxy_manager = {}
        self.config = {}
        self._backend = None
        self._lock = threading.Lock()
        self._note_overrides()
        for attr, value in state.items():
            setattr(self, attr, value)
        self._init_or_defer_poolmanager()

    # -- pools --------------------------------------------------------------------------------

    def init_poolmanager(
        self,
        connections: int,
        maxsize: int,
        block: bool = DEFAULT_POOLBLOCK,
        **pool_kwargs: Any,
    ) -> None:
        """Initializes the pool manager.

        ``pool_kwargs`` may carry ``source_address``, ``socket_options`` (a list of
        ``(level, option, value)`` applied before connecting) and ``ssl_context`` (used for
        every TLS connection instead of the one built from ``verify``/``cert``), as urllib3's
        do; subclasses override this method to set them.
        """
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self._pool_kwargs = pool_kwargs
        self.poolmanager = PoolManager(
            num_pools=connections,
            maxsize=maxsize,
            block=block,
            backend=self._backend,
            tls_sessions=self._tls_resumption,
            **pool_kwargs,
        )

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        """Return the pool manager for ``proxy`` (created on first use, then kept).

        Raises :class:`InvalidProxyURL` for a malformed proxy URL (CR/LF/NUL or whitespace
        anywhere, no host, or a scheme other than http, https, socks4, socks4a, socks5 and
        socks5h).
        """
        manager = self.proxy_manager.get(proxy)
        if manager is not None:
            return manager
        with self._lock:
            manager = self.proxy_manager.get(proxy)
            if manager is None:
                manager = self._new_proxy_manager(proxy, **proxy_kwargs)
                self.proxy_manager[proxy] = manager
        return manager

    def _new_proxy_manager(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        parsed = parse_proxy_url(proxy)
        kwargs = dict(getattr(self, "_pool_kwargs", {}))
        kwargs.update(proxy_kwargs)
        return PoolManager(
            num_pools=self._pool_connections,
            maxsize=self._pool_maxsize,
            block=self._pool_block,
            backend=self._backend,
            proxy=parsed,
            # A SOCKS proxy takes its credentials in the handshake; no header goes anywhere.
            proxy_headers=None if parsed.scheme.startswith("socks") else self.proxy_headers(proxy),
            tls_sessions=self._tls_resumption,
            **kwargs,
        )

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        """Verify a TLS certificate setting: the files must exist (requests' OSError messages).

        Records the setting on ``conn`` (the pool) under urllib3's attribute names.
        """
        if url[:5].lower() == "https" and verify:  # (the scheme, without lowering the URL)
            cert_loc = os.fspath(verify) if verify is not True else certifi.where()
            if not cert_loc:
                raise OSError(
                    f"Could not find a suitable TLS CA certificate bundle, invalid path: {cert_loc}"
                )
            conn.cert_reqs = "CERT_REQUIRED"
            if not ca_is_directory(cert_loc):  # one stat at most every second, not two per call
                conn.ca_certs = cert_loc
                conn.ca_cert_dir = None
            else:
                conn.ca_cert_dir = cert_loc
                conn.ca_certs = None
        else:
            conn.cert_reqs = "CERT_NONE"
            conn.ca_certs = None
            conn.ca_cert_dir = None
        if cert:
            if not isinstance(cert, (str, os.PathLike)):
                conn.cert_file = cert[0]
                conn.key_file = cert[1]
            else:
                conn.cert_file = cert
                conn.key_file = None
            if conn.cert_file and not os.path.exists(conn.cert_file):
                raise OSError(
                    f"Could not find the TLS certificate file, invalid path: {conn.cert_file}"
                )
            if conn.key_file and not os.path.exists(conn.key_file):
                raise OSError(f"Could not find the TLS key file, invalid path: {conn.key_file}")

    def build_response(self, req: Any, resp: Any) -> Any:
        """Build a :class:`~httpcore_lite.models.Response` around a raw response.

        Sets status, reason, headers, encoding, url, request, ``raw`` and ``connection``, and
        collects ``Set-Cookie`` fields into ``response.cookies`` (skipped when there are none).

        ``resp`` is the transport's :class:`RawResponse` or, as in requests, any object shaped
        like urllib3's ``HTTPResponse`` (mocking and caching libraries build their own): only
        ``status``, ``reason``, ``headers`` and the body methods are read then. Changes a
        subclass made to ``resp.headers`` before calling this are kept.
        """
        if type(resp) is not RawResponse or resp.headers_built:
            return self._build_foreign_response(req, resp)
        response = _build_response(resp.started, req)
        response.raw = resp
        url = req.url
        response.url = url.decode("utf-8") if isinstance(url, bytes) else url
        resp.request_url = response.url
        response.connection = self  # type: ignore[attr-defined]  # requests sets it here only
        # response.headers was just built from the same fields, keyed by lowercased name:
        # lookups say which fields are present, once for everyone who reads the raw response.
        store = response.headers.lower_keys()
        resp.has_content_encoding = "content-encoding" in store
        resp.has_set_cookie = "set-cookie" in store or "set-cookie2" in store
        if "set-cookie" in store:
            from .cookies import extract_cookies_to_jar

            extract_cookies_to_jar(response.cookies, req, resp)
        return response

    def _build_foreign_response(self, req: Any, resp: Any) -> Any:
        """:meth:`build_response` from what any urllib3-shaped raw response offers."""
        from .cookies import extract_cookies_to_jar
        from .models import Response
        from .structures import CaseInsensitiveDict
        from .utils import get_encoding_from_headers

        response = Response()
        # Read as requests reads them: a raw response without them gives None.
        response.status_code = getattr(resp, "status", None)  # type: ignore[assignment]
        response.headers = CaseInsensitiveDict(getattr(resp, "headers", {}))
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = resp
        response.reason = getattr(resp, "reason", None)  # type: ignore[assignment]
        url = req.url
        response.url = url.decode("utf-8") if isinstance(url, bytes) else url
        extract_cookies_to_jar(response.cookies, req, resp)
        response.request = req
        response.connection = self  # type: ignore[attr-defined]
        return response

    def build_connection_pool_key_attributes(
        self, request: Any, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Build the ``(host_params, pool_kwargs)`` that select a pool, as requests does.

        ``host_params`` has ``scheme``, ``host`` and ``port``; ``pool_kwargs`` has
        ``cert_reqs`` and, as applicable, ``ca_certs`` / ``ca_cert_dir``, ``cert_file`` and
        ``key_file`` (plus ``socket_path`` for ``http+unix://``). Override it to change how
        requests are grouped into pools.
        """
        scheme, host, port, socket_path = parse_origin(request.url)
        host_params = {"scheme": scheme, "host": host, "port": port}
        pool_kwargs: dict[str, Any] = {}
        if scheme == "https" and verify is False:
            pool_kwargs["cert_reqs"] = "CERT_NONE"
        elif scheme == "https":
            pool_kwargs["cert_reqs"] = "CERT_REQUIRED"
            if verify is not True and isinstance(verify, (str, os.PathLike)):
                path = os.fspath(verify)
                if os.path.isdir(path):
                    pool_kwargs["ca_cert_dir"] = path
                else:
                    pool_kwargs["ca_certs"] = path
        if cert:
            if isinstance(cert, (str, os.PathLike)):
                pool_kwargs["cert_file"] = os.fspath(cert)
            else:
                pool_kwargs["cert_file"] = cert[0]
                pool_kwargs["key_file"] = cert[1]
        if socket_path is not None:
            pool_kwargs["socket_path"] = socket_path
        return host_params, pool_kwargs

    def get_connection_with_tls_context(
        self, request: Any, verify: Any, proxies: Any = None, cert: Any = None
    ) -> Any:
        """Return the connection pool for ``request`` with these TLS settings and proxies."""
        url = request.url
        proxy = None
        if proxies and not url.startswith("http+unix:"):
            from ._proxies import select_proxy

            proxy = select_proxy(url, proxies)
        if proxy:
            manager = self.proxy_manager_for(_normalize_proxy(proxy))
        else:
            manager = self.poolmanager
        if self._custom_key:
            host_params, pool_kwargs = self.build_connection_pool_key_attributes(
                request, verify, cert
            )
            return manager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)
        if proxy:
            return manager.connection_from_key(self._pool_key(url, verify, cert, request))
        # The hot path: the origin and settings of the previous request again. What ORIGIN_RE
        # would match is that origin when the URL starts with it and goes on with the path.
        last = self._last_key
        if last is not None:
            if has_origin(url, last[0]) and verify == last[1] and cert == last[2]:
                return manager.connection_from_key(last[3])
        # Else one dict lookup from (origin, verify, cert) to the pool key.
        match = ORIGIN_RE.match(url)
        cache_key = (match.group(0) if match is not None else url, verify, cert)
        try:
            key = _POOL_KEYS.get(cache_key)
        except TypeError:  # an unhashable verify/cert value (a list): build the key each time
            return manager.connection_from_key(self._pool_key(url, verify, cert, None))
        if key is None:
            key = self._pool_key(url, verify, cert, None)
            if len(_POOL_KEYS) >= _ORIGIN_CACHE_SIZE:
                _POOL_KEYS.clear()
            _POOL_KEYS[cache_key] = key
        self._last_key = (*cache_key, key)
        return manager.connection_from_key(key)

    def _pool_key(self, url: str, verify: Any, cert: Any, proxied: Any) -> PoolKey:
        """The pool key of ``url``; ``proxied`` is the request when it goes through a proxy."""
        scheme, host, port, socket_path = parse_origin(url)
        if scheme != "https":
            return PoolKey(scheme, host, port, True, None, socket_path)
        tunnel_auth = None
        if proxied is not None:
            # Credentials given as a header (HTTPProxyAuth) go on the CONNECT, so tunnels made
            # with different credentials must not be shared.
            tunnel_auth = proxied.headers.get("Proxy-Authorization")
        return PoolKey(scheme, host, port, _freeze(verify), _freeze(cert), None, tunnel_auth)

    def get_connection(self, url: str, proxies: Any = None) -> Any:
        """Deprecated (as in requests): use :meth:`get_connection_with_tls_context`."""
        warnings.warn(
            "`get_connection` has been deprecated in favor of "
            "`get_connection_with_tls_context`. Custom HTTPAdapter subclasses will need to "
            "migrate for httpcore_lite>=2.32.2.",
            DeprecationWarning,
            stacklevel=2,
        )
        proxy = None
        if proxies:
            from ._proxies import select_proxy

            proxy = select_proxy(url, proxies)
        manager = self.proxy_manager_for(_normalize_proxy(proxy)) if proxy else self.poolmanager
        scheme, host, port, socket_path = parse_origin(url)
        return manager.connection_from_key(PoolKey(scheme, host, port, True, None, socket_path))

    def close(self) -> None:
        """Close every pool: idle connections now, connections in use when released."""
        manager = self.__dict__.get("poolmanager")  # (none built: nothing to close)
        if manager is not None:
            manager.clear()
        for manager in self.proxy_manager.values():
            manager.clear()

    def request_url(self, request: Any, proxies: Any) -> str:
        """The request-target: the path, or the absolute URL for an http:// request through a
        (non-SOCKS) proxy."""
        proxy = None
        if proxies:
            from ._proxies import select_proxy

            proxy = select_proxy(request.url, proxies)
        scheme = request.url.partition("://")[0].lower()
        is_proxied_http_request = bool(proxy) and scheme != "https"
        using_socks_proxy = proxy is not None and proxy.lower().startswith("socks")
        # A path that starts with "//" is sent as it is ("//v:h"), as requests does:
        # the target goes to our own core verbatim, never re-parsed as an authority.
        url = request.path_url
        if is_proxied_http_request and not using_socks_proxy:
            from ._urls import urldefragauth

            url = urldefragauth(request.url)
        return str(url)

    def add_headers(self, request: Any, **kwargs: Any) -> None:
        """Add any headers needed by the connection. Does nothing by default (a hook for
        subclasses)."""

    def proxy_headers(self, proxy: str) -> dict[str, str]:
        """Headers for the proxy (never for the origin): ``Proxy-Authorization`` from the
        credentials in the proxy URL."""
        headers: dict[str, str] = {}
        from ._urls import get_auth_from_url

        username, password = get_auth_from_url(proxy)
        if username:
            headers["Proxy-Authorization"] = basic_proxy_auth(username, password)
        return headers

    def stats(self) -> PoolStats:
        """Connection statistics of every pool of this adapter, in total and per origin.

        Returns a :class:`~httpcore_lite.transport.pool.PoolStats` with ``opened``,
        ``reused``, ``discarded``, ``retried``, ``in_use``, ``idle`` and ``origins`` (a dict
        keyed ``"scheme://host:port"`` of the same counters).
        """
        total = self.poolmanager.stats()
        for manager in self.proxy_manager.values():
            manager.stats(total)
        return total

    # -- sending ------------------------------------------------------------------------------

    def send(
        self,
        request: Any,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> Any:
        """Sends PreparedRequest object. Returns Response object.

        :param request: The PreparedRequest being sent.
        :param stream: (optional) Whether to stream the response content.
        :param timeout: (optional) How long to wait: a float, a ``(connect, read)`` tuple, or
            a :class:`Timeout` (which may also bound the ``total`` time).
        :param verify: (optional) Either a boolean, in which case it controls whether we verify
            the server's TLS certificate, or a string, in which case it must be a path
            to a CA bundle (or directory) to use.
        :param cert: (optional) Any user-provided SSL certificate to be trusted.
        :param proxies: (optional) The proxies dictionary to apply to the request.
        """
        try:
            return self._send(request, stream, timeout, verify, cert, proxies)
        except RequestException as exc:
            if exc.request is None:
                exc.request = request
            raise
        except _HTTPError as error:
            # urllib3's names, raised by a subclass or a hook: requests' translation.
            mapped = to_request_exception(error, request)
            if mapped is error:
                raise
            raise mapped from error

    def _send(
        self, request: Any, stream: bool, timeout: Any, verify: Any, cert: Any, proxies: Any
    ) -> Any:
        pool = self.get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert)
        if not isinstance(pool, ConnectionPool):
            return self._urlopen(pool, request, stream, timeout, verify, cert, proxies)
        original = request  # what the Response carries, even when a stripped copy is sent
        url = request.url
        https = pool.scheme == "https"
        if https:
            self.cert_verify(pool, url, verify, cert)
        target = None
        extra_headers: Any = ()
        if pool.proxy is not None or self._custom_url:
            target = self.request_url(request, proxies)
            if pool.proxy is not None:
                if https:
                    target = None
                    if "Proxy-Authorization" in request.headers:
                        # Sent on the CONNECT (it is part of the pool key); never inside.
                        request = request.copy()
                        del request.headers["Proxy-Authorization"]
                elif pool.proxy_headers:
                    extra_headers = [
                        item
                        for item in pool.proxy_headers.items()
                        if item[0] not in request.headers
                    ]
        if self._custom_headers:
            self.add_headers(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
        clock = NO_DEADLINE if timeout is None else Timeout.from_value(timeout).start()
        if https and verify is False:
            warnings.warn(
                f"Unverified HTTPS request is being made to host '{pool.host}'. Adding "
                "certificate verification is strongly advised.",
                insecure_request_warning(),
                stacklevel=3,
            )
        retries = self.max_retries
        if not isinstance(retries, Retry):
            retries = Retry.from_retry_like(retries)
        method = request.method
        while True:
            try:
                conn, started = pool.send(request, clock, target, extra_headers)
            except RequestException as exc:
                name_origin(exc, pool, clock)
                if isinstance(exc, (InvalidURL, InvalidSchema, InvalidHeader)):
                    raise
                if clock.expired:
                    raise  # the total deadline is spent: no attempt could finish
                retries = retries.increment(method=method, url=url, error=exc)
                delay = _delay(retries, clock, None)
                if delay is None:
                    raise
                _sleep(retries, delay, None)
                self._rewind(request)
                continue
            raw = RawResponse(conn, started, clock, True, method)
            raw.retries = retries
            if retries.status_forcelist or retries.total:
                has_retry_after = any(name.lower() == "retry-after" for name, _ in started.headers)
                if retries.is_retry(method, started.status_code, has_retry_after):
                    try:
                        retries = retries.increment(method=method, url=url, response=raw)
                    except RetryError:
                        if retries.raise_on_status:
                            raw.release_conn()
                            raise
                    else:
                        delay = _delay(retries, clock, raw)
                        if delay is not None:
                            raw.release_conn()
                            _sleep(retries, delay, raw)
                            self._rewind(request)
                            continue
                        # The server asked for a longer wait than the deadline leaves: its
                        # answer is the best there is.
            break
        response = self.build_response(original, raw)
        if not stream:
            response.set_content(raw.read_all())
        return response

    def _urlopen(
        self,
        pool: Any,
        request: Any,
        stream: bool,
        timeout: Any,
        verify: Any,
        cert: Any,
        proxies: Any,
    ) -> Any:
        """Send through a pool that a subclass made itself (urllib3's ``HTTPConnectionPool``,
        say, from an overridden :meth:`get_connection_with_tls_context`): its ``urlopen`` with
        the arguments requests passes, its errors translated as requests translates them."""
        url = self.request_url(request, proxies)
        self.add_headers(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )
        chunked = not (request.body is None or "Content-Length" in request.headers)
        if isinstance(timeout, tuple):
            connect, read = timeout
        elif isinstance(timeout, Timeout):
            connect, read = timeout.connect, timeout.read
        else:
            connect = read = timeout
        pool_timeout = getattr(pool, "timeout", None)
        # The pool's own Timeout class takes (connect, read), as urllib3's does.
        timeout_value: Any = read
        if pool_timeout is not None and hasattr(pool_timeout, "connect_timeout"):
            timeout_value = type(pool_timeout)(connect=connect, read=read)
        retries = self.max_retries
        if isinstance(retries, Retry):
            total = retries.total
            retries = total if isinstance(total, int) and not isinstance(total, bool) else 0
        try:
            resp = pool.urlopen(
                method=request.method,
                url=url,
                body=request.body,
                headers=request.headers,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
                retries=retries,
                timeout=timeout_value,
                chunked=chunked,
            )
        except RequestException:
            raise
        except Exception as error:
            mapped = to_request_exception(error, request)
            if mapped is error:
                raise
            raise mapped from error
        response = self.build_response(request, resp)
        if not stream:
            response.content  # noqa: B018 - read the body now, as for our own pools
        return response

    @staticmethod
    def _rewind(request: Any) -> None:
        """Put a file body back where it started before sending it again."""
        body = request.body
        if body is None or isinstance(body, (bytes, str)):
            return
        position = getattr(request, "body_position", None)
        if isinstance(position, int) and hasattr(body, "seek"):
            body.seek(position)


def _delay(retries: Retry, clock: Deadline, response: Any) -> float | None:
    """Seconds to wait before the next attempt (``Retry-After`` or backoff), or None when the
    wait would outlast what is left of the total deadline (the next attempt could not finish).
    """
    delay = retries.get_sleep_time(response)
    remaining = clock.remaining()
    if remaining is not None and delay >= remaining:
        return None
    return delay


def _sleep(retries: Retry, delay: float, response: Any) -> None:
    """Sleep ``delay``; a ``Retry`` subclass that overrides ``sleep`` keeps its own."""
    if type(retries).sleep is not Retry.sleep:
        retries.sleep(response)
    elif delay > 0:
        time.sleep(delay)


def _normalize_proxy(proxy: str) -> str:
    """Prepend ``http://`` to a scheme-less proxy URL and refuse malformed ones early."""
    if any(ch in proxy for ch in "\r\n\x00"):
        raise InvalidProxyURL(f"Proxy URL contains control characters: {proxy!r}")
    return with_default_scheme(proxy)
