"""Start real servers (gunicorn + httpbin, proxy.py) as subprocesses bound to 127.0.0.1.

They run in their own process group so teardown can kill the master and all its workers, and
their output goes to a log file that is shown when a server fails to come up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


# Looked up here, in the parent: between fork and exec the child must not import anything
# (another thread of the test process may hold the import lock at fork time).
_PRCTL = _load_prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, even if it is killed outright
    (pytest-timeout's thread method exits without running fixture teardown)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """Ask the kernel for a free TCP port on 127.0.0.1.

    There is a small window between closing this socket and the server binding the port; the
    launcher retries with a new port if the server dies at start-up.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> bool:
    """Poll until something accepts on 127.0.0.1:port; False if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def venv_bin(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    return str(Path(sys.executable).parent / name)


class ServerProcess:
    """A subprocess listening on ``port``; ``stop()`` kills its whole process group."""

    def __init__(self, argv: Sequence[str], port: int, log_path: Path) -> None:
        self.argv = list(argv)
        self.port = port
        self.log_path = log_path
        self._log = open(log_path, "wb")
        env = dict(os.environ)
        for name in list(env):
            if name.lower() in {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}:
                del env[name]
        self.proc: subprocess.Popen[bytes] = subprocess.Popen(
            self.argv,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads run in the child yet
            env=env,
        )

    def log_tail(self, limit: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(5)
        self._log.close()


def start_server(
    make_argv: Callable[[int], Sequence[str]], log_dir: Path, name: str, attempts: int = 3
) -> ServerProcess:
    """Start ``make_argv(port)`` on a free port and wait until it accepts connections."""
    last = ""
    for attempt in range(attempts):
        port = free_port()
        server = ServerProcess(make_argv(port), port, log_dir / f"{name}-{attempt}.log")
        if wait_for_port(port, server.proc):
            return server
        server.stop()
        last = server.log_tail()
    raise RuntimeError(f"{name} did not start on 127.0.0.1; last log:\n{last}")


def gunicorn_argv(port: int, *extra: str) -> list[str]:
    """httpbin on gunicorn's gthread worker: it keeps connections alive (unlike dev servers)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-k",
        "gthread",
        "--threads",
        "8",
        "--workers",
        "1",
        "--keep-alive",
        "30",
        "--timeout",
        "60",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        *extra,
        "httpbin:app",
    ]


def proxy_argv(port: int, *extra: str) -> list[str]:
    """proxy.py as a plain forward + CONNECT proxy, one process, no plugins."""
    return [
        sys.executable,
        "-m",
        "proxy",
        "--hostname",
        "127.0.0.1",
        "--port",
        str(port),
        "--num-workers",
        "1",
        "--num-acceptors",
        "1",
        "--log-level",
        "WARNING",
        *extra,
    ]
