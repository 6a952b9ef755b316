"""Summaries, the terminal table, the JSON file, the plot and the project's goals.

Every figure is a median over rounds with its min–max. Ratios are taken *within a round*
(client rate / h11 floor rate of the same round) and then summarized: this machine's absolute
speed drifts ~20% between runs while same-round ratios hold within a few percent.

The report ends with what a person choosing a client wants first: where httpcore_lite stands
against each peer, scenario by scenario, as same-round ratios; then what TLS session resumption
changed; then the project's own goals, as figures next to their goals (progress, not a verdict
on the run). The plot shows each client's throughput on a log scale per scenario, with its
multiple of requests written on the bar, the two floors as reference marks rather than bars,
and a client's errors drawn as errors.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from typing import Any

# (label, scenario, client, reference client or None for an absolute figure, target, higher-is-better)
TARGETS: list[tuple[str, str, str, str | None, float, bool]] = [
    ("keep-alive: httpcore_lite / h11 floor", "keepalive", "httpcore_lite", "h11", 0.9, True),
    ("keep-alive: httpcore_lite / urllib3", "keepalive", "httpcore_lite", "urllib3", 1.8, True),
    ("keep-alive: httpcore_lite / requests", "keepalive", "httpcore_lite", "requests", 5.0, True),
    ("fresh connections: httpcore_lite / h11 floor", "fresh", "httpcore_lite", "h11", 0.7, True),
    ("fresh connections: httpcore_lite / urllib3", "fresh", "httpcore_lite", "urllib3", 1.45, True),
    (
        "fresh connections: httpcore_lite / requests",
        "fresh",
        "httpcore_lite",
        "requests",
        4.0,
        True,
    ),
    (
        "chunked 64 KiB: httpcore_lite / urllib3",
        "chunked-64k",
        "httpcore_lite",
        "urllib3",
        1.1,
        True,
    ),
    (
        "chunked 10 MiB: httpcore_lite / urllib3",
        "chunked-10m",
        "httpcore_lite",
        "urllib3",
        1.1,
        True,
    ),
    ("stream: httpcore_lite / raw socket", "stream", "httpcore_lite", "raw", 0.95, True),
    ("stream: httpcore_lite peak RSS growth (MiB)", "stream", "httpcore_lite", None, 8.0, False),
]


def _med(values: list[Any]) -> dict[str, float] | None:
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals)}


def round_ratios(
    runs: dict[str, list[dict[str, Any]]], client: str, ref: str, key: str = "rate"
) -> list[float]:
    """Same-round ratios of client to ref, for every round where both produced a result.

    ``key="rate"``: client rate / ref rate (higher is better). A CPU key (``cpu_us_per_request``,
    ``cpu_seconds``): ref CPU / client CPU, so that higher is better too, and 1.0 means "as
    cheap as the reference". CPU ratios barely move when other work shares the machine.
    """
    by_round = {r["round"]: r for r in runs.get(ref, []) if r.get(key) and not _failed(r)}
    out = []
    for r in runs.get(client, []):
        other = by_round.get(r["round"])
        if other is not None and r.get(key) and not _failed(r):
            if key == "rate":
                out.append(r[key] / other[key])
            else:
                out.append(other[key] / r[key])
    return out


def _cpu_key(scenario: dict[str, Any]) -> str:
    return "cpu_seconds" if scenario["kind"] == "stream" else "cpu_us_per_request"


def _failed(run: dict[str, Any]) -> bool:
    return run.get("requests", 0) == 0


def summarize(scenario: dict[str, Any], runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for client, rs in runs.items():
        s: dict[str, Any] = {
            "rate": _med([r.get("rate") for r in rs if not _failed(r)]),
            "ratio_h11": _med(round_ratios(runs, client, "h11")),
            "cpu_ratio_h11": _med(round_ratios(runs, client, "h11", _cpu_key(scenario))),
            "cpu_us_per_request": _med([r.get("cpu_us_per_request") for r in rs]),
            "p50_us": _med([r.get("p50_us") for r in rs]),
            "p99_us": _med([r.get("p99_us") for r in rs]),
            "requests": sum(r.get("requests", 0) for r in rs),
            "errors": sum(r.get("errors", 0) for r in rs),
            "last_error": next((r["last_error"] for r in rs if r.get("last_error")), None),
            "server_connections": _med([r.get("server_connections") for r in rs]),
            "server_cpu_us_per_request": _med([r.get("server_cpu_us_per_request") for r in rs]),
            "tls_handshakes": sum(r.get("tls_handshakes", 0) for r in rs),
            "tls_resumed": sum(r.get("tls_resumed", 0) for r in rs),
            "counts_match": all(
                r["requests"] == r["server_requests"] for r in rs if "server_requests" in r
            ),
        }
        if scenario["kind"] == "stream":
            s["ratio_raw"] = _med(round_ratios(runs, client, "raw"))
            s["rss_growth_mib"] = _med([r.get("rss_growth_mib") for r in rs])
            s["cpu_seconds"] = _med([r.get("cpu_seconds") for r in rs])
        pools = [r["pool"] for r in rs if r.get("pool")]
        if pools:
            pool = {
                k: sum(p[k] for p in pools) for k in ("opened", "reused", "discarded", "retried")
            }
            total = pool["opened"] + pool["reused"]
            pool["reuse_ratio"] = round(pool["reused"] / total, 4) if total else None
            s["pool"] = pool
        summary[client] = s
    return summary


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for label, key, client, ref, goal, higher in TARGETS:
        sc = results["scenarios"].get(key) or {}
        value = by_cpu = None
        if client in sc.get("runs", {}):
            if ref is None:
                growth = [r.get("rss_growth_mib") for r in sc["runs"][client]]
                growth = [g for g in growth if g is not None]
                value = max(growth) if growth else None
            elif ref in sc["runs"]:
                ratios = round_ratios(sc["runs"], client, ref)
                value = statistics.median(ratios) if ratios else None
                cpu = round_ratios(sc["runs"], client, ref, _cpu_key(sc["scenario"]))
                by_cpu = statistics.median(cpu) if cpu else None
        met = None if value is None else (value >= goal if higher else value <= goal)
        out.append(
            {
                "target": label,
                "goal": ("≥ " if higher else "≤ ") + f"{goal:g}",
                "value": value,
                "by_cpu": by_cpu,
                "met": met,
            }
        )
    return out


# --- rendering ---------------------------------------------------------------------------

LABELS = {
    "h11": "h11 floor",
    "raw": "raw socket",
    "httpcore_lite": "httpcore_lite",
    "httpcore_lite-no-resume": "hcl, no resume",
    "urllib3": "urllib3",
    "httpx": "httpx",
    "requests": "requests",
}


def _fmt_range(m: dict[str, float] | None, fmt: str) -> str:
    if m is None:
        return "-"
    return f"{m['median']:{fmt}} ({m['min']:{fmt}}–{m['max']:{fmt}})"


def _fmt(m: dict[str, float] | None, fmt: str) -> str:
    return "-" if m is None else f"{m['median']:{fmt}}"


def render(results: dict[str, Any]) -> str:
    meta = results["meta"]
    lines = [
        f"httpcore_lite benchmark — {meta['date']} — {meta['command']}",
        f"Python {meta['python']} on {meta['machine']}; server: {meta['server']}",
        f"Pinning: {meta['pinning']}",
        f"Load average (1, 5, 15 min) at start {_load(meta.get('load_average_at_start'))}, "
        f"at end {_load(meta.get('load_average_at_end'))}: other work on the machine blurs "
        "req/s; same-round ratios and CPU figures much less.",
        f"{meta['rounds']} rounds, clients interleaved (order rotated every round); "
        "figures are medians (min–max); × h11 = rate / h11 floor rate of the same round;",
        "CPU × h11 = h11 floor CPU / client CPU per request, same round (1.00 = as cheap as h11).",
    ]
    if results["skipped_clients"]:
        skipped = ", ".join(f"{k} ({v})" for k, v in results["skipped_clients"].items())
        lines.append(f"Skipped clients: {skipped}")
    for key, sc in results["scenarios"].items():
        info = sc["scenario"]
        lines.append("")
        if sc.get("skipped"):
            lines.append(f"== {info['title']}: skipped ({sc['skipped']})")
            continue
        summ = sc["summary"]
        if info["kind"] == "stream":
            lines.append(f"== {info['title']} [{key}]")
            head = f"{'client':<14} {'MB/s (min–max)':>22} {'× h11':>6} {'× raw':>6} {'CPU s':>6} {'CPU × h11':>9} {'RSS growth MiB':>15} {'err':>4}"
            lines.append(head)
            for client in _order(summ):
                s = summ[client]
                lines.append(
                    f"{LABELS.get(client, client):<14} {_fmt_range(s['rate'], '.0f'):>22} "
                    f"{_fmt(s['ratio_h11'], '.2f'):>6} {_fmt(s.get('ratio_raw'), '.2f'):>6} "
                    f"{_fmt(s.get('cpu_seconds'), '.2f'):>6} {_fmt(s.get('cpu_ratio_h11'), '.2f'):>9} "
                    f"{_fmt(s.get('rss_growth_mib'), '.1f'):>15} "
                    f"{s['errors']:>4}"
                )
        else:
            bound = (
                f"runs of {info['n']} requests or {info['max_seconds']:g} s, whichever ends first"
            )
            if info["n"] >= 100_000:
                bound = f"runs of {info['max_seconds']:g} s"
            lines.append(f"== {info['title']} [{key}; {bound}]")
            head = (
                f"{'client':<14} {'req/s (min–max)':>24} {'× h11 (min–max)':>20} "
                f"{'CPU µs/req':>10} {'CPU × h11':>9} {'p50 µs':>8} {'p99 µs':>8} {'conns':>6} {'err':>4}"
            )
            lines.append(head)
            for client in _order(summ):
                s = summ[client]
                lines.append(
                    f"{LABELS.get(client, client):<14} {_fmt_range(s['rate'], ',.0f'):>24} "
                    f"{_fmt_range(s['ratio_h11'], '.2f'):>20} {_fmt(s['cpu_us_per_request'], '.0f'):>10} "
                    f"{_fmt(s.get('cpu_ratio_h11'), '.2f'):>9} "
                    f"{_fmt(s['p50_us'], '.0f'):>8} {_fmt(s['p99_us'], '.0f'):>8} "
                    f"{_fmt(s['server_connections'], '.0f'):>6} {s['errors']:>4}"
                )
        for client in _order(summ):
            pool = summ[client].get("pool")
            if pool:
                ratio = "-" if pool["reuse_ratio"] is None else f"{pool['reuse_ratio'] * 100:.1f}%"
                lines.append(
                    f"  {client} pool (all rounds): opened {pool['opened']}, reused {pool['reused']} "
                    f"({ratio}), stale discarded {pool['discarded']}, retried {pool['retried']}"
                )
        if info.get("https"):
            for client in _order(summ):
                s = summ[client]
                if s.get("tls_handshakes"):
                    lines.append(
                        f"  {client} TLS (all rounds): {s['tls_handshakes']} handshakes, "
                        f"{s['tls_resumed']} resumed; server CPU "
                        f"{_fmt(s.get('server_cpu_us_per_request'), '.0f')} µs/req"
                    )
        for client in _order(summ):
            s = summ[client]
            if s["errors"]:
                lines.append(f"  {client}: {s['errors']} errors, e.g. {s['last_error']}")
            if not s["counts_match"]:
                lines.append(f"  {client}: request count differs from the server's count!")
    lines.append("")
    lines += standing(results)
    resumption = resumption_lines(results)
    if resumption:
        lines.append("")
        lines += resumption
    lines.append("")
    lines.append(
        "Project goals (tracked from run to run; medians of same-round ratios, CPU: the same "
        "by CPU time):"
    )
    for t in results["targets"]:
        value = "not measured" if t["value"] is None else f"{t['value']:.2f}"
        note = {True: "reached", False: "not yet", None: ""}[t["met"]]
        cpu = "" if t.get("by_cpu") is None else f"   (CPU: {t['by_cpu']:.2f})"
        lines.append(f"  {t['target']:<48} goal {t['goal']:>6}  now {value:>12}  {note}{cpu}")
    return "\n".join(lines)


PEERS = ("requests", "urllib3", "httpx")


def standing(results: dict[str, Any]) -> list[str]:
    """Where httpcore_lite stands, per scenario: same-round multiples of each peer's rate."""
    lines = [
        "Where httpcore_lite stands (its throughput as a multiple of each peer's, same round, "
        "median; > 1 = faster):"
    ]
    for key, sc in results["scenarios"].items():
        runs = sc.get("runs") or {}
        if "httpcore_lite" not in runs:
            continue
        parts = []
        for peer in (*PEERS, "h11"):
            if peer not in runs:
                continue
            ratios = round_ratios(runs, "httpcore_lite", peer)
            if not ratios:
                parts.append(f"{LABELS.get(peer, peer)}: no result")
                continue
            parts.append(f"{statistics.median(ratios):.2f}x {LABELS.get(peer, peer)}")
        errors = {c: s["errors"] for c, s in sc.get("summary", {}).items() if s.get("errors")}
        note = ""
        if errors:
            note = "; errors: " + ", ".join(f"{c} {n}" for c, n in errors.items())
        lines.append(f"  {key:<22} " + ", ".join(parts) + note)
    return lines


