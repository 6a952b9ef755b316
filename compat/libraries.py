"""The libraries of the compatibility suite: pinned releases and how to run their tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Library:
    """One library: its pinned sdist and the pytest arguments that run its own tests."""

    name: str
    version: str
    #: Paths (relative to the unpacked sdist) handed to pytest.
    tests: tuple[str, ...] = ("tests",)
    #: Directories (relative to the unpacked sdist) put first on ``sys.path``.
    path: tuple[str, ...] = (".",)
    #: Extra pytest arguments (deselections of tests that cannot run here, with why).
    args: tuple[str, ...] = ()
    #: Whether the library must reach the required pass rate for ``make compat`` to succeed.
    required: bool = True
    #: The sdist's file-name stem when it differs from ``name-version``.
    stem: str = field(default="")

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"


#: Below this share of the tests passing with requests, a required library fails the suite.
REQUIRED_RATE = 0.95

LIBRARIES = (
    Library("requests-mock", "1.12.1"),
    Library("responses", "0.25.3", tests=("responses/tests",)),
    Library("betamax", "0.9.0", path=("src",)),
    Library("requests-toolbelt", "1.0.0"),
    # tests/examples drive a browser (selenium) against live sites.
    Library("requests-oauthlib", "2.0.0", args=("--ignore=tests/examples",)),
    Library("cachecontrol", "0.14.1"),
    # Not required: requests' own suite, and other libraries built on requests.
    Library("requests", "2.34.2", path=("src",), required=False),
    Library("requests-futures", "1.0.2", required=False, stem="requests_futures-1.0.2"),
    Library("requests-file", "2.1.0", required=False, stem="requests_file-2.1.0"),
    Library(
        "requests-unixsocket",
        "0.4.1",
        tests=("requests_unixsocket/tests",),
        required=False,
        stem="requests_unixsocket-0.4.1",
    ),
)
