"""A notification is about any record, not only a concern: the outbox is moving to liaison/, which knows no app."""

import django.db.models.deletion
from django.db import migrations, models


def concern_to_subject(apps, schema_editor):
    Notification = apps.get_model("petitions", "Notification")
    if not Notification.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    concern_type, _ = ContentType.objects.get_or_create(app_label="petitions", model="concern")
    Notification.objects.filter(concern__isnull=False).update(
        subject_type=concern_type, subject_id=models.F("concern_id")
    )


def subject_to_concern(apps, schema_editor):
    Notification = apps.get_model("petitions", "Notification")
    Notification.objects.filter(subject_type__app_label="petitions", subject_type__model="concern").update(
        concern_id=models.F("subject_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("petitions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                to="contenttypes.contenttype", verbose_name="about (kind)",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="about (number)"),
        ),
        migrations.RunPython(concern_to_subject, subject_to_concern),
        migrations.RemoveField(model_name="notification", name="concern"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ),
    ]
