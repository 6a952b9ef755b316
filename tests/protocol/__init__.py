"""Tests of the sans-IO core, ``httpcore_lite.protocol``."""
