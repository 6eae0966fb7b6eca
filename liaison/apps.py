from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison station")

    def ready(self) -> None:
        from liaison import checks, roles  # noqa: F401 (checks registers itself)

        # The last app in INSTALLED_APPS sends post_migrate after all models'
        # permissions exist; syncing on each is cheap and idempotent.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="liaison.sync_role_permissions")
        roles.menu_register(key="admin", url_name="admin:index", label=_("Administration"), staff_only=True,
                            order=90, desk=False)
