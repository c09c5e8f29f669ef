# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` adds demo data to an empty database; `make run SEED_DEMO=false` does not.
SEED_DEMO ?= true

.PHONY: run serve test lint format migrate demo worker beat clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Anwariya needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	SEED_DEMO=$(SEED_DEMO) $(PY) manage.py seed_demo --if-empty
	@echo "Anwariya is at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) anwariya.asgi:application

# The production server (gunicorn with uvicorn workers, gunicorn.conf.py): WEB_CONCURRENCY
# processes (one per core by default) for HTTP and websockets. Give it PostgreSQL and Redis in .env.
serve: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Anwariya is at http://$(HOST):$(PORT)/ ($${WEB_CONCURRENCY:-one per core} worker processes)"
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

# The suite runs in TEST_WORKERS processes (pytest-xdist; auto: one per core, 0: in this process).
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: $(VENV)/.installed
	$(PY) manage.py seed_demo

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A anwariya worker --loglevel=INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A anwariya beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
