# The two commands a newcomer needs: `make run` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
# make run PORT=8001 (HOST=0.0.0.0 to be reached from other machines)
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-pg lint install sdk clean bench test-cluster test-cluster-pgbouncer fuzz worker translations translations-check

# DEBUG is off unless set (config/settings.py); the development server and the tests turn it on.
run test test-pg test-cluster test-cluster-pgbouncer worker: export DEBUG ?= 1

run: $(VENV)/.installed translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed tests/sdk/node_modules/.installed translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The whole suite on the local PostgreSQL (PG_URL: a server, user and password; no database):
# pytest-django creates test_$(PG_DB) afresh and drops it after.
PG_URL ?= postgres://postgres@127.0.0.1:5432
PG_DB ?= customer_account_pg
test-pg: $(VENV)/.installed tests/sdk/node_modules/.installed translations
	DATABASE_URL=$(PG_URL)/$(PG_DB) $(BIN)/python -m pytest --create-db $(PYTEST_ARGS)

# Ruff (lint and format, pyproject.toml) and the apps' layers (import-linter contracts, pyproject.toml).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# A Celery worker with the beat scheduler in it, for development (needs REDIS_URL; in production
# run workers and one `celery -A config beat` apart, see deploy/README.md).
worker: $(VENV)/.installed
	$(BIN)/celery -A config worker --beat --loglevel=info

install: $(VENV)/.installed

# The compiled translations (.mo) Django reads, from locale/*/LC_MESSAGES/*.po (Babel; no gettext).
translations: $(VENV)/.installed
	$(BIN)/python manage.py translations_compile

# CI: every marked text translated, none fuzzy or stale. makemessages needs GNU gettext's xgettext.
# After adding texts: `$(BIN)/python manage.py makemessages -l hi`, then `python locale/hi_translations.py`.
translations-check: $(VENV)/.installed
	command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	DEBUG=1 $(BIN)/python manage.py translations_check

sdk: tests/sdk/node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

tests/sdk/node_modules/.installed: tests/sdk/package.json tests/sdk/package-lock.json
	cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) tests/sdk/node_modules db.sqlite3 media staticfiles

# The benchmark (bench/bench.py): PostgreSQL, gunicorn, wrk; writes bench/RESULTS.md and ratios.png.
BENCH_ARGS ?= --keep-db
bench: $(VENV)/.installed
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

# Two gunicorn servers on PostgreSQL, Redis and S3 (moto) on loopback, with Celery beat and
# workers (tests/cluster); prints the cancel latencies measured with a fast and a slow mail server.
test-cluster: $(VENV)/.installed translations
	@rm -f test-artifacts/cluster/cancel-latency.txt
	$(BIN)/python -m pytest tests/cluster -p no:cacheprovider $(PYTEST_ARGS)
	@cat test-artifacts/cluster/cancel-latency.txt 2>/dev/null || true

# The same cluster with both servers, beat and the workers going through a PgBouncer in transaction
# mode that the test starts (Debian's pgbouncer; tests/cluster/pgbouncer.py) and the settings a pooler
# needs; migrations go straight to PostgreSQL (deploy/README.md, "Behind PgBouncer").
test-cluster-pgbouncer: $(VENV)/.installed translations
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || (apt-get update -qq && apt-get install -y -qq pgbouncer)
	@rm -f test-artifacts/cluster/cancel-latency.txt
	CLUSTER_PGBOUNCER=1 $(BIN)/python -m pytest tests/cluster -p no:cacheprovider $(PYTEST_ARGS)
	@cat test-artifacts/cluster/cancel-latency.txt 2>/dev/null || true

# Schema fuzzing with schemathesis against a live server, signed in as seeded shoppers (fuzz/fuzz.py;
# on PostgreSQL in a database of its own when DATABASE_URL points there). FUZZ_ARGS go to schemathesis.
FUZZ_ARGS ?= --max-examples 50
fuzz: $(VENV)/.installed
	$(BIN)/python fuzz/fuzz.py $(FUZZ_ARGS)
