import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "liaison.settings",
    "DEBUG": "false",
    "SECRET_KEY": "x7#Kq2!vL9@mP4$wR8^tY1&uI5*oA3(sD6)fG0-hJ_zXcVbNm+QwErTy",
    "ALLOWED_HOSTS": "station.example.cn",
    "SITE_URL": "https://station.example.cn",
    # Not the checkout's db.sqlite3: after `make run` it holds the demo accounts, which the deploy check refuses.
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only the machine's basics: the test run's own settings must not leak into "production".
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_defaults_are_chinese_shanghai_sqlite_and_eager(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if not os.environ.get("REDIS_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_nonsense_boolean_setting_fails_loudly(value):
    result = _manage("check", **{**PRODUCTION_ENV, "DEBUG": value})

    assert result.returncode != 0


def test_production_refuses_to_start_without_a_site_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_the_site_url_host_is_always_allowed():
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS)", **PRODUCTION_ENV)

    assert result.stdout.strip().splitlines()[-1] == "['station.example.cn']"


def test_redis_cache_uses_another_database_than_the_broker():
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    code = "from django.conf import settings; print(settings.CELERY_BROKER_URL, settings.CACHES['default']['LOCATION'])"

    result = _manage("shell", "-c", code, **env)

    assert result.stdout.strip().splitlines()[-1].split() == ["redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"]


def test_the_duplicate_window_is_thirty_minutes_unless_the_environment_says_otherwise():
    code = "from django.conf import settings; print(settings.DUPLICATE_WINDOW_MINUTES)"

    default = _manage("shell", "-c", code, **PRODUCTION_ENV)
    set_to_five = _manage("shell", "-c", code, **PRODUCTION_ENV, DUPLICATE_WINDOW_MINUTES="5")

    assert default.stdout.strip().splitlines()[-1] == "30"
    assert set_to_five.stdout.strip().splitlines()[-1] == "5"


def test_an_sms_backend_that_cannot_be_imported_stops_the_start(settings):
    from django.core.checks import run_checks

    settings.SMS_BACKEND = "petitions.sms.HttpGatewaySmsBackend"  # the path before the outbox moved

    assert [error.id for error in run_checks()] == ["liaison.E001"]
