"""packages.urllib3: the installed urllib3 when there is one, found lazily; else our idioms."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

import httpcore_lite
from httpcore_lite.exceptions import InsecureRequestWarning


def run(code: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = None
    if path is not None:
        import os

        env = dict(os.environ, PYTHONPATH=str(path))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def fake_urllib3(tmp_path: Path) -> Path:
    """An importable package named urllib3 (this environment has none installed)."""
    pkg = tmp_path / "urllib3"
    (pkg / "util").mkdir(parents=True)
    (pkg / "__init__.py").write_text("MARK = 'installed'\nfrom . import util\n")
    (pkg / "util" / "__init__.py").write_text("")
    (pkg / "util" / "retry.py").write_text("class Retry:\n    total = 7\n")
    (pkg / "exceptions.py").write_text("class InsecureRequestWarning(Warning):\n    pass\n")
    return tmp_path


def test_import_touches_no_urllib3(fake_urllib3: Path) -> None:
    result = run(
        """
        import sys, httpcore_lite, httpcore_lite.packages
        assert "urllib3" not in sys.modules
        assert not any(".urllib3" in name for name in sys.modules)
        """,
        fake_urllib3,
    )
    assert result.returncode == 0, result.stderr


def test_installed_urllib3_is_used_once(fake_urllib3: Path) -> None:
    result = run(
        """
        import sys, httpcore_lite.packages as packages
        import urllib3, urllib3.util.retry
        assert packages.urllib3 is urllib3
        from httpcore_lite.packages.urllib3.util.retry import Retry
        assert Retry is urllib3.util.retry.Retry, "a second copy of the module was loaded"
        assert sys.modules["httpcore_lite.packages.urllib3.util.retry"] is urllib3.util.retry
        # Under another name for the package (requests.packages when aliased) too.
        sys.modules["requests"] = sys.modules["httpcore_lite"]
        sys.modules["requests.packages"] = packages
        import requests.packages.urllib3.util as util
        assert util is urllib3.util
        """,
        fake_urllib3,
    )
    assert result.returncode == 0, result.stderr


def test_installed_urllib3_missing_submodule(fake_urllib3: Path) -> None:
    result = run(
        """
        try:
            import httpcore_lite.packages.urllib3.nothere
        except ImportError as error:
            print("ImportError", error)
        """,
        fake_urllib3,
    )
    assert "ImportError" in result.stdout, result.stderr


def test_idioms_without_urllib3() -> None:
    # urllib3 is blocked in the child (``None`` in sys.modules makes its import fail), so this
    # holds whether or not the environment running the tests has it installed.
    result = run(
        """
        import sys, warnings
        sys.modules["urllib3"] = None
        from httpcore_lite.exceptions import InsecureRequestWarning
        from httpcore_lite.transport.retry import Retry
        from httpcore_lite.packages.urllib3.exceptions import InsecureRequestWarning as Warn
        from httpcore_lite.packages.urllib3.util.retry import Retry as PackagedRetry
        from httpcore_lite.packages import urllib3

        assert Warn is InsecureRequestWarning
        assert PackagedRetry is Retry
        assert urllib3.util.Retry is Retry
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            urllib3.disable_warnings()
            warnings.warn("x", InsecureRequestWarning, stacklevel=1)
        assert caught == [], caught
        assert not hasattr(urllib3, "PoolManager"), "only the idioms are served, not urllib3"
        print("ok")
        """
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_insecure_request_silenced_without_urllib3(httpbin_tls_url: str) -> None:
    from httpcore_lite.packages import urllib3

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        urllib3.disable_warnings()
        assert httpcore_lite.get(httpbin_tls_url + "/get", verify=False, timeout=10).ok
    assert not [w for w in caught if issubclass(w.category, InsecureRequestWarning)]


def test_urllib3_disable_warnings_silences_ours(fake_urllib3: Path, httpbin_tls_url: str) -> None:
    """With urllib3 loaded, a filter on urllib3's category silences the verify=False warning."""
    result = run(
        f"""
        import warnings
        import urllib3.exceptions
        import httpcore_lite
        from httpcore_lite.exceptions import InsecureRequestWarning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            httpcore_lite.get("{httpbin_tls_url}/get", verify=False, timeout=10)
        [warning] = caught
        assert issubclass(warning.category, InsecureRequestWarning)
        assert issubclass(warning.category, urllib3.exceptions.InsecureRequestWarning)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
            httpcore_lite.get("{httpbin_tls_url}/get", verify=False, timeout=10)
        assert caught == [], caught
        """,
        fake_urllib3,
    )
    assert result.returncode == 0, result.stderr
