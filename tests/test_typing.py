"""
The public surface as a type checker sees it: typed user scripts checked with ``mypy --strict``.

One script uses the everyday surface (module functions, Session, Response attributes, adapters,
Timeout, auth and files tuples) and must pass; ``reveal_type`` lines pin the precise types. The
other holds one mistake per marked line (``# E: <code>``) and mypy must report exactly those
lines with those codes: a typo'd keyword, a wrong keyword type, an int used as a str.

The package is found through MYPYPATH and checked with ``--follow-imports=silent``: its own
modules are analysed for their types but their errors are not reported, as for an installed
package, so the scripts are checked as a user's code would be.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import httpcore_lite

pytest.importorskip("mypy")

PACKAGE_ROOT = Path(httpcore_lite.__file__).resolve().parent.parent

GOOD_SCRIPT = """
import datetime
import io
from collections.abc import Iterator
from typing import Any

import httpcore_lite as requests
from httpcore_lite.adapters import HTTPAdapter, Retry, Timeout
from httpcore_lite.auth import HTTPBasicAuth
from httpcore_lite.cookies import RequestsCookieJar
from httpcore_lite.exceptions import HTTPError
from httpcore_lite.models import PreparedRequest, Response
from httpcore_lite.structures import CaseInsensitiveDict

URL = "http://127.0.0.1:1/"


def status(r: Response) -> int:
    return r.status_code


def next_status(r: Response) -> int:
    return r.status_code + 1


def body_length(r: Response) -> int:
    return len(r.content)


def body(r: Response) -> bytes:
    return r.content


def first_line(r: Response) -> str:
    return r.text.splitlines()[0]


def header(r: Response) -> str:
    return r.headers["x"].lower()


def maybe_header(r: Response) -> str | None:
    return r.headers.get("etag")


def header_or_default(r: Response) -> str:
    return r.headers.get("etag", "none")


def headers(r: Response) -> CaseInsensitiveDict[str]:
    return r.headers


def final_url(r: Response) -> str:
    return r.url


def reason(r: Response) -> str:
    return r.reason


def jar(r: Response) -> RequestsCookieJar:
    return r.cookies


def sent(r: Response) -> PreparedRequest:
    return r.request


def sent_headers(r: Response) -> CaseInsensitiveDict[str]:
    return r.request.headers


def elapsed(r: Response) -> datetime.timedelta:
    return r.elapsed


def history(r: Response) -> list[Response]:
    return r.history


def links(r: Response) -> dict[str, dict[str, str]]:
    return r.links


def next_request(r: Response) -> PreparedRequest | None:
    return r.next


def chunks(r: Response) -> Iterator[bytes]:
    return r.iter_content(1024)


def lines(r: Response) -> list[bytes]:
    return list(r.iter_lines(delimiter=b"\\n"))


def payload(r: Response) -> Any:
    return r.json()


def failed_status(e: HTTPError) -> int | None:
    return e.response.status_code if e.response is not None else None


def hook(r: Response, *args: Any, **kwargs: Any) -> None:
    print(r.status_code)


def upload() -> Iterator[bytes]:
    yield b"chunk"


# The fields of urllib3's Timeout (urllib3 is not installed for the tests).
class Urllib3StyleTimeout:

    def __init__(self) -> None:
        self._connect: float | None = 1.0
        self._read: float | None = 5.0
        self.total: float | None = None


def everyday() -> None:
    r = requests.get(URL, params={"q": "x", "n": 1}, timeout=3)
    r.raise_for_status()
    print(len(r.content), r.status_code + 1, r.headers["x"].lower(), r.json(), r.ok)
    requests.get(URL, params=[("a", "1"), ("a", "2")], headers={"Accept": "text/plain"})
    requests.get(URL, params={"q": "x", "n": [1, 2], "drop": None})
    requests.get(URL, params=iter([("a", "1")]), auth=lambda p: p)
    pairs: list[tuple[str, str]] = [("a", "1")]
    query: dict[str, int] = {"n": 1}
    requests.get(URL, params=pairs)
    requests.get(URL, params=query)
    requests.post(URL, data={"a": "b"}, auth=("user", "pass"))
    requests.post(URL, json={"a": [1, 2]}, timeout=(3.05, 27))
    requests.put(URL, data=b"raw", headers={"Content-Type": "application/octet-stream"})
    requests.patch(URL, data="text", json=None)
    requests.delete(URL, verify=False)
    requests.head(URL, allow_redirects=True)
    requests.options(URL, cert=("client.pem", "client.key"))
    requests.request("GET", URL, stream=True, verify="/etc/ssl/certs")
    files = {"f": ("a.txt", b"data", "text/plain")}
    p = requests.Request("POST", URL, params={"v": "2"}, data={"k": "v"}, files=files).prepare()
    print(p.url, p.headers["Content-Type"].lower())

    with requests.Session() as s:
        s.mount("https://", HTTPAdapter(max_retries=Retry(3)))
        s.mount("http://", HTTPAdapter(pool_maxsize=4, max_retries=2))
        s.headers["User-Agent"] = "typed/1.0"
        s.headers.update({"Accept": "application/json"})
        s.auth = ("user", "pass")
        s.verify = "/etc/ssl/ca.pem"
        s.cookies.set("token", "abc")
        r = s.get(
            URL,
            timeout=Timeout(connect=1, read=5, total=10),
            allow_redirects=False,
            stream=True,
            cookies={"a": "b"},
            proxies={"https": "http://127.0.0.1:3128"},
            hooks={"response": [hook]},
        )
        for chunk in r.iter_content(chunk_size=None):
            chunk.hex()
        for line in r.iter_lines():
            line.decode("utf-8")
        s.post(URL, files={"f": ("name.txt", io.BytesIO(b"x"), "text/plain")})
        s.post(URL, files={"f": ("a.csv", b"1,2", "text/csv", {"X-Part": "1"})}, data={"k": "v"})
        s.post(URL, files=[("f", io.BytesIO(b"x")), ("g", ("g.txt", "text"))])
        s.post(URL, data=upload(), headers={"Transfer-Encoding": "chunked", "X-Drop": None})
        s.put(URL, data=io.BytesIO(b"file"), auth=HTTPBasicAuth("u", "p"))
        s.patch(URL, json={"op": "replace"}, timeout=None)
        s.delete(URL, hooks={"response": hook})
        s.head(URL, timeout=(None, 5))
        s.options(URL, params=b"a=1")
        s.request("POST", URL, data=[("a", "1")], json=None, timeout=2.5)
        s.get(URL, timeout=Urllib3StyleTimeout())


