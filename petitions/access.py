"""Who sees which concerns, and in which role they act on one (docs/roles.md)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from liaison import roles
from petitions import workflow
from petitions.models import Concern, Unit

_SEE_ALL = {roles.STAFF, roles.OFFICIAL}
DESK_ROLES = frozenset({roles.DEPUTY, roles.STAFF, roles.HANDLER, roles.OFFICIAL})


def user_roles(user) -> set[str]:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {roles.STAFF, roles.OFFICIAL}
    # One query per request at most: the groups are cached on the user object.
    if not hasattr(user, "_liaison_roles"):
        user._liaison_roles = set(user.groups.values_list("name", flat=True)) & set(roles.PERMISSIONS)
    return user._liaison_roles


def concerns_visible_to(user) -> QuerySet[Concern]:
    held = user_roles(user)
    if held & _SEE_ALL:
        return Concern.objects.all()
    visible = Q(pk__in=[])
    if roles.DEPUTY in held:
        visible |= Q(deputy__user=user)
    if roles.HANDLER in held:
        # A subquery, not a join over the members: OR-ed with the deputy filter a join
        # would repeat a concern once per member of its unit.
        visible |= Q(unit__in=Unit.objects.filter(members=user).values("pk"))
    return Concern.objects.filter(visible)


def roles_on(user, concern: Concern) -> set[str]:
    """The workflow roles the user holds on this concern: a deputy only on their own, a handler only on their unit's."""
    held = user_roles(user)
    acting = held & _SEE_ALL
    if roles.DEPUTY in held and concern.deputy_id and concern.deputy.user_id == user.pk:
        acting.add(workflow.DEPUTY)
    if roles.HANDLER in held and concern.unit_id and concern.unit.members.filter(pk=user.pk).exists():
        acting.add(workflow.HANDLER)
    return acting


def get_concern_for_user(user, tracking: str) -> Concern:
    concern = (
        concerns_visible_to(user)
        .select_related("deputy", "unit", "category", "village", "constituent", "site", "merged_into")
        .filter(tracking=tracking)
        .first()
    )
    if concern is None:
        raise Http404
    return concern


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
