"""
The hook system: user callables run at fixed points of a request's life.

Only one event exists, as in requests:

``response``
    called with the :class:`~httpcore_lite.models.Response` a request produced (and the
    keyword arguments of ``send``); a hook may return a replacement response.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["HOOKS", "default_hooks", "dispatch_hook"]

HOOKS: list[str] = ["response"]


def default_hooks() -> dict[str, list[Callable[..., Any]]]:
    """A fresh hooks mapping: one empty list per event (fresh so callers may append to it)."""
    if len(HOOKS) == 1:
        # Twice per request (Request and PreparedRequest): a literal costs less than a
        # comprehension, and reads HOOKS all the same.
        return {HOOKS[0]: []}
    return {event: [] for event in HOOKS}


def dispatch_hook(
    key: str,
    hooks: dict[str, Any] | None,
    hook_data: Any,
    **kwargs: Any,
) -> Any:
    """Run every hook registered for ``key`` on ``hook_data`` and return the result.

    A hook that returns something other than ``None`` replaces ``hook_data`` for the hooks after
    it, so hooks can chain (one may wrap or swap the response). ``hooks[key]`` may be a single
    callable or a list of them, as users write either.
    """
    hooks = hooks or {}
    handlers = hooks.get(key)
    if handlers:
        if callable(handlers):
            handlers = [handlers]
        for hook in handlers:
            _hook_data = hook(hook_data, **kwargs)
            if _hook_data is not None:
                hook_data = _hook_data
    return hook_data
