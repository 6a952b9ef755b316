"""
Incremental content decoding (``Content-Encoding``) in bounded memory.

A response body is decoded piece by piece as it arrives, and every decoder hands its output
back in pieces of at most :data:`MAX_PIECE` bytes, however much a piece of input expands. A
"zip bomb" (a few KiB that inflate to gigabytes) therefore streams out in small pieces that the
caller may count, stop or throw away; it never materialises as one buffer. How each codec is
bounded:

* gzip / deflate: ``zlib``'s ``decompress(data, max_length)`` with its ``unconsumed_tail``.
* br: brotli >= 1.2's ``process(data, output_buffer_limit=...)`` and ``can_accept_more_data``
  (older brotli releases cannot bound their output, so ``br`` is then treated as unsupported).
* zstd: ``zstandard``'s decompression object has no output limit, so input is fed to it in
  slices of :data:`_ZSTD_SLICE` bytes. A zstd block yields at most 128 KiB and costs at least
  4 bytes of input (an RLE block), which bounds the output of one call to about 1 MiB.

Supported codings: ``gzip`` (and ``x-gzip``), ``deflate`` (zlib-wrapped or raw, detected from
the first two bytes), ``br`` and ``zstd`` when their packages are installed, ``identity``.
Stacked codings (``Content-Encoding: gzip, br``) are undone in reverse order; more than
:data:`MAX_CODINGS` of them is refused, as urllib3 does. A coding we do not know leaves the body
as it is (requests' behaviour): the caller gets the bytes the server sent.

A compressed stream that stops before its end is refused when the body ends (``flush``). The
message framing said the body was complete, so the server died while compressing; handing out
part of the content would be a silently short response. (urllib3 tolerates this; we do not.)
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Iterator
from typing import Any

from ..exceptions import ContentDecodingError

__all__ = [
    "ACCEPT_ENCODING",
    "MAX_CODINGS",
    "MAX_PIECE",
    "SUPPORTED_CODINGS",
    "Decoder",
    "decode_all",
    "make_decoder",
]

MAX_PIECE = 64 * 1024
"""Largest piece of decoded output handed back at once."""

MAX_CODINGS = 5
"""Most content codings accepted in one ``Content-Encoding`` chain."""

_ZSTD_SLICE = 32


def _optional(*names: str) -> Any:
    """The first of ``names`` that imports, or None: the br and zstd codecs are extras."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


# Google's brotli binding; brotlicffi has the same API from 1.2 on. A release that cannot bound
# its output (no can_accept_more_data) is not used.
brotli: Any = _optional("brotli", "brotlicffi")
if brotli is not None and not hasattr(brotli.Decompressor, "can_accept_more_data"):
    brotli = None  # pragma: no cover - depends on the environment
zstandard: Any = _optional("zstandard")


def _split(data: bytes) -> Iterator[bytes]:
    """Yield ``data`` in pieces of at most MAX_PIECE bytes (one piece, uncopied, if small)."""
    if len(data) <= MAX_PIECE:
        if data:
            yield data
        return
    view = memoryview(data)
    for start in range(0, len(data), MAX_PIECE):
        yield bytes(view[start : start + MAX_PIECE])


