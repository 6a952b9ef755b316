"""
httpcore_lite: a requests-compatible HTTP/1.1 client on a sans-IO core.

``import httpcore_lite as requests`` and code written for requests keeps working::

    >>> import httpcore_lite as requests
    >>> r = requests.get("https://example.org/")
    >>> r.status_code
    200

The stack underneath is the package's own: :mod:`httpcore_lite.protocol` (a sans-IO HTTP/1.1
core on h11, usable from any event loop), :mod:`httpcore_lite.transport` (network backends, a
thread-safe connection pool, retries and timeouts) and the requests surface on top.
"""

from __future__ import annotations

import logging
import warnings

from . import packages as packages
from . import utils as utils
from .__version__ import __build__ as __build__
from .__version__ import __copyright__ as __copyright__
from .__version__ import __description__ as __description__
from .__version__ import __license__ as __license__
from .__version__ import __release__ as __release__
from .__version__ import __title__ as __title__
from .__version__ import __version__ as __version__
from .api import delete, get, head, options, patch, post, put, request
from .exceptions import (
    ConnectionError,
    ConnectTimeout,
    FileModeWarning,
    HTTPError,
    JSONDecodeError,
    ReadTimeout,
    RequestException,
    Timeout,
    TooManyRedirects,
    URLRequired,
)
from .models import PreparedRequest, Request, Response
from .sessions import Session, session
from .status_codes import codes

__all__ = [
    "ConnectTimeout",
    "ConnectionError",
    "FileModeWarning",
    "HTTPError",
    "JSONDecodeError",
    "PreparedRequest",
    "ReadTimeout",
    "Request",
    "RequestException",
    "Response",
    "Session",
    "Timeout",
    "TooManyRedirects",
    "URLRequired",
    "codes",
    "delete",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "request",
    "session",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

# FileModeWarnings go off per the default: once per call site, as in requests.
warnings.simplefilter("default", FileModeWarning, append=True)
