# `make test` and `make bench` each build the virtual environment they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: test lint typecheck pytest test-nofastpath test-lowest-h11 wheel-check bench bench-quick clean

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
	$(BIN)/ruff check httpcore_lite tests benchmarks
	$(BIN)/ruff format --check httpcore_lite

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
	rm -rf $(VENV) $(LOWEST) .pytest_cache .mypy_cache .ruff_cache
