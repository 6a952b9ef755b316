"""One Session shared by 8 threads: every response belongs to its own request, and connections
are reused rather than reopened."""

from __future__ import annotations

import threading

from httpcore_lite import sessions

THREADS = 8
PER_THREAD = 12


def test_eight_threads_share_one_session(httpbin_url: str) -> None:
    errors: list[BaseException] = []
    results: dict[tuple[int, int], dict] = {}
    start = threading.Barrier(THREADS)

    with sessions.Session() as s:
        s.headers["X-Shared"] = "yes"

        def worker(tid: int) -> None:
            try:
                start.wait()
                for n in range(PER_THREAD):
                    if n % 3 == 0:
                        r = s.post(f"{httpbin_url}/post", json={"t": tid, "n": n})
                        results[(tid, n)] = r.json()["json"]
                    else:
                        r = s.get(f"{httpbin_url}/get", params={"t": str(tid), "n": str(n)})
                        args = r.json()["args"]
                        assert r.json()["headers"]["X-Shared"] == "yes"
                        results[(tid, n)] = {"t": int(args["t"]), "n": int(args["n"])}
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

        assert not errors, errors
        assert len(results) == THREADS * PER_THREAD
        for (tid, n), payload in results.items():
            assert payload == {"t": tid, "n": n}

        stats = s.get_adapter(httpbin_url).stats()
        assert stats.reused > 0
        assert stats.opened + stats.reused >= THREADS * PER_THREAD
        # Never more connections than threads at a time (plus any found dead and replaced).
        assert stats.opened <= THREADS + stats.discarded
        assert stats.in_use == 0


def test_threads_share_cookies_safely(httpbin_url: str) -> None:
    with sessions.Session() as s:

        def worker(tid: int) -> None:
            s.get(f"{httpbin_url}/cookies/set/c{tid}/{tid}", allow_redirects=False)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        cookies = s.get(f"{httpbin_url}/cookies").json()["cookies"]
        assert cookies == {f"c{i}": str(i) for i in range(THREADS)}
