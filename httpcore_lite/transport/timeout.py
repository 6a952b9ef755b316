"""
Timeouts: how long one connection attempt, one wait for bytes, and one whole call may take.

``Timeout(connect, read, total)`` extends requests' ``(connect, read)`` pair with ``total``, a
deadline over the whole call: every connection attempt, every read, the retries and the sleeps
between them. ``connect`` and ``read`` keep requests' meaning (``read`` bounds each *wait* for
bytes, so a slow drip that keeps arriving within it succeeds); only ``total`` stops a call that
is making progress too slowly.

A :class:`Timeout` is an immutable description. The transport calls :meth:`Timeout.start` once
per request, which returns a :class:`Deadline` fixed to the monotonic clock, and asks the deadline
for the timeout of each socket operation. With no ``total`` the deadline never reads the clock, so
the common case costs an attribute lookup.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, NoReturn

from ..exceptions import ConnectTimeout, ReadTimeout

if TYPE_CHECKING:
    from .._types import TimeoutType

__all__ = ["Deadline", "NO_DEADLINE", "Timeout"]


def _validate(name: str, value: float | None) -> float | None:
    """Check one timeout value and return it as a float (or None for "no limit").

    The messages are urllib3's, which is what requests users see for the same mistakes.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        # bool is an int subclass: ``timeout=True`` would silently mean one second.
        raise ValueError("Timeout cannot be a boolean value. It must be an int, float or None.")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"Timeout value {name} was {value}, but it must be an int, float or None."
        ) from None
    if not seconds > 0:  # also rejects NaN, which compares false with everything
        raise ValueError(
            f"Attempted to set {name} timeout to {value}, but the timeout cannot be set to a "
            "value less than or equal to 0."
        )
    return seconds


class Timeout:
    """Connect, read and total timeouts in seconds; ``None`` means no limit.

    Immutable and hashable, so one instance can be shared by every request of a session and
    used as a default argument.
    """

    __slots__ = ("connect", "read", "total")

    connect: float | None
    read: float | None
    total: float | None

    def __init__(
        self,
        connect: float | None = None,
        read: float | None = None,
        total: float | None = None,
    ) -> None:
        _set = object.__setattr__
        _set(self, "connect", _validate("connect", connect))
        _set(self, "read", _validate("read", read))
        _set(self, "total", _validate("total", total))

    @classmethod
    def from_value(cls, value: TimeoutType) -> Timeout:
        """Build a :class:`Timeout` from anything ``requests``' ``timeout=`` accepts.

        ``None`` (wait forever), a number (both connect and read), a ``(connect, read)`` tuple,
        a :class:`Timeout` (returned as is), or urllib3's ``Timeout`` (its connect, read and
        total). Anything else raises ``ValueError`` with the message requests gives.
        """
        if type(value) is cls:
            return value  # the hot path: a session's shared Timeout
        if value is None:
            return _NO_TIMEOUT
        kind = type(value)
        if cls is Timeout and (
            kind is int
            or kind is float
            # (the checker does not narrow `value` by `kind is tuple`)
            or (kind is tuple and len(value) == 2 and all(type(v) in _PLAIN for v in value))  # type: ignore[arg-type, union-attr]
        ):
            # ``timeout=5`` on every call: validate each distinct value once.
            cached = _FROM_VALUE_CACHE.get(value)
            if cached is not None:
                return cached
            made = cls._convert(value)
            if len(_FROM_VALUE_CACHE) >= _FROM_VALUE_CACHE_SIZE:
                _FROM_VALUE_CACHE.clear()
            _FROM_VALUE_CACHE[value] = made
            return made
        return cls._convert(value)

    @classmethod
    def _convert(cls, value: Any) -> Timeout:
        # Any: whatever the caller passed, checked here at run time (bad values raise).
        if isinstance(value, tuple):
            try:
                connect, read = value
                return cls(connect=connect, read=read)
            except ValueError:
                raise ValueError(
                    f"Invalid timeout {value}. Pass a (connect, read) timeout tuple, "
                    "or a single float to set both timeouts to the same value."
                ) from None
        if isinstance(value, Timeout):  # a subclass
            return value
        if all(hasattr(value, name) for name in ("_connect", "_read", "total")):
            # urllib3's Timeout, which requests passes through as it is. Its fields are read
            # directly (read_timeout needs a started clock when total is set); a field left at
            # urllib3's default holds a sentinel, not a number: the socket default, no limit.
            return cls(
                connect=_seconds_or_none(value._connect),
                read=_seconds_or_none(value._read),
                total=_seconds_or_none(value.total),
            )
        return cls(connect=value, read=value)

    def start(self) -> Deadline:
        """Start the clock for one call: the returned :class:`Deadline` enforces ``total``."""
        if self is _NO_TIMEOUT:
            # timeout=None, the default: a Deadline without a total reads no clock and never
            # changes, so one serves every call.
            return NO_DEADLINE
        return Deadline(self)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; use Timeout(...) to change it")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeout):
            return NotImplemented
        return (self.connect, self.read, self.total) == (other.connect, other.read, other.total)

    def __hash__(self) -> int:
        return hash((self.connect, self.read, self.total))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(connect={self.connect!r}, read={self.read!r}, "
            f"total={self.total!r})"
        )

    def __reduce__(self) -> tuple[type[Timeout], tuple[float | None, float | None, float | None]]:
        # Slots plus a blocked __setattr__ defeat pickle's default; rebuild through __init__.
        return (type(self), (self.connect, self.read, self.total))


