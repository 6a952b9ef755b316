"""
Small helpers with no dependencies on the rest of the package.

They live apart from :mod:`httpcore_lite.utils` so that the low layers (models, the protocol
core) can import them without pulling in cookies, netrc parsing or proxy logic.
"""

from __future__ import annotations

import re
from typing import Any, Union

# Header validation. A header name may not contain ":", CR or LF, nor start with whitespace; a
# value may hold any character but CR, LF and NUL (that is how header injection happens), and it
# must not start with whitespace (that would read as an obsolete line fold). "\Z" rather than "$":
# "$" also matches before a trailing newline, which would let "value\n" through.
_VALID_HEADER_NAME_RE_BYTE = re.compile(rb"\A[^:\s\x00][^:\r\n\x00]*\Z")
_VALID_HEADER_NAME_RE_STR = re.compile(r"\A[^:\s\x00][^:\r\n\x00]*\Z")
_VALID_HEADER_VALUE_RE_BYTE = re.compile(rb"\A[^\s\x00][^\r\n\x00]*\Z|\A\Z")
_VALID_HEADER_VALUE_RE_STR = re.compile(r"\A[^\s\x00][^\r\n\x00]*\Z|\A\Z")

HEADER_VALIDATOR_STR = (_VALID_HEADER_NAME_RE_STR, _VALID_HEADER_VALUE_RE_STR)
HEADER_VALIDATOR_BYTE = (_VALID_HEADER_NAME_RE_BYTE, _VALID_HEADER_VALUE_RE_BYTE)

#: ``{str: (name_re, value_re), bytes: (name_re, value_re)}``, keyed by the type of the header,
#: as in requests. Unlike requests' patterns, these refuse NUL too.
HEADER_VALIDATORS: dict[type, tuple[re.Pattern[Any], re.Pattern[Any]]] = {
    bytes: HEADER_VALIDATOR_BYTE,
    str: HEADER_VALIDATOR_STR,
}


def to_native_string(string: Union[str, bytes], encoding: str = "ascii") -> str:
    """Return ``string`` as a ``str``, decoding bytes with ``encoding`` (ASCII by default).

    Header names, methods and URLs are handled as ``str`` internally; bytes given by the user are
    decoded here once, so a non-ASCII byte fails loudly instead of being mangled on the wire.
    """
    if isinstance(string, str):
        return string
    return string.decode(encoding)


def unicode_is_ascii(u_string: str) -> bool:
    """Whether a ``str`` holds only ASCII characters.

    :raises AssertionError: when given something that is not a ``str`` (as requests does).
    """
    assert isinstance(u_string, str)
    return u_string.isascii()
