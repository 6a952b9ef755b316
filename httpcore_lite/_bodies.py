"""
Request bodies and files: their length, their name, rewinding them, and safe file writes.

``super_len`` decides between Content-Length and chunked framing, so it answers for every body
type requests accepts (str, bytes, files, file-likes with ``len``/``fileno``/``tell``).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
import zipfile
from collections.abc import Generator
from typing import Any, Optional, Union

from .exceptions import FileModeWarning, UnrewindableBodyError

__all__ = [
    "atomic_open",
    "extract_zipped_paths",
    "guess_filename",
    "rewind_body",
    "super_len",
]


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
