"""
The objects that carry a request and a response: :class:`Request`, :class:`PreparedRequest`
and :class:`Response`, with requests' attributes and behaviour.

Nothing here does I/O. A :class:`PreparedRequest` is exactly what will go on the wire (method,
fully quoted URL, validated headers, body); the transport never edits it. A :class:`Response`
reads its body lazily from ``raw``, an object the transport provides.

URLs are parsed and quoted by ``_urls``, multipart bodies built by ``_multipart``; this module
decides what a request and a response hold.

Two rules shape the code:

* Refuse anything that could change the meaning of the bytes on the wire (CR, LF, NUL or other
  control characters in URLs, methods and header values) here, before a connection is opened.
* Keep the common case cheap: a GET with a few headers and no body goes through a short path,
  and building a :class:`Response` allocates almost nothing (the cookie jar is made on first use).
"""

from __future__ import annotations

import datetime
import json as complexjson
import re
from collections.abc import Callable, Iterator, Mapping
from http.cookiejar import CookieJar
from io import UnsupportedOperation
from typing import TYPE_CHECKING, Any, Literal, Optional, Union, overload
from urllib.parse import urlencode, urlsplit

from ._bodies import guess_filename, super_len
from ._cache import remember
from ._charset import guess_json_utf, iter_slices, stream_decode_response_unicode
from ._headers import check_header_validity, get_encoding_from_headers, parse_header_links
from ._internal_utils import to_native_string
from ._multipart import encode_multipart
from ._urls import get_auth_from_url, requote_needed, requote_uri, split_url
from .auth import HTTPBasicAuth
from .cookies import cookiejar_from_dict, copy_cookie_jar, get_cookie_header
from .exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ContentDecodingError,
    HTTPError,
    InvalidBodyError,
    InvalidJSONError,
    InvalidURL,
    RequestException,
    SSLError,
    StreamConsumedError,
)
from .exceptions import JSONDecodeError as RequestsJSONDecodeError
from .hooks import default_hooks
from .status_codes import codes
from .structures import CaseInsensitiveDict
from .utils import to_key_val_list

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Protocol

    from ._types import (
        AuthType,
        CookiesType,
        DataType,
        FilesType,
        HeadersType,
        HooksType,
        ParamsType,
    )
    from .cookies import RequestsCookieJar

    class ResponseHead(Protocol):
        """What :func:`build_response` reads from a response head (``ResponseStarted``)."""

        @property
        def status_code(self) -> int: ...
        @property
        def reason(self) -> str: ...
        @property
        def headers(self) -> Sequence[tuple[str, str]]: ...


__all__ = [
    "CONTENT_CHUNK_SIZE",
    "DEFAULT_REDIRECT_LIMIT",
    "ITER_CHUNK_SIZE",
    "REDIRECT_STATI",
    "PreparedRequest",
    "Request",
    "RequestEncodingMixin",
    "RequestHooksMixin",
    "Response",
    "build_response",
]

#: The redirect status codes; a response with one of them and a Location header is a redirect.
REDIRECT_STATI = (
    codes.moved,  # 301
    codes.found,  # 302
    codes.other,  # 303
    codes.temporary_redirect,  # 307
    codes.permanent_redirect,  # 308
)

DEFAULT_REDIRECT_LIMIT = 30
CONTENT_CHUNK_SIZE = 10 * 1024
ITER_CHUNK_SIZE = 512

_ZERO_ELAPSED = datetime.timedelta(0)

_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Header pairs (exact str types only, so immutable) that passed check_header_validity. A session
# sends the same few headers on every request; checking them once saves two regex matches per
# header per request. Bounded: cleared when full.
_VALID_HEADERS: dict[tuple[str, str], bool] = {}
_VALID_HEADERS_MAX = 512
# str URL given without params -> (prepared url, path-url cache): prepare_url is a pure function
# of the string then, and a client asks for the same few URLs over and over. Only URLs that
# prepared without error are stored. Bounded: cleared when full.
_PREPARED_URLS: dict[str, tuple[str, Optional[tuple[str, str]]]] = {}
_PREPARED_URLS_MAX = 512
_KNOWN_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE")
)


def validated_copy(headers: CaseInsensitiveDict[Any]) -> Optional[CaseInsensitiveDict[str]]:
    """A copy of ``headers`` when every field is a pair of str already known to be valid, else
    None.

    That copy is what :meth:`PreparedRequest.prepare_headers` makes of such a mapping, without
    the per-key lookups of the generic ``items()`` view: a session sends the same few headers on
    every request. None means only "not known cheaply" (a value that is None or bytes, a field
    not seen before): the caller then takes the full path, which checks and remembers.
    """
    valid = _VALID_HEADERS
    for header in headers.fields():
        if type(header[0]) is not str or type(header[1]) is not str or header not in valid:
            return None
    return headers.copy()


# ---------------------------------------------------------------------------------------------
# Mixins
# ---------------------------------------------------------------------------------------------


