# Klantbeeld: `make run` serves the console with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate seed serve bench lint format clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## run: install, migrate, seed demo data and serve the console on http://$(HOST):$(PORT)
run: seed
	@echo ""
	@echo "Klantbeeld is starting on http://$(HOST):$(PORT)/ ($(if $(and $(DATABASE_URL),$(REDIS_URL)),full stack: PostgreSQL and Redis,embedded mode: SQLite and in-memory live updates); Ctrl-C stops it)"
	@$(MAKE) --no-print-directory serve

## serve: only the server (no install, migrate or seed). It never believes X-Forwarded-For itself:
## the console does, from the proxies TRUSTED_PROXIES names (console/asgi.py).
serve:
	$(VENV)/bin/uvicorn console.asgi:application --host $(HOST) --port $(PORT) --lifespan off --ws-per-message-deflate false --no-proxy-headers

## test: the whole suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set)
test: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

## bench: every benchmark in bench/ (PostgreSQL: BENCH_DATABASE_URL, default the local server;
## Redis: BENCH_REDIS_URL, default its database 9, kept apart from dev servers and test runs)
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/9
bench: install-dev
	$(PY) bench/customer_page.py
	$(PY) bench/search.py
	REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/ingest.py
	REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/flags.py
	REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/live.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .hypothesis
