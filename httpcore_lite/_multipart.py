"""
multipart/form-data bodies for ``files=``: one encoder, built in memory.

The whole body is built at once because requests does the same (``files=`` is not streamed) and
a sized body keeps the connection's framing simple: Content-Length, never chunked. Each part is
``(name, data, filename, content_type, headers)``, already normalised by the model.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Optional, Union

from .utils import check_header_validity

__all__ = ["encode_multipart"]


_PARAM_ESCAPES = {10: "%0A", 13: "%0D", 34: "%22"}


def _multipart_param(name: str, value: Union[str, bytes]) -> str:
    """``name="value"`` the way browsers write it (HTML5): CR, LF and quotes percent-encoded.

    Escaping them keeps a hostile filename from closing the quoted string or the header line.
    """
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    return f'{name}="{value.translate(_PARAM_ESCAPES)}"'


def _part_data(data: Any) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, int):  # requests (through urllib3) writes ints as their decimal text
        return str(data).encode("ascii")
    raise TypeError(f"multipart field data must be bytes, str or int, not {type(data).__name__}")


def encode_multipart(
    parts: list[tuple[str, Any, Optional[str], Optional[str], Optional[Mapping[str, Any]]]],
) -> tuple[bytes, str]:
    """Build a multipart/form-data body from ``(name, data, filename, content_type, headers)``.

    The boundary is 32 random hex digits, so it cannot be guessed by whoever supplies the data.
    """
    boundary = os.urandom(16).hex()
    delimiter = f"--{boundary}\r\n".encode("ascii")
    chunks: list[bytes] = []
    for name, data, filename, content_type, extra in parts:
        disposition = "form-data; " + _multipart_param("name", name)
        if filename is not None:
            disposition += "; " + _multipart_param("filename", filename)
        lines = [f"Content-Disposition: {disposition}\r\n"]
        if extra:
            if content_type is None:
                content_type = extra.get("Content-Type")
            for header in extra.items():
                check_header_validity(header)
        if content_type:
            lines.append(f"Content-Type: {content_type}\r\n")
        if extra:
            for key, value in extra.items():
                if key in ("Content-Disposition", "Content-Type") or not value:
                    continue
                if isinstance(value, bytes):
                    value = value.decode("latin-1")
                lines.append(f"{key}: {value}\r\n")
        lines.append("\r\n")
        chunks.append(delimiter)
        chunks.append("".join(lines).encode("utf-8"))
        chunks.append(_part_data(data))
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
