# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# An IPv6 address is written in brackets in a URL, a Host header and gunicorn's --bind.
HOSTNAME := $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST))
URL := http://$(HOSTNAME):$(PORT)

.PHONY: run serve dev static test install migrate seed messages lint format check bench worker beat clean

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

# `make run` serves the portal as production does (DEBUG off, collected static files served
# by whitenoise, gunicorn with a few threads) but over plain http on this machine: a secret
# generated once into var/secret_key, no https-only cookies, e-mail printed to the console.
# Each of these can still be overridden from the environment (README "Environment").
run serve static: export DEBUG ?= 0
run serve static: export HTTPS ?= 0
run serve static: export SECRET_KEY_FILE ?= var/secret_key
run serve static: export ALLOWED_HOSTS ?= $(HOSTNAME),127.0.0.1,localhost,[::1]
run serve static: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
run serve static: export PORTAL_BASE_URL ?= $(URL)

# Once: later runs keep the key (and so everyone's session); delete the file to renew it.
var/secret_key: | $(VENV)/.installed
	@mkdir -p var
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp
	@mv $@.tmp $@ && echo "A secret key was generated in $@ (mode 0600)."

static: var/secret_key install
	$(PY) manage.py collectstatic --noinput -v 0

# Two processes of four threads each: a handful of people at once on the SQLite file. No
# control socket: its default path is per user, and two checkouts would share it.
GUNICORN = $(VENV)/bin/gunicorn config.wsgi:application --bind $(HOSTNAME):$(PORT) \
	--workers 2 --threads 4 --timeout 120 --graceful-timeout 10 --no-control-socket

run: var/secret_key messages migrate static
	@$(PY) manage.py seed_demo --once
	@$(PY) manage.py demo_logins --url $(URL)
	@echo "Serving $(URL) with gunicorn, DEBUG off. Ctrl-C stops; 'make dev' is the debug server."
	@$(GUNICORN)

# Serve again without the preparation steps.
serve: var/secret_key install
	@echo "Serving $(URL) with gunicorn, DEBUG off. Ctrl-C stops."
	@$(GUNICORN)

# The development server: DEBUG on (tracebacks in the browser, code reloaded).
dev: messages migrate
	@$(PY) manage.py seed_demo --once
	@$(PY) manage.py demo_logins --url $(URL)
	$(PY) manage.py runserver $(HOSTNAME):$(PORT)

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
