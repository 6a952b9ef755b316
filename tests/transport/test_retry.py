"""Retry: urllib3-compatible counters, method rules, Retry-After, backoff, from_int and repr."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest

from httpcore_lite.exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ConnectTimeout,
    ContentDecodingError,
    InvalidHeader,
    NewConnectionError,
    ProxyError,
    ReadTimeout,
    RetryError,
    SSLError,
    TooManyRedirects,
)
from httpcore_lite.structures import CaseInsensitiveDict
from httpcore_lite.transport import retry as retry_module
from httpcore_lite.transport.retry import RequestHistory, Retry

URL = "http://127.0.0.1/path"


class FakeResponse:
    """The two response shapes Retry sees: models.Response (status_code) and raw (status)."""

    def __init__(self, status: int, headers: dict[str, str] | None = None, raw: bool = False):
        self.headers = CaseInsensitiveDict(headers or {})
        if raw:
            self.status = status
        else:
            self.status_code = status

    def __bool__(self) -> bool:
        # Like requests' Response: falsy for error statuses. Retry must not care.
        return getattr(self, "status_code", 200) < 400


# --- construction -------------------------------------------------------------------------------


def test_defaults_match_urllib3() -> None:
    r = Retry()
    assert (r.total, r.connect, r.read, r.redirect, r.status, r.other) == (
        10,
        None,
        None,
        None,
        None,
        None,
    )
    assert r.allowed_methods == frozenset({"HEAD", "GET", "PUT", "DELETE", "OPTIONS", "TRACE"})
    assert Retry.DEFAULT_ALLOWED_METHODS == r.allowed_methods
    assert Retry.RETRY_AFTER_STATUS_CODES == frozenset({413, 429, 503})
    assert Retry.DEFAULT_REMOVE_HEADERS_ON_REDIRECT == frozenset(
        {"Cookie", "Authorization", "Proxy-Authorization"}
    )
    assert r.remove_headers_on_redirect == frozenset(
        {"cookie", "authorization", "proxy-authorization"}
    )
    assert r.status_forcelist == frozenset()
    assert (r.backoff_factor, r.backoff_max, r.backoff_jitter) == (0, 120, 0.0)
    assert r.raise_on_redirect is True and r.raise_on_status is True
    assert r.respect_retry_after_header is True
    assert r.history == ()
    assert Retry.DEFAULT.total == 3


@pytest.mark.parametrize(
    ("kwargs", "redirect", "raise_on_redirect"),
    [
        ({"redirect": False}, 0, False),
        ({"total": False}, 0, False),
        ({"redirect": 5}, 5, True),
        ({"redirect": None}, None, True),
    ],
)
def test_redirect_false_means_hand_back(
    kwargs: dict[str, Any], redirect: int | None, raise_on_redirect: bool
) -> None:
    r = Retry(**kwargs)
    assert r.redirect == redirect
    assert r.raise_on_redirect is raise_on_redirect


@pytest.mark.parametrize(
    ("retry", "expected"),
    [
        (Retry(3), "Retry(total=3, connect=None, read=None, redirect=None, status=None)"),
        (
            Retry(0, read=False),
            "Retry(total=0, connect=None, read=False, redirect=None, status=None)",
        ),
        (
            Retry(total=5, connect=1, read=2, redirect=3, status=4),
            "Retry(total=5, connect=1, read=2, redirect=3, status=4)",
        ),
        (Retry(False), "Retry(total=False, connect=None, read=None, redirect=0, status=None)"),
    ],
)
def test_repr(retry: Retry, expected: str) -> None:
    assert repr(retry) == expected


def test_new_copies_everything_and_applies_changes() -> None:
    r = Retry(
        total=4,
        connect=3,
        read=2,
        redirect=1,
        status=5,
        other=6,
        allowed_methods=["POST"],
        status_forcelist=[500],
        backoff_factor=0.5,
        backoff_max=7,
        backoff_jitter=0.25,
        raise_on_redirect=False,
        raise_on_status=False,
        respect_retry_after_header=False,
        remove_headers_on_redirect=["X-Secret"],
        retry_after_max=60,
    )
    n = r.new()
    assert n is not r
    for name in vars(r):
        assert getattr(n, name) == getattr(r, name), name
    changed = r.new(total=9, status_forcelist=[502])
    assert changed.total == 9 and changed.status_forcelist == [502]
    assert changed.connect == 3 and r.total == 4


# --- from_int -----------------------------------------------------------------------------------


def test_from_int() -> None:
    r = Retry.from_int(5)
    assert (r.total, r.redirect) == (5, None)
    no_redirect = Retry.from_int(5, redirect=False)
    assert (no_redirect.total, no_redirect.redirect, no_redirect.raise_on_redirect) == (
        5,
        0,
        False,
    )
    existing = Retry(2)
    assert Retry.from_int(existing) is existing
    assert Retry.from_int(None) is Retry.DEFAULT
    assert Retry.from_int(None, default=existing) is existing
    assert Retry.from_int(None, default=7).total == 7
    assert Retry.from_int(0).total == 0
    disabled = Retry.from_int(False)
    assert disabled.total is False and disabled.redirect == 0


# --- exhaustion ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "exhausted"),
    [
        ({}, False),
        ({"total": 0}, False),
        ({"total": -1}, True),
        ({"total": None}, False),
        ({"total": None, "connect": -1}, True),
        ({"total": 5, "read": -1}, True),
        ({"total": 5, "redirect": -1}, True),
        ({"total": 5, "status": -1}, True),
        ({"total": 5, "other": -1}, True),
        ({"total": False}, False),
        ({"total": 0, "read": False, "connect": 0}, False),
    ],
)
def test_is_exhausted(kwargs: dict[str, Any], exhausted: bool) -> None:
    assert Retry(**kwargs).is_exhausted() is exhausted


# --- error classification -----------------------------------------------------------------------

CONNECT_ERRORS = [ConnectTimeout("c"), NewConnectionError("refused"), ProxyError("tunnel")]
READ_ERRORS = [ReadTimeout("r"), ChunkedEncodingError("c"), ConnectionError("reset"), SSLError("s")]
OTHER_ERRORS = [ContentDecodingError("bad gzip"), ValueError("x"), OSError("y")]


@pytest.mark.parametrize("error", CONNECT_ERRORS)
def test_connect_errors(error: Exception) -> None:
    r = Retry()
    assert r.is_connect_error(error) and not r.is_read_error(error)


@pytest.mark.parametrize("error", READ_ERRORS)
def test_read_errors(error: Exception) -> None:
    r = Retry()
    assert r.is_read_error(error) and not r.is_connect_error(error)


@pytest.mark.parametrize("error", OTHER_ERRORS)
def test_other_errors(error: Exception) -> None:
    r = Retry()
    assert not r.is_read_error(error) and not r.is_connect_error(error)


# --- increment with errors ----------------------------------------------------------------------


@pytest.mark.parametrize("error", CONNECT_ERRORS)
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", None])
def test_connect_errors_are_retried_for_any_method(error: Exception, method: str | None) -> None:
    r = Retry(total=3, connect=2).increment(method, URL, error=error)
    assert (r.total, r.connect, r.read, r.other) == (2, 1, None, None)
    assert r.history == (RequestHistory(method, URL, error, None, None),)


@pytest.mark.parametrize("error", READ_ERRORS)
def test_read_errors_retried_for_allowed_methods_only(error: Exception) -> None:
    r = Retry(total=3, read=2).increment("get", URL, error=error)  # case-insensitive
    assert (r.total, r.read, r.connect) == (2, 1, None)
    for method in ("POST", "PATCH", None):
        with pytest.raises(type(error)) as info:
            Retry(total=3, read=2).increment(method, URL, error=error)
        assert info.value is error  # the very object, unchanged


def test_read_errors_for_any_method_when_allowed_methods_none_or_empty() -> None:
    empty: frozenset[str] = frozenset()
    for allowed in (None, empty):
        r = Retry(3, allowed_methods=allowed).increment("POST", URL, error=ReadTimeout("r"))
        assert r.total == 2
    custom = Retry(3, allowed_methods=["POST"])
    assert custom.increment("POST", URL, error=ReadTimeout("r")).total == 2
    with pytest.raises(ReadTimeout):
        custom.increment("GET", URL, error=ReadTimeout("r"))


@pytest.mark.parametrize("error", OTHER_ERRORS)
def test_other_errors_count_against_other(error: Exception) -> None:
    r = Retry(total=3, other=1).increment("POST", URL, error=error)
    assert (r.total, r.other, r.read, r.connect) == (2, 0, None, None)
    with pytest.raises(type(error)) as info:
        r.increment("POST", URL, error=error)
    assert info.value is error


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"read": False}, ReadTimeout("r")),
        ({"connect": False}, ConnectTimeout("c")),
        ({"total": False}, ConnectTimeout("c")),
        ({"total": False}, ContentDecodingError("d")),
        ({"total": 0}, NewConnectionError("n")),
        ({"total": 0}, ReadTimeout("r")),
        ({"total": 5, "connect": 0}, ConnectTimeout("c")),
        ({"total": 5, "read": 0}, ChunkedEncodingError("c")),
        ({"total": None, "other": 0}, ValueError("v")),
    ],
)
def test_no_retry_left_reraises_the_error_itself(kwargs: dict[str, Any], error: Exception) -> None:
    with pytest.raises(type(error)) as info:
        Retry(**kwargs).increment("GET", URL, error=error)
    assert info.value is error


def test_adapter_default_retries_nothing() -> None:
    # requests' HTTPAdapter(max_retries=0) is Retry(0, read=False).
    r = Retry(0, read=False)
    for error in (ConnectTimeout("c"), NewConnectionError("n"), ReadTimeout("r")):
        with pytest.raises(type(error)):
            r.increment("GET", URL, error=error)


def test_counts_down_to_exhaustion() -> None:
    r = Retry(total=3)
    errors = [NewConnectionError(str(i)) for i in range(4)]
    for i, error in enumerate(errors[:3]):
        r = r.increment("GET", URL, error=error)
        assert r.total == 2 - i
    assert len(r.history) == 3
    assert [h.error for h in r.history] == errors[:3]
    with pytest.raises(NewConnectionError) as info:
        r.increment("GET", URL, error=errors[3])
    assert info.value is errors[3]


def test_total_none_uses_per_kind_counters() -> None:
    r = Retry(total=None, connect=1, read=1)
    r = r.increment("GET", URL, error=ConnectTimeout("c"))
    r = r.increment("GET", URL, error=ReadTimeout("r"))
    assert (r.total, r.connect, r.read) == (None, 0, 0)
    with pytest.raises(ConnectTimeout):
        r.increment("GET", URL, error=ConnectTimeout("c"))
    with pytest.raises(ReadTimeout):
        r.increment("GET", URL, error=ReadTimeout("r"))


def test_increment_does_not_change_the_original() -> None:
    r = Retry(3)
    r.increment("GET", URL, error=ConnectTimeout("c"))
    assert r.total == 3 and r.history == ()


# --- increment with responses -------------------------------------------------------------------


@pytest.mark.parametrize("raw", [False, True])
def test_status_retry_counts_and_records(raw: bool) -> None:
    response = FakeResponse(503, raw=raw)
    r = Retry(total=5, status=2).increment("GET", URL, response=response)
    assert (r.total, r.status) == (4, 1)
    assert r.history == (RequestHistory("GET", URL, None, 503, None),)


def test_status_exhausted_raises_retry_error_with_urllib3_message() -> None:
    response = FakeResponse(503)
    r = Retry(total=1, status_forcelist=[503]).increment("GET", URL, response=response)
    with pytest.raises(RetryError) as info:
        r.increment("GET", URL, response=response)
    assert str(info.value) == (
        f"Max retries exceeded with url: {URL} "
        "(Caused by ResponseError('too many 503 error responses'))"
    )
    assert info.value.response is response


def test_status_counter_exhausted_before_total() -> None:
    r = Retry(total=10, status=0)
    with pytest.raises(RetryError, match="too many 500 error responses"):
        r.increment("GET", URL, response=FakeResponse(500))


def test_exhausted_without_response_is_generic() -> None:
    with pytest.raises(RetryError, match=r"ResponseError\('too many error responses'\)"):
        Retry(0).increment("GET", URL)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_counts_and_records_location(status: int) -> None:
    response = FakeResponse(status, {"location": "/next"})
    r = Retry(total=5, redirect=2).increment("GET", URL, response=response)
    assert (r.total, r.redirect, r.status) == (4, 1, None)
    assert r.history == (RequestHistory("GET", URL, None, status, "/next"),)


def test_redirect_status_without_location_is_a_status_retry() -> None:
    r = Retry(total=5, redirect=2, status=3).increment("GET", URL, response=FakeResponse(302))
    assert (r.redirect, r.status) == (2, 2)


def test_redirects_exhausted_raise_too_many_redirects() -> None:
    response = FakeResponse(302, {"Location": "http://127.0.0.1/loop"})
    r = Retry(total=10, redirect=1).increment("GET", URL, response=response)
    with pytest.raises(TooManyRedirects) as info:
        r.increment("GET", URL, response=response)
    assert "too many redirects" in str(info.value)
    assert info.value.response is response
    # redirect=False: raise_on_redirect is off; the caller returns the response it carries.
    no_follow = Retry(3, redirect=False)
    with pytest.raises(TooManyRedirects):
        no_follow.increment("GET", URL, response=response)
    assert no_follow.raise_on_redirect is False


def test_urllib3_style_redirect_getter_is_used() -> None:
    class Urllib3Like:
        status = 307
        headers: dict[str, str] = {}

        def get_redirect_location(self) -> str | bool:
            return "/elsewhere"

    r = Retry(3).increment("GET", URL, response=Urllib3Like())
    assert r.history[-1].redirect_location == "/elsewhere"


# --- is_retry -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "method", "status", "has_retry_after", "expected"),
    [
        ({"status_forcelist": [500, 502]}, "GET", 500, False, True),
        ({"status_forcelist": [500, 502]}, "get", 502, False, True),
        ({"status_forcelist": [500, 502]}, "GET", 503, False, False),
        ({"status_forcelist": [500]}, "POST", 500, False, False),
        ({"status_forcelist": [500], "allowed_methods": None}, "POST", 500, False, True),
        ({"status_forcelist": [500], "allowed_methods": ["POST"]}, "POST", 500, False, True),
        ({"status_forcelist": [500], "allowed_methods": ["POST"]}, "GET", 500, False, False),
        ({}, "GET", 503, True, True),
        ({}, "GET", 429, True, True),
        ({}, "GET", 413, True, True),
        ({}, "GET", 503, False, False),
        ({}, "GET", 500, True, False),
        ({}, "POST", 503, True, False),
        ({"respect_retry_after_header": False}, "GET", 503, True, False),
        ({"total": 0}, "GET", 503, True, False),
        ({"total": 0, "status_forcelist": [503]}, "GET", 503, False, True),
        ({"status_forcelist": []}, "GET", 200, False, False),
    ],
)
def test_is_retry(
    kwargs: dict[str, Any], method: str, status: int, has_retry_after: bool, expected: bool
) -> None:
    assert Retry(**kwargs).is_retry(method, status, has_retry_after) is expected


# --- Retry-After --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), ("1", 1), ("120", 120), ("  7 ", 7), ("99999999", 21600)],
)
def test_parse_retry_after_seconds(value: str, expected: float) -> None:
    assert Retry().parse_retry_after(value) == expected


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "1.5", "5s", "Fri, 31 Foo 2099 25:00:00", "soon"]
)
def test_parse_retry_after_rejects_bad_values(value: str) -> None:
    with pytest.raises(InvalidHeader, match="Invalid Retry-After header"):
        Retry().parse_retry_after(value)


def test_parse_retry_after_http_dates() -> None:
    r = Retry()
    future = email.utils.formatdate(time.time() + 100, usegmt=True)
    assert 90 <= r.parse_retry_after(future) <= 100
    # Without a zone the date is GMT, not local time.
    zoneless = time.strftime("%a, %d %b %Y %H:%M:%S", time.gmtime(time.time() + 100))
    assert 90 <= r.parse_retry_after(zoneless) <= 100
    assert r.parse_retry_after("Fri, 31 Dec 1999 23:59:59 GMT") == 0  # the past: no wait
    far = email.utils.formatdate(time.time() + 10**6, usegmt=True)
    assert r.parse_retry_after(far) == 21600
    assert Retry(retry_after_max=50).parse_retry_after(far) == 50


def test_get_retry_after() -> None:
    r = Retry()
    assert r.get_retry_after(FakeResponse(503)) is None
    assert r.get_retry_after(FakeResponse(503, {"retry-after": "3"})) == 3
    assert r.get_retry_after(FakeResponse(429, {"Retry-After": "4"}, raw=True)) == 4
    with pytest.raises(InvalidHeader):
        r.get_retry_after(FakeResponse(503, {"Retry-After": "later"}))


# --- backoff ------------------------------------------------------------------------------------


def _with_errors(retry: Retry, count: int) -> Retry:
    for _ in range(count):
        retry = retry.increment("GET", URL, error=ConnectTimeout("c"))
    return retry


@pytest.mark.parametrize(
    ("errors", "factor", "backoff_max", "expected"),
    [
        (0, 1, 120, 0),
        (1, 1, 120, 0),
        (2, 1, 120, 2),
        (3, 1, 120, 4),
        (4, 1, 120, 8),
        (5, 0.5, 120, 8),
        (3, 0, 120, 0),
        (8, 1, 120, 120),
        (8, 1, 10, 10),
        (20, 10, 120, 120),
    ],
)
def test_backoff_values(errors: int, factor: float, backoff_max: float, expected: float) -> None:
    r = _with_errors(Retry(total=50, backoff_factor=factor, backoff_max=backoff_max), errors)
    assert r.get_backoff_time() == expected


def test_backoff_jitter_bounds() -> None:
    r = _with_errors(Retry(total=50, backoff_factor=1, backoff_jitter=0.5), 3)
    values = {r.get_backoff_time() for _ in range(300)}
    assert all(4 <= v <= 4.5 for v in values)
    assert len(values) > 10  # really random
    capped = _with_errors(Retry(total=50, backoff_factor=1, backoff_jitter=5, backoff_max=6), 3)
    assert all(4 <= capped.get_backoff_time() <= 6 for _ in range(300))


def test_backoff_counts_only_failures_since_the_last_redirect() -> None:
    r = _with_errors(Retry(total=50, backoff_factor=1), 3)
    assert r.get_backoff_time() == 4
    r = r.increment("GET", URL, response=FakeResponse(301, {"Location": "/x"}))
    assert r.get_backoff_time() == 0
    r = _with_errors(r, 2)
    assert r.get_backoff_time() == 2


# --- sleeping -----------------------------------------------------------------------------------


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    calls: list[float] = []
    monkeypatch.setattr(retry_module.time, "sleep", calls.append)
    return calls


def test_sleep_prefers_retry_after_even_for_falsy_responses(slept: list[float]) -> None:
    r = _with_errors(Retry(total=50, backoff_factor=1), 3)
    r.sleep(FakeResponse(503, {"Retry-After": "7"}))  # a 503 Response is falsy
    assert slept == [7]


def test_sleep_falls_back_to_backoff(slept: list[float]) -> None:
    r = _with_errors(Retry(total=50, backoff_factor=1), 3)
    r.sleep()
    r.sleep(FakeResponse(503))
    r.sleep(FakeResponse(503, {"Retry-After": "0"}))
    assert slept == [4, 4, 4]


def test_sleep_ignores_retry_after_when_told(slept: list[float]) -> None:
    r = _with_errors(Retry(total=50, backoff_factor=1, respect_retry_after_header=False), 2)
    r.sleep(FakeResponse(503, {"Retry-After": "30"}))
    assert slept == [2]


def test_no_backoff_no_sleep(slept: list[float]) -> None:
    Retry().sleep()
    _with_errors(Retry(), 1).sleep()
    assert slept == []


def test_sleep_for_retry(slept: list[float]) -> None:
    r = Retry()
    assert r.sleep_for_retry(FakeResponse(429, {"Retry-After": "2"})) is True
    assert r.sleep_for_retry(FakeResponse(429)) is False
    assert slept == [2]


def test_get_sleep_time_matches_sleep(slept: list[float]) -> None:
    r = _with_errors(Retry(total=50, backoff_factor=0.5), 3)
    assert r.get_sleep_time() == 2
    assert r.get_sleep_time(FakeResponse(503, {"Retry-After": "9"})) == 9
    assert (
        r.new(respect_retry_after_header=False).get_sleep_time(
            FakeResponse(503, {"Retry-After": "9"})
        )
        == 2
    )


def test_real_sleep_is_short_with_small_backoff() -> None:
    r = _with_errors(Retry(total=50, backoff_factor=0.01), 2)
    start = time.monotonic()
    r.sleep()
    elapsed = time.monotonic() - start
    assert 0.015 <= elapsed < 1.0
