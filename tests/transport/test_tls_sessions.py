"""TLS session resumption against real TLS servers on 127.0.0.1.

The server is :class:`tests.servers.tls.TLSKeepAliveServer` (one server context, so its tickets
can be used; it counts the handshakes that resumed). Each test makes the server close
connections so that new ones must be opened.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

import httpcore_lite as requests
from httpcore_lite.adapters import HTTPAdapter
from httpcore_lite.transport.tls_sessions import MAX_SESSIONS, SessionCache
from tests.servers.tls import TLSKeepAliveServer


def _server_context(ca, *names: str) -> ssl.SSLContext:  # type: ignore[no-untyped-def]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture
def tls_server(ca) -> Iterator[TLSKeepAliveServer]:  # type: ignore[no-untyped-def]
    """Closes every connection after one answer: each request needs a new connection."""
    server = TLSKeepAliveServer(_server_context(ca, "localhost", "127.0.0.1"), close_after=1)
    yield server
    server.stop()


def _session(ca_bundle: str, **adapter_kw: object) -> tuple[requests.Session, HTTPAdapter]:
    session = requests.Session()
    adapter = HTTPAdapter(**adapter_kw)  # type: ignore[arg-type]
    session.mount("https://", adapter)
    session.verify = ca_bundle
    return session, adapter


def test_new_connections_resume_the_session(tls_server, ca_bundle: str) -> None:
    session, _ = _session(ca_bundle)
    infos = [session.get(tls_server.url + "/").connection_info for _ in range(4)]
    assert [i.reused for i in infos] == [False] * 4
    assert len({i.connection_id for i in infos}) == 4
    assert [i.tls_session_resumed for i in infos] == [False, True, True, True]
    # The server saw the same: one full handshake, then resumptions.
    assert tls_server.handshakes == 4
    assert tls_server.resumed == 3
    # A resumed handshake still reports the negotiated parameters.
    assert infos[-1].tls_version == infos[0].tls_version
    assert infos[-1].tls_cipher is not None


def test_off_switch_makes_full_handshakes(tls_server, ca_bundle: str) -> None:
    session, adapter = _session(ca_bundle, tls_resumption=False)
    infos = [session.get(tls_server.url + "/").connection_info for _ in range(3)]
    assert [i.tls_session_resumed for i in infos] == [False, False, False]
    assert tls_server.resumed == 0
    assert all(pool.sessions is None for pool in adapter.poolmanager.pools.values())


@pytest.mark.filterwarnings("ignore::httpcore_lite.exceptions.InsecureRequestWarning")
def test_sessions_never_cross_pool_keys(tls_server, ca_bundle: str) -> None:
    session, adapter = _session(ca_bundle)
    by_name = session.get(tls_server.url + "/").connection_info
    by_ip = session.get(f"https://127.0.0.1:{tls_server.port}/").connection_info
    assert not by_name.tls_session_resumed
    assert not by_ip.tls_session_resumed  # another host in the key: nothing offered
    # Another verification setting (same host) is another key too.
    unverified = session.get(tls_server.url + "/", verify=False).connection_info
    assert not unverified.tls_session_resumed
    assert session.get(tls_server.url + "/").connection_info.tls_session_resumed
    assert tls_server.resumed == 1
    assert len(adapter.poolmanager.pools) == 3


def test_closing_the_adapter_drops_the_sessions(tls_server, ca_bundle: str) -> None:
    session, adapter = _session(ca_bundle)
    session.get(tls_server.url + "/")
    (pool,) = adapter.poolmanager.pools.values()
    assert pool.sessions is not None and len(pool.sessions) == 1
    adapter.close()
    assert len(pool.sessions) == 0
    assert not session.get(tls_server.url + "/").connection_info.tls_session_resumed


def test_a_resumable_session_does_not_skip_the_hostname_check(ca, ca_bundle: str) -> None:
    """The server's certificate names only localhost. A session made with localhost exists,
    yet a connection to the same server as 127.0.0.1 must fail its hostname check."""
    server = TLSKeepAliveServer(_server_context(ca, "localhost"), close_after=1)
    try:
        session, _ = _session(ca_bundle)
        session.get(server.url + "/")
        assert session.get(server.url + "/").connection_info.tls_session_resumed
        with pytest.raises(requests.exceptions.SSLError, match="(?i)hostname|IP address"):
            session.get(f"https://127.0.0.1:{server.port}/")
    finally:
        server.stop()


def test_session_cache_is_bounded_and_tied_to_its_context(tls_server, ca_bundle: str) -> None:
    session, adapter = _session(ca_bundle)
    session.get(tls_server.url + "/")
    (pool,) = adapter.poolmanager.pools.values()
    (conn,) = pool._idle
    pool.sessions.keep(conn.stream)  # what ending the connection does: its session is read
    ((context, saved),) = pool.sessions._entries
    assert isinstance(saved, ssl.SSLSession)
    other = ssl.create_default_context()
    assert pool.sessions.take(other) is None  # another context never gets it
    cache = SessionCache()
    for _ in range(MAX_SESSIONS + 5):
        cache._entries.append((context, saved))
    assert len(cache) == MAX_SESSIONS
    # The last session stays cached after being handed out; others are handed out once.
    single = SessionCache()
    single._entries.append((context, saved))
    assert single.take(context) is saved and single.take(context) is saved


def test_a_session_is_read_only_when_its_connection_ends_before_its_pool(
    tls_server, ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a session costs a fifth of a handshake: a pool that closes with its connections
    (a one-shot get) never reads one; a connection that ends while its pool lives on has its
    session read once, and the next connection resumes it."""
    reads: list[ssl.SSLSocket] = []
    getter = ssl.SSLSocket.session.fget  # type: ignore[attr-defined]

    def counted(sock: ssl.SSLSocket) -> ssl.SSLSession | None:
        reads.append(sock)
        return getter(sock)  # type: ignore[no-any-return]

    monkeypatch.setattr(ssl.SSLSocket, "session", property(counted))
    for _ in range(3):
        assert requests.get(tls_server.url + "/", verify=ca_bundle).status_code == 200
    assert reads == []
    session, adapter = _session(ca_bundle)
    first = session.get(tls_server.url + "/").connection_info
    (pool,) = adapter.poolmanager.pools.values()
    assert len(pool.sessions) == 1 and reads == []  # held, not read, while the connection lives
    second = session.get(tls_server.url + "/").connection_info  # the first is found closed
    assert len(reads) == 1
    assert second.connection_id != first.connection_id and second.tls_session_resumed
    session.close()
    assert len(reads) == 1


def test_a_backend_without_the_session_argument_still_works(tls_server, ca_bundle: str) -> None:
    """A stream class written before resumption existed is never offered a session."""
    from httpcore_lite.transport.backends import TCPBackend
    from httpcore_lite.transport.backends.tcp import SocketStream

    class OldStream(SocketStream):
        def start_tls(self, ssl_context, server_hostname, timeout):  # type: ignore[no-untyped-def,override]
            return super().start_tls(ssl_context, server_hostname, timeout)

    class OldBackend(TCPBackend):
        def connect_tcp(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            stream = super().connect_tcp(*args, **kwargs)
            stream.__class__ = OldStream
            return stream

    session, _ = _session(ca_bundle, backend=OldBackend())
    infos = [session.get(tls_server.url + "/").connection_info for _ in range(3)]
    assert [i.tls_session_resumed for i in infos] == [False, False, False]
