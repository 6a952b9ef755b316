"""One small adapter per client, all with the same shape.

``setup(base_url, pool_size)`` builds what a user would keep for many requests (a Session, a
Client, a PoolManager); ``pool_size`` (threads scenarios) limits it to that many connections
and makes extra callers wait (``pool_block=True`` and equivalents), so "8 threads, pool of 2"
means two connections for everybody. ``request(path)`` does one GET on it and reads the whole
(decoded) body. ``one_shot(path)`` is the fresh-connection case written the way a user writes a
single request: ``requests.get()``, ``httpx.get()``, ``httpcore_lite.get()`` (each builds and
closes a session/client per call), a new ``urllib3.PoolManager`` per call (``urllib3.request()``
would reuse its module-level pool), and a new socket per request for the floors.
``stream(path, chunk)`` downloads in ``chunk``-byte pieces without keeping them.

Peers are optional: ``available()`` reports the ones that cannot be imported instead of failing.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from benchmarks import floors
from benchmarks.floors import CHUNK, H11Floor, RawFloor

# urllib3 logs a warning per discarded connection when a pool overflows; the tables say it.
logging.getLogger("urllib3").setLevel(logging.ERROR)


class _SessionLike:
    name = ""
    label = ""

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        self.base = base_url.rstrip("/")
        #: https: verify against the test CA, given explicitly to every client
        self.ca = floors.CA_BUNDLE if self.base.startswith("https://") else None

    def teardown(self) -> None:
        pass

    def pool_stats(self) -> dict[str, int] | None:
        return None


class HttpcoreLiteClient(_SessionLike):
    name = "httpcore_lite"
    label = "httpcore_lite"
    resume = True  # TLS session resumption (the default)

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        super().setup(base_url, pool_size)
        from httpcore_lite import sessions

        self.session = sessions.Session()
        if self.ca:
            self.session.verify = self.ca
        if pool_size or not self.resume:
            from httpcore_lite.adapters import HTTPAdapter

            kwargs: dict[str, Any] = {"tls_resumption": self.resume}
            if pool_size:
                kwargs.update(pool_connections=1, pool_maxsize=pool_size, pool_block=True)
            self.session.mount("http://", HTTPAdapter(**kwargs))
            self.session.mount("https://", HTTPAdapter(**kwargs))
        self._kw = {"verify": self.ca} if self.ca else {}
        try:
            from httpcore_lite import api

            self._get: Callable[..., Any] = api.get
        except (ImportError, AttributeError):  # api.py not there yet: same thing by hand
            self._get = _session_get(sessions.Session)

    def request(self, path: str) -> int:
        return len(self.session.get(self.base + path).content or b"")

    def one_shot(self, path: str) -> int:
        return len(self._get(self.base + path, **self._kw).content or b"")

    def stream(self, path: str, chunk_size: int = CHUNK) -> int:
        total = 0
        with self.session.get(self.base + path, stream=True) as r:
            for chunk in r.iter_content(chunk_size):
                total += len(chunk)
        return total

    def teardown(self) -> None:
        self.session.close()

    def pool_stats(self) -> dict[str, int] | None:
        adapter = self.session.get_adapter(self.base + "/")
        stats = getattr(adapter, "stats", None)
        if stats is None:
            return None
        snap = stats()
        return {
            k: int(getattr(snap, k, 0))
            for k in ("opened", "reused", "discarded", "retried", "in_use", "idle")
        }


class HttpcoreLiteNoResumeClient(HttpcoreLiteClient):
    """httpcore_lite with ``HTTPAdapter(tls_resumption=False)``: the resumption scenario's
    control (every new connection pays a full handshake)."""

    name = "httpcore_lite-no-resume"
    label = "httpcore_lite, no resumption"
    resume = False


def _session_get(session_cls: Any) -> Callable[..., Any]:
    def get(url: str, **kwargs: Any) -> Any:
        with session_cls() as s:
            return s.get(url, **kwargs)

    return get


class RequestsClient(_SessionLike):
    name = "requests"
    label = "requests"

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        super().setup(base_url, pool_size)
        import requests
        from requests.adapters import HTTPAdapter

        self.requests = requests
        self.session = requests.Session()
        if self.ca:
            self.session.verify = self.ca
        if pool_size:
            for prefix in ("http://", "https://"):
                self.session.mount(
                    prefix,
                    HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, pool_block=True),
                )
        self._kw = {"verify": self.ca} if self.ca else {}

    def request(self, path: str) -> int:
        return len(self.session.get(self.base + path).content)

    def one_shot(self, path: str) -> int:
        return len(self.requests.get(self.base + path, **self._kw).content)

    def stream(self, path: str, chunk_size: int = CHUNK) -> int:
        total = 0
        with self.session.get(self.base + path, stream=True) as r:
            for chunk in r.iter_content(chunk_size):
                total += len(chunk)
        return total

    def teardown(self) -> None:
        self.session.close()


class HttpxClient(_SessionLike):
    name = "httpx"
    label = "httpx"

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        super().setup(base_url, pool_size)
        import httpx

        self.httpx = httpx
        # https: a context with the test CA, built once as a user would; one-shot calls too
        self._kw: dict[str, Any] = {"verify": floors.tls_context(self.ca)} if self.ca else {}
        if pool_size:
            limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
            self.client = httpx.Client(limits=limits, **self._kw)
        else:
            self.client = httpx.Client(**self._kw)

    def request(self, path: str) -> int:
        return len(self.client.get(self.base + path).content)

    def one_shot(self, path: str) -> int:
        return len(self.httpx.get(self.base + path, **self._kw).content)

    def stream(self, path: str, chunk_size: int = CHUNK) -> int:
        total = 0
        with self.client.stream("GET", self.base + path) as r:
            for chunk in r.iter_bytes(chunk_size):
                total += len(chunk)
        return total

    def teardown(self) -> None:
        self.client.close()


class Urllib3Client(_SessionLike):
    name = "urllib3"
    label = "urllib3"

    def setup(self, base_url: str, pool_size: int | None = None) -> None:
        super().setup(base_url, pool_size)
        import urllib3

        self.urllib3 = urllib3
        self._kw = {"ca_certs": self.ca} if self.ca else {}
        if pool_size:
            self.pm = urllib3.PoolManager(num_pools=1, maxsize=pool_size, block=True, **self._kw)
        else:
            self.pm = urllib3.PoolManager(**self._kw)

    def request(self, path: str) -> int:
        return len(self.pm.request("GET", self.base + path).data)

    def one_shot(self, path: str) -> int:
        with self.urllib3.PoolManager(**self._kw) as pm:
            return len(pm.request("GET", self.base + path).data)

    def stream(self, path: str, chunk_size: int = CHUNK) -> int:
        total = 0
        r = self.pm.request("GET", self.base + path, preload_content=False)
        for chunk in r.stream(chunk_size):
            total += len(chunk)
        r.release_conn()
        return total

    def teardown(self) -> None:
        self.pm.clear()


ALL: dict[str, tuple[type[Any], str | None]] = {
    # name: (adapter class, module that must import)
    "h11": (H11Floor, "h11"),
    "raw": (RawFloor, None),
    "httpcore_lite": (HttpcoreLiteClient, "httpcore_lite.sessions"),
    "httpcore_lite-no-resume": (HttpcoreLiteNoResumeClient, "httpcore_lite.sessions"),
    "urllib3": (Urllib3Client, "urllib3"),
    "httpx": (HttpxClient, "httpx"),
    "requests": (RequestsClient, "requests"),
}


#: Clients that run only in the scenarios that compare TLS session resumption on and off.
RESUMPTION_CONTROLS = ("httpcore_lite-no-resume",)


def available(names: list[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """Which clients can run here; the others with the reason (import error).

    Asking for httpcore_lite brings its resumption control along."""
    if names is not None and "httpcore_lite" in names:
        names = names + [n for n in RESUMPTION_CONTROLS if n not in names]
    ok: list[str] = []
    missing: dict[str, str] = {}
    for name, (_cls, module) in ALL.items():
        if names is not None and name not in names:
            continue
        if module is not None:
            try:
                mod = importlib.import_module(module)
                if name == "httpcore_lite" and not hasattr(mod, "Session"):
                    raise ImportError("httpcore_lite.sessions has no Session yet")
            except Exception as exc:  # any import-time failure means "not runnable here"
                missing[name] = f"not importable ({type(exc).__name__}: {exc})"
                continue
        ok.append(name)
    return ok, missing


def make(name: str) -> Any:
    return ALL[name][0]()
