"""Connection-reuse benchmarks: httpcore_lite against requests, httpx, urllib3 and two floors.

Run with ``python -m benchmarks`` (``make bench``); ``--quick`` for a smoke run. The package is
not part of the installed library.
"""
