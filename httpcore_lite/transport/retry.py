"""
Retry policy: which failures are retried, how often, and how long to wait in between.

:class:`Retry` follows urllib3 2.x's semantics and arguments, so code that configures
``HTTPAdapter(max_retries=Retry(...))`` for requests works unchanged. A :class:`Retry` is a value:
:meth:`Retry.increment` returns a new object with the counters decremented and the attempt added to
:attr:`Retry.history`, or raises once the budget is spent.

The one rule that matters for safety is the split between *connect* and *read* errors. A connect
error (:class:`~httpcore_lite.exceptions.ConnectTimeout`,
:class:`~httpcore_lite.exceptions.NewConnectionError`, a proxy refusing the tunnel) means nothing
reached the server, so any method may be sent again. Any later failure may have happened after the
server acted on the request, so it is retried only for methods in ``allowed_methods`` (idempotent
ones by default): a POST that timed out waiting for its response is never silently sent twice.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Collection
from itertools import takewhile
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, NoReturn

from ..exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ConnectTimeout,
    InvalidHeader,
    NewConnectionError,
    ProxyError,
    ReadTimeout,
    RetryError,
    TooManyRedirects,
)

if TYPE_CHECKING:
    from types import TracebackType

    from ._typing import HasHeaders

__all__ = ["RequestHistory", "Retry"]

log = logging.getLogger("httpcore_lite")

#: Statuses whose ``Location`` makes a response a redirect (urllib3's REDIRECT_STATUSES).
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_DELAY_SECONDS = re.compile(r"^\s*[0-9]+\s*$")

_CONNECT_ERRORS = (ConnectTimeout, NewConnectionError, ProxyError)
_READ_ERRORS = (ReadTimeout, ChunkedEncodingError, ConnectionError)

_GENERIC_ERROR = "too many error responses"
_SPECIFIC_ERROR = "too many {status_code} error responses"
_REDIRECT_ERROR = "too many redirects"


class RequestHistory(NamedTuple):
    """One attempt recorded by :meth:`Retry.increment`."""

    method: str | None
    url: str | None
    error: Exception | None
    status: int | None
    redirect_location: str | None


def _status_of(response: HasHeaders | None) -> int | None:
    """The status of a models.Response (``status_code``) or a raw response (``status``)."""
    status = getattr(response, "status_code", None)
    if status is None:
        status = getattr(response, "status", None)
    return status


def _redirect_location(response: HasHeaders | None) -> str | None:
    """The redirect target of ``response``, or None when it is not a redirect."""
    getter = getattr(response, "get_redirect_location", None)
    if getter is not None:
        return getter() or None
    if _status_of(response) not in REDIRECT_STATUSES:
        return None
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    location = headers.get("Location")
    return location or None


def _reraise(error: Exception) -> NoReturn:
    # Re-raise the caller's own exception object: it is already one of ours, with its cause and
    # its request attached, and ``except ReadTimeout`` must keep working for the user.
    raise error


class Retry:
    """How many times, and for which failures, a request is attempted again.

    Each counter may be an int (attempts left), None (no limit of its own: only ``total``
    applies) or, for ``total``, ``read``, ``connect`` and ``redirect``, False (no retry of that
    kind: the error is raised at once). ``total`` takes precedence over the others.

    :param total: attempts left overall.
    :param connect: retries for errors raised while connecting (nothing was sent).
    :param read: retries for errors after the request was (maybe) sent; only for
        ``allowed_methods``.
    :param redirect: redirects to follow; False also disables ``raise_on_redirect``.
    :param status: retries for responses with a status in ``status_forcelist``.
    :param other: retries for any other error (SSL, decoding, ...).
    :param allowed_methods: upper-case methods for which read errors and statuses are retried;
        None (or an empty collection) means every method.
    :param status_forcelist: statuses to retry for allowed methods.
    :param backoff_factor: sleep ``backoff_factor * 2 ** (n - 1)`` seconds before the n-th
        consecutive retry (no sleep before the first), plus up to ``backoff_jitter`` seconds at
        random, at most ``backoff_max`` seconds.
    :param raise_on_redirect: when redirects are exhausted, the caller raises
        :class:`TooManyRedirects` rather than returning the last response.
    :param raise_on_status: when status retries are exhausted, the caller raises
        :class:`RetryError` rather than returning the last response.
    :param history: the attempts so far (:class:`RequestHistory` tuples).
    :param respect_retry_after_header: sleep as long as ``Retry-After`` asks (capped at
        ``retry_after_max``), and retry 413/429/503 answers that carry it.
    :param remove_headers_on_redirect: headers dropped from a redirected request (stored
        lower-cased).
    :param retry_after_max: the longest ``Retry-After`` honoured, in seconds.
    """

    #: Methods retried after a read error or a forced status: the idempotent ones.
    DEFAULT_ALLOWED_METHODS: ClassVar[frozenset[str]] = frozenset(
        {"HEAD", "GET", "PUT", "DELETE", "OPTIONS", "TRACE"}
    )
    #: Statuses retried when they carry ``Retry-After`` (and ``respect_retry_after_header``).
    RETRY_AFTER_STATUS_CODES: ClassVar[frozenset[int]] = frozenset({413, 429, 503})
    #: Headers dropped from a request before it follows a redirect.
    DEFAULT_REMOVE_HEADERS_ON_REDIRECT: ClassVar[frozenset[str]] = frozenset(
        {"Cookie", "Authorization", "Proxy-Authorization"}
    )
    #: Longest backoff sleep, in seconds.
    DEFAULT_BACKOFF_MAX: ClassVar[float] = 120
    #: Longest ``Retry-After`` honoured, in seconds (six hours, as urllib3).
    DEFAULT_RETRY_AFTER_MAX: ClassVar[float] = 21600
    #: What ``from_int(None)`` returns: three attempts.
    DEFAULT: ClassVar[Retry]

    def __init__(
        self,
        total: bool | int | None = 10,
        connect: bool | int | None = None,
        read: bool | int | None = None,
        redirect: bool | int | None = None,
        status: int | None = None,
        other: int | None = None,
        allowed_methods: Collection[str] | None = DEFAULT_ALLOWED_METHODS,
        status_forcelist: Collection[int] | None = None,
        backoff_factor: float = 0,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        raise_on_redirect: bool = True,
        raise_on_status: bool = True,
        history: tuple[RequestHistory, ...] | None = None,
        respect_retry_after_header: bool = True,
        remove_headers_on_redirect: Collection[str] = DEFAULT_REMOVE_HEADERS_ON_REDIRECT,
        backoff_jitter: float = 0.0,
        retry_after_max: float = DEFAULT_RETRY_AFTER_MAX,
    ) -> None:
        self.total = total
        self.connect = connect
        self.read = read
        self.status = status
        self.other = other
        if redirect is False or total is False:
            # "Don't follow redirects": hand the redirect response back instead of raising.
            redirect = 0
            raise_on_redirect = False
        self.redirect = redirect
        self.status_forcelist: Collection[int] = status_forcelist or frozenset()
        self.allowed_methods = allowed_methods
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.backoff_jitter = backoff_jitter
        self.retry_after_max = retry_after_max
        self.raise_on_redirect = raise_on_redirect
        self.raise_on_status = raise_on_status
        self.history: tuple[RequestHistory, ...] = history or ()
        self.respect_retry_after_header = respect_retry_after_header
        if remove_headers_on_redirect is _DEFAULT_REMOVED:
            # the default, already lowered: every adapter builds a Retry, so spare the loop
            self.remove_headers_on_redirect = _DEFAULT_REMOVED_LOWER
        else:
            self.remove_headers_on_redirect = frozenset(
                h.lower() for h in remove_headers_on_redirect
            )

    def new(self, **kw: Any) -> Retry:
        """A copy with some arguments changed (the way :meth:`increment` derives the next one)."""
        params: dict[str, Any] = {
            "total": self.total,
            "connect": self.connect,
            "read": self.read,
            "redirect": self.redirect,
            "status": self.status,
            "other": self.other,
            "allowed_methods": self.allowed_methods,
            "status_forcelist": self.status_forcelist,
            "backoff_factor": self.backoff_factor,
            "backoff_max": self.backoff_max,
            "backoff_jitter": self.backoff_jitter,
            "retry_after_max": self.retry_after_max,
            "raise_on_redirect": self.raise_on_redirect,
            "raise_on_status": self.raise_on_status,
            "history": self.history,
            "respect_retry_after_header": self.respect_retry_after_header,
            "remove_headers_on_redirect": self.remove_headers_on_redirect,
        }
        params.update(kw)
        return type(self)(**params)

    @classmethod
    def from_int(
        cls,
        retries: Retry | bool | int | None,
        redirect: bool | int | None = True,
        default: Retry | bool | int | None = None,
    ) -> Retry:
        """Turn requests' ``max_retries`` (an int, None, False or a Retry) into a Retry.

        A Retry is returned as is; None becomes ``default`` (or :attr:`DEFAULT`); an int n
        becomes ``Retry(n)``, with redirects disabled when ``redirect`` is false.
        """
        if retries is None:
            retries = default if default is not None else cls.DEFAULT
        if isinstance(retries, Retry):
            return retries
        if not isinstance(retries, (bool, int)):
            return cls.from_retry_like(retries)
        redirect = bool(redirect) and None
        new_retries = cls(retries, redirect=redirect)
        log.debug("Converted retries value: %r -> %r", retries, new_retries)
        return new_retries

    @classmethod
    def from_retry_like(cls, other: object) -> Retry:
        """A Retry with the settings of ``other``, an object shaped like urllib3's ``Retry``.

        Code written for requests passes ``urllib3.util.retry.Retry`` objects as
        ``max_retries``; they are read field by field (urllib3's names, older spellings
        included), so they have the effect they have in requests. Anything without a ``total``
        is refused with a ``TypeError`` that says what is accepted.
        """
        if not hasattr(other, "total"):
            raise TypeError(
                "max_retries must be an int, None, a Retry, or an object with urllib3's Retry "
                f"attributes, not {type(other).__name__}"
            )
        methods = getattr(other, "allowed_methods", getattr(other, "method_whitelist", None))
        params: dict[str, Any] = {
            "total": other.total,
            # urllib3 1.x spelled "every method" False, 2.x None.
            "allowed_methods": None if methods is False else methods,
        }
        for name in (
            "connect",
            "read",
            "redirect",
            "status",
            "other",
            "status_forcelist",
            "backoff_factor",
            "backoff_max",
            "backoff_jitter",
            "raise_on_redirect",
            "raise_on_status",
            "respect_retry_after_header",
            "remove_headers_on_redirect",
        ):
            value = getattr(other, name, None)
            if value is not None or name in ("connect", "read", "redirect", "status", "other"):
                params[name] = value
        if getattr(other, "backoff_max", None) is None:
            # urllib3 before 2.0 kept the cap on the class only.
            cap = getattr(type(other), "DEFAULT_BACKOFF_MAX", getattr(other, "BACKOFF_MAX", None))
            if cap is not None:
                params["backoff_max"] = cap
        return cls(**params)

    # --- waiting --------------------------------------------------------------------------------

    def get_backoff_time(self) -> float:
        """Seconds to sleep before the next attempt, from the run of consecutive failures.

        Redirects end a run: only failures since the last redirect count.
        """
        consecutive = sum(
            1 for _ in takewhile(lambda h: h.redirect_location is None, reversed(self.history))
        )
        if consecutive <= 1:
            return 0
        backoff = self.backoff_factor * (2 ** (consecutive - 1))
        if self.backoff_jitter != 0.0:
            backoff += random.random() * self.backoff_jitter
        return float(max(0, min(self.backoff_max, backoff)))

    def parse_retry_after(self, retry_after: str) -> float:
        """Seconds asked for by a ``Retry-After`` value: delay-seconds or an HTTP date.

        A date in the past means 0; the result is capped at ``retry_after_max``. Anything else
        raises :class:`~httpcore_lite.exceptions.InvalidHeader`.
        """
        seconds: float
        if _DELAY_SECONDS.match(retry_after):
            seconds = int(retry_after)
        else:
            parsed = email.utils.parsedate_tz(retry_after)
            if parsed is None:
                raise InvalidHeader(f"Invalid Retry-After header: {retry_after}")
            if parsed[9] is None:
                # HTTP dates are always GMT; a zone-less date is not local time.
                parsed = parsed[:9] + (0,)
            seconds = email.utils.mktime_tz(parsed) - time.time()
        seconds = max(seconds, 0)
        return min(seconds, self.retry_after_max)

    def get_retry_after(self, response: HasHeaders) -> float | None:
        """``Retry-After`` of ``response`` in seconds, or None when it has none."""
        retry_after = response.headers.get("Retry-After")
        if retry_after is None:
            return None
        return self.parse_retry_after(retry_after)

    def get_sleep_time(self, response: HasHeaders | None = None) -> float:
        """How long :meth:`sleep` would sleep: ``Retry-After`` when honoured, else the backoff.

        Lets a caller bound the wait by its own deadline before sleeping.
        """
        if self.respect_retry_after_header and response is not None:
            retry_after = self.get_retry_after(response)
            if retry_after:
                return retry_after
        return self.get_backoff_time()

    def sleep_for_retry(self, response: HasHeaders) -> bool:
        """Sleep for the response's ``Retry-After``; True if it asked for a wait."""
        retry_after = self.get_retry_after(response)
        if retry_after:
            time.sleep(retry_after)
            return True
        return False

    def _sleep_backoff(self) -> None:
        backoff = self.get_backoff_time()
        if backoff > 0:
            time.sleep(backoff)

    def sleep(self, response: HasHeaders | None = None) -> None:
        """Sleep before the next attempt: the server's ``Retry-After`` first, else the backoff.

        ``response`` is anything with ``.headers`` (a Response or a raw response). By default
        the backoff is 0, so this returns at once.
        """
        if self.respect_retry_after_header and response is not None:
            if self.sleep_for_retry(response):
                return
        self._sleep_backoff()

    # --- classifying --------------------------------------------------------------------------

    def is_connect_error(self, err: BaseException) -> bool:
        """True for errors raised before anything was sent: always safe to retry."""
        return isinstance(err, _CONNECT_ERRORS)

    def is_read_error(self, err: BaseException) -> bool:
        """True for errors after the request may have reached the server (and not connect ones)."""
        return isinstance(err, _READ_ERRORS) and not isinstance(err, _CONNECT_ERRORS)

    # urllib3's names, for subclasses written against it.
    _is_connection_error = is_connect_error
    _is_read_error = is_read_error

    def _is_method_retryable(self, method: str | None) -> bool:
        if not self.allowed_methods:
            return True
        return method is not None and method.upper() in self.allowed_methods

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """Should a response with ``status_code`` to ``method`` be retried?

        Yes for allowed methods when the status is in ``status_forcelist``, or when it is
        413/429/503 with a ``Retry-After`` header that we respect (and retries are left).
        """
        if not self._is_method_retryable(method):
            return False
        if self.status_forcelist and status_code in self.status_forcelist:
            return True
        return bool(
            self.total
            and self.respect_retry_after_header
            and has_retry_after
            and status_code in self.RETRY_AFTER_STATUS_CODES
        )

    def is_exhausted(self) -> bool:
        """Has any counter gone below zero? (0 and None/False counters are not exhausted.)"""
        counts = [
            x
            for x in (self.total, self.connect, self.read, self.redirect, self.status, self.other)
            if x
        ]
        if not counts:
            return False
        return min(counts) < 0

    # --- counting -------------------------------------------------------------------------------

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: HasHeaders | None = None,
        error: Exception | None = None,
        _pool: object = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        """Record one failed attempt and return the Retry for the next one.

        Give ``error`` for an exception, or ``response`` for a redirect or a retried status.
        Raises, when no retry is left or allowed:

        * ``error`` itself, unchanged, when the attempt failed with an error (also at once for
          a read error on a method not in ``allowed_methods``, or when that kind is False);
        * :class:`TooManyRedirects` when redirects ran out;
        * :class:`RetryError` when status retries ran out.

        The last two carry ``response``; a caller honouring ``raise_on_redirect=False`` or
        ``raise_on_status=False`` catches them and returns that response instead, as urllib3's
        pool does.
        """
        if self.total is False and error is not None:
            _reraise(error)  # retries disabled altogether

        total = self.total
        if total is not None:
            total = int(total) - 1

        connect = self.connect
        read = self.read
        redirect = self.redirect
        status_count = self.status
        other = self.other
        cause = "unknown"
        status = None
        redirect_location = None

        if error is not None and self.is_connect_error(error):
            if connect is False:
                _reraise(error)
            if connect is not None:
                connect -= 1
        elif error is not None and self.is_read_error(error):
            if read is False or method is None or not self._is_method_retryable(method):
                _reraise(error)
            if read is not None:
                read -= 1
        elif error is not None:
            if other is not None:
                other -= 1
        elif response is not None and (location := _redirect_location(response)):
            if redirect is not None:
                redirect -= 1
            cause = _REDIRECT_ERROR
            redirect_location = location
            status = _status_of(response)
        else:
            # A retried status (status_forcelist or Retry-After).
            cause = _GENERIC_ERROR
            if response is not None:
                status = _status_of(response)
                if status:
                    if status_count is not None:
                        status_count -= 1
                    cause = _SPECIFIC_ERROR.format(status_code=status)

        history = self.history + (RequestHistory(method, url, error, status, redirect_location),)
        new_retry = self.new(
            total=total,
            connect=connect,
            read=read,
            redirect=redirect,
            status=status_count,
            other=other,
            history=history,
        )

        if new_retry.is_exhausted():
            if error is not None:
                _reraise(error)
            message = f"Max retries exceeded with url: {url} (Caused by ResponseError({cause!r}))"
            if redirect_location is not None:
                raise TooManyRedirects(message, response=response)
            raise RetryError(message, response=response)

        log.debug("Incremented Retry for (url='%s'): %r", url, new_retry)
        return new_retry

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(total={self.total}, connect={self.connect}, "
            f"read={self.read}, redirect={self.redirect}, status={self.status})"
        )


_DEFAULT_REMOVED = Retry.DEFAULT_REMOVE_HEADERS_ON_REDIRECT
_DEFAULT_REMOVED_LOWER = frozenset(h.lower() for h in _DEFAULT_REMOVED)
Retry.DEFAULT = Retry(3)