class RequestEncodingMixin:
    """Encoding helpers shared by :class:`PreparedRequest`: the path, params and files."""

    url: Optional[str]

    @property
    def path_url(self) -> str:
        """The request target: path and query of ``url``, "/" when the path is empty."""
        url = self.url or ""
        cached = getattr(self, "_path_url_cache", None)
        if cached is not None and cached[0] is url:
            return cached[1]
        p = urlsplit(url)
        path = p.path or "/"
        return f"{path}?{p.query}" if p.query else path

    @staticmethod
    def _encode_params(data: Any) -> Any:
        """Encode parameters for a query string or a form body.

        Strings, bytes and file-like objects are returned as they are; a dict or a list of
        2-tuples is form-urlencoded (a list value gives one pair per item, in order; ``None``
        values are left out).
        """
        if isinstance(data, (str, bytes)):
            return data
        if hasattr(data, "read"):
            return data
        if hasattr(data, "__iter__"):
            result = []
            for k, vs in to_key_val_list(data) or ():
                if isinstance(vs, (str, bytes)) or not hasattr(vs, "__iter__"):
                    vs = [vs]
                for v in vs:
                    if v is not None:
                        result.append(
                            (
                                k.encode("utf-8") if isinstance(k, str) else k,
                                v.encode("utf-8") if isinstance(v, str) else v,
                            )
                        )
            return urlencode(result, doseq=True)
        return data

    @staticmethod
    def _encode_files(files: Any, data: Any) -> tuple[bytes, str]:
        """Build a multipart/form-data body from ``files`` and the form fields in ``data``.

        ``files`` is a dict or a list of ``(field, value)``; a value is a file-like object, bytes
        or str, or a tuple ``(filename, fileobj_or_data)``, ``(filename, data, content_type)`` or
        ``(filename, data, content_type, headers)``. Returns ``(body, content_type)``.
        """
        if not files:
            raise ValueError("Files must be provided.")
        if isinstance(data, (str, bytes)):
            raise ValueError("Data must not be a string.")

        parts: list[tuple[str, Any, Optional[str], Optional[str], Optional[Mapping[str, Any]]]]
        parts = []
        for field, val in to_key_val_list(data or {}) or ():
            if isinstance(val, (str, bytes)) or not hasattr(val, "__iter__"):
                val = [val]
            for v in val:
                if v is None:
                    continue
                if not isinstance(v, bytes):
                    v = str(v)
                name = field.decode("utf-8") if isinstance(field, bytes) else str(field)
                parts.append((name, v, None, None, None))

        for k, v in to_key_val_list(files) or ():
            ft = None
            fh = None
            if isinstance(v, (tuple, list)):
                if len(v) == 2:
                    fn, fp = v
                elif len(v) == 3:
                    fn, fp, ft = v
                else:
                    fn, fp, ft, fh = v
            else:
                fn = guess_filename(v) or k
                fp = v

            if isinstance(fp, (str, bytes, bytearray)):
                fdata = fp
            elif hasattr(fp, "read"):
                fdata = fp.read()
            elif fp is None:
                continue
            else:
                fdata = fp
            name = k.decode("utf-8") if isinstance(k, bytes) else str(k)
            parts.append((name, fdata, fn, ft, fh))

        return encode_multipart(parts)


class RequestHooksMixin:
    """``register_hook`` and ``deregister_hook``, shared by :class:`Request` and the prepared one."""

    hooks: dict[str, list[Callable[..., Any]]]

    def register_hook(self, event: str, hook: Any) -> None:
        """Register a callable (or an iterable of callables) for ``event``."""
        if event not in self.hooks:
            raise ValueError(f'Unsupported event specified, with event name "{event}"')
        if callable(hook):
            self.hooks[event].append(hook)
        elif hasattr(hook, "__iter__"):
            self.hooks[event].extend(h for h in hook if callable(h))

    def deregister_hook(self, event: str, hook: Callable[..., Any]) -> bool:
        """Remove ``hook`` from ``event``; returns whether it was registered."""
        try:
            self.hooks[event].remove(hook)
            return True
        except ValueError:
            return False


# ---------------------------------------------------------------------------------------------
# Request and PreparedRequest
# ---------------------------------------------------------------------------------------------


