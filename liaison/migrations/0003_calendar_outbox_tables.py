from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0002_calendar_outbox"),
        ("petitions", "0003_calendar_outbox_to_liaison"),
    ]

    operations = [
        migrations.AlterModelTable(name="calendarday", table=None),
        migrations.AlterModelTable(name="notification", table=None),
    ]
