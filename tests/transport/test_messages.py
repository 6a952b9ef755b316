"""Error messages that name the pool they came from (transport/messages.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from httpcore_lite import exceptions
from httpcore_lite.transport.messages import name_origin, pool_label

POOL = SimpleNamespace(scheme="https", host="api.example", port=8443)
LABEL = "HTTPSConnectionPool(host='api.example', port=8443)"


def test_pool_label() -> None:
    assert pool_label("https", "api.example", 8443) == LABEL
    assert pool_label("http", "::1", 80) == "HTTPConnectionPool(host='::1', port=80)"


@pytest.mark.parametrize(
    "exc",
    [
        exceptions.ConnectTimeout("Connection to api.example timed out. (connect timeout=1)"),
        exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
        exceptions.ConnectionError("Remote end closed connection without response"),
    ],
)
def test_named_errors_start_with_the_pool(exc: exceptions.RequestException) -> None:
    message = str(exc)
    name_origin(exc, POOL)
    assert exc.args == (f"{LABEL}: {message}",)
    name_origin(exc, POOL)  # a second time changes nothing
    assert exc.args == (f"{LABEL}: {message}",)


def test_read_timeout_first_argument_is_an_exception_with_the_message() -> None:
    exc = exceptions.ReadTimeout("Read timed out. (read timeout=2)")
    name_origin(exc, POOL)
    assert isinstance(exc.args[0], TimeoutError)
    assert exc.args[0].args[0] == f"{LABEL}: Read timed out. (read timeout=2)"
    assert str(exc) == f"{LABEL}: Read timed out. (read timeout=2)"
    name_origin(exc, POOL)
    assert str(exc) == f"{LABEL}: Read timed out. (read timeout=2)"


@pytest.mark.parametrize(
    "exc",
    [
        exceptions.NewConnectionError("Failed to establish a new connection to api.example:8443"),
        exceptions.ProxyError("Unable to connect to proxy proxy.test:3128"),
        exceptions.ChunkedEncodingError("Response body ended early"),
        exceptions.InvalidHeader("bad header"),
        ValueError("not ours"),
        None,
    ],
)
def test_other_errors_are_left_alone(exc: BaseException | None) -> None:
    before = None if exc is None else exc.args
    name_origin(exc, POOL)
    assert (None if exc is None else exc.args) == before


def test_no_pool_no_name() -> None:
    exc = exceptions.ReadTimeout("Read timed out.")
    name_origin(exc, None)
    assert exc.args == ("Read timed out.",)
