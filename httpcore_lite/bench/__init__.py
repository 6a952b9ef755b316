"""
``python -m httpcore_lite.bench URL``: how much connection reuse saves against *your* server.

Three ways of sending the same ``N`` GET requests at concurrency ``C``:

* ``keepalive``: one pool, connections kept and reused (what a ``Session`` does);
* ``fresh``: a new connection for every request (``Connection: close``), full TLS handshakes;
* ``resumed``: a new connection for every request, offering the TLS session of an earlier one
  (https only; the server decides whether to resume).

For each: latency percentiles, where the time went (DNS, connect, TLS, time to first byte, from
``Response.connection_info``), how many connections were opened and resumed, and the pool's
statistics. Runs with the runtime dependencies alone; ``--png`` needs matplotlib.
"""

from __future__ import annotations

from .runner import MODES, ModeResult, run_mode

__all__ = ["MODES", "ModeResult", "run_mode"]
