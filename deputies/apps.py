from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from liaison import roles

        roles.menu_register(key="directory", url_name="deputies:directory", label=_("Deputies"), order=10, desk=False)
        # Who may print or import is the permission in roles.PERMISSIONS: these are its holders.
        roles.menu_register(key="window", url_name="deputies_staff:window", label=_("Image window"),
                            roles={roles.STAFF, roles.OFFICIAL}, order=50, desk=False)
        roles.menu_register(key="import", url_name="deputies_staff:import", label=_("Import"),
                            roles={roles.STAFF}, order=51, desk=False)
