# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# uv lives in a small virtualenv of its own: Debian's python3 is "externally managed" (PEP 668) and
# refuses `pip install` into it, and `uv sync` would remove uv from .venv as a package the lock lacks.
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never

# The embedded default (SQLite, in-process tasks, local-memory cache) served by
# gunicorn as in production, with the TLS-only protections off for plain HTTP on localhost.
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)
# Phones reach the station by the host in SITE_URL (what the QR codes encode), so Django must accept it.
# .localhost (localhost and every name under it) serves the demo townships' hosts, hengxi.localhost and
# butou.localhost, which browsers and curl resolve to 127.0.0.1 with no DNS.
SITE_HOST := $(shell echo '$(SITE_URL)' | sed -E 's~^[a-zA-Z]+://(\[[^]]*\]|[^:/]*).*~\1~')
# DEMO_MODE: the pages say it is a demo, two-factor login stays optional so the printed logins work, and
# the demo accounts' published password is allowed (anywhere else the station refuses to start with it).
RUN_ENV := DEBUG=false SECRET_KEY="$$(cat .secret_key)" ALLOWED_HOSTS=127.0.0.1,.localhost,$(SITE_HOST) \
	SITE_URL=$(SITE_URL) SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	SECURE_HSTS_SECONDS=0 DEMO_MODE=true

.PHONY: run dev setup deps deps-run system-test-deps test test-unit test-browser test-production bench bench-desk clean messages

$(UV):
	@scripts/ensure-venv $(PYTHON)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

# Serving needs the main dependencies only. --inexact: a developer's test tools, if already
# installed, stay; a fresh machine gets none of them.
$(VENV)/.synced-run: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --python $(PYTHON)
	@touch $@

# The tests and `make messages` add the dev group (pytest, Playwright, …).
$(VENV)/.synced-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@ $(VENV)/.synced-run

deps-run: $(VENV)/.synced-run

deps: $(VENV)/.synced-dev

.secret_key:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

setup: deps-run .secret_key
	@scripts/ensure-font
	@echo "Migrating the database (SQLite: db.sqlite3)…"
	@$(RUN_ENV) $(PY) manage.py migrate --noinput -v0
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo "Loading demo data…"
	@$(RUN_ENV) $(PY) manage.py seed_demo
	@# After seeding, so a changed SITE_URL re-renders every code the demo made on an earlier run.
	@$(RUN_ENV) $(PY) manage.py regenerate_qr

run: setup
	@echo ""
	@echo "  The liaison station is at $(SITE_URL)/  (serving on $(HOST):$(PORT); staff log in at /accounts/login/, admin at /admin/)"
	@echo "  The other demo townships: http://hengxi.localhost:$(PORT)/ and http://butou.localhost:$(PORT)/"
	@echo "  Demo logins above; stop with Ctrl-C."
	@echo ""
	@$(RUN_ENV) $(VENV)/bin/gunicorn liaison.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

# For developers: Django's auto-reloading server with DEBUG on.
dev: setup
	DEBUG=true DEMO_MODE=true $(PY) manage.py runserver $(HOST):$(PORT)

system-test-deps:
	@scripts/ensure-system-packages

# Unit and browser tests on the embedded default; the unit tests again on PostgreSQL. Both on two
# processes (pytest-xdist: a 2-core machine runs them in about half the time); each process has its own
# test database and takes whole files, so a module-scoped fixture is built once and its files stay its own;
# then the production tier (PostgreSQL, Redis and a Celery worker started by tests/services.py).
test: deps system-test-deps
	$(PY) -m pytest -n 2 --dist loadfile -m "not production" -p no:cacheprovider
	$(PY) -m tests.services env -u REDIS_URL $(PY) -m pytest -n 2 --dist loadfile -m "not production and not browser" -q -p no:cacheprovider
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

# The production stack under load (bench/run.py): PostgreSQL, Redis, Celery worker and beat, gunicorn as deploy/
# runs them, driven by wrk beside a bare view and django-helpdesk; one table a scale, in bench/results/.
SCALE ?= township county
ROUNDS ?= 5
DURATION ?= 5
bench: deps system-test-deps
	$(PY) bench/run.py $(SCALE) --rounds $(ROUNDS) --duration $(DURATION)

# The desk's searches at a million concerns on a throw-away PostgreSQL: plans and timings (about ten minutes).
bench-desk: deps system-test-deps
	$(PY) bench/desk_search.py

# Four faults on the production stack while phones file concerns — PostgreSQL restarted, the worker killed
# mid-send, beat back after two days, Redis frozen then stopped — and what each cost (a few minutes;
# docs/operations.md, "Faults and what they cost"). Results in bench/soak/results/ (git-ignored).
.PHONY: soak
soak: deps system-test-deps
	$(PY) -m bench.soak

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles
