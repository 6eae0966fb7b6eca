"""Back up the database and both media trees into one file: `manage.py backup [PATH or FOLDER]`.

Safe while the station runs. The database is dumped FIRST, the media copied AFTER: a row is committed only
after the file it names has been written (a photo is saved inside the filing's transaction, a QR image before
the row is switched to it), so every file a dumped row names was already on disk when the media copy began and
is in the archive. The one exception is a file deleted in between (a QR image replaced by a re-render, a photo
removed by retention): its row changed too, after the dump, and the restored row names the old file. The other
order would lose files: a row committed after the media copy, but before the dump, would name a file the
archive lacks. Files written after the dump are copied as well; no restored row names them, they are harmless.
"""

import hashlib
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from liaison import backups


class Command(BaseCommand):
    help = "Back up the database and the media (public and private) into one .tar.gz file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default=".",
                            help="the archive to write, or a folder to write liaison-backup-<time>.tar.gz in")

    def handle(self, *args, path: str, **options) -> None:
        started = timezone.now()
        target = Path(path)
        if target.is_dir():
            target = target / f"liaison-backup-{started:%Y%m%d-%H%M%S}.tar.gz"
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        if target.exists():
            raise CommandError(f"{target} already exists; a backup never overwrites another.")
        dump = backups.dump_name(connection.vendor)
        migrations = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
        # Written under a temporary name in the same folder and renamed at the end, so a file with the final
        # name is always a whole backup (a cron job killed midway leaves only a .part to delete).
        partial = target.with_name(f".{target.name}.part")
        try:
            with tempfile.TemporaryDirectory(dir=target.parent) as scratch, tarfile.open(partial, "w:gz") as tar:
                dump_path = Path(scratch) / dump
                backups.database_dump(connection, dump_path)
                checksums = {dump: backups.sha256(dump_path)}
                tar.add(dump_path, arcname=dump)
                counts = {prefix: self._add_tree(tar, root, prefix, checksums)
                          for prefix, root in backups.media_roots().items()}
                manifest = {"format": backups.FORMAT, "created_at": started.isoformat(), "vendor": connection.vendor,
                            "database": dump, "migrations": migrations, "files": counts, "sha256": checksums}
                manifest_path = Path(scratch) / backups.MANIFEST
                manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
                tar.add(manifest_path, arcname=backups.MANIFEST)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Backed up the {connection.vendor} database and {sum(counts.values())} files "
                          f"({counts['media']} public, {counts['private-media']} private) to {target}.")

    def _add_tree(self, tar: tarfile.TarFile, root: Path, prefix: str, checksums: dict) -> int:
        count = 0
        for folder, _dirs, files in os.walk(root):
            for name in sorted(files):
                path = Path(folder) / name
                arcname = f"{prefix}/{path.relative_to(root).as_posix()}"
                try:
                    with open(path, "rb") as file:
                        # The size is fixed from the open file: a file still being written (no dumped row
                        # names it yet) is copied as far as it got rather than failing the backup.
                        info = tar.gettarinfo(fileobj=file, arcname=arcname)
                        digest = _HashingReader(file)
                        tar.addfile(info, digest)
                except FileNotFoundError:
                    continue  # deleted since the walk listed it (a replaced QR image)
                checksums[arcname] = digest.hexdigest()
                count += 1
        return count


class _HashingReader:
    """Hashes exactly the bytes tarfile copies, in one read of the file."""

    def __init__(self, file) -> None:
        self._file, self._digest = file, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self._digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
