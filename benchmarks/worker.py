"""One streamed download in a fresh interpreter, for an honest peak-RSS figure.

Invoked by the harness as ``python -m benchmarks.worker '<json spec>'``; prints one JSON line.
The client is set up and warmed with a 1 MiB download first (imports, first connection), then
the peak RSS (VmHWM) is reset by writing "5" to /proc/self/clear_refs, and the growth reported
is VmHWM after the download minus VmRSS before it.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from benchmarks import clients

WARM_PATH = "/stream/1048576"


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def run(spec: dict[str, Any]) -> dict[str, Any]:
    name = spec["client"]
    client = clients.make(name)
    client.setup(spec["base_url"])
    record: dict[str, Any] = {"client": name, "errors": 0, "last_error": None}
    requests = 0
    try:
        client.stream(WARM_PATH)
        requests += 1
        reset = _reset_peak()
        rss0 = _status_kib("VmRSS")
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        got = client.stream(spec["path"])
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        requests += 1
        peak = _status_kib("VmHWM") if reset else None
        if got != spec["size"]:
            record["errors"] = 1
            record["last_error"] = f"received {got} bytes of {spec['size']}"
        record.update(
            bytes=got,
            seconds=wall,
            cpu_seconds=cpu,
            rate=got / wall / 1e6 if wall > 0 else 0.0,  # MB/s (10^6 bytes)
            rss_before_kib=rss0,
            rss_peak_kib=peak,
            rss_growth_mib=round((peak - rss0) / 1024, 2) if peak and rss0 else None,
        )
    except Exception as exc:
        record["errors"] = 1
        record["last_error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        client.teardown()
    record["requests"] = requests
    return record


def main() -> None:
    print(json.dumps(run(json.loads(sys.argv[1]))), flush=True)


if __name__ == "__main__":
    main()
