"""
Sessions: settings that persist across requests (headers, cookies, auth, proxies, adapters).

A :class:`Session` is what keeps connections alive: every request made through one goes to the
same mounted adapters, so a second request to an origin reuses the first one's connection.

Redirects are followed by :class:`~httpcore_lite.redirects.SessionRedirectMixin`, which lives in
:mod:`httpcore_lite.redirects` with the security rules each hop obeys and is re-exported here,
where requests has it.

On the hot path, per request we read exactly the environment variables that matter, one live
lookup each (never a scan of the whole environment, never a cache: a variable changed between
two requests takes effect on the second), and skip cookie-jar work when there are no cookies.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, MutableMapping
from datetime import timedelta
from functools import partial
from http.cookiejar import CookieJar
from time import perf_counter
from typing import TYPE_CHECKING, Any

from ._bodies import rewind_body  # noqa: F401  (re-exported, as requests does)
from ._env import get_netrc_auth, getenv  # noqa: F401  (get_netrc_auth re-exported)
from ._headers import default_headers
from ._proxies import (  # noqa: F401  (should_bypass_proxies re-exported, as requests does)
    get_environ_proxies,
    resolve_proxies,
    select_proxy,
    should_bypass_proxies,
)
from ._urls import DEFAULT_PORTS, get_auth_from_url, requote_uri  # noqa: F401  (re-exported)
from .adapters import BaseAdapter, HTTPAdapter
from .cookies import (
    RequestsCookieJar,
    cookiejar_from_dict,
    extract_cookies_to_jar,
    jar_is_empty,
    merge_cookies,
)
from .exceptions import InvalidSchema, TooManyRedirects  # noqa: F401  (re-exported, as requests does)
from .hooks import default_hooks, dispatch_hook
from .models import (  # noqa: F401  (REDIRECT_STATI re-exported, as requests does)
    DEFAULT_REDIRECT_LIMIT,
    REDIRECT_STATI,
    PreparedRequest,
    Request,
    Response,
    validated_copy,
)
from .redirects import SessionRedirectMixin
from .status_codes import codes  # noqa: F401  (re-exported, as requests does)
from .structures import CaseInsensitiveDict
from .transport.raw import RawResponse

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._types import (
        AuthType,
        CertType,
        CookiesType,
        DataType,
        FilesType,
        GetKwargs,
        HeadersType,
        HooksType,
        ParamsType,
        PostKwargs,
        ProxiesType,
        PutKwargs,
        RequestKwargs,
        TimeoutType,
        VerifyType,
    )

__all__ = [
    "Session",
    "SessionRedirectMixin",
    "merge_hooks",
    "merge_setting",
    "session",
]

# Session._cookies before the session's jar is made (None is a value users may assign).
_NO_JAR: Any = object()
_NEW_JAR_LOCK = threading.Lock()

#: The clock behind ``Response.elapsed``: monotonic and high resolution on every platform.
preferred_clock = perf_counter


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
        for _, value in mapping.fields():
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
    adapters: MutableMapping[str, BaseAdapter]
    _cookies: Any = _NO_JAR

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
        # The jar behind ``cookies``, made on first use (see there).
        self._cookies: Any = _NO_JAR
        # Default connection adapters.
        self.adapters = OrderedDict()
        self.mount("https://", HTTPAdapter())
        self.mount("http://", HTTPAdapter())

    @property
    def cookies(self) -> RequestsCookieJar:
        """All cookies currently held by this session (a RequestsCookieJar by default; any
        http.cookiejar.CookieJar may be assigned).

        The jar is made when first asked for: a session whose requests neither send nor
        receive a cookie (a one-shot ``requests.get``, most API clients) never builds one.
        """
        jar = self._cookies
        if jar is _NO_JAR:
            # Under a lock: threads sharing a new session must all get the one jar, or the
            # cookies stored into a jar that lost the race would be lost with it.
            with _NEW_JAR_LOCK:
                jar = self._cookies
                if jar is _NO_JAR:
                    jar = self._cookies = cookiejar_from_dict(None)
        return jar

    @cookies.setter
    def cookies(self, value: RequestsCookieJar) -> None:
        self._cookies = value

    def _no_cookies(self) -> bool:
        """True when the session certainly holds no cookie (its jar not made yet, or empty)."""
        jar = self._cookies
        return jar is _NO_JAR or jar_is_empty(jar)

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
        if not cookies and self._no_cookies():
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

        # Neither side has params, or the session has no auth (the usual case): merge_setting
        # would hand back the request's value (an empty one for params), so it is not called.
        params = request.params
        if params or self.params:
            params = merge_setting(params, self.params)
        if self.auth is not None:
            auth = merge_setting(auth, self.auth)
        p = PreparedRequest()
        p.prepare(
            method=request.method,  # upper-cased (and validated) by prepare_method
            url=request.url,
            files=request.files,
            data=request.data,
            json=request.json,
            headers=merge_setting(request.headers, self.headers, dict_class=CaseInsensitiveDict),
            params=params,
            auth=auth,
            cookies=merged_cookies,
            hooks=merge_hooks(request.hooks, self.hooks),
        )
        return p

    def _prepare_bare(self, method: str, url: str) -> PreparedRequest | None:
        """``prepare_request(Request(method, url))`` when the session's settings make that
        cheap to know, else None (the caller then takes that very path).

        The session must have no params, no auth, no cookies and no response hooks, and its
        headers must all be str pairs already validated. Then merging adds nothing to them,
        and the steps of ``PreparedRequest.prepare`` that are left are taken here in its order.
        """
        hooks = self.hooks
        if (
            self.params
            or self.auth is not None
            or not (hooks is None or hooks.get("response") == [])
            or not self._no_cookies()
        ):
            return None
        headers = self.headers
        if type(headers) is not CaseInsensitiveDict:
            return None
        copied = validated_copy(headers)
        if copied is None:
            return None
        # Environment's basic authentication (no auth was set explicitly).
        auth = get_netrc_auth(url) if self.trust_env else None
        p = PreparedRequest()
        p.prepare_method(method)
        p.prepare_url(url, None)
        p.headers = copied
        p.prepare_cookies(None)
        p.prepare_body(None, None)
        p.prepare_auth(auth, url)
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
        prep = None
        if (
            params is None
            and data is None
            and headers is None
            and cookies is None
            and files is None
            and auth is None
            and hooks is None
            and json is None
            and type(self).prepare_request is Session.prepare_request
        ):
            # The request brings nothing of its own (the usual GET): often prepared straight
            # from the session's settings, without the Request a subclass would be handed.
            prep = self._prepare_bare(method.upper(), url)
        if prep is None:
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
        self, url: str | bytes, params: ParamsType = None, **kwargs: Unpack[GetKwargs]
    ) -> Response:
        r"""Send a GET request. Returns :class:`Response`.

        :param url: URL for the new :class:`Request` object.
        :param params: (optional) Dictionary, list of tuples or bytes for the query string.
        :param \*\*kwargs: Optional arguments that ``request`` takes.
        """
        if not kwargs:  # (the usual call: no dict of options to fill and unpack)
            return self.request("GET", url, params)
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
        **kwargs: Unpack[PostKwargs],
    ) -> Response:
        r"""Send a POST request. Returns :class:`Response`.

        :param data: (optional) Dictionary, list of tuples, bytes, or file-like object.
        :param json: (optional) A JSON serializable object to send in the body.
        """
        return self.request("POST", url, data=data, json=json, **kwargs)

    def put(self, url: str | bytes, data: DataType = None, **kwargs: Unpack[PutKwargs]) -> Response:
        r"""Send a PUT request. Returns :class:`Response`."""
        return self.request("PUT", url, data=data, **kwargs)

    def patch(
        self, url: str | bytes, data: DataType = None, **kwargs: Unpack[PutKwargs]
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
        hop = not allow_redirects and getattr(request, "redirect_hop", False)
        start = preferred_clock()
        if (allow_redirects or hop) and not stream and isinstance(adapter, HTTPAdapter):
            kwargs["stream"] = True  # (for this call only: the hooks see what was asked)
            r = adapter.send(request, **kwargs)
            kwargs["stream"] = stream
        else:
            r = adapter.send(request, **kwargs)
        r.elapsed = timedelta(0, preferred_clock() - start)  # (days, seconds): no keyword parsing
        received = r  # what the adapter gave: the one response this call traces

        if hooks and hooks.get("response"):  # nothing to dispatch otherwise (the usual case)
            r = dispatch_hook("response", hooks, r, **kwargs)

        # Persist cookies, those of responses a hook produced included. A response of our
        # transport whose head held no Set-Cookie (most) has nothing to give the jar.
        if r.history:
            for resp in r.history:
                self._extract_cookies(resp.request, resp)
        raw = r.raw
        if type(raw) is not RawResponse or raw.has_set_cookie is not False:
            self._extract_cookies(request, r)

        # Our resolve_redirects yields nothing for a response without a redirect target, so
        # its generator (and the URL parsing it starts with) is set up only for a redirect. A
        # subclass's own resolve_redirects is always called, as requests calls it; ours asks
        # our get_redirect_target only about a redirect status.
        cls = type(self)
        if cls.resolve_redirects is not Session.resolve_redirects or (
            (
                r.status_code in REDIRECT_STATI
                or cls.get_redirect_target is not Session.get_redirect_target
            )
            and self.get_redirect_target(r) is not None
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
                r.set_next(partial(self._next_request, r, request, kwargs))

        if not stream and not (hop and self.get_redirect_target(r)):
            r.content  # noqa: B018  (download the body now, as stream=False promises)
        if self.trace is not None and not (
            (allow_redirects or hop) and self.get_redirect_target(received)
        ):
            self.trace(received)  # (a redirect followed is traced once its body is discarded)
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
        lookup each in the live environment (``utils.getenv``: ``os.environ.get`` without the
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
                verify = getenv("REQUESTS_CA_BUNDLE") or getenv("CURL_CA_BUNDLE") or verify

        # A setting the request leaves at None is the session's, as merge_setting would say:
        # that is the usual case, decided here without a call per setting.
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": self.stream if stream is None else merge_setting(stream, self.stream),
            "verify": self.verify if verify is None else merge_setting(verify, self.verify),
            "cert": self.cert if cert is None else merge_setting(cert, self.cert),
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
