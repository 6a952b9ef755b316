"""The embedding recipes in examples/ run as complete programs against the local httpbin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

EXPECTED = {
    "asyncio_pool.py": [
        "parallel ['0', '1', '2', '3', '4', '5', '6', '7']",
        "gzip True",
        "upload streamed from asyncio",
        "streamed 100000",
        "timeout ok",
    ],
    "trio_client.py": [
        "crawl [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]",
        "gzip True",
        "upload from trio",
        "timeout ok",
    ],
    "selectors_crawler.py": ["crawl True 20", "timeout TimeoutError"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str, httpbin_url: str) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), httpbin_url],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=EXAMPLES.parent,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[: len(EXPECTED[name])] == EXPECTED[name]
    if name == "asyncio_pool.py":
        # Connections were kept for reuse (4 at most per origin), not one per request.
        assert lines[-1] in ("idle 1", "idle 2", "idle 3", "idle 4")

