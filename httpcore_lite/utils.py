"""
Utility functions used by the requests surface, with requests' names and behaviour.

Two concerns shape this module beyond plain compatibility:

* **The hot path.** Some of these run on every request (proxy selection, ``NO_PROXY``, netrc,
  header validation, URL requoting). They read exactly the environment variables that matter,
  one lookup each (never ``urllib.request.getproxies()``, which walks the whole environment), and
  never cache the environment, so a variable changed between two requests applies to the second.
  Only the netrc file is cached: its parsed entries by path and modification time, and which
  netrc file exists by the home directory's modification time.
* **Security.** Where requests has had advisories, the safe behaviour is kept: netrc credentials
  are looked up by the URL's exact hostname (CVE-2024-47081), header values with CR, LF or NUL are
  refused, and CGI-set ``HTTP_PROXY`` is ignored (httpoxy, CVE-2016-1000110).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import ipaddress
import os
import re
import socket
import struct
import tempfile
import threading
import time
import warnings
import zipfile
from collections import OrderedDict
from collections.abc import Generator, Iterable, Iterator, Mapping
from netrc import NetrcParseError, netrc
from typing import TYPE_CHECKING, Any, Optional, Union
from urllib.parse import quote, unquote, urlparse, urlsplit, urlunparse

from . import certs
from .__version__ import __release__
from ._internal_utils import (  # noqa: F401 - re-exported, as requests.utils does
    HEADER_VALIDATOR_BYTE,
    HEADER_VALIDATOR_STR,
    HEADER_VALIDATORS,
    to_native_string,
    unicode_is_ascii,
)
from .exceptions import FileModeWarning, InvalidHeader, InvalidURL, UnrewindableBodyError
from .structures import CaseInsensitiveDict

if TYPE_CHECKING:
    from http.cookiejar import CookieJar

NETRC_FILES = (".netrc", "_netrc")

#: The CA bundle used when ``verify=True``: certifi's.
DEFAULT_CA_BUNDLE_PATH = certs.where()

DEFAULT_PORTS = {"http": 80, "https": 443}


def _accept_encoding() -> str:
    # Advertise only what the decoders can undo: br and zstd need optional packages.
    codings = ["gzip", "deflate"]
    try:
        import brotli  # noqa: F401
    except ImportError:
        try:
            import brotlicffi  # noqa: F401
        except ImportError:
            pass
        else:
            codings.append("br")
    else:
        codings.append("br")
    try:
        import zstandard  # noqa: F401
    except ImportError:
        pass
    else:
        codings.append("zstd")
    return ", ".join(codings)


#: ``"gzip, deflate"``, plus ``", br"`` / ``", zstd"`` when brotli / zstandard are installed.
DEFAULT_ACCEPT_ENCODING = _accept_encoding()


# ---------------------------------------------------------------------------------------------
# Bodies and files
# ---------------------------------------------------------------------------------------------


def dict_to_sequence(d: Any) -> Any:
    """Return the ``items()`` of a mapping, or the object itself when it has none."""
    if hasattr(d, "items"):
        d = d.items()
    return d


def super_len(o: Any) -> int:
    """The number of bytes left to read from ``o``: a ``str``/``bytes``, buffer or file.

    What is left matters, not the total: a file the user already read part of is sent from its
    current position, so its ``Content-Length`` must be counted from there (``tell()``). A ``str``
    counts its UTF-8 length, since that is how it is sent. Returns 0 when the length cannot be
    known; the caller then streams with ``Transfer-Encoding: chunked``.
    """
    total_length: Optional[int] = None
    current_position = 0

    if isinstance(o, str):
        o = o.encode("utf-8")

    if hasattr(o, "__len__"):
        total_length = len(o)
    elif hasattr(o, "len"):
        total_length = o.len
    elif hasattr(o, "fileno"):
        try:
            fileno = o.fileno()
        except (io.UnsupportedOperation, AttributeError, OSError):
            # e.g. BytesIO has fileno() but raises; fall through to seek/tell.
            pass
        else:
            total_length = os.fstat(fileno).st_size
            # fstat gives bytes; a text-mode file is read as characters, which may differ.
            if "b" not in getattr(o, "mode", "b"):
                warnings.warn(
                    "The Content-Length of this request was computed from the file's size in "
                    "bytes, but the file was opened in text mode (without 'b'); the length may "
                    "be wrong. Open files in binary mode.",
                    FileModeWarning,
                    stacklevel=2,
                )

    if hasattr(o, "tell"):
        try:
            current_position = o.tell()
        except OSError:
            # tell() fails on some streams (e.g. pipes); treat them as fully consumed when the
            # total is known, so we never announce more bytes than will come.
            if total_length is not None:
                current_position = total_length
        else:
            if hasattr(o, "seek") and total_length is None:
                # An unsized seekable object (e.g. a BytesIO wrapper): measure it by seeking.
                try:
                    o.seek(0, 2)
                    total_length = o.tell()
                    o.seek(current_position or 0)
                except OSError:
                    total_length = 0

    if total_length is None:
        total_length = 0

    return max(0, total_length - current_position)


def guess_filename(obj: Any) -> Optional[Union[str, bytes]]:
    """Guess a file name from a file object's ``name`` (``None`` for ``<stdin>``-like names).

    A ``bytes`` name gives a ``bytes`` file name, as in requests.
    """
    name = getattr(obj, "name", None)
    if isinstance(name, str):
        if name and name[0] != "<" and name[-1] != ">":
            return os.path.basename(name)
    elif isinstance(name, bytes):
        if name and name[:1] != b"<" and name[-1:] != b">":
            return os.path.basename(name)
    return None


def extract_zipped_paths(path: str) -> str:
    """Return ``path`` itself, or, when it points inside a zip archive, an extracted copy.

    Lets a CA bundle shipped inside a zipped application be handed to ``ssl``, which needs a real
    file. The extracted copy is written atomically so concurrent callers never see half a file.
    """
    if os.path.exists(path):
        return path

    archive, member = os.path.split(path)
    while archive and not os.path.exists(archive):
        archive, prefix = os.path.split(archive)
        if not prefix:
            # The root was reached without finding an existing file.
            break
        member = "/".join([prefix, member])

    if not zipfile.is_zipfile(archive):
        return path

    with zipfile.ZipFile(archive) as zip_file:
        if member not in zip_file.namelist():
            return path
        tmp = tempfile.gettempdir()
        extracted_path = os.path.join(tmp, member.split("/")[-1])
        if not os.path.exists(extracted_path):
            with atomic_open(extracted_path) as file_handler:
                file_handler.write(zip_file.read(member))
    return extracted_path


@contextlib.contextmanager
def atomic_open(filename: str) -> Generator[io.BufferedWriter, None, None]:
    """Write a file atomically: to a temporary file in the same directory, then rename."""
    tmp_descriptor, tmp_name = tempfile.mkstemp(dir=os.path.dirname(filename) or None)
    try:
        with os.fdopen(tmp_descriptor, "wb") as tmp_handler:
            yield tmp_handler
        os.replace(tmp_name, filename)
    except BaseException:
        os.remove(tmp_name)
        raise


def rewind_body(prepared_request: Any) -> None:
    """Seek a file body back to where it was when the request was prepared.

    Needed before re-sending a body (307/308 redirects, digest auth retries).

    :raises UnrewindableBodyError: when the body cannot seek or the position is unknown.
    """
    body_seek = getattr(prepared_request.body, "seek", None)
    position = getattr(prepared_request, "_body_position", None)
    if body_seek is not None and isinstance(position, int) and not isinstance(position, bool):
        try:
            body_seek(position)
        except OSError:
            raise UnrewindableBodyError(
                "An error occurred when rewinding request body for redirect."
            )
    else:
        raise UnrewindableBodyError("Unable to rewind request body for redirect.")


# ---------------------------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------------------------

_POSIX_ENVIRON = os.name != "nt"
# Encoded forms of the few variable names we read (constants, not values: nothing about the
# environment itself is cached).
_encoded_names: dict[str, bytes] = {}
# The os.environ of this process, whose decodevalue the values below were decoded with.
_STARTUP_ENVIRON: Any = os.environ
# bytes value in os.environ's mapping -> its decoded str (see _getenv). Bounded.
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
                if len(_decoded_values) >= 64:
                    _decoded_values.clear()
                _decoded_values[value] = text
            return text
    return env.get(name)


# The name the rest of the package knew it by.
_getenv = getenv


# ---------------------------------------------------------------------------------------------
# netrc
# ---------------------------------------------------------------------------------------------

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


def _home_netrc() -> Optional[tuple[str, os.stat_result]]:
    """The first of ``~/.netrc`` and ``~/_netrc`` that exists, with its stat, or None.

    Most users have neither, and probing two missing files costs two failing ``stat`` calls per
    request. Creating, deleting or renaming a file changes its directory's modification time, so
    "which netrc exists" is cached per home directory and re-checked only when that changes.
    """
    home = _getenv("HOME") if _POSIX_ENVIRON else None
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
    netrc_file = _getenv("NETRC")
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


# ---------------------------------------------------------------------------------------------
# Key/value lists and header parsing
# ---------------------------------------------------------------------------------------------


def from_key_val_list(value: Any) -> Optional[OrderedDict[Any, Any]]:
    """Make an ``OrderedDict`` from a mapping or a list of 2-tuples.

    :raises ValueError: for scalars (``str``, ``bytes``, ``bool``, ``int``), which are not pairs.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, bool, int)):
        raise ValueError("cannot encode objects that are not 2-tuples")
    return OrderedDict(value)


