"""
The plain response head, parsed by the core itself: what h11 would accept, or nothing.

Nearly every response a kept-alive client reads is the same plain shape: ``HTTP/1.1``, a final
status, well-formed fields, a ``Content-Length`` or a chunked body. For that shape h11's
parser, its event validation and its state machine all give a foregone answer, at a cost
larger than the rest of the core's work on a small response. :func:`parse_plain_head` gives the
same answer directly, in a few C-level passes over the head.

It never judges anything it does not accept: whatever is unusual (another HTTP version, an
interim status, a folded or malformed line, a bare LF, a repeated or odd ``Content-Length``,
a ``Transfer-Encoding`` other than exactly ``chunked``, a body framed by the connection's
close) gives None, and h11 parses the same bytes from the start, with its own errors. So the
set of heads accepted here is a subset of h11's, and for each of them the result is h11's:
the same status, reason, fields (wire case and order, values stripped of surrounding spaces
and tabs), body framing and keep-alive. ``tests/protocol/test_response_head.py`` holds both
parsers to that over generated and mutated heads.
"""

from __future__ import annotations

import re
from typing import TypeAlias

__all__ = ["CHUNKED", "PlainHead", "closes", "parse_plain_head"]

#: ``length`` of a chunked body in a :data:`PlainHead`.
CHUNKED = -1

#: (status code, reason, fields, body length or :data:`CHUNKED`, keep-alive)
PlainHead: TypeAlias = tuple[int, str, tuple[tuple[str, str], ...], int, bool]

# h11's grammar (RFC 9110/9112), rewritten so that each line has one way to match:
# OWS, field-content and OWS in a row are any run of spaces, tabs, visible characters and
# obs-text, so a field line is a token, a colon and that run: no backtracking on spaces.
# The reason phrase is the same run (status_line in h11's _abnf).
_STATUS_LINE = re.compile(rb"HTTP/1\.1 ([0-9]{3})(?: ([^\x00\n\v\f\r]*))?\r\n")
_FIELD_LINES = re.compile(rb"(?:[-!#$%&'*+.^_`|~0-9a-zA-Z]+:[^\x00\n\v\f\r]*\r\n)*")

_NONE = -2  # no framing header

# h11 reads Content-Length values of up to 20 digits; an int of 18 digits is always exact.
_MAX_LENGTH_DIGITS = 18


def closes(value: str) -> bool:
    """Whether a ``Connection`` field value (latin-1 text) holds the ``close`` option.

    Options are split on commas and stripped of spaces and tabs only, as h11 reads them: other
    characters that ``str.strip`` would remove (NBSP, NEL) are part of an option in HTTP.
    """
    return "close" in [token.strip(" \t").lower() for token in value.split(",")]


def parse_plain_head(data: bytes, end: int, method: bytes) -> PlainHead | None:
    """Parse the head ``data[:end + 4]`` (``end`` is where its blank line starts), or None.

    ``method`` is the request's: a response to ``HEAD`` has no body whatever it says.
    """
    status_line = _STATUS_LINE.match(data)
    if status_line is None:
        return None
    start = status_line.end()
    stop = end + 2  # the last field line's CRLF included
    if start < stop and _FIELD_LINES.fullmatch(data, start, stop) is None:
        return None
    status = int(status_line.group(1))
    if status < 200:
        return None  # interim responses and 101: h11 and the core's cycle rules handle them
    reason = status_line.group(2)
    if start < stop:
        pairs = [line.partition(":") for line in data[start:end].decode("latin-1").split("\r\n")]
        fields = tuple([(name, value.strip(" \t")) for name, _, value in pairs])
        names = [name.lower() for name, _, _ in pairs]
    else:
        fields = ()
        names = []
    length = _NONE
    if "content-length" in names:
        if names.count("content-length") > 1 or "transfer-encoding" in names:
            return None  # repeated, or both framings: h11 rules on it
        value = fields[names.index("content-length")][1]
        if not value.isdecimal() or not value.isascii() or len(value) > _MAX_LENGTH_DIGITS:
            return None  # a list, a sign, other digits or too many: h11 rules on it
        length = int(value)
    elif "transfer-encoding" in names:
        if names.count("transfer-encoding") > 1 or fields[names.index("transfer-encoding")][1] != (
            "chunked"
        ):
            return None  # repeated, or not exactly chunked: h11 rules on it
        length = CHUNKED
    keep_alive = True
    if "connection" in names:
        for (_, value), name in zip(fields, names, strict=True):
            if name == "connection" and closes(value):
                keep_alive = False
    if status in (204, 304) or method == b"HEAD":
        length = 0
    elif length == _NONE:
        return None  # a body delimited by the connection's close: h11 frames that
    return status, "" if reason is None else reason.decode("latin-1"), fields, length, keep_alive