def resumption_lines(results: dict[str, Any]) -> list[str]:
    """TLS session resumption on against off, from the scenarios that run both."""
    out: list[str] = []
    on, off = "httpcore_lite", "httpcore_lite-no-resume"
    for key, sc in results["scenarios"].items():
        runs = sc.get("runs") or {}
        if on not in runs or off not in runs:
            continue
        s_on, s_off = sc["summary"][on], sc["summary"][off]
        rate = round_ratios(runs, on, off)
        cpu = round_ratios(runs, on, off, "cpu_us_per_request")
        out.append(f"TLS session resumption [{key}] (resumption on vs off, same round):")
        out.append(
            f"  handshakes: on {s_on['tls_handshakes']} ({s_on['tls_resumed']} resumed), "
            f"off {s_off['tls_handshakes']} ({s_off['tls_resumed']} resumed)"
        )
        out.append(
            f"  client CPU µs/req: on {_fmt(s_on['cpu_us_per_request'], '.0f')}, "
            f"off {_fmt(s_off['cpu_us_per_request'], '.0f')}"
            + (f" (off/on {statistics.median(cpu):.2f}x)" if cpu else "")
        )
        out.append(
            f"  server CPU µs/req: on {_fmt(s_on['server_cpu_us_per_request'], '.0f')}, "
            f"off {_fmt(s_off['server_cpu_us_per_request'], '.0f')}"
        )
        out.append(
            f"  latency p50/p99 µs: on {_fmt(s_on['p50_us'], '.0f')}/{_fmt(s_on['p99_us'], '.0f')}, "
            f"off {_fmt(s_off['p50_us'], '.0f')}/{_fmt(s_off['p99_us'], '.0f')}"
        )
        if rate:
            out.append(f"  throughput: on/off {statistics.median(rate):.2f}x")
    return out