def to_key_val_list(value: Any) -> Optional[list[Any]]:
    """Make a list of ``(key, value)`` tuples from a mapping or a list of 2-tuples.

    :raises ValueError: for scalars (``str``, ``bytes``, ``bool``, ``int``), which are not pairs.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, bool, int)):
        raise ValueError("cannot encode objects that are not 2-tuples")
    if isinstance(value, Mapping):
        value = value.items()
    return list(value)


def _split_header_list(value: str) -> list[str]:
    """Split a comma-separated header value, keeping commas inside quoted strings.

    The same algorithm as ``urllib.request.parse_http_list``, written here so this module does not
    import ``urllib.request`` (and through it ``http.client``).
    """
    items: list[str] = []
    part: list[str] = []
    escape = quote_open = False
    for ch in value:
        if escape:
            part.append(ch)
            escape = False
            continue
        if quote_open:
            if ch == "\\":
                escape = True
                continue
            if ch == '"':
                quote_open = False
            part.append(ch)
            continue
        if ch == ",":
            items.append("".join(part))
            part = []
            continue
        if ch == '"':
            quote_open = True
        part.append(ch)
    if part:
        items.append("".join(part))
    return [item.strip() for item in items]


def parse_list_header(value: str) -> list[str]:
    """Parse a comma-separated list header (RFC 2068 section 2), unquoting quoted items.

    >>> parse_list_header('token, "quoted value"')
    ['token', 'quoted value']
    """
    result = []
    for item in _split_header_list(value):
        if item[:1] == item[-1:] == '"':
            item = unquote_header_value(item[1:-1])
        result.append(item)
    return result


def parse_dict_header(value: str) -> dict[str, Optional[str]]:
    """Parse ``key=value`` pairs separated by commas; keys without a value map to ``None``.

    >>> sorted(parse_dict_header('foo="is a fish", bar="as well"').items())
    [('bar', 'as well'), ('foo', 'is a fish')]
    """
    result: dict[str, Optional[str]] = {}
    for item in _split_header_list(value):
        if "=" not in item:
            result[item] = None
            continue
        name, item_value = item.split("=", 1)
        if item_value[:1] == item_value[-1:] == '"':
            item_value = unquote_header_value(item_value[1:-1])
        result[name] = item_value
    return result


def unquote_header_value(value: str, is_filename: bool = False) -> str:
    """Undo the quoting of a header value (what browsers actually do, not strict RFC).

    UNC paths (``\\\\server\\share``) in file names keep their backslashes.
    """
    if value and value[0] == value[-1] == '"':
        value = value[1:-1]
        if not is_filename or value[:2] != "\\\\":
            return value.replace("\\\\", "\\").replace('\\"', '"')
    return value


def _parse_content_type_header(header: str) -> tuple[str, dict[str, Any]]:
    """Split a Content-Type header into the media type and its lower-cased parameters.

    Parameters without ``=`` are dropped (as in current requests). Quotes and spaces around keys
    and values go.
    """
    tokens = header.split(";")
    content_type, params = tokens[0].strip(), tokens[1:]
    params_dict: dict[str, Any] = {}
    strip_chars = "\"' "
    for param in params:
        index_of_equals = param.find("=")
        if index_of_equals == -1:
            continue
        key = param[:index_of_equals].strip(strip_chars)
        params_dict[key.lower()] = param[index_of_equals + 1 :].strip(strip_chars)
    return content_type, params_dict


def get_encoding_from_headers(headers: Mapping[str, Any]) -> Optional[str]:
    """The encoding a response declares in its Content-Type, or the HTTP defaults.

    ``charset=`` wins; otherwise ``text/*`` is ISO-8859-1 (RFC 2616) and ``application/json`` is
    UTF-8 (RFC 8259), as in requests. ``None`` when nothing is known.
    """
    content_type = headers.get("content-type")
    if not content_type:
        return None
    if type(content_type) is str:
        # A pure function of the value, and a server sends the same few Content-Types: the
        # answer for each is kept (bounded), sparing the parse on every response.
        known = _ENCODING_BY_TYPE.get(content_type, _UNKNOWN)
        if known is _UNKNOWN:
            known = _encoding_from_content_type(content_type)
            if len(_ENCODING_BY_TYPE) >= 256:
                _ENCODING_BY_TYPE.clear()
            _ENCODING_BY_TYPE[content_type] = known
        return known  # type: ignore[return-value]
    return _encoding_from_content_type(content_type)


_UNKNOWN = object()
_ENCODING_BY_TYPE: dict[str, Optional[str]] = {}


def _encoding_from_content_type(content_type: str) -> Optional[str]:
    content_type, params = _parse_content_type_header(content_type)
    if "charset" in params:
        charset = params["charset"]
        if isinstance(charset, str):
            return charset.strip("'\"")
    if "text" in content_type:
        return "ISO-8859-1"
    if "application/json" in content_type:
        return "utf-8"
    return None


_CHARSET_RE = re.compile(r'<meta.*?charset=["\']*(.+?)["\'>]', flags=re.I)
_PRAGMA_RE = re.compile(r'<meta.*?content=["\']*;?charset=(.+?)["\'>]', flags=re.I)
_XML_RE = re.compile(r'^<\?xml.*?encoding=["\']*(.+?)["\'>]')


def get_encodings_from_content(content: str) -> list[str]:
    """Encodings declared inside an HTML or XML document (meta charset, pragma, XML prolog).

    Deprecated in requests (and here): use ``Response.apparent_encoding`` or charset-normalizer.
    """
    warnings.warn(
        "In requests 3.0, get_encodings_from_content will be removed. For more information, "
        "please see the discussion on issue #2266. (This warning should only appear once.)",
        DeprecationWarning,
        stacklevel=2,
    )
    return _CHARSET_RE.findall(content) + _PRAGMA_RE.findall(content) + _XML_RE.findall(content)


def stream_decode_response_unicode(iterator: Iterable[bytes], r: Any) -> Iterator[Any]:
    """Decode a stream of byte chunks with ``r.encoding``, incrementally.

    An incremental decoder keeps multi-byte characters split across chunks intact. With no
    encoding the chunks pass through as bytes, as in requests. An encoding name Python does not
    know (the server's charset) falls back to UTF-8, as :attr:`Response.text` does.
    """
    if r.encoding is None:
        yield from iterator
        return
    try:
        factory = codecs.getincrementaldecoder(r.encoding)
    except LookupError:
        factory = codecs.getincrementaldecoder("utf-8")
    decoder = factory(errors="replace")
    for chunk in iterator:
        rv = decoder.decode(chunk)
        if rv:
            yield rv
    rv = decoder.decode(b"", final=True)
    if rv:
        yield rv


def iter_slices(string: Any, slice_length: Optional[int]) -> Iterator[Any]:
    """Iterate over ``string`` in slices of ``slice_length`` (the whole when ``None`` or < 1)."""
    pos = 0
    if slice_length is None or slice_length <= 0:
        slice_length = len(string)
    while pos < len(string):
        yield string[pos : pos + slice_length]
        pos += slice_length


def get_unicode_from_response(r: Any) -> Any:
    """Return the response content as ``str`` using the header encoding (deprecated).

    Tries the encoding from Content-Type, then falls back to decoding with replacement.
    """
    warnings.warn(
        "In requests 3.0, get_unicode_from_response will be removed. For more information, "
        "please see the discussion on issue #2266. (This warning should only appear once.)",
        DeprecationWarning,
        stacklevel=2,
    )
    encoding = get_encoding_from_headers(r.headers)
    if encoding:
        try:
            return str(r.content, encoding)
        except (UnicodeError, LookupError):
            pass
    try:
        return str(r.content, encoding or "utf-8", errors="replace")
    except (TypeError, LookupError):
        return r.content


def guess_json_utf(data: bytes) -> Optional[str]:
    """Guess the UTF flavour of a JSON document from its first four bytes (RFC 4627 section 3).

    JSON always starts with two ASCII characters, so the position of NUL bytes reveals UTF-16/32
    and their byte order; a BOM settles it directly.
    """
    sample = data[:4]
    if sample in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return "utf-32"  # BOM included
    if sample[:3] == codecs.BOM_UTF8:
        return "utf-8-sig"  # BOM included, MS style (discouraged)
    if sample[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"  # BOM included
    nullcount = sample.count(b"\x00")
    if nullcount == 0:
        return "utf-8"
    if nullcount == 2:
        if sample[::2] == b"\x00\x00":  # 1st and 3rd are null
            return "utf-16-be"
        if sample[1::2] == b"\x00\x00":  # 2nd and 4th are null
            return "utf-16-le"
        # Did not detect 2 valid UTF-16 ascii-range characters
    if nullcount == 3:
        if sample[:3] == b"\x00\x00\x00":
            return "utf-32-be"
        if sample[1:] == b"\x00\x00\x00":
            return "utf-32-le"
        # Did not detect a valid UTF-32 ascii-range character
    return None


def parse_header_links(value: str) -> list[dict[str, str]]:
    """Parse a ``Link`` header into a list of dicts with ``url`` and the link's parameters.

    i.e. ``<http://.../front.jpeg>; rel=front; type="image/jpeg", <http://.../back.jpeg>; rel=back``
    """
    links: list[dict[str, str]] = []
    replace_chars = " '\""
    value = value.strip(replace_chars)
    if not value:
        return links
    for val in re.split(", *<", value):
        try:
            url, params = val.split(";", 1)
        except ValueError:
            url, params = val, ""
        link = {"url": url.strip("<> '\"")}
        for param in params.split(";"):
            # Split once: a quoted value may itself contain "=" (RFC 8288).
            try:
                key, param_value = param.split("=", 1)
            except ValueError:
                break
            link[key.strip(replace_chars)] = param_value.strip(replace_chars)
        links.append(link)
    return links


# ---------------------------------------------------------------------------------------------
# Cookies (thin wrappers; the jar lives in cookies.py)
# ---------------------------------------------------------------------------------------------


def dict_from_cookiejar(cj: Iterable[Any]) -> dict[str, Any]:
    """Return a ``{name: value}`` dict of the cookies in a jar."""
    return {cookie.name: cookie.value for cookie in cj}


def add_dict_to_cookiejar(cj: CookieJar, cookie_dict: Mapping[str, Any]) -> CookieJar:
    """Insert the cookies of a dict into a jar and return the jar."""
    from .cookies import cookiejar_from_dict

    return cookiejar_from_dict(cookie_dict, cj)


# ---------------------------------------------------------------------------------------------
# URLs
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
    if _SCHEME_RE.match(url):
        scheme, netloc, path, params, query, fragment = urlparse(url)
        if netloc or not path:
            return url
        # "http:/host" style: move the path into the netloc, as urllib3's parse_url reads it.
        return urlunparse((scheme, path.lstrip("/"), "", params, query, fragment))
    if url.startswith("//"):
        return f"{new_scheme}:{url}"
    return f"{new_scheme}://{url}"


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/")


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
# Headers
# ---------------------------------------------------------------------------------------------


def check_header_validity(header: tuple[Any, Any]) -> None:
    """Refuse a header whose name or value could break the message framing.

    Names may not contain ``:``, CR or LF, nor start with whitespace; values may not contain CR,
    LF or NUL, nor start with whitespace. Both must be ``str`` or ``bytes``.

    :raises InvalidHeader: with requests' messages.
    """
    name, value = header
    _validate_header_part(header, name, 0)
    _validate_header_part(header, value, 1)


def _validate_header_part(header: tuple[Any, Any], header_part: Any, index: int) -> None:
    validator: re.Pattern[Any]
    if isinstance(header_part, str):
        validator = HEADER_VALIDATOR_STR[index]
    elif isinstance(header_part, bytes):
        validator = HEADER_VALIDATOR_BYTE[index]
    else:
        raise InvalidHeader(
            f"Header part ({header_part!r}) from {header} "
            f"must be of type str or bytes, not {type(header_part)}"
        )
    if not validator.match(header_part):
        header_kind = "name" if index == 0 else "value"
        raise InvalidHeader(
            f"Invalid leading whitespace, reserved character(s), or return "
            f"character(s) in header {header_kind}: {header_part!r}"
        )


def default_user_agent(name: str = "httpcore_lite") -> str:
    """The default User-Agent: ``httpcore_lite/<version>``."""
    return f"{name}/{__release__}"


def default_headers() -> CaseInsensitiveDict:
    """The headers a new Session starts with."""
    return CaseInsensitiveDict(
        {
            "User-Agent": default_user_agent(),
            "Accept-Encoding": DEFAULT_ACCEPT_ENCODING,
            "Accept": "*/*",
            "Connection": "keep-alive",
        }
    )


