"""``python -m httpcore_lite.bench`` against the embedded benchmark server, in quick mode.

Asserts on what the output says (counts, reuse, resumption), checked against what the server
itself counted; never on timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.server import BenchServer, tls_context

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def servers(ca, _server_cert: tuple[str, str]) -> Iterator[tuple[BenchServer, BenchServer]]:  # type: ignore[no-untyped-def]
    plain = BenchServer()
    plain.start(acceptors=4)
    secure = BenchServer(ssl_context=tls_context(*_server_cert), counters=plain.counters)
    secure.start(acceptors=4)
    yield plain, secure
    plain.close()
    secure.close()


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "httpcore_lite.bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _modes(path: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(path.read_text())
    assert document["requests"] == 60 and document["concurrency"] == 2
    return {m["mode"]: m for m in document["modes"]}


def test_https_quick_run_matches_the_server(
    servers: tuple[BenchServer, BenchServer], ca_bundle: str, tmp_path: Path
) -> None:
    plain, secure = servers
    before = plain.counters.snapshot()
    out = tmp_path / "r.json"
    proc = _bench(
        secure.url + "/bytes/100", "--quick", "--ca-bundle", ca_bundle, "--json", str(out)
    )
    after = plain.counters.snapshot()
    assert proc.returncode == 0, proc.stderr[-3000:]
    modes = _modes(out)
    assert list(modes) == ["keepalive", "fresh", "resumed"]
    for m in modes.values():
        assert m["ok"] == 60 and not m["errors"]
        assert m["pool"]["opened"] == m["connections"] == m["new_connections"]
        assert m["reused_requests"] + m["new_connections"] == 60
    # Every request the JSON counts reached the server, every connection it counts too.
    assert after["requests"] - before["requests"] == 180
    opened = sum(m["connections"] for m in modes.values())
    assert after["connections"] - before["connections"] == opened
    assert after["handshakes"] - before["handshakes"] == opened
    # Keep-alive: at most one connection per thread; fresh: one per request.
    assert 1 <= modes["keepalive"]["connections"] <= 2
    assert modes["keepalive"]["pool"]["reused"] == modes["keepalive"]["reused_requests"] >= 58
    assert modes["fresh"]["connections"] == modes["resumed"]["connections"] == 60
    # Resumption happened only where offered, and the server agrees on how often.
    assert modes["keepalive"]["tls_resumed"] == modes["fresh"]["tls_resumed"] == 0
    assert modes["resumed"]["tls_resumed"] >= 50
    assert after["resumed"] - before["resumed"] == modes["resumed"]["tls_resumed"]
    # The phase breakdown has a TLS handshake per new connection, a TTFB per request.
    assert modes["fresh"]["phases_ms"]["tls"]["count"] == 60
    assert modes["keepalive"]["phases_ms"]["tls"]["count"] == modes["keepalive"]["connections"]
    assert all(m["phases_ms"]["ttfb"]["count"] == 60 for m in modes.values())
    # The table on stdout, the progress on stderr.
    for mode in modes:
        assert f"\n{mode} " in proc.stdout
    assert "phase breakdown" in proc.stdout
    assert proc.stderr.count("60/60") == 3


def test_http_run_and_bad_arguments(
    servers: tuple[BenchServer, BenchServer], tmp_path: Path
) -> None:
    plain, _ = servers
    out = tmp_path / "r.json"
    proc = _bench(plain.url + "/bytes/10", "--quick", "--json", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    modes = _modes(out)
    assert list(modes) == ["keepalive", "fresh"]  # no TLS: nothing to resume
    assert "tls" not in modes["fresh"]["phases_ms"]
    assert modes["fresh"]["connections"] == 60
    refused = _bench(plain.url + "/", "--modes", "resumed")
    assert refused.returncode == 2 and "https" in refused.stderr


def test_errors_are_counted_not_hidden(
    servers: tuple[BenchServer, BenchServer], tmp_path: Path
) -> None:
    """Verification against an empty CA file fails every request: counted, shown, exit 1."""
    _, secure = servers
    out = tmp_path / "r.json"
    proc = _bench(
        secure.url + "/",
        "-n",
        "4",
        "-c",
        "1",
        "--modes",
        "fresh",
        "--ca-bundle",
        os.devnull,
        "--json",
        str(out),
    )
    assert proc.returncode == 1
    document = json.loads(out.read_text())
    (fresh,) = document["modes"]
    assert fresh["ok"] == 0 and sum(fresh["errors"].values()) == 4
    assert "errors in fresh" in proc.stdout
