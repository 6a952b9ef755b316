# `make test` and `make bench` each build the virtual environment they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: test lint typecheck pytest wheel-check bench bench-quick clean

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

# Build the wheel and sdist, install each (not editable) into a fresh venv and smoke-test it.
wheel-check: $(VENV)/.test-installed
	$(BIN)/python .ci/wheel_check.py

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks

bench-quick: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
