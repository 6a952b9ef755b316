"""
Transport errors under urllib3's names, for code that names them through ``requests.adapters``.

requests imports these names from urllib3 into ``requests.adapters``, and adapters, mocks and
tests written for requests raise or catch them there. These are the package's own classes with
urllib3's names, hierarchy and constructor arguments; :class:`HTTPAdapter` turns any of them
raised while sending into the requests exception that requests turns urllib3's into
(:func:`to_request_exception`). The transport itself raises the requests exceptions directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import exceptions as exc

if TYPE_CHECKING:
    from ..models import PreparedRequest, Request

__all__ = [
    "ClosedPoolError",
    "ConnectTimeoutError",
    "HTTPError",
    "IncompleteRead",
    "InvalidHeader",
    "LocationValueError",
    "MaxRetryError",
    "NewConnectionError",
    "PoolError",
    "ProtocolError",
    "ProxyError",
    "ReadTimeoutError",
    "RequestError",
    "ResponseError",
    "SSLError",
    "TimeoutError",
    "to_request_exception",
]


class HTTPError(Exception):
    """Base of the urllib3-named errors."""


class PoolError(HTTPError):
    """An error about a connection pool (``pool`` is the pool or None)."""

    def __init__(self, pool: object = None, message: str = "") -> None:
        self.pool = pool
        super().__init__(f"{pool}: {message}" if pool is not None else message)


class ClosedPoolError(PoolError):
    """The pool was closed while a request used it."""


class RequestError(PoolError):
    """An error about one request to ``url``."""

    def __init__(self, pool: object = None, url: str = "", message: str = "") -> None:
        self.url = url
        super().__init__(pool, message)


class MaxRetryError(RequestError):
    """Retries ran out; ``reason`` is the last error."""

    def __init__(self, pool: object = None, url: str = "", reason: Exception | None = None) -> None:
        self.reason = reason
        super().__init__(pool, url, f"Max retries exceeded with url: {url} (Caused by {reason!r})")


class TimeoutError(HTTPError):  # noqa: A001 - urllib3's name
    """A timeout (connect or read)."""


class ReadTimeoutError(TimeoutError, RequestError):
    """The server did not answer within the read timeout."""

    def __init__(self, pool: object = None, url: str = "", message: str = "") -> None:
        RequestError.__init__(self, pool, url, message)


class ConnectTimeoutError(TimeoutError):
    """Connecting took longer than the connect timeout."""


class NewConnectionError(ConnectTimeoutError, HTTPError):
    """A new connection could not be made (refused, unreachable, no such host)."""

    def __init__(self, conn: object = None, message: str = "") -> None:
        self.conn = conn
        super().__init__(message)


class ProtocolError(HTTPError):
    """The connection broke off or the peer spoke something else than HTTP."""


class IncompleteRead(ProtocolError):
    """The body ended before its announced length."""

    def __init__(self, partial: int = 0, expected: int | None = None) -> None:
        self.partial = partial
        self.expected = expected
        super().__init__(f"IncompleteRead({partial} bytes read, {expected} more expected)")


class ResponseError(HTTPError):
    """Too many error responses (the cause inside :class:`MaxRetryError`)."""


class ProxyError(HTTPError):
    """The proxy failed or refused; ``original_error`` is why."""

    def __init__(self, message: str = "", error: Exception | None = None) -> None:
        self.original_error = error
        super().__init__(message, error)


class SSLError(HTTPError):
    """The TLS handshake or a TLS read failed."""


class InvalidHeader(HTTPError):
    """A header could not be sent as it is."""


class LocationValueError(ValueError, HTTPError):
    """A URL has no usable host."""


def _names(error: BaseException | None) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__} if error is not None else set()


def to_request_exception(
    error: BaseException, request: Request | PreparedRequest | None = None
) -> BaseException:
    """The requests exception that requests raises for urllib3's ``error``.

    Matched by class name, so that it serves both these classes and urllib3's own (raised by a
    urllib3 pool a subclass hands the adapter) without importing urllib3. Errors requests does
    not translate come back unchanged.
    """
    names = _names(error)
    if "MaxRetryError" in names:
        reason = _names(getattr(error, "reason", None))
        if "ConnectTimeoutError" in reason and "NewConnectionError" not in reason:
            return exc.ConnectTimeout(error, request=request)
        if "ResponseError" in reason:
            return exc.RetryError(error, request=request)
        if "ProxyError" in reason:
            return exc.ProxyError(error, request=request)
        if "SSLError" in reason:
            return exc.SSLError(error, request=request)
        return exc.ConnectionError(error, request=request)
    if "LocationValueError" in names:
        return exc.InvalidURL(error, request=request)
    if "ClosedPoolError" in names or "ProtocolError" in names:
        return exc.ConnectionError(error, request=request)
    if "ProxyError" in names:
        return exc.ProxyError(error, request=request)
    if "SSLError" in names:
        return exc.SSLError(error, request=request)
    if "ReadTimeoutError" in names:
        return exc.ReadTimeout(error, request=request)
    if "InvalidHeader" in names:
        return exc.InvalidHeader(error, request=request)
    if isinstance(error, OSError) and not isinstance(error, exc.RequestException):
        return exc.ConnectionError(error, request=request)
    return error
