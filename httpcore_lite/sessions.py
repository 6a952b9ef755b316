"""
Sessions: settings that persist across requests (headers, cookies, auth, proxies, adapters) and
the redirect machinery.

A :class:`Session` is what keeps connections alive: every request made through one goes to the
same mounted adapters, so a second request to an origin reuses the first one's connection.

Two things here go beyond a plain port of requests' behaviour:

* **Redirect security.** Secrets do not follow a redirect to another origin: ``Authorization`` is
  dropped on a host change or a downgrade from https to http (and with it the response hooks of
  auth handlers, so digest auth never answers another host's challenge), ``Cookie`` and
  ``Proxy-Authorization`` headers are rebuilt for the new URL only, cookies a redirect response
  sets stay scoped to the host that set them, no body is re-sent after a 303 (or any redirect
  that is not 307/308), a redirect may only leave its origin for an ``http``/``https`` URL, and a
  redirect response's body is discarded *without being decoded* (a compressed bomb on a 3xx is
  never inflated).
* **The hot path.** Per request we read exactly the environment variables that matter, one live
  lookup each (never a scan of the whole environment, never a cache: a variable changed
  between two requests takes effect on the second), and skip cookie-jar work when there are no
  cookies.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Generator, Mapping, MutableMapping
from datetime import timedelta
from functools import partial
from http.cookiejar import CookieJar
from time import perf_counter
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .adapters import BaseAdapter, HTTPAdapter
from .auth import AuthBase, _basic_auth_str
from .cookies import (
    RequestsCookieJar,
    cookiejar_from_dict,
    extract_cookies_to_jar,
    merge_cookies,
)
from .exceptions import InvalidSchema, InvalidURL, RequestException, TooManyRedirects
from .hooks import default_hooks, dispatch_hook
from .models import (  # noqa: F401  (REDIRECT_STATI re-exported, as requests does)
    DEFAULT_REDIRECT_LIMIT,
    REDIRECT_STATI,
    PreparedRequest,
    Request,
    Response,
)
from .status_codes import codes
from .structures import CaseInsensitiveDict
from .utils import (  # noqa: F401  (should_bypass_proxies re-exported, as requests does)
    DEFAULT_PORTS,
    _getenv,
    default_headers,
    get_auth_from_url,
    get_environ_proxies,
    get_netrc_auth,
    requote_uri,
    resolve_proxies,
    rewind_body,
    select_proxy,
    should_bypass_proxies,
    to_key_val_list,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._types import (
        AuthType,
        CertType,
        CookiesType,
        DataType,
        FilesType,
        HeadersType,
        HooksType,
        ParamsType,
        ProxiesType,
        RequestKwargs,
        TimeoutType,
        VerifyType,
        _GetKwargs,
        _PostKwargs,
        _PutKwargs,
    )

__all__ = [
    "Session",
    "SessionRedirectMixin",
    "merge_hooks",
    "merge_setting",
    "session",
]

#: The clock behind ``Response.elapsed``: monotonic and high resolution on every platform.
preferred_clock = perf_counter

# Schemes a redirect may lead to when it leaves its origin. A redirect into anything else
# (file:, ftp:, or our own http+unix: which would reach a local socket) is refused.
_REDIRECT_SCHEMES = frozenset(("http", "https"))

# At most this much of a redirect response's body is read (undecoded) before the connection is
# simply closed instead: a redirect body is never worth a large download.
_REDIRECT_BODY_LIMIT = 1 << 20

# Redirect statuses that keep the method and the body.
_KEEP_BODY_STATI = frozenset((codes.temporary_redirect, codes.permanent_redirect))


def merge_setting(
    request_setting: Any, session_setting: Any, dict_class: type = OrderedDict
) -> Any:
    """Determine the setting for a request from its own value and the session's.

    The request's value wins. When both are mappings they are merged (request keys over session
    keys) into a ``dict_class``, and keys whose merged value is ``None`` are removed: that is how
    ``headers={"User-Agent": None}`` takes a session header out of one request.
    """
    if session_setting is None:
        return request_setting
    if request_setting is None:
        return session_setting
    # Bypass if not a dictionary (e.g. verify). The types met on every request are sorted by
    # their exact type first: isinstance() against the Mapping ABC costs far more than a set
    # lookup, and it runs several times per request.
    request_type = type(request_setting)
    session_type = type(session_setting)
    if request_type in _SCALAR_TYPES or session_type in _SCALAR_TYPES:
        return request_setting
    if not (
        (session_type in _MAPPING_TYPES or isinstance(session_setting, Mapping))
        and (request_type in _MAPPING_TYPES or isinstance(request_setting, Mapping))
    ):
        return request_setting

    if not request_setting:
        # The request adds nothing (it has no headers, params or proxies of its own: the common
        # case). Then the session's mapping itself is the answer, exactly as when the request
        # setting is None: no copy per request. Consumers only read it.
        if not session_setting:
            return session_setting
        if not _has_none_value(session_setting):
            return session_setting

    merged = dict_class(session_setting)
    merged.update(request_setting)
    # Collect the keys first: the mapping cannot change while it is iterated.
    for key in [k for (k, v) in merged.items() if v is None]:
        del merged[key]
    return merged


def _has_none_value(mapping: Mapping[Any, Any]) -> bool:
    """Whether any value of ``mapping`` is ``None`` (checked without per-key lookups)."""
    if isinstance(mapping, CaseInsensitiveDict):
        for _, value in mapping._store.values():
            if value is None:
                return True
        return False
    return any(value is None for value in mapping.values())


# Exact types that merge_setting can classify without isinstance(): these are mappings...
_MAPPING_TYPES = frozenset((dict, OrderedDict, CaseInsensitiveDict))
# ... and these never are (verify, stream and cert values, auth tuples).
_SCALAR_TYPES = frozenset((bool, str, bytes, int, float, tuple))


def merge_hooks(
    request_hooks: dict[str, Any] | None,
    session_hooks: dict[str, Any] | None,
    dict_class: type = OrderedDict,
) -> dict[str, Any] | None:
    """Merge request and session hooks.

    A plain merge would let a request's empty ``{"response": []}`` (every Request has one)
    silence the session's hooks, so an empty side simply yields the other side.
    """
    if session_hooks is None or session_hooks.get("response") == []:
        return request_hooks
    if request_hooks is None or request_hooks.get("response") == []:
        return session_hooks
    result: dict[str, Any] = merge_setting(request_hooks, session_hooks, dict_class)
    return result


def _recode_location(location: str) -> str:
    """Undo the latin-1 decoding of a ``Location`` value when it was really UTF-8.

    Header values reach us decoded as latin-1 (what HTTP/1.1 specifies), but servers that put
    non-ASCII in a Location nearly always mean UTF-8. A value that is not valid UTF-8 is kept
    as it is: it will be percent-encoded later, and no ``UnicodeError`` ever escapes from here.
    """
    if location.isascii():
        return location
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location


def _redirect_url(base: str, location: str, fragment: str) -> tuple[str, str]:
    """The absolute URL a ``Location`` leads to from ``base``, and the fragment it carries.

    A Location that cannot be parsed (``http://[::1``, a port that is not a number) raises
    :class:`InvalidURL` here, where the redirect is followed or ``Response.next`` is read.
    """
    url = location
    try:
        # A scheme-relative Location ("//host/path", RFC 3986 4.2) takes the current scheme.
        if url.startswith("//"):
            url = urlsplit(base).scheme + ":" + url

        # Carry the fragment over when the Location has none (RFC 9110 10.2.2).
        parsed = urlsplit(url)
        if parsed.fragment == "" and fragment:
            parsed = parsed._replace(fragment=fragment)
        elif parsed.fragment:
            fragment = parsed.fragment
        url = parsed.geturl()

        # Relative Locations are allowed (RFC 9110 10.2.2); percent-encode what needs it.
        if not parsed.netloc:
            url = _join_url(base, requote_uri(url))
        else:
            url = requote_uri(url)
        parsed = urlsplit(url)
        parsed.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError as exc:
        if isinstance(exc, InvalidURL):
            raise
        raise InvalidURL(f"Invalid redirect target {location!r}: {exc}") from None
    return url, fragment


def _origin(url: str | None) -> tuple[str, str, int | None]:
    """The (scheme, host, port) of a URL, default ports filled in, for same-origin checks.

    A port that is not a number gives -1: such a URL matches no other origin (and the adapter
    refuses it with InvalidURL when it is sent).
    """
    parts = urlsplit(url or "")
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is None:
        port = DEFAULT_PORTS.get(scheme)
    return (scheme, (parts.hostname or "").lower(), port)


def _jar_is_empty(jar: Any) -> bool:
    """True when a cookie jar certainly holds no cookie, checked without taking its lock.

    ``http.cookiejar.CookieJar`` keeps its cookies in ``_cookies``; an empty dict there means no
    cookie. Anything else (an exotic jar, leftovers of cleared domains) takes the normal path.
    """
    return isinstance(jar, CookieJar) and not getattr(jar, "_cookies", True)


def _join_url(base: str | None, url: str) -> str:
    """``urljoin`` that also resolves relative references against ``http+unix://`` URLs.

    ``urllib.parse.urljoin`` only joins for schemes it knows; for anything else it returns the
    reference unchanged, which would turn ``/next`` into a URL without a scheme.
    """
    if not base:
        return url
    scheme, sep, rest = base.partition("://")
    if not sep or scheme.lower() in ("http", "https"):
        return urljoin(base, url)
    joined = urljoin("http://" + rest, url)
    return scheme + joined[len("http") :]


def _discard_redirect_body(resp: Response) -> None:
    """Read and drop a redirect response's body without decoding it, then release it.

    The body is read with ``decode_content=False``: a 3xx carrying a gzip bomb costs us at most
    ``_REDIRECT_BODY_LIMIT`` bytes of compressed data and is never inflated. An uncompressed body
    that was read in full is kept as the response's ``content`` (it is the same bytes either way)
    so ``history`` stays inspectable; a compressed or oversized one becomes ``b""``.
    """
    if resp._content is not False:
        # Already read (by a hook, or a caller that streamed it): just release the connection.
        resp.close()
        return
    raw = resp.raw
    if raw is None:
        resp._content = b""
        resp._content_consumed = True
        return
    encoding = resp.headers.get("content-encoding")
    identity = encoding is None or encoding.strip().lower() in ("", "identity")
    chunks: list[bytes] = []
    total = 0
    complete = False
    try:
        while total <= _REDIRECT_BODY_LIMIT:
            try:
                chunk = raw.read(65536, decode_content=False)
            except TypeError:
                # A plain file-like raw (set by a hook or a test): it does not decode anyway.
                chunk = raw.read(65536)
            if isinstance(chunk, str):
                chunk = chunk.encode("utf-8")
            if not chunk:
                complete = True
                break
            total += len(chunk)
            if identity:
                chunks.append(chunk)
    except (RequestException, OSError):
        complete = False
    resp._content = b"".join(chunks) if (complete and identity) else b""
    resp._content_consumed = True
    if not complete:
        # Do not hand a half-read connection back to the pool.
        try:
            raw.close()
        except Exception:
            pass
    resp.close()


def _drop_auth_hooks(prepared_request: PreparedRequest) -> None:
    """Remove the hooks that auth handlers (``AuthBase`` instances) registered on a request.

    The hooks mapping may be shared with the original request (``copy()`` shares it), so a new
    mapping is built instead of editing the lists in place.
    """
    hooks = prepared_request.hooks
    if not hooks:
        return
    kept: dict[str, Any] = {}
    changed = False
    for event, handlers in hooks.items():
        if not isinstance(handlers, list):
            kept[event] = handlers
            continue
        remaining = [h for h in handlers if not isinstance(getattr(h, "__self__", None), AuthBase)]
        changed = changed or len(remaining) != len(handlers)
        kept[event] = remaining
    if changed:
        prepared_request.hooks = kept


class SessionRedirectMixin:
    """The redirect machinery of :class:`Session`, separate so that it can be customised."""

    max_redirects: int
    trust_env: bool
    cookies: Any

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:  # pragma: no cover
        raise NotImplementedError

    def get_redirect_target(self, resp: Response) -> str | None:
        """Return the URL a response redirects to, or ``None`` when it is not a redirect.

        Subclasses may override this to follow other statuses or headers; it is called at least
        once on every response of a redirect chain.
        """
        if resp.is_redirect:
            return _recode_location(resp.headers["location"])
        return None

    def should_strip_auth(self, old_url: str, new_url: str) -> bool:
        """Decide whether the ``Authorization`` header must be removed when redirecting.

        It is removed when the host changes, when the scheme changes (https to http above all),
        or when the port changes, with one exception kept for compatibility with requests: a
        same-host upgrade from http on its default port to https on its default port keeps it,
        as the credentials then travel over a *more* secure channel to the same host.
        """
        old = urlsplit(old_url)
        new = urlsplit(new_url)
        if old.hostname != new.hostname:
            return True
        try:
            old_port, new_port = old.port, new.port
        except ValueError:
            return True
        if (
            old.scheme == "http"
            and old_port in (80, None)
            and new.scheme == "https"
            and new_port in (443, None)
        ):
            return False
        changed_port = old_port != new_port
        changed_scheme = old.scheme != new.scheme
        default_port = (DEFAULT_PORTS.get(old.scheme, None), None)
        if not changed_scheme and old_port in default_port and new_port in default_port:
            return False
        return changed_port or changed_scheme

    def resolve_redirects(
        self,
        resp: Response,
        req: PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
        yield_requests: bool = False,
        **adapter_kwargs: Any,
    ) -> Generator[Any, None, None]:
        """Follow the redirects of ``resp``: a generator of Responses (or, with
        ``yield_requests=True``, of the PreparedRequests that would be sent).

        Each hop's request is rebuilt from the previous one (method, body, cookies, auth,
        proxies) under the rules in this module's docstring. Past ``max_redirects`` hops,
        :class:`TooManyRedirects` is raised carrying the last response.
        """
        hist: list[Response] = []
        url = self.get_redirect_target(resp)
        previous_fragment = urlsplit(req.url or "").fragment
        while url:
            prepared_request = req.copy()

            # Keep track of history: each response sees the ones before it.
            resp.history = hist[:]
            hist.append(resp)

            if not yield_requests:
                # Free the connection without ever decoding the redirect's body.
                _discard_redirect_body(resp)

            if len(resp.history) >= self.max_redirects:
                raise TooManyRedirects(f"Exceeded {self.max_redirects} redirects.", response=resp)

            url, previous_fragment = _redirect_url(resp.url, url, previous_fragment)
            self._check_redirect_target(resp.url, url)
            # requote_uri percent-encoded anything unsafe (CR, LF, NUL, spaces, non-ASCII).
            prepared_request.url = url

            self.rebuild_method(prepared_request, resp)

            # Only 307 and 308 re-send the body; after every other redirect (303 above all),
            # the body and the headers describing it are dropped.
            if resp.status_code not in _KEEP_BODY_STATI:
                headers = prepared_request.headers
                for header in ("Content-Length", "Content-Type", "Transfer-Encoding"):
                    headers.pop(header, None)
                prepared_request.body = None

            headers = prepared_request.headers
            headers.pop("Cookie", None)
            self._rebuild_cookies(prepared_request, req, resp)

            # Rebuild proxy and auth information for the new URL.
            proxies = self.rebuild_proxies(prepared_request, proxies)
            self.rebuild_auth(prepared_request, resp)

            # A failed tell() left a non-None _body_position, so a body we cannot rewind raises
            # UnrewindableBodyError here instead of sending a truncated body.
            rewindable = prepared_request._body_position is not None and (
                "Content-Length" in headers or "Transfer-Encoding" in headers
            )
            if rewindable:
                rewind_body(prepared_request)

            req = prepared_request

            if yield_requests:
                yield req
            else:
                # Marks the request as a hop of this loop: send() then reads its body only if it
                # is the final response (a redirect's body is discarded undecoded above).
                req._redirect_hop = True  # type: ignore[attr-defined]
                try:
                    resp = self.send(
                        req,
                        stream=stream,
                        timeout=timeout,
                        verify=verify,
                        cert=cert,
                        proxies=proxies,
                        allow_redirects=False,
                        **adapter_kwargs,
                    )
                finally:
                    vars(req).pop("_redirect_hop", None)
                url = self.get_redirect_target(resp)
                yield resp

    def _check_redirect_target(self, old_url: str, new_url: str) -> None:
        """Refuse a redirect that leaves its origin for anything but http or https.

        requests relies on "no adapter for this scheme"; we also mount a handler for
        ``http+unix://``, so a remote server must not be able to send us to a local socket.
        """
        new_origin = _origin(new_url)
        if new_origin[0] in _REDIRECT_SCHEMES or new_origin == _origin(old_url):
            return
        raise InvalidSchema(f"No connection adapters were found for {new_url!r}")

    def _rebuild_cookies(
        self, prepared_request: PreparedRequest, previous: PreparedRequest, resp: Response
    ) -> None:
        """Give the redirected request the cookies that belong to its new URL.

        Cookies the redirect response set are extracted against the request that produced it, so
        a cookie set by host A is scoped to host A and is only sent back if the redirect stays
        there. Cookies passed to this one request without a domain were meant for the original
        URL: they follow same-origin redirects only. Session cookies apply as they would to any
        request to the new URL.
        """
        # PreparedRequest.copy() gave this request its own copy of the jar, of the user's class.
        jar = prepared_request._cookies
        if not isinstance(jar, CookieJar):
            jar = RequestsCookieJar()
        elif _origin(previous.url) != _origin(prepared_request.url):
            for cookie in [c for c in jar if not c.domain]:
                jar.clear(cookie.domain, cookie.path, cookie.name)
        if resp.raw is not None:
            extract_cookies_to_jar(jar, previous, resp.raw)
        if not _jar_is_empty(self.cookies):
            merge_cookies(jar, self.cookies)
        prepared_request.prepare_cookies(jar)

    def rebuild_auth(self, prepared_request: PreparedRequest, response: Response) -> None:
        """Strip ``Authorization`` when redirected to another origin (see
        :meth:`should_strip_auth`), and re-apply ``.netrc`` credentials for the new host when
        ``trust_env`` is set, so that credentials are neither leaked nor needlessly lost.

        Unlike requests, the response hooks of auth handlers (digest auth's 401 handler) are
        dropped too on such a redirect: otherwise the new host could ask for, and get, a digest
        answer computed from the user's password.
        """
        headers = prepared_request.headers
        original_url = response.request.url or ""
        url = prepared_request.url or ""
        if self.should_strip_auth(original_url, url):
            headers.pop("Authorization", None)
            # Challenge-response schemes (digest) answer from a response hook; left in place it
            # would compute credentials for the new host's 401. They stay with their origin too.
            _drop_auth_hooks(prepared_request)
        new_auth = get_netrc_auth(url) if self.trust_env else None
        if new_auth is not None:
            prepared_request.prepare_auth(new_auth)

    def rebuild_proxies(
        self, prepared_request: PreparedRequest, proxies: dict[str, str] | None
    ) -> dict[str, str]:
        """Re-evaluate the proxies for the redirected URL (the environment included, when
        ``trust_env`` is set) and return them.

        Any ``Proxy-Authorization`` header is removed: a header set for the first request must
        not reach the next origin (directly once the new URL is not proxied, or through a CONNECT
        tunnel). It is rebuilt only from the credentials of the proxy URL that will actually
        carry a plain-http request.
        """
        headers = prepared_request.headers
        url = prepared_request.url or ""
        new_proxies: dict[str, str] = resolve_proxies(prepared_request, proxies, self.trust_env)
        headers.pop("Proxy-Authorization", None)
        # A plain-http request through a forward proxy goes *to the proxy* as a whole, so the
        # proxy's own credentials may ride along (as requests does). Never for https: those
        # headers would travel inside the CONNECT tunnel to the origin.
        if not url.lower().startswith("https:"):
            proxy = select_proxy(url, new_proxies)
            # A SOCKS proxy never sees the request: the header would go to the origin.
            if proxy and not proxy.lower().startswith("socks"):
                username, password = get_auth_from_url(proxy)
                if username and password:
                    headers["Proxy-Authorization"] = _basic_auth_str(username, password)
        return new_proxies

    def rebuild_method(self, prepared_request: PreparedRequest, response: Response) -> None:
        """Change the method of a redirected request as browsers do: 303 turns anything but
        HEAD into GET (RFC 9110 15.4.4), 302 too (despite the RFC, as every browser does), and
        301 turns POST into GET. 307 and 308 keep the method.
        """
        method = prepared_request.method
        status = response.status_code
        if status == codes.see_other and method != "HEAD":
            method = "GET"
        if status == codes.found and method != "HEAD":
            method = "GET"
        if status == codes.moved and method == "POST":
            method = "GET"
        prepared_request.method = method


class Session(SessionRedirectMixin):
    """A session: cookie persistence, connection pooling and default settings.

    Basic usage::

      >>> import httpcore_lite as requests
      >>> s = requests.Session()
      >>> s.get("https://httpbin.org/get")
      <Response [200]>

    Or as a context manager, which closes the pooled connections on exit::

      >>> with requests.Session() as s:
      ...     s.get("https://httpbin.org/get")
      <Response [200]>

    ``http+unix://`` URLs (a percent-encoded socket path as the host) are handled by the adapter
    mounted for ``http://`` unless an adapter is mounted for ``http+unix://`` itself.
    """

    __attrs__ = [
        "headers",
        "cookies",
        "auth",
        "proxies",
        "hooks",
        "params",
        "verify",
        "cert",
        "adapters",
        "stream",
        "trust_env",
        "max_redirects",
    ]

    headers: CaseInsensitiveDict[str | bytes]
    auth: AuthType
    proxies: dict[str, str]
    hooks: dict[str, list[Any]]
    params: ParamsType
    stream: bool
    verify: bool | str
    cert: CertType
    max_redirects: int
    trust_env: bool
    cookies: RequestsCookieJar
    adapters: MutableMapping[str, BaseAdapter]

    def __init__(self) -> None:
        #: A case-insensitive dictionary of headers sent with every request of this session.
        self.headers = default_headers()
        #: Default authentication tuple or object.
        self.auth = None
        #: Mapping of scheme (or scheme://host) to proxy URL, used for every request.
        self.proxies = {}
        #: Event-handling hooks.
        self.hooks = default_hooks()
        #: Query-string parameters added to every request (values may be lists).
        self.params = {}
        #: Stream response content by default?
        self.stream = False
        #: TLS verification default: True, False (insecure: any certificate is accepted, so a
        #: man in the middle can read everything; only for testing), or a CA bundle path.
        self.verify = True
        #: Client certificate default: path to a .pem, or a (cert, key) pair.
        self.cert = None
        #: Maximum number of redirects followed before TooManyRedirects (default 30).
        self.max_redirects = DEFAULT_REDIRECT_LIMIT
        #: Trust the environment: proxy variables, CA bundle variables, .netrc.
        self.trust_env = True
        #: All cookies currently held by this session (a RequestsCookieJar by default; any
        #: http.cookiejar.CookieJar works).
        self.cookies = cookiejar_from_dict({})
        # Default connection adapters.
        self.adapters = OrderedDict()
        self.mount("https://", HTTPAdapter())
        self.mount("http://", HTTPAdapter())

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def prepare_request(self, request: Request) -> PreparedRequest:
        """Build a :class:`PreparedRequest` from ``request`` merged with this session's
        settings (cookies, headers, params, auth, hooks).

        A header set to ``None`` in the request removes the session's header of that name.
        Credentials from ``.netrc`` are used when ``trust_env`` is set and no auth was given.
        """
        cookies = request.cookies
        merged_cookies: Any
        if not cookies and _jar_is_empty(self.cookies):
            # Nothing to merge: the PreparedRequest starts with an empty jar of its own.
            merged_cookies = None
        else:
            if not isinstance(cookies, CookieJar):
                cookies = cookiejar_from_dict(cookies or {})
            merged_cookies = merge_cookies(
                merge_cookies(RequestsCookieJar(), self.cookies), cookies
            )

        # Environment's basic authentication, if none was set explicitly.
        auth = request.auth
        if self.trust_env and not auth and not self.auth:
            auth = get_netrc_auth(request.url)

        p = PreparedRequest()
        p.prepare(
            method=request.method,  # upper-cased (and validated) by prepare_method
            url=request.url,
            files=request.files,
            data=request.data,
            json=request.json,
            headers=merge_setting(request.headers, self.headers, dict_class=CaseInsensitiveDict),
            params=merge_setting(request.params, self.params),
            auth=merge_setting(auth, self.auth),
            cookies=merged_cookies,
            hooks=merge_hooks(request.hooks, self.hooks),
        )
        return p

    def request(
        self,
        method: str | bytes,
        url: str | bytes,
        params: ParamsType = None,
        data: DataType = None,
        headers: HeadersType = None,
        cookies: CookiesType = None,
        files: FilesType = None,
        auth: AuthType = None,
        timeout: TimeoutType = None,
        allow_redirects: bool = True,
        proxies: ProxiesType = None,
        hooks: HooksType = None,
        stream: bool | None = None,
        verify: VerifyType = None,
        cert: CertType = None,
        json: Any = None,
    ) -> Response:
        """Construct a :class:`Request`, prepare it with this session's settings and send it.

        :param method: method for the new :class:`Request` object.
        :param url: URL for the new :class:`Request` object.
        :param params: (optional) Dictionary, list of tuples or bytes to send in the query
            string.
        :param data: (optional) Dictionary, list of tuples, bytes, str, file-like object or
            iterable to send in the body.
        :param json: (optional) A JSON serializable object to send in the body.
        :param headers: (optional) Dictionary of HTTP headers; a ``None`` value removes the
            session's header of that name.
        :param cookies: (optional) Dict or CookieJar object to send.
        :param files: (optional) Dictionary of ``'name': file-like-objects`` (or file tuples)
            for multipart encoding upload.
        :param auth: (optional) Auth tuple or callable to enable Basic/Digest/Custom HTTP Auth.
        :param timeout: (optional) How long to wait for the server, as a float, a
            ``(connect, read)`` tuple, or a :class:`~httpcore_lite.adapters.Timeout` (which may
            also bound the whole request with ``total``).
        :param allow_redirects: (optional) Follow redirects. Defaults to ``True``.
        :param proxies: (optional) Dictionary mapping protocol or protocol and hostname to the
            URL of the proxy.
        :param hooks: (optional) Dictionary mapping hook name to one callable or a list.
        :param stream: (optional) If ``False`` (default) the body is downloaded immediately.
        :param verify: (optional) ``True`` (default) to verify the server's TLS certificate,
            a path to a CA bundle file or directory, or ``False`` to accept *any* certificate,
            which exposes the traffic to man-in-the-middle attacks (for testing only).
        :param cert: (optional) Path to a client cert file (.pem), or a ``(cert, key)`` pair.
        :rtype: Response
        """
        if isinstance(url, bytes):
            url = url.decode("utf-8")
        if isinstance(method, bytes):
            method = method.decode("ascii")
        req = Request(
            method=method.upper(),
            url=url,
            headers=headers,
            files=files,
            data=data or {},
            json=json,
            params=params or {},
            auth=auth,
            cookies=cookies,
            hooks=hooks,
        )
        prep = self.prepare_request(req)
        settings = self.merge_environment_settings(
            prep.url or "", proxies or {}, stream, verify, cert
        )
        return self.send(
            prep,
            timeout=timeout,
            allow_redirects=allow_redirects,
            proxies=settings["proxies"],
            stream=settings["stream"],
            verify=settings["verify"],
            cert=settings["cert"],
        )

    def get(
        self, url: str | bytes, params: ParamsType = None, **kwargs: Unpack[_GetKwargs]
    ) -> Response:
        r"""Send a GET request. Returns :class:`Response`.

        :param url: URL for the new :class:`Request` object.
        :param params: (optional) Dictionary, list of tuples or bytes for the query string.
        :param \*\*kwargs: Optional arguments that ``request`` takes.
        """
        kwargs.setdefault("allow_redirects", True)
        return self.request("GET", url, params=params, **kwargs)

    def options(self, url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
        r"""Send an OPTIONS request. Returns :class:`Response`."""
        kwargs.setdefault("allow_redirects", True)
        return self.request("OPTIONS", url, **kwargs)

    def head(self, url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
        r"""Send a HEAD request. Returns :class:`Response`.

        Redirects are not followed unless ``allow_redirects=True`` is passed.
        """
        kwargs.setdefault("allow_redirects", False)
        return self.request("HEAD", url, **kwargs)

    def post(
        self,
        url: str | bytes,
        data: DataType = None,
        json: Any = None,
        **kwargs: Unpack[_PostKwargs],
    ) -> Response:
        r"""Send a POST request. Returns :class:`Response`.

        :param data: (optional) Dictionary, list of tuples, bytes, or file-like object.
        :param json: (optional) A JSON serializable object to send in the body.
        """
        return self.request("POST", url, data=data, json=json, **kwargs)

    def put(
        self, url: str | bytes, data: DataType = None, **kwargs: Unpack[_PutKwargs]
    ) -> Response:
        r"""Send a PUT request. Returns :class:`Response`."""
        return self.request("PUT", url, data=data, **kwargs)

    def patch(
        self, url: str | bytes, data: DataType = None, **kwargs: Unpack[_PutKwargs]
    ) -> Response:
        r"""Send a PATCH request. Returns :class:`Response`."""
        return self.request("PATCH", url, data=data, **kwargs)

    def delete(self, url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
        r"""Send a DELETE request. Returns :class:`Response`."""
        return self.request("DELETE", url, **kwargs)

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:
        """Send a :class:`PreparedRequest` and return its :class:`Response`, following
        redirects unless ``allow_redirects=False``.

        Settings not given fall back to the session's (``stream``, ``verify``, ``cert``;
        ``proxies`` are resolved from the session and, with ``trust_env``, the environment).
        """
        # Defaults the hooks can rely on to reproduce the request.
        kwargs.setdefault("stream", self.stream)
        kwargs.setdefault("verify", self.verify)
        kwargs.setdefault("cert", self.cert)
        if "proxies" not in kwargs:
            kwargs["proxies"] = resolve_proxies(request, self.proxies, self.trust_env)

        # Guard against the common mistake of sending a Request.
        if isinstance(request, Request):
            raise ValueError("You can only send PreparedRequests.")

        allow_redirects = kwargs.pop("allow_redirects", True)
        stream = kwargs.get("stream")
        hooks = request.hooks

        adapter = self.get_adapter(url=request.url or "")

        # With stream=False our adapter reads (and decodes) the body at once. A redirect we are
        # about to follow must not have its body decoded, so when redirects are followed (or
        # this is a hop of resolve_redirects) it is asked for the head only; the body is read at
        # the end, once the response is known to be final. Other adapters get exactly what
        # requests would pass them.
        hop = not allow_redirects and getattr(request, "_redirect_hop", False)
        start = preferred_clock()
        if (allow_redirects or hop) and not stream and isinstance(adapter, HTTPAdapter):
            r = adapter.send(request, **{**kwargs, "stream": True})
        else:
            r = adapter.send(request, **kwargs)
        r.elapsed = timedelta(0, preferred_clock() - start)  # (days, seconds): no keyword parsing

        if hooks and hooks.get("response"):  # nothing to dispatch otherwise (the usual case)
            r = dispatch_hook("response", hooks, r, **kwargs)

        # Persist cookies, those of responses a hook produced included.
        if r.history:
            for resp in r.history:
                self._extract_cookies(resp.request, resp)
        self._extract_cookies(request, r)

        # Our resolve_redirects yields nothing for a response without a redirect target, so
        # its generator (and the URL parsing it starts with) is set up only for a redirect. A
        # subclass's own resolve_redirects is always called, as requests calls it.
        if type(self).resolve_redirects is not Session.resolve_redirects or (
            self.get_redirect_target(r) is not None
        ):
            if allow_redirects:
                history = list(self.resolve_redirects(r, request, **kwargs))
                if history:
                    history.insert(0, r)
                    r = history.pop()
                    r.history = history
            else:
                # Not following: offer the next request as Response.next, computed when it is
                # read, so that a Location we cannot parse never fails this response.
                r._next_pending = partial(self._next_request, r, request, kwargs)

        if not stream and not (hop and self.get_redirect_target(r)):
            r.content  # noqa: B018  (download the body now, as stream=False promises)
        return r

    def _next_request(
        self, resp: Response, request: PreparedRequest, kwargs: dict[str, Any]
    ) -> PreparedRequest | None:
        """The request :attr:`Response.next` offers: None when the target is one we would
        refuse to follow (another scheme), :class:`InvalidURL` when it cannot be parsed."""
        try:
            return next(self.resolve_redirects(resp, request, yield_requests=True, **kwargs))
        except (StopIteration, InvalidSchema):
            return None

    def _extract_cookies(self, request: Any, response: Response) -> None:
        """Store the cookies ``response`` set into the session jar, scoped by ``request``."""
        raw = response.raw
        if raw is not None:
            extract_cookies_to_jar(self.cookies, request, raw)
        elif response.cookies:
            # A response without a raw body (built by a hook) still carries its cookies.
            merge_cookies(self.cookies, response.cookies)

    def merge_environment_settings(
        self,
        url: str,
        proxies: Mapping[str, str] | None,
        stream: bool | None,
        verify: bool | str | None,
        cert: Any,
    ) -> dict[str, Any]:
        """Merge a request's settings with the environment's and the session's.

        With ``trust_env``: proxies from ``HTTP(S)_PROXY``/``ALL_PROXY`` (either case) unless
        ``NO_PROXY`` matches the URL, and ``REQUESTS_CA_BUNDLE`` then ``CURL_CA_BUNDLE`` as
        ``verify`` when it is ``True`` or unset. Variables are read afresh on every call, one
        lookup each in the live environment (``utils._getenv``: ``os.environ.get`` without the
        cost of a miss), so a change takes effect on the next request.
        """
        if self.trust_env:
            no_proxy = proxies.get("no_proxy") if proxies else None
            # Returns {} at once when no proxy variable is set: no URL parsing, no NO_PROXY.
            env_proxies = get_environ_proxies(url, no_proxy=no_proxy)
            if env_proxies:
                # Copy: the caller's dict is theirs, not ours to fill.
                proxies = dict(proxies) if proxies is not None else {}
                for k, v in env_proxies.items():
                    proxies.setdefault(k, v)
            if verify is True or verify is None:
                verify = _getenv("REQUESTS_CA_BUNDLE") or _getenv("CURL_CA_BUNDLE") or verify

        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }

    def get_adapter(self, url: str) -> BaseAdapter:
        """Return the adapter mounted for the longest prefix of ``url`` (case-insensitive).

        ``http+unix://`` URLs fall back to the :class:`HTTPAdapter` mounted for ``http://``.
        """
        lowered = url.lower()
        for prefix, adapter in self.adapters.items():
            if lowered.startswith(prefix.lower()):
                return adapter
        if lowered.startswith("http+unix://"):
            fallback = self.adapters.get("http://")
            if isinstance(fallback, HTTPAdapter):
                return fallback
        raise InvalidSchema(f"No connection adapters were found for {url!r}")

    def close(self) -> None:
        """Close every adapter, and with them the pooled connections."""
        for adapter in self.adapters.values():
            adapter.close()

    def mount(self, prefix: str, adapter: BaseAdapter) -> None:
        """Register an adapter for a URL prefix.

        Adapters are kept sorted by descending prefix length so that the most specific one wins.
        """
        self.adapters[prefix] = adapter
        for key in [k for k in self.adapters if len(k) < len(prefix)]:
            self.adapters[key] = self.adapters.pop(key)

    def __getstate__(self) -> dict[str, Any]:
        return {attr: getattr(self, attr, None) for attr in self.__attrs__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for attr, value in state.items():
            setattr(self, attr, value)


def session() -> Session:
    """Return a :class:`Session` (kept for compatibility; use :class:`Session` directly)."""
    return Session()
