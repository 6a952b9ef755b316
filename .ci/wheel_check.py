"""Build the wheel and the sdist, and prove that a regular (non-editable) install of each works.

``make test`` uses an editable install, which maps the whole source folder and so hides any
module or data file missing from the real distributions. This check, run by ``.ci/run`` and by
``make wheel-check``, does what a user does:

1. builds the sdist, then the wheel from that sdist (``python -m build``), and fails on any
   deprecation warning in the build output;
2. checks their contents: every module and ``py.typed`` in both; in the sdist also the whole
   test suite (``tests/conftest.py``, ``tests/servers/``) and what the tests import;
3. installs each into its own fresh virtual environment and, from a directory outside the
   checkout, runs ``.ci/smoke.py`` (every module imports, requests to a local server);
4. runs ``mypy --strict`` on ``.ci/typed_user.py`` against the installed wheel (it must pass),
   and on a script with a type error (it must report it): the package's types are found;
5. collects the test suite from the unpacked sdist (same test count as the checkout) and runs
   one fast test module there.

Usage: python .ci/wheel_check.py [--keep]   (run with the test virtual environment's python)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / ".ci"
# Files every distribution must carry, relative to the checkout.
PACKAGE_GLOBS = ("httpcore_lite/**/*.py", "httpcore_lite/py.typed")
# What else the sdist must carry: the test suite and what it imports, and the metadata inputs.
SDIST_GLOBS = ("tests/**/*.py", "benchmarks/*.py", "pyproject.toml", "README.md", "MANIFEST.in")
BUILD_WARNING = re.compile(r"deprecat|BuildBackendWarning", re.IGNORECASE)


def step(message: str) -> None:
    print(f"wheel-check: {message}", flush=True)


def run(argv: list[str | Path], cwd: Path, expect_ok: bool = True) -> str:
    """Run a command; return its combined output; on an unexpected exit status show it and stop."""
    proc = subprocess.run(
        [str(a) for a in argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if (proc.returncode == 0) != expect_ok:
        print(proc.stdout)
        expectation = "failed" if expect_ok else "passed, but should have failed"
        sys.exit(f"wheel-check: {' '.join(str(a) for a in argv)} {expectation}")
    return proc.stdout


def expected_files(globs: tuple[str, ...]) -> set[str]:
    found = {p for g in globs for p in ROOT.glob(g) if "__pycache__" not in p.parts}
    return {p.relative_to(ROOT).as_posix() for p in found if p.is_file()}


def check_contents(kind: str, names: set[str], required: set[str]) -> None:
    missing = sorted(required - names)
    if missing:
        sys.exit(f"wheel-check: the {kind} lacks {len(missing)} files: {', '.join(missing)}")
    step(f"the {kind} has all {len(required)} required files")


def fresh_venv(path: Path, artifact: Path) -> Path:
    run([sys.executable, "-m", "venv", path], cwd=path.parent)
    python = path / "bin" / "python"
    run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", artifact], path.parent
    )
    return python


def collected(output: str) -> int:
    match = re.search(r"(\d+) tests? collected", output)
    if not match:
        print(output)
        sys.exit("wheel-check: no test count in pytest's output")
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="httpcore_lite-wheel-check-"))
    outside = tmp / "elsewhere"  # the smoke test's and mypy's working directory
    outside.mkdir()
    try:
        step(f"building the sdist and the wheel in {tmp}")
        log = run([sys.executable, "-m", "build", "--outdir", tmp / "dist", ROOT], cwd=tmp)
        warnings = sorted({line.strip() for line in log.splitlines() if BUILD_WARNING.search(line)})
        if warnings:
            print(log)
            sys.exit("wheel-check: the build warns:\n  " + "\n  ".join(warnings))
        (wheel,) = (tmp / "dist").glob("*.whl")
        (sdist,) = (tmp / "dist").glob("*.tar.gz")

        package = expected_files(PACKAGE_GLOBS)
        with zipfile.ZipFile(wheel) as zf:
            check_contents("wheel", set(zf.namelist()), package)
        with tarfile.open(sdist) as tf:
            top = sdist.name.removesuffix(".tar.gz")
            names = {n.removeprefix(top + "/") for n in tf.getnames()}
            check_contents("sdist", names, package | expected_files(SDIST_GLOBS))
            tf.extractall(tmp / "src", filter="data")
        unpacked = tmp / "src" / top

        for kind, artifact in (("wheel", wheel), ("sdist", sdist)):
            step(f"installing the {kind} into a fresh virtual environment")
            python = fresh_venv(tmp / f"venv-{kind}", artifact)
            print("  " + run([python, "-I", CI / "smoke.py", ROOT], cwd=outside).strip())
            if kind == "wheel":
                mypy = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
                mypy += ["--python-executable", python, "--cache-dir", tmp / "mypy-cache"]
                run([*mypy, CI / "typed_user.py"], cwd=outside)
                bad = outside / "bad_user.py"
                bad.write_text("import httpcore_lite\n\nhttpcore_lite.Session().mount(1, None)\n")
                report = run([*mypy, bad], cwd=outside, expect_ok=False)
                if "[arg-type]" not in report or "import" in report:
                    print(report)
                    sys.exit("wheel-check: mypy did not type-check against the installed package")
                step("mypy --strict finds the installed package's types")

        step("collecting the test suite from the unpacked sdist")
        pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
        here = collected(run([*pytest, "--collect-only"], cwd=ROOT))
        there = collected(run([*pytest, "--collect-only"], cwd=unpacked))
        if here != there:
            sys.exit(f"wheel-check: the sdist's suite has {there} tests, the checkout's {here}")
        run([*pytest, "tests/test_structures.py"], cwd=unpacked)
        step(f"the sdist's test suite collects all {there} tests and runs")
        step(f"all good in {time.monotonic() - started:.0f} s")
    finally:
        if args.keep:
            step(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
