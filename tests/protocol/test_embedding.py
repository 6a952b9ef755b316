"""The sans-IO core embedded in other event loops: asyncio streams and a ``selectors`` loop over
a non-blocking socket, against keep-alive httpbin. Several requests share ONE connection,
including a generator (chunked) body and a gzip response."""

from __future__ import annotations

import asyncio
import selectors
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from httpcore_lite import models
from httpcore_lite.protocol import ClientConnection, ResponseComplete, ResponseStarted

TIMEOUT = 10.0


def chunks() -> Iterator[bytes]:
    yield b"hello "
    yield b"from a "
    yield b"generator"


def prepared_requests(base: str) -> list[Any]:
    request = models.Request
    return [
        request("GET", f"{base}/get?n=1").prepare(),
        request("POST", f"{base}/post", data=chunks()).prepare(),
        request("GET", f"{base}/gzip").prepare(),
        request("PUT", f"{base}/put", data=b"sized body").prepare(),
        request("HEAD", f"{base}/get").prepare(),
        request("GET", f"{base}/headers", headers={"X-Embedded": "yes"}).prepare(),
    ]


def check(responses: list[Any], base: str) -> None:
    get, post, gz, put, head, headers = responses
    assert get.status_code == 200 and get.json()["args"] == {"n": "1"}
    assert get.url == f"{base}/get?n=1"
    assert post.request.headers["Transfer-Encoding"] == "chunked"
    assert post.json()["data"] == "hello from a generator"
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gz.json()["gzipped"] is True  # decoded by the core
    assert put.json()["data"] == "sized body"
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] != "0"
    echoed = headers.json()["headers"]
    assert echoed["X-Embedded"] == "yes"
    assert echoed["Host"] == urlsplit(base).netloc


# -- asyncio -------------------------------------------------------------------------------------


async def fetch_all(host: str, port: int, prepared: list[Any]) -> tuple[list[Any], Any, int]:
    """One asyncio connection, many requests: the embedding shown in docs/sans-io.md."""
    reader, writer = await asyncio.open_connection(host, port)
    local = writer.get_extra_info("sockname")
    conn = ClientConnection()
    responses = []
    try:
        for request in prepared:
            assert conn.reusable
            writer.write(conn.send_request(request))
            if conn.body_is_streaming:
                for chunk in request.body:
                    writer.write(conn.send_body(chunk))
                writer.write(conn.end_body())
            await writer.drain()
            complete = False
            while not complete:
                data = await reader.read(65536)
                events = conn.receive_data(data)
                complete = any(isinstance(event, ResponseComplete) for event in events)
            responses.append(conn.response)
            conn.start_next_cycle()
        assert writer.get_extra_info("sockname") == local
        return responses, local, len(prepared)
    finally:
        writer.close()
        await writer.wait_closed()


def test_asyncio_loop_reuses_one_connection(httpbin_url: str) -> None:
    parts = urlsplit(httpbin_url)
    assert parts.hostname and parts.port
    prepared = prepared_requests(httpbin_url)
    responses, _, count = asyncio.run(
        asyncio.wait_for(fetch_all(parts.hostname, parts.port, prepared), TIMEOUT)
    )
    assert count == len(responses) == 6
    check(responses, httpbin_url)
    assert all(r.request is p for r, p in zip(responses, prepared, strict=True))


def test_asyncio_streaming_events_without_buffering(httpbin_url: str) -> None:
    parts = urlsplit(httpbin_url)

    async def stream() -> tuple[ResponseStarted, bytes]:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        conn = ClientConnection(buffer_body=False)
        writer.write(
            conn.send_request(models.Request("GET", f"{httpbin_url}/bytes/70000").prepare())
        )
        started = None
        body = bytearray()
        done = False
        while not done:
            for event in conn.receive_data(await reader.read(8192)):
                if isinstance(event, ResponseStarted):
                    started = event
                elif isinstance(event, ResponseComplete):
                    done = True
                else:
                    body += event.data
        writer.close()
        await writer.wait_closed()
        assert conn.response is None and conn.reusable
        assert started is not None
        return started, bytes(body)

    started, body = asyncio.run(asyncio.wait_for(stream(), TIMEOUT))
    assert started.status_code == 200
    assert len(body) == 70000


# -- selectors -----------------------------------------------------------------------------------


class SelectorClient:
    """A single-threaded selectors loop driving one non-blocking socket through the core."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        self.sock.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.sock, selectors.EVENT_READ)
        self.conn = ClientConnection()
        self.connects = 1

    def close(self) -> None:
        self.selector.close()
        self.sock.close()

    def request(self, prepared: Any) -> Any:
        conn = self.conn
        outgoing = bytearray(conn.send_request(prepared))
        body = iter(prepared.body) if conn.body_is_streaming else None
        deadline = time.monotonic() + TIMEOUT
        self.selector.modify(self.sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("selectors loop made no progress")
            for _key, mask in self.selector.select(remaining):
                if mask & selectors.EVENT_WRITE:
                    if not outgoing and body is not None:
                        chunk = next(body, None)
                        if chunk is None:
                            outgoing += conn.end_body()
                            body = None
                        else:
                            outgoing += conn.send_body(chunk)
                    if outgoing:
                        sent = self.sock.send(outgoing)
                        del outgoing[:sent]
                    if not outgoing and body is None:
                        self.selector.modify(self.sock, selectors.EVENT_READ)
                if mask & selectors.EVENT_READ:
                    try:
                        data = self.sock.recv(65536)
                    except BlockingIOError:
                        continue
                    for event in conn.receive_data(data):
                        if isinstance(event, ResponseComplete):
                            response = conn.response
                            conn.start_next_cycle()
                            return response


def test_selectors_loop_reuses_one_connection(httpbin_url: str) -> None:
    parts = urlsplit(httpbin_url)
    assert parts.hostname and parts.port
    client = SelectorClient(parts.hostname, parts.port)
    try:
        local = client.sock.getsockname()
        responses = [client.request(p) for p in prepared_requests(httpbin_url)]
        assert client.sock.getsockname() == local
        assert client.connects == 1
        assert client.conn.reusable
        # The server kept the connection open: nothing is readable on the idle socket.
        assert client.selector.select(0) == []
    finally:
        client.close()
    check(responses, httpbin_url)
