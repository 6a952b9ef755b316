"""Tests of the blocking transport, ``httpcore_lite.transport``."""
