"""An asyncio HTTP/1.1 client on httpcore_lite's sans-IO core.

A small pool of keep-alive connections per origin, connect and read timeouts, buffered or
streamed (and decoded) response bodies, request bodies from async iterables, and one retry of
an idempotent request that met a connection the server had closed while it sat idle.

    python examples/asyncio_pool.py http://127.0.0.1:8000
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from httpcore_lite import models
from httpcore_lite.protocol import (
    ClientConnection,
    RemoteDisconnected,
    ResponseComplete,
    ResponseStarted,
    build_response,
    decoders,
)

IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"}


class Connection:
    """One stream and the core's state for it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.proto = ClientConnection(buffer_body=False)
        self.events: deque[Any] = deque()

    async def send(self, request: Any, body: Any, buffer: bool, write_timeout: float) -> None:
        proto, writer = self.proto, self.writer
        streaming = True if body is not None else None
        writer.write(proto.send_request(request, streaming=streaming, buffer_body=buffer))
        if proto.body_is_streaming:  # an async iterable, or a generator from prepare()
            chunks = body if body is not None else request.body
            if hasattr(chunks, "__aiter__"):
                async for chunk in chunks:
                    writer.write(proto.send_body(chunk))
                    await self.drain(write_timeout)  # back-pressure
            else:
                for chunk in chunks:
                    writer.write(proto.send_body(chunk))
            writer.write(proto.end_body())
        await self.drain(write_timeout)  # reads are timed from now on, with the request out

    async def drain(self, timeout: float) -> None:
        # A server may say nothing while an upload arrives: what is bounded here is each wait
        # for the peer to take our bytes, not a wait to read. Nothing buffered: nothing to wait.
        if self.writer.transport.get_write_buffer_size():
            await asyncio.wait_for(self.writer.drain(), timeout)

    async def complete(self, read_timeout: float) -> Any:
        """Read until the core has built the (buffered) response."""
        proto, read = self.proto, self.reader.read
        while True:
            events = proto.receive_data(await asyncio.wait_for(read(65536), read_timeout))
            if events and type(events[-1]) is ResponseComplete:
                return proto.response

    async def head(self, read_timeout: float) -> ResponseStarted:
        while True:
            event = await self.next_event(read_timeout)
            if type(event) is ResponseStarted:
                return event

    async def next_event(self, read_timeout: float) -> Any:
        while not self.events:
            data = await asyncio.wait_for(self.reader.read(65536), read_timeout)
            self.events.extend(self.proto.receive_data(data))  # b"" at EOF: the core decides
        return self.events.popleft()

    def close(self) -> None:
        self.writer.close()


class Response:
    """A streamed response: ``response`` has the head; iterate the body once, then it's done."""

    def __init__(self, pool: Pool, origin: Any, conn: Connection, response: Any) -> None:
        self.pool, self.origin, self.conn, self.response = pool, origin, conn, response

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        try:
            while True:
                event = await self.conn.next_event(self.pool.read_timeout)
                if type(event) is ResponseComplete:
                    break
                yield event.data
        except BaseException:
            self.conn.close()  # abandoned half-way or failed: never reuse it
            self.pool.release(self.origin, None)
            raise
        self.pool.release(self.origin, self.conn)

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        decoder = decoders.make_decoder(self.response.headers.get("content-encoding"))
        async for piece in self.aiter_raw():
            if decoder is None:
                yield piece
            else:
                for out in decoder.decode(piece):  # drain each lazy iterator at once
                    yield out
        if decoder is not None:
            for out in decoder.flush():
                yield out


class Pool:
    def __init__(self, per_origin: int = 8, connect_timeout: float = 5, read_timeout: float = 10):
        self.per_origin = per_origin
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.idle: dict[Any, list[Connection]] = {}
        self.slots: dict[Any, asyncio.Semaphore] = {}

    async def _acquire(self, origin: Any) -> tuple[Connection, bool]:
        await self.slots.setdefault(origin, asyncio.Semaphore(self.per_origin)).acquire()
        idle = self.idle.setdefault(origin, [])
        while idle:
            conn = idle.pop()
            if not conn.reader.at_eof():  # closed while idle: drop it (the core can't see it)
                return conn, True
            conn.close()
        scheme, host, port = origin
        try:
            opening = asyncio.open_connection(host, port, ssl=scheme == "https" or None)
            reader, writer = await asyncio.wait_for(opening, self.connect_timeout)
        except BaseException:
            self.slots[origin].release()
            raise
        return Connection(reader, writer), False

    def release(self, origin: Any, conn: Connection | None) -> None:
        if conn is not None:
            if conn.proto.reusable:
                conn.proto.start_next_cycle()
                self.idle[origin].append(conn)
            else:
                conn.close()
        self.slots[origin].release()

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Any = None,
        data: Any = None,
        body: Any = None,
        stream: bool = False,
    ) -> Any:
        """``data`` as in requests; ``body`` an async iterable sent chunked."""
        request = models.Request(method, url, headers=headers, data=data).prepare()
        request.headers.setdefault("Accept-Encoding", decoders.ACCEPT_ENCODING)
        if body is not None:  # sent chunked; prepare() said "Content-Length: 0" for no data
            request.headers.pop("Content-Length", None)
        parts = urlsplit(url)
        origin = (
            parts.scheme,
            parts.hostname,
            parts.port or (443 if parts.scheme == "https" else 80),
        )
        while True:
            conn, reused = await self._acquire(origin)
            try:
                await conn.send(request, body, not stream, self.read_timeout)
                if stream:
                    started = await conn.head(self.read_timeout)
                    return Response(self, origin, conn, build_response(started, request))
                response = await conn.complete(self.read_timeout)  # built by the core
                self.release(origin, conn)
                return response
            except BaseException as exc:
                conn.close()
                self.release(origin, None)
                # Closed before answering, on a connection that had sat idle: send it again.
                retry = isinstance(exc, RemoteDisconnected) and reused
                if not (retry and method in IDEMPOTENT and body is None):
                    raise

    def close(self) -> None:
        for conns in self.idle.values():
            for conn in conns:
                conn.close()
        self.idle.clear()


async def main(base: str) -> None:
    pool = Pool(per_origin=4, read_timeout=5)
    try:
        responses = await asyncio.gather(
            *[pool.request("GET", f"{base}/get?i={i}") for i in range(8)]
        )
        print("parallel", [r.json()["args"]["i"] for r in responses])
        gz = await pool.request("GET", f"{base}/gzip")
        print("gzip", gz.json()["gzipped"])

        async def upload() -> AsyncIterator[bytes]:
            for word in (b"streamed ", b"from ", b"asyncio"):
                yield word
                await asyncio.sleep(0)

        posted = await pool.request("POST", f"{base}/post", body=upload())
        print("upload", posted.json()["data"])
        streamed = await pool.request(
            "GET", f"{base}/stream-bytes/100000?chunk_size=8192", stream=True
        )
        print("streamed", sum([len(piece) async for piece in streamed.aiter_bytes()]))
        pool.read_timeout = 0.5
        try:
            await pool.request("GET", f"{base}/delay/3")
        except asyncio.TimeoutError:
            print("timeout ok")
        print("idle", sum(len(conns) for conns in pool.idle.values()))
    finally:
        pool.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1].rstrip("/")))
