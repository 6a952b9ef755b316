"""``python -m httpcore_lite.bench URL``: see :mod:`httpcore_lite.bench`."""

from __future__ import annotations

import argparse
import datetime
import sys
import threading
from typing import Any

from .. import __version__
from .output import summary, table, write_json, write_png
from .runner import MODES, run_mode


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m httpcore_lite.bench",
        description="Measure what connection reuse and TLS session resumption save against a "
        "server: keep-alive, a fresh connection per request, and fresh connections resuming "
        "TLS sessions (https only), with latency percentiles and a phase breakdown.",
    )
    p.add_argument("url", help="the URL to GET (http:// or https://)")
    p.add_argument("-n", "--requests", type=int, default=None, help="requests per mode (1000)")
    p.add_argument("-c", "--concurrency", type=int, default=None, help="threads (4)")
    p.add_argument("--modes", default=None, help="comma-separated subset of " + ",".join(MODES))
    p.add_argument("--quick", action="store_true", help="a quick look: 60 requests, 2 threads")
    p.add_argument("--ca-bundle", metavar="PATH", help="verify the server against this CA file")
    p.add_argument("--insecure", action="store_true", help="do not verify the certificate")
    p.add_argument("--timeout", type=float, default=30.0, help="per request, seconds (30)")
    p.add_argument("--json", metavar="FILE", help="write the results as JSON")
    p.add_argument("--png", metavar="FILE", help="draw latency and phases (needs matplotlib)")
    args = p.parse_args(argv)
    if args.requests is None:
        args.requests = 60 if args.quick else 1000
    if args.concurrency is None:
        args.concurrency = 2 if args.quick else 4
    if args.requests < 1 or args.concurrency < 1:
        p.error("--requests and --concurrency must be at least 1")
    https = args.url.lower().startswith("https://")
    if args.modes:
        args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        unknown = [m for m in args.modes if m not in MODES]
        if unknown:
            p.error(f"unknown mode(s): {', '.join(unknown)} (choose from {', '.join(MODES)})")
    else:
        args.modes = [m for m in MODES if https or m != "resumed"]
    if not https and "resumed" in args.modes:
        p.error("the resumed mode needs an https:// URL")
    return args


class Progress:
    """A plain-text progress bar on stderr (one line per mode when stderr is not a terminal)."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream: Any = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self._lock = threading.Lock()
        self._shown = -1

    def update(self, done: int) -> None:
        if not self.live:
            return
        filled = self.WIDTH * done // self.total
        with self._lock:
            if filled == self._shown and done != self.total:
                return
            self._shown = filled
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r{self.label:<10} [{bar}] {done}/{self.total}")
            self.stream.flush()

    def finish(self, seconds: float) -> None:
        end = "\r" if self.live else ""
        bar = "#" * self.WIDTH
        self.stream.write(
            f"{end}{self.label:<10} [{bar}] {self.total}/{self.total} {seconds:.1f} s\n"
        )
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    verify: Any = True
    if args.insecure:
        verify = False
    elif args.ca_bundle:
        verify = args.ca_bundle
    results = []
    for mode in args.modes:
        bar = Progress(mode, args.requests)
        result = run_mode(
            args.url,
            mode,
            args.requests,
            args.concurrency,
            verify=verify,
            timeout=args.timeout,
            progress=bar.update,
        )
        bar.finish(result.elapsed)
        results.append(result)
    summaries = [summary(r) for r in results]
    table(args.url, summaries, args.concurrency, sys.stdout)
    if args.json:
        write_json(
            args.json,
            {
                "url": args.url,
                "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "httpcore_lite": __version__,
                "requests": args.requests,
                "concurrency": args.concurrency,
                "modes": summaries,
            },
        )
    if args.png:
        try:
            write_png(args.png, args.url, summaries)
        except ImportError:
            print("--png needs matplotlib (pip install matplotlib); no plot drawn", file=sys.stderr)
            return 2
    failed = all(s["ok"] == 0 for s in summaries)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
