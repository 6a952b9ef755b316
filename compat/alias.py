"""
A pytest plugin (``-p compat.alias``) that makes ``import requests`` give httpcore_lite.

Loaded before anything is collected, so the library under test and its tests see httpcore_lite
wherever they name ``requests`` or one of its submodules.
"""

from __future__ import annotations

import importlib
import sys

SUBMODULES = (
    "adapters",
    "api",
    "auth",
    "certs",
    "compat",
    "cookies",
    "exceptions",
    "help",
    "hooks",
    "models",
    "packages",
    "sessions",
    "status_codes",
    "structures",
    "utils",
)

if "requests" in sys.modules and sys.modules["requests"].__name__ == "requests":
    raise RuntimeError("requests was imported before the alias plugin: the run would be void")

sys.modules["requests"] = importlib.import_module("httpcore_lite")
for _name in SUBMODULES:
    sys.modules[f"requests.{_name}"] = importlib.import_module(f"httpcore_lite.{_name}")
