"""
URLs: the one place that parses, normalises and quotes them.

The parser is small and hand-written instead of one big regular expression: every step is a
str.partition/find or an anchored character-class match, so that hostile inputs (200,000 '%',
50,000 '@') cost linear time. The rules follow RFC 3986 as urllib3 applies them for requests: the
authority ends at the first of "/", "\\", "?", "#"; the last "@" separates the credentials; dot
segments are removed and invalid characters percent-encoded for http(s).

requests' URL helpers (``requote_uri``, ``unquote_unreserved``, ``urldefragauth``,
``get_auth_from_url``, ``prepend_scheme_if_needed``) live here too; ``utils`` re-exports them.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import quote, unquote, urlparse, urlsplit, urlunparse

from .exceptions import InvalidSchema, InvalidURL, MissingSchema

__all__ = [
    "DEFAULT_PORTS",
    "ORIGIN_RE",
    "UNRESERVED_SET",
    "get_auth_from_url",
    "has_origin",
    "idna_encode",
    "origin",
    "parse_origin",
    "parse_url",
    "prepend_scheme_if_needed",
    "requote_needed",
    "requote_uri",
    "split_and_normalize",
    "split_url",
    "unquote_unreserved",
    "urldefragauth",
]

# A scheme followed by ":"; "." is left out on purpose (as urllib3 does) so that "host.tld:80"
# reads as a host and port with no scheme, which gives MissingSchema and a useful hint.
_SCHEME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+\-]*:")
_AUTHORITY_END_RE = re.compile(r"[/\\?#]")
# C0 controls and DEL. Space is allowed: it is percent-encoded, as requests does.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_PERCENT_RE = re.compile(r"%[a-fA-F0-9]{2}")
# Characters that may appear in each component unencoded (RFC 3986, as urllib3 applies it).
_UNRESERVED = "A-Za-z0-9\\-._~"
_USERINFO_SAFE = "!$&'()*+,;=:"
_PATH_SAFE = _USERINFO_SAFE + "@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_USERINFO_OK_RE = re.compile(f"[{_UNRESERVED}{re.escape(_USERINFO_SAFE)}]*")
_PATH_OK_RE = re.compile(f"[{_UNRESERVED}{re.escape(_PATH_SAFE)}]*")
_QUERY_OK_RE = re.compile(f"[{_UNRESERVED}{re.escape(_QUERY_SAFE)}]*")
# A final URL made only of these characters (no "%") is unchanged by requote_uri.
_REQUOTE_NOOP_RE = re.compile(f"[{_UNRESERVED}{re.escape(_QUERY_SAFE)}#\\[\\]]*")
# A registered name as DNS understands it (letters, digits, "-", "_", dots); anything else in an
# http(s) host is refused here rather than sent to the resolver.
_HOSTNAME_RE = re.compile(r"[a-z0-9\-_.]+")
_PORT_RE = re.compile(r"[0-9]*")
# A reg-name as urllib3 reads it for requests: no brackets, ":", "/", "?", "#" or whitespace, and
# "%" only in escapes.
_REG_NAME_RE = re.compile(r"(?:[^\[\]%:/?#\s]|%[a-fA-F0-9]{2})*")
# The common URL, matched in one anchored pass: lower-case http(s) scheme, a lower-case DNS name
# or IPv4 address with valid labels, an optional canonical port, and path and query made only of
# characters that need no quoting (no "%", no fragment, no credentials). Every quantifier is over a
# character class that excludes the next delimiter, so matching is linear. Anything else takes the
# general parser.
_SIMPLE_URL_RE = re.compile(
    r"(https?)://"
    r"([a-z0-9_\-]{1,63}(?:\.[a-z0-9_\-]{1,63})*\.?)"
    r"(?::([1-9][0-9]{0,4}))?"
    r"(/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*)?"
    r"(?:\?([A-Za-z0-9\-._~!$&'()*+,;=:@/?]*))?"
)
_NORMALIZABLE_SCHEMES = ("http", "https")


def _encode_invalid_chars(component: str, ok_re: re.Pattern[str], safe: str) -> str:
    """Percent-encode the characters of ``component`` that may not appear in it literally.

    Existing escapes are kept (and upper-cased) when every "%" is part of one; otherwise the "%"
    signs are literal and get encoded too, so that "100%" becomes "100%25" as in requests.
    """
    if ok_re.fullmatch(component):
        return component
    keep_percent = ""
    if "%" in component:
        component, count = _PERCENT_RE.subn(lambda m: m.group(0).upper(), component)
        if count == component.count("%"):
            keep_percent = "%"
    try:
        return quote(component, safe=safe + keep_percent)
    except UnicodeEncodeError as exc:  # lone surrogates
        raise InvalidURL(f"Failed to parse: {component!r}") from exc


def _remove_dot_segments(path: str) -> str:
    """Resolve "." and ".." segments (RFC 3986 section 5.2.4) in one linear pass."""
    output: list[str] = []
    for segment in path.split("/"):
        if segment == ".":
            continue
        if segment != "..":
            output.append(segment)
        elif output:
            output.pop()
    if path.startswith("/") and (not output or output[0]):
        output.insert(0, "")
    if path.endswith(("/.", "/..")):
        output.append("")
    return "/".join(output)


def _bad_host_port(host_port: str) -> InvalidURL:
    return InvalidURL(f"Failed to parse: {host_port!r} is not a valid host or port")


def _check_hostname(host: str) -> None:
    """Refuse http(s) hosts that no resolver would accept: bad characters or bad labels."""
    if not _HOSTNAME_RE.fullmatch(host):
        raise InvalidURL(f"Invalid URL: bad host {host!r}")
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    for label in labels:
        if not label or len(label) > 63:
            raise InvalidURL("URL has an invalid label.")
    if len(host) > 253:
        raise InvalidURL("URL has an invalid label.")


def _check_ip_literal(host: str) -> None:
    """Check "[...]" hosts: an IPv6 address, optionally with a zone id ("%25eth0")."""
    import ipaddress

    inner = host[1:-1]
    address = inner.split("%", 1)[0]
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        if not (inner[:1] in ("v", "V") and "." in inner):  # IPvFuture, passed through
            raise InvalidURL(f"Failed to parse: invalid IPv6 host {host!r}") from None


def idna_encode(host: str) -> str:
    """IDNA 2008 with UTS 46 mapping, as requests does for non-ASCII hosts."""
    import idna  # imported on first use: its tables cost import time most programs never need

    try:
        return idna.encode(host, uts46=True).decode("utf-8")
    except (idna.IDNAError, UnicodeError) as exc:
        raise InvalidURL("URL has an invalid label.") from exc


def split_and_normalize(url: str) -> tuple[str, str, str, Optional[str], Optional[str]]:
    """The general path: parse, then normalise http(s) URLs as urllib3 does for requests.

    Returns (scheme, netloc, path, query, fragment) with netloc = [auth@]host[:port].
    """
    scheme, auth, host, port, path, query, fragment = parse_url(url)
    if auth is not None:
        if scheme in _NORMALIZABLE_SCHEMES:
            auth = _encode_invalid_chars(auth, _USERINFO_OK_RE, _USERINFO_SAFE)
        elif "[" in auth or "]" in auth:
            # Other schemes keep their credentials as written, but brackets there would
            # read as an IPv6 host to every later parser.
            auth = auth.replace("[", "%5B").replace("]", "%5D")
    if scheme in _NORMALIZABLE_SCHEMES:
        if "/." in path or path.startswith("."):
            path = _remove_dot_segments(path)
        path = _encode_invalid_chars(path, _PATH_OK_RE, _PATH_SAFE)
        if query:
            query = _encode_invalid_chars(query, _QUERY_OK_RE, _QUERY_SAFE)
        if fragment:
            fragment = _encode_invalid_chars(fragment, _QUERY_OK_RE, _QUERY_SAFE)

    netloc = f"{auth}@{host}" if auth else host
    if port:
        netloc = f"{netloc}:{port}"
    if not path:
        path = "/"
    elif path[0] != "/":
        path = "/" + path
    return scheme, netloc, path, query, fragment


def parse_url(
    url: str,
) -> tuple[str, Optional[str], str, Optional[int], str, Optional[str], Optional[str]]:
    """Split ``url`` into (scheme, auth, host, port, path, query, fragment).

    The host comes back lower-cased (http/https), IDNA-encoded and validated.
    """
    m = _SCHEME_RE.match(url)
    if m is not None:
        scheme: Optional[str] = url[: m.end() - 1].lower()
        rest = url[m.end() :]
    elif url.startswith("/"):
        scheme, rest = None, url
    else:
        scheme, rest = None, "//" + url

    authority: Optional[str] = None
    if rest.startswith("//"):
        end = _AUTHORITY_END_RE.search(rest, 2)
        if end is None:
            authority, rest = rest[2:], ""
        else:
            authority, rest = rest[2 : end.start()], rest[end.start() :]

    rest, hash_sign, fragment_part = rest.partition("#")
    fragment = fragment_part if hash_sign else None
    path, question, query_part = rest.partition("?")
    query = query_part if question else None

    auth: Optional[str] = None
    host = ""
    port_text = ""
    if authority:
        auth_part, at, host_port = authority.rpartition("@")
        auth = auth_part if at and auth_part else None
        if host_port.startswith("["):
            close = host_port.find("]")
            if close == -1:
                raise _bad_host_port(host_port)
            host, after = host_port[: close + 1], host_port[close + 1 :]
            if after and not after.startswith(":"):
                raise _bad_host_port(host_port)
            port_text = after[1:]
        else:
            host, _colon, port_text = host_port.partition(":")
        if port_text and not _PORT_RE.fullmatch(port_text):
            raise _bad_host_port(host_port)

    if not scheme:
        raise MissingSchema(
            f"Invalid URL {url!r}: No scheme supplied. Perhaps you meant https://{url}?"
        )
    if not host:
        raise InvalidURL(f"Invalid URL {url!r}: No host supplied")

    port: Optional[int] = None
    if port_text:
        digits = port_text.lstrip("0") or "0"
        if len(digits) > 5 or int(digits) > 65535:
            raise InvalidURL(f"Failed to parse: {url}")
        port = int(digits)

    if host.startswith("["):
        _check_ip_literal(host)
    elif not host.isascii():
        host = idna_encode(host)
        if scheme in _NORMALIZABLE_SCHEMES:
            _check_hostname(host)
    elif host.startswith(("*", ".")):
        raise InvalidURL("URL has an invalid label.")
    elif scheme in _NORMALIZABLE_SCHEMES:
        host = host.lower()
        _check_hostname(host)
    elif not _REG_NAME_RE.fullmatch(host):
        # Other schemes (http+unix) keep their host as written, within RFC 3986's reg-name.
        raise _bad_host_port(host)
    return scheme, auth, host, port, path, query, fragment


def split_url(url: str) -> Optional[tuple[str, str, str, Optional[str], Optional[str]]]:
    """Split an http(s) URL into normalised (scheme, netloc, path, query, fragment).

    Returns None for a URL of another scheme (``mailto:``, ``data:``), which is kept as written.
    The common URL takes one anchored match; anything else the general parser.
    """
    simple = _SIMPLE_URL_RE.fullmatch(url)
    if simple is not None and "/." not in url and len(simple.group(2)) <= 253:
        scheme, netloc, port_text, path, query = simple.groups()
        if port_text:
            if int(port_text) > 65535:
                raise InvalidURL(f"Failed to parse: {url}")
            netloc = f"{netloc}:{port_text}"
        if not path:
            path = "/"
        return scheme, netloc, path, query, None
    if _CONTROL_RE.search(url):
        raise InvalidURL(f"Invalid URL {url!r}: control characters are not allowed")
    # Not an HTTP URL: hand it back untouched (the adapter lookup will refuse it later).
    if ":" in url and not url[:4].lower() == "http":
        return None
    return split_and_normalize(url)


def requote_needed(url: str) -> bool:
    """Whether :func:`requote_uri` could change ``url`` (it has a "%" or a character to quote)."""
    return "%" in url or not _REQUOTE_NOOP_RE.fullmatch(url)


# ---------------------------------------------------------------------------------------------
# requests' URL helpers
# ---------------------------------------------------------------------------------------------

#: The unreserved URI characters (RFC 3986 section 2.3).
UNRESERVED_SET = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz" + "0123456789-._~"
)

_SAFE_WITH_PERCENT = "!#$%&'()*+,/:;=?@[]~"
_SAFE_WITHOUT_PERCENT = "!#$&'()*+,/:;=?@[]~"
# A URI made only of characters requote_uri leaves alone is returned as is, skipping the
# split/quote work on the common path.
_ALREADY_QUOTED_RE = re.compile(r"[A-Za-z0-9\-._~!#$&'()*+,/:;=?@\[\]]*\Z")


def unquote_unreserved(uri: str) -> str:
    """Un-escape percent-escapes of unreserved characters, leaving reserved ones escaped.

    :raises InvalidURL: for a malformed escape such as ``%zz`` with alphanumeric digits.
    """
    parts = uri.split("%")
    for i in range(1, len(parts)):
        h = parts[i][0:2]
        if len(h) == 2 and h.isalnum():
            try:
                c = chr(int(h, 16))
            except ValueError:
                raise InvalidURL(f"Invalid percent-escape sequence: '{h}'")
            if c in UNRESERVED_SET:
                parts[i] = c + parts[i][2:]
            else:
                parts[i] = f"%{parts[i]}"
        else:
            parts[i] = f"%{parts[i]}"
    return "".join(parts)


def requote_uri(uri: str) -> str:
    """Quote a URI so it is fully and consistently quoted, without double-quoting.

    Existing valid escapes are kept (unreserved ones normalised); a bare ``%`` that does not start
    a valid escape is quoted as ``%25``.
    """
    if _ALREADY_QUOTED_RE.match(uri):
        return uri
    try:
        # Unquote only the unreserved characters, then quote only illegal characters (do not
        # quote reserved, unreserved, or '%').
        return quote(unquote_unreserved(uri), safe=_SAFE_WITH_PERCENT)
    except InvalidURL:
        # A "%" not followed by a valid escape: quote the "%" as well.
        return quote(uri, safe=_SAFE_WITHOUT_PERCENT)


def prepend_scheme_if_needed(url: str, new_scheme: str) -> str:
    """Give a scheme-less URL (``host:port/path`` or ``//host/path``) the scheme ``new_scheme``.

    Used for proxy URLs written as ``proxy.local:3128``. A URL that already has ``scheme://`` is
    returned unchanged. Unlike ``urlparse``, ``host:port`` is read as a host, not as a scheme.
    """
    if _SCHEME_SLASH_RE.match(url):
        scheme, netloc, path, params, query, fragment = urlparse(url)
        if netloc or not path:
            return url
        # "http:/host" style: move the path into the netloc, as urllib3's parse_url reads it.
        return urlunparse((scheme, path.lstrip("/"), "", params, query, fragment))
    if url.startswith("//"):
        return f"{new_scheme}:{url}"
    return f"{new_scheme}://{url}"


_SCHEME_SLASH_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/")


def get_auth_from_url(url: str) -> tuple[str, str]:
    """Return the percent-decoded ``(username, password)`` of a URL (``("", "")`` when absent)."""
    parsed = urlparse(url)
    try:
        auth = (unquote(parsed.username), unquote(parsed.password))  # type: ignore[arg-type]
    except (AttributeError, TypeError):
        auth = ("", "")
    return auth


def urldefragauth(url: str) -> str:
    """Return ``url`` without its fragment and without the ``user:password@`` part."""
    scheme, netloc, path, params, query, fragment = urlparse(url)
    # see func:`prepend_scheme_if_needed`
    if not netloc:
        netloc, path = path, netloc
    netloc = netloc.rsplit("@", 1)[-1]
    return urlunparse((scheme, netloc, path, params, query, ""))


# ---------------------------------------------------------------------------------------------
# Origins and default ports
# ---------------------------------------------------------------------------------------------

#: The port a URL without one uses, by scheme (requests' ``utils.DEFAULT_PORTS``).
DEFAULT_PORTS = {"http": 80, "https": 443}
# The schemes a request can be sent to, with their default port (a Unix socket has none).
_SENDABLE_PORTS = {**DEFAULT_PORTS, "http+unix": 0}
#: ``scheme://authority``: the origin part of a URL, matched without parsing the rest.
ORIGIN_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)")


def parse_origin(url: str) -> tuple[str, str, int, str | None]:
    """``(scheme, host, port, socket_path)`` of a URL about to be sent; ``socket_path`` for
    ``http+unix://``.

    Strict, for choosing a connection: a scheme nothing can send, a missing host or a bad port
    raise. Compare origins with :func:`origin`, which never raises.
    """
    match = ORIGIN_RE.match(url)
    if match is None:
        raise InvalidURL(f"Invalid URL {url!r}: No scheme supplied or no host")
    scheme = match.group(1).lower()
    netloc = match.group(2).rpartition("@")[2]
    if scheme not in _SENDABLE_PORTS:
        raise InvalidSchema(f"No connection adapters were found for {url!r}")
    if scheme == "http+unix":
        if not netloc:
            raise InvalidURL(f"Invalid URL {url!r}: no socket path")
        return scheme, netloc, 0, unquote(netloc)
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise InvalidURL(f"Invalid URL {url!r}: bad IPv6 address")
        host, rest = netloc[1:end], netloc[end + 1 :]
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port_text = netloc.partition(":")
    if not host:
        raise InvalidURL(f"Invalid URL {url!r}: No host supplied")
    if port_text:
        if not port_text.isdigit() or int(port_text) > 65535:
            raise InvalidURL(f"Invalid URL {url!r}: invalid port {port_text!r}")
        port = int(port_text)
    else:
        port = _SENDABLE_PORTS[scheme]
    return scheme, host.lower(), port, None


def has_origin(url: str, origin: str) -> bool:
    """Whether ``url`` is ``origin`` (``scheme://authority``, as the URL spells it) followed by
    nothing or by its path, query or fragment: the same origin as last time, known without
    parsing the URL again (the hot paths of the core and the adapter ask this per request)."""
    end = len(origin)
    return url.startswith(origin) and (len(url) == end or url[end] in "/?#")


def origin(url: str | None) -> tuple[str, str, int | None]:
    """The (scheme, host, port) of a URL, default ports filled in, for same-origin checks.

    Lenient, for comparing (redirects): any string gives an answer; :func:`parse_origin` is the
    strict reading for sending.

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
