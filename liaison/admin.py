"""The admin under the station's own name, not "Django administration" (Django 管理)."""

from django.conf import settings
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _station_name() -> str:
    return settings.STATION_NAME or gettext("Baita Town Deputy Liaison Station")


# Lazy: read per page, in the page's language and with the settings of the moment.
admin.site.site_header = admin.site.site_title = lazy(_station_name, str)()
admin.site.index_title = _("Station administration")
