"""What is measured, and the loops that measure it.

Every run builds the client fresh (``setup``), warms it up with a few untimed requests (imports,
first connection), snapshots the server's counters and the client's pool statistics, runs the
timed loop, snapshots again and tears the client down. Counts and pool figures are the
differences, so they describe the timed part only.

Downloads run in a subprocess per client and round (``benchmarks.worker``): a fresh interpreter
whose peak RSS (VmHWM, reset through /proc/self/clear_refs) says what the download itself cost,
undisturbed by what earlier runs left in the allocator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from benchmarks import clients
from benchmarks.server import fetch_stats

SMALL = "/bytes/64"


@dataclass
class Scenario:
    key: str
    title: str
    kind: str  # "seq" | "fresh" | "threads" | "stream"
    path: str
    n: int  # requests per run (downloads: bytes)
    max_seconds: float  # a run stops early at this bound (slow clients)
    threads: int = 1
    pool_size: int | None = None
    ours_only: bool = False  # needs the embedded server's routes
    https: bool = False  # against the embedded server's https listener
    resumption: bool = False  # httpcore_lite also runs with TLS session resumption off


#: The resumption scenario's server closes each connection after this many responses.
CLOSE_EVERY = 3


def build(quick: bool, small_path: str = SMALL, https: bool = False) -> list[Scenario]:
    """The scenario list; --quick keeps every scenario with tiny counts. ``https``: add the
    scenarios over the embedded server's https listener.

    Full runs are bounded by time, not counts: every client gets the same ~0.6 s slice per
    round, so a burst of load from elsewhere on the machine hits the clients of a round alike,
    and many short rounds give steadier medians than a few long ones.
    """
    q = quick
    stream_size = (8 if q else 256) * 1024 * 1024
    n_small = 60 if q else 100_000
    n_fresh = 30 if q else 100_000
    n_threads = 80 if q else 100_000
    n_body = 40 if q else 100_000
    cap = 0.5 if q else 0.6
    out = [
        Scenario("keepalive", "keep-alive small GET, one session", "seq", small_path, n_small, cap),
        Scenario(
            "fresh",
            "fresh connection per request (one-shot call)",
            "fresh",
            small_path,
            n_fresh,
            cap,
        ),
    ]
    for size in (1, 2, 10):
        out.append(
            Scenario(
                f"threads-pool{size}",
                f"8 threads sharing one session, pool of {size} (blocking)",
                "threads",
                small_path,
                n_threads,
                cap,
                threads=8,
                pool_size=size,
            )
        )
    out += [
        Scenario(
            "stale-every-10",
            "server silently closes after every 10th response (stale connections)",
            "seq",
            SMALL + "?drop=10",
            n_small,
            cap,
            ours_only=True,
        ),
        Scenario(
            "retry-every-10",
            "server reads the 11th request of each connection and closes unanswered (retry)",
            "seq",
            SMALL + "?reset=10",
            n_small,
            cap,
            ours_only=True,
        ),
        Scenario(
            "chunked-64k",
            "64 KiB chunked body (16 x 4 KiB chunks)",
            "seq",
            "/chunked/65536?chunk=4096",
            n_body,
            cap,
            ours_only=True,
        ),
        Scenario(
            "chunked-10m",
            "10 MiB chunked download (8 KiB chunks)",
            "seq",
            "/chunked/10485760?chunk=8192",
            n_body,
            cap,
            ours_only=True,
        ),
        Scenario(
            "gzip-64k",
            "64 KiB JSON body, gzip (about 12 KiB on the wire)",
            "seq",
            "/gzip/65536",
            n_body,
            cap,
            ours_only=True,
        ),
        Scenario(
            "stream",
            f"{stream_size >> 20} MiB streamed download, 64 KiB chunks",
            "stream",
            f"/stream/{stream_size}",
            stream_size,
            60.0,
            ours_only=True,
        ),
    ]
    if https:
        out += [
            Scenario(
                "https-keepalive",
                "https: keep-alive small GET, one session",
                "seq",
                SMALL,
                n_small,
                cap,
                ours_only=True,
                https=True,
            ),
            Scenario(
                "https-fresh",
                "https: fresh connection per request (one-shot call, full handshake)",
                "fresh",
                SMALL,
                n_fresh,
                cap,
                ours_only=True,
                https=True,
            ),
            Scenario(
                "https-stale-every-10",
                "https: server silently closes after every 10th response (stale connections)",
                "seq",
                SMALL + "?drop=10",
                n_small,
                cap,
                ours_only=True,
                https=True,
            ),
            Scenario(
                f"https-close-every-{CLOSE_EVERY}",
                f"https: server closes each connection after {CLOSE_EVERY} responses "
                "(new connections: TLS session resumption on and off)",
                "seq",
                SMALL + f"?close={CLOSE_EVERY}",
                n_small,
                cap,
                ours_only=True,
                https=True,
                resumption=True,
            ),
        ]
    return out


def _warmup_count(sc: Scenario) -> int:
    return {"seq": 20, "fresh": 3, "threads": 10}.get(sc.kind, 0)


def run_requests(
    name: str, sc: Scenario, base_url: str, counted: bool, stats_url: str | None = None
) -> dict[str, Any]:
    """One client, one run of a request scenario; returns the run's record.

    ``stats_url`` is where the server's counters are read (its http listener, when
    ``base_url`` is the https one).
    """
    stats_url = stats_url or base_url
    client = clients.make(name)
    client.setup(base_url, sc.pool_size)
    call = client.one_shot if sc.kind == "fresh" else client.request
    path = sc.path
    record: dict[str, Any] = {"client": name}
    try:
        for _ in range(_warmup_count(sc)):
            try:
                call(path)
            except Exception:  # the failure scenarios fail here too; the timed loop counts them
                pass
        # one-shot calls build their own session: the kept one has nothing to say
        pool0 = None if sc.kind == "fresh" else client.pool_stats()
        srv0 = fetch_stats(stats_url) if counted else None
        if sc.kind == "threads":
            done, errors, lat, last_error, wall, cpu = _threads_loop(call, path, sc)
        else:
            done, errors, lat, last_error, wall, cpu = _seq_loop(call, path, sc)
        srv1 = fetch_stats(stats_url) if counted else None
        pool1 = None if sc.kind == "fresh" else client.pool_stats()
    finally:
        client.teardown()
    lat.sort()
    record.update(
        requests=done,
        errors=errors,
        last_error=last_error,
        seconds=wall,
        cpu_seconds=cpu,
        rate=done / wall if wall > 0 else 0.0,
        cpu_us_per_request=cpu / done * 1e6 if done else None,
        p50_us=_pct(lat, 0.50),
        p99_us=_pct(lat, 0.99),
    )
    if srv0 is not None and srv1 is not None:
        record["server_requests"] = srv1["requests"] - srv0["requests"]  # /__stats not counted
        record["server_connections"] = srv1["connections"] - srv0["connections"] - 1  # /__stats
        if "cpu" in srv1 and done:
            # the server's CPU per request: with TLS this is where full handshakes show
            record["server_cpu_us_per_request"] = (srv1["cpu"] - srv0["cpu"]) / done * 1e6
            record["tls_handshakes"] = srv1["handshakes"] - srv0["handshakes"]
            record["tls_resumed"] = srv1["resumed"] - srv0["resumed"]
    if pool0 is not None and pool1 is not None:
        pool = {k: pool1[k] - pool0[k] for k in ("opened", "reused", "discarded", "retried")}
        pool["in_use"] = pool1["in_use"]
        pool["idle"] = pool1["idle"]
        total = pool["opened"] + pool["reused"]
        pool["reuse_ratio"] = round(pool["reused"] / total, 4) if total else None
        record["pool"] = pool
    return record


def _pct(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, int(q * len(sorted_values)))
    return round(sorted_values[i] * 1e6, 1)


def _seq_loop(
    call: Any, path: str, sc: Scenario
) -> tuple[int, int, list[float], str | None, float, float]:
    lat: list[float] = []
    append = lat.append
    errors = 0
    last_error = None
    perf = time.perf_counter
    cpu0 = time.process_time()
    t0 = prev = perf()
    deadline = t0 + sc.max_seconds
    for _ in range(sc.n):
        try:
            call(path)
        except Exception as exc:  # counted and shown: a peer may surface a stale connection
            errors += 1
            last_error = f"{type(exc).__name__}: {exc}"[:300]
        now = perf()
        append(now - prev)
        prev = now
        if now > deadline or errors > 100:
            break
    cpu = time.process_time() - cpu0
    return len(lat) - errors, errors, lat, last_error, prev - t0, cpu


def _threads_loop(
    call: Any, path: str, sc: Scenario
) -> tuple[int, int, list[float], str | None, float, float]:
    per_thread = max(1, sc.n // sc.threads)
    results: list[tuple[list[float], int, str | None]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(sc.threads + 1)
    deadline_box: list[float] = [0.0]

    def worker() -> None:
        lat: list[float] = []
        errors = 0
        last_error = None
        perf = time.perf_counter
        barrier.wait()
        prev = perf()
        deadline = deadline_box[0]
        for _ in range(per_thread):
            try:
                call(path)
            except Exception as exc:
                errors += 1
                last_error = f"{type(exc).__name__}: {exc}"[:300]
            now = perf()
            lat.append(now - prev)
            prev = now
            if now > deadline or errors > 100:
                break
        with lock:
            results.append((lat, errors, last_error))

    workers = [threading.Thread(target=worker) for _ in range(sc.threads)]
    for w in workers:
        w.start()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    deadline_box[0] = t0 + sc.max_seconds
    barrier.wait()
    for w in workers:
        w.join()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    lat = [x for r in results for x in r[0]]
    errors = sum(r[1] for r in results)
    last_error = next((r[2] for r in results if r[2]), None)
    return len(lat) - errors, errors, lat, last_error, wall, cpu


def run_stream(name: str, sc: Scenario, base_url: str, counted: bool) -> dict[str, Any]:
    """One download in a fresh subprocess (see benchmarks.worker)."""
    spec = {"client": name, "base_url": base_url, "path": sc.path, "size": sc.n}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    srv0 = fetch_stats(base_url) if counted else None
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=sc.max_seconds + 60,
    )
    srv1 = fetch_stats(base_url) if counted else None
    try:
        record: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        record = {
            "client": name,
            "requests": 0,
            "errors": 1,
            "last_error": (proc.stderr or "worker failed")[-300:],
        }
    if srv0 is not None and srv1 is not None:
        record["server_requests"] = srv1["requests"] - srv0["requests"]
        record["server_connections"] = srv1["connections"] - srv0["connections"] - 1
    return record


def describe(sc: Scenario) -> dict[str, Any]:
    return asdict(sc)
