# Two entry points (README): `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint typecheck pytest pywb-env install install-dev system-deps clean

$(VENV)/bin/activate:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv missing: installing it with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv python3-dev && \
	  $(PYTHON) -m venv $(VENV); }
	@$(PY) -m pip install -q --upgrade pip

install: $(VENV)/bin/activate
	@$(PY) -m pip install -q -e .

install-dev: $(VENV)/bin/activate
	@$(PY) -m pip install -q -e '.[dev,distributed]'

# Servers and programs the test suite starts itself (redis-server for the distributed tests,
# chromium for the browser capture of JavaScript comments).
system-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server; }
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

demo: install
	$(VENV)/bin/archiver demo --output output

lint: install-dev
	$(VENV)/bin/ruff check archiver spiders tests benchmarks

typecheck: install-dev
	$(VENV)/bin/mypy

# pywb (replay tests) lives in its own venv: its pins conflict with ours.
pywb-env: install-dev
	$(PY) -m tests.servers.pywb_env

pytest: install-dev system-deps pywb-env
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
