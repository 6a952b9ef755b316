"""
SSL contexts from requests' ``verify`` and ``cert`` arguments, built once and shared.

Building a context and loading a CA bundle costs milliseconds (certifi's bundle holds ~150
certificates), far more than a whole keep-alive request, so contexts are cached per distinct
setting for the life of the process. A context is rebuilt only when one of its files changes on
disk (new modification time, size or inode; checked at most every :data:`RECHECK_INTERVAL`
seconds), so rotating a CA bundle or client certificate takes effect on new connections without a
restart.

Every setting is chosen here rather than inherited from ``ssl.create_default_context``:

* ``verify=True`` trusts certifi's bundle and nothing else, and ``verify="/path"`` trusts only that
  file or directory. The system store and ``SSL_CERT_FILE``/``SSL_CERT_DIR`` are never mixed in:
  a user who names a CA bundle means "only these" (CVE-2019-11324 was a custom bundle silently
  extended with the system store).
* TLS 1.2 or newer, hostname checks and ``CERT_REQUIRED`` whenever verifying.
* ALPN offers only ``http/1.1``, the one protocol we speak.

The returned contexts are shared between threads and connections: callers must not modify them.
"""

from __future__ import annotations

import os
import ssl
import stat
import threading
import time
from typing import Any, Union

import certifi

from ..exceptions import SSLError

__all__ = ["CertType", "VerifyType", "ca_is_directory", "context_for", "clear_cache"]

#: ``verify=``: True (certifi), False (no checks), or the path of a CA file or directory.
VerifyType = Union[bool, str, "os.PathLike[str]"]
#: ``cert=``: a PEM file holding certificate and key, or a ``(cert, key)`` pair.
CertType = Union[str, "os.PathLike[str]", tuple[Any, Any], None]

_Stamp = tuple[tuple[int, int, int], ...]

#: Seconds between checks of a cached setting's files. Within it a context is returned without
#: touching the file system (a ``stat`` costs more than the rest of the lookup together).
RECHECK_INTERVAL = 1.0

_lock = threading.Lock()
#: (verify, cert) -> [stamp of the files involved, context, monotonic time of the next check].
#: One entry per distinct setting: a changed file replaces its context instead of piling up
#: stale ones.
_cache: dict[tuple[VerifyType, CertType], list[Any]] = {}


def _stat(path: str, message: str) -> tuple[int, int, int]:
    """Identify a file's current version; a missing file raises requests' OSError message."""
    try:
        st = os.stat(path)
    except OSError:
        raise OSError(f"{message}{path}") from None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


_CA_MESSAGE = "Could not find a suitable TLS CA certificate bundle, invalid path: "
_CERT_MESSAGE = "Could not find the TLS certificate file, invalid path: "
_KEY_MESSAGE = "Could not find the TLS key file, invalid path: "


def _paths(verify: VerifyType, cert: CertType) -> tuple[str | None, str | None, str | None]:
    """The CA path, certificate path and key path a setting refers to (None when absent)."""
    if verify is True:
        ca_path: str | None = certifi.where()
    elif verify:
        ca_path = os.fspath(verify)
    else:
        ca_path = None
    if not cert:
        return ca_path, None, None
    if isinstance(cert, (str, os.PathLike)):
        return ca_path, os.fspath(cert), None
    cert_file, key_file = cert
    return (
        ca_path,
        os.fspath(cert_file) if cert_file else None,
        os.fspath(key_file) if key_file else None,
    )


def _stamp(ca_path: str | None, cert_file: str | None, key_file: str | None) -> _Stamp:
    # Checked in requests' order so the first missing file is the one reported.
    stamp = []
    if ca_path is not None:
        stamp.append(_stat(ca_path, _CA_MESSAGE))
    if cert_file is not None:
        stamp.append(_stat(cert_file, _CERT_MESSAGE))
    if key_file is not None:
        stamp.append(_stat(key_file, _KEY_MESSAGE))
    return tuple(stamp)


