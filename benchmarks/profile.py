"""``python -m benchmarks --profile CLIENT[:SCENARIO]``: where a client spends its time.

SCENARIO is ``keepalive`` (default: the small GET loop on one session), ``fresh`` (one-shot
calls) or ``stream`` (a 64 MiB download in 64 KiB chunks). Runs it under cProfile and prints the
functions with the largest cumulative and own time, per request (per 64 KiB chunk for
``stream``). Profiling overhead is included: compare functions with each other, not with the
tables.
"""

from __future__ import annotations

import cProfile
import io
import pstats

from benchmarks import clients
from benchmarks.floors import CHUNK

STREAM_SIZE = 64 * 1024 * 1024


def profile(spec: str, base_url: str, path: str, n: int = 3000, top: int = 30) -> str:
    name, _, scenario = spec.partition(":")
    scenario = scenario or "keepalive"
    client = clients.make(name)
    client.setup(base_url)
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
            n = n if scenario == "keepalive" else n // 3
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
