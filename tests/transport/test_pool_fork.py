"""Fork safety: a child process never reuses a connection its parent opened, and the parent's
connection stays usable (nothing was sent on it by the child)."""

from __future__ import annotations

import json
import os
import socket

import pytest

import httpcore_lite as requests
from tests.servers.raw import read_request, response

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # The test process runs server threads; the child only makes requests and exits.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


def _keepalive(sock: socket.socket) -> None:
    while read_request(sock) is not None:
        sock.sendall(response(200, b"ok"))


def _in_child(work) -> dict:
    """Run ``work()`` in a forked child; return the dict it returned (or its error)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        try:
            result = work()
        except BaseException as exc:
            result = {"error": repr(exc)}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return json.loads(b"".join(chunks))


def _stats(session: requests.Session) -> dict:
    stats = session.get_adapter("http://").stats()
    return {"opened": stats.opened, "reused": stats.reused, "in_use": stats.in_use}


def test_child_opens_its_own_connection(raw_server):
    server = raw_server(_keepalive)
    with requests.Session() as s:
        assert s.get(server.url, timeout=5).text == "ok"
        assert server.connections == 1

        def child() -> dict:
            texts = [s.get(server.url, timeout=5).text for _ in range(2)]
            return {"texts": texts, **_stats(s)}

        result = _in_child(child)
        # The child opened one connection of its own and reused it; the parent's was dropped.
        assert result == {"texts": ["ok", "ok"], "opened": 2, "reused": 1, "in_use": 0}
        assert server.connections == 2
        # The parent's connection was left alone: it is reused, not found dead.
        assert s.get(server.url, timeout=5).text == "ok"
        stats = s.get_adapter("http://").stats()
        assert (stats.opened, stats.reused, stats.discarded) == (1, 1, 0)
        assert server.connections == 2
        # Each connection carried its own requests: 1 + 1 from the parent, 2 from the child.
        assert len(server.requests) == 4


def test_tls_connection_survives_a_child(httpbin_tls_url, ca_bundle):
    with requests.Session() as s:
        s.verify = ca_bundle
        assert s.get(httpbin_tls_url + "/get", timeout=10).status_code == 200

        def child() -> dict:
            status = s.get(httpbin_tls_url + "/get", timeout=10).status_code
            stats = s.get_adapter("https://").stats()
            return {"status": status, "opened": stats.opened, "reused": stats.reused}

        assert _in_child(child) == {"status": 200, "opened": 2, "reused": 0}
        # Had the child sent a TLS close_notify (or a FIN) on the shared socket, the server
        # would have closed it and the parent would find it dead before reuse.
        assert s.get(httpbin_tls_url + "/get", timeout=10).status_code == 200
        stats = s.get_adapter("https://").stats()
        assert (stats.opened, stats.reused, stats.discarded) == (1, 1, 0)


def test_response_open_at_the_fork_is_not_reused_by_the_child(raw_server):
    server = raw_server(_keepalive)
    with requests.Session() as s:
        s.get(server.url, timeout=5)
        streamed = s.get(server.url, stream=True, timeout=5)  # holds the connection

        def child() -> dict:
            body = streamed.content  # read and released in the child: must not be pooled
            texts = [body.decode(), s.get(server.url, timeout=5).text]
            return {"texts": texts, **_stats(s)}

        result = _in_child(child)
        assert result["texts"] == ["ok", "ok"] and result["in_use"] == 0
        assert result["opened"] == 2 and result["reused"] == 1  # counters are the parent's + 1
        assert server.connections == 2
        assert streamed.content == b"ok"
        assert s.get(server.url, timeout=5).text == "ok"
        assert s.get_adapter("http://").stats().in_use == 0
