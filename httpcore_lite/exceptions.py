"""
The exception hierarchy: requests' names, so ``except requests.ConnectionError`` keeps working.

Every failure below us (socket, ssl, h11, zlib) is translated into one of these at the layer that
sees it, with the original kept as ``__cause__``. Users only ever need to catch
:class:`RequestException`.
"""

from __future__ import annotations

from json import JSONDecodeError as _CompatJSONDecodeError
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import PreparedRequest, Request, Response


class RequestException(IOError):
    """There was an ambiguous exception that occurred while handling your request.

    Carries the ``request`` and ``response`` involved, when they are known, so that handlers can
    log the URL or inspect a partial response.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        response: Response | None = kwargs.pop("response", None)
        self.response = response
        self.request: Request | PreparedRequest | None = kwargs.pop("request", None)
        if response is not None and not self.request and hasattr(response, "request"):
            self.request = response.request
        super().__init__(*args, **kwargs)


class InvalidJSONError(RequestException):
    """A JSON error occurred."""


class JSONDecodeError(InvalidJSONError, _CompatJSONDecodeError):
    """Couldn't decode the text into json.

    Also a :class:`json.JSONDecodeError`, so code catching the standard library's error (or
    ``ValueError``) keeps working.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # json.JSONDecodeError wants (msg, doc, pos); RequestException wants request/response.
        _CompatJSONDecodeError.__init__(self, *args)
        InvalidJSONError.__init__(self, *self.args, **kwargs)

    def __reduce__(self) -> Any:
        # json.JSONDecodeError's own reduce passes (msg, doc, pos) back to __init__.
        return _CompatJSONDecodeError.__reduce__(self)


class InvalidBodyError(RequestException, TypeError):
    """The request body is of a type that cannot be sent.

    A body must be str, bytes, a mapping or list of pairs (form-encoded), a file-like object or
    an iterable of str/bytes. Refused when the request is prepared, before anything is sent;
    also a ``TypeError``, which is what requests raised for such bodies (later, while sending).
    """


class HTTPError(RequestException):
    """An HTTP error occurred (raised by ``Response.raise_for_status``)."""


class ConnectionError(RequestException):
    """A connection error occurred: refused, reset, unresolvable, or a malformed response head."""


class NewConnectionError(ConnectionError):
    """Opening a connection failed (refused, unreachable, unresolvable) before any byte was sent.

    A subclass so that users still catch it as :class:`ConnectionError`, while retry logic can see
    that the request never left and is therefore always safe to send again.
    """


class RemoteDisconnected(ConnectionError):
    """The peer closed the connection before sending a single byte of the response.

    On a kept-alive connection this is the usual sign that the server dropped it while it sat
    idle, so the request never reached a handler: a retry on a fresh connection is safe for an
    idempotent request (and for any request whose body never left). A subclass so that users
    still catch it as :class:`ConnectionError`; retry logic tests the type, never the message.
    """


class ProxyError(ConnectionError):
    """A proxy error occurred."""


class SSLError(ConnectionError):
    """An SSL error occurred (certificate verification, handshake)."""


class Timeout(RequestException):
    """The request timed out.

    Catching this error will catch both :class:`ConnectTimeout` and :class:`ReadTimeout` errors.
    """


class ConnectTimeout(ConnectionError, Timeout):
    """The request timed out while trying to connect to the remote server.

    Requests that produced this error are safe to retry.
    """


class ReadTimeout(Timeout):
    """The server did not send any data in the allotted amount of time."""


class URLRequired(RequestException):
    """A valid URL is required to make a request."""


class TooManyRedirects(RequestException):
    """Too many redirects."""


class MissingSchema(RequestException, ValueError):
    """The URL scheme (e.g. http or https) is missing."""


class InvalidSchema(RequestException, ValueError):
    """The URL scheme provided is either invalid or unsupported."""


class InvalidURL(RequestException, ValueError):
    """The URL provided was somehow invalid."""


class InvalidHeader(RequestException, ValueError):
    """The header value provided was somehow invalid."""


class InvalidProxyURL(InvalidURL):
    """The proxy URL provided is invalid."""


class ChunkedEncodingError(RequestException):
    """The server declared a body framing (chunked or Content-Length) and broke it."""


class ContentDecodingError(RequestException):
    """Failed to decode response content (bad gzip/deflate/br/zstd data, or too many codings)."""


class StreamConsumedError(RequestException, TypeError):
    """The content for this response was already consumed."""


class RetryError(RequestException):
    """Custom retries logic failed: the retry budget is exhausted."""


class UnrewindableBodyError(RequestException):
    """Requests encountered an error when trying to rewind a body."""


class LocationParseError(InvalidURL):
    """A URL could not be parsed into its parts."""


# Warnings


class RequestsWarning(Warning):
    """Base warning for httpcore_lite."""


class FileModeWarning(RequestsWarning, DeprecationWarning):
    """A file was opened in text mode, but httpcore_lite determined its binary length."""


class RequestsDependencyWarning(RequestsWarning):
    """An imported dependency doesn't match the expected version range."""


class InsecureRequestWarning(RequestsWarning):
    """An HTTPS request is being made without certificate verification (``verify=False``)."""