# ---------------------------------------------------------------------------------------------
# Networks and proxies
# ---------------------------------------------------------------------------------------------


def dotted_netmask(mask: int) -> str:
    """Turn a prefix length into a dotted netmask: ``24`` -> ``"255.255.255.0"``."""
    bits = 0xFFFFFFFF ^ (1 << 32 - mask) - 1
    return socket.inet_ntoa(struct.pack(">I", bits))


def is_ipv4_address(string_ip: str) -> bool:
    """Whether ``string_ip`` is an IPv4 address (as ``inet_aton`` reads them)."""
    try:
        socket.inet_aton(string_ip)
    except (OSError, ValueError, TypeError):
        return False
    return True


def is_valid_cidr(string_network: str) -> bool:
    """Whether ``string_network`` is an IPv4 CIDR such as ``192.168.1.0/24`` (prefix 1..32)."""
    if string_network.count("/") != 1:
        return False
    address, _, mask_text = string_network.partition("/")
    try:
        mask = int(mask_text)
    except ValueError:
        return False
    if mask < 1 or mask > 32:
        return False
    return is_ipv4_address(address)


def address_in_network(ip: str, net: str) -> bool:
    """Whether the IPv4 address ``ip`` is inside the CIDR network ``net``.

    >>> address_in_network("192.168.1.1", "192.168.1.0/24")
    True
    """
    ipaddr = struct.unpack("=L", socket.inet_aton(ip))[0]
    netaddr, bits = net.split("/")
    netmask = struct.unpack("=L", socket.inet_aton(dotted_netmask(int(bits))))[0]
    network = struct.unpack("=L", socket.inet_aton(netaddr))[0] & netmask
    return (ipaddr & netmask) == (network & netmask)


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


