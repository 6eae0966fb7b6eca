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
        # A supervising deputy comments and every township deputy rates; a handler's unit carries projects out.
        roles.menu_register(key="my_projects", url_name="projects_staff:progress", label=_("Project progress"),
                            roles={roles.DEPUTY, roles.HANDLER}, order=34)
        roles.menu_register(key="public_projects", url_name="projects:list", label=_("Livelihood projects"),
                            order=13, desk=False)
