"""
Cookie handling: requests' ``RequestsCookieJar`` and the glue to :mod:`http.cookiejar`.

The standard library's ``CookieJar`` implements the cookie rules (domain and path matching,
expiry, secure-only, third-party checks) against urllib's request and response objects.
:class:`MockRequest` and :class:`MockResponse` present our ``PreparedRequest`` and raw response
under that interface, so the rules are the standard library's, not ours.

Hot path: most requests carry no cookies and most responses set none. :func:`get_cookie_header`
and :func:`extract_cookies_to_jar` return before touching the jar (and its lock) in those cases.
"""

from __future__ import annotations

import calendar
import copy
import email.utils
import threading
import time
from collections.abc import Iterator, Mapping, MutableMapping
from http import cookiejar as cookielib
from http.cookies import Morsel
from typing import Any, Optional, Union
from urllib.parse import urlsplit, urlunsplit

from ._internal_utils import to_native_string

__all__ = [
    "CookieConflictError",
    "HostOnlyCookiePolicy",
    "MockRequest",
    "MockResponse",
    "RequestsCookieJar",
    "cookiejar_from_dict",
    "create_cookie",
    "extract_cookies_to_jar",
    "get_cookie_header",
    "merge_cookies",
    "morsel_to_cookie",
    "remove_cookie_by_name",
]


class MockRequest:
    """Presents a ``PreparedRequest`` as the ``urllib.request.Request`` that ``CookieJar`` expects.

    The jar asks for the URL, host and scheme to decide which cookies apply, and adds the Cookie
    header through ``add_unredirected_header``; that header is collected in
    :meth:`get_new_headers` instead of touching the real request.
    """

    def __init__(self, request: Any) -> None:
        self._r = request
        self._new_headers: dict[str, str] = {}
        self._parsed = urlsplit(request.url)
        self._full_url: Optional[str] = None
        self._hosts: Optional[tuple[str, str]] = None
        self.type = self._parsed.scheme

    def get_type(self) -> str:
        return self.type

    def get_host(self) -> str:
        return self._parsed.netloc

    def get_origin_req_host(self) -> str:
        return self.get_host()

    def get_full_url(self) -> str:
        # CookieJar asks for this several times per call (once per domain and cookie checked);
        # the request does not change meanwhile, so compute it once.
        full_url = self._full_url
        if full_url is None:
            full_url = self._full_url = self._compute_full_url()
        return full_url

    def _compute_full_url(self) -> str:
        # The request's URL, unless the user set a Host header: cookies then follow that host.
        host_header = self._r.headers.get("Host")
        if not host_header:
            return self._r.url
        host = to_native_string(host_header, encoding="utf-8")
        parsed = self._parsed
        return urlunsplit((parsed.scheme, host, parsed.path, parsed.query, parsed.fragment))

    def is_unverifiable(self) -> bool:
        return True

    def has_header(self, name: str) -> bool:
        return name in self._r.headers or name in self._new_headers

    def get_header(self, name: str, default: Any = None) -> Any:
        return self._r.headers.get(name, self._new_headers.get(name, default))

    def add_header(self, key: str, val: str) -> None:
        """cookiejar has no legitimate use for this method; add it back if you find one."""
        raise NotImplementedError("Cookie headers should be added with add_unredirected_header()")

    def add_unredirected_header(self, name: str, value: str) -> None:
        self._new_headers[name] = value

    def get_new_headers(self) -> dict[str, str]:
        return self._new_headers

    @property
    def unverifiable(self) -> bool:
        return self.is_unverifiable()

    @property
    def origin_req_host(self) -> str:
        return self.get_origin_req_host()

    @property
    def host(self) -> str:
        return self.get_host()


