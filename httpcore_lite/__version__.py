"""The package's version, kept in one place for pyproject and ``help.info()``."""

__title__ = "httpcore_lite"
__description__ = "A requests-compatible HTTP/1.1 client on a sans-IO core."
__version__ = "0.1.0"
