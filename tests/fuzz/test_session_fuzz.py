"""The invariant against a hostile server: every Session call ends in a Response or a
RequestException, no file descriptor leaks, and the pool is consistent afterwards.

A raw-socket server answers each call with a response built from a seeded random generator:
random status lines and heads, redirects (followable, looping, unparseable), digest and other
challenges, Set-Cookie values, content encodings (valid, lying, garbage), and framings (short,
long, chunked right and wrong, none, garbage), then keeps the connection, closes it, resets it
or stalls. The client side varies too: streaming or not, redirects followed or not, digest
auth, and what is read from the response. The run is bounded (a few hundred calls, a small
read timeout) and reproducible (the seed is in the failure message).
"""

from __future__ import annotations

import gc
import gzip
import os
import random
import socket
import time
import zlib

import pytest

import httpcore_lite as requests
from httpcore_lite.auth import HTTPDigestAuth
from httpcore_lite.exceptions import RequestException
from tests.servers.raw import read_request, reset, wait_closed

SEED = int(os.environ.get("HOSTILE_FUZZ_SEED", "20261202"))
CALLS = 300

_STATUSES = [200, 200, 200, 204, 206, 301, 302, 303, 304, 307, 308, 401, 404, 407, 500, 199, 999]
_LOCATIONS = [
    "/",
    "/next?x=1",
    "next",
    "?q",
    "#frag",
    "//127.0.0.1:{port}/scheme-relative",
    "http://127.0.0.1:{port}/absolute",
    "http://localhost:{port}/other-origin",
    "https://127.0.0.1:{port}/tls-to-a-plain-server",
    "http://127.0.0.1:1/refused",
    "http://[::1",
    "http://[::1]:{port}x/",
    "http://127.0.0.1:99999999/",
    "//[bad",
    "ftp://127.0.0.1/",
    "http+unix://%2Ftmp%2Fsock/",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://user:pass@127.0.0.1:{port}/userinfo",
    "/\u00e9\u00e8",
    "/%zz%",
    "http://%00/",
    "http://\u2603.example/",
    "",
    " ",
    "\x01\x02",
    "/" + "a" * 5000,
]
_CHALLENGES = [
    'Digest realm="r", nonce="n", qop="auth"',
    'Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth-int"',
    'Digest realm="r", nonce="n", algorithm=UNKNOWN',
    'Digest realm="r"',
    "Digest nonce",
    "Digest",
    'Basic realm="x", Digest realm="y", nonce="z"',
    'Digest realm="\u00e9", nonce="\u00ff\u00fe", opaque="o"',
    "Negotiate",
    "\x00\x7f,,,=",
]
_COOKIES = [
    "a=b",
    "a=b; Path=/; HttpOnly",
    "a=b; Domain=127.0.0.1",
    "a=b; Domain=.evil.example",
    "a=b; Domain=",
    "a=b; Max-Age=abc",
    "a=b; Max-Age=-1",
    "a=b; Expires=not a date",
    "a=b; Expires=Wed, 99 Foo 99999 99:99:99 GMT",
    "=novalue",
    "noequals",
    ";;;",
    "a=" + "x" * 10000,
    "a=\u00e9\u00ff",
    "a=b; Version=abc",
    '$Version="1"; a="b"; $Path="/"',
]
_CONTENT_TYPES = [
    "text/html; charset=utf-8",
    "text/plain; charset=bogus-charset",
    "text/plain; charset=",
    'application/json; charset="utf-16"',
    "application/json",
    "multipart/x; boundary",
    "\u00e9/\u00e9",
]
_LINKS = ['<http://127.0.0.1/>; rel="next"', "<", ";;;", '<a>; rel="x", <b', "<\u00e9>; rel=\u00e9"]


def _encode(rng: random.Random, body: bytes) -> tuple[list[tuple[str, str]], bytes]:
    """A Content-Encoding header and body: right, wrong, stacked, unknown or garbage."""
    choice = rng.randrange(9)
    if choice == 0:
        return [("Content-Encoding", "gzip")], gzip.compress(body)
    if choice == 1:
        return [("Content-Encoding", "deflate")], zlib.compress(body)
    if choice == 2:
        return [("Content-Encoding", "gzip")], body  # a lie
    if choice == 3:
        return [("Content-Encoding", "gzip, deflate")], gzip.compress(body)
    if choice == 4:
        return [("Content-Encoding", rng.choice(["br", "zstd", "compress", "x-garbage"]))], body
    if choice == 5:
        return [("Content-Encoding", "gzip")], gzip.compress(body)[: rng.randrange(1, 20)]
    return [], body


