from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from liaison.roles import menu_for, user_roles


def station(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "SITE_URL": settings.SITE_URL,
        "user_roles": user_roles(user),
        # Lazy: pages without the header (print, screen) pay nothing for it.
        "menu": SimpleLazyObject(lambda: menu_for(user)),
        "STATION_NAME": settings.STATION_NAME or _("Baita Town Deputy Liaison Station"),
    }
