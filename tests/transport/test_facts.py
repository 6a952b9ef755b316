"""``Response.connection_info`` and ``Session.trace`` against real servers on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import socket

import pytest

import httpcore_lite as requests
from httpcore_lite.transport.facts import ConnectionInfo
from tests.servers.keepalive import KeepAliveServer
from tests.servers.raw import read_request, response


@pytest.fixture
def keepalive_server():  # type: ignore[no-untyped-def]
    server = KeepAliveServer(close_after=3)
    yield server
    server.stop()


def test_facts_match_what_the_server_saw(keepalive_server: KeepAliveServer) -> None:
    """Three requests per connection, then the server closes it without a word."""
    with requests.Session() as session:
        infos = [session.get(keepalive_server.url + "/").connection_info for _ in range(7)]
    assert [i.request_number for i in infos] == [1, 2, 3, 1, 2, 3, 1]
    assert [i.reused for i in infos] == [False, True, True, False, True, True, False]
    ids = [i.connection_id for i in infos]
    assert len(set(ids)) == keepalive_server.connections == 3
    assert ids[0] == ids[1] == ids[2] != ids[3]
    for i, info in enumerate(infos):
        assert info.peer_address == ("127.0.0.1", keepalive_server.port)
        assert info.local_address[0] == "127.0.0.1"
        assert info.tls_version is info.tls_cipher is info.tls_session_resumed is None
        assert info.proxy is None and not info.tunnel
        # The server's silent close races the next request: a request written before the close
        # was seen is retried on a new connection, whose facts name the dead one.
        if info.reused or i == 0:
            assert info.replaced is None
        else:
            assert info.replaced in (None, infos[i - 1].connection_id)
        assert 0 < info.request_sent <= info.first_byte <= info.complete
    new, reused = infos[0], infos[1]
    assert new.dns is not None and new.connect > 0 and new.tls_handshake is None
    assert reused.dns is reused.connect is reused.tls_handshake is None
    # Connection-level facts are those of the connection, whichever request asks.
    assert infos[2].local_address == new.local_address


def test_facts_are_immutable(keepalive_server: KeepAliveServer) -> None:
    info = requests.get(keepalive_server.url + "/").connection_info
    assert isinstance(info, ConnectionInfo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.reused = True  # type: ignore[misc]
    assert not hasattr(info, "__dict__")  # slots: no per-instance dict


def test_tls_facts(httpbin_tls_url: str, ca_bundle: str) -> None:
    with requests.Session() as session:
        session.verify = ca_bundle
        first = session.get(httpbin_tls_url + "/get").connection_info
        second = session.get(httpbin_tls_url + "/get").connection_info
    assert first.tls_version in ("TLSv1.2", "TLSv1.3")
    assert first.tls_cipher
    assert first.tls_session_resumed is False
    assert first.tls_handshake is not None and first.tls_handshake > 0
    assert first.connect <= first.request_sent
    assert second.reused and second.connection_id == first.connection_id
    assert second.tls_handshake is None and second.tls_version == first.tls_version


def test_streamed_body_completes_later(keepalive_server: KeepAliveServer) -> None:
    with requests.Session() as session:
        r = session.get(keepalive_server.url + "/", stream=True)
        assert r.connection_info.complete is None
        assert r.content == b"ok"
        assert r.connection_info.complete >= r.connection_info.first_byte


def test_transparent_retry_names_the_replaced_connection(raw_server) -> None:  # type: ignore[no-untyped-def]
    """The server answers one request per connection, then reads the next and hangs up."""

    def handler(sock: socket.socket) -> None:
        if read_request(sock) is None:
            return
        sock.sendall(response(200, b"one"))
        read_request(sock)  # the second request arrives and goes unanswered

    server = raw_server(handler)
    with requests.Session() as session:
        first = session.get(server.url + "/").connection_info
        retried = session.get(server.url + "/").connection_info
        stats = session.adapters["http://"].stats()
    assert stats.retried == 1
    assert retried.replaced == first.connection_id
    assert not retried.reused and retried.connection_id != first.connection_id
    assert first.replaced is None


def test_proxy_and_tunnel(
    proxy_url: str, httpbin_url: str, httpbin_tls_url: str, ca_bundle: str
) -> None:
    with requests.Session() as session:
        session.verify = ca_bundle
        proxies = {"http": proxy_url, "https": proxy_url}
        plain = session.get(httpbin_url + "/get", proxies=proxies).connection_info
        tunnelled = session.get(httpbin_tls_url + "/get", proxies=proxies).connection_info
    proxy_port = int(proxy_url.rsplit(":", 1)[1].strip("/"))
    assert plain.proxy == tunnelled.proxy == f"http://127.0.0.1:{proxy_port}"
    assert not plain.tunnel and tunnelled.tunnel
    assert plain.peer_address[1] == proxy_port
    assert tunnelled.tls_version is not None


def test_trace_hook_sees_every_response_once(httpbin_url: str) -> None:
    seen: list[requests.Response] = []
    with requests.Session() as session:
        session.trace = seen.append
        final = session.get(httpbin_url + "/redirect/2")
        assert final.status_code == 200
    assert [r.status_code for r in seen] == [302, 302, 200]
    assert seen[-1] is final
    infos = [r.connection_info for r in seen]
    assert [i.request_number for i in infos] == [1, 2, 3]
    assert all(i.complete is not None for i in infos)


def test_no_facts_without_our_transport() -> None:
    assert requests.Response().connection_info is None


def test_first_byte_is_the_final_response_not_100_continue(raw_server) -> None:  # type: ignore[no-untyped-def]
    """The body goes out after the 100 Continue, so a first byte taken from the 100 would come
    before the request was sent."""

    def handler(sock: socket.socket) -> None:
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(65536)
        head, _, rest = buf.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        while len(rest) < length:
            rest += sock.recv(65536)
        sock.sendall(response(200, b"got %d" % len(rest)))

    server = raw_server(handler)
    with requests.Session() as session:
        r = session.post(server.url, data=b"x" * 300_000, headers={"Expect": "100-continue"})
    assert r.content == b"got 300000"
    info = r.connection_info
    assert 0 < info.request_sent <= info.first_byte <= info.complete


def test_socks_hop_is_a_tunnel(socks_proxy_port: int, httpbin_url: str) -> None:
    proxy = f"socks5h://127.0.0.1:{socks_proxy_port}"
    with requests.Session() as session:
        info = session.get(httpbin_url + "/get", proxies={"http": proxy}).connection_info
    assert info.proxy == proxy and info.tunnel
    assert info.peer_address == ("127.0.0.1", socks_proxy_port)