class MockResponse:
    """Presents a response's header fields as the ``email.message`` that ``CookieJar`` reads.

    ``CookieJar.extract_cookies`` calls ``response.info().get_all("Set-Cookie", [])``; the fields
    come from the raw response's ``header_list`` (duplicates kept: each Set-Cookie is its own
    field and must not be joined with commas, since ``Expires`` dates contain commas).
    """

    def __init__(self, headers: Any) -> None:
        # Either the fields as (name, value) pairs, or any headers object with get_all (what
        # requests passes: http.client's message).
        self._message = headers if hasattr(headers, "get_all") else None
        self._headers = () if self._message is not None else tuple(headers)

    def info(self) -> MockResponse:
        return self

    def get_all(self, name: str, default: Any = None) -> Any:
        if self._message is not None:
            return self._message.get_all(name, default)
        lname = name.lower()
        values = [value for key, value in self._headers if key.lower() == lname]
        return values if values else default

    def getheaders(self, name: str) -> list[str]:
        return self.get_all(name, [])


def _set_cookie_fields(response: Any) -> list[tuple[str, str]]:
    """The ``Set-Cookie``/``Set-Cookie2`` fields of a raw response (or of anything with headers)."""
    if getattr(response, "has_set_cookie", None) is False:
        return []  # the transport's raw response already knows it has none
    header_list = getattr(response, "header_list", None)
    if header_list is None:
        # requests reads urllib3's response through http.client's message; else the headers.
        original = getattr(response, "_original_response", None)
        headers = getattr(original, "msg", None) or getattr(response, "headers", None)
        if headers is None:
            return []
        get_all = getattr(headers, "get_all", None) or getattr(headers, "getlist", None)
        if get_all is not None:  # an email.message.Message
            return [("Set-Cookie", v) for v in get_all("Set-Cookie", [])] + [
                ("Set-Cookie2", v) for v in get_all("Set-Cookie2", [])
            ]
        header_list = headers.items()
    return [
        (name, value)
        for name, value in header_list
        if len(name) >= 10 and name.lower() in ("set-cookie", "set-cookie2")
    ]


def extract_cookies_to_jar(jar: cookielib.CookieJar, request: Any, response: Any) -> None:
    """Store the cookies a response sets into ``jar``, scoped to the request's URL.

    :param request: the ``PreparedRequest`` that produced the response: cookies without a Domain
        attribute belong to its host only (and a Domain attribute must domain-match it).
    :param response: the raw response, whose ``header_list`` holds the fields in wire order.
    """
    fields = _set_cookie_fields(response)
    if not fields:
        return
    jar.extract_cookies(MockResponse(fields), MockRequest(request))  # type: ignore[arg-type]


def jar_is_empty(jar: Any) -> bool:
    """True when ``jar`` certainly holds no cookie: the check that lets a request with no
    cookies skip all cookie-jar work.

    ``CookieJar.__len__`` walks every cookie under the jar's lock; peeking at its domain map
    (``http.cookiejar`` keeps it in ``_cookies``) is O(1). A jar whose cookies were all cleared
    can keep empty inner dicts: it then answers False and the caller takes the normal path, as
    for anything else it cannot tell cheaply.
    """
    cookies = getattr(jar, "_cookies", None)
    if type(cookies) is dict:
        return not cookies
    try:
        return len(jar) == 0
    except TypeError:
        return False


def get_cookie_header(jar: cookielib.CookieJar, request: Any) -> Optional[str]:
    """The ``Cookie`` header value ``jar`` produces for ``request``, or ``None``."""
    if jar is None or jar_is_empty(jar):
        return None
    r = MockRequest(request)
    jar.add_cookie_header(r)  # type: ignore[arg-type]
    return r.get_new_headers().get("Cookie")


def remove_cookie_by_name(
    cookiejar: cookielib.CookieJar,
    name: str,
    domain: Optional[str] = None,
    path: Optional[str] = None,
) -> None:
    """Remove every cookie called ``name`` (optionally only for ``domain`` and ``path``)."""
    clearables = []
    for cookie in cookiejar:
        if cookie.name != name:
            continue
        if domain is not None and domain != cookie.domain:
            continue
        if path is not None and path != cookie.path:
            continue
        clearables.append((cookie.domain, cookie.path, cookie.name))
    for cookie_domain, cookie_path, cookie_name in clearables:
        cookiejar.clear(cookie_domain, cookie_path, cookie_name)


