"""
Data structures used across the package: the case-insensitive header mapping and the lookup
dictionary behind ``codes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, KeysView, Mapping, MutableMapping, ValuesView
from typing import Any, Optional, TypeVar, Union, overload

_VT = TypeVar("_VT")
_T = TypeVar("_T")


class CaseInsensitiveDict(MutableMapping[str, _VT]):
    """A case-insensitive ``dict``-like object, as HTTP header names are case-insensitive.

    Keys keep the case they were last set with (``list(d)`` shows it), while lookup, ``in`` and
    ``==`` ignore case. Insertion order is kept, so headers go on the wire in the order the user
    gave them.

    Generic in its value type for type checkers (``Response.headers`` is a
    ``CaseInsensitiveDict[str]``). The generic base costs nothing at run time: subclassing
    ``MutableMapping[str, _VT]`` makes the very same class as subclassing ``MutableMapping``, and
    ``CaseInsensitiveDict[str]`` works at run time through the ABC's ``__class_getitem__``.
    """

    __slots__ = ("_store",)

    # The store maps each lowercased name to (name as last set, value). A plain dict: it keeps
    # insertion order as OrderedDict does, and is created, filled and copied for less on every
    # request (prepared headers, response headers); nothing here needs OrderedDict's extras.

    def __init__(
        self,
        data: Union[Mapping[str, _VT], Iterable[tuple[str, _VT]], None] = None,
        **kwargs: _VT,
    ) -> None:
        self._store: dict[str, tuple[str, _VT]] = {}
        # Most mappings are made empty (every Response, every prepare): skip update()'s machinery.
        if data or kwargs:
            self.update(data or {}, **kwargs)

    @classmethod
    def from_fields(cls, fields: Iterable[tuple[str, str]]) -> CaseInsensitiveDict[str]:
        """Build the mapping of a response's header fields, as requests shows them.

        A name that occurs more than once gets its values joined with ``", "`` (RFC 9110's
        combination rule) under the spelling of its first occurrence. Filling the store directly
        skips ``MutableMapping.update``, which costs more than this whole loop; it runs once per
        response.
        """
        store: dict[str, tuple[str, str]] = {}
        new: CaseInsensitiveDict[Any] = cls.__new__(cls)
        new._store = store
        for name, value in fields:
            key = name.lower()
            previous = store.get(key)
            if previous is None:
                store[key] = (name, value)
            else:
                store[key] = (previous[0], previous[1] + ", " + value)
        return new

    def __setitem__(self, key: str, value: _VT) -> None:
        # Use the lowercased key for lookups, but store the actual key alongside the value.
        self._store[key.lower()] = (key, value)

    def __getitem__(self, key: str) -> _VT:
        return self._store[key.lower()][1]

    def __delitem__(self, key: str) -> None:
        del self._store[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return (casedkey for casedkey, mappedvalue in self._store.values())

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._store

    @overload
    def get(self, key: str) -> Optional[_VT]: ...
    @overload
    def get(self, key: str, default: Union[_VT, _T]) -> Union[_VT, _T]: ...

    def get(self, key: str, default: Any = None) -> Any:
        # Faster than MutableMapping.get, which goes through __getitem__ and KeyError.
        item = self._store.get(key.lower())
        return default if item is None else item[1]

    def fields(self) -> ValuesView[tuple[str, _VT]]:
        """The ``(name, value)`` pairs, each name spelt as last set, in insertion order.

        A live view of the store, as cheap to read as the mapping itself: the core encodes a
        request head from it and the session scans it, on every request.
        """
        return self._store.values()

    def lower_keys(self) -> KeysView[str]:
        """The lowercased names, as a live view: ``"host" in h.lower_keys()`` tests for a
        field without lowercasing the name on every test."""
        return self._store.keys()

    def lower_items(self) -> Iterator[tuple[str, _VT]]:
        """Like iteritems(), but with all lowercase keys."""
        return ((lowerkey, keyval[1]) for (lowerkey, keyval) in self._store.items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            other = CaseInsensitiveDict(other)
        else:
            return NotImplemented
        # Compare insensitively
        return dict(self.lower_items()) == dict(other.lower_items())

    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> CaseInsensitiveDict[_VT]:
        new: CaseInsensitiveDict[_VT] = CaseInsensitiveDict.__new__(CaseInsensitiveDict)
        new._store = self._store.copy()
        return new

    def __repr__(self) -> str:
        return str(dict(self.items()))

    def __getstate__(self) -> list[tuple[str, _VT]]:
        return list(self._store.values())

    def __setstate__(self, state: Iterable[tuple[str, _VT]]) -> None:
        self._store = {k.lower(): (k, v) for k, v in state}


class LookupDict(dict[Any, Any]):
    """Dictionary lookup object: attributes are the entries, missing names read as ``None``."""

    def __init__(self, name: Optional[str] = None) -> None:
        self.name = name
        super().__init__()

    def __repr__(self) -> str:
        return f"<lookup '{self.name}'>"

    def __getitem__(self, key: Any) -> Any:
        # We allow fall-through here, so values default to None
        return self.__dict__.get(key, None)

    def get(self, key: Any, default: Any = None) -> Any:
        return self.__dict__.get(key, default)
