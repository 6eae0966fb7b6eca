"""Restore a `manage.py backup` archive: `manage.py restore ARCHIVE [--force]`.

Checks everything before changing anything: every member's SHA-256 against the manifest, the database vendor,
that this code knows every migration the backup has, and that the target database is empty (`--force` to
replace a station's data). Then the media FIRST and the database AFTER, the backup's order mirrored: a
restored row never names a file that is not there yet, even for a station already serving requests.
Existing media files of the same name are overwritten; other files are left alone.
"""

import json
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from liaison import backups


def _opened(archive: str) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise CommandError(f"Cannot read {archive}: {exc}") from exc


class Command(BaseCommand):
    help = "Restore the database and the media from an archive made by `manage.py backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="the .tar.gz file made by manage.py backup")
        parser.add_argument("--force", action="store_true",
                            help="replace the data of a database that is not empty (the current data is lost)")

    def handle(self, *args, archive: str, force: bool, **options) -> None:
        with _opened(archive) as tar, tempfile.TemporaryDirectory() as scratch:
            manifest = self._verified_manifest(tar)
            self._check_target(manifest, force)
            roots = backups.media_roots()
            for member in tar.getmembers():
                prefix, _, relative = member.name.partition("/")
                if prefix in roots and member.isfile():
                    # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
                    tar.extract(member.replace(name=relative, deep=False), roots[prefix], filter="data")
            tar.extract(manifest["database"], scratch, filter="data")
            backups.database_restore(connection, Path(scratch) / manifest["database"])
        files = manifest["files"]
        self.stdout.write(f"Restored the database and {sum(files.values())} files from the backup of "
                          f"{manifest['created_at']}.")
        if self._unapplied(manifest):
            self.stdout.write("This code has newer migrations than the backup: run `manage.py migrate` now.")

    def _verified_manifest(self, tar: tarfile.TarFile) -> dict:
        try:
            manifest = json.load(tar.extractfile(backups.MANIFEST))
        except (KeyError, ValueError) as exc:
            raise CommandError("This is not a backup made by `manage.py backup` (no readable manifest).") from exc
        if manifest.get("format") != backups.FORMAT:
            raise CommandError(f"Unknown backup format {manifest.get('format')!r}; this code reads {backups.FORMAT}.")
        expected, found = manifest["sha256"], {}
        for member in tar.getmembers():
            if member.isfile() and member.name != backups.MANIFEST:
                found[member.name] = backups.sha256_of(tar.extractfile(member))
        if damaged := sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name)):
            raise CommandError(f"The archive is damaged or altered ({len(damaged)} files differ from its manifest, "
                               f"e.g. {damaged[0]}); nothing was restored.")
        return manifest

    def _check_target(self, manifest: dict, force: bool) -> None:
        if manifest["vendor"] != connection.vendor:
            raise CommandError(f"The backup is of a {manifest['vendor']} database; DATABASE_URL names a "
                               f"{connection.vendor} one. Restore into the same kind of database.")
        if unknown := sorted(set(manifest["migrations"]) - backups.known_migrations()):
            raise CommandError(f"The backup was made by newer code (it has the migration {unknown[0]}, which this "
                               f"code lacks). Restore with the code the backup was made with.")
        if connection.introspection.table_names() and not force:
            raise CommandError(f"The database {connection.settings_dict['NAME']} is not empty. Restoring replaces "
                               f"its data: run again with --force if that is what you want.")

    def _unapplied(self, manifest: dict) -> bool:
        return bool(backups.known_migrations() - set(manifest["migrations"]))
