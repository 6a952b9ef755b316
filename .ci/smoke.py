"""Import-and-request smoke test of an installed httpcore_lite (wheel or sdist, not editable).

Run by ``.ci/wheel_check.py`` with a fresh virtual environment's interpreter, in isolated mode
(``python -I``) from a directory outside the checkout, so only the installed copy can be
imported. It serves a few requests from a stdlib HTTP/1.1 server on 127.0.0.1.

Usage: python -I smoke.py CHECKOUT_DIR
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
import pkgutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Handler(BaseHTTPRequestHandler):
    """GET answers with the request line as JSON; POST echoes the body. Keep-alive (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"

    def _answer(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        payload = {"path": self.path, "user_agent": self.headers.get("User-Agent")}
        self._answer(json.dumps(payload).encode(), "application/json")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._answer(body, self.headers.get("Content-Type", "application/octet-stream"))

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the CI log quiet


def main(checkout: Path) -> None:
    import httpcore_lite

    location = Path(httpcore_lite.__file__).resolve()
    assert checkout not in location.parents, f"imported from the checkout: {location}"
    assert Path(sys.prefix).resolve() in location.parents, f"not the installed copy: {location}"

    # Every module of the package imports (a package left out of the wheel fails here).
    names = [m.name for m in pkgutil.walk_packages(httpcore_lite.__path__, "httpcore_lite.")]
    for name in names:
        importlib.import_module(name)
    assert "httpcore_lite.transport.backends" in names, names
    assert importlib.resources.files("httpcore_lite").joinpath("py.typed").is_file()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        r = httpcore_lite.get(f"{base}/hello", params={"q": "1"}, timeout=5)
        r.raise_for_status()
        assert r.json()["path"] == "/hello?q=1", r.text
        assert r.json()["user_agent"].startswith("httpcore_lite/"), r.text

        with httpcore_lite.Session() as s:
            for n in range(3):
                r = s.post(f"{base}/echo", json={"n": n}, timeout=5)
                assert r.json() == {"n": n}, r.text
            stats = s.adapters["http://"].stats()
            assert stats.opened == 1 and stats.reused == 2, stats
    finally:
        server.shutdown()
        server.server_close()
    print(f"smoke ok: httpcore_lite {httpcore_lite.__version__}, {len(names)} modules, {location}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