reveal_type(requests.get(URL).status_code)
reveal_type(requests.get(URL).headers)
reveal_type(requests.get(URL).content)
reveal_type(requests.get(URL).headers.get("x"))
reveal_type(requests.Session().get(URL).iter_content(8))
"""

# Each marked line must get exactly the error code named after "# E:", and no other line any.
BAD_SCRIPT = """
from typing import Any

import httpcore_lite as requests
from httpcore_lite.exceptions import HTTPError
from httpcore_lite.models import Response

URL = "http://127.0.0.1:1/"
s = requests.Session()
r = requests.get(URL)
e = HTTPError("500 Server Error", response=r)


def wrong_hook(n: int, **kwargs: Any) -> None:
    pass


requests.get(URL, timeot=3)  # E: call-arg
s.get(URL, timeot=3)  # E: call-arg
requests.post(URL, jsn={})  # E: call-arg
s.head(URL, allow_redirect=True)  # E: call-arg
requests.request("GET", URL, stram=True)  # E: call-arg
s.get(URL, timeout="3")  # E: arg-type
requests.get(URL, verify=3)  # E: arg-type
s.post(URL, data=3)  # E: arg-type
s.get(URL, auth=("user",))  # E: arg-type
s.get(URL, proxies=["http://127.0.0.1:3128"])  # E: arg-type
s.get(URL, cert=3)  # E: arg-type
s.get(URL, stream="yes")  # E: arg-type
s.get(URL, hooks={"response": wrong_hook})  # E: dict-item
r.status_code.lower()  # E: attr-defined
r.content.encode()  # E: attr-defined
r.headers["x"].decode()  # E: attr-defined
len(r.text) + r.content  # E: operator
r.reason + 1  # E: operator
r.url.decode()  # E: attr-defined
r.elapsed + 1  # E: operator
r.request.method.upper()  # E: union-attr
e.response.status_code  # E: union-attr
requests.Request("GET", URL, timeout=3)  # E: call-arg
requests.Request("GET", URL, auth=("user", 3))  # E: arg-type
requests.get(URL, verify="/etc/ssl/ca.pem")
"""

_ERROR_LINE = re.compile(r"^[^:]+:(\d+): error: .*\[([a-z-]+)\]$")
_MARK = re.compile(r"# E: ([a-z-]+)$")


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for both runs: the package is analysed once."""
    return tmp_path_factory.mktemp("mypy_cache")


def _run_mypy(script: str, path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    path.write_text(textwrap.dedent(script))
    # An empty configuration: the flags below only, not the project's own settings.
    config = path.with_suffix(".ini")
    config.write_text("[mypy]\n")
    env = dict(os.environ, MYPYPATH=str(PACKAGE_ROOT))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--no-error-summary",
            "--show-error-codes",
            "--cache-dir",
            str(cache),
            "--config-file",
            str(config),
            str(path),
        ],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_typed_user_script_passes_strict(tmp_path: Path, mypy_cache: Path) -> None:
    result = _run_mypy(GOOD_SCRIPT, tmp_path / "good.py", mypy_cache)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == [], result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    revealed = re.findall(r'Revealed type is "([^"]+)"', result.stdout)
    assert revealed == [
        "int",
        "httpcore_lite.structures.CaseInsensitiveDict[str]",
        "bytes",
        "str | None",
        "typing.Iterator[bytes]",
    ]


def test_mistakes_are_reported(tmp_path: Path, mypy_cache: Path) -> None:
    script = textwrap.dedent(BAD_SCRIPT)
    expected = {}
    for number, line in enumerate(script.splitlines(), start=1):
        mark = _MARK.search(line)
        if mark:
            expected[number] = mark.group(1)
    assert len(expected) == 24

    result = _run_mypy(script, tmp_path / "bad.py", mypy_cache)
    assert result.returncode == 1, result.stdout + result.stderr
    reported: dict[int, set[str]] = {}
    for line in result.stdout.splitlines():
        match = _ERROR_LINE.match(line)
        if match:
            reported.setdefault(int(match.group(1)), set()).add(match.group(2))
    assert reported == {n: {code} for n, code in expected.items()}, result.stdout
