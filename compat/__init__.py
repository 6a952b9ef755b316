"""
The compatibility suite: libraries built on requests, run against requests and then against
httpcore_lite standing in for it.

Each library's own test suite (from its pinned sdist) runs twice in ``.venv-compat``: once with
the real requests, once with ``requests`` aliased to httpcore_lite in ``sys.modules``
(:mod:`compat.alias`). A test that fails with requests says nothing about us and is left out;
the table gives, per library, how many of the tests that pass with requests still pass here.
Run it with ``make compat``.
"""
