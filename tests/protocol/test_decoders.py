"""Content decoders: every coding, stacking, limits, bad data and bombs in bounded pieces."""

from __future__ import annotations

import gzip
import itertools
import tracemalloc
import zlib
from collections.abc import Callable

import pytest

from httpcore_lite.exceptions import ContentDecodingError
from httpcore_lite.protocol import decoders
from httpcore_lite.protocol.decoders import MAX_PIECE, decode_all, make_decoder

brotli = pytest.importorskip("brotli")
zstandard = pytest.importorskip("zstandard")

PAYLOAD = b"".join(b"%d: the quick brown fox jumps over the lazy dog\n" % i for i in range(5000))


def raw_deflate(data: bytes) -> bytes:
    obj = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return obj.compress(data) + obj.flush()


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstd,
}


def run(encoding: str, data: bytes, step: int = 65536) -> list[bytes]:
    decoder = make_decoder(encoding)
    assert decoder is not None
    pieces: list[bytes] = []
    for i in range(0, len(data), step):
        pieces.extend(decoder.decode(data[i : i + step]))
    pieces.extend(decoder.flush())
    return pieces


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("step", [1, 7, 4096, 1 << 20])
def test_roundtrip_in_any_split(encoding: str, step: int) -> None:
    data = PAYLOAD if step > 1 else PAYLOAD[:3000]
    pieces = run(encoding, ENCODERS[encoding](data), step)
    assert b"".join(pieces) == data
    assert all(0 < len(p) <= MAX_PIECE for p in pieces)


def test_raw_deflate_is_detected() -> None:
    assert b"".join(run("deflate", raw_deflate(PAYLOAD))) == PAYLOAD
    assert b"".join(run("deflate", raw_deflate(PAYLOAD), step=1)) == PAYLOAD[:]


def test_names_are_case_and_space_insensitive() -> None:
    assert decode_all(" GZip ", gzip.compress(b"abc")) == b"abc"


def test_multi_member_gzip() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    assert decode_all("gzip", body) == b"first second"
    assert b"".join(run("gzip", body, step=3)) == b"first second"


def test_garbage_after_a_gzip_member_is_ignored() -> None:
    assert decode_all("gzip", gzip.compress(b"data") + b"\x00\x00\x00garbage") == b"data"


def test_multi_frame_zstd() -> None:
    body = zstd(b"one ") + zstd(b"two ") + zstd(b"three")
    assert decode_all("zstd", body) == b"one two three"
    assert b"".join(run("zstd", body, step=5)) == b"one two three"


@pytest.mark.parametrize(
    ("header", "encode"),
    [
        ("gzip, br", lambda d: brotli.compress(gzip.compress(d))),
        ("deflate, gzip", lambda d: gzip.compress(zlib.compress(d))),
        ("zstd,gzip", lambda d: gzip.compress(zstd(d))),
        ("gzip, identity, deflate", lambda d: zlib.compress(gzip.compress(d))),
        ("identity, gzip", gzip.compress),
    ],
)
def test_stacked_codings_undone_in_reverse(header: str, encode: Callable[[bytes], bytes]) -> None:
    body = encode(PAYLOAD)
    assert decode_all(header, body) == PAYLOAD
    pieces = run(header, body, step=100)
    assert b"".join(pieces) == PAYLOAD
    assert all(len(p) <= MAX_PIECE for p in pieces)


def test_five_codings_allowed_six_refused() -> None:
    data = b"x" * 100
    body = data
    for _ in range(5):
        body = gzip.compress(body)
    assert decode_all("gzip, gzip, gzip, gzip, gzip", body) == data
    with pytest.raises(ContentDecodingError, match="Too many"):
        make_decoder("gzip, gzip, gzip, gzip, gzip, gzip")
    with pytest.raises(ContentDecodingError):
        decode_all("identity, " * 5 + "gzip", body)


@pytest.mark.parametrize("value", [None, "", "identity", " identity , identity"])
def test_nothing_to_undo(value: str | None) -> None:
    assert make_decoder(value) is None
    assert decode_all(value, b"as is") == b"as is"


@pytest.mark.parametrize("value", ["compress", "gzip, unknown", "unknown, gzip", "x-custom"])
def test_unknown_coding_passes_through(value: str) -> None:
    assert make_decoder(value) is None
    body = gzip.compress(b"x")
    assert decode_all(value, body) == body


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_bad_data_is_content_decoding_error(encoding: str) -> None:
    with pytest.raises(ContentDecodingError) as info:
        decode_all(encoding, b"this is not compressed at all, not even a little" * 3)
    assert info.value.__cause__ is not None


