# Lapor: two commands do everything on a fresh machine.
#   make demo   install, migrate SQLite, seed holidays and demo data, start web + worker
#   make test   lint, types, the suite on SQLite, then on PostgreSQL when it answers
#               (mandatory under CI=true)

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# Two workers: the machines have two cores.
XDIST ?= -n 2

.PHONY: install demo run test lint types test-sqlite test-postgres format bench bench-calendar \
        workflow-doc clean chromium screenshots messages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_holidays
	$(PY) manage.py demo_data
	$(PY) scripts/rundemo.py

run: install
	$(PY) scripts/rundemo.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

types: install
	$(VENV)/bin/mypy lapor

workflow-doc: install
	$(PY) manage.py workflow_doc

test: install chromium lint types test-sqlite test-postgres

# Browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Fill docs/screenshots/ with the pages the browser tests visit (shown in the README).
screenshots: install chromium
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots env -u DATABASE_URL $(VENV)/bin/pytest -q tests/browser

# Refresh the translation catalogues (needs GNU gettext) and compile them; the .mo files are
# committed so that running the project never needs gettext.
messages: install
	$(PY) manage.py makemessages -l en -l id --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

test-sqlite: install
	env -u DATABASE_URL $(VENV)/bin/pytest $(XDIST) -q -m "not postgres_only" $(PYTEST_ARGS)

# Runs when DATABASE_URL is set or PostgreSQL answers on 127.0.0.1:5432. Under CI=true a
# missing PostgreSQL is a failure, not a skip.
test-postgres: install
	@if [ -n "$$DATABASE_URL" ]; then url="$$DATABASE_URL"; \
	elif PG_URL="$(PG_URL)" $(PY) scripts/pg_available.py; then url="$(PG_URL)"; \
	elif [ "$$CI" = "true" ]; then echo "CI=true but PostgreSQL is not reachable at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable: skipping the PostgreSQL run (set DATABASE_URL to force)"; exit 0; fi; \
	echo "== PostgreSQL run against $$url"; \
	DATABASE_URL="$$url" $(VENV)/bin/pytest $(XDIST) -q $(PYTEST_ARGS)

bench: bench-calendar

bench-calendar: install
	$(PY) bench/bench_calendar.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
