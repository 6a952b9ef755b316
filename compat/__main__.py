"""
``python -m compat [NAME ...]``: run the compatibility suite and print its table.

Sdists are downloaded once into ``.compat-cache/sdists`` (pinned, with ``pip download``) and
unpacked into ``.compat-cache/src``. Each library's tests run with the interpreter running this
module (``.venv-compat``, which holds requests, urllib3 and the test dependencies), first
against requests, then with ``-p compat.alias``. Exit status 1 when a required library keeps
less than :data:`~compat.libraries.REQUIRED_RATE` of its tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from .libraries import LIBRARIES, REQUIRED_RATE, Library

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".compat-cache"
#: Seconds one test may take before pytest-timeout fails it.
TEST_TIMEOUT = 30
#: Seconds one whole run of a library's suite may take.
RUN_TIMEOUT = 150


def fetch(lib: Library) -> Path:
    """The unpacked sdist of ``lib``, downloaded and unpacked on first use."""
    stem = lib.stem or f"{lib.name}-{lib.version}"
    src = CACHE / "src" / stem
    if src.is_dir():
        return src
    sdists = CACHE / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    archive = sdists / f"{stem}.tar.gz"
    if not archive.exists():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                str(sdists),
                lib.spec,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.exit(f"compat: could not download {lib.spec}:\n{result.stderr}")
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE / "src", filter="data")
    return src


def run(lib: Library, src: Path, alias: bool) -> tuple[set[str], set[str], float]:
    """Run ``lib``'s tests once: ``(passed, failed)`` test ids and the seconds it took."""
    label = "httpcore_lite" if alias else "requests"
    report = CACHE / "reports" / f"{lib.name}-{label}.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    plugins = ["-p", "compat.loopback"] + (["-p", "compat.alias"] if alias else [])
    command = [
        sys.executable,
        "-m",
        "pytest",
        *plugins,
        *lib.tests,
        *lib.args,
        "-q",
        "-o",
        "addopts=",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:cov",
        f"--timeout={TEST_TIMEOUT}",
        f"--junitxml={report}",
        "-o",
        "junit_family=xunit1",
    ]
    env = dict(os.environ)
    paths = [str(src / p) for p in lib.path] + [str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ):
        env.pop(name, None)
    log = report.with_suffix(".log")
    started = time.monotonic()
    with open(log, "w") as out:
        try:
            subprocess.run(
                command,
                cwd=src,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=RUN_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            out.write(f"\ncompat: the run took more than {RUN_TIMEOUT}s and was stopped\n")
    elapsed = time.monotonic() - started
    return (*outcomes(report), elapsed)


def outcomes(report: Path) -> tuple[set[str], set[str]]:
    """``(passed, failed)`` test ids of a JUnit XML report (skipped tests in neither)."""
    passed: set[str] = set()
    failed: set[str] = set()
    if not report.exists():
        return passed, failed
    for case in ET.parse(report).iter("testcase"):
        test_id = f"{case.get('file') or case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        if "skipped" in kinds:
            continue
        (failed if kinds & {"failure", "error"} else passed).add(test_id)
    return passed, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compat", description=__doc__)
    parser.add_argument("names", nargs="*", help="libraries to run (default: all)")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list the tests that pass with requests but not here",
    )
    options = parser.parse_args(argv)
    chosen = [lib for lib in LIBRARIES if not options.names or lib.name in options.names]
    rows = []
    total_start = time.monotonic()
    for lib in chosen:
        src = fetch(lib)
        base, _, t1 = run(lib, src, alias=False)
        ours, _, t2 = run(lib, src, alias=True)
        kept = base & ours
        rate = len(kept) / len(base) if base else 0.0
        rows.append((lib, len(base), len(kept), rate, t1 + t2))
        print(f"compat: {lib.name} {len(kept)}/{len(base)} ({t1:.0f}s + {t2:.0f}s)", flush=True)
        if options.verbose:
            for test_id in sorted(base - kept):
                print(f"    lost: {test_id}")
    print()
    print(f"{'library':<26} {'pass w/ requests':>17} {'pass here':>10} {'%':>7}  required")
    failing = []
    for lib, base_n, kept_n, rate, _ in rows:
        mark = f">= {REQUIRED_RATE:.0%}" if lib.required else "-"
        name = f"{lib.name} {lib.version}"
        print(f"{name:<26} {base_n:>17} {kept_n:>10} {rate:>7.1%}  {mark}")
        if lib.required and (rate < REQUIRED_RATE or base_n == 0):
            failing.append(lib.name)
    print(f"\ncompat: {time.monotonic() - total_start:.0f}s in all")
    if failing:
        print(f"compat: below {REQUIRED_RATE:.0%}: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
