# Klantbeeld: `make run` serves the console with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate seed serve bench fuzz lint format clean

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

## test: the whole suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set), after the
## import contracts of pyproject.toml (apps import only the apps below them: docs/architecture.md)
test: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
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
	REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/inbox.py

## fuzz: schemathesis at length against the served schema (every check, every phase including
## stateful, FUZZ_EXAMPLES per operation) on a server of its own with demo data in .fuzz.sqlite3;
## the server's log goes to .fuzz-server.log
FUZZ_EXAMPLES ?= 500
FUZZ_PORT ?= 8765
FUZZ_ENV := SQLITE_PATH=.fuzz.sqlite3 DATABASE_URL= REDIS_URL= API_RATE_LIMIT_PER_SECOND=0
# A credit approval the fuzzer's source asked for (the story customer on credit hold), so that
# GET /api/v1/credit-approvals/{id} is tested on one that exists, not only on 404s.
export FUZZ_APPROVAL := from decimal import Decimal; from console.customers.models import Customer; \
  from console.flags.approvals import credit_approval_request as ask; \
  print(ask(customer_id=Customer.objects.get(customer_number="C-200001").pk, amount=Decimal("900.00"), source="fuzzer").approval.pk)
fuzz: install-dev
	rm -f .fuzz.sqlite3
	$(FUZZ_ENV) $(PY) manage.py migrate --noinput -v0
	$(FUZZ_ENV) $(PY) manage.py seed_demo --customers 50 -v0
	approval=$$($(FUZZ_ENV) $(PY) manage.py shell -v0 -c "$$FUZZ_APPROVAL"); \
	{ cat schemathesis.toml; printf '\n[[operations]]\ninclude-operation-id = "credit_approvals_retrieve"\nparameters = { "path.id" = %s }\n' "$$approval"; } >.fuzz.toml; \
	token=$$($(FUZZ_ENV) $(PY) manage.py issue_token --source fuzzer --scope events:write --scope customers:read \
	  --scope customers:create --scope conversations:read 2>/dev/null | tail -1); \
	$(FUZZ_ENV) $(VENV)/bin/uvicorn console.asgi:application --host 127.0.0.1 --port $(FUZZ_PORT) \
	  --lifespan off --log-level warning >.fuzz-server.log 2>&1 & server=$$!; \
	trap "kill $$server" EXIT; \
	$(VENV)/bin/schemathesis --config-file .fuzz.toml run http://127.0.0.1:$(FUZZ_PORT)/api/v1/schema --wait-for-schema 60 \
	  --checks all --phases examples,coverage,fuzzing,stateful --max-examples $(FUZZ_EXAMPLES) \
	  --suppress-health-check all -H "Authorization: Bearer $$token"

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 .fuzz.sqlite3 .fuzz.toml .fuzz-server.log staticfiles .pytest_cache .ruff_cache .hypothesis
