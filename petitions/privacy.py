"""Constituents' personal data after filing (docs/privacy.md): corrections and erasure on request, and
anonymisation after the retention period. Every change writes a timeline event and an audit row; the
figures (status, outcome, dates, category, village, unit) never change."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Village
from liaison.audit import Action, audit_record
from liaison.masking import mask_in_text, mask_mobile
from petitions import workflow
from petitions.models import Concern, ConcernEvent, ConcernPhoto, Constituent, Reception
from petitions.services import concern_event_record

S = Concern.Status
# Discarded too: a spam filing made with someone's number must not pin their data for ever.
ENDED = (S.CLOSED, S.REJECTED, S.MERGED, S.DISCARDED)
# What stands where an erased text was: required texts (content, matters) cannot be empty.
ERASED = "—"

_FIELD_LABELS = {
    "content": _("the concern's text"), "place": _("the place"), "satisfaction_comment": _("the rating comment"),
    "name": _("the name"), "mobile": _("the mobile number"), "village": _("the village"),
}


def _changed_note(changed: list[str], reason: str) -> str:
    # Says what was corrected and why, never the old or the new value: the timeline keeps no copy of them.
    return gettext("Corrected on request: %(fields)s. Reason: %(reason)s") % {
        "fields": ", ".join(str(_FIELD_LABELS[f]) for f in changed), "reason": reason}


@transaction.atomic
def concern_correct(*, concern: Concern, actor, role: str, reason: str, **values: str) -> Concern:
    """Correct what the constituent wrote (content, place, satisfaction_comment) at their request.

    Writes an internal timeline event and an audit row naming the fields and the reason; raises
    ValidationError on an invalid value. Nothing changed: nothing written.
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    changed = [f for f, v in values.items() if f in ("content", "place", "satisfaction_comment")
               and v is not None and v != getattr(concern, f)]
    if not changed:
        return concern
    for field in changed:
        setattr(concern, field, values[field])
    concern.full_clean(exclude=["tracking", "submission_key", "dedupe_key"])
    concern.save(update_fields=[*changed, "updated_at"])
    concern_event_record(concern=concern, kind=ConcernEvent.Kind.COMMENT, actor=actor, role=role,
                         note=_changed_note(changed, reason))
    audit_record(actor=actor, action=Action.CORRECT, subject=concern, label=concern.tracking, reason=reason)
    return concern


@transaction.atomic
def constituent_correct(
    *, constituent: Constituent, actor, role: str, reason: str, name: str, mobile: str, village: Village | None
) -> Constituent:
    """Correct a constituent's name, mobile or village at their request; every case of theirs gets an
    internal timeline event and the constituent an audit row. ValidationError if the mobile is invalid
    or another constituent of the township has it."""
    constituent = Constituent.objects.select_for_update().get(pk=constituent.pk)
    new = {"name": name, "mobile": mobile, "village": village}
    changed = [f for f, v in new.items() if v != getattr(constituent, f)]
    if not changed:
        return constituent
    if "mobile" in changed and Constituent.objects.filter(mobile=mobile).exclude(pk=constituent.pk).exists():
        raise ValidationError(gettext("Another constituent already has this mobile number."), code="mobile_taken")
    for field in changed:
        setattr(constituent, field, new[field])
    constituent.full_clean(exclude=["township"])
    constituent.save(update_fields=[*changed, "updated_at"])
    note = _changed_note(changed, reason)
    for concern in constituent.concerns.all():
        concern_event_record(concern=concern, kind=ConcernEvent.Kind.COMMENT, actor=actor, role=role, note=note)
    audit_record(actor=actor, action=Action.CORRECT, subject=constituent, reason=reason)
    return constituent


def live_cases(constituent: Constituent) -> list[str]:
    """Tracking codes of the constituent's cases not yet ended: while one is, their data is needed."""
    return list(constituent.concerns.exclude(status__in=ENDED).values_list("tracking", flat=True))


@transaction.atomic
def constituent_erase(*, constituent: Constituent, actor, role: str, reason: str) -> Constituent:
    """Erase a constituent's personal data at their request, now: their name, mobile and village, the texts,
    places, positions and photos of their cases and receptions (as anonymise_ended_cases does after the
    retention period). Refused (ValidationError) while a case of theirs is still open: it is handled
    on that data; end it first, or correct the data instead."""
    constituent = Constituent.objects.select_for_update().get(pk=constituent.pk)
    if open_codes := live_cases(constituent):
        raise ValidationError(gettext(
            "This person has a case still open (%(codes)s): erase their data once it has ended, or correct it now."
        ) % {"codes": ", ".join(open_codes)}, code="live_case")
    note = gettext("The constituent's personal data was erased on request. Reason: %(reason)s") % {"reason": reason}
    for concern in constituent.concerns.filter(anonymised_at__isnull=True):
        _concern_anonymise(concern, constituent)
        concern_event_record(concern=concern, kind=ConcernEvent.Kind.COMMENT, actor=actor, role=role, note=note)
    for reception in constituent.receptions.filter(anonymised_at__isnull=True):
        _reception_anonymise(reception, constituent)
    _constituent_anonymise(constituent)
    audit_record(actor=actor, action=Action.ERASE, subject=constituent, reason=reason)
    constituent.refresh_from_db()
    return constituent


# --- anonymisation ---------------------------------------------------------------------------------

def _mask(text: str, constituent: Constituent | None, place: str = "") -> str:
    if constituent is None:
        return mask_in_text(text, place=place)
    return mask_in_text(text, name=constituent.name, mobile=constituent.mobile, place=place)


