"""Everything that writes concerns: filing, the one transition service, comments, ratings."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from deputies.models import Deputy, HouseholdContact, Site, Village
from liaison.calendar import add_working_days
from petitions import dedupe, messages, workflow
from petitions.models import Category, Concern, ConcernEvent, ConcernPhoto, Constituent, Reception, Unit
from petitions.workflow import WorkflowError

S = Concern.Status
TRACKING_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
TRACKING_LENGTH = 10  # 31**10 ≈ 8e14: not guessable, and lockout stops trying


def new_tracking() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def constituent_get_or_create(
    *, township, mobile: str, name: str = "", village: Village | None = None
) -> Constituent:
    """One row per mobile number in a township; a later, fuller name or village fills in what was missing."""
    constituent, created = Constituent.objects.get_or_create(
        township=township, mobile=mobile, defaults={"name": name, "village": village})
    if not created:
        changed = [f for f, v in (("name", name), ("village", village)) if v and not getattr(constituent, f)]
        for field in changed:
            setattr(constituent, field, name if field == "name" else village)
        if changed:
            constituent.save(update_fields=[*changed, "updated_at"])
    return constituent


def concern_event_record(
    *, concern: Concern, kind: str, role: str, actor=None, note: str = "", is_public: bool = False,
    from_status: str = "", to_status: str = "", satisfaction: str = "", at=None,
) -> ConcernEvent:
    """Write one line of a concern's timeline: the only way events are made (moves, comments,
    ratings, reminders, escalations). Call it inside the transaction of the change it records."""
    return ConcernEvent.objects.create(
        township_id=concern.township_id, concern=concern, kind=kind, actor=actor, actor_role=role, note=note, is_public=is_public,
        from_status=from_status, to_status=to_status, satisfaction=satisfaction, created_at=at or timezone.now(),
    )


def _attach(concern, photos, *, kind, event=None, is_public=False) -> None:
    for photo in photos:
        ConcernPhoto.objects.create(township_id=concern.township_id, concern=concern, event=event, kind=kind,
                                    image=photo, is_public=is_public)


def concern_submit(
    *,
    channel: str,
    category: Category,
    content: str,
    mobile: str = "",
    name: str = "",
    village: Village | None = None,
    deputy: Deputy | None = None,
    site: Site | None = None,
    place: str = "",
    latitude=None,
    longitude=None,
    photos=(),
    is_public: bool = False,
    submission_key: str | None = None,
    submitted_by=None,
    reception: Reception | None = None,
    api_client=None,
    notice_version: str = "",
    held_because: str = "",
    household_contact: HouseholdContact | None = None,
    tracking: str = "",
) -> tuple[Concern, bool]:
    """File a concern. Returns (concern, created).

    The same submission_key (the form's one-time token) returns the concern it
    already made, so a double tap or a resubmitted form files once; so does the same
    text and place from the same mobile (or, with none, the same user) to the same
    deputy and site within DUPLICATE_WINDOW_MINUTES (petitions.dedupe), e.g. after
    going Back to a fresh form. A repeat is (existing, False) and messages nobody.
    Concerns made within a reception are not checked: reception_record checks the visit.
    Photos must already be cleaned (liaison.photos.clean_photo). `api_client` is the
    open API's client that files it (petitions.open311). `notice_version` is the privacy notice
    the form showed (settings.PRIVACY_NOTICE_VERSION; docs/privacy.md). Notifies the constituent and
    the deputy (or the station) after commit.

    `held_because` (a note for the staff, e.g. from petitions.throttle) files it held for
    review instead: status held, the note on its timeline for the staff only, and no message
    to anyone until a staff member releases it (workflow "release").

    `household_contact` is the liaison household contact it was raised from (petitions.households).
    `tracking` is the code the public form's receipt already gave it (petitions.intake); else a new one.
    """
    dedupe_key = None if reception else dedupe.concern_key(
        township_id=category.township_id, mobile=mobile, submitted_by=submitted_by, deputy=deputy, site=site,
        content=content, place=place)
    if existing := dedupe.earlier_submission(Concern, submission_key=submission_key, dedupe_key=dedupe_key):
        return existing, False
    role = workflow.CONSTITUENT if submitted_by is None else workflow.STAFF
    if channel == Concern.Channel.PATROL or (deputy and submitted_by and deputy.user_id == submitted_by.pk):
        role = workflow.DEPUTY  # the deputy files it themselves: a patrol, a household's matter
    concern = Concern(
        township=category.township, tracking=tracking or new_tracking(), channel=channel, category=category, content=content,
        village=village, deputy=deputy, site=site, place=place, latitude=latitude, longitude=longitude,
        is_public=is_public, submission_key=submission_key, submitted_by=submitted_by, reception=reception,
        dedupe_key=dedupe_key, api_client=api_client, notice_version=notice_version,
        status=S.HELD if held_because else S.SUBMITTED, household_contact=household_contact,
    )
    # Not the related rows (the caller's own objects, their townships checked by clean()) nor the check
    # constraints (the database enforces both): each cost a query on every filing, five of its thirty.
    concern.full_clean(exclude=["tracking", "submission_key", "dedupe_key",
                                *(field.name for field in Concern._meta.concrete_fields if field.is_relation)],
                       validate_constraints=False)
    try:
        with transaction.atomic():
            if mobile:
                concern.constituent = constituent_get_or_create(
                    township=concern.township, mobile=mobile, name=name, village=village)
            concern.save()
            concern_event_record(concern=concern, kind=ConcernEvent.Kind.TRANSITION, actor=submitted_by, role=role,
                                 to_status=concern.status, is_public=True)
            if held_because:
                concern_event_record(concern=concern, kind=ConcernEvent.Kind.COMMENT, role=workflow.SYSTEM,
                                     note=held_because)
            _attach(concern, photos, kind=ConcernPhoto.Kind.REPORT, is_public=is_public)
            if not held_because:
                # In the same transaction as the concern: a database lost between the two would leave a
                # saved concern that nobody is ever told about, and its resending is deduplicated.
                messages.on_submitted(concern)
    except IntegrityError:
        # Two taps, or the same text sent twice, raced past the check above; the other one won.
        if existing := dedupe.earlier_submission(Concern, submission_key=submission_key, dedupe_key=dedupe_key):
            return existing, False
        raise
    return concern, True


def default_deadline(category: Category, start: datetime.date | None = None) -> datetime.date:
    return add_working_days(start or timezone.localdate(), category.deadline_days)


# Who acts without answering the filer: the filer themselves, and the periodic sweeps.
_NOT_A_RESPONSE = (workflow.CONSTITUENT, workflow.SYSTEM)


@transaction.atomic
def concern_transition(
    *, concern: Concern, action: str, actor=None, role: str, note: str = "", photos=(), **changes
) -> Concern:
    """Move a concern by one workflow action; the only place its status changes.

    Locks the row, checks the action against petitions.workflow (WorkflowError with a
    translated message if refused), applies `changes` (unit, deadline_on, result,
    outcome, merged_into), records a timeline event with actor and visibility, and
    queues the notifications the move implies after commit.
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    spec = workflow.check(action_name=action, concern=concern, role=role)
    previous = concern.status
    for field, value in changes.items():
        setattr(concern, field, value)
    concern.status = spec.target
    now = timezone.now()
    if previous == S.SUBMITTED and role not in _NOT_A_RESPONSE and concern.first_response_at is None:
        concern.first_response_at = now
    if spec.target == S.RESOLVED:
        concern.resolved_at = now
    if spec.target in (S.CLOSED, S.REJECTED, S.MERGED, S.DISCARDED):
        concern.closed_at = now
    if spec.target == S.REJECTED:
        concern.outcome = Concern.Outcome.REJECTED
    if spec.target == S.MERGED:
        concern.outcome = Concern.Outcome.DUPLICATE
    if action in ("assign", "reassign"):
        # A new deadline gets its own reminder and escalation.
        concern.reminded_at = concern.escalated_at = None
    if action == "reopen":
        concern.resolved_at = None
        concern.outcome = ""
        # The rating that reopened it stays on the timeline; the next result gets a fresh one.
        # The handler keeps a deadline that still leaves the category's full time, else gets that
        # time from today; either way the timeline says which deadline now holds.
        concern.satisfaction = ""
        previous_deadline = concern.deadline_on
        concern.deadline_on = max(filter(None, [previous_deadline, default_deadline(concern.category)]))
        note = "\n".join(filter(None, [note, messages.reopen_deadline_note(
            deadline_on=concern.deadline_on, previous=previous_deadline)]))
        concern.reminded_at = concern.escalated_at = None
    concern.full_clean(exclude=["tracking", "submission_key", "dedupe_key"])
    concern.save()
    public_note = spec.note_is_public
    event = concern_event_record(
        concern=concern, kind=ConcernEvent.Kind.TRANSITION, actor=actor, role=role, note=note if public_note else "",
        is_public=spec.public, from_status=previous, to_status=spec.target, at=now,
    )
    if note and not public_note:
        concern_event_record(concern=concern, kind=ConcernEvent.Kind.COMMENT, actor=actor, role=role, note=note, at=now)
    if photos:
        kind = ConcernPhoto.Kind.AFTER if spec.target == S.RESOLVED else ConcernPhoto.Kind.PROGRESS
        _attach(concern, photos, kind=kind, event=event, is_public=spec.public)
    if spec.notify:
        spec.notify(concern, f"{action}:{event.pk}")
    return concern


def concern_assign(
    *, concern: Concern, unit: Unit, deadline_on=None, actor, role: str, note: str = "", action: str | None = None
) -> Concern:
    """Forward to a unit ("assign") or move it to another ("reassign").

    Views pass the action the person clicked, so if someone else moved the case
    meanwhile the move is refused rather than silently turned into the other one.
    """
    if action is None:
        concern.refresh_from_db(fields=["status"])
        action = "reassign" if concern.status in (S.ASSIGNED, S.IN_PROGRESS) else "assign"
    return concern_transition(
        concern=concern, action=action, actor=actor, role=role, note=note,
        unit=unit, deadline_on=deadline_on or default_deadline(concern.category),
    )


def concern_resolve(
    *, concern: Concern, result: str, outcome: str, actor, role: str, photos=(), action: str | None = None
) -> Concern:
    """Resolve with a result ("resolve" by the unit, or "answer" directly); `action` as in concern_assign."""
    if action is None:
        concern.refresh_from_db(fields=["status"])
        action = "resolve" if concern.status in (S.ASSIGNED, S.IN_PROGRESS) else "answer"
    if outcome not in (Concern.Outcome.FIXED, Concern.Outcome.EXPLAINED, Concern.Outcome.NOT_FEASIBLE):
        raise WorkflowError(Concern._meta.get_field("outcome").error_messages["invalid_choice"] % {"value": outcome})
    return concern_transition(
        concern=concern, action=action, actor=actor, role=role, note=result, photos=photos,
        result=result, outcome=outcome,
    )


@transaction.atomic
def concern_merge(*, concern: Concern, into: Concern, actor, role: str) -> Concern:
    """Mark `concern` a duplicate of `into`; its constituent then follows the original."""
    # Lock both rows in key order, so two opposite merges at once cannot point at each other.
    locked = {c.pk: c for c in Concern.objects.select_for_update().filter(pk__in=[concern.pk, into.pk]).order_by("pk")}
    into = locked.get(into.pk)
    if into is not None and into.pk == concern.pk:
        raise WorkflowError(messages.MERGE_INTO_ITSELF)
    if into is None or into.status in (S.MERGED, S.REJECTED):
        raise WorkflowError(messages.MERGE_TARGET_INVALID)
    return concern_transition(concern=concern, action="merge", actor=actor, role=role,
                              note=into.tracking, merged_into=into)


def concern_comment(*, concern: Concern, actor, role: str, note: str, is_public: bool, photos=()) -> ConcernEvent:
    """A progress note or internal comment, with optional photos; does not change the status."""
    kind = ConcernEvent.Kind.PROGRESS if is_public else ConcernEvent.Kind.COMMENT
    with transaction.atomic():
        event = concern_event_record(concern=concern, kind=kind, actor=actor, role=role, note=note,
                                     is_public=is_public)
        if is_public and role not in _NOT_A_RESPONSE:
            # updated_at too: the cockpit's running totals recount what was stamped (petitions.rollups).
            Concern.objects.filter(pk=concern.pk, first_response_at__isnull=True).update(
                first_response_at=event.created_at, updated_at=timezone.now())
        _attach(concern, photos, kind=ConcernPhoto.Kind.PROGRESS, event=event, is_public=is_public)
    return event


def concern_rate(*, concern: Concern, satisfaction: str, comment: str = "") -> Concern:
    """The constituent's rating of a resolved concern: closes it, or reopens it when not satisfied."""
    with transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(satisfaction=satisfaction, satisfaction_comment=comment,
                                                     updated_at=timezone.now())
        concern_event_record(concern=concern, kind=ConcernEvent.Kind.RATING, role=workflow.CONSTITUENT, note=comment,
                             satisfaction=satisfaction)
        unsatisfied = satisfaction == Concern.Satisfaction.UNSATISFIED
        concern = concern_transition(
            concern=concern, action="reopen" if unsatisfied else "close", role=workflow.CONSTITUENT,
            note=comment if unsatisfied else "",
        )
    return concern
