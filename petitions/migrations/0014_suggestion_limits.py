"""Suggestions: a public code for the public pages, the lead unit's last day to return one, and each
co-handling unit's view deadline with its reminder and escalation marks (docs/suggestions.md)."""

import secrets

from django.db import IntegrityError, migrations, models, transaction

# The alphabet and length of deputies.codes (copied: a migration must not follow later code changes).
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 7


def issue_codes(apps, schema_editor):
    """Every existing suggestion gets a code, recorded as issued so it is never handed out again."""
    IssuedCode = apps.get_model("deputies", "IssuedCode")
    Suggestion = apps.get_model("petitions", "Suggestion")
    for suggestion in Suggestion.objects.filter(code__isnull=True).only("pk"):
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            try:
                with transaction.atomic():
                    IssuedCode.objects.create(code=code)
                break
            except IntegrityError:
                continue
        Suggestion.objects.filter(pk=suggestion.pk).update(code=code)


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0007_activities"),
        ("petitions", "0013_suggestions"),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="code",
            field=models.CharField(editable=False, max_length=16, null=True, unique=True, verbose_name="public code"),
        ),
        migrations.RunPython(issue_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="suggestion",
            name="code",
            field=models.CharField(editable=False, max_length=16, unique=True, verbose_name="public code"),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="return_by",
            field=models.DateField(blank=True, null=True, verbose_name="may be returned until"),
        ),
        migrations.AddField(
            model_name="suggestionunit",
            name="view_by",
            field=models.DateField(blank=True, null=True, verbose_name="view due by"),
        ),
        migrations.AddField(
            model_name="suggestionunit",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reminded"),
        ),
        migrations.AddField(
            model_name="suggestionunit",
            name="escalated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="escalated"),
        ),
    ]
