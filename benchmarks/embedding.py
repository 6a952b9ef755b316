"""``python -m benchmarks.embedding``: the asyncio recipe on the sans-IO core against bare h11.

Both clients use asyncio streams, a per-origin pool (a semaphore and an idle list) and a read
timeout around every read; they differ only in what turns requests into bytes and bytes into
responses. The recipe is ``examples/asyncio_pool.py`` as shipped (a requests ``Response`` per
request, decoded body, retry policy); the h11 client returns (status, headers, body) and does
nothing else. CPU time is ``time.process_time`` of this process only: the canned-response
server (``benchmarks.server``) runs in another process.

Rounds are interleaved (h11, recipe, recipe, h11, ...), each client on a fresh event loop;
the figure is the median over rounds of the recipe's CPU per request divided by h11's in the
same round, so a ratio at or below 1.00 means the recipe costs no more than bare h11.

    python -m benchmarks.embedding [--requests 2000] [--rounds 5] [--in-flight 16]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import multiprocessing
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import h11

from benchmarks.server import serve_in_process

ROOT = Path(__file__).resolve().parent.parent
PATH = "/bytes/64"


def load_recipe() -> Any:
    """The shipped recipe module, imported from its file (examples/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "asyncio_pool", ROOT / "examples" / "asyncio_pool.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class H11Pool:
    """The bare-h11 reference: the same pool shape as the recipe, GET only."""

    def __init__(self, per_origin: int = 8, read_timeout: float = 10.0) -> None:
        self.per_origin, self.read_timeout = per_origin, read_timeout
        self.idle: dict[Any, list[Any]] = {}
        self.slots: dict[Any, asyncio.Semaphore] = {}

    async def get(self, url: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        parts = urlsplit(url)
        origin = (parts.hostname, parts.port or 80)
        slot = self.slots.setdefault(origin, asyncio.Semaphore(self.per_origin))
        await slot.acquire()
        try:
            idle = self.idle.setdefault(origin, [])
            if idle:
                reader, writer, conn = idle.pop()
            else:
                reader, writer = await asyncio.open_connection(*origin)
                conn = h11.Connection(h11.CLIENT)
            target = parts.path + ("?" + parts.query if parts.query else "")
            request = h11.Request(
                method="GET", target=target, headers=[("Host", parts.netloc), ("Accept", "*/*")]
            )
            writer.write(conn.send(request) + conn.send(h11.EndOfMessage()))
            await writer.drain()
            status, headers, chunks = 0, [], []
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    data = await asyncio.wait_for(reader.read(65536), self.read_timeout)
                    conn.receive_data(data)
                elif type(event) is h11.Response:
                    status, headers = event.status_code, list(event.headers)
                elif type(event) is h11.Data:
                    chunks.append(bytes(event.data))
                elif type(event) is h11.EndOfMessage:
                    break
            if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
                conn.start_next_cycle()
                idle.append((reader, writer, conn))
            else:
                writer.close()
            return status, headers, b"".join(chunks)
        finally:
            slot.release()

    def close(self) -> None:
        for conns in self.idle.values():
            for _, writer, _ in conns:
                writer.close()


async def _run(fetch: Callable[[], Awaitable[int]], count: int, in_flight: int) -> float:
    """CPU seconds for ``count`` fetches, ``in_flight`` at a time, after a warm-up."""
    await asyncio.gather(*[fetch() for _ in range(in_flight)])
    start = time.process_time()
    done = 0
    while done < count:
        sizes = await asyncio.gather(*[fetch() for _ in range(in_flight)])
        assert all(size == 64 for size in sizes)
        done += in_flight
    return (time.process_time() - start) / done


def measure(kind: str, url: str, count: int, in_flight: int) -> float:
    """CPU seconds per request for one client on a fresh event loop."""

    async def main() -> float:
        if kind == "h11":
            h11_pool = H11Pool(per_origin=in_flight)

            async def fetch() -> int:
                return len((await h11_pool.get(url))[2])

            try:
                return await _run(fetch, count, in_flight)
            finally:
                h11_pool.close()
        pool = RECIPE.Pool(per_origin=in_flight)

        async def fetch() -> int:  # noqa: F811 - one client per branch
            return len((await pool.request("GET", url)).content)

        try:
            return await _run(fetch, count, in_flight)
        finally:
            pool.close()

    return asyncio.run(main())


RECIPE = load_recipe()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.embedding", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--in-flight", type=int, nargs="+", default=[1, 16])
    args = parser.parse_args(argv)

    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve_in_process, args=(sender, None), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{receiver.recv()}{PATH}"
    try:
        print(
            f"GET {PATH}, {args.requests} requests per run, {args.rounds} rounds, CPU of the client"
        )
        print(f"{'in flight':>9}  {'bare h11':>12}  {'recipe':>12}  {'recipe / h11':>12}")
        for in_flight in args.in_flight:
            ratios, cpu = [], {"h11": [], "recipe": []}
            for round_ in range(args.rounds):
                order = ("h11", "recipe") if round_ % 2 == 0 else ("recipe", "h11")
                got = {kind: measure(kind, url, args.requests, in_flight) for kind in order}
                for kind, value in got.items():
                    cpu[kind].append(value)
                ratios.append(got["recipe"] / got["h11"])
            h11_us = statistics.median(cpu["h11"]) * 1e6
            recipe_us = statistics.median(cpu["recipe"]) * 1e6
            ratio = statistics.median(ratios)
            print(f"{in_flight:>9}  {h11_us:>9.1f} µs  {recipe_us:>9.1f} µs  {ratio:>12.2f}")
            sys.stdout.flush()
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
