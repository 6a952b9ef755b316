# `make test` and `make bench` each build the virtual environment they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: test lint typecheck pytest test-nofastpath test-lowest-h11 wheel-check bench bench-quick compat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@

test: lint typecheck pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check httpcore_lite tests benchmarks compat
	$(BIN)/ruff format --check httpcore_lite compat

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy httpcore_lite

pytest: $(VENV)/.test-installed
	$(BIN)/python -m pytest

# The protocol and transport tests again, on h11's public API only (the fast paths off) and on
# the lowest h11 that pyproject.toml allows, in a venv of its own.
CORE_TESTS := tests/protocol tests/fuzz/test_protocol_fuzz.py tests/faults
LOWEST_H11 := $(shell sed -n 's/.*"h11>=\([0-9.]*\).*/\1/p' pyproject.toml)
LOWEST := .venv-lowest-h11

test-nofastpath: $(VENV)/.test-installed
	HTTPCORE_LITE_NO_FASTPATH=1 $(BIN)/python -m pytest $(CORE_TESTS)

$(LOWEST)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install -q --upgrade pip
	$(LOWEST)/bin/python -m pip install -q -e '.[test]' 'h11==$(LOWEST_H11)'
	touch $@

test-lowest-h11: $(LOWEST)/.installed
	$(LOWEST)/bin/python -c 'import h11; print("h11", h11.__version__)'
	$(LOWEST)/bin/python -m pytest $(CORE_TESTS)

# Build the wheel and sdist, install each (not editable) into a fresh venv and smoke-test it.
wheel-check: $(VENV)/.test-installed
	$(BIN)/python .ci/wheel_check.py

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks

bench-quick: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) $(LOWEST) $(COMPAT_VENV) .compat-cache .pytest_cache .mypy_cache .ruff_cache

# The compatibility suite: libraries built on requests, run against requests and httpcore_lite.
COMPAT_VENV := .venv-compat
COMPAT_DEPS := requests==2.34.2 "urllib3>=2.2,<2.3" pytest pytest-timeout pytest-asyncio \
	pytest-httpserver tomli-w pyyaml fixtures purl testtools mock oauthlib cherrypy filelock \
	redis msgpack pytest-httpbin==2.0.0 "httpbin~=0.10.0" trustme pysocks pyopenssl werkzeug \
	requests-mock==1.12.1 responses==0.25.3 betamax==0.9.0 requests-toolbelt==1.0.0 \
	requests-oauthlib==2.0.0 cachecontrol==0.14.1 requests-futures==1.0.2 requests-file==2.1.0 \
	requests-unixsocket==0.4.1 waitress

$(COMPAT_VENV)/.installed: Makefile pyproject.toml
	$(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install -q --upgrade pip
	$(COMPAT_VENV)/bin/python -m pip install -q $(COMPAT_DEPS)
	$(COMPAT_VENV)/bin/python -m pip install -q -e .
	touch $@

compat: $(COMPAT_VENV)/.installed
	$(COMPAT_VENV)/bin/python -m compat
