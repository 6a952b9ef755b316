"""Every Python example in README.md and docs/*.md runs, against local servers.

The examples are written for real hosts (``https://httpbin.org``, a Docker socket, a corporate
CA file, a proxy); each is executed with those names replaced by the local test servers. The
blocks of one page run in order in one namespace, as a reader would paste them. A line
``print(...)  # text`` promises its output: it must print exactly ``text``. A block that is an
outline rather than a program is preceded by an ``<!-- not run: why -->`` line; there are few.
"""

from __future__ import annotations

import json
import re
import socketserver
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
NOT_RUN = "<!-- not run:"
# print(...) followed by a comment that states what it prints
PROMISE = re.compile(r"^\s*print\(.*\)\s+# (.+)$")


def python_blocks(text: str) -> list[tuple[int, str, bool]]:
    """(line number, code, runnable) for each python fence of a markdown page."""
    blocks = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = text.count("\n", 0, match.start()) + 2
        blocks.append((line, match.group(1), not before.startswith(NOT_RUN)))
    return blocks


PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLE_PAGES = [page for page in PAGES if python_blocks(page.read_text())]


class _UnixHandler(BaseHTTPRequestHandler):
    """A keep-alive HTTP/1.1 answer on a Unix socket: the request line and Host, as JSON."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def unix_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("unix") / "app.sock")
    server = socketserver.ThreadingUnixStreamServer(path, _UnixHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield path
    server.shutdown()
    server.server_close()


@pytest.fixture
def replacements(
    httpbin_url: str,
    httpbin_tls_url: str,
    ca_bundle: str,
    auth_proxy_url: str,
    socks_auth_proxy_port: int,
    unix_socket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    """What the examples name, and the local stand-in each one runs against."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_bundle)  # trust the local TLS httpbin
    port = httpbin_url.rsplit(":", 1)[1]
    return {
        "https://httpbin.org": httpbin_tls_url,
        "http://user:pass@proxy:3128": auth_proxy_url,
        "socks-proxy:1080": f"127.0.0.1:{socks_auth_proxy_port}",
        "/etc/corp-ca.pem": ca_bundle,
        "%2Fvar%2Frun%2Fdocker.sock": quote(unix_socket, safe=""),
        "/var/run/docker.sock": unix_socket,
        "127.0.0.1:8000": f"127.0.0.1:{port}",
        '"127.0.0.1", 8000': f'"127.0.0.1", {port}',
    }


def test_pages_have_examples_and_few_are_skipped() -> None:
    blocks = [b for page in PAGES for b in python_blocks(page.read_text())]
    assert len(blocks) >= 15
    assert sum(not runnable for _, _, runnable in blocks) <= 3


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_examples_run(page: Path, replacements: dict[str, str]) -> None:
    printed: dict[tuple[str, int], list[str]] = defaultdict(list)

    def record_print(*args: object, sep: str | None = " ", end: str | None = "\n") -> None:
        caller = sys._getframe(1).f_code.co_filename, sys._getframe(1).f_lineno
        printed[caller].append((" " if sep is None else sep).join(map(str, args)))

    namespace: dict[str, object] = {"__name__": f"docs_example_{page.stem}", "print": record_print}
    promises = 0
    for line, code, runnable in python_blocks(page.read_text()):
        filename = f"{page.name}:{line}"
        if not runnable:
            compile(code, filename, "exec")  # an outline must still be Python
            continue
        for name, local in replacements.items():
            code = code.replace(name, local)
        exec(compile(code, filename, "exec"), namespace)
        for offset, text in enumerate(code.splitlines(), start=1):
            match = PROMISE.match(text)
            if match:
                promises += 1
                where = f"{page.name} line {line + offset - 1}"
                assert printed[filename, offset], f"{where} printed nothing"
                assert set(printed[filename, offset]) == {match.group(1)}, where
    if page.name in ("README.md", "drop-in.md", "sans-io.md"):
        assert promises >= 2  # the stated outputs are checked, not only that the code runs
