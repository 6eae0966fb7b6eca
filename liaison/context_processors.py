from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def station(request: HttpRequest) -> dict:
    return {
        "SITE_URL": settings.SITE_URL,
        "STATION_NAME": settings.STATION_NAME or _("Baita Town Deputy Liaison Station"),
    }
