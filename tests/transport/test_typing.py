"""The transport's Protocols exist for the type checker only: nothing imports them at run time."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import httpcore_lite
from httpcore_lite.transport import backends, connection, errors, facts, messages, pool, proxy
from httpcore_lite.transport import raw, retry, socks, timeout, tls, tls_sessions

with httpcore_lite.Session() as session:
    assert session.get(sys.argv[1] + "/get", timeout=10).status_code == 200
print("httpcore_lite.transport._typing" in sys.modules)
"""


def test_seam_protocols_are_not_imported_at_run_time(httpbin_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, httpbin_url],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_the_protocols_module_imports_cleanly() -> None:
    # The checker reads it; it must still be valid Python that defines what it exports.
    from httpcore_lite.transport import _typing

    assert set(_typing.__all__) == {"BodySource", "HasHeaders", "Request", "RequestBody"}
