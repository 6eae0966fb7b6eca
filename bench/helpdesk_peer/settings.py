"""django-helpdesk 2.6 as its quick start sets it up, on the bench's PostgreSQL: the peer the station's public
pages are measured against (bench/helpdesk_peer.py). Django's default middleware; no cache but Django's own."""

import os
from urllib.parse import urlparse

_database = urlparse(os.environ["DATABASE_URL"])
SECRET_KEY = "bench-peer-" + "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.humanize",
    "rest_framework", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bench.helpdesk_peer.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": _database.path.lstrip("/"), "USER": _database.username,
    "HOST": _database.hostname, "PORT": _database.port, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True,
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
# The station queues its messages for a worker; the peer would send its e-mail inside the request. Neither
# bench measures a mail server: the peer's e-mail is built and dropped.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGIN_URL = "helpdesk:login"
# Teams need pinax-teams, an optional extra.
HELPDESK_TEAMS_MODE_ENABLED = False