_NO_TIMEOUT = Timeout()

#: int/float/(connect, read) -> Timeout. Only valid values are stored, and bools never get here
#: (type checks are exact), so ``True == 1`` cannot alias a cached ``1``. Cleared when full.
_FROM_VALUE_CACHE: dict[object, Timeout] = {}
_FROM_VALUE_CACHE_SIZE = 128
_PLAIN = (int, float, type(None))


def _seconds_or_none(value: object) -> float | None:
    """A number of seconds as given; None for anything else (urllib3's default sentinel)."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class Deadline:
    """One call's running clock: per-operation timeouts, bounded by what is left of ``total``.

    Created by :meth:`Timeout.start` at the beginning of a call. Each socket operation asks for
    its timeout just before it starts, so time spent in earlier attempts, reads and retry sleeps
    is charged against ``total``. Once ``total`` has passed the next operation fails at once with
    :class:`ConnectTimeout` or :class:`ReadTimeout`, whichever stage it would have been.
    """

    __slots__ = ("timeout", "_expires")

    def __init__(self, timeout: Timeout) -> None:
        self.timeout = timeout
        total = timeout.total
        self._expires = None if total is None else time.monotonic() + total

    def remaining(self) -> float | None:
        """Seconds left of ``total`` (may be negative once passed), or None without a total."""
        if self._expires is None:
            return None
        return self._expires - time.monotonic()

    @property
    def expired(self) -> bool:
        """True once ``total`` has passed (never without a total)."""
        return self._expires is not None and self._expires - time.monotonic() <= 0

    def connect_timeout(self) -> float | None:
        """The timeout for the next connection attempt (TCP connect, TLS handshake, proxy).

        Raises :class:`ConnectTimeout` when the total deadline has already passed.
        """
        connect = self.timeout.connect
        if self._expires is None:
            return connect
        left = self._expires - time.monotonic()
        if left <= 0:
            raise ConnectTimeout(self._message())
        return left if connect is None or left < connect else connect

    def read_timeout(self) -> float | None:
        """The timeout for the next wait for bytes (and for each write).

        Raises :class:`ReadTimeout` when the total deadline has already passed.
        """
        read = self.timeout.read
        if self._expires is None:
            return read
        left = self._expires - time.monotonic()
        if left <= 0:
            raise ReadTimeout(self._message())
        return left if read is None or left < read else read

    def _message(self) -> str:
        return f"Total timeout of {self.timeout.total} seconds exceeded"

    def __repr__(self) -> str:
        return f"<Deadline {self.timeout!r} remaining={self.remaining()!r}>"


#: The clock of ``timeout=None``: no total, so it never reads the time and one serves every call.
NO_DEADLINE = Deadline(_NO_TIMEOUT)
