"""The exception hierarchy: requests' shape, so existing except clauses keep working."""

from __future__ import annotations

import json
import pickle

import pytest

from httpcore_lite import exceptions as exc


@pytest.mark.parametrize(
    ("child", "parents"),
    [
        (exc.ConnectTimeout, (exc.ConnectionError, exc.Timeout)),
        (exc.ReadTimeout, (exc.Timeout,)),
        (exc.ProxyError, (exc.ConnectionError,)),
        (exc.SSLError, (exc.ConnectionError,)),
        (exc.NewConnectionError, (exc.ConnectionError,)),
        (exc.InvalidProxyURL, (exc.InvalidURL, ValueError)),
        (exc.MissingSchema, (exc.RequestException, ValueError)),
        (exc.InvalidSchema, (exc.RequestException, ValueError)),
        (exc.InvalidHeader, (exc.RequestException, ValueError)),
        (exc.StreamConsumedError, (exc.RequestException, TypeError)),
        (exc.JSONDecodeError, (exc.InvalidJSONError, json.JSONDecodeError, ValueError)),
        (exc.RequestException, (IOError, OSError)),
        (exc.FileModeWarning, (exc.RequestsWarning, DeprecationWarning)),
        (exc.InsecureRequestWarning, (exc.RequestsWarning, Warning)),
    ],
)
def test_hierarchy(child: type, parents: tuple[type, ...]) -> None:
    for parent in parents:
        assert issubclass(child, parent)


def test_request_taken_from_response() -> None:
    class FakeResponse:
        request = "the request"

    e = exc.HTTPError("boom", response=FakeResponse())
    assert e.request == "the request"
    assert str(e) == "boom"
    explicit = exc.HTTPError("boom", request="mine", response=FakeResponse())
    assert explicit.request == "mine"


def test_json_decode_error_is_both_kinds_and_pickles() -> None:
    e = exc.JSONDecodeError("Expecting value", "not json", 0)
    assert e.msg == "Expecting value" and e.doc == "not json" and e.pos == 0
    assert isinstance(e, exc.RequestException)
    back = pickle.loads(pickle.dumps(e))
    assert isinstance(back, exc.JSONDecodeError)
    assert back.doc == "not json"