class Decoder:
    """Undoes one content coding, incrementally.

    ``decode`` takes the next piece of the encoded body and yields decoded pieces of at most
    :data:`MAX_PIECE` bytes; ``flush`` is called once the body has ended, yields what remains
    and checks that the compressed stream was complete. Both raise
    :class:`~httpcore_lite.exceptions.ContentDecodingError` on bad or truncated data. Iterate each returned
    iterator to its end before calling again: the output is produced lazily.
    """

    __slots__ = ()

    def decode(self, data: bytes) -> Iterator[bytes]:
        yield from _split(data)

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _ZlibDecoder(Decoder):
    """gzip (``wbits=16+15``, several members allowed) or deflate (zlib-wrapped or raw)."""

    __slots__ = ("_gzip", "_obj", "_pending", "_members", "_done", "_fed", "_produced")

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._obj: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self._pending = b""  # deflate only: the first byte, while we wait for the second
        self._members = 0  # gzip: members fully decoded
        self._done = False  # ignore whatever follows (deflate end, garbage after gzip)
        self._fed = False  # the current stream (gzip member) has had input...
        self._produced = False  # ...and output

    def _choose_deflate(self, data: bytes) -> bytes:
        """Pick zlib-wrapped or raw deflate from the first two bytes (RFC 1950 header check).

        Servers disagree on what "deflate" means, so both are accepted, as browsers do. A raw
        stream passes the check only if it starts with a non-final stored block whose first
        bytes happen to make a valid header (about 1 in 500 of those); it then fails loudly
        with ContentDecodingError rather than decoding wrongly.
        """
        data = self._pending + data
        if len(data) < 2:
            self._pending = data
            return b""
        self._pending = b""
        cmf, flg = data[0], data[1]
        wrapped = cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf << 8 | flg) % 31 == 0
        self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return data

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self._done or not data:
            return
        if self._obj is None:
            data = self._choose_deflate(data)
            if not data:
                return
        try:
            while True:
                obj = self._obj
                self._fed = True
                out = obj.decompress(data, MAX_PIECE)
                if out:
                    self._produced = True
                    yield out
                data = obj.unconsumed_tail
                if obj.eof:
                    if not self._gzip:
                        self._done = True
                        return
                    # Another gzip member may follow (RFC 1952 allows several).
                    self._members += 1
                    data = obj.unused_data
                    self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    self._fed = self._produced = False
                    if not data:
                        return
                elif not data and len(out) < MAX_PIECE:
                    return  # input used up and no output held back
        except zlib.error as exc:
            if self._members:
                # Garbage after a complete member (trailing NULs are common): ignore it, as
                # urllib3 and gzip(1) do.
                self._done = True
                return
            raise ContentDecodingError(
                f"Received response with content-encoding, but failed to decode it: {exc}"
            ) from exc

    def flush(self) -> Iterator[bytes]:
        if self._done:
            return
        if self._pending or self._fed:
            # The body ended inside the compressed stream. The framing said the message was
            # complete, so the content is short: refuse rather than hand out part of it.
            # (Bytes after a complete gzip member that decode to nothing are trailing
            # garbage, not a truncated member, and are ignored like the rest of it.)
            if not (self._members and not self._produced):
                raise ContentDecodingError(
                    "Received response with content-encoding: "
                    f"{'gzip' if self._gzip else 'deflate'}, but the compressed stream ended early"
                )
        return
        yield  # a generator, like every flush()


class _BrotliDecoder(Decoder):
    __slots__ = ("_obj", "_fed")

    def __init__(self) -> None:
        self._obj = brotli.Decompressor()
        self._fed = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        if not data:
            return
        self._fed = True
        obj = self._obj
        try:
            out = obj.process(data, output_buffer_limit=MAX_PIECE)
            while True:
                yield from _split(out)
                # Output is held back while more input is refused, and sometimes (a brotli
                # quirk) even once it is accepted again: keep draining until nothing comes.
                if obj.is_finished() or (not out and obj.can_accept_more_data()):
                    return
                out = obj.process(b"", output_buffer_limit=MAX_PIECE)
        except brotli.error as exc:
            raise ContentDecodingError(
                f"Received response with content-encoding: br, but failed to decode it: {exc}"
            ) from exc

    def flush(self) -> Iterator[bytes]:
        if self._fed and not self._obj.is_finished():
            raise ContentDecodingError(
                "Received response with content-encoding: br, but the compressed stream ended early"
            )
        return
        yield  # a generator, like every flush()


