"""A user's typed script. ``.ci/wheel_check.py`` runs ``mypy --strict`` on it against the
installed wheel: it must pass, which needs the package's own types (``py.typed``)."""

from __future__ import annotations

import httpcore_lite as requests
from httpcore_lite.adapters import HTTPAdapter, Retry, Timeout
from httpcore_lite.exceptions import RequestException


def fetch_json(url: str) -> object:
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=Retry(total=2, backoff_factor=0.1)))
        try:
            response = session.get(url, timeout=Timeout(connect=2, read=5))
            response.raise_for_status()
        except RequestException as exc:
            raise SystemExit(f"{url}: {exc}") from exc
        return response.json()


def content_length(response: requests.Response) -> int:
    return len(response.content or b"")
