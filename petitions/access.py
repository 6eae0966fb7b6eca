"""Who sees which concerns, and in which role they act on one (docs/roles.md)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from liaison import roles
from liaison.roles import user_roles
from liaison.scoping import enter_township
from petitions import workflow
from petitions.models import Concern, Unit

_SEE_ALL = {roles.STAFF, roles.OFFICIAL}


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
    # A held filing is the station's to judge first: its deputy sees it once it is released.
    return Concern.objects.filter(visible).exclude(status__in=Concern.NOT_CASES)


def roles_on(user, concern: Concern) -> set[str]:
    """The workflow roles the user holds on this concern: a deputy only on their own, a handler only on their unit's."""
    held = user_roles(user)
    acting = held & _SEE_ALL
    if roles.DEPUTY in held and concern.deputy_id and concern.deputy.user_id == user.pk:
        acting.add(workflow.DEPUTY)
    if roles.HANDLER in held and concern.unit_id and concern.unit.members.filter(pk=user.pk).exists():
        acting.add(workflow.HANDLER)
    return acting


def get_concern_for_user(request, tracking: str) -> Concern:
    """The concern the user may see, 404 otherwise. The rest of the request is in its township, so a
    county user looking at the whole county is offered that township's units in its forms."""
    concern = (
        concerns_visible_to(request.user)
        .select_related("township", "deputy", "unit", "category", "village", "constituent", "site", "merged_into",
                        "api_client")
        .filter(tracking=tracking)
        .first()
    )
    if concern is None:
        raise Http404
    enter_township(request, concern.township)
    return concern
