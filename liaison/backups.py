"""One backup = one .tar.gz: the database dump, both media trees and a manifest (docs/operations.md "Backups").

Members: `database.sqlite3` or `database.pgdump`, `media/...` (settings.MEDIA_ROOT: uploads, QR images),
`private-media/...` (STORAGES["private"]: constituents' photos), and `manifest.json` last, which holds the
SHA-256 of every other member so a restore can refuse a damaged or altered archive before touching anything.
"""

import glob
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"


def media_roots() -> dict[str, Path]:
    """Archive prefix -> folder on disk."""
    private = settings.STORAGES["private"]["OPTIONS"]["location"]
    return {"media": Path(settings.MEDIA_ROOT), "private-media": Path(private)}


def dump_name(vendor: str) -> str:
    if vendor not in ("sqlite", "postgresql"):
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return "database.sqlite3" if vendor == "sqlite" else "database.pgdump"


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    while chunk := file.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return sha256_of(file)


def known_migrations() -> set[str]:
    """The migrations this code has on disk, as "app.name"."""
    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def pg_bin(name: str) -> str:
    # The newest Debian postgresql-client first (as tests/services.py finds it): pg_dump refuses a newer server.
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found[-1]:
        raise CommandError(f"{name} is missing: install the postgresql-client package.")
    return found[-1]


def _pg_command(name: str, database: dict, *args: str) -> tuple[list[str], dict]:
    command = [pg_bin(name), "--no-password", f"--dbname={database['NAME']}", *args]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command.append(f"{option}={database[key]}")
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}  # never on the command line (ps shows it)
    return command, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, check=False, env=env, capture_output=True, text=True)
    if result.returncode:
        raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.returncode}")


def database_dump(connection, target: Path) -> None:
    """A consistent copy of the live database, taken while the station keeps writing."""
    if connection.in_atomic_block:
        # SQLite's backup would wait for ever on its own open transaction; a dump must hold committed rows only.
        raise CommandError("Run the backup outside a transaction.")
    if connection.vendor == "sqlite":
        # SQLite's online backup reads one snapshot (a WAL reader never blocks writers); copying the file
        # itself could catch a page half-written or miss what is still in the -wal file.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
    else:
        # pg_dump runs in one repeatable-read transaction: one snapshot, concurrent writes go on.
        _run(*_pg_command("pg_dump", connection.settings_dict, "--format=custom", f"--file={target}"))


def database_restore(connection, dump: Path) -> None:
    """Replace the database's contents with the dump's; all or nothing."""
    if connection.vendor == "sqlite":
        # Written page by page into the live connection in one transaction, so other processes see the old
        # database or the new one; replacing the file under them would break their open -wal files.
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # pg_restore drops and recreates the tables: no session of ours may hold them
        _run(*_pg_command("pg_restore", connection.settings_dict, "--clean", "--if-exists", "--no-owner",
                          "--single-transaction", "--exit-on-error", str(dump)))
    connection.close()
    # The restored rows were not written through Django: no cached public page or account access may
    # outlive them.
    from liaison import access
    from liaison.models import PagesStamp
    from liaison.public_pages import forget_stamps

    if PagesStamp._meta.db_table in connection.introspection.table_names():
        forget_stamps(using=connection.alias)
    if connection.alias == "default":
        access.changed(None)