class Request(RequestHooksMixin):
    """A user-created request, turned into a :class:`PreparedRequest` by :meth:`prepare`.

    :param method: HTTP method.
    :param url: URL to send.
    :param headers: dict of headers.
    :param files: dict or list of ``(field, file)`` for multipart upload.
    :param data: body: dict or list of tuples (form-encoded), bytes, str, file-like or iterable.
    :param json: JSON-serialisable body, used when ``data`` is empty.
    :param params: query parameters (dict, list of tuples, str or bytes).
    :param auth: ``(user, password)`` tuple or a callable (``AuthBase``).
    :param cookies: dict or CookieJar.
    :param hooks: ``{event: callable or list}``.
    """

    def __init__(
        self,
        method: Optional[str] = None,
        url: Any = None,
        headers: HeadersType = None,
        files: FilesType = None,
        data: DataType = None,
        params: ParamsType = None,
        auth: AuthType = None,
        cookies: CookiesType = None,
        hooks: HooksType = None,
        json: Any = None,
    ) -> None:
        # Default empty dicts/lists, as requests does (a mutable default argument would be shared).
        data = [] if data is None else data
        files = [] if files is None else files
        headers = {} if headers is None else headers
        params = {} if params is None else params

        self.hooks = default_hooks()
        if hooks is not None:
            for k, v in list(hooks.items()):
                self.register_hook(event=k, hook=v)

        self.method = method
        self.url = url
        self.headers = headers
        self.files = files
        self.data = data
        self.json = json
        self.params = params
        self.auth = auth
        self.cookies = cookies

    def __repr__(self) -> str:
        return f"<Request [{self.method}]>"

    def prepare(self) -> PreparedRequest:
        """Construct a :class:`PreparedRequest` for transmission and return it."""
        p = PreparedRequest()
        p.prepare(
            method=self.method,
            url=self.url,
            headers=self.headers,
            files=self.files,
            data=self.data,
            json=self.json,
            params=self.params,
            auth=self.auth,
            cookies=self.cookies,
            hooks=self.hooks,
        )
        return p


