"""httpcore_lite."""

from .__version__ import __version__
