"""The bounded-cache helper shared by the module-level caches."""

from __future__ import annotations

from httpcore_lite import _env, _headers, models
from httpcore_lite._cache import remember


def test_remember_stores_and_returns_the_value() -> None:
    cache: dict[str, int] = {}
    assert remember(cache, "a", 1, limit=3) == 1
    assert cache == {"a": 1}


def test_remember_empties_a_full_cache_before_storing() -> None:
    cache = {"a": 1, "b": 2}
    remember(cache, "c", 3, limit=3)
    assert cache == {"a": 1, "b": 2, "c": 3}
    remember(cache, "d", 4, limit=3)
    assert cache == {"d": 4}


def test_module_caches_stay_bounded() -> None:
    # Each cache, fed more distinct inputs than its limit, never grows past it.
    for i in range(600):
        models.PreparedRequest().prepare_url(f"http://bounded.test/{i}", None)
    assert 0 < len(models._PREPARED_URLS) <= models._PREPARED_URLS_MAX
    for i in range(300):
        _headers.get_encoding_from_headers({"content-type": f"text/x-{i}; charset=utf-8"})
    assert 0 < len(_headers._ENCODING_BY_TYPE) <= 256
    assert len(_env._decoded_values) <= 64
