"""``python -m benchmarks``: connection reuse, httpcore_lite against its peers and two floors.

See ``python -m benchmarks --help`` and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from benchmarks import clients, report, scenarios
from benchmarks.server import fetch_stats, serve_in_process

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark httpcore_lite against requests, httpx, urllib3 and two floors "
        "(raw socket, bare h11) on an embedded 127.0.0.1 server.",
    )
    p.add_argument(
        "--quick", action="store_true", help="tiny counts, 8 MiB download (CI smoke, < 30 s)"
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="rounds per scenario (default 7, downloads 3; quick 2)",
    )
    p.add_argument(
        "--server", metavar="URL", help="benchmark this server instead of the embedded one"
    )
    p.add_argument("--no-pin", action="store_true", help="do not pin client and server to one CPU")
    p.add_argument(
        "--cpu", type=int, default=0, help="the CPU client and server are pinned to (default 0)"
    )
    p.add_argument("--clients", help="comma-separated subset of: " + ",".join(clients.ALL))
    p.add_argument("--scenarios", help="comma-separated subset of scenario keys (see the table)")
    p.add_argument(
        "--json",
        metavar="PATH",
        help="results file (default benchmarks/results/latest.json; quick-latest.json with --quick)",
    )
    p.add_argument(
        "--plot",
        metavar="PATH",
        help="PNG plot (default benchmarks/results/latest.png; quick-latest.png with --quick)",
    )
    p.add_argument("--no-plot", action="store_true", help="do not draw the plot")
    p.add_argument(
        "--profile",
        metavar="CLIENT[:SCENARIO]",
        help="instead of the tables: profile CLIENT with cProfile; SCENARIO is keepalive "
        "(default), fresh or stream",
    )
    args = p.parse_args(argv)
    # a smoke run must not overwrite the figures of the last full run
    stem = "quick-latest" if args.quick else "latest"
    args.json = args.json or os.path.join(RESULTS, stem + ".json")
    args.plot = args.plot or os.path.join(RESULTS, stem + ".png")
    return args


def _clean_env() -> None:
    """127.0.0.1 only: a proxy variable in the environment must not reroute the clients."""
    for var in PROXY_VARS:
        os.environ.pop(var, None)
        os.environ.pop(var.upper(), None)


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {model}, {os.cpu_count()} CPUs"


def _versions(names: list[str]) -> dict[str, str]:
    out = {}
    for name in names:
        module = {"raw": None, "h11": "h11"}.get(name, name)
        if module is None:
            continue
        try:
            mod = __import__(module)
            out[name] = str(getattr(mod, "__version__", "?"))
        except Exception:
            pass
    return out


def start_server(cpu: int | None) -> tuple[Any, str]:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=serve_in_process, args=(child, cpu), daemon=True)
    proc.start()
    if not parent.poll(30):
        proc.terminate()
        raise RuntimeError("the benchmark server did not start")
    port = parent.recv()
    return proc, f"http://127.0.0.1:{port}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    _clean_env()
    cpu = None if args.no_pin else args.cpu
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})

    server_proc = None
    if args.server:
        parts = urlsplit(args.server)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            print("warning: --server is not a loopback address", file=sys.stderr)
        base = f"{parts.scheme}://{parts.netloc}"
        small_path = parts.path or "/"
        if parts.query:
            small_path += "?" + parts.query
        server_desc = f"external {args.server}"
    else:
        server_proc, base = start_server(cpu)
        small_path = scenarios.SMALL
        server_desc = f"embedded (benchmarks/server.py) at {base}"
    try:
        if args.profile:
            from benchmarks.profile import profile

            print(profile(args.profile, base, small_path))
            return 0
        return run(args, argv, base, small_path, server_desc, cpu)
    finally:
        if server_proc is not None:
            server_proc.terminate()
            server_proc.join(5)


def run(
    args: argparse.Namespace,
    argv: list[str],
    base: str,
    small_path: str,
    server_desc: str,
    cpu: int | None,
) -> int:
    counted = fetch_stats(base) is not None
    if args.server and counted:
        small_path = scenarios.SMALL  # it is our server: use its routes
    wanted = args.clients.split(",") if args.clients else None
    names, missing = clients.available(wanted)
    if "h11" not in names:
        print("the h11 floor is the reference of every ratio: it must run", file=sys.stderr)
        return 2
    scens = scenarios.build(args.quick, small_path)
    if args.scenarios:
        keys = set(args.scenarios.split(","))
        scens = [s for s in scens if s.key in keys]
    rounds = args.rounds or (2 if args.quick else 7)
    stream_rounds = args.rounds or (2 if args.quick else 3)

    if cpu is None:
        pinning = "none (--no-pin): cross-CPU wake-ups make figures noisy and slower on small VMs"
    else:
        who = "client" if args.server else "client and server"
        pinning = (
            f"{who} pinned to CPU {cpu} (os.sched_setaffinity): on a 2-vCPU VM every cross-CPU "
            "wake-up costs 100–300 µs, so unpinned runs measure the VM, not the client (--no-pin)"
        )
    results: dict[str, Any] = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "python -m benchmarks" + ("" if not argv else " " + " ".join(argv)),
            "python": platform.python_version(),
            "machine": _machine(),
            "server": server_desc + ("" if counted else " (no /__stats: counts not verified)"),
            "server_counts": counted,
            "pinning": pinning,
            "pinned_cpu": cpu,
            "quick": args.quick,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "rounds": rounds,
            "stream_rounds": stream_rounds,
            "clients": names,
            "versions": _versions(names),
        },
        "skipped_clients": missing,
        "scenarios": {},
    }
    progress = report.Progress()
    started = time.monotonic()
    for i, sc in enumerate(scens, 1):
        entry: dict[str, Any] = {"scenario": scenarios.describe(sc)}
        results["scenarios"][sc.key] = entry
        if sc.ours_only and not counted:
            entry["skipped"] = "needs the embedded server's routes"
            continue
        runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
        n_rounds = stream_rounds if sc.kind == "stream" else rounds
        for r in range(n_rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for pos, name in enumerate(order):
                elapsed = time.monotonic() - started
                progress.show(
                    f"[{elapsed:5.0f}s] scenario {i}/{len(scens)} {sc.key}: round {r + 1}/{n_rounds}, {name}",
                    major=pos == 0,
                )
                try:
                    if sc.kind == "stream":
                        rec = scenarios.run_stream(name, sc, base, counted)
                    else:
                        rec = scenarios.run_requests(name, sc, base, counted)
                except (
                    Exception
                ) as exc:  # a client that cannot run a scenario is reported, not fatal
                    rec = {
                        "client": name,
                        "requests": 0,
                        "errors": 1,
                        "last_error": f"{type(exc).__name__}: {exc}"[:300],
                    }
                rec["round"] = r
                runs[name].append(rec)
        entry["runs"] = runs
        entry["summary"] = report.summarize(entry["scenario"], runs)
    progress.done()
    results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    results["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = report.targets(results)
    print(report.render(results))
    report.write_json(results, args.json)
    print(f"\nJSON: {args.json}")
    if not args.no_plot:
        note = report.plot(results, args.plot)
        print(f"plot: {note}" if note else f"plot: {args.plot}")
    print(f"total {results['meta']['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
