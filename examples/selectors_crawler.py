"""A single-threaded ``selectors`` crawler on httpcore_lite's sans-IO core.

Several non-blocking keep-alive connections to one origin share one thread; each request has
its own deadline; a connection the server may not reuse is replaced.

    python examples/selectors_crawler.py http://127.0.0.1:8000
"""

from __future__ import annotations

import selectors
import socket
import sys
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from httpcore_lite import exceptions, models
from httpcore_lite.protocol import ClientConnection, ResponseComplete


class Slot:
    """One connection and the request it carries."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.sock = socket.create_connection(address, timeout=5)
        self.sock.setblocking(False)
        self.conn = ClientConnection()
        self.url = ""
        self.out = b""
        self.deadline = 0.0


def crawl(urls: list[str], connections: int = 4, timeout: float = 5.0) -> dict[str, Any]:
    """Fetch every URL (one origin); returns url -> Response, or the exception it raised."""
    parts = urlsplit(urls[0])
    address = (parts.hostname or "", parts.port or 80)
    todo, results = deque(urls), {}
    selector = selectors.DefaultSelector()

    def begin(slot: Slot) -> None:
        slot.url = todo.popleft()
        slot.out = slot.conn.send_request(models.Request("GET", slot.url).prepare())
        slot.deadline = time.monotonic() + timeout
        selector.modify(slot.sock, selectors.EVENT_WRITE, slot)

    def finish(slot: Slot, result: Any) -> None:
        results[slot.url] = result
        if slot.conn.reusable:
            slot.conn.start_next_cycle()
        else:  # closed, failed or timed out: a fresh connection takes its place
            selector.unregister(slot.sock)
            slot.sock.close()
            slot = Slot(address)
            selector.register(slot.sock, selectors.EVENT_READ, slot)
        if todo:
            begin(slot)
        else:
            selector.unregister(slot.sock)
            slot.sock.close()

    for _ in range(min(connections, len(todo))):
        slot = Slot(address)
        selector.register(slot.sock, selectors.EVENT_READ, slot)
        begin(slot)
    while selector.get_map():
        slots = [key.data for key in selector.get_map().values()]
        wait = max(0.0, min(slot.deadline for slot in slots) - time.monotonic())
        for key, mask in selector.select(wait):
            slot = key.data
            if mask & selectors.EVENT_WRITE:
                slot.out = slot.out[slot.sock.send(slot.out) :]
                if not slot.out:
                    selector.modify(slot.sock, selectors.EVENT_READ, slot)
                continue
            try:
                data = slot.sock.recv(65536)
                events = slot.conn.receive_data(data)
            except BlockingIOError:
                continue
            except (OSError, exceptions.RequestException) as exc:
                finish(slot, exc)
                continue
            if events and type(events[-1]) is ResponseComplete:
                finish(slot, slot.conn.response)
        now = time.monotonic()
        for slot in slots:
            if slot.deadline <= now and slot.sock.fileno() >= 0 and slot.url not in results:
                finish(slot, TimeoutError(f"{slot.url} took longer than {timeout} s"))
    return results


if __name__ == "__main__":
    base = sys.argv[1].rstrip("/")
    urls = [f"{base}/bytes/{n}" for n in range(0, 2000, 100)] + [f"{base}/delay/3"]
    results = crawl(urls, connections=4, timeout=1.0)
    sizes = [len(results[url].content) for url in urls[:-1]]
    print("crawl", sizes == list(range(0, 2000, 100)), len(sizes))
    print("timeout", type(results[urls[-1]]).__name__)
