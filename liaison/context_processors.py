from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def station(request: HttpRequest) -> dict:
    from petitions.access import user_roles

    return {
        "SITE_URL": settings.SITE_URL,
        "user_roles": user_roles(request.user) if hasattr(request, "user") else set(),
        "STATION_NAME": settings.STATION_NAME or _("Baita Town Deputy Liaison Station"),
    }
