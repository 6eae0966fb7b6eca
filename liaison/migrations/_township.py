"""Shared by the migrations that gave every row a township (the loader skips modules named with "_")."""

from django.conf import settings


def the_default_township(apps):
    """The county's default township, made with the settings the station ran on if there is none yet."""
    Township = apps.get_model("liaison", "Township")
    township = Township.objects.filter(is_default=True).first()
    if township is None:
        county, _ = apps.get_model("liaison", "County").objects.get_or_create(
            code="xianju", defaults={"name": "仙居县"})
        township = Township.objects.create(
            county=county, name="白塔镇", code="baita", is_default=True,
            station_name=settings.STATION_NAME or "白塔镇人大代表联络站",
            escalation_mobiles=",".join(getattr(settings, "ESCALATION_MOBILES", [])),
            accept_within_working_days=getattr(settings, "ACCEPT_WITHIN_WORKING_DAYS", 2),
            reminder_working_days=getattr(settings, "REMINDER_WORKING_DAYS", 1),
            auto_close_days=getattr(settings, "AUTO_CLOSE_DAYS", 14),
        )
    return township
