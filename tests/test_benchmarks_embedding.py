"""Smoke test of ``python -m benchmarks.embedding``: it runs both clients, never a timing check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_embedding_benchmark_runs_both_clients() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.embedding", "--requests", "64", "--rounds", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[2:]]
    # in flight, h11 CPU, unit, recipe CPU, unit, ratio: one row per concurrency level
    assert [row[0] for row in rows] == ["1", "16"]
    for row in rows:
        assert float(row[1]) > 0 and float(row[3]) > 0
        assert abs(float(row[5]) - 1) < 10  # a ratio, not a raw figure
