"""``python -m benchmarks --profile CLIENT[:SCENARIO]``: where a client spends its time.

SCENARIO is ``keepalive`` (default: the small GET loop on one session), ``fresh`` (one-shot
calls), ``stream`` (a 64 MiB download in 64 KiB chunks) or, for httpcore_lite only, ``memory``
(the keep-alive loop over the in-memory backend replaying the server's canned response: no
socket and no server, so the profile is pure client CPU, unblurred by the server or by other
load on the machine). Runs it under cProfile and prints the
functions with the largest cumulative and own time, per request (per 64 KiB chunk for
``stream``). Profiling overhead is included: compare functions with each other, not with the
tables.

``httpcore_lite:layers`` instead times each layer of a keep-alive GET without a profiler
(CPU µs per request, median of 5 batches): ``session.get``, ``session.send`` of a prepared
request, ``adapter.send``, the sans-IO core alone on a canned response, and bare h11 alone on
the same bytes. The differences are what each layer adds.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable

from benchmarks import clients
from benchmarks.floors import CHUNK

STREAM_SIZE = 64 * 1024 * 1024


def profile(spec: str, base_url: str, path: str, n: int = 3000, top: int = 30) -> str:
    name, _, scenario = spec.partition(":")
    scenario = scenario or "keepalive"
    if scenario == "layers":
        return layers(base_url, path)
    client = clients.make(name)
    client.setup(base_url)
    if scenario == "memory":
        _use_memory_backend(client, base_url, path)
    try:
        if scenario == "stream":
            path = f"/stream/{STREAM_SIZE}"
            client.stream("/stream/1048576")
            n = STREAM_SIZE // CHUNK
            unit = "64 KiB chunk"

            def work() -> None:
                client.stream(path)

        else:
            call = client.one_shot if scenario == "fresh" else client.request
            n = n // 3 if scenario == "fresh" else n
            unit = "request"
            for _ in range(30):
                call(path)

            def work() -> None:
                for _ in range(n):
                    call(path)

        # wall clock (a CPU-time timer costs ~1 µs per call and swamps small functions): socket
        # calls include the wait for the server, which shares the CPU; read the Python frames
        prof = cProfile.Profile()
        prof.enable()
        work()
        prof.disable()
    finally:
        client.teardown()
    stats = pstats.Stats(prof)
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumtime, tottime, ncalls, f"{_short(filename)}:{line}({func})"))
    out = io.StringIO()
    out.write(f"{name}, {scenario} ({path}): {n} x {unit} under cProfile; wall µs per {unit}\n")
    for title, key in (("by cumulative time", 0), ("by own time", 1)):
        rows.sort(key=lambda r: r[key], reverse=True)
        out.write(f"\n{title}:\n{'cum µs':>9} {'own µs':>9} {'calls':>7}  function\n")
        for cum, own, calls, where in rows[:top]:
            out.write(f"{cum / n * 1e6:>9.1f} {own / n * 1e6:>9.1f} {calls / n:>7.2f}  {where}\n")
    return out.getvalue()


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _use_memory_backend(client: object, base_url: str, path: str) -> None:
    from httpcore_lite.adapters import HTTPAdapter
    from httpcore_lite.transport.backends import MemoryBackend

    session = client.session  # type: ignore[attr-defined]
    session.mount("http://", HTTPAdapter(backend=MemoryBackend(_fetch_raw(base_url, path))))


def _cpu_per_call(fn: Callable[[], object], n: int = 2000) -> float:
    for _ in range(100):
        fn()
    samples = []
    for _ in range(5):
        c0 = time.process_time()
        for _ in range(n):
            fn()
        samples.append((time.process_time() - c0) / n * 1e6)
    return sorted(samples)[2]


def layers(base_url: str, path: str) -> str:
    """CPU µs per keep-alive GET, layer by layer (see the module docstring)."""
    import h11

    from benchmarks.floors import H11Floor
    from httpcore_lite import models, sessions
    from httpcore_lite.protocol import ClientConnection

    url = base_url + path
    session = sessions.Session()
    floor = H11Floor()
    floor.setup(base_url)
    prepared = session.prepare_request(models.Request("GET", url))
    adapter = session.get_adapter(url)
    # the embedded server's answer to path, fetched once and replayed to the sans-IO parts
    canned = _fetch_raw(base_url, path)
    core = ClientConnection()

    def core_only() -> None:
        core.send_request(prepared)
        core.receive_data(canned)
        assert core.response is not None
        core.start_next_cycle()

    hc = h11.Connection(h11.CLIENT)
    headers = [("Host", prepared.headers.get("Host") or base_url.split("//", 1)[1])]
    headers += [(k, v) for k, v in prepared.headers.items() if k.lower() != "host"]

    def h11_only() -> None:
        hc.send(h11.Request(method="GET", target=path, headers=headers))
        hc.send(h11.EndOfMessage())
        hc.receive_data(canned)
        while type(hc.next_event()) is not h11.EndOfMessage:
            pass
        hc.start_next_cycle()

    from httpcore_lite.adapters import HTTPAdapter
    from httpcore_lite.transport.backends import MemoryBackend

    in_memory = sessions.Session()
    in_memory.mount("http://", HTTPAdapter(backend=MemoryBackend(canned)))

    rows = [
        ("h11 floor request (socket)", lambda: floor.request(path)),
        ("session.get(url).content, in-memory backend", lambda: in_memory.get(url).content),
        ("session.get(url).content", lambda: session.get(url).content),
        (
            "session.prepare_request(Request)",
            lambda: session.prepare_request(models.Request("GET", url)),
        ),
        (
            "session.merge_environment_settings",
            lambda: session.merge_environment_settings(url, {}, None, None, None),
        ),
        ("session.send(prepared).content", lambda: session.send(prepared).content),
        ("adapter.send(prepared).content", lambda: adapter.send(prepared).content),
        ("sans-IO core alone (canned bytes)", core_only),
        ("bare h11 alone (same headers, canned)", h11_only),
    ]
    out = io.StringIO()
    out.write(f"httpcore_lite layers, keep-alive GET {path}: CPU µs per call (median of 5)\n")
    try:
        for label, fn in rows:
            out.write(f"{_cpu_per_call(fn):>8.1f}  {label}\n")
    finally:
        session.close()
        in_memory.close()
        floor.teardown()
    return out.getvalue()


def _fetch_raw(base_url: str, path: str) -> bytes:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80)) as sock:
        sock.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    # our server marks the close; the replayed response must look kept-alive
    return data.replace(b"Connection: close", b"Connection: keep-alive")
