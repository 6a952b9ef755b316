"""httpcore_lite: a requests-compatible HTTP/1.1 client on a sans-IO core."""

from .__version__ import __version__ as __version__
