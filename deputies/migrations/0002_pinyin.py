from django.db import migrations, models

from deputies.pinyin import name_sort_key


def fill_name_pinyin(apps, schema_editor):
    Deputy = apps.get_model("deputies", "Deputy")
    for deputy in Deputy.objects.only("pk", "name").iterator():
        Deputy.objects.filter(pk=deputy.pk).update(name_pinyin=name_sort_key(deputy.name))


class Migration(migrations.Migration):
    """The directory in pinyin order (deputies.pinyin): a sort key kept on the row, indexed with the level."""

    dependencies = [
        ("deputies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="deputy",
            name="name_pinyin",
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name="name in pinyin"),
        ),
        migrations.RunPython(fill_name_pinyin, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="deputy",
            options={
                "ordering": ["level", "name_pinyin"],
                "permissions": [
                    ("import_deputies", "Can import deputies from a spreadsheet"),
                    ("print_window", "Can print the deputy image window"),
                ],
                "verbose_name": "deputy",
                "verbose_name_plural": "deputies",
            },
        ),
        migrations.RemoveIndex(model_name="deputy", name="deputy_directory_idx"),
        migrations.AddIndex(
            model_name="deputy",
            index=models.Index(fields=["is_active", "level", "name_pinyin"], name="deputy_directory_idx"),
        ),
    ]
