"""Who sees which suggestions, and in which role they act on one (docs/suggestions.md).

Staff and officials see the township's; a deputy their own and those they are invited to co-sign; a
handler those assigned (now or before) to their units. On one suggestion a handler acts as HANDLER
only for the current lead unit; a current co-handling unit's member may send its view.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from liaison import roles
from liaison.roles import user_roles
from liaison.scoping import enter_township
from petitions import suggestion_workflow as workflow
from petitions.models import Suggestion, SuggestionCoSigner, SuggestionEvent, SuggestionUnit, Unit

_SEE_ALL = {roles.STAFF, roles.OFFICIAL}


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    held = user_roles(user)
    if held & _SEE_ALL:
        return Suggestion.objects.all()
    visible = Q(pk__in=[])
    if roles.DEPUTY in held:
        visible |= Q(deputy__user=user) | Q(
            pk__in=SuggestionCoSigner.objects.filter(deputy__user=user).values("suggestion_id"))
    if roles.HANDLER in held:
        visible |= Q(pk__in=SuggestionUnit.objects.filter(
            unit__in=Unit.objects.filter(members=user).values("pk")).values("suggestion_id"))
    return Suggestion.objects.filter(visible)


def _current(suggestion: Suggestion) -> list[SuggestionUnit]:
    return [a for a in suggestion.assignments.all() if a.returned_at is None]


def roles_on(user, suggestion: Suggestion) -> set[str]:
    """Workflow roles on this suggestion (assignments and their units' members prefetched by get_for_user)."""
    held = user_roles(user)
    acting = held & _SEE_ALL
    if roles.DEPUTY in held and suggestion.deputy.user_id == user.pk:
        acting.add(workflow.DEPUTY)
    if roles.HANDLER in held and lead_unit_of(suggestion) in units_of(user, suggestion):
        acting.add(workflow.HANDLER)
    return acting


def lead_unit_of(suggestion: Suggestion) -> Unit | None:
    return next((a.unit for a in _current(suggestion) if a.role == SuggestionUnit.Role.LEAD), None)


def units_of(user, suggestion: Suggestion) -> list[Unit]:
    """The user's units among the suggestion's current assignments."""
    if roles.HANDLER not in user_roles(user):
        return []
    return [a.unit for a in _current(suggestion) if any(m.pk == user.pk for m in a.unit.members.all())]


def co_unit_of(user, suggestion: Suggestion) -> Unit | None:
    """The user's unit if it is a current co-handling unit (it may send a view)."""
    co = {a.unit_id for a in _current(suggestion) if a.role == SuggestionUnit.Role.CO}
    return next((unit for unit in units_of(user, suggestion) if unit.pk in co), None)


def cosigner_of(user, suggestion: Suggestion) -> SuggestionCoSigner | None:
    return next((c for c in suggestion.cosigners.all() if c.deputy.user_id == user.pk), None)


def get_for_user(request, pk: int) -> Suggestion:
    suggestion = (
        suggestions_visible_to(request.user)
        .select_related("township", "deputy", "answer_category")
        .prefetch_related(
            Prefetch("assignments", queryset=SuggestionUnit.objects.select_related("unit").prefetch_related(
                "unit__members")),
            Prefetch("cosigners", queryset=SuggestionCoSigner.objects.select_related("deputy")),
            Prefetch("events", queryset=SuggestionEvent.objects.select_related("actor")),
            "concerns",
        )
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404
    enter_township(request, suggestion.township)
    return suggestion
