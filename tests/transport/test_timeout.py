"""Timeout values and the per-call Deadline that enforces a total budget."""

from __future__ import annotations

import copy
import pickle
import time

import pytest

from httpcore_lite.exceptions import ConnectionError, ConnectTimeout, ReadTimeout
from httpcore_lite.exceptions import Timeout as TimeoutError_
from httpcore_lite.transport.timeout import Deadline, Timeout


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, Timeout(None, None, None)),
        (5, Timeout(5.0, 5.0)),
        (2.5, Timeout(2.5, 2.5)),
        ((1, 2), Timeout(1.0, 2.0)),
        ((None, 3), Timeout(None, 3.0)),
        ((3, None), Timeout(3.0, None)),
        ((None, None), Timeout()),
        ("4", Timeout(4.0, 4.0)),  # float() accepts it, as urllib3 does
    ],
)
def test_from_value_accepts_what_requests_accepts(value: object, expected: Timeout) -> None:
    assert Timeout.from_value(value) == expected


def test_from_value_returns_a_timeout_unchanged() -> None:
    t = Timeout(1, 2, 3)
    assert Timeout.from_value(t) is t

    class Sub(Timeout):
        __slots__ = ()

    s = Sub(1)
    assert Timeout.from_value(s) is s


@pytest.mark.parametrize("value", [(1,), (1, 2, 3), (), (1, -1), (0, 1), ("x", 1), (True, 1)])
def test_bad_tuple_gets_requests_message(value: tuple[object, ...]) -> None:
    with pytest.raises(ValueError) as info:
        Timeout.from_value(value)
    assert str(info.value) == (
        f"Invalid timeout {value}. Pass a (connect, read) timeout tuple, "
        "or a single float to set both timeouts to the same value."
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "Attempted to set connect timeout to -1, but the timeout cannot be set to a value"),
        (0, "Attempted to set connect timeout to 0, but the timeout cannot be set to a value"),
        (float("nan"), "Attempted to set connect timeout to nan"),
        ("abc", "Timeout value connect was abc, but it must be an int, float or None."),
        ([1, 2], "Timeout value connect was [1, 2], but it must be an int, float or None."),
        (object, "but it must be an int, float or None."),
        (True, "Timeout cannot be a boolean value. It must be an int, float or None."),
    ],
)
def test_bad_scalar_is_value_error_with_clear_message(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        Timeout.from_value(value)
    assert message in str(info.value)


def test_repeated_values_give_equal_results_and_bools_never_alias_numbers() -> None:
    assert Timeout.from_value(5) is Timeout.from_value(5)  # validated once
    assert Timeout.from_value((1, 2)) == Timeout.from_value((1.0, 2.0)) == Timeout(1, 2)
    Timeout.from_value(1)
    Timeout.from_value((1, 1))
    with pytest.raises(ValueError, match="boolean"):
        Timeout.from_value(True)
    with pytest.raises(ValueError, match="Invalid timeout"):
        Timeout.from_value((True, 1))
    for _ in range(2):  # bad values are never cached
        with pytest.raises(ValueError):
            Timeout.from_value(-1)
        with pytest.raises(ValueError):
            Timeout.from_value((0, 1))
    with pytest.raises(ValueError, match="Invalid timeout"):
        Timeout.from_value(([1], 2))  # unhashable parts go the uncached way
    for i in range(1, 300):  # many distinct values: the cache stays bounded
        assert Timeout.from_value(float(i)).read == float(i)


@pytest.mark.parametrize("field", ["connect", "read", "total"])
def test_constructor_validates_each_field(field: str) -> None:
    with pytest.raises(ValueError, match=f"set {field} timeout to -0.5"):
        Timeout(**{field: -0.5})


def test_timeout_is_immutable_hashable_and_comparable() -> None:
    t = Timeout(1, 2, 3)
    with pytest.raises(AttributeError):
        t.connect = 5
    with pytest.raises(AttributeError):
        del t.read
    with pytest.raises(AttributeError):
        t.extra = 1
    assert (t.connect, t.read, t.total) == (1.0, 2.0, 3.0)
    assert t == Timeout(1.0, 2.0, 3.0)
    assert t != Timeout(1, 2)
    assert t != (1, 2, 3)
    assert len({t, Timeout(1, 2, 3), Timeout()}) == 2


def test_repr() -> None:
    assert repr(Timeout(1, None, 2.5)) == "Timeout(connect=1.0, read=None, total=2.5)"
    assert repr(Timeout()) == "Timeout(connect=None, read=None, total=None)"


def test_pickle_and_copy_round_trip() -> None:
    t = Timeout(1, 2, 3)
    assert pickle.loads(pickle.dumps(t)) == t
    assert copy.copy(t) == t
    assert copy.deepcopy(t) == t


def test_deadline_without_total_passes_values_through() -> None:
    clock = Timeout(1.5, 7).start()
    assert isinstance(clock, Deadline)
    assert clock.connect_timeout() == 1.5
    assert clock.read_timeout() == 7.0
    assert clock.remaining() is None
    assert clock.expired is False
    none = Timeout().start()
    assert none.connect_timeout() is None
    assert none.read_timeout() is None


def test_deadline_bounds_each_operation_by_what_is_left() -> None:
    clock = Timeout(connect=100, read=100, total=5).start()
    connect = clock.connect_timeout()
    read = clock.read_timeout()
    remaining = clock.remaining()
    assert connect is not None and 4.0 < connect <= 5.0
    assert read is not None and 4.0 < read <= 5.0
    assert remaining is not None and 4.0 < remaining <= 5.0
    # A shorter per-operation timeout wins over the remaining total.
    short = Timeout(connect=0.5, read=0.25, total=5).start()
    assert short.connect_timeout() == 0.5
    assert short.read_timeout() == 0.25
    # Only a total: each operation may use what is left.
    only_total = Timeout(total=5).start()
    t = only_total.read_timeout()
    assert t is not None and 4.0 < t <= 5.0


def test_remaining_shrinks_with_time() -> None:
    clock = Timeout(total=10).start()
    first = clock.remaining()
    time.sleep(0.05)
    second = clock.remaining()
    assert first is not None and second is not None
    assert second < first


def test_deadline_raises_once_total_has_passed() -> None:
    clock = Timeout(connect=10, read=10, total=0.05).start()
    time.sleep(0.1)
    assert clock.expired is True
    remaining = clock.remaining()
    assert remaining is not None and remaining < 0
    with pytest.raises(ConnectTimeout, match="Total timeout of 0.05 seconds exceeded"):
        clock.connect_timeout()
    with pytest.raises(ReadTimeout, match="Total timeout of 0.05 seconds exceeded"):
        clock.read_timeout()


def test_deadline_errors_are_caught_as_requests_users_expect() -> None:
    clock = Timeout(total=0.01).start()
    time.sleep(0.03)
    with pytest.raises(TimeoutError_):
        clock.read_timeout()
    # ConnectTimeout is also a ConnectionError (safe to retry), ReadTimeout is not.
    with pytest.raises(ConnectionError):
        clock.connect_timeout()
    try:
        clock.read_timeout()
    except ConnectionError:  # pragma: no cover - would be a hierarchy bug
        pytest.fail("ReadTimeout must not be a ConnectionError")
    except ReadTimeout:
        pass


def test_each_start_is_an_independent_clock() -> None:
    t = Timeout(total=0.05)
    old = t.start()
    time.sleep(0.1)
    fresh = t.start()
    with pytest.raises(ReadTimeout):
        old.read_timeout()
    left = fresh.read_timeout()
    assert left is not None and 0 < left <= 0.05


def test_deadline_timeout_bound_is_generous_but_real() -> None:
    # Loop asking for read timeouts until the deadline fires: it must fire within 1.5x total.
    total = 0.2
    clock = Timeout(total=total).start()
    begin = time.monotonic()
    with pytest.raises(ReadTimeout):
        while True:
            t = clock.read_timeout()
            assert t is not None
            time.sleep(min(t, 0.02))
    assert time.monotonic() - begin < total * 1.5 + 0.1


class _Urllib3ShapedTimeout:
    """The fields of urllib3's Timeout, which requests passes through as ``timeout=``."""

    DEFAULT = object()  # urllib3's "socket default" sentinel

    def __init__(self, connect=DEFAULT, read=DEFAULT, total=None):  # type: ignore[no-untyped-def]
        self._connect = connect
        self._read = read
        self.total = total

    @property
    def read_timeout(self) -> float:
        raise RuntimeError("urllib3 needs a started clock to answer this when total is set")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (_Urllib3ShapedTimeout(), Timeout()),
        (_Urllib3ShapedTimeout(connect=None, read=None), Timeout()),
        (_Urllib3ShapedTimeout(connect=0.1, read=0.2), Timeout(connect=0.1, read=0.2)),
        (_Urllib3ShapedTimeout(total=3), Timeout(total=3)),
        (_Urllib3ShapedTimeout(connect=2, total=5), Timeout(connect=2, total=5)),
    ],
)
def test_urllib3_shaped_timeout_is_read_field_by_field(
    given: _Urllib3ShapedTimeout, expected: Timeout
) -> None:
    assert Timeout.from_value(given) == expected


def test_urllib3_shaped_timeout_with_bad_values_is_refused() -> None:
    with pytest.raises(ValueError):
        Timeout.from_value(_Urllib3ShapedTimeout(connect=-1))


def test_urllib3_shaped_read_timeout_applies(raw_server) -> None:  # type: ignore[no-untyped-def]
    import httpcore_lite as requests
    from tests.servers.raw import read_request, wait_closed

    def handler(sock):  # type: ignore[no-untyped-def]
        read_request(sock)
        wait_closed(sock)

    srv = raw_server(handler)
    with pytest.raises(ReadTimeout, match=r"read timeout=0\.3"):
        requests.get(srv.url, timeout=_Urllib3ShapedTimeout(connect=2, read=0.3))
