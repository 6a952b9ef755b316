"""A trio HTTP/1.1 client on httpcore_lite's sans-IO core.

Keep-alive connections kept per origin (at most ``per_origin`` in use at once), one
``fail_after`` deadline per request, buffered and decoded bodies, one retry of a request that
met a connection the server had closed while it sat idle, and a crawl in a nursery.

    python examples/trio_client.py http://127.0.0.1:8000
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import urlsplit

import trio

from httpcore_lite import models
from httpcore_lite.protocol import ClientConnection, RemoteDisconnected, ResponseComplete, decoders


class Client:
    def __init__(self, timeout: float = 10.0, per_origin: int = 4) -> None:
        self.timeout, self.per_origin = timeout, per_origin
        self.idle: dict[Any, list[tuple[trio.SocketStream, ClientConnection]]] = {}
        self.slots: dict[Any, trio.Semaphore] = {}

    async def _acquire(self, origin: Any) -> tuple[trio.SocketStream, ClientConnection, bool]:
        idle = self.idle.setdefault(origin, [])
        while idle:
            stream, conn = idle.pop()
            if not stream.socket.is_readable():  # readable while idle: EOF or garbage
                return stream, conn, True
            await stream.aclose()
        return await trio.open_tcp_stream(*origin), ClientConnection(), False

    async def request(self, method: str, url: str, **kwargs: Any) -> Any:
        request = models.Request(method, url, **kwargs).prepare()
        request.headers.setdefault("Accept-Encoding", decoders.ACCEPT_ENCODING)
        parts = urlsplit(url)
        origin = (parts.hostname, parts.port or 80)
        async with self.slots.setdefault(origin, trio.Semaphore(self.per_origin)):
            with trio.fail_after(self.timeout):
                for attempt in (1, 2):
                    stream, conn, reused = await self._acquire(origin)
                    try:
                        await self._exchange(stream, conn, request)
                        break
                    except BaseException as exc:
                        await trio.aclose_forcefully(stream)
                        if not (isinstance(exc, RemoteDisconnected) and reused and attempt == 1):
                            raise
            response = conn.response
            if conn.reusable:
                conn.start_next_cycle()
                self.idle[origin].append((stream, conn))
            else:
                await stream.aclose()
            return response

    @staticmethod
    async def _exchange(stream: trio.SocketStream, conn: ClientConnection, request: Any) -> None:
        await stream.send_all(conn.send_request(request))
        if conn.body_is_streaming:
            for chunk in request.body:
                await stream.send_all(conn.send_body(chunk))
            await stream.send_all(conn.end_body())
        while True:
            events = conn.receive_data(await stream.receive_some(65536))
            if events and type(events[-1]) is ResponseComplete:
                return

    async def aclose(self) -> None:
        for conns in self.idle.values():
            for stream, _ in conns:
                await stream.aclose()
        self.idle.clear()


async def main(base: str) -> None:
    client = Client(timeout=5)
    results: dict[int, int] = {}

    async def fetch(i: int) -> None:
        results[i] = len((await client.request("GET", f"{base}/bytes/{i * 100}")).content)

    async with trio.open_nursery() as nursery:
        for i in range(10):
            nursery.start_soon(fetch, i)
    print("crawl", [results[i] for i in range(10)])
    print("gzip", (await client.request("GET", f"{base}/gzip")).json()["gzipped"])
    posted = await client.request("POST", f"{base}/post", data=iter([b"from ", b"trio"]))
    print("upload", posted.json()["data"])
    client.timeout = 0.5
    try:
        await client.request("GET", f"{base}/delay/3")
    except trio.TooSlowError:
        print("timeout ok")
    await client.aclose()


if __name__ == "__main__":
    trio.run(main, sys.argv[1].rstrip("/"))