def _refuse_password() -> bytes:
    """Password callback for encrypted keys: fail instead of prompting on the terminal.

    Without a callback OpenSSL would block reading a passphrase from the controlling tty.
    """
    return b""


def _build(ca_path: str | None, cert_file: str | None, key_file: str | None) -> ssl.SSLContext:
    """Make a new client context for one (verify, cert) setting."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_COMPRESSION  # CRIME
    context.set_alpn_protocols(["http/1.1"])
    if hasattr(context, "post_handshake_auth"):
        # Lets a TLS 1.3 server ask for the client certificate after the handshake.
        context.post_handshake_auth = True
    try:
        if ca_path is None:
            # Order matters: check_hostname must be off before verify_mode may drop to CERT_NONE.
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context.verify_mode = ssl.CERT_REQUIRED
            context.check_hostname = True
            if os.path.isdir(ca_path):
                context.load_verify_locations(capath=ca_path)
            else:
                context.load_verify_locations(cafile=ca_path)
        if cert_file is not None:
            context.load_cert_chain(cert_file, key_file, password=_refuse_password)
    except ssl.SSLError as exc:
        raise SSLError(exc) from exc
    return context


def context_for(verify: VerifyType = True, cert: CertType = None) -> ssl.SSLContext:
    """The shared client SSLContext for requests' ``verify`` and ``cert`` arguments.

    ``verify``: True trusts certifi's bundle; a path trusts only that CA file (PEM bundle) or
    directory (``c_rehash`` layout); False (or any false value) disables certificate and hostname
    checks (the caller warns with ``InsecureRequestWarning``).
    ``cert``: a PEM file with certificate and key, or a ``(cert, key)`` pair, sent as the client
    certificate.

    Raises ``OSError`` with requests' messages for a path that does not exist, and
    :class:`~httpcore_lite.exceptions.SSLError` for files OpenSSL cannot load (bad PEM, a key that
    does not match the certificate, an encrypted key).
    """
    if cert is not None and type(cert) is not tuple and not isinstance(cert, (str, os.PathLike)):
        cert = tuple(cert)  # requests accepts a list; cache keys must be hashable
    key = (verify, cert)
    entry = _cache.get(key)  # a lock-free read: dict lookups are atomic
    now = time.monotonic()
    if entry is not None and now < entry[2]:
        context: ssl.SSLContext = entry[1]
        return context  # the hot path: no file system access
    ca_path, cert_file, key_file = _paths(verify, cert)
    stamp = _stamp(ca_path, cert_file, key_file)
    with _lock:
        entry = _cache.get(key)
        if entry is None or entry[0] != stamp:
            entry = [stamp, _build(ca_path, cert_file, key_file), 0.0]
            _cache[key] = entry
        entry[2] = now + RECHECK_INTERVAL
        context = entry[1]
        return context


#: CA path -> (is a directory, monotonic time of the next check); see ca_is_directory.
_ca_kinds: dict[str, tuple[bool, float]] = {}


def ca_is_directory(path: str) -> bool:
    """Whether a CA path is a directory (``c_rehash`` layout) rather than a bundle file.

    Raises ``OSError`` with requests' message when it does not exist. Looked up on disk at most
    every :data:`RECHECK_INTERVAL` seconds per path: an adapter asks on every https request.
    """
    now = time.monotonic()
    entry = _ca_kinds.get(path)
    if entry is not None and now < entry[1]:
        return entry[0]
    try:
        is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        _ca_kinds.pop(path, None)
        raise OSError(f"{_CA_MESSAGE}{path}") from None
    if len(_ca_kinds) >= 64:
        _ca_kinds.clear()  # bounded: a process names few CA paths
    _ca_kinds[path] = (is_dir, now + RECHECK_INTERVAL)
    return is_dir


def clear_cache() -> None:
    """Forget every cached context and CA path (the next use of each looks at the disk)."""
    with _lock:
        _cache.clear()
        _ca_kinds.clear()
