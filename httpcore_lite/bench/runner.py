"""Send the requests of one mode and collect what each response's connection facts say."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..adapters import HTTPAdapter
from ..exceptions import RequestException
from ..sessions import Session

__all__ = ["MODES", "ModeResult", "run_mode", "percentile"]

#: mode -> (send "Connection: close", offer TLS sessions), in the order they run.
MODES: dict[str, tuple[bool, bool]] = {
    "keepalive": (False, True),
    "fresh": (True, False),
    "resumed": (True, True),
}


@dataclass
class ModeResult:
    """Everything measured in one mode. Times are seconds."""

    mode: str
    requests: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    #: error type -> the first message of that type
    error_samples: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    #: phase name -> one duration per request that had the phase
    phases: dict[str, list[float]] = field(default_factory=dict)
    connections: int = 0  # distinct connections that carried a response
    new_connections: int = 0  # responses on a connection opened for them
    resumed: int = 0  # of those, TLS handshakes that resumed a session
    pool: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return len(self.latencies)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _phases(info: Any) -> dict[str, float]:
    """Per-request phase durations from a ConnectionInfo (only the phases that happened)."""
    out: dict[str, float] = {}
    if info.dns is not None:
        out["dns"] = info.dns
    if info.connect is not None:
        out["connect"] = info.connect
    if info.tls_handshake is not None:
        out["tls"] = info.tls_handshake
    out["ttfb"] = info.first_byte - info.request_sent
    if info.complete is not None:
        out["receive"] = info.complete - info.first_byte
    return out


def run_mode(
    url: str,
    mode: str,
    requests: int,
    concurrency: int,
    verify: Any = True,
    timeout: float = 30.0,
    progress: Callable[[int], None] | None = None,
) -> ModeResult:
    """Send ``requests`` GETs to ``url`` from ``concurrency`` threads in ``mode``."""
    close, resume = MODES[mode]
    adapter = HTTPAdapter(
        pool_connections=1, pool_maxsize=max(concurrency, 1), tls_resumption=resume
    )
    result = ModeResult(mode)
    headers = {"Connection": "close"} if close else {}
    lock = threading.Lock()
    issued = 0
    seen: set[int] = set()

    def worker() -> None:
        nonlocal issued
        # Sessions of their own (cookie jars are not shared) over the one shared adapter. They
        # are not closed: closing a session closes its adapters, and the adapter is shared.
        session = Session()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        while True:
            with lock:
                if issued >= requests:
                    return
                issued += 1
                done = issued
            began = time.perf_counter()
            try:
                # verify per request: a session's own setting loses to REQUESTS_CA_BUNDLE
                response = session.get(url, headers=headers, timeout=timeout, verify=verify)
                response.content  # noqa: B018  (complete before the clock stops)
            except RequestException as exc:
                with lock:
                    name = type(exc).__name__
                    result.errors[name] = result.errors.get(name, 0) + 1
                    result.error_samples.setdefault(name, str(exc))
            else:
                latency = time.perf_counter() - began
                info = response.connection_info
                with lock:
                    result.latencies.append(latency)
                    if info is not None:
                        seen.add(info.connection_id)
                        if not info.reused:
                            result.new_connections += 1
                            result.resumed += bool(info.tls_session_resumed)
                        for name, value in _phases(info).items():
                            result.phases.setdefault(name, []).append(value)
            if progress is not None:
                progress(done)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(concurrency, 1))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    result.requests = requests
    result.connections = len(seen)
    stats = adapter.stats()
    result.pool = {
        "opened": stats.opened,
        "reused": stats.reused,
        "discarded": stats.discarded,
        "retried": stats.retried,
    }
    adapter.close()
    return result