class PreparedRequest(RequestEncodingMixin, RequestHooksMixin):
    """The exact bytes-to-be of a request: method, quoted URL, validated headers and body.

    Built by :meth:`Request.prepare` or ``Session.prepare_request``; the transport sends it as it
    is. ``body_position`` records where a file body started, so a redirect (307/308) or a retry
    can rewind it; it is an ``object()`` sentinel when ``tell()`` failed. requests calls it
    ``_body_position``, which works too.
    """

    #: True while a Session's redirect loop sends this request as one hop of the chain: the
    #: session then reads the body of the response only if it is the final one.
    redirect_hop: bool = False

    def __init__(self) -> None:
        self.method: Optional[str] = None
        self.url: Optional[str] = None
        # Typed as after prepare(); a value is bytes only where the caller passed bytes.
        self.headers: CaseInsensitiveDict[str] = None  # type: ignore[assignment]
        # The jar behind ``cookie_jar``; False means "an empty jar, not made yet" (see below).
        self._jar: Any = None
        # bytes or str, or the file or iterable passed as ``data`` (sent as it is read).
        self.body: Union[bytes, str, Any] = None
        self.hooks = default_hooks()
        self.body_position: Any = None
        self._path_url_cache: Optional[tuple[str, str]] = None

    @property
    def cookie_jar(self) -> Any:
        """The request's cookie jar (None before ``prepare_cookies``); requests' ``_cookies``.

        A request prepared without cookies (most of them) gets its empty
        :class:`RequestsCookieJar` only when something asks for it: building a jar and its
        policy on every request costs more than the rest of ``prepare_cookies``. ``False``
        marks the pending jar because it survives pickling and copying as itself.
        """
        jar = self._jar
        if jar is False:
            jar = self._jar = cookiejar_from_dict(None)
        return jar

    @cookie_jar.setter
    def cookie_jar(self, value: Any) -> None:
        self._jar = value

    # requests' names for these, which code written for requests reads and sets.
    _cookies = cookie_jar

    @property
    def _body_position(self) -> Any:
        return self.body_position

    @_body_position.setter
    def _body_position(self, value: Any) -> None:
        self.body_position = value

    def prepare(
        self,
        method: Optional[str] = None,
        url: Any = None,
        headers: HeadersType = None,
        files: FilesType = None,
        data: DataType = None,
        params: ParamsType = None,
        auth: AuthType = None,
        cookies: CookiesType = None,
        hooks: HooksType = None,
        json: Any = None,
    ) -> None:
        """Prepare every part of the request, in requests' order (auth last but hooks)."""
        self.prepare_method(method)
        self.prepare_url(url, params)
        self.prepare_headers(headers)
        self.prepare_cookies(cookies)
        self.prepare_body(data, files, json)
        # Last (but for hooks) so that auth schemes such as OAuth sign the finished request.
        self.prepare_auth(auth, url)
        # After auth: an authenticator may register hooks (digest auth does).
        self.prepare_hooks(hooks)

    def __repr__(self) -> str:
        return f"<PreparedRequest [{self.method}]>"

    def copy(self) -> PreparedRequest:
        """A copy whose headers and cookie jar can be changed without touching this one."""
        p = PreparedRequest()
        p.method = self.method
        p.url = self.url
        p.headers = self.headers.copy() if self.headers is not None else None
        # A pending empty jar stays pending in the copy: it is made fresh on first use anyway.
        p._jar = False if self._jar is False else copy_cookie_jar(self._jar)
        p.body = self.body
        p.hooks = self.hooks
        p.body_position = self.body_position
        p._path_url_cache = self._path_url_cache
        return p

    def prepare_method(self, method: Optional[Union[str, bytes]]) -> None:
        """Upper-case the method and make sure it is an HTTP token.

        :raises ValueError: for a method holding anything but token characters (CR, LF, spaces
            ...), which would otherwise let it rewrite the request line.
        """
        if method is None:
            self.method = None
            return
        if not isinstance(method, str):
            method = to_native_string(method)
        method = method.upper()
        if method not in _KNOWN_METHODS and not _TOKEN_RE.fullmatch(method):
            raise ValueError(f"Invalid HTTP method {method!r}: not an HTTP token")
        self.method = method

    def prepare_url(self, url: Any, params: Any) -> None:
        """Parse, normalise and quote ``url``, then add ``params`` to its query.

        URLs with another scheme than http(s) (``mailto:``, ``data:``, ``file:``) are kept as
        they are, as requests does: they are not ours to interpret.

        :raises MissingSchema: no scheme, as in ``"example.com/path"``.
        :raises InvalidURL: no host, a bad port, a bad host or label, or control characters
            anywhere in the URL (refused before anything is sent).
        """
        # (Exact types only: a subclass may parse differently, and must not share the cache.)
        given = url if type(url) is str and not params and type(self) is PreparedRequest else None
        if given is not None:
            cached = _PREPARED_URLS.get(given)
            if cached is not None:
                self.url, self._path_url_cache = cached
                return
        if isinstance(url, bytes):
            url = url.decode("utf8")
        else:
            url = str(url)
        # Leading whitespace is dropped, as requests does (copy-paste accidents).
        url = url.lstrip()
        if not url.isascii():
            try:
                url.encode("utf-8")
            except UnicodeEncodeError as exc:  # lone surrogates cannot be percent-encoded
                raise InvalidURL(f"Invalid URL {url!r}: not valid Unicode") from exc

        parts = split_url(url)
        if parts is None:
            self.url = url
            self._path_url_cache = None
            return
        scheme, netloc, path, query, fragment = parts

        if params:
            query = self._add_params(query, params)
        target = f"{path}?{query}" if query else path
        url = f"{scheme}://{netloc}{target}"
        if fragment:
            url = f"{url}#{fragment}"
        if requote_needed(url):
            url = requote_uri(url)
            self._path_url_cache = None
        else:
            # The request target is known now; remember it so path_url needs no re-parse.
            self._path_url_cache = (url, target)
        self.url = url
        if given is not None:
            remember(_PREPARED_URLS, given, (url, self._path_url_cache), _PREPARED_URLS_MAX)

    def _add_params(self, query: Optional[str], params: Any) -> Optional[str]:
        if isinstance(params, (str, bytes)):
            params = to_native_string(params)
        enc_params = self._encode_params(params)
        if enc_params:
            return f"{query}&{enc_params}" if query else enc_params
        return query

    def prepare_headers(self, headers: Optional[Mapping[str, Any]]) -> None:
        """Copy ``headers`` into a CaseInsensitiveDict, validating each one.

        :raises InvalidHeader: a name or value holding CR, LF or NUL, a value starting with
            whitespace, or a value that is neither str nor bytes.
        """
        if headers and type(headers) is CaseInsensitiveDict:
            # The session's headers (merge_setting hands them over as they are when the request
            # adds none): usually a copy is the whole job.
            copied = validated_copy(headers)
            if copied is not None:
                self.headers = copied
                return
        valid = _VALID_HEADERS
        hdrs: CaseInsensitiveDict[str]
        self.headers = hdrs = CaseInsensitiveDict()
        if headers:
            for header in headers.items():
                name, value = header
                if type(name) is str and type(value) is str:
                    if header not in valid:
                        check_header_validity(header)
                        remember(valid, header, True, _VALID_HEADERS_MAX)
                else:
                    check_header_validity(header)
                    if type(name) is not str:
                        name = to_native_string(name)
                hdrs[name] = value

    def prepare_body(self, data: Any, files: Any, json: Any = None) -> None:
        """Encode the body and set Content-Type and Content-Length (or chunked framing).

        * ``json`` (when ``data`` is empty): ``json.dumps(allow_nan=False)``, UTF-8 bytes,
          ``application/json``; NaN or Infinity raise :class:`InvalidJSONError`.
        * a file-like object, generator or other iterable: streamed as it is; Content-Length when
          :func:`super_len` knows the size, ``Transfer-Encoding: chunked`` otherwise.
        * ``files``: multipart/form-data (with the fields of ``data``).
        * a dict or list of tuples: form-urlencoded; str/bytes: sent as they are.
        """
        if not data and not files and json is None:
            # The common case (GET, HEAD, DELETE without a body).
            self.body = None
            self.prepare_content_length(None)
            return

        body: Any = None
        content_type: Optional[str] = None

        if not data and json is not None:
            content_type = "application/json"
            try:
                body = complexjson.dumps(json, allow_nan=False)
            except (ValueError, TypeError) as exc:
                # NaN/Infinity (ValueError) and unserialisable objects such as sets (TypeError)
                # are the caller's input errors alike: one exception of ours for both.
                raise InvalidJSONError(exc, request=self) from exc
            if not isinstance(body, bytes):
                body = body.encode("utf-8")

        is_stream = hasattr(data, "__iter__") and not isinstance(
            data, (str, bytes, list, tuple, Mapping)
        )
        if is_stream:
            try:
                length: Optional[int] = super_len(data)
            except (TypeError, AttributeError, UnsupportedOperation):
                length = None

            body = data
            if getattr(body, "tell", None) is not None:
                # Remember where the body starts, so a redirect can rewind it.
                try:
                    self.body_position = body.tell()
                except OSError:
                    # A sentinel: rewinding will be refused with UnrewindableBodyError.
                    self.body_position = object()

            if files:
                raise NotImplementedError("Streamed bodies and files are mutually exclusive.")

            if length:
                self.headers["Content-Length"] = str(length)
            else:
                self.headers["Transfer-Encoding"] = "chunked"
        else:
            if files:
                body, content_type = self._encode_files(files, data)
            elif data:
                body = self._encode_params(data)
                if not isinstance(body, (str, bytes)) and not hasattr(body, "read"):
                    # Neither encodable nor iterable (an int, an arbitrary object): refuse it now
                    # rather than fail half-way through sending.
                    raise InvalidBodyError(
                        f"A request body cannot be of type {type(data).__name__}: pass str, "
                        "bytes, a dict or list of pairs, a file-like object or an iterable.",
                        request=self,
                    )
                if isinstance(data, (str, bytes)) or hasattr(data, "read"):
                    content_type = None
                else:
                    content_type = "application/x-www-form-urlencoded"

            self.prepare_content_length(body)

            if content_type and "content-type" not in self.headers:
                self.headers["Content-Type"] = content_type

        self.body = body

    def prepare_content_length(self, body: Any) -> None:
        """Set Content-Length from ``body``; "0" for a bodiless method other than GET and HEAD.

        A body of unknown length gets no header here (prepare_body chose chunked framing).
        """
        if body is not None:
            length = super_len(body)
            if length:
                self.headers["Content-Length"] = str(length)
        elif self.method not in ("GET", "HEAD") and self.headers.get("Content-Length") is None:
            # Servers may refuse a POST/PUT without a length (411); say the body is empty.
            self.headers["Content-Length"] = "0"

    def prepare_auth(self, auth: Any, url: str = "") -> None:
        """Apply ``auth``: a ``(user, password)`` tuple means Basic; a callable is called.

        Without ``auth``, credentials in the URL (``http://user:pass@host/``) are used.
        """
        if auth is None:
            if self.url is None or "@" not in self.url:
                return
            try:
                url_auth = get_auth_from_url(self.url)
            except ValueError:
                # A passed-through non-HTTP URL that urlparse cannot read ("//:@["): it has no
                # credentials we could use, and it will be refused when sent.
                url_auth = ("", "")
            auth = url_auth if any(url_auth) else None

        if auth:
            if isinstance(auth, tuple) and len(auth) == 2:
                auth = HTTPBasicAuth(*auth)
            # The auth object may return a new request; take over its state.
            r = auth(self)
            self.__dict__.update(r.__dict__)
            # The auth may have changed the body (signing schemes do).
            self.prepare_content_length(self.body)

    def prepare_cookies(self, cookies: Any) -> None:
        """Build the Cookie header from ``cookies`` (a dict or a CookieJar).

        An explicit Cookie header given by the user is kept: the jar only fills in a missing
        one. Hence, as in requests, calling this again has no effect unless the Cookie header is
        removed first.
        """
        if cookies is None:
            # An empty jar, made on first use: it would add no Cookie header.
            self._jar = False
            return
        if isinstance(cookies, CookieJar):
            self._cookies = cookies
        else:
            self._cookies = cookiejar_from_dict(cookies)
        if not len(self._cookies):
            return
        cookie_header = get_cookie_header(self._cookies, self)
        if cookie_header is not None:
            self.headers["Cookie"] = cookie_header

    def prepare_hooks(self, hooks: Optional[Mapping[str, Any]]) -> None:
        """Register the given hooks (``{event: callable or list}``)."""
        # hooks can be passed as None to the prepare method and to this one alike.
        if not hooks:
            return
        for event in hooks:
            value = hooks[event]
            if value:
                self.register_hook(event, value)


