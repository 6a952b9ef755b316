"""
Authentication handlers: requests' ``AuthBase``, Basic, proxy Basic and Digest.

An auth object is a callable that receives the ``PreparedRequest`` and returns it, typically with
an ``Authorization`` header added. Digest needs a round trip: it registers a response hook that
answers a ``401`` challenge by re-sending the request with the computed credentials, through the
same adapter (``response.connection``), so the kept-alive connection is reused.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import warnings
from base64 import b64encode
from collections.abc import Callable
from typing import Any, Optional, Union
from urllib.parse import urlparse

from ._headers import parse_dict_header
from ._internal_utils import to_native_string
from .cookies import RequestsCookieJar, extract_cookies_to_jar

__all__ = [
    "AuthBase",
    "HTTPBasicAuth",
    "HTTPDigestAuth",
    "HTTPProxyAuth",
    "basic_auth_value",
]

CONTENT_TYPE_FORM_URLENCODED = "application/x-www-form-urlencoded"
CONTENT_TYPE_MULTI_PART = "multipart/form-data"


def _credential_bytes(value: Any, what: str) -> bytes:
    if not isinstance(value, (str, bytes)):
        warnings.warn(
            f"Non-string {what}s will no longer be supported in a future release. Convert the "
            f"object you've passed in ({value!r}) to a string or bytes object.",
            category=DeprecationWarning,
            stacklevel=3,
        )
        value = str(value)
    if isinstance(value, str):
        try:
            return value.encode("latin1")
        except UnicodeEncodeError:
            # requests raises here. RFC 7617 lets servers announce charset="UTF-8" and that
            # is what browsers send for characters outside Latin-1, so send that instead.
            return value.encode("utf-8")
    return value


def basic_auth_value(username: Union[str, bytes], password: Union[str, bytes]) -> str:
    """The ``Authorization`` value for HTTP Basic: ``"Basic " + base64(user:password)``.

    ``str`` credentials are encoded as Latin-1, as in requests (so existing servers see the same
    bytes); characters outside Latin-1 are sent as UTF-8 instead of failing.
    """
    user_bytes = _credential_bytes(username, "username")
    password_bytes = _credential_bytes(password, "password")
    return "Basic " + to_native_string(b64encode(b":".join((user_bytes, password_bytes))).strip())


# requests' name for it, which code written for requests imports.
_basic_auth_str = basic_auth_value


class AuthBase:
    """Base class that all auth implementations derive from."""

    def __call__(self, r: Any) -> Any:
        raise NotImplementedError("Auth hooks must be callable.")


class HTTPBasicAuth(AuthBase):
    """Attaches HTTP Basic Authentication to the given Request object."""

    def __init__(self, username: Union[str, bytes], password: Union[str, bytes]) -> None:
        self.username = username
        self.password = password

    def __eq__(self, other: object) -> bool:
        return self.username == getattr(other, "username", None) and self.password == getattr(
            other, "password", None
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __call__(self, r: Any) -> Any:
        r.headers["Authorization"] = basic_auth_value(self.username, self.password)
        return r


class HTTPProxyAuth(HTTPBasicAuth):
    """Attaches HTTP Proxy Authentication (``Proxy-Authorization``) to a given Request object."""

    def __call__(self, r: Any) -> Any:
        r.headers["Proxy-Authorization"] = basic_auth_value(self.username, self.password)
        return r


def _hasher(name: str) -> Optional[Callable[[str], str]]:
    """The ``H()`` of RFC 7616 for an algorithm name (``-sess`` already stripped), or None."""
    constructors: dict[str, Callable[[], Any]] = {
        "MD5": hashlib.md5,
        "SHA": hashlib.sha1,
        "SHA-256": hashlib.sha256,
        "SHA-512": hashlib.sha512,
    }
    if name == "SHA-512-256":
        try:
            hashlib.new("sha512_256")
        except ValueError:
            return None
        constructors[name] = lambda: hashlib.new("sha512_256")
    constructor = constructors.get(name)
    if constructor is None:
        return None

    def hash_utf8(x: Union[str, bytes]) -> str:
        if isinstance(x, str):
            x = x.encode("utf-8")
        h = constructor()
        h.update(x)
        return h.hexdigest()

    return hash_utf8


def _quote(value: str) -> str:
    # A quoted-string: escape backslashes and double quotes so a value cannot end the string.
    return value.replace("\\", "\\\\").replace('"', '\\"')


_DIGEST_PREFIX_RE = re.compile(r"digest ", flags=re.IGNORECASE)


class HTTPDigestAuth(AuthBase):
    """Attaches HTTP Digest Authentication (RFC 7616 / RFC 2617) to the given Request object.

    Algorithms MD5, MD5-sess, SHA (SHA-1), SHA-256, SHA-512 (each with ``-sess``), qop ``auth``
    or none. The challenge, nonce count and retry counter are per thread, so one auth object can
    be shared by threads using one Session; at most one retry is made per challenge.
    """

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        # Keep state in per-thread local storage
        self._thread_local = threading.local()

    def init_per_thread_state(self) -> None:
        """Create this thread's state on first use."""
        if not hasattr(self._thread_local, "init"):
            self._thread_local.init = True
            self._thread_local.last_nonce = ""
            self._thread_local.nonce_count = 0
            self._thread_local.chal = {}
            self._thread_local.pos = None
            self._thread_local.num_401_calls = None

    def _make_cnonce(self, nonce_count: int, nonce: str) -> str:
        """A fresh client nonce: unpredictable, so responses cannot be precomputed."""
        s = str(nonce_count).encode("utf-8")
        s += nonce.encode("utf-8")
        s += time.ctime().encode("utf-8")
        s += os.urandom(8)
        return hashlib.sha1(s).hexdigest()[:16]

    def build_digest_header(self, method: str, url: str) -> Optional[str]:
        """The ``Authorization`` value answering this thread's last challenge, or ``None``.

        ``None`` when the challenge cannot be answered: no ``realm`` or ``nonce``, an
        unsupported algorithm, or only qop values other than ``auth`` (such as ``auth-int``).
        The 401 is then returned as it is.
        """
        chal = self._thread_local.chal
        realm = chal.get("realm")
        nonce = chal.get("nonce")
        if not isinstance(realm, str) or not isinstance(nonce, str) or not nonce:
            return None
        qop = chal.get("qop") or None
        algorithm = chal.get("algorithm") or None
        opaque = chal.get("opaque")

        _algorithm = "MD5" if algorithm is None else algorithm.upper()
        sess = _algorithm.endswith("-SESS")
        hash_utf8 = _hasher(_algorithm[: -len("-SESS")] if sess else _algorithm)
        if hash_utf8 is None:
            return None

        def KD(s: str, d: str) -> str:
            return hash_utf8(f"{s}:{d}")

        # The digest-uri is the request-target as sent: path (never empty) plus query.
        p_parsed = urlparse(url)
        path = p_parsed.path or "/"
        if p_parsed.query:
            path += f"?{p_parsed.query}"

        A1 = f"{self.username}:{realm}:{self.password}"
        A2 = f"{method}:{path}"

        HA1 = hash_utf8(A1)
        HA2 = hash_utf8(A2)

        if nonce == self._thread_local.last_nonce:
            self._thread_local.nonce_count += 1
        else:
            self._thread_local.nonce_count = 1
        ncvalue = f"{self._thread_local.nonce_count:08x}"
        cnonce = self._make_cnonce(self._thread_local.nonce_count, nonce)

        if sess:
            HA1 = hash_utf8(f"{HA1}:{nonce}:{cnonce}")

        if not qop:
            respdig = KD(HA1, f"{nonce}:{HA2}")
        elif qop == "auth" or "auth" in [q.strip() for q in qop.split(",")]:
            noncebit = f"{nonce}:{ncvalue}:{cnonce}:auth:{HA2}"
            respdig = KD(HA1, noncebit)
        else:
            # Only auth-int offered: it needs a hash of the body, which we do not compute.
            return None

        self._thread_local.last_nonce = nonce

        base = (
            f'username="{_quote(self.username)}", realm="{_quote(realm)}", '
            f'nonce="{_quote(nonce)}", uri="{_quote(path)}", response="{respdig}"'
        )
        if opaque:
            base += f', opaque="{_quote(opaque)}"'
        # qop and algorithm are tokens in RFC 7616, but requests has always quoted them and
        # servers accept that; sending the same bytes keeps drop-in behaviour.
        if algorithm:
            base += f', algorithm="{_quote(algorithm)}"'
        if qop:
            base += f', qop="auth", nc={ncvalue}, cnonce="{cnonce}"'
        return f"Digest {base}"

    def handle_redirect(self, r: Any, **kwargs: Any) -> None:
        """A redirect starts a new exchange: allow one digest retry for the next 401 again."""
        if r.is_redirect:
            self._thread_local.num_401_calls = 1

    def _rewind(self, request: Any) -> bool:
        """Put the request body back where it started; False when it cannot be re-sent."""
        body = request.body
        if body is None or isinstance(body, (bytes, str)):
            return True
        seek = getattr(body, "seek", None)
        position = getattr(request, "body_position", None)
        if not isinstance(position, int) or isinstance(position, bool):
            position = self._thread_local.pos
        if seek is None or position is None:
            # A generator or other one-shot stream was consumed by the first attempt.
            return not (hasattr(body, "read") or hasattr(body, "__iter__"))
        try:
            seek(position)
        except (OSError, ValueError):
            return False
        return True

    def handle_401(self, r: Any, **kwargs: Any) -> Any:
        """Takes the given response and tries digest-auth, if needed.

        On a 401 carrying a Digest challenge (at most once per challenge): read and release the
        response, then send a copy of the request with the answer on the same adapter (so the
        kept-alive connection is reused). The 401 goes into the new response's ``history``.
        """
        # Any non-4xx response ends this exchange (requests issue 3772).
        if not 400 <= r.status_code < 500:
            self._thread_local.num_401_calls = 1
            return r

        s_auth = r.headers.get("www-authenticate", "")
        num_401_calls = self._thread_local.num_401_calls or 1

        if "digest" in s_auth.lower() and num_401_calls < 2:
            if not self._rewind(r.request):
                # The body cannot be sent again; answering would send a truncated request.
                self._thread_local.num_401_calls = 1
                return r
            self._thread_local.num_401_calls = num_401_calls + 1
            # Skip any challenge listed before Digest ("Basic realm=..., Digest ...").
            start = s_auth.lower().find("digest ")
            challenge = s_auth[start:] if start > 0 else s_auth
            self._thread_local.chal = parse_dict_header(
                _DIGEST_PREFIX_RE.sub("", challenge, count=1)
            )

            # Read and release the 401 so its connection goes back to the pool and the retry
            # can reuse it.
            r.content  # noqa: B018 - reading the body frees the connection for reuse
            r.close()
            prep = r.request.copy()
            if getattr(prep, "cookie_jar", None) is None:
                prep.cookie_jar = RequestsCookieJar()
            extract_cookies_to_jar(prep.cookie_jar, r.request, r.raw)
            prep.prepare_cookies(prep.cookie_jar)

            header = self.build_digest_header(prep.method, prep.url)
            if header is None:
                self._thread_local.num_401_calls = 1
                return r
            prep.headers["Authorization"] = header
            _r = r.connection.send(prep, **kwargs)
            _r.history.append(r)
            _r.request = prep

            return _r

        self._thread_local.num_401_calls = 1
        return r

    def __call__(self, r: Any) -> Any:
        self.init_per_thread_state()
        # With a nonce from an earlier challenge, answer up front and save the 401 round trip.
        if self._thread_local.last_nonce:
            header = self.build_digest_header(r.method, r.url)
            if header is not None:
                r.headers["Authorization"] = header
        try:
            self._thread_local.pos = r.body.tell()
        except (AttributeError, OSError):
            # Not a file: forget the position a previous file body may have left here.
            self._thread_local.pos = None
        r.register_hook("response", self.handle_401)
        r.register_hook("response", self.handle_redirect)
        self._thread_local.num_401_calls = 1

        return r

    def __eq__(self, other: object) -> bool:
        return self.username == getattr(other, "username", None) and self.password == getattr(
            other, "password", None
        )

    def __ne__(self, other: object) -> bool:
        return not self == other
