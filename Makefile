# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed messages lint format check bench worker beat clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

messages: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore '.venv' -v 0; \
	else echo "msgfmt not found: using the committed .mo catalogues"; fi

migrate: install
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

run: messages migrate
	@$(PY) manage.py seed_demo --once
	@$(PY) manage.py demo_logins --address $(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=ci-check-$$(date +%s)-not-a-real-secret-but-long-enough-for-the-check-x \
	  ALLOWED_HOSTS=portal.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

worker: install
	$(VENV)/bin/celery -A config worker -l info

beat: install
	$(VENV)/bin/celery -A config beat -l info

clean:
	rm -rf $(VENV) var build *.egg-info
