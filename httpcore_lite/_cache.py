"""
Bounded module-level caches.

Several pure functions on the hot path keep their answers in a plain dict keyed by their input
(a URL, a header pair, a Content-Type): a client sees the same few inputs over and over. Each
cache is bounded the same way: when full, it is emptied and refills with what is in use. That
is cheaper than LRU bookkeeping on every hit, which is what these caches exist to make fast; only
a miss calls :func:`remember`.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["remember"]

K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store ``key -> value`` in ``cache``, emptying it first if it holds ``limit`` entries.

    Returns ``value``, so a miss reads ``return remember(cache, key, compute(key), LIMIT)``.
    """
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value
