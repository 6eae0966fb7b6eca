"""The desk's bulk move: forward several concerns to one unit, each through the workflow on its own."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from petitions.models import Concern, Unit
from petitions.services import concern_assign
from petitions.workflow import WorkflowError


@dataclass(frozen=True)
class Refusal:
    tracking: str
    reason: str


def concern_forward_many(
    *,
    trackings: Sequence[str],
    candidates: QuerySet[Concern],
    unit: Unit,
    deadline_on: datetime.date | None,
    note: str,
    actor,
    role: str,
) -> tuple[list[Concern], list[Refusal]]:
    """Forward ("assign") each concern named in `trackings` to `unit`. Returns (forwarded, refused).

    Only concerns in `candidates` (those the actor may see) are touched; any other code is
    refused as not found, saying no more. Each move is concern_assign's own transaction, with
    its checks, its timeline event and its notifications, so one refusal (a case already
    forwarded, closed or merged meanwhile) leaves the others forwarded and is reported with
    the workflow's reason. Already forwarded cases are refused, not moved: that is "reassign",
    a decision taken case by case on the case page. `deadline_on` None gives each concern its
    category's deadline.
    """
    found = {
        concern.tracking: concern
        for concern in candidates.filter(tracking__in=trackings).select_related("category")
    }
    forwarded: list[Concern] = []
    refused: list[Refusal] = []
    for tracking in trackings:
        concern = found.get(tracking)
        if concern is None:
            refused.append(Refusal(tracking, _("No concern with this tracking code.")))
            continue
        try:
            forwarded.append(concern_assign(
                concern=concern, unit=unit, deadline_on=deadline_on, actor=actor, role=role, note=note,
                action="assign",
            ))
        except WorkflowError as err:
            refused.append(Refusal(tracking, str(err.message)))
        except ValidationError as err:
            refused.append(Refusal(tracking, " ".join(err.messages)))
    return forwarded, refused
