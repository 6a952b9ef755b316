"""Tests of ``codes`` (requests' whole table) and the hook dispatcher."""

from __future__ import annotations

import pytest

from httpcore_lite import hooks, status_codes
from httpcore_lite.status_codes import codes


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("continue", 100),
        ("early-hints", 102),
        ("checkpoint", 103),
        ("request_uri_too_long", 122),
        ("ok", 200),
        ("OK", 200),
        ("okay", 200),
        ("all_good", 200),
        ("\\o/", 200),
        ("\u2713", 200),
        ("multiple_stati", 207),
        ("im_used", 226),
        ("moved", 301),
        ("\\o-", 301),
        ("other", 303),
        ("temporary_moved", 307),
        ("resume_incomplete", 308),
        ("RESUME", 308),
        ("bad", 400),
        ("-o-", 404),
        ("NOT_FOUND", 404),
        ("proxy_auth", 407),
        ("timeout", 408),
        ("content_too_large", 413),
        ("uri_too_long", 414),  # 414 comes after 122, so it wins
        ("media_type", 415),
        ("range_not_satisfiable", 416),
        ("teapot", 418),
        ("i_am_a_teapot", 418),
        ("IM_A_TEAPOT", 418),
        ("misdirected_request", 421),
        ("unprocessable_content", 422),
        ("too_early", 425),
        ("precondition", 428),  # shared with 412; the later code wins as in requests
        ("too_many", 429),
        ("fields_too_large", 431),
        ("none", 444),
        ("retry", 449),
        ("parental_controls", 450),
        ("legal_reasons", 451),
        ("client_closed_request", 499),
        ("/o\\", 500),
        ("\u2717", 500),
        ("server_error", 500),
        ("http_version", 505),
        ("bandwidth", 509),
        ("network_authentication", 511),
    ],
)
def test_codes_names(name: str, code: int) -> None:
    assert codes[name] == code
    assert getattr(codes, name) == code
    assert codes.get(name) == code


def test_codes_every_table_name_present_with_upper_case() -> None:
    count = 0
    for titles in status_codes._codes.values():
        for title in titles:
            assert codes[title] is not None
            count += 1
            if not title.startswith(("\\", "/")):
                assert codes[title.upper()] is not None
    # 126 names in requests' table (two shared by two codes), 243 distinct attributes with the
    # upper-case twins.
    assert count == 126
    assert len([k for k in vars(codes) if k != "name"]) == 243


def test_codes_unknown_and_repr() -> None:
    assert codes["no_such_status"] is None
    assert codes.get("no_such_status", 7) == 7
    assert repr(codes) == "<lookup 'status_codes'>"
    with pytest.raises(AttributeError):
        codes.no_such_status  # noqa: B018


def test_codes_symbol_names_have_no_upper_twin() -> None:
    assert codes["\\O/"] is None
    assert codes["/O\\"] is None


def test_status_codes_docstring_lists_table() -> None:
    doc = status_codes.__doc__
    assert doc is not None
    assert "* 200: ``ok``, ``okay``, ``all_ok``, ``all_okay``, ``all_good``, ``\\o/``" in doc
    assert "* 418: ``im_a_teapot``, ``teapot``, ``i_am_a_teapot``" in doc
    assert doc.count("\n* ") == len(status_codes._codes)


def test_hooks_default() -> None:
    assert hooks.HOOKS == ["response"]
    first = hooks.default_hooks()
    assert first == {"response": []}
    first["response"].append(print)
    assert hooks.default_hooks() == {"response": []}


def test_dispatch_hook_chain_and_kwargs() -> None:
    seen: list[tuple[object, dict[str, object]]] = []

    def record(data: object, **kwargs: object) -> None:
        seen.append((data, kwargs))

    def replace(data: object, **kwargs: object) -> object:
        return f"{data}!"

    result = hooks.dispatch_hook(
        "response", {"response": [record, replace, record]}, "r", timeout=3
    )
    assert result == "r!"
    assert seen == [("r", {"timeout": 3}), ("r!", {"timeout": 3})]


def test_dispatch_hook_single_callable_and_missing() -> None:
    assert hooks.dispatch_hook("response", {"response": lambda d: d * 2}, 4) == 8
    assert hooks.dispatch_hook("response", None, 4) == 4
    assert hooks.dispatch_hook("response", {}, 4) == 4
    assert hooks.dispatch_hook("other", {"response": [lambda d: 0]}, 4) == 4
