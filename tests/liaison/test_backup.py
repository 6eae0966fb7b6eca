"""manage.py backup / restore (docs/operations.md "Backups").

The main test runs a station in other processes (tests/liaison/backup_station.py) on a real database: SQLite
in the embedded tier, PostgreSQL in the PostgreSQL tier (each variant is skipped in the other). It backs up
while concerns with photos keep being filed, restores into a fresh database and fresh media folders, and finds
every row of the backup and every file those rows name, byte for byte.
"""

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""


class Station:
    """One database and its two media folders, driven through manage.py in subprocesses."""

    def __init__(self, folder: Path, vendor: str) -> None:
        self.media, self.private = folder / "media", folder / "private"
        self.media.mkdir(parents=True)
        self.private.mkdir()
        if vendor == "sqlite":
            self.url = f"sqlite:///{folder / 'station.sqlite3'}"
        else:
            self.url = urlparse(PG_URL)._replace(path=f"/backup_{uuid.uuid4().hex[:12]}").geturl()
            with _admin() as admin:
                admin.execute(f'CREATE DATABASE "{urlparse(self.url).path[1:]}"')

    def env(self) -> dict:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": self.url,
               "TEST_MEDIA_ROOT": str(self.media), "TEST_PRIVATE_MEDIA_ROOT": str(self.private)}
        env.pop("REDIS_URL", None)  # tasks (the QR images) run in-process, as in the embedded default
        return env

    def run(self, *args: str) -> str:
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env(), capture_output=True, text=True,
                                timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def rows(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(urlparse(self.url).path) as database:
                return database.execute(sql).fetchall()
        with psycopg.connect(self.url) as database:
            return database.execute(sql).fetchall()

    def drop(self) -> None:
        if not self.url.startswith("sqlite"):
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{urlparse(self.url).path[1:]}" WITH (FORCE)')


def _admin() -> psycopg.Connection:
    return psycopg.connect(urlparse(PG_URL)._replace(path="/postgres").geturl(), autocommit=True)


def _wait_for(path: Path, at_least: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        count = int(path.read_text()) if path.exists() else 0
        if count >= at_least:
            return count
        time.sleep(0.05)
    pytest.fail(f"the writer did not reach {at_least} filings")


@pytest.mark.parametrize("vendor", [
    pytest.param("sqlite", marks=pytest.mark.skipif(bool(PG_URL), reason="the embedded tier's variant")),
    pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="the PostgreSQL tier's variant")),
])
def test_a_backup_taken_during_writes_restores_every_row_and_file(tmp_path, vendor):
    source, fresh = Station(tmp_path / "source", vendor), Station(tmp_path / "fresh", vendor)
    try:
        source.run("manage.py", "migrate", "-v0")
        source.run("-m", "tests.liaison.backup_station", "seed")
        (tmp_path / "writer").mkdir()
        writer = subprocess.Popen([sys.executable, "-m", "tests.liaison.backup_station", "write",
                                   str(tmp_path / "writer")], cwd=ROOT, env=source.env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(tmp_path / "writer" / "filed", at_least=2)
            source.run("manage.py", "backup", str(tmp_path / "station.tar.gz"))
            # Writes go on after the dump too, so the source ends up with concerns the backup must not have.
            _wait_for(tmp_path / "writer" / "filed", at_least=_wait_for(tmp_path / "writer" / "filed", at_least=0) + 2)
        finally:
            (tmp_path / "writer" / "stop").touch()
            _, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors

        fresh.run("manage.py", "restore", str(tmp_path / "station.tar.gz"))

        _assert_restored(source, fresh)
    finally:
        source.drop()
        fresh.drop()


def _assert_restored(source: Station, fresh: Station) -> None:
    ids = "SELECT id FROM {} ORDER BY id"
    restored = [pk for pk, in fresh.rows(ids.format("petitions_concern"))]
    filed = [pk for pk, in source.rows(ids.format("petitions_concern"))]
    # One writer commits in id order, so a consistent snapshot is every concern up to some point: no gaps.
    assert restored == [pk for pk in filed if pk <= restored[-1]]
    assert 5 + 2 <= len(restored) < len(filed)  # the seeded ones, some filed during the backup, not those after
    for table in ("petitions_concernevent", "petitions_concernphoto", "petitions_constituent", "deputies_deputy"):
        assert {pk for pk, in fresh.rows(ids.format(table))} <= {pk for pk, in source.rows(ids.format(table))}
    # Each concern was filed with one photo in one transaction: the snapshot has both or neither.
    assert fresh.rows("SELECT concern_id FROM petitions_concernphoto ORDER BY concern_id") == [(pk,) for pk in restored]

    names = [(fresh.private, source.private, name) for name, in fresh.rows("SELECT image FROM petitions_concernphoto")]
    for png, svg in fresh.rows("SELECT qr_png, qr_svg FROM deputies_deputy"):
        names += [(fresh.media, source.media, png), (fresh.media, source.media, svg)]
    assert len(names) == len(restored) + 2
    for restored_root, source_root, name in names:
        assert (restored_root / name).read_bytes() == (source_root / name).read_bytes(), name


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, tmp_path):
    call_command("backup", str(tmp_path))
    (archive,) = tmp_path.glob("liaison-backup-*.tar.gz")
    with pytest.raises(CommandError, match="not empty.*--force"):
        call_command("restore", str(archive))


def test_restore_refuses_an_altered_archive_before_changing_anything(transactional_db, tmp_path, settings):
    Path(settings.MEDIA_ROOT, "notice.txt").write_text("original")
    call_command("backup", str(tmp_path / "good.tar.gz"))
    with tarfile.open(tmp_path / "good.tar.gz") as good, tarfile.open(tmp_path / "bad.tar.gz", "w:gz") as bad:
        for member in good.getmembers():
            content = good.extractfile(member).read()
            if member.name == "media/notice.txt":
                content = b"altered!"
            member.size = len(content)
            bad.addfile(member, io.BytesIO(content))
    Path(settings.MEDIA_ROOT, "notice.txt").write_text("current")

    with pytest.raises(CommandError, match="damaged or altered.*media/notice.txt"):
        call_command("restore", str(tmp_path / "bad.tar.gz"), force=True)
    assert Path(settings.MEDIA_ROOT, "notice.txt").read_text() == "current"


def test_backup_never_overwrites_an_earlier_one(db, tmp_path):
    (tmp_path / "station.tar.gz").write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "station.tar.gz"))
    assert (tmp_path / "station.tar.gz").read_bytes() == b"an earlier backup"
