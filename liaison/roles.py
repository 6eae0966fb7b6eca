"""The roles (docs/roles.md) as auth groups: who holds which, what each may open, and each role's menu.

Groups are created by a migration; their permissions are (re)applied after
every migrate, because permissions for models added by later migrations only
exist once those migrations have run.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

DEPUTY = "deputy"
STAFF = "station_staff"
HANDLER = "handler"
OFFICIAL = "official"
ADMIN = "admin"
# The county people's congress: an official of every township, looking at one or at the whole county.
COUNTY_OFFICIAL = "county_official"

LABELS = {
    DEPUTY: _("Deputy"),
    STAFF: _("Station staff"),
    HANDLER: _("Handler"),
    OFFICIAL: _("Township official"),
    ADMIN: _("Administrator"),
    COUNTY_OFFICIAL: _("County official"),
}

_DIRECTORY_MODELS = ["area", "village", "site", "deputy", "liaisonhousehold"]

_CASE_SETUP = ["category", "unit", "answercategory"]  # answercategory: suggestions' (petitions)
_CASE_RECORDS = ["constituent", "concern", "reception", "filing"]  # filing: the public form's, being registered
# The headings of study materials (dashboard): staff and officials keep them; the materials have their own pages.
_STUDY_SETUP = [f"dashboard.{action}_studycategory" for action in ("add", "change", "delete", "view")]

# app_label.codename, as Django names permissions. These govern the Django admin;
# the back office decides access by role (role_required below).
PERMISSIONS: dict[str, list[str]] = {
    DEPUTY: ["deputies.view_deputy", "deputies.view_site"],
    STAFF: [f"deputies.{action}_{model}" for model in _DIRECTORY_MODELS for action in ("add", "change", "view")]
    + ["deputies.import_deputies", "deputies.print_window"]
    + [f"petitions.{action}_{model}" for model in ["constituent", "reception"] for action in ("add", "change", "view")]
    + ["petitions.change_concern", "petitions.view_concern", "petitions.change_filing", "petitions.view_filing"]
    + [f"petitions.view_{model}" for model in _CASE_SETUP] + ["liaison.view_calendarday"] + _STUDY_SETUP,
    HANDLER: ["deputies.view_deputy", "deputies.view_site", "deputies.view_village"],
    OFFICIAL: [f"deputies.view_{model}" for model in _DIRECTORY_MODELS] + ["deputies.print_window"]
    + [f"petitions.{action}_{model}" for model in _CASE_SETUP for action in ("add", "change", "view")]
    + [f"liaison.{action}_calendarday" for action in ("add", "change", "view")]
    + [f"petitions.view_{model}" for model in _CASE_RECORDS] + ["liaison.view_notification", "liaison.view_auditentry"]
    + _STUDY_SETUP,
    COUNTY_OFFICIAL: [f"deputies.view_{model}" for model in _DIRECTORY_MODELS]
    + [f"petitions.view_{model}" for model in _CASE_SETUP + _CASE_RECORDS]
    + ["liaison.view_calendarday", "liaison.view_auditentry", "dashboard.view_studycategory"],
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


DESK_ROLES = frozenset({DEPUTY, STAFF, HANDLER, OFFICIAL})


def user_roles(user) -> set[str]:
    """The back-office roles the user holds; a superuser acts as staff and official."""
    if user is None or not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {STAFF, OFFICIAL, ADMIN}
    # One query per request at most: the groups are cached on the user object.
    if not hasattr(user, "_liaison_roles"):
        held = set(user.groups.values_list("name", flat=True)) & set(PERMISSIONS)
        if COUNTY_OFFICIAL in held:
            held.add(OFFICIAL)  # a county official is an official of whichever township they look at
        user._liaison_roles = held
    return user._liaison_roles


def role_required(*allowed: str) -> Callable:
    """View decorator. Anonymous → the login page; logged in without one of `allowed`
    (default: any back-office role) → 403."""
    wanted = frozenset(allowed) or DESK_ROLES

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not user_roles(request.user) & wanted:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- menus ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MenuItem:
    key: str  # what a page passes as `current` to mark itself in the menu
    url_name: str
    label: str
    order: int
    roles: frozenset  # empty: any role, or none
    # The same condition the page itself checks, where that is a permission or the admin flag.
    perm: str = ""
    staff_only: bool = False
    desk: bool = True  # also in the back office's own tab bar

    @property
    def url(self) -> str:
        return _reversed(self.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)

    def is_open_to(self, user, held: set[str]) -> bool:
        return (
            (not self.roles or bool(self.roles & held))
            and (not self.perm or user.has_perm(self.perm))
            and (not self.staff_only or user.is_staff)
        )


_MENU: dict[str, MenuItem] = {}


@lru_cache(maxsize=256)
def _reversed(url_name: str, prefix: str, urlconf: str) -> str:
    # Every back-office page draws the menu twice (header and tabs): reversing each link each time was a tenth
    # of drawing a stored desk list.
    return reverse(url_name, urlconf=urlconf)


def menu_register(
    *, key: str, url_name: str, label: str, order: int, roles=(), perm: str = "", staff_only: bool = False,
    desk: bool = True,
) -> None:
    """Each app declares its pages here (in its AppConfig.ready): liaison knows no app's URLs."""
    _MENU[key] = MenuItem(key, url_name, label, order, frozenset(roles), perm, staff_only, desk)


def menu_for(user) -> list[MenuItem]:
    """The menu this user may open, in order; one list serves the header and the desk tabs."""
    if user is None:
        return []
    held = user_roles(user)
    return sorted((item for item in _MENU.values() if item.is_open_to(user, held)), key=lambda i: i.order)
