"""
The types of the public surface: what each keyword of ``get``/``post``/``Session.request``
accepts, named once so the signatures, the models and user code all say the same thing.

The aliases follow what the code accepts at run time, at least as precisely as types-requests
(so code checked against it keeps passing), and name our own additions: ``timeout`` takes a
:class:`~httpcore_lite.adapters.Timeout`, and urllib3's as well.

How the keywords are checked, at no run-time cost. ``Session.get(url, **kwargs)`` forwards its
keywords to ``Session.request`` untouched; spelling every parameter out on ``get``/``post``
would make each call build and pass sixteen arguments one by one, on the path that every
request takes. Instead ``**kwargs`` is annotated ``Unpack[RequestKwargs]`` (PEP 692): a type
checker then knows every keyword and its type (``timeot=3`` and ``timeout="3"`` are errors),
while at run time the annotation is a string that nothing evaluates (``from __future__ import
annotations``) and ``Unpack`` is imported only under ``TYPE_CHECKING``. The TypedDicts come in
four cuts because ``get`` names ``params``, ``post`` names ``data`` and ``json``, and ``put``/
``patch`` name ``data`` positionally; a keyword may not be both a parameter and a TypedDict key.

This module imports nothing from the package at run time (the package's classes appear in
string annotations only), so importing it is cheap and creates no import cycle; the package
itself imports it only under ``TYPE_CHECKING``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from http.cookiejar import CookieJar
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypedDict, TypeVar, Union

if TYPE_CHECKING:
    from .auth import AuthBase
    from .models import PreparedRequest, Response
    from .transport.timeout import Timeout

__all__ = [
    "AuthType",
    "CertType",
    "CookiesType",
    "DataType",
    "FilesType",
    "HeadersType",
    "HooksType",
    "ParamsType",
    "ProxiesType",
    "RequestKwargs",
    "ResponseHook",
    "SupportsItems",
    "SupportsRead",
    "TimeoutType",
    "Urllib3Timeout",
    "VerifyType",
]

_T_co = TypeVar("_T_co", covariant=True)
_KT_co = TypeVar("_KT_co", covariant=True)
_VT_co = TypeVar("_VT_co", covariant=True)


class SupportsRead(Protocol[_T_co]):
    """A file-like object we read a body from: an open file, ``io.BytesIO``..."""

    def read(self, size: int = ..., /) -> _T_co: ...


class SupportsItems(Protocol[_KT_co, _VT_co]):
    """Anything with ``items()``: a dict of any key and value types (``Mapping`` is invariant in
    its key, so ``dict[str, int]`` would not be a ``Mapping[str | bytes, ...]``)."""

    def items(self) -> AbstractSet[tuple[_KT_co, _VT_co]]: ...


class ResponseHook(Protocol):
    """A ``response`` hook: called with the response and the send keywords (``timeout``,
    ``verify``...); a result other than ``None`` replaces the response."""

    def __call__(self, response: Response, /, *args: Any, **kwargs: Any) -> Any: ...


class Urllib3Timeout(Protocol):
    """urllib3's ``Timeout``, which ``timeout=`` also takes, as requests passes it through: its
    fields are read as they are, so this names them (urllib3 itself is never imported)."""

    @property
    def _connect(self) -> object: ...
    @property
    def _read(self) -> object: ...
    @property
    def total(self) -> object: ...


_ParamScalar: TypeAlias = Union[str, bytes, int, float]
_ParamValue: TypeAlias = Union[_ParamScalar, Iterable[_ParamScalar], None]

#: ``params=``: a mapping (a value may be a list, ``None`` drops the key), pairs, or a ready
#: query string.
ParamsType: TypeAlias = Union[
    # Only container types a dict is not, beside the two mappings: with ``Iterable`` in the
    # union, mypy could not infer a dict literal of mixed values (``{"q": "x", "n": 1}``).
    Mapping[str, _ParamValue],
    SupportsItems[_ParamScalar, _ParamValue],
    Sequence[tuple[_ParamScalar, _ParamValue]],
    Iterator[tuple[_ParamScalar, _ParamValue]],
    str,
    bytes,
    None,
]

#: ``data=``: a form (mapping or pairs), a body as bytes or str, a file, or an iterable of
#: byte chunks (sent chunked).
DataType: TypeAlias = Union[
    Iterable[bytes],
    str,
    bytes,
    SupportsRead[Union[str, bytes]],
    list[tuple[Any, Any]],
    tuple[tuple[Any, Any], ...],
    Mapping[Any, Any],
    None,
]

#: ``headers=``: a ``None`` value removes the session's header of that name.
HeadersType: TypeAlias = Union[Mapping[str, Union[str, bytes, None]], None]

#: ``cookies=``: a dict of names to values, or any ``http.cookiejar.CookieJar``.
CookiesType: TypeAlias = Union[CookieJar, Mapping[str, str], None]

_FileName: TypeAlias = Union[str, None]
_FileContent: TypeAlias = Union[SupportsRead[Union[str, bytes]], str, bytes]
_FileSpec: TypeAlias = Union[
    _FileContent,
    tuple[_FileName, _FileContent],
    tuple[_FileName, _FileContent, str],
    tuple[_FileName, _FileContent, str, Mapping[str, str]],
]

#: ``files=``: field name to a file, or to ``(filename, file[, content_type[, headers]])``.
FilesType: TypeAlias = Union[Mapping[str, _FileSpec], Iterable[tuple[str, _FileSpec]], None]

#: ``auth=``: ``(user, password)`` for Basic, an :class:`AuthBase`, or any callable that
#: takes and returns the PreparedRequest.
AuthType: TypeAlias = Union[
    tuple[Union[str, bytes], Union[str, bytes]],
    "AuthBase",
    Callable[["PreparedRequest"], "PreparedRequest"],
    None,
]

#: ``timeout=``: seconds for connect and read, a ``(connect, read)`` pair (``None`` waits
#: forever), or a :class:`Timeout`, which may also bound the whole request (``total``), or
#: urllib3's.
TimeoutType: TypeAlias = Union[
    float, tuple[Union[float, None], Union[float, None]], "Timeout", Urllib3Timeout, None
]

#: ``proxies=``: scheme, or ``scheme://host``, to proxy URL.
ProxiesType: TypeAlias = Union[Mapping[str, str], None]

#: ``hooks=``: event name (``"response"``) to one hook or a list of them.
HooksType: TypeAlias = Union[Mapping[str, Union[ResponseHook, Iterable[ResponseHook]]], None]

#: ``verify=``: ``True``, ``False`` (insecure), or the path of a CA bundle file or directory.
VerifyType: TypeAlias = Union[bool, str, None]

#: ``cert=``: a client certificate .pem (with its key), or a ``(cert, key)`` pair of paths.
CertType: TypeAlias = Union[str, tuple[str, str], None]


class _SendKwargs(TypedDict, total=False):
    """The keywords every request method takes, whatever it names as parameters."""

    headers: HeadersType
    cookies: CookiesType
    files: FilesType
    auth: AuthType
    timeout: TimeoutType
    allow_redirects: bool
    proxies: ProxiesType
    hooks: HooksType
    stream: Union[bool, None]
    verify: VerifyType
    cert: CertType


class GetKwargs(_SendKwargs, total=False):
    """The keywords of ``get``, which takes ``params`` as a parameter."""

    data: DataType
    json: Any


class PostKwargs(_SendKwargs, total=False):
    """The keywords of ``post``, which takes ``data`` and ``json`` as parameters."""

    params: ParamsType


class PutKwargs(PostKwargs, total=False):
    """The keywords of ``put`` and ``patch``, which take ``data`` as a parameter."""

    json: Any


class RequestKwargs(PutKwargs, total=False):
    """Every keyword of ``request``, ``options``, ``head`` and ``delete``, with its type."""

    data: DataType
