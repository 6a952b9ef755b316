"""
The package's version names, in one place for pyproject, ``help.info()`` and the User-Agent.

``__release__`` is this project's own release. ``__version__``, ``__build__`` and the other
requests names describe the requests API this package stands in for: libraries built on
requests check ``requests.__version__`` / ``requests.__build__`` against 2.x, and with
httpcore_lite standing in for requests those checks must see the requests release whose
behaviour is mirrored, not ours.
"""

__title__ = "httpcore_lite"
__description__ = "A requests-compatible HTTP/1.1 client on a sans-IO core."
__release__ = "0.1.0"
#: The requests release whose API and behaviour this package follows.
__version__ = "2.34.2"
__build__ = 0x023402
__author__ = "httpcore_lite contributors"
__license__ = "Apache-2.0"
__copyright__ = "Copyright httpcore_lite contributors"
__cake__ = "\u2728 \U0001f370 \u2728"