class HostOnlyCookiePolicy(cookielib.DefaultCookiePolicy):
    """The standard library's policy, with RFC 6265's host-only rule for cookies without Domain.

    ``http.cookiejar`` follows the old Netscape rules, under which a cookie set by
    ``a.example.com`` without a Domain attribute is also sent to ``sub.a.example.com``. RFC 6265
    (section 5.3, step 6) makes such a cookie host-only: it goes back to exactly the host that set
    it. Cookies the user adds without a domain (``domain=""``) still go to every host, as in
    requests.

    The domain checks also run faster than the standard library's: it re-parses the request URL
    for every domain and every cookie it checks, while this policy works out the request host once
    per request. Decisions are the same (the test suite compares them).
    """

    def _request_hosts(self, request: Any) -> tuple[str, str]:
        # (request-host, effective request-host name), lower case, computed once per MockRequest.
        cached = getattr(request, "_hosts", None)
        if cached is None:
            cached = _eff_request_host(request)
            if isinstance(request, MockRequest):
                request._hosts = cached
        return cached

    def domain_return_ok(self, domain: str, request: Any) -> bool:
        # A liberal first pass over each domain in the jar before its cookies are looked at.
        req_host, erhn = self._request_hosts(request)
        if not req_host.startswith("."):
            req_host = "." + req_host
        if not erhn.startswith("."):
            erhn = "." + erhn
        dotdomain = "." + domain if domain and not domain.startswith(".") else domain
        if not (req_host.endswith(dotdomain) or erhn.endswith(dotdomain)):
            return False
        return not (self.is_blocked(domain) or self.is_not_allowed(domain))

    def return_ok_verifiability(self, cookie: cookielib.Cookie, request: Any) -> bool:
        # Only the strict settings can refuse a cookie here; without them, skip the third-party
        # computation (a URL parse) that the standard library does regardless.
        version = cookie.version or 0
        if version > 0:
            strict = self.strict_rfc2965_unverifiable
        elif version == 0:
            strict = self.strict_ns_unverifiable
        else:
            strict = False
        if not strict:
            return True
        return super().return_ok_verifiability(cookie, request)

    def return_ok_domain(self, cookie: cookielib.Cookie, request: Any) -> bool:
        req_host, erhn = self._request_hosts(request)
        domain = cookie.domain
        version = cookie.version or 0
        if version == 0 and domain and not cookie.domain_specified:
            # Host-only (RFC 6265): exactly the host that set it.
            lowered = domain.lower()
            if lowered != req_host and lowered != erhn:
                return False
        dotdomain = "." + domain if domain and not domain.startswith(".") else domain
        if (
            version == 0
            and (self.strict_ns_domain & self.DomainStrictNonDomain)
            and not cookie.domain_specified
            and domain != erhn
        ):
            return False
        if version > 0 and not _domain_match(erhn, domain):
            return False
        return not (version == 0 and not ("." + erhn).endswith(dotdomain))


def _eff_request_host(request: Any) -> tuple[str, str]:
    """The request's host (lower case, no port) and its effective name (``.local`` added)."""
    fn = cookielib.eff_request_host  # type: ignore[attr-defined]
    result: tuple[str, str] = fn(request)
    return result


def _domain_match(a: str, b: str) -> bool:
    fn = cookielib.domain_match  # type: ignore[attr-defined]
    return bool(fn(a, b))


class CookieConflictError(RuntimeError):
    """More than one cookie matches a name lookup: narrow it with ``domain`` or ``path``."""


