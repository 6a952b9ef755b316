"""Local test servers: raw sockets for faults, and launchers for httpbin and proxy.py.

Everything listens on 127.0.0.1 only and is torn down by the fixtures in tests/conftest.py.
"""
