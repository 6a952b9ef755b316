"""
Text from bytes: the charset declared in a document, the UTF flavour of JSON, and decoding a
streamed body incrementally.
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any, Optional

from ._headers import get_encoding_from_headers

__all__ = [
    "get_encodings_from_content",
    "get_unicode_from_response",
    "guess_json_utf",
    "iter_slices",
    "stream_decode_response_unicode",
]


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
