"""Smoke tests of ``python -m benchmarks``: structure and request counts, never timings.

Only the two floors and httpcore_lite are asked for: the ``test`` extra does not install
requests, httpx or urllib3, and the harness must work without them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {
    "keepalive",
    "fresh",
    "threads-pool1",
    "threads-pool2",
    "threads-pool10",
    "stale-every-10",
    "retry-every-10",
    "chunked-64k",
    "chunked-10m",
    "gzip-64k",
    "stream",
    "https-keepalive",
    "https-fresh",
    "https-stale-every-10",
    "https-close-every-3",
}
FLOORS = ("h11", "raw")


def _run(*args: str, timeout: float = 150) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    out = tmp_path_factory.mktemp("bench")
    proc = _run(
        "--quick",
        "--clients",
        "h11,raw,httpcore_lite",
        "--json",
        str(out / "r.json"),
        "--plot",
        str(out / "r.png"),
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads((out / "r.json").read_text()), proc.stdout, out


@pytest.mark.timeout(180)
def test_quick_run_has_every_scenario_and_meta(quick: tuple[dict[str, Any], str, Path]) -> None:
    data, stdout, _ = quick
    meta = data["meta"]
    assert meta["quick"] is True
    assert meta["server_counts"] is True
    assert set(FLOORS) <= set(meta["clients"])
    assert "pinned" in meta["pinning"] or "--no-pin" in meta["pinning"]
    assert set(data["scenarios"]) == SCENARIOS
    for key, sc in data["scenarios"].items():
        assert not sc.get("skipped"), key
        rounds = meta["stream_rounds"] if key == "stream" else meta["rounds"]
        # the resumption control runs only where resumption is compared
        expected = [
            c
            for c in meta["clients"]
            if c != "httpcore_lite-no-resume" or key == "https-close-every-3"
        ]
        assert sorted(sc["runs"]) == sorted(expected), key
        for client in expected:
            assert len(sc["runs"][client]) == rounds, (key, client)
            assert {r["round"] for r in sc["runs"][client]} == set(range(rounds))
            assert client in sc["summary"], (key, client)
        # every ratio is relative to the h11 floor of the same round
        assert sc["summary"]["h11"]["ratio_h11"]["median"] == pytest.approx(1.0)
    labels = {t["target"] for t in data["targets"]}
    assert any("keep-alive" in label for label in labels)
    assert "Where httpcore_lite stands" in stdout
    assert "MISSED" not in stdout
    assert "keep-alive small GET" in stdout
    assert "TLS session resumption [https-close-every-3]" in stdout


@pytest.mark.timeout(180)
def test_every_client_count_matches_the_server(quick: tuple[dict[str, Any], str, Path]) -> None:
    data, _, _ = quick
    for key, sc in data["scenarios"].items():
        for client, runs in sc["runs"].items():
            for run in runs:
                assert run["requests"] == run["server_requests"], (key, client, run)
                assert sc["summary"][client]["counts_match"], (key, client)
                if client in FLOORS:
                    assert run["errors"] == 0, (key, client, run.get("last_error"))
                    assert run["requests"] > 0, (key, client)


@pytest.mark.timeout(180)
def test_floors_reuse_connections_and_downloads_are_complete(
    quick: tuple[dict[str, Any], str, Path],
) -> None:
    data, _, _ = quick
    size = data["scenarios"]["stream"]["scenario"]["n"]
    for client, runs in data["scenarios"]["stream"]["runs"].items():
        for run in runs:
            assert run["errors"] == 0, (client, run.get("last_error"))
            assert run["bytes"] == size
            assert run["requests"] == 2  # warm-up + the download
    for client in FLOORS:
        # keep-alive: the connection opened during warm-up carries every timed request
        for run in data["scenarios"]["keepalive"]["runs"][client]:
            assert run["server_connections"] == 0
        for key in ("fresh", "https-fresh"):
            for run in data["scenarios"][key]["runs"][client]:
                assert run["server_connections"] == run["requests"]
        for run in data["scenarios"]["https-keepalive"]["runs"][client]:
            assert run["server_connections"] == 0
        for key in ("stale-every-10", "retry-every-10"):
            for run in data["scenarios"][key]["runs"][client]:
                assert run["server_connections"] >= run["requests"] // 10 - 1


@pytest.mark.timeout(180)
def test_https_scenarios_verify_and_resume(quick: tuple[dict[str, Any], str, Path]) -> None:
    """Every https connection is a TLS handshake the server counted; only httpcore_lite with
    resumption on resumes, and the server agrees with how often."""
    data, _, _ = quick
    for key, sc in data["scenarios"].items():
        if not sc["scenario"]["https"]:
            continue
        for client, runs in sc["runs"].items():
            for run in runs:
                assert run["tls_handshakes"] == run["server_connections"], (key, client)
                if client != "httpcore_lite":
                    assert run["tls_resumed"] == 0, (key, client)
    close = data["scenarios"]["https-close-every-3"]
    on = close["summary"]["httpcore_lite"]
    off = close["summary"]["httpcore_lite-no-resume"]
    assert on["tls_handshakes"] > 0 and on["tls_resumed"] >= on["tls_handshakes"] - 2
    assert off["tls_handshakes"] > 0 and off["tls_resumed"] == 0
    for run in close["runs"]["httpcore_lite"]:
        # the client's own view: every new connection but possibly the first resumed
        assert run["pool"]["opened"] == run["tls_handshakes"]


@pytest.mark.timeout(180)
def test_outputs_plot_or_says_why_not(quick: tuple[dict[str, Any], str, Path]) -> None:
    _, stdout, out = quick
    if importlib.util.find_spec("matplotlib") is not None:
        assert (out / "r.png").stat().st_size > 1000
    else:
        assert "plot skipped" in stdout


@pytest.mark.timeout(120)
def test_external_server_option(tmp_path: Path) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.server import BenchServer

    server = BenchServer()
    server.start()
    try:
        proc = _run(
            "--server",
            server.url,
            "--scenarios",
            "keepalive,stream",
            "--clients",
            "h11,raw",
            "--rounds",
            "1",
            "--quick",
            "--no-pin",
            "--no-plot",
            "--json",
            str(tmp_path / "r.json"),
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        data = json.loads((tmp_path / "r.json").read_text())
        assert data["meta"]["server"].startswith("external")
        runs = data["scenarios"]["keepalive"]["runs"]
        total = sum(r["requests"] for rs in runs.values() for r in rs)
        assert total > 0
        assert all(r["requests"] == r["server_requests"] for rs in runs.values() for r in rs)
    finally:
        server.close()
