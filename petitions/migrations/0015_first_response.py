from django.db import migrations, models
from django.db.models import Min, OuterRef, Q, Subquery


def backfill(apps, schema_editor):
    """A concern's first response, read once from its timeline (petitions.services keeps it from now on)."""
    Concern = apps.get_model("petitions", "Concern")
    ConcernEvent = apps.get_model("petitions", "ConcernEvent")
    answers = ConcernEvent.objects.filter(
        Q(kind="transition", from_status="submitted") | Q(kind="progress"), concern=OuterRef("pk"),
    ).exclude(actor_role__in=["constituent", "system"])
    first = answers.order_by().values("concern").annotate(first=Min("created_at")).values("first")
    Concern.objects.filter(first_response_at__isnull=True).update(first_response_at=Subquery(first))


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0014_suggestion_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="first_response_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="first responded at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
