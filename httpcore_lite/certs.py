"""
The CA bundle used to verify TLS certificates: certifi's.

``where()`` is kept under requests' name so that code calling ``requests.certs.where()`` to find
the bundle keeps working. Point ``verify=`` (or ``REQUESTS_CA_BUNDLE``) elsewhere to use another.
"""

from __future__ import annotations

from certifi import where

__all__ = ["where"]

if __name__ == "__main__":
    print(where())
