"""The bench CLI's outputs: a plain-text table, a JSON document and an optional PNG."""

from __future__ import annotations

import json
import statistics
from typing import Any, TextIO

from .runner import ModeResult, percentile

__all__ = ["summary", "table", "write_json", "write_png", "PHASES"]

#: Phases in the order a request goes through them, with their column titles.
PHASES = {"dns": "DNS", "connect": "connect", "tls": "TLS", "ttfb": "TTFB", "receive": "receive"}
_PERCENTILES = (50, 90, 99)


def summary(result: ModeResult) -> dict[str, Any]:
    """One mode's figures as plain data (milliseconds), for the table, the JSON and the PNG."""
    ms = 1000.0
    lat = result.latencies
    phases = {}
    for name in PHASES:
        values = result.phases.get(name)
        if values:
            phases[name] = {
                "count": len(values),
                "mean_ms": statistics.fmean(values) * ms,
                "p50_ms": percentile(values, 50) * ms,
            }
    return {
        "mode": result.mode,
        "requests": result.requests,
        "ok": result.ok,
        "errors": dict(result.errors),
        "error_samples": dict(result.error_samples),
        "elapsed_s": result.elapsed,
        "requests_per_s": result.ok / result.elapsed if result.elapsed else 0.0,
        "latency_ms": {
            **{f"p{q}": percentile(lat, q) * ms for q in _PERCENTILES},
            "mean": statistics.fmean(lat) * ms if lat else 0.0,
            "max": max(lat) * ms if lat else 0.0,
        },
        "phases_ms": phases,
        "connections": result.connections,
        "new_connections": result.new_connections,
        "reused_requests": result.ok - result.new_connections,
        "tls_resumed": result.resumed,
        "pool": dict(result.pool),
    }


def _rows(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [
        "  ".join(
            h.rjust(w) if i else h.ljust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return lines


def table(url: str, summaries: list[dict[str, Any]], concurrency: int, out: TextIO) -> None:
    """Three small tables: throughput and latency, the phase breakdown, connections."""
    print(
        f"{url}: {summaries[0]['requests']} requests per mode, concurrency {concurrency}", file=out
    )
    print(file=out)
    rows = []
    for s in summaries:
        lat = s["latency_ms"]
        errors = sum(s["errors"].values())
        rows.append(
            [
                s["mode"],
                f"{s['requests_per_s']:,.0f}",
                *(f"{lat[f'p{q}']:.2f}" for q in _PERCENTILES),
                f"{lat['max']:.2f}",
                str(errors),
            ]
        )
    head = ["mode", "req/s", *(f"p{q} ms" for q in _PERCENTILES), "max ms", "errors"]
    print("\n".join(_rows(head, rows)), file=out)
    print(file=out)
    print("phase breakdown (mean ms over the requests that had the phase):", file=out)
    rows = []
    for s in summaries:
        phases = s["phases_ms"]
        rows.append(
            [s["mode"]] + [f"{phases[p]['mean_ms']:.3f}" if p in phases else "-" for p in PHASES]
        )
    print("\n".join(_rows(["mode", *PHASES.values()], rows)), file=out)
    print(file=out)
    rows = []
    for s in summaries:
        pool = s["pool"]
        rows.append(
            [
                s["mode"],
                str(s["connections"]),
                str(s["reused_requests"]),
                str(s["tls_resumed"]),
                f"{pool['opened']}/{pool['reused']}/{pool['discarded']}/{pool['retried']}",
            ]
        )
    head = ["mode", "connections", "reused", "TLS resumed", "pool opened/reused/discarded/retried"]
    print("\n".join(_rows(head, rows)), file=out)
    for s in summaries:
        if s["errors"]:
            for name, count in sorted(s["errors"].items()):
                sample = s["error_samples"].get(name, "")
                print(f"errors in {s['mode']}: {count} x {name} (first: {sample})", file=out)


def write_json(path: str, document: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
        f.write("\n")


def write_png(path: str, url: str, summaries: list[dict[str, Any]]) -> None:
    """Latency percentiles and the stacked phase breakdown per mode. Needs matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modes = [s["mode"] for s in summaries]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    width = 0.8 / len(_PERCENTILES)
    for i, q in enumerate(_PERCENTILES):
        xs = [m + (i - (len(_PERCENTILES) - 1) / 2) * width for m in range(len(modes))]
        left.bar(xs, [s["latency_ms"][f"p{q}"] for s in summaries], width, label=f"p{q}")
    left.set_xticks(range(len(modes)), modes)
    left.set_ylabel("latency, ms (lower is better)")
    left.set_title("latency per request")
    left.legend()
    bottoms = [0.0] * len(modes)
    for phase, title in PHASES.items():
        # Each request's share: mean over the requests that had the phase, weighted by how
        # many did (a reused connection has no connect or TLS phase).
        heights = []
        for s in summaries:
            p = s["phases_ms"].get(phase)
            heights.append(p["mean_ms"] * p["count"] / max(s["ok"], 1) if p else 0.0)
        right.bar(range(len(modes)), heights, 0.6, bottom=bottoms, label=title)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    right.set_xticks(range(len(modes)), modes)
    right.set_ylabel("ms per request (mean)")
    right.set_title("where the time goes")
    right.legend()
    fig.suptitle(url)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