def _load(values: list[float] | None) -> str:
    return "-" if not values else " ".join(f"{v:.1f}" for v in values)


def _order(summary: dict[str, Any]) -> list[str]:
    known = [c for c in LABELS if c in summary]
    return known + [c for c in summary if c not in LABELS]


def write_json(results: dict[str, Any], path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=False)
        f.write("\n")


FLOORS = ("h11", "raw")
_FLOOR_STYLE = {"h11": ("--", "h11 floor"), "raw": (":", "raw socket floor")}


def plot(results: dict[str, Any], path: str) -> str | None:
    """Throughput per scenario and client, for a person choosing a client.

    Request scenarios share one log-scale axis (req/s) and downloads get their own (MB/s), so
    neither squashes the other. Each client's bar carries its median with min–max whiskers
    and, written on it, its multiple of requests' rate in the same rounds. The floors are
    short reference lines across their scenario, not bars. A client that had errors gets a red
    cross and its error count; one with no successful request has no bar, only the cross.
    Returns a note when the plot cannot be drawn.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib not installed: plot skipped"
    keys = [k for k, sc in results["scenarios"].items() if sc.get("summary")]
    if not keys:
        return "nothing to plot"
    groups = [
        [k for k in keys if results["scenarios"][k]["scenario"]["kind"] != "stream"],
        [k for k in keys if results["scenarios"][k]["scenario"]["kind"] == "stream"],
    ]
    groups = [g for g in groups if g]
    widths = [max(2.0, 1.25 * len(g)) for g in groups]
    fig, axes = plt.subplots(
        1,
        len(groups),
        figsize=(max(9.0, sum(widths) + 2), 5.6),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
    )
    clients = [
        c
        for c in LABELS
        if c not in FLOORS and any(c in results["scenarios"][k]["summary"] for k in keys)
    ]
    colors = {c: f"C{i}" for i, c in enumerate(clients)}
    labelled: set[str] = set()
    for ax, group in zip(axes[0], groups, strict=True):
        stream = results["scenarios"][group[0]]["scenario"]["kind"] == "stream"
        width = 0.8 / max(1, len(clients))
        top = 0.0
        for j, key in enumerate(group):
            sc = results["scenarios"][key]
            summ, runs = sc["summary"], sc.get("runs", {})
            present = [c for c in clients if c in summ]
            for i, client in enumerate(present):
                x = j + (i - (len(present) - 1) / 2) * width
                s = summ[client]
                r = s.get("rate")
                if r is not None:
                    ax.bar(
                        x,
                        r["median"],
                        width,
                        yerr=[[r["median"] - r["min"]], [r["max"] - r["median"]]],
                        capsize=2,
                        color=colors[client],
                        label=None if client in labelled else LABELS[client],
                    )
                    labelled.add(client)
                    top = max(top, r["max"])
                    if client != "requests" and "requests" in runs:
                        ratios = round_ratios(runs, client, "requests")
                        if ratios:
                            ax.text(
                                x,
                                r["median"] / 1.12,
                                f"{statistics.median(ratios):.1f}x",
                                ha="center",
                                va="top",
                                fontsize=6.5,
                                rotation=90,
                                color="white",
                                fontweight="bold",
                            )
                if s.get("errors"):
                    y = r["median"] if r is not None else None
                    ax.plot(
                        [x],
                        [y if y is not None else 1.0],
                        marker="x",
                        color="red",
                        markersize=9,
                        mew=2,
                        transform=ax.transData if y is not None else ax.get_xaxis_transform(),
                    )
                    ax.annotate(
                        f"{s['errors']} err",
                        (x, y if y is not None else 0.02),
                        xycoords="data" if y is not None else ax.get_xaxis_transform(),
                        color="red",
                        fontsize=6,
                        ha="center",
                        va="bottom",
                        xytext=(0, 6),
                        textcoords="offset points",
                    )
            for floor in FLOORS:
                f = summ.get(floor, {}).get("rate")
                if f is None:
                    continue
                style, label = _FLOOR_STYLE[floor]
                ax.hlines(
                    f["median"],
                    j - 0.45,
                    j + 0.45,
                    colors="black",
                    linestyles=style,
                    linewidth=1.2,
                    label=None if floor in labelled else label,
                )
                labelled.add(floor)
                top = max(top, f["median"])
        ax.set_yscale("log")
        ax.set_ylim(top=top * 3 if top else None)
        ax.set_xticks(range(len(group)))
        ax.set_xticklabels(group, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel(("MB/s" if stream else "requests/s") + " (log scale; higher is better)")
        ax.grid(axis="y", which="major", alpha=0.3)
    handles, names = [], []
    for ax in axes[0]:
        for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.append(handle)
            names.append(name)
    axes[0][0].legend(handles, names, fontsize="x-small", ncol=4, loc="upper left")
    fig.suptitle(
        f"httpcore_lite benchmark, {results['meta']['date']}: median of rounds (whiskers "
        "min–max); on bars: multiple of requests, same round; red x: errors",
        fontsize=9,
    )
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return None


class Progress:
    """One line on stderr, rewritten in place on a terminal, plain lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.width = 0

    def show(self, text: str, major: bool = True) -> None:
        """Rewrite the line on a terminal; elsewhere print only ``major`` steps (one per round)."""
        if self.tty:
            pad = max(0, self.width - len(text))
            sys.stderr.write("\r" + text + " " * pad)
            self.width = len(text)
        elif major:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def done(self) -> None:
        if self.tty and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
