"""``python -m benchmarks --profile CLIENT``: where a client's keep-alive request spends its time.

Runs the keep-alive small GET loop under cProfile and prints the functions with the largest
cumulative time, in µs per request (profiling overhead included: compare functions with each
other, not with the tables).
"""

from __future__ import annotations

import cProfile
import io
import pstats

from benchmarks import clients

N = 3000


def profile_keepalive(name: str, base_url: str, path: str, n: int = N, top: int = 30) -> str:
    client = clients.make(name)
    client.setup(base_url)
    try:
        for _ in range(50):
            client.request(path)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            client.request(path)
        prof.disable()
    finally:
        client.teardown()
    stats = pstats.Stats(prof)
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumtime, tottime, ncalls, f"{_short(filename)}:{line}({func})"))
    rows.sort(reverse=True)
    out = io.StringIO()
    out.write(f"{name}: keep-alive GET {path}, {n} requests under cProfile\n")
    out.write(f"{'cum µs/req':>10} {'own µs/req':>10} {'calls/req':>9}  function\n")
    for cum, own, calls, where in rows[:top]:
        out.write(f"{cum / n * 1e6:>10.1f} {own / n * 1e6:>10.1f} {calls / n:>9.1f}  {where}\n")
    out.write("\nby own time:\n")
    rows.sort(key=lambda r: r[1], reverse=True)
    for cum, own, calls, where in rows[:top]:
        out.write(f"{cum / n * 1e6:>10.1f} {own / n * 1e6:>10.1f} {calls / n:>9.1f}  {where}\n")
    return out.getvalue()


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
