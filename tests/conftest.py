"""Shared fixtures: real servers on 127.0.0.1 (httpbin on gunicorn, TLS, mTLS, proxy.py) and a
raw-socket server factory for faults.

Session-scoped servers start lazily, only when a test asks for them, and are killed at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Test modules import the servers as ``tests.servers.raw``; make that work whether pytest was
# started as ``python -m pytest`` (cwd on sys.path) or as the ``pytest`` script (it is not), and
# alias the bare ``servers`` name to the same modules so module state is never duplicated.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import tests.servers  # noqa: E402
import tests.servers.procs  # noqa: E402
import tests.servers.raw  # noqa: E402
from tests.servers.procs import ServerProcess, gunicorn_argv, proxy_argv, start_server  # noqa: E402
from tests.servers.raw import Handler, RawServer  # noqa: E402

sys.modules.setdefault("servers", tests.servers)
sys.modules.setdefault("servers.raw", tests.servers.raw)
sys.modules.setdefault("servers.procs", tests.servers.procs)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "load: many threads and thousands of requests; part of the normal run"
    )


# Variables that silently change where requests go or which CAs are trusted.
_ENV_VARS = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NETRC",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear proxy and CA-bundle variables (any case) so the machine's settings don't leak in."""
    lowered = {name.lower() for name in _ENV_VARS}
    for name in list(os.environ):
        if name.lower() in lowered:
            monkeypatch.delenv(name, raising=False)


# --- raw sockets --------------------------------------------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[Callable[[Handler], RawServer]]:
    """Factory: ``raw_server(handler)`` starts a RawServer on 127.0.0.1, stopped at teardown."""
    servers: list[RawServer] = []

    def factory(handler: Handler) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


# --- process servers ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _server_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server-logs")


@pytest.fixture(scope="session")
def httpbin_url(_server_logs: Path) -> Iterator[str]:
    """httpbin on gunicorn's gthread worker (keep-alive): "http://127.0.0.1:<port>"."""
    server = start_server(lambda port: gunicorn_argv(port), _server_logs, "httpbin")
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


# --- TLS ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls")


@pytest.fixture(scope="session")
def ca():  # type: ignore[no-untyped-def]
    """A throw-away certificate authority (trustme.CA)."""
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def ca_bundle(ca, _tls_dir: Path) -> str:  # type: ignore[no-untyped-def]
    """Path of the CA certificate (PEM), usable as ``verify=``."""
    path = _tls_dir / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="session")
def ca_dir(ca_bundle: str, _tls_dir: Path) -> str:
    """A directory holding the CA under its OpenSSL subject-hash name (``<hash>.0``)."""
    directory = _tls_dir / "ca-dir"
    directory.mkdir(exist_ok=True)
    digest = subprocess.run(
        ["openssl", "x509", "-hash", "-noout", "-in", ca_bundle],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (directory / f"{digest}.0").write_bytes(Path(ca_bundle).read_bytes())
    return str(directory)


@pytest.fixture(scope="session")
def _server_cert(ca, _tls_dir: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert_path = _tls_dir / "server.pem"
    key_path = _tls_dir / "server.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(cert_path), append=True)
    cert.private_key_pem.write_to_path(str(key_path))
    return str(cert_path), str(key_path)


@pytest.fixture(scope="session")
def client_cert(ca, _tls_dir: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(cert_path, key_path) of a client certificate issued by ``ca``."""
    cert = ca.issue_cert("client@example.org", "client.localhost")
    cert_path = _tls_dir / "client.pem"
    key_path = _tls_dir / "client.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    cert.private_key_pem.write_to_path(str(key_path))
    return str(cert_path), str(key_path)


@pytest.fixture(scope="session")
def httpbin_tls_url(_server_cert: tuple[str, str], _server_logs: Path) -> Iterator[str]:
    """httpbin over TLS: "https://localhost:<port>" (certificate valid for localhost, 127.0.0.1)."""
    cert, key = _server_cert
    server = start_server(
        lambda port: gunicorn_argv(port, "--certfile", cert, "--keyfile", key),
        _server_logs,
        "httpbin-tls",
    )
    yield f"https://localhost:{server.port}"
    server.stop()


@pytest.fixture(scope="session")
def httpbin_mtls_url(
    _server_cert: tuple[str, str], ca_bundle: str, _server_logs: Path
) -> Iterator[str]:
    """httpbin over TLS that requires a client certificate issued by ``ca``."""
    cert, key = _server_cert
    server = start_server(
        lambda port: gunicorn_argv(
            port,
            "--certfile",
            cert,
            "--keyfile",
            key,
            "--ca-certs",
            ca_bundle,
            "--cert-reqs",
            "2",
        ),
        _server_logs,
        "httpbin-mtls",
    )
    yield f"https://localhost:{server.port}"
    server.stop()


# --- proxies ------------------------------------------------------------------------------------


def _proxy(logs: Path, name: str, *extra: str) -> ServerProcess:
    return start_server(lambda port: proxy_argv(port, *extra), logs, name)


@pytest.fixture(scope="session")
def proxy_url(_server_logs: Path) -> Iterator[str]:
    """proxy.py forward (absolute-form) and CONNECT proxy without auth: "http://127.0.0.1:<port>"."""
    server = _proxy(_server_logs, "proxy")
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture(scope="session")
def auth_proxy_url(_server_logs: Path) -> Iterator[str]:
    """proxy.py requiring basic auth user:pass: "http://user:pass@127.0.0.1:<port>"."""
    server = _proxy(_server_logs, "auth-proxy", "--basic-auth", "user:pass")
    yield f"http://user:pass@127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture(scope="session")
def socks_proxy_port(_server_logs: Path) -> Iterator[int]:
    """pproxy speaking SOCKS4 and SOCKS5 without authentication on 127.0.0.1: its port."""
    from tests.servers.socks import pproxy_argv

    server = start_server(lambda port: pproxy_argv(port), _server_logs, "socks")
    yield server.port
    server.stop()


@pytest.fixture(scope="session")
def socks_auth_proxy_port(_server_logs: Path) -> Iterator[int]:
    """pproxy speaking SOCKS5 that requires the username "user" and password "pass"."""
    from tests.servers.socks import pproxy_argv

    server = start_server(
        lambda port: pproxy_argv(port, "socks5", "user:pass"), _server_logs, "socks-auth"
    )
    yield server.port
    server.stop()