def _concern_anonymise(concern: Concern, constituent: Constituent | None) -> None:
    """The constituent's words, place, position and photos go; the station's result and notes stay, with the
    constituent's name, number and place masked wherever typed. Status, outcome, dates, category,
    village and unit stay: the figures count it as before."""
    now = timezone.now()
    for event in concern.events.exclude(note=""):
        note = "" if event.actor_role == workflow.CONSTITUENT else _mask(event.note, constituent, concern.place)
        if note != event.note:
            ConcernEvent.objects.filter(pk=event.pk).update(note=note)
    for photo in ConcernPhoto.objects.filter(concern=concern):
        # The file goes once the rows are gone for good: a rolled-back batch keeps its photos whole.
        transaction.on_commit(lambda name=photo.image.name, storage=photo.image.storage: storage.delete(name))
        photo.delete()
    # The outbox keeps the messages sent about it: their number (also in the once-only key) goes too.
    for notification in concern.notifications.all():
        type(notification).objects.filter(pk=notification.pk).update(
            recipient=mask_mobile(notification.recipient) if notification.recipient[:1].isdigit()
            else notification.recipient, key=f"anonymised:{notification.pk}",
            body=_mask(notification.body, constituent))
    Concern.objects.filter(pk=concern.pk).update(
        content=ERASED, place="", latitude=None, longitude=None, satisfaction_comment="",
        result=_mask(concern.result, constituent, concern.place), anonymised_at=now, updated_at=now)


def _reception_anonymise(reception: Reception, constituent: Constituent) -> None:
    now = timezone.now()
    Reception.objects.filter(pk=reception.pk).update(
        matters=ERASED, answer=_mask(reception.answer, constituent), anonymised_at=now, updated_at=now)


def _constituent_anonymise(constituent: Constituent) -> None:
    now = timezone.now()
    # Unique per township and never a real mobile (those start with 1): the row stays, so its cases
    # still count one person, but nobody can be reached or found by it.
    placeholder = f"0{constituent.pk:010d}"[-11:]
    Constituent.objects.filter(pk=constituent.pk).update(
        name="", mobile=placeholder, village=None, anonymised_at=now, updated_at=now)


def concerns_due(*, cutoff: datetime.datetime):
    """Concerns of the current township that ended before `cutoff` and are not anonymised yet."""
    return Concern.objects.filter(status__in=ENDED, anonymised_at__isnull=True, closed_at__lt=cutoff)


def receptions_due(*, cutoff: datetime.datetime):
    """Receptions before `cutoff` whose concerns (if any) are all anonymised."""
    return Reception.objects.filter(received_on__lt=timezone.localdate(cutoff), anonymised_at__isnull=True).exclude(
        Exists(Concern.objects.filter(reception=OuterRef("pk"), anonymised_at__isnull=True)))


def constituents_due(*, cutoff: datetime.datetime):
    """Constituents none of whose cases or receptions still holds their data (and who had one, or were first
    seen before `cutoff`): one with a case still open, or ended within the retention period, keeps theirs."""
    had_one = (Exists(Concern.objects.filter(constituent=OuterRef("pk")))
               | Exists(Reception.objects.filter(constituent=OuterRef("pk"))))
    return Constituent.objects.filter(had_one | Q(created_at__lt=cutoff), anonymised_at__isnull=True).exclude(
        Exists(Concern.objects.filter(constituent=OuterRef("pk"), anonymised_at__isnull=True))).exclude(
        Exists(Reception.objects.filter(constituent=OuterRef("pk"), anonymised_at__isnull=True)))


def anonymise_batch(*, kind: str, pks: list[int]) -> int:
    """Anonymise one batch of due rows (`kind`: concerns, receptions, constituents) in one transaction,
    with one audit row for it. Returns how many were done; rows done meanwhile are skipped."""
    with transaction.atomic():
        if kind == "concerns":
            rows = list(Concern.objects.select_for_update(of=("self",)).select_related("constituent")
                        .filter(pk__in=pks, anonymised_at__isnull=True))
            for concern in rows:
                _concern_anonymise(concern, concern.constituent)
        elif kind == "receptions":
            rows = list(Reception.objects.select_for_update(of=("self",)).select_related("constituent")
                        .filter(pk__in=pks, anonymised_at__isnull=True))
            for reception in rows:
                _reception_anonymise(reception, reception.constituent)
        else:
            rows = list(Constituent.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True))
            for constituent in rows:
                _constituent_anonymise(constituent)
        if rows:
            audit_record(actor=None, action=Action.ANONYMISE, label=f"{kind}: {len(rows)}",
                         township=rows[0].township_id,
                         reason=gettext("Retention period over"))
    return len(rows)


DUE = (("concerns", concerns_due), ("receptions", receptions_due), ("constituents", constituents_due))


def anonymise_ended(*, cutoff: datetime.datetime, batch_size: int = 200, progress=None) -> int:
    """Anonymise, in the current township, everything whose retention ended before `cutoff`: concerns first,
    then receptions whose concerns are done, then the people none of them needs. Each batch commits on its
    own, so a stopped run resumes where it was and a second run does nothing. `progress(kind, total)` is told
    after each batch. Returns how many rows were anonymised."""
    total = 0
    for kind, due in DUE:
        done = 0
        while pks := list(due(cutoff=cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size]):
            batch = anonymise_batch(kind=kind, pks=pks)
            done += batch
            if progress:
                progress(kind, done)
            if not batch:  # nothing due could be done (never expected): stop rather than loop
                break
        total += done
    return total