# ---------------------------------------------------------------------------------------------
# Response
# ---------------------------------------------------------------------------------------------


class Response:
    """The server's response to a request.

    The body is read lazily from ``raw``: :attr:`content` reads all of it, :meth:`iter_content`
    streams it. ``cookies`` is created on first access, so that a response without cookies
    costs no cookie jar.
    """

    __attrs__ = [
        "_content",
        "status_code",
        "headers",
        "url",
        "history",
        "encoding",
        "reason",
        "cookies",
        "elapsed",
        "request",
    ]

    def __init__(self) -> None:
        self._content: Union[bool, bytes, None] = False
        self._content_consumed = False
        self._next: Optional[PreparedRequest] = None
        # The transport sets status_code, url, reason and request before anyone sees the
        # response; they are typed as users read them, not as the empty shell holds them.
        #: Integer code of the response, e.g. 404 or 200.
        self.status_code: int = None  # type: ignore[assignment]
        #: Case-insensitive dictionary of response headers.
        self.headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        #: File-like object over the body (the transport's RawResponse).
        self.raw: Any = None
        #: Final URL location of the response.
        self.url: str = None  # type: ignore[assignment]
        #: Encoding used to decode ``text``.
        self.encoding: Optional[str] = None
        #: The responses of the redirects followed to get here, oldest first.
        self.history: list[Response] = []
        #: Textual reason of the status, e.g. "Not Found".
        self.reason: str = None  # type: ignore[assignment]
        self._cookie_jar: Any = None
        #: Time between sending the request and parsing the response head.
        self.elapsed: datetime.timedelta = _ZERO_ELAPSED
        #: The PreparedRequest this is a response to.
        self.request: PreparedRequest = None  # type: ignore[assignment]

    @property
    def cookies(self) -> RequestsCookieJar:
        """A RequestsCookieJar of the cookies the server sent back (created on first use)."""
        jar = self._cookie_jar
        if jar is None:
            jar = self._cookie_jar = cookiejar_from_dict({})
        return jar

    @cookies.setter
    def cookies(self, value: RequestsCookieJar) -> None:
        self._cookie_jar = value

    @property
    def connection_info(self) -> Any:
        """How this response travelled (not in requests): a frozen
        :class:`~httpcore_lite.transport.facts.ConnectionInfo` with the connection's id, whether
        it was reused, the request's number on it, DNS/connect/TLS/first-byte timings,
        addresses, TLS parameters (session resumed or not) and the proxy. None when the
        response did not come from this library's transport. ``complete`` is filled in once
        the body has been read.
        """
        return getattr(self.raw, "connection_info", None)

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        # Read the body first: raw (a live connection) cannot be pickled and is dropped.
        if not self._content_consumed:
            _ = self.content
        return {attr: getattr(self, attr, None) for attr in self.__attrs__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._next = None
        self._cookie_jar = None
        for name, value in state.items():
            setattr(self, name, value)
        # pickled objects do not have .raw
        self._content_consumed = True
        self.raw = None

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"

    def __bool__(self) -> bool:
        """True when :attr:`status_code` is below 400 (see :attr:`ok`)."""
        return self.ok

    def __iter__(self) -> Iterator[bytes]:
        """Iterate over the body in 128-byte chunks."""
        return self.iter_content(128)

    @property
    def ok(self) -> bool:
        """False for a 4xx or 5xx status, True otherwise (not "is it 200 OK")."""
        try:
            self.raise_for_status()
        except HTTPError:
            return False
        return True

    @property
    def is_redirect(self) -> bool:
        """True for a redirect with a Location that a Session would follow."""
        # The status first: it rules out nearly every response without a header lookup.
        return self.status_code in REDIRECT_STATI and "location" in self.headers

    @property
    def is_permanent_redirect(self) -> bool:
        """True for a 301 or 308 with a Location."""
        return "location" in self.headers and self.status_code in (
            codes.moved_permanently,
            codes.permanent_redirect,
        )

    #: Computes :attr:`next` on first read (see :meth:`set_next`).
    _next_pending: Optional[Callable[[], Optional[PreparedRequest]]] = None

    def set_next(self, compute: Callable[[], Optional[PreparedRequest]]) -> None:
        """Have :attr:`next` computed by ``compute()`` when it is first read.

        A Session that does not follow a redirect offers the next request this way, so that a
        ``Location`` it cannot parse fails only a caller who asks for it.
        """
        self._next_pending = compute

    def set_content(self, content: bytes) -> None:
        """Make ``content`` the whole body, already read (and decoded): what the transport
        does for a response that is not streamed."""
        self._content = content
        self._content_consumed = True

    @property
    def content_loaded(self) -> bool:
        """True once the body is held in memory (read, or set with :meth:`set_content`)."""
        return self._content is not False

    @property
    def next(self) -> Optional[PreparedRequest]:
        """The PreparedRequest of the next redirect, when redirects were not followed.

        Raises :class:`InvalidURL` when the ``Location`` cannot be parsed.
        """
        pending = self._next_pending
        if pending is not None:
            self._next = pending()
            self._next_pending = None
        return self._next

    @property
    def apparent_encoding(self) -> Optional[str]:
        """The encoding charset-normalizer guesses from the body.

        Named as chardet names it (``"utf-8"``, ``"ascii"``, ``"Windows-1252"``), as requests
        reports it; ``None`` when no encoding fits.
        """
        import charset_normalizer

        content = self.content
        if content is None:
            return None
        best = charset_normalizer.from_bytes(content).best()
        if best is None:
            return None
        encoding = best.encoding
        if encoding == "utf_8" and best.bom:
            encoding = "utf_8_sig"
        try:
            from charset_normalizer.constant import CHARDET_CORRESPONDENCE
        except ImportError:  # pragma: no cover - older charset-normalizer
            return encoding
        return CHARDET_CORRESPONDENCE.get(encoding, encoding)

    # Pieces are bytes unless decode_unicode is set; then they are str when ``encoding`` is known
    # and still bytes when it is not, which only the run time can tell.
    @overload
    def iter_content(
        self, chunk_size: Optional[int] = 1, decode_unicode: Literal[False] = False
    ) -> Iterator[bytes]: ...
    @overload
    def iter_content(
        self, chunk_size: Optional[int] = 1, *, decode_unicode: bool
    ) -> Iterator[Any]: ...
    @overload
    def iter_content(self, chunk_size: Optional[int], decode_unicode: bool) -> Iterator[Any]: ...

    def iter_content(
        self, chunk_size: Optional[int] = 1, decode_unicode: bool = False
    ) -> Iterator[Any]:
        """Iterate over the body in pieces of at most ``chunk_size`` bytes.

        Without ``stream=True`` the body is already in memory and comes out in slices; with it,
        the body is read from ``raw`` as it arrives (decompressed), so the pieces may be smaller.
        With ``decode_unicode`` the pieces are decoded with :attr:`encoding` (when it is set).

        :raises StreamConsumedError: the stream was read already and not kept in memory.
        :raises TypeError: ``chunk_size`` is neither an int nor None.
        """
        if self._content_consumed and isinstance(self._content, bool):
            raise StreamConsumedError()
        if chunk_size is not None and not isinstance(chunk_size, int):
            raise TypeError(f"chunk_size must be an int, it is instead a {type(chunk_size)}.")

        chunks: Iterator[Any]
        if isinstance(self._content, bytes) or self._content_consumed:
            chunks = iter_slices(self._content, chunk_size) if self._content else iter(())
        else:
            chunks = self._generate(chunk_size)
        if decode_unicode:
            chunks = stream_decode_response_unicode(chunks, self)
        return chunks

    def _generate(self, chunk_size: Optional[int]) -> Iterator[bytes]:
        raw = self.raw
        if raw is None:
            self._content_consumed = True
            return
        if hasattr(raw, "stream"):
            # The transport's raw decodes content codings and raises our exceptions itself;
            # another (urllib3-shaped) raw raises urllib3's, which requests translates here.
            try:
                yield from raw.stream(chunk_size, decode_content=True)
            except RequestException:
                raise
            except Exception as error:
                mapped = _foreign_body_error(error)
                if mapped is None:
                    raise
                raise mapped from error
        else:
            while True:
                chunk = raw.read(chunk_size)
                if not chunk:
                    break
                yield chunk
        self._content_consumed = True

    @overload
    def iter_lines(
        self,
        chunk_size: int = ITER_CHUNK_SIZE,
        decode_unicode: Literal[False] = False,
        delimiter: Optional[bytes] = None,
    ) -> Iterator[bytes]: ...
    @overload
    def iter_lines(
        self,
        chunk_size: int = ITER_CHUNK_SIZE,
        *,
        decode_unicode: bool,
        delimiter: Optional[Union[str, bytes]] = None,
    ) -> Iterator[Any]: ...
    @overload
    def iter_lines(
        self,
        chunk_size: int,
        decode_unicode: bool,
        delimiter: Optional[Union[str, bytes]] = None,
    ) -> Iterator[Any]: ...

    def iter_lines(
        self,
        chunk_size: int = ITER_CHUNK_SIZE,
        decode_unicode: bool = False,
        delimiter: Optional[Union[str, bytes]] = None,
    ) -> Iterator[Any]:
        """Iterate over the body line by line (``splitlines`` or ``delimiter``).

        A line cut by a chunk boundary is held back and joined with the next chunk. As in
        requests, this is not reentrant-safe, and with the default splitting a CR LF cut between
        two chunks gives an extra empty line; pass ``delimiter`` to avoid it.
        """
        pending = None
        for chunk in self.iter_content(chunk_size=chunk_size, decode_unicode=decode_unicode):
            if pending is not None:
                chunk = pending + chunk
            if delimiter:
                lines = chunk.split(delimiter)
            else:
                lines = chunk.splitlines()
            if lines and lines[-1] and chunk and lines[-1][-1] == chunk[-1]:
                pending = lines.pop()
            else:
                pending = None
            yield from lines
        if pending is not None:
            yield pending

    @property
    def content(self) -> bytes:
        """The whole body as bytes (read on first access, then kept).

        ``None`` for a response that never had a body to read (``raw`` is None); typed
        ``bytes``, as types-requests types it, because every response the transport builds
        has one.
        """
        if self._content is False:
            if self._content_consumed:
                raise RuntimeError("The content for this response was already consumed")
            raw = self.raw
            if self.status_code == 0 or raw is None:
                self._content = None
            else:
                # The transport's raw body can hand over the whole decoded body in one call,
                # which spares the piecewise iter_content machinery on every non-streamed request.
                read_all = getattr(raw, "read_all", None)
                if read_all is not None:
                    self._content = read_all()
                else:
                    self._content = b"".join(self.iter_content(CONTENT_CHUNK_SIZE)) or b""
        self._content_consumed = True
        return self._content  # type: ignore[return-value]

    @property
    def text(self) -> str:
        """The body as str, decoded with :attr:`encoding`, else :attr:`apparent_encoding`.

        Undecodable bytes become U+FFFD rather than raising.
        """
        content = self.content
        if not content:
            return ""
        encoding = self.encoding
        if encoding is None:
            encoding = self.apparent_encoding
        try:
            return str(content, encoding, errors="replace")  # type: ignore[arg-type]
        except (LookupError, TypeError):
            # An unknown encoding name or None: fall back to the default (UTF-8).
            return str(content, errors="replace")

    def json(self, **kwargs: Any) -> Any:
        """Decode the body as JSON (``json.loads`` keyword arguments pass through).

        Without a declared encoding the UTF flavour is guessed from the first bytes (RFC 4627).

        :raises JSONDecodeError: the body is not valid JSON (``msg``, ``doc``, ``pos`` kept).
        """
        content = self.content
        if not self.encoding and content and len(content) > 3:
            encoding = guess_json_utf(content)
            if encoding is not None:
                try:
                    return complexjson.loads(content.decode(encoding), **kwargs)
                except UnicodeDecodeError:
                    # Wrong guess: fall through to text, which uses the detected encoding.
                    pass
                except complexjson.JSONDecodeError as e:
                    raise RequestsJSONDecodeError(e.msg, e.doc, e.pos) from e
        try:
            return complexjson.loads(self.text, **kwargs)
        except complexjson.JSONDecodeError as e:
            raise RequestsJSONDecodeError(e.msg, e.doc, e.pos) from e

    @property
    def links(self) -> dict[str, dict[str, str]]:
        """The parsed Link header, keyed by ``rel`` (or by URL when there is no rel)."""
        header = self.headers.get("link")
        resolved: dict[str, dict[str, str]] = {}
        if header:
            for link in parse_header_links(header):
                key = link.get("rel") or link.get("url") or ""
                resolved[key] = link
        return resolved

    def raise_for_status(self) -> None:
        """Raise :class:`HTTPError` for a 4xx or 5xx status; do nothing otherwise."""
        status = self.status_code
        if status is None or status < 400 or status >= 600:
            return
        reason = self.reason
        if isinstance(reason, bytes):
            # Some servers send UTF-8 reasons; fall back to ISO-8859-1, which never fails.
            try:
                reason = reason.decode("utf-8")
            except UnicodeDecodeError:
                reason = reason.decode("iso-8859-1")
        kind = "Client" if status < 500 else "Server"
        raise HTTPError(f"{status} {kind} Error: {reason} for url: {self.url}", response=self)

    def close(self) -> None:
        """Release the connection back to the pool (or close it if the body was not read).

        Not needed normally: reading the body to the end releases the connection.
        """
        raw = self.raw
        if raw is None:
            return
        if not self._content_consumed:
            raw.close()
        release_conn = getattr(raw, "release_conn", None)
        if release_conn is not None:
            release_conn()


def _foreign_body_error(error: Exception) -> Exception | None:
    """The requests exception for an error a urllib3-shaped raw response raised while
    streaming (matched by urllib3's class names, since urllib3 is never imported), or None."""
    names = {cls.__name__ for cls in type(error).__mro__}
    if names & {"ProtocolError", "IncompleteRead", "InvalidChunkLength"}:
        return ChunkedEncodingError(error)
    if "DecodeError" in names:
        return ContentDecodingError(error)
    if "ReadTimeoutError" in names:
        return ConnectionError(error)
    if "SSLError" in names:
        return SSLError(error)
    return None


class _PendingBody:
    """``Response.raw`` of a response built from its head alone, until its body is attached.

    Reading ``content``, ``text`` or ``iter_content`` then raises instead of quietly giving
    None, which is what a requests ``Response`` with no ``raw`` does.
    """

    __slots__ = ()

    def _unfinished(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "The body of this response has not been attached yet: pass the body bytes to "
            "httpcore_lite.protocol.finish_response(), or set response.raw to a stream"
        )

    read = stream = read_all = _unfinished

    def close(self) -> None:
        """Nothing to close: there is no stream behind it."""

    def release_conn(self) -> None:
        """Nothing to release."""


_PENDING = _PendingBody()


def build_response(started: ResponseHead, request: Any) -> Response:
    """Build a :class:`Response` from a response head; the body is not attached yet.

    ``started`` is the core's ``protocol.ResponseStarted`` (or anything with its
    ``status_code``, ``reason`` and ``headers`` fields); ``request`` the request it answers, or
    None. Finish it with ``protocol.finish_response`` once the body is read (or set ``raw`` to
    a stream object, as the blocking transport does); until then reading ``content`` raises
    ``RuntimeError``. Header fields that repeat are joined with ``", "`` under the first
    spelling of the name, as urllib3's header dict does, so ``Set-Cookie`` lines survive in
    ``headers`` (the separate lines live in ``ResponseStarted.headers``).
    """
    response = Response()
    response.status_code = started.status_code
    response.reason = started.reason
    response.headers = headers = CaseInsensitiveDict.from_fields(started.headers)
    response.encoding = get_encoding_from_headers(headers)
    if request is not None:
        response.url = request.url
        response.request = request
    response.raw = _PENDING
    return response