def test_corrupt_gzip_in_the_middle() -> None:
    body = bytearray(gzip.compress(PAYLOAD))
    body[len(body) // 2] ^= 0xFF
    with pytest.raises(ContentDecodingError):
        decode_all("gzip", bytes(body))


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
def test_stream_cut_short_is_refused_at_flush(encoding: str) -> None:
    body = ENCODERS[encoding](bytes(range(256)) * 400)
    decoder = make_decoder(encoding)
    assert decoder is not None
    out = b"".join(decoder.decode(body[: len(body) // 2]))
    assert len(out) < 256 * 400
    with pytest.raises(ContentDecodingError, match="ended early"):
        list(decoder.flush())


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "gzip, br"])
def test_nothing_fed_nothing_to_complain_about(encoding: str) -> None:
    decoder = make_decoder(encoding)
    assert decoder is not None
    assert list(decoder.flush()) == []  # e.g. HEAD or 304 with Content-Encoding


def test_trailing_bytes_after_gzip_member_that_decode_to_nothing() -> None:
    # A lone gzip magic byte after a complete member: trailing garbage, not a short body.
    decoder = make_decoder("gzip")
    assert decoder is not None
    out = b"".join(decoder.decode(gzip.compress(b"done") + b"\x1f"))
    assert out + b"".join(decoder.flush()) == b"done"


def test_deflate_with_a_single_byte_is_truncated() -> None:
    decoder = make_decoder("deflate")
    assert decoder is not None
    assert list(decoder.decode(b"\x78")) == []
    with pytest.raises(ContentDecodingError):
        list(decoder.flush())


def test_accept_encoding_lists_what_is_supported() -> None:
    assert decoders.ACCEPT_ENCODING == "gzip, deflate, br, zstd"
    assert {"gzip", "deflate", "br", "zstd", "identity"} <= set(decoders.SUPPORTED_CODINGS)


# -- bombs ---------------------------------------------------------------------------------------

BOMB_SIZE = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    zeros = bytes(BOMB_SIZE)
    gz = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    gz_bomb = gz.compress(zeros) + gz.flush()
    return {
        "gzip": gz_bomb,
        "deflate": zlib.compress(zeros, 9),
        "br": brotli.compress(zeros, quality=5),
        "zstd": zstandard.ZstdCompressor(level=3).compress(zeros),
        "gzip, gzip": gzip.compress(gz_bomb),
    }


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "gzip, gzip"])
def test_bomb_comes_out_in_bounded_pieces(encoding: str, bombs: dict[str, bytes]) -> None:
    body = bombs[encoding]
    assert len(body) < BOMB_SIZE // 500
    decoder = make_decoder(encoding)
    assert decoder is not None
    total = 0
    largest = 0
    count = 0
    # The whole compressed body in one call: the worst case for bounding. Iterated lazily, as a
    # streaming reader would, so the test itself never holds more than one piece.
    tracemalloc.start()
    try:
        for piece in itertools.chain(decoder.decode(body), decoder.flush()):
            largest = max(largest, len(piece))
            total += len(piece)
            count += 1
            assert not piece.strip(b"\0")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # bounded, whatever the expansion
    assert total == BOMB_SIZE
    assert largest <= MAX_PIECE
    assert count >= BOMB_SIZE // MAX_PIECE


def test_bomb_can_be_abandoned_early(bombs: dict[str, bytes]) -> None:
    decoder = make_decoder("gzip")
    assert decoder is not None
    pieces = decoder.decode(bombs["gzip"])
    first = next(iter(pieces))
    assert len(first) == MAX_PIECE  # produced lazily: nothing beyond this piece was inflated


def test_brotlicffi_works_as_the_br_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    brotlicffi = pytest.importorskip("brotlicffi")
    monkeypatch.setattr(decoders, "brotli", brotlicffi)
    bomb = brotli.compress(bytes(8 * 1024 * 1024), quality=5)
    pieces = run("br", bomb, step=7)
    assert sum(map(len, pieces)) == 8 * 1024 * 1024
    assert max(map(len, pieces)) <= MAX_PIECE
    with pytest.raises(ContentDecodingError):
        decode_all("br", b"not brotli at all" * 4)
