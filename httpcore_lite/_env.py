"""
The environment: variables read cheaply and live, the netrc file, and the proxy variables.

Some of these run on every request. They read exactly the variables that matter, one lookup
each (never ``urllib.request.getproxies()``, which walks the whole environment), and never cache
the environment, so a variable changed between two requests applies to the second. Only the
netrc file is cached: its parsed entries by path and modification time, and which netrc file
exists by the home directory's modification time.

Where requests has had advisories, the safe behaviour is kept: netrc credentials are looked up
by the URL's exact hostname (CVE-2024-47081), and CGI-set ``HTTP_PROXY`` is ignored (httpoxy,
CVE-2016-1000110).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Generator
from netrc import NetrcParseError, netrc
from typing import Any, Optional
from urllib.parse import urlsplit

from ._cache import remember

__all__ = [
    "NETRC_FILES",
    "environ_proxies",
    "get_netrc_auth",
    "getenv",
    "getenv_any_case",
    "set_environ",
]


_POSIX_ENVIRON = os.name != "nt"
# Encoded forms of the few variable names we read (constants, not values: nothing about the
# environment itself is cached).
_encoded_names: dict[str, bytes] = {}
# The os.environ of this process, whose decodevalue the values below were decoded with.
_STARTUP_ENVIRON: Any = os.environ
# bytes value in os.environ's mapping -> its decoded str (see getenv). Bounded.
_decoded_values: dict[bytes, str] = {}


def getenv(name: str) -> Optional[str]:
    """``os.environ.get(name)``, without the cost of a miss.

    ``os.environ.get`` answers a missing variable by raising and catching ``KeyError`` inside
    ``os._Environ``, about 2 µs each; most of the variables we read on every request are unset.
    On POSIX the live mapping behind ``os.environ`` (``_data``, which ``os.environ[...] = ...``
    and ``del`` update) is consulted directly instead. Anything else, including a replaced
    ``os.environ``, goes through ``.get``.
    """
    env: Any = os.environ
    if _POSIX_ENVIRON:
        data = getattr(env, "_data", None)
        if type(data) is dict:
            key = _encoded_names.get(name)
            if key is None:
                key = _encoded_names[name] = env.encodekey(name)
            value = data.get(key)
            if value is None:
                return None
            if env is not _STARTUP_ENVIRON:
                return env.decodevalue(value)
            # Decoding is a pure function of the bytes (the same object stays in the mapping
            # until the variable is set again), so the str of each value seen is kept: a
            # changed variable is a new value, looked up and decoded afresh.
            text = _decoded_values.get(value)
            if text is None:
                text = env.decodevalue(value)
                remember(_decoded_values, value, text, 64)
            return text
    return env.get(name)


def getenv_any_case(name: str) -> Optional[str]:
    """``name`` (lower case) from the environment, else its upper-case twin; ``None`` if unset.

    The lower-case variable wins when both are set and non-empty, as in curl and requests.
    """
    return getenv(name) or getenv(name.upper())


@contextlib.contextmanager
def set_environ(env_name: str, value: Optional[str]) -> Generator[None, None, None]:
    """Set ``os.environ[env_name]`` to ``value`` for the block, then restore it.

    ``value=None`` leaves the environment untouched.
    """
    value_changed = value is not None
    old_value = None
    if value_changed:
        old_value = os.environ.get(env_name)
        os.environ[env_name] = value  # type: ignore[assignment]
    try:
        yield
    finally:
        if value_changed:
            if old_value is None:
                del os.environ[env_name]
            else:
                os.environ[env_name] = old_value


NETRC_FILES = (".netrc", "_netrc")
# path -> ((st_mtime_ns, st_size), hosts, default entry). A netrc file is parsed once per change.
_netrc_cache: dict[str, tuple[tuple[int, int], dict[str, tuple[str, str, str]], Any]] = {}
_netrc_cache_lock = threading.Lock()


def _netrc_entries(
    path: str, stat: os.stat_result
) -> tuple[dict[str, tuple[str, str, str]], Optional[tuple[str, str, str]]]:
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _netrc_cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    parsed = netrc(path)
    hosts: dict[str, tuple[str, str, str]] = {}
    for host, entry in parsed.hosts.items():
        login, account, password = entry
        # Host names are case-insensitive; the first entry wins, as in the netrc module.
        hosts.setdefault(host.lower(), (login or "", account or "", password or ""))
    default = parsed.hosts.get("default")
    with _netrc_cache_lock:
        _netrc_cache[path] = (key, hosts, default)
    return hosts, default


# home directory -> (its st_mtime_ns, the netrc path found there or None)
_home_netrc_cache: dict[str, tuple[int, Optional[str]]] = {}
# A directory changed this recently may change again within its timestamp granularity without
# the timestamp moving; such a listing is not cached (git's "racy" rule).
_RACY_SECONDS = 2.0


#: Seconds during which the home netrc lookup of one home directory is not repeated: a file
#: created, changed or removed there is noticed by the first request after that (no restart).
NETRC_RECHECK_INTERVAL = 1.0
# [$HOME as read, the answer of _find_home_netrc, monotonic time of the next check, the bytes
# object behind $HOME in os.environ's mapping then (None when it could not be read directly)]
_home_netrc_last: list[Any] = [None, None, 0.0, None]
# The encoded names of NETRC and HOME in the mapping behind the startup os.environ (POSIX).
_NETRC_KEY = _STARTUP_ENVIRON.encodekey("NETRC") if _POSIX_ENVIRON else None
_HOME_KEY = _STARTUP_ENVIRON.encodekey("HOME") if _POSIX_ENVIRON else None


def _home_netrc() -> Optional[tuple[str, os.stat_result]]:
    """The first of ``~/.netrc`` and ``~/_netrc`` that exists, with its stat, or None.

    $HOME is read on every call, so a new home directory takes effect at once; the file system
    is looked at again at most every :data:`NETRC_RECHECK_INTERVAL` seconds per home, which
    spares a ``stat`` system call (or two) on every request.
    """
    home = getenv("HOME") if _POSIX_ENVIRON else None
    last = _home_netrc_last
    now = time.monotonic()
    if home is not None and home == last[0] and now < last[2]:
        return last[1]
    found = _find_home_netrc(home)
    data = getattr(os.environ, "_data", None)
    raw = data.get(_HOME_KEY) if type(data) is dict and home is not None else None
    _home_netrc_last[:] = [home, found, now + NETRC_RECHECK_INTERVAL, raw]
    return found


def _no_netrc_yet() -> bool:
    """True when, at no cost, the answer is known to be "no netrc": $NETRC unset, $HOME the
    very value (the same object in os.environ's mapping) that the last home lookup found no
    netrc under, within its recheck interval. False means "look" (get_netrc_auth's full path).

    Runs on every request of a session that has no auth: one dict lookup per variable, no str
    decoding, no stat.
    """
    env: Any = os.environ
    data = getattr(env, "_data", None)
    if type(data) is not dict or env is not _STARTUP_ENVIRON:
        return False
    last = _home_netrc_last
    return (
        last[1] is None
        and _NETRC_KEY not in data
        and last[3] is not None
        and data.get(_HOME_KEY) is last[3]
        and time.monotonic() < last[2]
    )


def _find_home_netrc(home: Optional[str]) -> Optional[tuple[str, os.stat_result]]:
    """Look for the home netrc on disk (see :func:`_home_netrc`).

    Most users have none, and probing two missing files costs two failing ``stat`` calls.
    Creating, deleting or renaming a file changes its directory's modification time, so "which
    netrc exists" is cached per home directory and re-checked only when that changes.
    """
    if not home:
        try:
            home = os.path.expanduser("~")
        except KeyError:
            # Neither $HOME nor a passwd entry: there is no home netrc then.
            return None
        if home == "~":
            return None
    try:
        home_mtime = os.stat(home).st_mtime_ns
    except (OSError, ValueError):
        return None
    cached = _home_netrc_cache.get(home)
    if cached is not None and cached[0] == home_mtime:
        if cached[1] is None:
            return None
        try:
            return cached[1], os.stat(cached[1])
        except OSError:
            pass  # replaced in a way that kept the directory's mtime: look again
    for name in NETRC_FILES:
        candidate = os.path.join(home, name)
        try:
            stat = os.stat(candidate)
        except (OSError, ValueError):
            continue
        _remember_home_netrc(home, home_mtime, candidate)
        return candidate, stat
    _remember_home_netrc(home, home_mtime, None)
    return None


def _remember_home_netrc(home: str, home_mtime: int, path: Optional[str]) -> None:
    if time.time_ns() - home_mtime > _RACY_SECONDS * 1e9:
        _home_netrc_cache[home] = (home_mtime, path)
    else:
        _home_netrc_cache.pop(home, None)


def get_netrc_auth(url: str, raise_errors: bool = False) -> Optional[tuple[str, str]]:
    """Return ``(login, password)`` from the netrc file for ``url``'s host, or ``None``.

    The file is ``$NETRC`` when set, else ``~/.netrc`` or ``~/_netrc``. Credentials are looked
    up by the URL's parsed hostname, matched exactly (case-insensitively): never by splitting the
    netloc by hand, which let ``http://example.com:@evil.com/`` receive example.com's password in
    requests before 2.32.4 (CVE-2024-47081). A ``default`` entry applies to any host, as netrc
    defines. The parsed file is cached by path and modification time.

    :param raise_errors: re-raise netrc parse errors and ``OSError`` instead of returning ``None``.
    """
    if _no_netrc_yet():
        return None
    netrc_file = getenv("NETRC")
    if netrc_file is not None:
        netrc_path = os.path.expanduser(netrc_file)
        try:
            stat: Optional[os.stat_result] = os.stat(netrc_path)
        except (OSError, ValueError):
            return None
    else:
        found = _home_netrc()
        if found is None:
            return None
        netrc_path, stat = found
    if stat is None:
        return None

    host = urlsplit(url).hostname
    if not host:
        return None

    try:
        hosts, default = _netrc_entries(netrc_path, stat)
    except (NetrcParseError, OSError, UnicodeDecodeError):
        if raise_errors:
            raise
        return None

    entry = hosts.get(host.lower())
    if entry is None:
        if default is None:
            return None
        entry = (default[0] or "", default[1] or "", default[2] or "")
    login, account, password = entry
    if not (login or account or password):
        # An entry without credentials (e.g. a bare "default") gives none.
        return None
    # As in requests: the login, or the account when the entry has no login.
    return (login if login else account, password)


# The proxy variables read, by key of the returned mapping. Only these are looked up.
_PROXY_SCHEMES = ("http", "https", "all")
_PROXY_NAMES = tuple(
    n for s in (*_PROXY_SCHEMES, "no") for n in (s + "_proxy", s.upper() + "_PROXY")
)
# id(os.environ) -> (os.environ, its encoded _PROXY_NAMES): constants, not environment values.
_proxy_keys: dict[int, tuple[Any, tuple[bytes, ...]]] = {}


def environ_proxies() -> dict[str, str]:
    """The proxies set in the environment: ``{"http": ..., "https": ..., "all": ..., "no": ...}``.

    Reads ``http_proxy``, ``https_proxy``, ``all_proxy``, ``no_proxy`` and their upper-case
    twins (lower case wins), one lookup each; never the whole environment. ``"no"`` is the
    NO_PROXY list, there because urllib's ``getproxies()``, which requests returns, has it.
    Under CGI (``REQUEST_METHOD`` set) ``HTTP_PROXY`` may come from a client's ``Proxy:``
    header (httpoxy), so only the lower-case ``http_proxy`` is trusted there.
    """
    env: Any = os.environ
    data = getattr(env, "_data", None) if _POSIX_ENVIRON else None
    if type(data) is dict:
        # Usually none of the six is set: one lookup each in the live mapping behind
        # os.environ (see getenv) says so, and then the answer is {} as the loop below would
        # find. A variable set since the last request is seen here like any other.
        keys = _proxy_keys.get(id(env))
        if keys is None or keys[0] is not env:
            keys = (env, tuple(env.encodekey(n) for n in _PROXY_NAMES))
            _proxy_keys.clear()
            _proxy_keys[id(env)] = keys
        for key in keys[1]:
            if key in data:
                break
        else:
            return {}
    proxies: dict[str, str] = {}
    for scheme in _PROXY_SCHEMES:
        name = scheme + "_proxy"
        value = getenv(name)
        if value is None:
            if scheme == "http" and getenv("REQUEST_METHOD") is not None:
                continue
            value = getenv(name.upper())
        if value:
            proxies[scheme] = value
    exempt = getenv_any_case("no_proxy")
    if exempt:
        proxies["no"] = exempt
    return proxies
