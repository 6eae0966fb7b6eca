"""The state holidays and make-up working days of 2026 and 2027, so every install counts deadlines in
working days from its first start (county-wide; staff correct and extend them in the admin).

2026 follows the State Council's notice. 2027 is provisional (marked so, and the admin warns until
staff confirm it): the statutory days of the 2025 rules on the usual pattern. Rows staff already
keep are left as they are.
"""

import datetime

from django.db import migrations, models

# (first day off, last day off, name, make-up working days)
HOLIDAYS = [
    ("2026-01-01", "2026-01-03", "元旦", ["2026-01-04"]),
    ("2026-02-15", "2026-02-23", "春节", ["2026-02-14", "2026-02-28"]),
    ("2026-04-04", "2026-04-06", "清明节", []),
    ("2026-05-01", "2026-05-05", "劳动节", ["2026-05-09"]),
    ("2026-06-19", "2026-06-21", "端午节", []),
    ("2026-09-25", "2026-09-27", "中秋节", []),
    ("2026-10-01", "2026-10-07", "国庆节", ["2026-09-20", "2026-10-10"]),
    ("2027-01-01", "2027-01-03", "元旦", []),
    ("2027-02-05", "2027-02-13", "春节", ["2027-01-31", "2027-02-20"]),
    ("2027-04-03", "2027-04-05", "清明节", []),
    ("2027-05-01", "2027-05-05", "劳动节", ["2027-04-25"]),
    ("2027-06-09", "2027-06-09", "端午节", []),
    ("2027-09-15", "2027-09-15", "中秋节", []),
    ("2027-10-01", "2027-10-07", "国庆节", ["2027-09-26", "2027-10-09"]),
]


def load(apps, schema_editor):
    CalendarDay = apps.get_model("liaison", "CalendarDay")
    for first, last, name, makeups in HOLIDAYS:
        day, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        while day <= end:
            CalendarDay.objects.get_or_create(
                date=day, defaults={"is_workday": False, "name": name, "is_provisional": day.year >= 2027}
            )
            day += datetime.timedelta(days=1)
        for makeup in makeups:
            day = datetime.date.fromisoformat(makeup)
            CalendarDay.objects.get_or_create(
                date=day, defaults={"is_workday": True, "name": f"{name}调休上班", "is_provisional": day.year >= 2027}
            )


class Migration(migrations.Migration):
    dependencies = [("liaison", "0003_calendar_outbox_tables")]
    operations = [
        migrations.AddField(
            model_name="calendarday",
            name="is_provisional",
            field=models.BooleanField(
                default=False, help_text="Untick once checked against the State Council's notice.",
                verbose_name="provisional",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
