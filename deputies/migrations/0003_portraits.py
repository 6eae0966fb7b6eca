import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import migrations, models
from PIL import Image

from deputies.portraits import PORTRAIT_SIZES, portrait_jpeg_sized

logger = logging.getLogger(__name__)


def make_portraits(apps, schema_editor):
    """Sized portraits for the photos already uploaded, named as deputies.services names them."""
    Deputy = apps.get_model("deputies", "Deputy")
    for deputy in Deputy.objects.exclude(photo="").iterator():
        storage = deputy.photo.storage
        photo = hashlib.sha1(deputy.photo.name.encode()).hexdigest()[:10]
        names = {}
        try:
            for kind, size in PORTRAIT_SIZES.items():
                with deputy.photo.open("rb") as photo:
                    content = portrait_jpeg_sized(photo, size)
                name = f"deputies/portraits/{deputy.pk}-{photo}-{size[0]}x{size[1]}.jpg"
                if storage.exists(name):
                    storage.delete(name)
                names[f"portrait_{kind}"] = storage.save(name, ContentFile(content))
        except (OSError, Image.DecompressionBombError):
            logger.warning("Deputy %s: no portraits made from %s.", deputy.pk, deputy.photo.name)
            continue
        Deputy.objects.filter(pk=deputy.pk).update(**names)


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0002_pinyin"),
    ]

    operations = [
        migrations.AddField(
            model_name="deputy",
            name="portrait_large",
            field=models.ImageField(blank=True, editable=False, upload_to="deputies/portraits/",
                                    verbose_name="portrait for the deputy's page"),
        ),
        migrations.AddField(
            model_name="deputy",
            name="portrait_small",
            field=models.ImageField(blank=True, editable=False, upload_to="deputies/portraits/",
                                    verbose_name="portrait for lists"),
        ),
        migrations.RunPython(make_portraits, migrations.RunPython.noop),
    ]
