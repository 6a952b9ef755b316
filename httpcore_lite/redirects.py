"""
Redirects: how a :class:`~httpcore_lite.sessions.Session` follows them, and the security rules
each hop obeys.

Secrets do not follow a redirect to another origin: ``Authorization`` is dropped on a host change
or a downgrade from https to http (and with it the response hooks of auth handlers, so digest
auth never answers another host's challenge), ``Cookie`` and ``Proxy-Authorization`` headers are
rebuilt for the new URL only, cookies a redirect response sets stay scoped to the host that set
them, no body is re-sent after a 303 (or any redirect that is not 307/308), a redirect may only
leave its origin for an ``http``/``https`` URL, and a redirect response's body is discarded
*without being decoded* (a compressed bomb on a 3xx is never inflated).

requests keeps this machinery in ``sessions``; :mod:`httpcore_lite.sessions` re-exports
:class:`SessionRedirectMixin` so that ``requests.sessions.SessionRedirectMixin`` keeps working.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urljoin, urlsplit

from ._bodies import rewind_body
from ._env import get_netrc_auth
from ._proxies import resolve_proxies, select_proxy
from ._urls import DEFAULT_PORTS, get_auth_from_url, requote_uri
from ._urls import origin as _origin
from .auth import AuthBase, basic_auth_value
from .cookies import RequestsCookieJar, extract_cookies_to_jar, jar_is_empty, merge_cookies
from .exceptions import InvalidSchema, InvalidURL, RequestException, TooManyRedirects
from .models import PreparedRequest, Response
from .status_codes import codes

__all__ = ["SessionRedirectMixin"]

# Schemes a redirect may lead to when it leaves its origin. A redirect into anything else
# (file:, ftp:, or our own http+unix: which would reach a local socket) is refused.
_REDIRECT_SCHEMES = frozenset(("http", "https"))

# At most this much of a redirect response's body is read (undecoded) before the connection is
# simply closed instead: a redirect body is never worth a large download.
_REDIRECT_BODY_LIMIT = 1 << 20

# Redirect statuses that keep the method and the body.
_KEEP_BODY_STATI = frozenset((codes.temporary_redirect, codes.permanent_redirect))


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
    if resp.content_loaded:
        # Already read (by a hook, or a caller that streamed it): just release the connection.
        resp.close()
        return
    raw = resp.raw
    if raw is None:
        resp.set_content(b"")
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
    resp.set_content(b"".join(chunks) if (complete and identity) else b"")
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

    #: A tracing hook (not in requests): called with every response this session receives
    #: from its adapters (each redirect hop once, in order), after its body was read unless
    #: streaming, so ``response.connection_info`` tells which connection carried it and where
    #: the time went. ``None`` (the default) costs nothing.
    trace: Callable[[Response], Any] | None = None

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
                if self.trace is not None:
                    self.trace(resp)

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

            # A failed tell() left a non-None body_position, so a body we cannot rewind raises
            # UnrewindableBodyError here instead of sending a truncated body.
            rewindable = prepared_request.body_position is not None and (
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
                req.redirect_hop = True
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
                    req.redirect_hop = False
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
        jar = prepared_request.cookie_jar
        if not isinstance(jar, CookieJar):
            jar = RequestsCookieJar()
        elif _origin(previous.url) != _origin(prepared_request.url):
            for cookie in [c for c in jar if not c.domain]:
                jar.clear(cookie.domain, cookie.path, cookie.name)
        if resp.raw is not None:
            extract_cookies_to_jar(jar, previous, resp.raw)
        if not jar_is_empty(self.cookies):
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
                    headers["Proxy-Authorization"] = basic_auth_value(username, password)
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
