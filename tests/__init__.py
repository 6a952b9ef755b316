"""The test suite. Its folders mirror the package: ``tests/protocol`` for ``httpcore_lite.protocol``,
``tests/transport`` for ``httpcore_lite.transport``, top-level files for the requests surface; the
whole-stack suites (faults, fuzz, advisories, load) each have a folder named for what they are."""
