from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from liaison.county import county_choice
from liaison.roles import menu_for, user_roles


def station(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    township = getattr(request, "township", None)
    return {
        "SITE_URL": township.public_url if township else settings.SITE_URL,
        "township": township,
        # A county account's chooser in the header (liaison.county); None for everyone else.
        "county_choice": SimpleLazyObject(lambda: county_choice(request)),
        "user_roles": user_roles(user),
        # Lazy: pages without the header (print, screen) pay nothing for it.
        "menu": SimpleLazyObject(lambda: menu_for(user)),
        "DEMO_MODE": settings.DEMO_MODE,  # the demo banner (base.html)
        "STATION_NAME": township.station_name if township else _station_or_county(request),
    }


def _station_or_county(request: HttpRequest) -> str:
    # No single township: a county account looking at the whole county.
    choice = county_choice(request)
    if choice is not None:
        return _("%(county)s people's congress") % {"county": choice["county"]}
    return settings.STATION_NAME or _("Baita Town Deputy Liaison Station")
