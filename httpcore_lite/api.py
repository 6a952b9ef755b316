"""
The top-level functions: ``httpcore_lite.get(url)`` and friends.

Each call makes a throwaway :class:`~httpcore_lite.sessions.Session` and closes it before
returning, so nothing (connections, cookies) outlives the call. Code that makes several requests
to the same host should use a Session instead: it keeps the connection alive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import sessions
from .models import Response

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._types import DataType, GetKwargs, ParamsType, PostKwargs, PutKwargs, RequestKwargs

__all__ = ["delete", "get", "head", "options", "patch", "post", "put", "request"]


def request(method: str | bytes, url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
    """Construct and send a :class:`Request <httpcore_lite.models.Request>`.

    :param method: method for the new Request: ``GET``, ``OPTIONS``, ``HEAD``, ``POST``,
        ``PUT``, ``PATCH``, or ``DELETE``.
    :param url: URL for the new Request.
    :param params: (optional) Dictionary, list of tuples or bytes to send in the query string.
    :param data: (optional) Dictionary, list of tuples, bytes, str, file-like object or iterable
        to send in the body.
    :param json: (optional) A JSON serializable Python object to send in the body.
    :param headers: (optional) Dictionary of HTTP headers to send.
    :param cookies: (optional) Dict or CookieJar object to send.
    :param files: (optional) Dictionary of ``'name': file-like-objects`` (or
        ``{'name': file-tuple}``) for multipart encoding upload. ``file-tuple`` can be a 2-tuple
        ``('filename', fileobj)``, 3-tuple ``('filename', fileobj, 'content_type')`` or a
        4-tuple ``('filename', fileobj, 'content_type', custom_headers)``, where
        ``custom_headers`` is a dict-like object of extra headers for the part.
    :param auth: (optional) Auth tuple or callable to enable Basic/Digest/Custom HTTP Auth.
    :param timeout: (optional) How many seconds to wait for the server to send data before
        giving up, as a float, a ``(connect timeout, read timeout)`` tuple, or a
        :class:`~httpcore_lite.adapters.Timeout` (which may also set a ``total`` deadline for
        the whole request, body included).
    :param allow_redirects: (optional) Enable/disable redirection. Defaults to ``True``.
    :param proxies: (optional) Dictionary mapping protocol to the URL of the proxy.
    :param verify: (optional) ``True`` (default) to verify the server's TLS certificate, a path
        to a CA bundle file or directory, or ``False`` to accept any certificate (exposes the
        traffic to man-in-the-middle attacks: for testing only).
    :param stream: (optional) if ``False``, the response content is downloaded immediately.
    :param cert: (optional) path to a client cert file (.pem), or a ``(cert, key)`` pair.
    :return: :class:`Response <httpcore_lite.models.Response>` object

    Usage::

      >>> import httpcore_lite as requests
      >>> req = requests.request("GET", "https://httpbin.org/get")
      >>> req
      <Response [200]>
    """
    # The with statement closes the session's connections: nothing is left open behind the
    # caller's back (no ResourceWarning, no apparent leak).
    with sessions.Session() as session:
        return session.request(method=method, url=url, **kwargs)


def get(url: str | bytes, params: ParamsType = None, **kwargs: Unpack[GetKwargs]) -> Response:
    r"""Send a GET request.

    :param url: URL for the new Request.
    :param params: (optional) Dictionary, list of tuples or bytes to send in the query string.
    :param \*\*kwargs: Optional arguments that ``request`` takes.
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    return request("get", url, params=params, **kwargs)


def options(url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
    r"""Send an OPTIONS request.

    :param url: URL for the new Request.
    :param \*\*kwargs: Optional arguments that ``request`` takes.
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    return request("options", url, **kwargs)


def head(url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
    r"""Send a HEAD request.

    :param url: URL for the new Request.
    :param \*\*kwargs: Optional arguments that ``request`` takes. If ``allow_redirects`` is not
        given it is ``False`` (unlike the other methods).
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    kwargs.setdefault("allow_redirects", False)
    return request("head", url, **kwargs)


def post(
    url: str | bytes, data: DataType = None, json: Any = None, **kwargs: Unpack[PostKwargs]
) -> Response:
    r"""Send a POST request.

    :param url: URL for the new Request.
    :param data: (optional) Dictionary, list of tuples, bytes, or file-like object to send in
        the body.
    :param json: (optional) A JSON serializable Python object to send in the body.
    :param \*\*kwargs: Optional arguments that ``request`` takes.
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    return request("post", url, data=data, json=json, **kwargs)


def put(url: str | bytes, data: DataType = None, **kwargs: Unpack[PutKwargs]) -> Response:
    r"""Send a PUT request.

    :param url: URL for the new Request.
    :param data: (optional) Dictionary, list of tuples, bytes, or file-like object to send in
        the body.
    :param \*\*kwargs: Optional arguments that ``request`` takes.
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    return request("put", url, data=data, **kwargs)


def patch(url: str | bytes, data: DataType = None, **kwargs: Unpack[PutKwargs]) -> Response:
    r"""Send a PATCH request.

    :param url: URL for the new Request.
    :param data: (optional) Dictionary, list of tuples, bytes, or file-like object to send in
        the body.
    :param \*\*kwargs: Optional arguments that ``request`` takes.
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    return request("patch", url, data=data, **kwargs)


def delete(url: str | bytes, **kwargs: Unpack[RequestKwargs]) -> Response:
    r"""Send a DELETE request.

    :param url: URL for the new Request.
    :param \*\*kwargs: Optional arguments that ``request`` takes.
    :return: :class:`Response <httpcore_lite.models.Response>` object
    """
    return request("delete", url, **kwargs)
