from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison station")

    def ready(self) -> None:
        import atexit

        from celery.signals import task_postrun
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from liaison import access, checks, public_pages, roles  # noqa: F401 (checks registers itself)
        from liaison.accounts import demo_guard  # noqa: F401 (registers its deploy check)
        from liaison.accounts.middleware import start_idle_clock
        from liaison.accounts.sessions import end_sessions_of_deactivated

        # The last app in INSTALLED_APPS sends post_migrate after all models'
        # permissions exist; syncing on each is cheap and idempotent.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="liaison.sync_role_permissions")
        post_save.connect(end_sessions_of_deactivated, sender=get_user_model(),
                          dispatch_uid="liaison.end_sessions_of_deactivated")
        # Cached public pages: every committed write stamps its townships; a migrate forgets every stamp.
        connection_created.connect(public_pages.watch_writes, dispatch_uid="liaison.watch_writes")
        request_finished.connect(public_pages.stamp_all_pending, dispatch_uid="liaison.stamp_pending")
        task_postrun.connect(public_pages.stamp_all_pending, dispatch_uid="liaison.stamp_pending", weak=False)
        atexit.register(public_pages.stamp_all_pending)  # a command's or a shell's last write
        pre_migrate.connect(public_pages.migrating, sender=self, dispatch_uid="liaison.migrating")
        post_migrate.connect(public_pages.forget_stamps, dispatch_uid="liaison.forget_stamps")
        public_pages.unseen(
            "liaison.PagesStamp", "liaison.Counter", "liaison.AuditEntry", "liaison.Notification",
            "sessions.Session", "admin.LogEntry", "auth.User", "axes.AccessAttempt", "axes.AccessLog",
            "axes.AccessFailureLog", "axes.AccessAttemptExpiration", "otp_totp.TOTPDevice",
            "otp_static.StaticDevice", "otp_static.StaticToken")
        # Accounts' access kept in the shared cache: each change of it is kept no longer (liaison.access).
        from liaison.models import County, Membership, Township

        for signal in (post_save, post_delete):
            signal.connect(access.account_changed, sender=Membership, dispatch_uid="liaison.access_account")
            for model in (Group, Permission, Township, County):
                signal.connect(access.everyones_changed, sender=model, dispatch_uid=f"liaison.access_{model.__name__}")
        post_migrate.connect(access.everyones_changed, dispatch_uid="liaison.access_migrated")
        request_finished.connect(access.set_pending, dispatch_uid="liaison.access_pending")
        task_postrun.connect(access.set_pending, dispatch_uid="liaison.access_pending", weak=False)
        atexit.register(access.set_pending, at_exit=True)
        User = get_user_model()
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(access.grants_changed, sender=through,
                                dispatch_uid=f"liaison.access_{through.__name__}")
        user_logged_in.connect(start_idle_clock, dispatch_uid="liaison.start_idle_clock")
        roles.menu_register(key="admin", url_name="admin:index", label=_("Administration"), staff_only=True,
                            order=90, desk=False)
        # Unlocking a township's accounts and resetting a lost authenticator (liaison/accounts/).
        roles.menu_register(key="accounts", url_name="accounts:township", label=_("Accounts"),
                            roles=(roles.STAFF, roles.OFFICIAL), order=85, desk=False)
