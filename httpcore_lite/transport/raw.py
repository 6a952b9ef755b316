"""
``Response.raw``: the response body as a file-like object that pulls from the connection lazily.

Nothing is read until asked for, so a streamed 10 GiB download holds one 64 KiB piece at a time.
Content decoding (gzip, deflate, br, zstd) runs through :mod:`httpcore_lite.protocol.decoders`
piece by piece for the same reason. The connection goes back to its pool the moment the body
ends, or when the response is closed: a small unread rest is drained so the connection can be
reused, anything larger (or slower) closes it instead, since reading it could take forever.

The attribute names are urllib3's ``HTTPResponse`` ones (``status``, ``reason``, ``version``,
``headers``, ``read(amt, decode_content)``, ``stream()``, ``release_conn()``, ``tell()``,
``data``), because code written for requests reaches into ``r.raw``.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from time import perf_counter
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ..exceptions import RequestException
from ..protocol import ResponseComplete, ResponseStarted
from ..protocol.decoders import Decoder, make_decoder
from ..structures import CaseInsensitiveDict
from .connection import HTTPConnection
from .facts import ConnectionInfo, ConnectionSetup
from .messages import name_origin
from .timeout import Deadline

if TYPE_CHECKING:
    from ..protocol.events import Fields
    from ._typing import BodySource
    from .retry import Retry

__all__ = ["RawResponse", "DRAIN_LIMIT", "DRAIN_TIME"]

_T = TypeVar("_T")

#: At most this many unread body bytes are drained on close to keep a connection.
DRAIN_LIMIT = 65536
#: ... and for at most this many seconds.
DRAIN_TIME = 0.1


def _decode_all(decoder: Decoder, data: bytes) -> Iterator[bytes]:
    yield from decoder.decode(data)
    yield from decoder.flush()


class RawResponse(io.IOBase):
    """A response body read from its connection on demand."""

    # Per-response state that starts out the same for every response lives on the class, so
    # that creating one (once per request) sets only what differs.
    _headers: CaseInsensitiveDict[str] | None = None
    _decoder: Decoder | None = None
    _decoder_ready = False
    _pieces: Iterator[bytes] | None = None
    _flushed = False
    _raw_read = 0
    _body: bytes | None = None
    _closed_flag = False
    request_method: str | None = None
    #: Whether the fields hold a Content-Encoding / a Set-Cookie(2): None until someone that
    #: looked at them says (HTTPAdapter.build_response does); False spares the scans of
    #: :attr:`header_list` made for every response (decoder choice, cookie extraction).
    has_content_encoding: bool | None = None
    has_set_cookie: bool | None = None
    #: What the adapter knows: the URL asked for (urllib3's ``geturl()``, ``_request_url``)
    #: and the Retry in effect.
    request_url: str | None = None
    retries: Retry | None = None
    #: A file-like object put in place of the body through :attr:`_fp` (None: the connection).
    _source: BodySource | None = None
    _original: Any = None
    _chunked: bool | None = None
    #: The exchange's connection facts as noted when the head arrived (setup, reused, request
    #: number, replaced, started, sent, first byte), the moment the body ended, and the
    #: :class:`ConnectionInfo` once built.
    _facts: tuple[ConnectionSetup, bool, int, int | None, float, float, float] | None = None
    _done_at: float | None = None
    _info: ConnectionInfo | None = None

    def __init__(
        self,
        connection: HTTPConnection | None,
        started: ResponseStarted,
        clock: Deadline | None = None,
        decode_content: bool = True,
        request_method: str | None = None,
    ) -> None:
        self._connection = connection
        self.started = started
        self.status = started.status_code
        self.reason = started.reason
        self.version = 10 if started.http_version == "1.0" else 11
        #: Every header field in wire order, duplicates kept (``Set-Cookie`` needs them).
        self.header_list = started.headers
        self.decode_content = decode_content
        if request_method is not None:
            self.request_method = request_method
        self._clock = clock
        self._buffer = bytearray()
        self._ended = connection is None  # the body has been received completely
        if connection is not None and connection.setup is not None:
            self._facts = (
                connection.setup,
                connection.reused,
                connection.cycles,
                connection.replaced,
                connection.started_at,
                connection.sent_at,
                connection.first_byte_at,
            )

    @property
    def connection_info(self) -> ConnectionInfo | None:
        """The :class:`~httpcore_lite.transport.facts.ConnectionInfo` of this exchange (None
        when the connection was not opened by a pool). Built on first access; ``complete``
        stays None until the body has been read."""
        info = self._info
        if info is None or info.complete is None:
            facts = self._facts
            if facts is None:
                return None
            info = self._info = ConnectionInfo.build(*facts, self._done_at)
        return info

    @property
    def version_string(self) -> str:
        return "HTTP/" + self.started.http_version

    @property
    def headers_built(self) -> bool:
        """Whether :attr:`headers` was built (and so may have been changed since)."""
        return self._headers is not None

    # -- urllib3-style attributes -------------------------------------------------------------

    @property
    def _request_url(self) -> str | None:
        return self.request_url

    @_request_url.setter
    def _request_url(self, value: str | None) -> None:
        self.request_url = value

    @property
    def headers(self) -> CaseInsensitiveDict[str]:
        """The header fields; repeated ones joined with ``", "`` (as ``Response.headers``)."""
        headers = self._headers
        if headers is None:
            headers = self._headers = CaseInsensitiveDict.from_fields(self.header_list)
        return headers

    def getheaders(self) -> CaseInsensitiveDict[str]:
        return self.headers

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    @property
    def connection(self) -> HTTPConnection | None:
        """The connection still attached (None once released)."""
        return self._connection

    @property
    def data(self) -> bytes:
        """The whole (decoded) body, read and kept on first access."""
        if self._body is None:
            self._body = self.read()
        return self._body

    @property
    def _fp(self) -> BodySource:
        """The undecoded body as a file-like object, as urllib3's ``_fp``.

        Code that wraps it (a caching layer teeing the body into its cache) assigns a wrapper
        back; from then on the body is read through whatever was assigned. Assigning a new
        file after the body ended (the body put back for another reader) starts it again.
        """
        if self._source is not None:
            return self._source
        return _BodyFile(self)

    @_fp.setter
    def _fp(self, value: BodySource) -> None:
        if self._ended and self._connection is None:
            self._ended = False
            self._flushed = False
            self._decoder_ready = False
            self._decoder = None
            self._closed_flag = False
        self._source = value
        self._pull = self._pull_source  # type: ignore[method-assign]

    @property
    def _original_response(self) -> Any:
        """What urllib3 wraps (``http.client``'s response): here ``msg`` with the fields."""
        if self._original is None:
            return _Original(self)
        return self._original

    @_original_response.setter
    def _original_response(self, value: Any) -> None:
        self._original = value

    @property
    def chunked(self) -> bool:
        """Whether the body comes in chunked transfer coding (settable, as urllib3's)."""
        if self._chunked is not None:
            return self._chunked
        return any(
            name.lower() == "transfer-encoding" and "chunked" in value.lower()
            for name, value in self.header_list
        )

    @chunked.setter
    def chunked(self, value: bool) -> None:
        self._chunked = value

    def _update_chunk_length(self) -> None:
        """urllib3's hook between chunks; the body is framed by the core here, so never called
        (kept so that code wrapping it keeps working)."""

    def geturl(self) -> str | None:
        return self.request_url

    def tell(self) -> int:
        """Body bytes taken off the wire so far (before decoding), like urllib3's ``tell()``."""
        return self._raw_read

    def readable(self) -> bool:
        return True

    def isclosed(self) -> bool:
        return self.closed

    @property
    def closed(self) -> bool:
        return self._closed_flag or (self._ended and self._pieces is None and not self._buffer)

    def fileno(self) -> int:
        sock = None
        if self._connection is not None:
            sock = self._connection.stream.get_extra_info("socket")
        if sock is None:
            raise OSError("The response has no file descriptor")
        return int(sock.fileno())

    def flush(self) -> None:
        return None

    # -- reading ------------------------------------------------------------------------------

    def _pull_source(self) -> bytes | None:
        """:meth:`_pull` once a file was assigned to :attr:`_fp`: the next piece from it."""
        data = self._source.read(65536)  # type: ignore[union-attr]  # set with this method
        if data:
            return bytes(data)
        self._ended = True
        return None

    def _pull(self) -> bytes | None:
        """The next undecoded body piece from the connection, or None at the end of the body.

        Replaced on the instance by :meth:`_pull_source` when a file is assigned to ``_fp``,
        so that the usual path pays nothing for it.
        """
        connection = self._connection
        if connection is None:
            return None
        clock = self._clock
        try:
            while True:
                event = connection.next_event(None if clock is None else clock.read_timeout())
                if type(event) is ResponseComplete:
                    self._connection = None
                    self._ended = True
                    self._done_at = perf_counter()
                    connection.response_done()
                    return None
                data: bytes = event.data  # type: ignore[union-attr]
                if data:
                    self._raw_read += len(data)
                    return data
        except BaseException:
            self._fail(connection)
            raise

    def _read_body(self, amt: int, decode: bool) -> bytes | None:
        """Exactly ``amt`` undecoded bytes (fewer at the end of the body) straight from the
        connection when it knows the remaining length and nothing needs decoding; else None.

        The fast path of ``read(amt)``: one read of the stream, its bytes returned as they are.
        """
        connection = self._connection
        if connection is None or self._pieces is not None or self._source is not None:
            return None
        if decode:
            if not self._decoder_ready:
                self._decoder_ready = True
                self._decoder = self._make_decoder()
            if self._decoder is not None:
                return None
        clock = self._clock
        try:
            data = connection.read_body(amt, None if clock is None else clock.read_timeout())
        except BaseException:
            self._fail(connection)
            raise
        if data is not None:
            self._raw_read += len(data)
        return data

    def _next_piece(self, decode: bool) -> bytes | None:
        """The next piece of body (decoded when ``decode``), or None when there is no more."""
        while True:
            pieces = self._pieces
            if pieces is not None:
                for piece in pieces:
                    if piece:
                        return piece
                self._pieces = None
            if decode and not self._decoder_ready:
                self._decoder_ready = True
                self._decoder = self._make_decoder()
            decoder = self._decoder if decode else None
            data = self._pull()
            if data is None:
                if decoder is not None and not self._flushed:
                    self._flushed = True
                    self._pieces = self._guard(decoder.flush())
                    continue
                return None
            if decoder is None:
                return data
            self._pieces = self._guard(decoder.decode(data))

    def _guard(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        """Decoder output, closing the connection when the decoder fails."""
        try:
            yield from pieces
        except RequestException:
            self._fail(self._connection)
            raise

    def _fail(self, connection: HTTPConnection | None) -> None:
        """Reading ``connection`` (None: it was already handed back) raised: end this body and
        drop the connection.

        Callers pass the connection they were reading: ``self._connection`` is cleared before
        the connection is handed back, and handing back can fail too.
        """
        self._connection = None
        self._ended = True
        self._closed_flag = True
        if connection is not None:
            # Called while the error is being handled: say where it happened.
            name_origin(sys.exc_info()[1], connection.pool, self._clock)
            connection.discard()

    def read(self, amt: int | None = None, decode_content: bool | None = None) -> bytes:
        """Read up to ``amt`` bytes (all when None); exactly ``amt`` unless the body ends first.

        ``decode_content`` overrides the :attr:`decode_content` flag for this call.
        """
        decode = self.decode_content if decode_content is None else decode_content
        buffer = self._buffer
        if amt is None or amt < 0:
            parts = [bytes(buffer)] if buffer else []
            buffer.clear()
            while True:
                piece = self._next_piece(decode)
                if piece is None:
                    break
                parts.append(piece)
            return parts[0] if len(parts) == 1 else b"".join(parts)
        if amt == 0:
            return b""
        if not buffer:
            piece = self._read_body(amt, decode)
            if piece is not None:
                return piece
            piece = self._next_piece(decode)
            if piece is None:
                return b""
            if len(piece) == amt:
                return piece
            buffer += piece
        while len(buffer) < amt:
            # The fast path when it applies (after the piece that came with the head, say):
            # exactly what is missing, so the next read starts on an empty buffer.
            piece = self._read_body(amt - len(buffer), decode)
            if piece is None:
                piece = self._next_piece(decode)
                if piece is None:
                    break
            buffer += piece
        out = bytes(buffer[:amt])
        del buffer[:amt]
        return out

    def read_all(self) -> bytes:
        """The whole decoded body in one go: the fast path for non-streamed responses.

        Skips the piecewise machinery of :meth:`read` when nothing was read yet: the body's
        pieces are collected straight from the connection and decoded at once.
        """
        connection = self._connection
        if (
            connection is None
            or self._buffer
            or self._pieces is not None
            or self._raw_read
            or self._source is not None
        ):
            return self.read()
        try:
            pieces = connection.receive_all(self._clock)
        except BaseException:
            self._fail(connection)
            raise
        self._connection = None
        self._ended = True
        self._done_at = perf_counter()
        connection.response_done()
        data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        self._raw_read = len(data)
        if data and self.decode_content:
            self._decoder_ready = True
            self._decoder = decoder = self._make_decoder()
            if decoder is not None:
                self._flushed = True
                self._pieces = self._guard(_decode_all(decoder, data))
                return self.read()
        return data

    def _make_decoder(self) -> Decoder | None:
        """The decoder ``Content-Encoding`` asks for (None for identity or no header)."""
        if self.has_content_encoding is False:
            return None
        for name, _ in self.header_list:
            if len(name) == 16 and name.lower() == "content-encoding":
                return make_decoder(self.headers.get(name))
        return None

    def read1(self, amt: int = -1) -> bytes:
        """One piece as it arrived (at most ``amt`` bytes when given)."""
        if self._buffer:
            return self.read(len(self._buffer) if amt < 0 else min(amt, len(self._buffer)))
        piece = self._next_piece(self.decode_content)
        if piece is None:
            return b""
        if 0 <= amt < len(piece):
            self._buffer += piece[amt:]
            piece = piece[:amt]
        return piece

    def readinto(self, b: bytearray | memoryview) -> int:
        view = memoryview(b).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def stream(
        self, amt: int | None = 65536, decode_content: bool | None = None
    ) -> Iterator[bytes]:
        """Yield the body in pieces of ``amt`` bytes (the last may be shorter)."""
        if amt is not None and amt > 0 and not self._buffer:
            # A download's loop: each piece straight from the connection while it knows how
            # much body is left and nothing needs decoding (what read(amt) would do first).
            decode = self.decode_content if decode_content is None else decode_content
            read_body = self._read_body
            buffer = self._buffer  # empty unless a read() between two pieces left bytes there
            while not buffer:
                data = read_body(amt, decode)
                if data is None:
                    break
                yield data
        while True:
            data = self.read(amt, decode_content)
            if not data:
                return
            yield data

    def __iter__(self) -> Iterator[bytes]:
        buffer = b""
        for chunk in self.stream(decode_content=True):
            if b"\n" in chunk:
                lines = (buffer + chunk).split(b"\n")
                buffer = lines.pop()
                for line in lines:
                    yield line + b"\n"
            else:
                buffer += chunk
        if buffer:
            yield buffer

    # -- ending -------------------------------------------------------------------------------

    def release_conn(self) -> None:
        """Give the connection back now: drained if the rest is small and quick, else closed."""
        connection = self._connection
        if connection is None:
            return
        self._connection = None
        deadline = time.monotonic() + DRAIN_TIME
        drained = 0
        try:
            while drained <= DRAIN_LIMIT:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                event = connection.next_event(left)
                if type(event) is ResponseComplete:
                    self._ended = True
                    self._done_at = perf_counter()
                    connection.response_done()
                    return
                drained += len(event.data)  # type: ignore[union-attr]
        except Exception:
            pass
        self._ended = True
        connection.discard()

    def close(self) -> None:
        """Stop reading: the connection is released (see :meth:`release_conn`)."""
        if self._connection is not None:
            self.release_conn()
        self._closed_flag = True
        self._pieces = None
        self._buffer.clear()

    def drain_conn(self) -> None:
        self.release_conn()

    def __del__(self) -> None:
        connection = self.__dict__.get("_connection")
        if connection is not None:
            self._connection = None
            try:
                connection.discard()
            except Exception:
                pass

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status}]>"


