from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Livelihood projects")

    def ready(self) -> None:
        from liaison import roles

        desk = {roles.STAFF, roles.OFFICIAL}
        roles.menu_register(key="projects", url_name="projects_staff:sessions", label=_("Livelihood project votes"),
                            roles=desk, order=27)
        roles.menu_register(key="public_projects", url_name="projects:list", label=_("Livelihood projects"),
                            order=13, desk=False)
