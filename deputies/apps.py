from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from liaison import roles

        roles.menu_register(key="directory", url_name="deputies:directory", label=_("Deputies"), order=10, desk=False)
        roles.menu_register(key="window", url_name="deputies_staff:window", label=_("Image window"),
                            perm="deputies.print_window", order=50, desk=False)
        roles.menu_register(key="import", url_name="deputies_staff:import", label=_("Import"),
                            perm="deputies.import_deputies", order=51, desk=False)
        roles.menu_register(key="my_report", url_name="deputies_staff:my_report", label=_("My work report"),
                            roles={roles.DEPUTY}, order=32)
