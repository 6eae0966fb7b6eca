"""Settings for the liaison station.

Every knob comes from the environment with an embedded default, so a fresh
checkout runs on SQLite with in-process tasks, and production only adds
environment variables (DATABASE_URL, REDIS_URL, SECRET_KEY, ...).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_bool(name: str, default: bool) -> bool:
    """Like env.bool, but "maybe" or "2" stop the start-up instead of meaning False."""
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = env_bool("DEBUG", default=False)

# A development key is tolerated only while DEBUG is on, so a forgotten
# SECRET_KEY in production fails at start-up instead of signing with a known key.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

# With DEBUG, Django's own development default: localhost and every name under it (the demo townships'
# hengxi.localhost), and the loopback addresses.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[".localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

# The absolute base printed inside every QR code. Changing it means the codes
# must be regenerated (manage.py regenerate_qr). Its host is always allowed:
# that is where every scan lands.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    # Without it every printed poster would point at localhost.
    raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off, e.g. https://rd.baita.gov.cn")
if urlparse(SITE_URL).hostname not in (*ALLOWED_HOSTS, "*", None):
    ALLOWED_HOSTS.append(urlparse(SITE_URL).hostname)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


# Shown in the page header; empty means the translated demo name.
STATION_NAME = env.str("STATION_NAME", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    # Login throttling and two-factor login (liaison/accounts/, docs/roles.md "Logging in").
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "liaison",
    "deputies",
    "petitions",
    "projects",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer, static files included (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what every later middleware and the view produced (HTML, JSON); so it sits above
    # all that touch the body, and below WhiteNoise, whose static files come compressed already.
    "liaison.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Cache-Control: no-store on the back office and on anything built for one visitor (docs/security.md).
    "liaison.middleware.PrivatePagesMiddleware",
    "liaison.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: both say why they sent someone back to the login page.
    "liaison.accounts.middleware.IdleTimeoutMiddleware",
    "liaison.accounts.middleware.TwoFactorMiddleware",
    # After authentication: the back office's township is the user's.
    "liaison.middleware.TownshipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the lockout page (inside the township scope).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.context_processors.station",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: a new PostgreSQL connection per request costs more
# than most of our pages; the health check survives a database restart.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A wall screen polling while staff save forms must not hit "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Seconds a request waits for Redis (broker or cache) to connect or to answer one command. Without a
# limit a frozen Redis (a stopped process, a dead link) holds every request that touches it for
# minutes; with it the request goes on without: a message's outbox row is already saved and the
# sweep sends it later (docs/operations.md).
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=1.0)
if REDIS_URL:
    # The cache lives in the next Redis database, so clearing it never drops queued tasks.
    _redis = urlparse(REDIS_URL)
    _cache_db = int(_redis.path.strip("/") or 0) + 1
    CACHES = {
        "default": {
            "BACKEND": "liaison.cache.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=_redis._replace(path=f"/{_cache_db}").geturl()),
            "KEY_PREFIX": "liaison",
            "OPTIONS": {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    # Sending a task is one try of at most REDIS_TIMEOUT, never Celery's default retries (with them a
    # frozen Redis held each filing ~5 s; with no socket timeout, for ever). A task is only ever a
    # nudge to act on a row already committed; what could not be sent, a periodic sweep sends.
    # max_retries 0: a refused connection fails at once instead of retrying for broker_connection_timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT, "max_retries": 0,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
    CELERY_TASK_PUBLISH_RETRY = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"
    # No broker: tasks run in-process, and their errors surface where they are called.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The periodic jobs (run by `celery -A liaison beat` in production; one beat process only).
CELERY_BEAT_SCHEDULE = {
    "send-deadline-reminders": {"task": "petitions.send_deadline_reminders", "schedule": crontab(minute=0, hour="8,14")},
    "escalate-overdue-concerns": {"task": "petitions.escalate_overdue_concerns", "schedule": crontab(minute=30, hour=8)},
    "close-unrated-concerns": {"task": "petitions.close_unrated_concerns", "schedule": crontab(minute=0, hour=2)},
    "anonymise-ended-cases": {"task": "petitions.anonymise_ended_cases", "schedule": crontab(minute=30, hour=3)},
    "publish-duty-days": {"task": "deputies.publish_duty_days", "schedule": crontab(minute=10, hour=0)},
    "send-duty-reminders": {"task": "deputies.send_duty_reminders", "schedule": crontab(minute=0, hour=16)},
    "retry-pending-notifications": {"task": "liaison.retry_pending_notifications", "schedule": 300.0},
    "remind-quiet-household-deputies": {"task": "deputies.remind_quiet_household_deputies",
                                        "schedule": crontab(minute=0, hour=9)},
    "remind-suggestion-units": {"task": "petitions.remind_suggestion_units", "schedule": crontab(minute=15, hour=9)},
    # The public form's filings that no nudge reached (Redis away, a worker killed): petitions.intake.
    "sweep-filings": {"task": "petitions.sweep_filings", "schedule": 60.0},
}

# Liaison households (docs/households.md): each deputy keeps in touch with at least HOUSEHOLDS_PER_DEPUTY
# households; a deputy with households and no contact with any for HOUSEHOLD_CONTACT_DAYS is listed for
# the staff and reminded by SMS, once per such period.
HOUSEHOLDS_PER_DEPUTY = env.int("HOUSEHOLDS_PER_DEPUTY", default=10)
HOUSEHOLD_CONTACT_DAYS = env.int("HOUSEHOLD_CONTACT_DAYS", default=90)
# Public pages served from the cache (liaison/public_pages.py): each is served until its township changes, and
# at most this long (only a change made outside Django needs the limit). 0: every page is drawn afresh.
PUBLIC_PAGE_SECONDS = env.int("PUBLIC_PAGE_SECONDS", default=600)
# A back-office account's roles, permissions and township, kept in a shared cache (liaison/access.py) until they
# change, and at most this long (only a change made outside Django needs the limit). 0: read on every request.
ACCESS_CACHE_SECONDS = env.int("ACCESS_CACHE_SECONDS", default=300)
# The big screen (dashboard/screen.py): how long its data is cached, how often a screen fetches it, how long
# each panel shows, and the hour (station time) each screen reloads itself to start fresh.
SCREEN_CACHE_SECONDS = env.int("SCREEN_CACHE_SECONDS", default=60)
SCREEN_REFRESH_SECONDS = env.int("SCREEN_REFRESH_SECONDS", default=60)
SCREEN_ROTATE_SECONDS = env.int("SCREEN_ROTATE_SECONDS", default=15)
SCREEN_RELOAD_HOUR = env.int("SCREEN_RELOAD_HOUR", default=3)
# The cockpit's figures are computed at most this often per scope, site and period (dashboard.cockpit);
# the page shows when they were computed.
COCKPIT_CACHE_SECONDS = env.int("COCKPIT_CACHE_SECONDS", default=300)
# How often beat brings the cockpit's running totals of cases up to date (petitions.rollups); a cockpit computed
# when they are older than that counts them itself first.
FIGURES_COUNT_SECONDS = env.int("FIGURES_COUNT_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["count-figures"] = {"task": "petitions.count_figures", "schedule": float(FIGURES_COUNT_SECONDS)}
# The preset views (this month, quarter, year; every site) are recomputed a minute before the cache would
# forget them (dashboard.tasks), so at a county's size nobody waits for them.
CELERY_BEAT_SCHEDULE["warm-cockpits"] = {"task": "dashboard.warm_cockpits",
                                         "schedule": float(max(60, COCKPIT_CACHE_SECONDS - 60))}

# Study materials (docs/study.md): an uploaded PDF larger than this is refused with a message. A web server in
# front must accept bodies at least this large.
STUDY_PDF_MAX_BYTES = env.int("STUDY_PDF_MAX_BYTES", default=20 * 1024 * 1024)

# Concerns: reminders this many working days before a deadline; resolved concerns
# left unrated close after this many days.
REMINDER_WORKING_DAYS = env.int("REMINDER_WORKING_DAYS", default=1)
# A concern still unforwarded this many working days after filing escalates too.
ACCEPT_WITHIN_WORKING_DAYS = env.int("ACCEPT_WITHIN_WORKING_DAYS", default=2)
# Township officials' mobiles for escalation SMS (comma-separated); officials' accounts with an
# e-mail address get an e-mail as well.
ESCALATION_MOBILES = env.list("ESCALATION_MOBILES", default=[])
AUTO_CLOSE_DAYS = env.int("AUTO_CLOSE_DAYS", default=14)
# The same text sent again from the same mobile to the same deputy or site (or the same visit
# recorded again at the desk) within this many minutes is the one already filed: one case, one
# set of messages. 0 turns the content check off; the form's one-time token still catches double taps.
DUPLICATE_WINDOW_MINUTES = env.int("DUPLICATE_WINDOW_MINUTES", default=30)
# The open API (Open311, /open311/v2/): concerns one API key may file per hour; more get HTTP 429.
OPEN311_POSTS_PER_HOUR = env.int("OPEN311_POSTS_PER_HOUR", default=120)
# The public concern form (docs/privacy.md, "Abuse of the public form"). A filing over one of these
# limits is held for the staff's review, never refused: the person still gets the receipt. Per mobile
# number and per client address (the station's own wifi on a duty day is one address for everyone),
# in a burst of FILING_BURST_MINUTES and per day.
FILING_BURST_MINUTES = env.int("FILING_BURST_MINUTES", default=10)
FILING_PER_MOBILE_BURST = env.int("FILING_PER_MOBILE_BURST", default=3)
FILING_PER_MOBILE_DAY = env.int("FILING_PER_MOBILE_DAY", default=10)
FILING_PER_ADDRESS_BURST = env.int("FILING_PER_ADDRESS_BURST", default=30)
FILING_PER_ADDRESS_DAY = env.int("FILING_PER_ADDRESS_DAY", default=200)
# A form sent sooner than this after it was opened is held too: no person types a concern that fast.
FILING_MIN_SECONDS = env.int("FILING_MIN_SECONDS", default=5)
# At most this many SMS a day to a number the public typed in (a constituent's); more are not sent.
SMS_DAILY_CAP_PER_NUMBER = env.int("SMS_DAILY_CAP_PER_NUMBER", default=5)
# The rate limits' shared counters (liaison.counters): how long a request waits for their store,
# and how long a process then leaves it alone before asking again.
COUNTER_TIMEOUT = env.float("COUNTER_TIMEOUT", default=0.5)
COUNTER_RETRY_SECONDS = env.int("COUNTER_RETRY_SECONDS", default=5)

# The most rows one .xlsx export of the desk (concern list, reception register) holds; a longer
# list is cut there, and both the page and the file say so. The file is built before it is sent:
# 20,000 rows take about 8 s on a busy 2-core server, well inside gunicorn's 30 s timeout.
EXPORT_ROW_LIMIT = env.int("EXPORT_ROW_LIMIT", default=20_000)

# Personal data (docs/privacy.md). The notice on every form that collects it has a version; each concern and
# reception stores the version its constituent was shown. Change the version whenever the notice's text changes.
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-12")
# How long constituents' data is kept after their case ended (closed, rejected, merged): then
# `manage.py anonymise_ended_cases` anonymises it (the figures stay). The notice tells people this.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=3 * 365)
# Where people ask to see, correct or erase their data, besides the station itself: e.g. its phone number.
PRIVACY_CONTACT = env.str("PRIVACY_CONTACT", default="")
# Error reports (the 500 e-mail, Sentry-like handlers) never carry what a constituent typed.
DEFAULT_EXCEPTION_REPORTER_FILTER = "liaison.privacy.PersonalDataReporterFilter"

# Notifications: SMS through a backend class (console log by default), e-mail
# through Django's EMAIL_BACKEND (console by default; EMAIL_URL for SMTP).
SMS_BACKEND = env.str("SMS_BACKEND", default="liaison.sms.ConsoleSmsBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# --- accounts (liaison/accounts/, docs/roles.md "Logging in") ------------------------------------------
# The demo that `make run` serves (Makefile RUN_ENV): the pages say it is a demo and two-factor login
# stays optional, so a newcomer can try every role with the printed logins. Anywhere else the app
# refuses to start while a demo account still has the demo password (liaison/accounts/demo_guard.py).
DEMO_MODE = env_bool("DEMO_MODE", default=False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "dashboard:portal"

# Login throttling (django-axes). Failures count per username AND client address together: one
# township office behind one NAT address is not locked out wholesale by one colleague's typos or by a
# stranger guessing at one name, and a guesser elsewhere cannot lock the real user out. The counts are
# rows in the database, so every gunicorn worker (and every web host) sees the same ones.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# Tries while locked are refused unrecorded: the real user retrying does not lengthen their own lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The station's one rule for the client's address (CLIENT_IP_HEADER above), not django-ipware's guess.
AXES_CLIENT_IP_CALLABLE = "liaison.clients.client_address"
AXES_LOCKOUT_CALLABLE = "liaison.accounts.views.locked_out"
# Unlocking is a back-office page scoped to the township (accounts:township); no admin of raw attempts.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Two-factor login (django-otp): required for the roles in liaison.accounts.policy.REQUIRED_ROLES,
# optional for deputies. A code is good for one 30 s step either side of now.
# The name the authenticator app lists the account under.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default=STATION_NAME or "人大代表联络站")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Back-office sessions end after this long without a request (public visitors' sessions are untouched).
IDLE_TIMEOUT_MINUTES = env.int("IDLE_TIMEOUT_MINUTES", default=30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Several web hosts and workers must share this directory (or a network
# storage backend) because the worker writes QR images and the web serves them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Constituents' photos: never under MEDIA_ROOT, served only by a view that checks access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploaded spreadsheets and photos: refuse anything larger before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Behind a TLS-terminating proxy in production; every one of these can be
# relaxed by environment for a plain-HTTP intranet install.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The request header (as in request.META) in which the reverse proxy passes the client's address,
# e.g. HTTP_X_REAL_IP; empty: REMOTE_ADDR. Rate limits on the public pages count per client.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_CONTENT_TYPE_NOSNIFF = True
# Framed by nobody (clickjacking): X-Frame-Options for old browsers, frame-ancestors below for the rest.
X_FRAME_OPTIONS = "DENY"
# Paths carry tracking and deputy codes (/t/<code>/): a link to another site must not hand it the code,
# so only the station's own pages see where a visitor came from. A scanned QR code sends no referrer anyway.
SECURE_REFERRER_POLICY = "same-origin"
# Another site's window opened from ours (or ours opened from it) gets no handle on our pages.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script, no eval, no style attribute, nothing from another origin (docs/security.md). A template
# that truly needs an inline <script> gives it nonce="{{ request.csp_nonce }}"; data for a script goes in
# {{ value|json_script:"id" }}, which is not executed and needs no nonce. No report endpoint: the browser
# tier (tests/browser/test_csp.py) visits every kind of page and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the icons inside Bootstrap's CSS are data: URLs
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Whatever a library logs, a mobile number never reaches the log in full (liaison.privacy).
    "filters": {"mask_mobiles": {"()": "liaison.privacy.MaskMobilesFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_mobiles"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per task is noise at the station's scale; failures still log.
    "loggers": {"celery.app.trace": {"level": "WARNING"}, "kombu": {"level": "WARNING"},
                # A line per login is noise; failures and lockouts are warnings and still show.
                "axes": {"level": "WARNING"}},
}