class _BodyFile:
    """The undecoded body of a :class:`RawResponse` as a file, read from its connection."""

    def __init__(self, raw: RawResponse) -> None:
        self._raw = raw
        self._rest = b""

    @property
    def version(self) -> int:
        """The HTTP version as ``http.client`` gives it (10 or 11)."""
        return self._raw.version

    @property
    def closed(self) -> bool:
        raw = self._raw
        return not self._rest and raw._connection is None and raw._ended

    def read(self, amt: int | None = None) -> bytes:
        parts = [self._rest]
        size = len(self._rest)
        while amt is None or amt < 0 or size < amt:
            data = RawResponse._pull(self._raw)  # the connection, whatever _fp now is
            if data is None:
                break
            parts.append(data)
            size += len(data)
        data = b"".join(parts)
        if amt is not None and 0 <= amt < len(data):
            data, self._rest = data[:amt], data[amt:]
        else:
            self._rest = b""
        return data

    def close(self) -> None:
        self._raw.release_conn()


class _Message:
    """The header fields as ``http.client``'s message: ``get_all`` keeps repeated fields."""

    def __init__(self, fields: Fields) -> None:
        self._fields = fields

    @overload
    def get_all(self, name: str) -> list[str] | None: ...
    @overload
    def get_all(self, name: str, default: _T) -> list[str] | _T: ...
    def get_all(self, name: str, default: object = None) -> object:
        lname = name.lower()
        values = [value for key, value in self._fields if key.lower() == lname]
        return values or default

    def getheaders(self, name: str) -> list[str]:
        return list(self.get_all(name, []))

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.get_all(name)
        return values[0] if values else default

    def items(self) -> list[tuple[str, str]]:
        return list(self._fields)

    def keys(self) -> list[str]:
        return [name for name, _ in self._fields]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get_all(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())


class _Original:
    """``RawResponse._original_response``: the parts of ``http.client``'s response people read."""

    def __init__(self, raw: RawResponse) -> None:
        self.msg = _Message(raw.header_list)
        self.status = raw.status
        self.reason = raw.reason
        self.version = raw.version
        self._raw = raw

    def isclosed(self) -> bool:
        return self._raw.closed
