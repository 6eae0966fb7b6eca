"""deploy/ checked without root: the environment file names what the settings read, the units run
commands that exist, beat runs once, and nginx lets through the largest upload the app accepts."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from liaison import photos

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
# Without these a production host does not run as the README describes (README.md, "Deploying").
REQUIRED = {"DEBUG", "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "STATIC_ROOT",
            "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "SERVE_MEDIA", "CLIENT_IP_HEADER", "DEMO_MODE"}


def settings_variables() -> set[str]:
    source = (ROOT / "liaison" / "settings.py").read_text()
    return set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source)) | set(
        re.findall(r'\benv_bool\(\s*"([A-Z0-9_]+)"', source)) | set(re.findall(r'"([A-Z0-9_]+)" in env\b', source))


def example() -> tuple[dict[str, str], set[str]]:
    """The set variables with their values, and the names only shown in comments (defaults)."""
    active, commented = {}, set()
    for line in (DEPLOY / "liaison.env.example").read_text().splitlines():
        if match := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            active[match[1]] = match[2]
        elif match := re.fullmatch(r"# ([A-Z][A-Z0-9_]*)=.*", line):
            commented.add(match[1])
    return active, commented


def directives(text: str, name: str) -> list[str]:
    """The values of `name=` in a unit file, continuation lines joined."""
    text = text.replace("\\\n", " ")
    return [re.sub(r"\s+", " ", value).strip() for value in re.findall(rf"^{name}=(.*)$", text, re.M)]


def unit(name: str) -> str:
    return (DEPLOY / name).read_text()


def test_the_example_names_every_variable_the_settings_read_and_no_other():
    active, commented = example()
    read = settings_variables()
    assert "SECRET_KEY" in read and "EMAIL_URL" in read  # the patterns still find the settings' reads
    assert set(active) - read == set(), "set in the example, never read"
    assert commented - read == set(), "shown in the example, never read"
    assert read - set(active) - commented == set(), "read by the settings, missing from the example"
    assert REQUIRED - set(active) == set()
    assert not set(active) & commented


def test_the_example_holds_placeholders_not_secrets():
    active, _ = example()
    for name in ("SECRET_KEY", "SMS_GATEWAY_TOKEN"):
        assert active[name].startswith("<"), name
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert "<password>" in active[name], name


def test_the_example_starts_the_settings_for_production(tmp_path):
    """Placeholders filled in, the file alone (no other variable) loads the settings as a host behind nginx."""
    active, _ = example()
    env = {name: re.sub(r"<[^>]*>", "placeholder", value) for name, value in active.items()}
    env["SECRET_KEY"] = "k" * 60
    env.update(PATH=os.environ["PATH"], DJANGO_SETTINGS_MODULE="liaison.settings")
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SERVE_MEDIA, s.DEMO_MODE, s.CLIENT_IP_HEADER, s.SECURE_PROXY_SSL_HEADER[0], "
            "s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], s.DATABASES['default']['ENGINE'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_PROTO",
                                     "RedisCache", "django.db.backends.postgresql"]


def test_every_unit_reads_the_environment_file_and_runs_from_the_virtualenv():
    assert {path.name for path in UNITS} == {"liaison-web.service", "liaison-worker.service",
                                             "liaison-beat.service", "liaison-migrate.service"}
    commands = get_commands()
    for path in UNITS:
        text = path.read_text()
        assert directives(text, "EnvironmentFile") == ["/etc/liaison/liaison.env"], path.name
        assert directives(text, "User") == ["liaison"], path.name
        assert directives(text, "NoNewPrivileges") == ["yes"], path.name
        assert directives(text, "ProtectSystem") == ["strict"], path.name
        for command in directives(text, "ExecStartPre") + directives(text, "ExecStart"):
            program, *args = command.split()
            assert program.startswith("/srv/liaison/.venv/bin/"), command
            assert (ROOT / ".venv" / "bin" / Path(program).name).exists(), command
            if Path(program).name == "python":
                assert args[0] == "manage.py" and args[1] in commands, command


def test_gunicorn_serves_the_wsgi_module_as_make_run_does():
    [command] = directives(unit("liaison-web.service"), "ExecStart")
    assert command.split()[1] == "liaison.wsgi"
    assert importlib.util.find_spec("liaison.wsgi")
    run = re.search(r"gunicorn liaison\.wsgi .*", (ROOT / "Makefile").read_text())[0]
    for option in ("--workers", "--threads"):
        assert re.search(rf"{option} (\d+)", command)[1] == re.search(rf"{option} (\d+)", run)[1], option
    assert "--bind 127.0.0.1:8000" in command


def test_celery_units_name_the_app_and_beat_runs_in_exactly_one():
    assert importlib.util.find_spec("liaison.celery")
    runs = {path.name: " ".join(directives(path.read_text(), "ExecStart")) for path in UNITS}
    assert "-A liaison worker" in runs["liaison-worker.service"]
    assert [name for name, command in runs.items() if re.search(r"\bbeat\b", command)] == ["liaison-beat.service"]
    schedule = re.search(r"--schedule=(\S+)", runs["liaison-beat.service"])[1]
    state = directives(unit("liaison-beat.service"), "StateDirectory")[0]
    assert Path(schedule).parent == Path("/var/lib") / state


def test_the_units_may_write_the_directories_of_the_environment_file():
    active, _ = example()
    web = directives(unit("liaison-web.service"), "ReadWritePaths")[0].split()
    worker = directives(unit("liaison-worker.service"), "ReadWritePaths")[0].split()
    assert {active["MEDIA_ROOT"], active["PRIVATE_MEDIA_ROOT"], active["STATIC_ROOT"]} <= set(web)
    assert {active["MEDIA_ROOT"], active["PRIVATE_MEDIA_ROOT"]} <= set(worker)


def nginx() -> str:
    return (DEPLOY / "nginx-liaison.conf").read_text()


def size_in_bytes(value: str) -> int:
    number, unit_ = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_.lower()]


def test_nginx_takes_the_largest_upload_the_app_accepts():
    [limit] = re.findall(r"client_max_body_size\s+(\w+);", nginx())
    # Six photos at their largest, with a megabyte for the form's other fields and the multipart framing.
    largest = max(photos.MAX_PHOTOS * photos.MAX_BYTES, settings.STUDY_PDF_MAX_BYTES) + 1024**2
    assert size_in_bytes(limit) >= largest


def test_nginx_serves_static_and_public_media_from_the_environment_file_and_never_private_media():
    active, _ = example()
    conf = nginx()
    aliases = dict(re.findall(r"location (/\w+/) \{\s*alias (\S+);", conf))
    assert aliases == {"/static/": active["STATIC_ROOT"] + "/", "/media/": active["MEDIA_ROOT"] + "/"}
    assert active["PRIVATE_MEDIA_ROOT"] not in conf
    assert active["SERVE_MEDIA"] == "false"


def test_nginx_sets_the_headers_the_app_trusts():
    conf = nginx()
    header = settings.SECURE_PROXY_SSL_HEADER[0].removeprefix("HTTP_").replace("_", "-")
    assert re.search(rf"proxy_set_header {header} \$scheme;", conf, re.I)
    client = example()[0]["CLIENT_IP_HEADER"].removeprefix("HTTP_").replace("_", "-")
    assert re.search(rf"proxy_set_header {client} \$remote_addr;", conf, re.I)
    assert "proxy_set_header Host $host;" in conf


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (not a test dependency)")
def test_nginx_accepts_the_site(tmp_path):
    """nginx -t on the site with a throw-away certificate: only where nginx happens to be installed."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"], check=True, capture_output=True)
    site = nginx().replace("/etc/ssl/liaison/fullchain.pem", str(tmp_path / "cert.pem")).replace(
        "/etc/ssl/liaison/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n")
    result = subprocess.run(["nginx", "-t", "-c", tmp_path / "nginx.conf", "-e", tmp_path / "error.log"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
