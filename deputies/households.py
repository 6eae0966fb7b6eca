"""Liaison households (民情联络户): the contact log, the lists built on it, the reminder, and the duty
record's part (docs/households.md).

Concerns raised from a contact are petitions' (petitions.households): this app knows nothing of concerns.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, HouseholdContact, LiaisonHousehold
from deputies.record import Entry, Figure, Section, year_bounds
from liaison.models import Notification
from liaison.outbox import notification_queue
from liaison.scoping import each_township

# --- services ---------------------------------------------------------------------------------------


def household_contact_record(
    *, household: LiaisonHousehold, deputy: Deputy, kind: str, contacted_on: datetime.date, notes: str = "",
    recorded_by=None, submission_key: str | None = None,
) -> tuple[HouseholdContact, bool]:
    """Record one visit or call of `deputy` with `household`. Returns (contact, created).

    The same `submission_key` (the form's one-time token) returns the contact already recorded and
    records nothing, so a double tap or a resent form records once. Raises ValidationError on invalid
    data (a date in the future, the other township's household).
    """
    if submission_key and (existing := HouseholdContact.objects.filter(submission_key=submission_key).first()):
        return existing, False
    contact = HouseholdContact(
        township_id=household.township_id, household=household, deputy=deputy, kind=kind, contacted_on=contacted_on,
        notes=notes, recorded_by=recorded_by, submission_key=submission_key,
    )
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": gettext("A contact cannot be in the future.")})
    contact.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        # Two taps raced past the check above; the other one recorded it.
        if submission_key and (existing := HouseholdContact.objects.filter(submission_key=submission_key).first()):
            return existing, False
        raise
    return contact, True


# --- selectors --------------------------------------------------------------------------------------


def _last_contact(outer: str = "pk") -> Subquery:
    return Subquery(HouseholdContact.objects.filter(deputy=OuterRef(outer)).order_by().values("deputy")
                    .annotate(last=Max("contacted_on")).values("last"))


def household_list_for_deputy(*, deputy: Deputy) -> QuerySet[LiaisonHousehold]:
    """The deputy's households, each with `last_contacted_on` (by anyone) and `contact_count`; the ones
    not contacted longest first. One query."""
    return (LiaisonHousehold.objects.filter(deputy=deputy).select_related("village")
            .annotate(last_contacted_on=Max("contacts__contacted_on"), contact_count=Count("contacts"))
            .order_by(Coalesce("last_contacted_on", datetime.date(1900, 1, 1)), "village__name", "head"))


def household_get_for_deputy(*, deputy: Deputy, pk: int) -> LiaisonHousehold | None:
    return LiaisonHousehold.objects.filter(deputy=deputy, pk=pk).select_related("village", "deputy").first()


def household_contacts_recent(*, deputy: Deputy, limit: int = 20) -> QuerySet[HouseholdContact]:
    return HouseholdContact.objects.filter(deputy=deputy).select_related("household__village")[:limit]


def contact_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Contacts before this day are too old: the deputy has not been in touch within HOUSEHOLD_CONTACT_DAYS."""
    return (today or timezone.localdate()) - datetime.timedelta(days=settings.HOUSEHOLD_CONTACT_DAYS)


def deputy_household_overview() -> QuerySet[Deputy]:
    """Active deputies with `household_count`, `contacts_recent` (within HOUSEHOLD_CONTACT_DAYS) and
    `last_contacted_on`; fewest households first, so those below the rule lead. One query."""
    contacts = HouseholdContact.objects.filter(deputy=OuterRef("pk"), contacted_on__gte=contact_cutoff()).order_by()
    recent = Subquery(contacts.values("deputy").annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    return (Deputy.objects.filter(is_active=True)
            .annotate(household_count=Count("households"), last_contacted_on=_last_contact(),
                      contacts_recent=Coalesce(recent, 0))
            .order_by("household_count", "level", "name_pinyin"))


def deputy_list_not_contacting() -> QuerySet[Deputy]:
    """Active deputies with households who have contacted none of them since contact_cutoff() (or never):
    the longest silent first, with `household_count` and `last_contacted_on`. One query."""
    return (Deputy.objects.filter(is_active=True)
            .annotate(household_count=Count("households"), last_contacted_on=_last_contact())
            .filter(household_count__gt=0)
            .filter(Q(last_contacted_on__isnull=True) | Q(last_contacted_on__lt=contact_cutoff()))
            .order_by(Coalesce("last_contacted_on", datetime.date(1900, 1, 1)), "level", "name_pinyin"))


# --- the reminder -----------------------------------------------------------------------------------


def _period(today: datetime.date) -> int:
    # Periods of HOUSEHOLD_CONTACT_DAYS days counted from day one: a silent deputy hears once in each.
    return today.toordinal() // max(settings.HOUSEHOLD_CONTACT_DAYS, 1)


def household_reminders_send() -> int:
    """SMS every deputy of every township who has not contacted their households lately (through the
    outbox, keyed per deputy and period, so a second run in the same period sends nothing). Returns how
    many reminders were queued now."""
    sent = 0
    for township in each_township():
        period = _period(timezone.localdate())
        with translation.override(settings.LANGUAGE_CODE):
            for deputy in deputy_list_not_contacting().exclude(mobile=""):
                text = gettext("%(name)s, you have not been in touch with your %(count)d liaison households for "
                               "%(days)d days. Please visit or call them, and record it.") % {
                    "name": deputy.name, "count": deputy.household_count, "days": settings.HOUSEHOLD_CONTACT_DAYS}
                queued = notification_queue(
                    key=f"households:{deputy.pk}:{period}", channel=Notification.Channel.SMS, recipient=deputy.mobile,
                    body=f"【{township.station_name}】{text}", about=deputy, township=township)
                sent += queued is not None
    return sent


# --- the duty record's part (registered in DeputiesConfig.ready) --------------------------------------


def household_section(deputy: Deputy, year: int) -> Section | None:
    """Households kept, contacts made in `year` and households contacted in `year`. One query."""
    in_year = Q(contacts__deputy=deputy, contacts__contacted_on__range=year_bounds(year))
    counts = LiaisonHousehold.objects.filter(deputy=deputy).aggregate(
        n_households=Count("pk", distinct=True), n_contacts=Count("contacts", filter=in_year),
        n_contacted=Count("pk", distinct=True, filter=in_year))
    if not counts["n_households"]:
        return None
    return Section(key="households", title=_("Liaison households"), figures=[
        Figure("households", _("Liaison households"), counts["n_households"]),
        Figure("household_contacts", _("Household contacts"), counts["n_contacts"]),
        Figure("households_contacted", _("Households contacted"), counts["n_contacted"], of=counts["n_households"]),
    ])


def household_timeline(deputy: Deputy, year: int) -> list[Entry]:
    """The deputy's contacts in `year`: the kind and the village, never the household's name. One query."""
    contacts = (HouseholdContact.objects.filter(deputy=deputy, contacted_on__range=year_bounds(year))
                .select_related("household__village"))
    labels = {HouseholdContact.Kind.VISIT: _("Household visit"), HouseholdContact.Kind.CALL: _("Household call")}
    return [Entry(on=c.contacted_on, kind=labels[c.kind], text=c.household.village.name) for c in contacts]