def _body(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return b""
    if kind == 1:
        return b'{"json": [1, 2, {"a": null}]}'
    if kind == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    if kind == 3:
        return "\u00e9t\u00e9 \u00ff line\r\nline2\n".encode(rng.choice(["utf-8", "latin-1"]))
    return b"x" * rng.randrange(1, 70000)


def _frame(rng: random.Random, head: list[str], body: bytes) -> bytes:
    """Head plus body under one of many framings, honest or not."""
    kind = rng.randrange(10)
    if kind <= 3:
        head.append(f"Content-Length: {len(body)}")
        payload = body
    elif kind == 4:
        head.append(f"Content-Length: {len(body) + rng.randrange(1, 100)}")  # short body
        payload = body
    elif kind == 5:
        head.append("Transfer-Encoding: chunked")
        payload = b"".join(
            f"{len(part):x}\r\n".encode() + part + b"\r\n"
            for part in (body[i : i + 1000] for i in range(0, len(body), 1000))
        ) + rng.choice([b"0\r\n\r\n", b"0\r\nTrailer: x\r\n\r\n", b"", b"zz\r\n"])
    elif kind == 6:
        head.append("Transfer-Encoding: chunked")
        payload = rng.choice([b"fffffffffffffffffff\r\n", b"-1\r\n", b"5\r\nabc", b"\r\n\r\n"])
    elif kind == 7:
        head.append(rng.choice(["Content-Length: -1", "Content-Length: 1, 2", "Content-Length: x"]))
        payload = body
    elif kind == 8:
        payload = body  # no length: delimited by close
    else:
        head.append(f"Content-Length: {len(body)}")
        head.append("Content-Length: 0")
        payload = body
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8", "surrogateescape") + payload


def _response(rng: random.Random, port: int) -> bytes:
    if rng.random() < 0.05:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))  # not HTTP
    status = rng.choice(_STATUSES)
    version = rng.choice(["HTTP/1.1"] * 8 + ["HTTP/1.0", "HTTP/2.0", "HTTP/1.1x"])
    reason = rng.choice(["OK", "", "R\u00e9ason", "x" * 300])
    head = [f"{version} {status} {reason}"]
    if status in (301, 302, 303, 307, 308) or rng.random() < 0.1:
        head.append("Location: " + rng.choice(_LOCATIONS).format(port=port))
    if status in (401, 407) or rng.random() < 0.05:
        head.append("WWW-Authenticate: " + rng.choice(_CHALLENGES))
    for _ in range(rng.choice([0, 0, 1, 2, 5])):
        head.append("Set-Cookie: " + rng.choice(_COOKIES))
    if rng.random() < 0.5:
        head.append("Content-Type: " + rng.choice(_CONTENT_TYPES))
    if rng.random() < 0.1:
        head.append("Link: " + rng.choice(_LINKS))
    if rng.random() < 0.1:
        head.append(rng.choice(["Connection: close", "Connection: keep-alive, \x00", "Keep-Alive"]))
    if rng.random() < 0.05:
        head.append(rng.choice(["X-Folded: a\r\n b", "Bad Header: x", ": empty", "X-\u00e9: \u00e9"]))
    encoding, body = _encode(rng, _body(rng))
    head += [f"{name}: {value}" for name, value in encoding]
    return _frame(rng, head, body)


class _Scenario:
    """What the server does for the current call: one response for every request, then an end."""

    def __init__(self) -> None:
        self.payload = b""
        self.then = "keep"

    def __call__(self, sock: socket.socket) -> None:
        while read_request(sock) is not None:
            payload, then = self.payload, self.then
            if then == "stall-head":
                wait_closed(sock, 3)
                return
            sock.sendall(payload)
            if then == "close":
                return
            if then == "reset":
                reset(sock)
                return
            if then == "stall":
                wait_closed(sock, 3)
                return


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _use(rng: random.Random, r: requests.Response) -> None:
    """Read the response the way some caller would."""
    _ = (r.status_code, r.headers, r.is_redirect, r.is_permanent_redirect, r.ok)
    _ = r.links
    _ = r.cookies.get_dict()
    _ = r.next
    choice = rng.randrange(6)
    if choice == 0:
        _ = r.text
    elif choice == 1:
        try:
            r.json()
        except requests.exceptions.JSONDecodeError:
            pass
    elif choice == 2:
        for _ in r.iter_content(rng.choice([1, 7, 1024, None]), decode_unicode=rng.random() < 0.5):
            pass
    elif choice == 3:
        for _ in r.iter_lines():
            pass
    elif choice == 4:
        _ = r.raw.read(rng.randrange(1, 100))
    else:
        _ = (r.content, r.apparent_encoding)
    try:
        r.raise_for_status()
    except requests.exceptions.HTTPError:
        pass


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_hostile_server_fuzz(raw_server):
    rng = random.Random(SEED)
    scenario = _Scenario()
    gc.collect()
    before = _open_fds()
    server = raw_server(scenario)
    session = requests.Session()
    session.max_redirects = 4
    adapter = session.get_adapter("http://")
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    for call in range(CALLS):
        scenario.payload = _response(rng, server.port)
        scenario.then = rng.choice(["keep"] * 6 + ["close", "reset", "stall", "stall-head"])
        kwargs = {
            "allow_redirects": rng.random() < 0.6,
            "stream": rng.random() < 0.4,
            "timeout": (2, 0.25),
        }
        if rng.random() < 0.3:
            kwargs["auth"] = HTTPDigestAuth("user", "pass\u00e9")
        method = rng.choice(["GET", "GET", "POST", "HEAD", "PUT"])
        data = b"body" if method in ("POST", "PUT") else None
        where = f"seed {SEED}, call {call}: {method} {kwargs} then={scenario.then}"
        try:
            with session.request(method, server.url + "/", data=data, **kwargs) as r:
                _use(rng, r)
            outcome = "response"
        except RequestException as exc:
            outcome = type(exc).__name__
        except BaseException as exc:
            raise AssertionError(f"{where}: {type(exc).__name__}: {exc}") from exc
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        assert adapter.stats().in_use == 0, where
    session.close()
    server.stop()
    # Server handler threads close their sockets as they notice; wait for them briefly.
    deadline = time.monotonic() + 5
    while True:
        gc.collect()
        if _open_fds() <= before or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert _open_fds() <= before, f"file descriptors leaked: {before} -> {_open_fds()}"
    # The run covered both outcomes broadly (the generator is doing its job).
    assert outcomes.get("response", 0) > CALLS // 6, outcomes
    assert len(outcomes) >= 5, outcomes
    assert time.monotonic() - started < 60
