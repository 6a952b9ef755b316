"""CaseInsensitiveDict and LookupDict: the behaviour requests users rely on."""

from __future__ import annotations

import pickle

import pytest

from httpcore_lite.structures import CaseInsensitiveDict, LookupDict


def test_lookup_ignores_case_but_keeps_last_spelling() -> None:
    d = CaseInsensitiveDict({"Content-Type": "text/plain"})
    assert d["content-type"] == "text/plain"
    assert "CONTENT-TYPE" in d
    d["CONTENT-type"] = "application/json"
    assert list(d) == ["CONTENT-type"]
    assert len(d) == 1
    assert d.get("content-TYPE") == "application/json"
    assert d.get("missing", "x") == "x"


def test_insertion_order_kept() -> None:
    d = CaseInsensitiveDict()
    for name in ("b", "A", "c"):
        d[name] = name
    assert list(d) == ["b", "A", "c"]
    assert list(d.lower_items()) == [("b", "b"), ("a", "A"), ("c", "c")]


def test_equality_is_case_insensitive_and_against_plain_mappings() -> None:
    d = CaseInsensitiveDict({"Accept": "*/*"})
    assert d == {"accept": "*/*"}
    assert d == CaseInsensitiveDict({"ACCEPT": "*/*"})
    assert d != {"accept": "text/html"}
    assert d != ["accept"]


def test_delete_and_contains_non_str() -> None:
    d = CaseInsensitiveDict(a=1)
    del d["A"]
    assert "a" not in d
    assert 1 not in d
    with pytest.raises(KeyError):
        del d["a"]


def test_fields_and_lower_keys_are_live_views() -> None:
    d = CaseInsensitiveDict({"Content-Type": "a", "X-One": "1"})
    fields, lower = d.fields(), d.lower_keys()
    assert list(fields) == [("Content-Type", "a"), ("X-One", "1")]
    assert "content-type" in lower and "Content-Type" not in lower
    d["content-TYPE"] = "b"
    del d["x-one"]
    assert list(fields) == [("content-TYPE", "b")]
    assert list(lower) == ["content-type"]


def test_copy_is_independent() -> None:
    d = CaseInsensitiveDict({"X": "1"})
    c = d.copy()
    c["x"] = "2"
    assert d["x"] == "1" and c["X"] == "2"
    assert type(c) is CaseInsensitiveDict


def test_pickle_round_trip_keeps_case() -> None:
    d = CaseInsensitiveDict({"X-Thing": "1", "y": "2"})
    back = pickle.loads(pickle.dumps(d))
    assert list(back) == ["X-Thing", "y"]
    assert back["x-thing"] == "1"


def test_repr_and_unhashable() -> None:
    d = CaseInsensitiveDict({"A": "1"})
    assert repr(d) == "{'A': '1'}"
    with pytest.raises(TypeError):
        hash(d)


def test_lookup_dict_attributes_and_missing() -> None:
    ld = LookupDict(name="things")
    ld.answer = 42  # type: ignore[attr-defined]
    assert ld["answer"] == 42
    assert ld["nope"] is None
    assert ld.get("nope", 1) == 1
    assert repr(ld) == "<lookup 'things'>"


def test_from_fields_joins_repeated_names_under_first_spelling() -> None:
    d = CaseInsensitiveDict.from_fields(
        [("Set-Cookie", "a=1"), ("Content-Type", "text/plain"), ("set-cookie", "b=2")]
    )
    assert list(d) == ["Set-Cookie", "Content-Type"]
    assert d["SET-COOKIE"] == "a=1, b=2"
    assert type(d) is CaseInsensitiveDict
    assert CaseInsensitiveDict.from_fields([]) == {}