class _ZstdDecoder(Decoder):
    __slots__ = ("_obj", "_fed")

    def __init__(self) -> None:
        self._obj = zstandard.ZstdDecompressor().decompressobj()
        self._fed = False  # the current frame has had input

    def decode(self, data: bytes) -> Iterator[bytes]:
        view = memoryview(data)
        size = len(data)
        pos = 0
        try:
            while pos < size:
                obj = self._obj
                self._fed = True
                piece = view[pos : pos + _ZSTD_SLICE]
                pos += len(piece)
                out = obj.decompress(piece)
                if out:
                    yield from _split(out)
                if obj.eof:
                    # A zstd body may hold several frames: start a new object for the next.
                    rest = obj.unused_data
                    self._obj = zstandard.ZstdDecompressor().decompressobj()
                    self._fed = False
                    if rest:
                        yield from self.decode(rest)
        except zstandard.ZstdError as exc:
            raise ContentDecodingError(
                f"Received response with content-encoding: zstd, but failed to decode it: {exc}"
            ) from exc

    def flush(self) -> Iterator[bytes]:
        if self._fed:
            raise ContentDecodingError(
                "Received response with content-encoding: zstd, but the compressed stream ended "
                "early"
            )
        return
        yield  # a generator, like every flush()


class _MultiDecoder(Decoder):
    """Stacked codings: output of each decoder feeds the next, piece by piece."""

    __slots__ = ("_decoders",)

    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def _through(self, pieces: Iterator[bytes], start: int) -> Iterator[bytes]:
        if start == len(self._decoders):
            yield from pieces
            return
        decoder = self._decoders[start]
        for piece in pieces:
            yield from self._through(decoder.decode(piece), start + 1)

    def decode(self, data: bytes) -> Iterator[bytes]:
        return self._through(iter((data,)), 0)

    def flush(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self._decoders):
            yield from self._through(decoder.flush(), index + 1)


def _single(coding: str) -> Decoder | None:
    if coding == "gzip" or coding == "x-gzip":
        return _ZlibDecoder(gzip=True)
    if coding == "deflate":
        return _ZlibDecoder(gzip=False)
    if coding == "br" and brotli is not None:
        return _BrotliDecoder()
    if coding == "zstd" and zstandard is not None:
        return _ZstdDecoder()
    return None


SUPPORTED_CODINGS: tuple[str, ...] = (
    ("gzip", "x-gzip", "deflate", "identity")
    + (("br",) if brotli is not None else ())
    + (("zstd",) if zstandard is not None else ())
)
"""Content codings this installation decodes."""

ACCEPT_ENCODING = ", ".join(
    ["gzip", "deflate"]
    + (["br"] if brotli is not None else [])
    + (["zstd"] if zstandard is not None else [])
)
"""A default ``Accept-Encoding`` value advertising exactly what we can decode."""


def make_decoder(content_encoding: str | None) -> Decoder | None:
    """Return a decoder for a ``Content-Encoding`` value, or None when there is nothing to undo.

    None also when a coding in the chain is unknown: the body is then passed through as sent
    (requests does the same). Raises ContentDecodingError for more than MAX_CODINGS codings.
    """
    if not content_encoding:
        return None
    value = content_encoding.lower()
    if "," not in value:
        return _single(value.strip())
    codings = [c.strip() for c in value.split(",")]
    codings = [c for c in codings if c]
    if len(codings) > MAX_CODINGS:
        raise ContentDecodingError(
            f"Too many content codings in the chain: {len(codings)} > {MAX_CODINGS}"
        )
    decoders: list[Decoder] = []
    for coding in reversed(codings):  # the last coding applied is undone first
        if coding == "identity":
            continue
        decoder = _single(coding)
        if decoder is None:
            return None
        decoders.append(decoder)
    if not decoders:
        return None
    if len(decoders) == 1:
        return decoders[0]
    return _MultiDecoder(decoders)


def decode_all(content_encoding: str | None, data: bytes) -> bytes:
    """Decode a whole body at once (for a buffered response); unknown codings pass through."""
    decoder = make_decoder(content_encoding)
    if decoder is None:
        return data
    pieces = list(decoder.decode(data))
    pieces.extend(decoder.flush())
    return b"".join(pieces)
