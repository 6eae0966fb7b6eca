"""A station in its own process for tests/liaison/test_backup.py, on the DATABASE_URL and media folders it is given.

    python -m tests.liaison.backup_station seed           a deputy (with its QR images) and five concerns with photos
    python -m tests.liaison.backup_station write FOLDER   files concerns with a photo, one after another, writing the
                                                          count to FOLDER/filed after each, until FOLDER/stop exists

Its own process, because the backup must run against a real database file (or PostgreSQL database) while
someone else writes to it, as at a station; pytest's test database is in memory and inside a transaction.
"""

import io
import sys
from pathlib import Path


def _photo(n: int):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (n % 256, 80, 160)).save(buffer, "JPEG")  # each photo's bytes differ
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def seed() -> None:
    from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory

    deputy = DeputyFactory()  # the QR task runs in-process on commit (no REDIS_URL): the images are written now
    deputy.refresh_from_db()
    assert deputy.qr_png and deputy.qr_svg, "the deputy's QR images were not made"
    category = CategoryFactory()
    for n in range(5):
        ConcernFactory(deputy=deputy, category=category, content=f"seeded {n}", mobile=f"1350000{n:04d}",
                       photos=[_photo(n)])


def write(folder: Path) -> None:
    from deputies.models import Deputy
    from petitions.models import Category
    from tests.factories import ConcernFactory

    deputy, category = Deputy.objects.get(), Category.objects.get()
    n = 0
    while not (folder / "stop").exists():
        n += 1
        ConcernFactory(deputy=deputy, category=category, content=f"written during the backup {n}",
                       mobile=f"1360000{n % 10000:04d}", photos=[_photo(n)])
        # Written aside and renamed, so the test never reads a half-written count.
        (folder / "filed.new").write_text(str(n))
        (folder / "filed.new").replace(folder / "filed")


if __name__ == "__main__":
    import django

    django.setup()
    from liaison.scoping import county_wide

    with county_wide():
        seed() if sys.argv[1] == "seed" else write(Path(sys.argv[2]))
