"""The roles of docs/roles.md as auth groups, and what each may do in the admin.

Groups are created by a migration; their permissions are (re)applied after
every migrate, because permissions for models added by later migrations only
exist once those migrations have run.
"""

from django.utils.translation import gettext_lazy as _

DEPUTY = "deputy"
STAFF = "station_staff"
HANDLER = "handler"
OFFICIAL = "official"
ADMIN = "admin"

LABELS = {
    DEPUTY: _("Deputy"),
    STAFF: _("Station staff"),
    HANDLER: _("Handler"),
    OFFICIAL: _("Township official"),
    ADMIN: _("Administrator"),
}

_DIRECTORY_MODELS = ["area", "village", "site", "deputy", "liaisonhousehold"]

_CASE_SETUP = ["category", "unit", "calendarday"]
_CASE_RECORDS = ["constituent", "concern", "reception"]

# app_label.codename, as Django names permissions. These govern the Django admin;
# the back office decides access by role through petitions.access.
PERMISSIONS: dict[str, list[str]] = {
    DEPUTY: ["deputies.view_deputy", "deputies.view_site"],
    STAFF: [f"deputies.{action}_{model}" for model in _DIRECTORY_MODELS for action in ("add", "change", "view")]
    + ["deputies.import_deputies", "deputies.print_window"]
    + [f"petitions.{action}_{model}" for model in ["constituent", "reception"] for action in ("add", "change", "view")]
    + ["petitions.change_concern", "petitions.view_concern"]
    + [f"petitions.view_{model}" for model in _CASE_SETUP],
    HANDLER: ["deputies.view_deputy", "deputies.view_site", "deputies.view_village"],
    OFFICIAL: [f"deputies.view_{model}" for model in _DIRECTORY_MODELS] + ["deputies.print_window"]
    + [f"petitions.{action}_{model}" for model in _CASE_SETUP for action in ("add", "change", "view")]
    + [f"petitions.view_{model}" for model in [*_CASE_RECORDS, "notification"]],
    ADMIN: [],  # the admin account is a superuser; the group only names the role
}


def sync_role_permissions(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, codes in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
