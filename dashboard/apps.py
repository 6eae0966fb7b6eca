from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Cockpit and portal")

    def ready(self) -> None:
        from liaison import roles

        # Everyone's header (deputies see the deputies-only materials there too, marked read or not); the
        # back office's tab for those who write them.
        roles.menu_register(key="study", url_name="study:list", label=_("Study materials"), order=14, desk=False)
        roles.menu_register(key="cockpit", url_name="dashboard:cockpit", label=_("Cockpit"),
                            roles={roles.STAFF, roles.OFFICIAL}, order=19)
        roles.menu_register(key="study_office", url_name="study_staff:list", label=_("Study material management"),
                            roles={roles.STAFF, roles.OFFICIAL}, order=28)
