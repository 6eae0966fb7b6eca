from django.db import migrations


class Migration(migrations.Migration):
    """The models now live in liaison/ (liaison 0002); their tables are kept and renamed there."""

    dependencies = [
        ("petitions", "0002_notification_subject"),
        ("liaison", "0002_calendar_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CalendarDay"),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