class RequestsCookieJar(cookielib.CookieJar, MutableMapping):
    """A ``CookieJar`` that also behaves like a ``dict`` of cookie names to values.

    Iterating the jar yields :class:`http.cookiejar.Cookie` objects (it is a CookieJar); use
    ``keys()``, ``values()`` and ``items()`` for the dict view. Name lookups (``jar[name]``,
    ``get``) raise :class:`CookieConflictError` when several cookies share the name across
    domains or paths; pass ``domain``/``path`` to ``get`` to choose. Unlike a dict, the jar is
    thread-safe, and it pickles without its lock.

    The default policy is :class:`HostOnlyCookiePolicy`: a cookie set without a Domain attribute
    is returned only to the host that set it (requests also sends it to that host's subdomains).
    """

    def __init__(self, policy: Optional[cookielib.CookiePolicy] = None) -> None:
        super().__init__(HostOnlyCookiePolicy() if policy is None else policy)

    def get(
        self,
        name: str,
        default: Any = None,
        domain: Optional[str] = None,
        path: Optional[str] = None,
    ) -> Any:
        """The value of cookie ``name``, or ``default``.

        :raises CookieConflictError: when several cookies match; narrow with domain/path.
        """
        try:
            return self._find_no_duplicates(name, domain, path)
        except KeyError:
            return default

    def set(self, name: str, value: Any, **kwargs: Any) -> Optional[cookielib.Cookie]:
        """Set a cookie (``kwargs`` as :func:`create_cookie`); ``value=None`` removes it."""
        if value is None:
            remove_cookie_by_name(self, name, domain=kwargs.get("domain"), path=kwargs.get("path"))
            return None
        if isinstance(value, Morsel):
            c = morsel_to_cookie(value)
        else:
            c = create_cookie(name, value, **kwargs)
        self.set_cookie(c)
        return c

    def iterkeys(self) -> Iterator[str]:
        """The cookie names, one per cookie (a name shared by two domains appears twice)."""
        for cookie in iter(self):
            yield cookie.name

    def keys(self) -> list[str]:  # type: ignore[override]
        return list(self.iterkeys())

    def itervalues(self) -> Iterator[Any]:
        for cookie in iter(self):
            yield cookie.value

    def values(self) -> list[Any]:  # type: ignore[override]
        return list(self.itervalues())

    def iteritems(self) -> Iterator[tuple[str, Any]]:
        for cookie in iter(self):
            yield cookie.name, cookie.value

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        """The ``(name, value)`` pairs: ``dict(jar.items())`` gives a plain dict."""
        return list(self.iteritems())

    def list_domains(self) -> list[str]:
        """The distinct domains of the cookies, in jar order."""
        domains: list[str] = []
        for cookie in iter(self):
            if cookie.domain not in domains:
                domains.append(cookie.domain)
        return domains

    def list_paths(self) -> list[str]:
        """The distinct paths of the cookies, in jar order."""
        paths: list[str] = []
        for cookie in iter(self):
            if cookie.path not in paths:
                paths.append(cookie.path)
        return paths

    def multiple_domains(self) -> bool:
        """Whether the jar holds cookies for more than one domain.

        This is what requests documents; requests' code instead answers whether some domain
        holds more than one cookie.
        """
        first: Optional[str] = None
        for cookie in iter(self):
            if first is None:
                first = cookie.domain
            elif cookie.domain != first:
                return True
        return False

    def get_dict(self, domain: Optional[str] = None, path: Optional[str] = None) -> dict[str, Any]:
        """A plain ``{name: value}`` dict of the cookies matching ``domain`` and ``path``."""
        return {
            cookie.name: cookie.value
            for cookie in iter(self)
            if (domain is None or cookie.domain == domain) and (path is None or cookie.path == path)
        }

    def __contains__(self, name: object) -> bool:
        try:
            return super().__contains__(name)
        except CookieConflictError:
            return True

    def __getitem__(self, name: str) -> Any:
        """The value of cookie ``name``.

        :raises KeyError: when there is none.
        :raises CookieConflictError: when several match (use :meth:`get` with domain/path).
        """
        return self._find_no_duplicates(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self.set(name, value)

    def __delitem__(self, name: str) -> None:
        remove_cookie_by_name(self, name)

    def set_cookie(self, cookie: cookielib.Cookie, *args: Any, **kwargs: Any) -> None:
        # A quoted value with escaped quotes inside ("a\"b") would be sent back with the
        # backslashes; drop the escaped quotes, as requests does.
        value = cookie.value
        if (
            isinstance(value, str)
            and value.startswith('"')
            and value.endswith('"')
            and '\\"' in value
        ):
            cookie.value = value.replace('\\"', "")
        super().set_cookie(cookie, *args, **kwargs)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Add the cookies of another jar (copied) or of a mapping/iterable of pairs."""
        if isinstance(other, cookielib.CookieJar):
            for cookie in other:
                self.set_cookie(copy.copy(cookie))
            if kwargs:
                super().update(**kwargs)
        else:
            super().update(other, **kwargs)

    def _find(self, name: str, domain: Optional[str] = None, path: Optional[str] = None) -> Any:
        """The value of the first cookie matching name, domain and path.

        :raises KeyError: when none matches.
        """
        for cookie in iter(self):
            if cookie.name == name:
                if domain is None or cookie.domain == domain:
                    if path is None or cookie.path == path:
                        return cookie.value
        raise KeyError(f"name={name!r}, domain={domain!r}, path={path!r}")

    def _find_no_duplicates(
        self, name: str, domain: Optional[str] = None, path: Optional[str] = None
    ) -> Any:
        """Like :meth:`_find`, but a second match raises :class:`CookieConflictError`.

        Unlike requests, a cookie whose value is empty is found (requests raises KeyError).
        """
        found = False
        to_return: Any = None
        for cookie in iter(self):
            if cookie.name == name:
                if domain is None or cookie.domain == domain:
                    if path is None or cookie.path == path:
                        if found:
                            raise CookieConflictError(
                                f"There are multiple cookies with name, {name!r}"
                            )
                        found = True
                        to_return = cookie.value
        if found:
            return to_return
        raise KeyError(f"name={name!r}, domain={domain!r}, path={path!r}")

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the lock, which cannot be pickled."""
        state = self.__dict__.copy()
        state.pop("_cookies_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if "_cookies_lock" not in self.__dict__:
            self._cookies_lock = threading.RLock()

    def copy(self) -> RequestsCookieJar:
        """A copy of the jar with the same policy; the cookies are copied too."""
        new_cj = RequestsCookieJar()
        new_cj.set_policy(self.get_policy())
        new_cj.update(self)
        return new_cj

    def get_policy(self) -> cookielib.CookiePolicy:
        """The ``CookiePolicy`` this jar uses."""
        return self._policy  # type: ignore[attr-defined]

    # Mapping supplies __eq__ by comparing items(); keep jars unhashable as in requests.
    __hash__ = None  # type: ignore[assignment]


def copy_cookie_jar(jar: Optional[cookielib.CookieJar]) -> Optional[cookielib.CookieJar]:
    """A copy of ``jar`` of the same class, its cookies copied too (None stays None)."""
    if jar is None:
        return None
    if hasattr(jar, "copy"):
        # We're dealing with an instance of RequestsCookieJar
        return jar.copy()
    # We're dealing with a generic CookieJar instance
    new_jar = copy.copy(jar)
    new_jar.clear()
    for cookie in jar:
        new_jar.set_cookie(copy.copy(cookie))
    return new_jar


# requests' name for it.
_copy_cookie_jar = copy_cookie_jar


_COOKIE_DEFAULTS: dict[str, Any] = {
    "version": 0,
    "port": None,
    "domain": "",
    "path": "/",
    "secure": False,
    "expires": None,
    "discard": True,
    "comment": None,
    "comment_url": None,
    "rest": None,  # {"HttpOnly": None}, built per cookie so cookies never share the dict
    "rfc2109": False,
}


def create_cookie(name: str, value: Any, **kwargs: Any) -> cookielib.Cookie:
    """Make a :class:`http.cookiejar.Cookie` with requests' defaults.

    By default the cookie is a session cookie (``discard``) for any domain (``domain=""``) on path
    ``/``. Keyword arguments are the ``Cookie`` attributes above.

    :raises TypeError: for any other keyword argument.
    """
    badargs = set(kwargs) - set(_COOKIE_DEFAULTS)
    if badargs:
        raise TypeError(f"create_cookie() got unexpected keyword arguments: {list(badargs)}")
    result = dict(_COOKIE_DEFAULTS)
    result["rest"] = {"HttpOnly": None}
    result.update(kwargs)
    result["name"] = name
    result["value"] = value
    domain = result["domain"]
    result["port_specified"] = bool(result["port"])
    result["domain_specified"] = bool(domain)
    result["domain_initial_dot"] = domain.startswith(".")
    result["path_specified"] = bool(result["path"])
    return cookielib.Cookie(**result)


_EXPIRES_TEMPLATE = "%a, %d-%b-%Y %H:%M:%S GMT"


def _parse_expires(expires: Any) -> int:
    if not isinstance(expires, str):
        raise TypeError(f"expires: {expires!r} must be a string")
    try:
        return calendar.timegm(time.strptime(expires, _EXPIRES_TEMPLATE))
    except ValueError:
        # Also accept the other date forms servers send ("Wed, 09 Jun 2021 10:18:14 GMT").
        parsed = email.utils.parsedate_tz(expires)
        if parsed is None:
            raise ValueError(f"expires: {expires!r} is not a cookie date") from None
        return int(email.utils.mktime_tz(parsed))


def morsel_to_cookie(morsel: Morsel) -> cookielib.Cookie:
    """Convert a :class:`http.cookies.Morsel` into a ``Cookie``; ``max-age`` wins over ``expires``.

    :raises TypeError: when ``max-age`` is not an integer or ``expires`` is not a string.
    :raises ValueError: when ``expires`` is not a date.
    """
    expires = None
    if morsel["max-age"]:
        try:
            expires = int(time.time() + int(morsel["max-age"]))
        except ValueError:
            raise TypeError(f"max-age: {morsel['max-age']} must be integer")
    elif morsel["expires"]:
        expires = _parse_expires(morsel["expires"])
    return create_cookie(
        comment=morsel["comment"],
        comment_url=bool(morsel["comment"]),
        discard=False,
        domain=morsel["domain"],
        expires=expires,
        name=morsel.key,
        path=morsel["path"],
        port=None,
        rest={"HttpOnly": morsel["httponly"]},
        rfc2109=False,
        secure=bool(morsel["secure"]),
        value=morsel.value,
        version=morsel["version"] or 0,
    )


def cookiejar_from_dict(
    cookie_dict: Optional[Mapping[str, Any]],
    cookiejar: Optional[cookielib.CookieJar] = None,
    overwrite: bool = True,
) -> Any:
    """Put the cookies of a dict into ``cookiejar`` (a new :class:`RequestsCookieJar` if None).

    :param overwrite: when False, names already in the jar keep their value.
    """
    if cookiejar is None:
        cookiejar = RequestsCookieJar()
    if cookie_dict is not None:
        names_from_jar = {cookie.name for cookie in cookiejar}
        for name in cookie_dict:
            if overwrite or (name not in names_from_jar):
                cookiejar.set_cookie(create_cookie(name, cookie_dict[name]))
    return cookiejar


def merge_cookies(
    cookiejar: cookielib.CookieJar, cookies: Union[Mapping[str, Any], cookielib.CookieJar, None]
) -> cookielib.CookieJar:
    """Add ``cookies`` (a dict or a jar) to ``cookiejar`` and return it.

    A dict does not overwrite names already in the jar; a jar's cookies are copied in.

    :raises ValueError: when ``cookiejar`` is not a CookieJar.
    """
    if not isinstance(cookiejar, cookielib.CookieJar):
        raise ValueError("You can only merge into CookieJar")
    if isinstance(cookies, dict):
        if cookies:
            cookiejar = cookiejar_from_dict(cookies, cookiejar=cookiejar, overwrite=False)
    elif isinstance(cookies, cookielib.CookieJar):
        if jar_is_empty(cookies):
            # The common case on the hot path: nothing to copy, and no lock to take.
            return cookiejar
        try:
            cookiejar.update(cookies)  # type: ignore[attr-defined]
        except AttributeError:
            for cookie_in_jar in cookies:
                cookiejar.set_cookie(cookie_in_jar)
    return cookiejar
