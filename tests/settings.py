"""Settings for the test suite: the real settings module, fed test-only environment.

The production tier sets DATABASE_URL and REDIS_URL itself (tests/services.py);
everything else runs on the embedded default.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SITE_URL", "https://station.example.cn")
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "false")  # the test client and the browser speak plain HTTP
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")

from liaison.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/liaison-test-media")
STORAGES["private"]["OPTIONS"]["location"] = os.environ.get("TEST_PRIVATE_MEDIA_ROOT", "/tmp/liaison-test-private")  # noqa: F405
# Serve static files from the source folders, as the browser tests need, without a collectstatic run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# live_server's request threads share SQLite's in-memory test database; persistent
# connections would be closed from the wrong thread when those threads end.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if REDIS_URL:  # noqa: F405
    # The production tier waits for a task's own result, not for its side effects to show up,
    # so "run twice, one effect" is asserted after both runs have really finished.
    from urllib.parse import urlparse

    _redis = urlparse(REDIS_URL)  # noqa: F405
    CELERY_RESULT_BACKEND = _redis._replace(path=f"/{int(_redis.path.strip('/') or 0) + 2}").geturl()

    # Between tests the tier empties every table, and the content types come back with new ids;
    # a long-lived worker would still hold the old ones in ContentType's cache (a real deployment
    # never renumbers them). Each task starts from the database's own.
    from celery.signals import task_prerun

    @task_prerun.connect(weak=False)
    def _fresh_content_types(**kwargs) -> None:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
