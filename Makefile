# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never

# The embedded default (SQLite, in-process tasks, local-memory cache) served by
# gunicorn as in production, with the TLS-only protections off for plain HTTP on localhost.
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV := DEBUG=false SECRET_KEY="$$(cat .secret_key)" ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=$(SITE_URL) \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0

.PHONY: run dev setup deps system-test-deps test test-unit test-browser test-production bench bench-desk clean messages

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

deps: $(VENV)/.synced

.secret_key:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

setup: deps .secret_key
	@scripts/ensure-font
	@echo "Migrating the database (SQLite: db.sqlite3)…"
	@$(RUN_ENV) $(PY) manage.py migrate --noinput -v0
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v0
	@$(RUN_ENV) $(PY) manage.py regenerate_qr
	@echo "Loading demo data…"
	@$(RUN_ENV) $(PY) manage.py seed_demo

run: setup
	@echo ""
	@echo "  The liaison station is at http://$(HOST):$(PORT)/  (staff log in at /accounts/login/, admin at /admin/)"
	@echo "  Demo logins above; stop with Ctrl-C."
	@echo ""
	@$(RUN_ENV) $(VENV)/bin/gunicorn liaison.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

# For developers: Django's auto-reloading server with DEBUG on.
dev: setup
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

system-test-deps:
	@scripts/ensure-system-packages

# Unit and browser tests on the embedded default; the unit tests again on PostgreSQL;
# then the production tier (PostgreSQL, Redis and a Celery worker started by tests/services.py).
test: deps system-test-deps
	$(PY) -m pytest -m "not production" -p no:cacheprovider
	$(PY) -m tests.services env -u REDIS_URL $(PY) -m pytest -m "not production and not browser" -q -p no:cacheprovider
	$(PY) -m tests.services $(PY) -m pytest -m production -p no:cacheprovider

test-unit: deps
	$(PY) -m pytest -m "not production and not browser"

test-browser: deps system-test-deps
	$(PY) -m pytest -m browser

test-production: deps system-test-deps
	$(PY) -m tests.services $(PY) -m pytest -m production

messages: deps
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location -i ".venv/*" -i "staticfiles/*"
	DEBUG=true $(PY) manage.py compilemessages -l zh_Hans -i .venv

bench: deps
	$(PY) bench/run.py

# The desk's searches at a million concerns on a throw-away PostgreSQL: plans and timings (about ten minutes).
bench-desk: deps system-test-deps
	$(PY) bench/desk_search.py

clean:
	rm -rf $(VENV) staticfiles
