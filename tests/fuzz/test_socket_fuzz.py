"""Socket-level fuzzing of the whole client: mutated responses from a real server.

The sans-IO core has its own property tests; this one drives everything above it too (pool,
redirects, cookies, decoding, Response properties), because that is where requests lets a
UnicodeDecodeError escape from a mangled redirect. Every case must end in a Response whose
common properties can be read, or in an exception of our hierarchy. The seed is fixed so a
failure reproduces exactly; the case number and payload are in the assertion message.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import socket
import time
import zlib
from collections.abc import Callable

import pytest

import httpcore_lite as requests
from httpcore_lite import exceptions
from tests.servers.raw import RawServer, read_request, response

RawFactory = Callable[[Callable[[socket.socket], None]], RawServer]

SEED = 20261124
CASES = 400

_TEXT = b"hello, world\n" * 20
_JSON = json.dumps({"a": [1, 2, 3], "b": "caf\u00e9"}).encode()


def _chunked(*pieces: bytes, trailer: bytes = b"") -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces)
    return out + b"0\r\n" + trailer + b"\r\n"


CORPUS: list[bytes] = [
    response(200, _TEXT, headers=[("Content-Type", "text/plain; charset=utf-8")]),
    response(200, _JSON, headers=[("Content-Type", "application/json")]),
    response(
        200,
        _chunked(b"hello ", b"chunked ", b"world"),
        headers=[("Transfer-Encoding", "chunked")],
    ),
    response(
        200,
        _chunked(b"with trailer", trailer=b"X-Trailer: yes\r\n"),
        headers=[("Transfer-Encoding", "chunked"), ("Trailer", "X-Trailer")],
    ),
    response(200, gzip.compress(_TEXT), headers=[("Content-Encoding", "gzip")]),
    response(
        200,
        _chunked(zlib.compress(_JSON)),
        headers=[("Content-Encoding", "deflate"), ("Transfer-Encoding", "chunked")],
    ),
    response(
        200,
        gzip.compress(zlib.compress(_TEXT)),
        headers=[("Content-Encoding", "deflate, gzip")],
    ),
    response(302, b"", headers=[("Location", "/next")]),
    response(301, b"moved", headers=[("Location", "next?a=1#frag")]),
    response(307, b"", headers=[("Location", "/caf\u00e9")]),
    # non-UTF-8 Location bytes: requests raises UnicodeDecodeError here
    b"HTTP/1.1 303 See Other\r\nLocation: /\xff\xfe\xe9t\xe9\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\n" + response(200, b"after continue"),
    response(200, b"one point oh, close-delimited", version="HTTP/1.0", length=False),
    response(200, b"close-delimited 1.1", length=False),
    response(
        200,
        b"cookies",
        headers=[
            ("Set-Cookie", "a=1; Path=/; HttpOnly"),
            ("Set-Cookie", "b=\u00e9; Domain=127.0.0.1; Max-Age=100"),
            ("Link", '</next>; rel="next", </last>; rel="last"'),
        ],
    ),
    response(204, b""),
    b'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: "x"\r\n\r\n',
    response(
        200, b"\xff\xfe\x00bin\x80ary", headers=[("Content-Type", "text/html; charset=bogus")]
    ),
    response(200, b"\x00" * 64, headers=[("Content-Encoding", "gzip")]),  # not gzip at all
]

_SPECIALS = [b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b":", b" ", b"\t", b"0", b"9", b"-", b";"]
_NUMBERS = [
    b"0",
    b"-1",
    b"99999999999999999999",
    b"1e3",
    b"0x10",
    b"",
    b"7",
    b"18446744073709551616",
]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        if not data:
            break
        kind = rng.randrange(8)
        pos = rng.randrange(len(data))
        if kind == 0:  # flip a byte
            data = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1 :]
        elif kind == 1:  # insert a delimiter-ish byte
            data = data[:pos] + rng.choice(_SPECIALS) + data[pos:]
        elif kind == 2:  # delete a range
            data = data[:pos] + data[pos + rng.randint(1, 16) :]
        elif kind == 3:  # truncate
            data = data[:pos]
        elif kind == 4:  # duplicate a slice
            end = min(len(data), pos + rng.randint(1, 40))
            data = data[:end] + data[pos:end] + data[end:]
        elif kind == 5:  # replace a number (lengths, status, chunk sizes)
            numbers = list(re.finditer(rb"[0-9a-fA-F]+", data))
            if numbers:
                m = rng.choice(numbers)
                data = data[: m.start()] + rng.choice(_NUMBERS) + data[m.end() :]
        elif kind == 6:  # CRLF -> LF somewhere
            crlfs = [m.start() for m in re.finditer(rb"\r\n", data)]
            if crlfs:
                at = rng.choice(crlfs)
                data = data[:at] + data[at + 1 :]
        else:  # swap two lines
            lines = data.split(b"\r\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = b"\r\n".join(lines)
    return data


def _stays_local(payload: bytes) -> bool:
    """Never let a mutation turn a relative Location into another host (a DNS lookup)."""
    return b"//" not in payload and b"\\" not in payload


def _cases() -> list[bytes]:
    rng = random.Random(SEED)
    out = list(CORPUS)
    while len(out) < CASES:
        candidate = _mutate(rng, rng.choice(CORPUS))
        if _stays_local(candidate):
            out.append(candidate)
    return out


def _touch(r: object) -> None:
    """Read what users read; JSON errors are part of our hierarchy and allowed."""
    assert r.status_code is not None  # type: ignore[attr-defined]
    r.content  # type: ignore[attr-defined]  # noqa: B018
    r.text  # type: ignore[attr-defined]  # noqa: B018
    dict(r.headers)  # type: ignore[attr-defined]
    r.cookies.get_dict()  # type: ignore[attr-defined]
    r.links  # type: ignore[attr-defined]  # noqa: B018
    r.is_redirect  # type: ignore[attr-defined]  # noqa: B018
    r.ok  # type: ignore[attr-defined]  # noqa: B018
    repr(r)
    for old in r.history:  # type: ignore[attr-defined]
        old.headers.get("Location")
    try:
        r.json()  # type: ignore[attr-defined]
    except exceptions.RequestException:
        pass


def _touch_streamed(r: object, chunk_size: int) -> None:
    """Consume a streamed body piece by piece, then everything else users read."""
    for _ in r.iter_lines(chunk_size=chunk_size):  # type: ignore[attr-defined]
        pass
    r.close()  # type: ignore[attr-defined]
    dict(r.headers)  # type: ignore[attr-defined]
    r.cookies.get_dict()  # type: ignore[attr-defined]
    repr(r)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("stream", [False, True], ids=["buffered", "streamed"])
def test_mutated_responses_end_in_response_or_our_exceptions(
    raw_server: RawFactory, stream: bool
) -> None:
    current: list[bytes] = [b""]

    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        try:
            sock.sendall(current[0])
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    srv = raw_server(handler)
    escaped: list[str] = []
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    with requests.Session() as session:
        session.max_redirects = 3
        for number, payload in enumerate(_cases()):
            current[0] = payload
            try:
                r = session.get(f"{srv.url}/case/{number}", timeout=(1, 1), stream=stream)
                if stream:
                    _touch_streamed(r, 1 + number % 17)
                else:
                    _touch(r)
                outcome = "Response"
            except exceptions.RequestException as exc:
                outcome = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - this is what the test looks for
                outcome = "ESCAPED " + type(exc).__name__
                escaped.append(f"case {number}: {exc!r} for payload {payload[:200]!r}")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    elapsed = time.monotonic() - started
    assert not escaped, "\n".join(escaped[:10])
    # the corpus is valid: many cases must still succeed, and many must fail
    assert outcomes.get("Response", 0) >= 40, outcomes
    assert sum(n for k, n in outcomes.items() if k != "Response") >= 40, outcomes
    assert elapsed < 20, (elapsed, outcomes)