def _env(name: str) -> Optional[str]:
    """``name`` (lower case) from the environment, else its upper-case twin; ``None`` if unset.

    The lower-case variable wins when both are set and non-empty, as in curl and requests.
    """
    return _getenv(name) or _getenv(name.upper())


def _no_proxy_entries(no_proxy: str) -> list[str]:
    return [entry.lower() for entry in no_proxy.replace(" ", "").split(",") if entry]


def _split_entry_port(entry: str) -> tuple[str, Optional[int]]:
    """Split a NO_PROXY entry into its host part and its port (``None`` when it has none)."""
    if entry.startswith("["):
        address, _, rest = entry[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        address, _, port_text = entry.partition(":")
    else:
        # A bare name, IPv4 address, or an unbracketed IPv6 address (no port possible).
        return entry, None
    if port_text.isdigit():
        return address, int(port_text)
    return address, None


def _host_matches(host: str, port: Optional[int], entry: str) -> bool:
    """One NO_PROXY entry against a host name: exact, or a subdomain of it (dot boundary).

    A leading dot (or ``*.``) is optional: ``example.com`` and ``.example.com`` both match
    ``example.com`` and ``www.example.com``, never ``badexample.com``. An entry with a port
    matches only that port.
    """
    name, entry_port = _split_entry_port(entry)
    if entry_port is not None and entry_port != port:
        return False
    if name.startswith("*."):
        name = name[1:]
    name = name.lstrip(".")
    if not name:
        return False
    return host == name or host.endswith("." + name)


def _ip_matches(host: str, port: Optional[int], entry: str) -> bool:
    """One NO_PROXY entry against an IP literal host: same address, CIDR network, ``ip:port``."""
    address, entry_port = _split_entry_port(entry)
    if entry_port is not None and entry_port != port:
        return False
    if address == host:
        return True
    if ":" not in host:
        # IPv4: an exact match was checked above; otherwise only a CIDR entry can match.
        # (socket-based, several times cheaper than the ipaddress module)
        network, slash, bits = address.partition("/")
        if not slash or not bits.isdigit() or ":" in network or not is_ipv4_address(network):
            return False
        mask = int(bits)
        if mask > 32:
            return False
        return mask == 0 or address_in_network(host, address)
    try:
        if "/" in address:
            return ipaddress.ip_address(host) in ipaddress.ip_network(address, strict=False)
        return ipaddress.ip_address(address) == ipaddress.ip_address(host)
    except ValueError:
        return False


def _is_ip_literal(host: str) -> bool:
    if ":" in host:
        return True  # only IPv6 literals have colons in a parsed hostname
    return is_ipv4_address(host) and host.replace(".", "").isdigit()


def should_bypass_proxies(url: str, no_proxy: Optional[str]) -> bool:
    """Whether ``url`` should be fetched directly, per ``no_proxy`` or the environment.

    ``no_proxy`` (else ``$no_proxy`` / ``$NO_PROXY``) is a comma-separated list of: ``*``
    (everything), host names (matching the host and its subdomains; a leading ``.`` is optional),
    ``host:port``, IP addresses (``ip``, ``ip:port``, ``[v6]:port``), and CIDR networks
    (``10.0.0.0/8``, IPv6 too). An entry's port is compared with the URL's port, explicit or the
    scheme's default. URLs without a host (``file:``) are never proxied.

    A name matches on a dot boundary only (as curl, urllib and requests >= 2.33 do):
    ``example.com`` does not make ``badexample.com`` bypass the proxy.

    Without a ``no_proxy`` argument, a host the environment's list does not exempt is finally
    put to :func:`proxy_bypass` with its bare name, as requests does, so code that patches
    ``utils.proxy_bypass`` keeps deciding.
    """
    explicit = no_proxy is not None
    if no_proxy is None:
        no_proxy = _env("no_proxy")
    parsed = urlsplit(url)
    hostname = parsed.hostname
    if hostname is None:
        # URLs don't always have hostnames, e.g. file:/// urls.
        return True
    if no_proxy:
        try:
            port = parsed.port or DEFAULT_PORTS.get(parsed.scheme)
        except ValueError:
            port = None
        if _no_proxy_matches(hostname, port, no_proxy):
            return True
    if explicit:
        return False
    return proxy_bypass(hostname)


def proxy_bypass(host: str) -> bool:
    """Whether ``host`` (a bare host name or IP address, no port) is exempt from proxies.

    requests takes this from urllib, whose answer comes from the environment on Linux and from
    the system settings on macOS and Windows; here only the environment counts (``no_proxy``,
    else ``NO_PROXY``), matched with the rules of :func:`should_bypass_proxies`.
    """
    no_proxy = _env("no_proxy")
    return no_proxy is not None and _no_proxy_matches(host, None, no_proxy)


def _no_proxy_matches(hostname: str, port: Optional[int], no_proxy: str) -> bool:
    """Whether one entry of the comma-separated ``no_proxy`` list matches ``hostname:port``."""
    entries = _no_proxy_entries(no_proxy)
    if "*" in entries:
        return True
    if _is_ip_literal(hostname):
        return any(_ip_matches(hostname, port, entry) for entry in entries)
    return any(_host_matches(hostname, port, entry) for entry in entries)


# The proxy variables read, by key of the returned mapping. Only these are looked up.
_PROXY_SCHEMES = ("http", "https", "all")
_PROXY_NAMES = tuple(
    n for s in (*_PROXY_SCHEMES, "no") for n in (s + "_proxy", s.upper() + "_PROXY")
)
# id(os.environ) -> (os.environ, its encoded _PROXY_NAMES): constants, not environment values.
_proxy_keys: dict[int, tuple[Any, tuple[bytes, ...]]] = {}


def _environ_proxies() -> dict[str, str]:
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
        # os.environ (see _getenv) says so, and then the answer is {} as the loop below would
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
        value = _getenv(name)
        if value is None:
            if scheme == "http" and _getenv("REQUEST_METHOD") is not None:
                continue
            value = _getenv(name.upper())
        if value:
            proxies[scheme] = value
    exempt = _env("no_proxy")
    if exempt:
        proxies["no"] = exempt
    return proxies


def get_environ_proxies(url: str, no_proxy: Optional[str] = None) -> dict[str, str]:
    """The environment's proxies for ``url``: ``{}`` when ``url`` bypasses them (NO_PROXY).

    As in requests, a NO_PROXY list that does not exempt ``url`` comes back under ``"no"``.
    """
    proxies = _environ_proxies()
    if not proxies or should_bypass_proxies(url, no_proxy=no_proxy):
        return {}
    return proxies


def select_proxy(url: str, proxies: Optional[Mapping[str, Any]]) -> Optional[str]:
    """Pick the proxy for ``url`` from a proxies mapping.

    Most specific first: ``"scheme://host"``, ``"scheme"``, ``"all://host"``, ``"all"``.
    """
    if not proxies:
        return None
    urlparts = urlsplit(url)
    hostname = urlparts.hostname
    if hostname is None:
        return proxies.get(urlparts.scheme, proxies.get("all"))
    for proxy_key in (
        urlparts.scheme + "://" + hostname,
        urlparts.scheme,
        "all://" + hostname,
        "all",
    ):
        if proxy_key in proxies:
            return proxies[proxy_key]
    return None


def resolve_proxies(
    request: Any, proxies: Optional[Mapping[str, Any]], trust_env: bool = True
) -> dict[str, Any]:
    """The proxies to use for ``request``: ``proxies`` plus the environment's when trusted.

    The environment's proxy for the URL's scheme (or ``all``) is added unless ``proxies`` already
    names that scheme or NO_PROXY (``proxies["no_proxy"]`` first, then the environment) excludes
    the host. Does not mutate ``proxies``.
    """
    new_proxies = dict(proxies) if proxies is not None else {}
    if not trust_env:
        return new_proxies
    environ_proxies = _environ_proxies()
    if not environ_proxies:
        # Nothing to add; skip URL parsing and NO_PROXY matching entirely.
        return new_proxies
    url = request.url
    scheme = urlsplit(url).scheme
    proxy = environ_proxies.get(scheme, environ_proxies.get("all"))
    if not proxy or scheme in new_proxies:
        return new_proxies
    if should_bypass_proxies(url, no_proxy=new_proxies.get("no_proxy")):
        return new_proxies
    new_proxies[scheme] = proxy
    return new_proxies


__all__ = [
    "DEFAULT_ACCEPT_ENCODING",
    "DEFAULT_CA_BUNDLE_PATH",
    "DEFAULT_PORTS",
    "NETRC_FILES",
    "UNRESERVED_SET",
    "add_dict_to_cookiejar",
    "address_in_network",
    "atomic_open",
    "check_header_validity",
    "default_headers",
    "default_user_agent",
    "dict_from_cookiejar",
    "dict_to_sequence",
    "dotted_netmask",
    "extract_zipped_paths",
    "from_key_val_list",
    "get_auth_from_url",
    "get_encoding_from_headers",
    "get_encodings_from_content",
    "get_environ_proxies",
    "get_netrc_auth",
    "get_unicode_from_response",
    "guess_filename",
    "guess_json_utf",
    "is_ipv4_address",
    "is_valid_cidr",
    "iter_slices",
    "parse_dict_header",
    "parse_header_links",
    "parse_list_header",
    "prepend_scheme_if_needed",
    "proxy_bypass",
    "requote_uri",
    "resolve_proxies",
    "rewind_body",
    "select_proxy",
    "set_environ",
    "should_bypass_proxies",
    "stream_decode_response_unicode",
    "super_len",
    "to_key_val_list",
    "to_native_string",
    "unicode_is_ascii",
    "unquote_header_value",
    "unquote_unreserved",
    "urldefragauth",
]
