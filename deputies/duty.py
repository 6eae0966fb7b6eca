"""Services of the duty roster (docs/duty.md): the rule's dates, the fair rotation, adjustments, swap
requests, check-in, publishing and reminders. Reads are in deputies.duty_selectors."""

import calendar
import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deputies.duty_workflow import DEPUTY as DEPUTY_ROLE
from deputies.duty_workflow import DutyError, check
from deputies.models import Deputy, DutyDay, DutyFeed, DutyRule, Shift, Site, SwapRequest
from deputies.models.duty import new_feed_token
from liaison.calendar import is_workday
from liaison.models import CalendarDay, Notification
from liaison.outbox import notification_queue

PUBLISH_AHEAD_DAYS = 3  # the announcement: day, place and deputies at least three days ahead
Source = Shift.Source


# --- the rule's dates -----------------------------------------------------------------------------

def _month_starts(first: datetime.date, months: int) -> list[datetime.date]:
    starts, year, month = [], first.year, first.month
    for _n in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def _moved(day: datetime.date, how: str, exceptions: dict) -> datetime.date | None:
    if how == DutyRule.OnHoliday.KEEP or is_workday(day, exceptions):
        return day
    if how == DutyRule.OnHoliday.SKIP:
        return None
    step = datetime.timedelta(days=1 if how == DutyRule.OnHoliday.NEXT else -1)
    while not is_workday(day, exceptions):
        day += step
    return day


def rule_dates(*, rule: DutyRule, first: datetime.date, months: int) -> list[datetime.date]:
    """The duty dates of `months` calendar months from the month of `first`, after the rule's holiday move
    (liaison.calendar: weekends and holidays are off, make-up days are on). A day of the month the month
    lacks (the 31st in April) is not held. One query."""
    starts = _month_starts(first, months)
    end = datetime.date(starts[-1].year, starts[-1].month, calendar.monthrange(starts[-1].year, starts[-1].month)[1])
    exceptions = dict(CalendarDay.objects.filter(
        date__range=(starts[0] - datetime.timedelta(days=20), end + datetime.timedelta(days=20)),
    ).values_list("date", "is_workday"))
    dates = set()
    for start in starts:
        length = calendar.monthrange(start.year, start.month)[1]
        nominal = {start.replace(day=d) for d in rule.month_days if d <= length}
        nominal |= {start + datetime.timedelta(days=n) for n in range(length)
                    if (start + datetime.timedelta(days=n)).isoweekday() in rule.iso_weekdays}
        for day in nominal:
            if (moved := _moved(day, rule.on_holiday, exceptions)) is not None:
                dates.add(moved)
    return sorted(dates)


def duty_rule_save(*, site: Site, days_of_month: str = "", weekdays: str = "", deputies_per_day: int = 2,
                   on_holiday: str = DutyRule.OnHoliday.NEXT, starts_at: datetime.time | None = None,
                   ends_at: datetime.time | None = None) -> DutyRule:
    rule = DutyRule.objects.filter(site=site).first() or DutyRule(site=site, township=site.township)
    rule.days_of_month, rule.weekdays, rule.deputies_per_day, rule.on_holiday = (
        days_of_month, weekdays, deputies_per_day, on_holiday)
    if starts_at:
        rule.starts_at = starts_at
    if ends_at:
        rule.ends_at = ends_at
    rule.full_clean()
    rule.save()
    return rule


# --- the fair rotation ----------------------------------------------------------------------------

def _pick(candidates: list[Deputy], counts: dict, last: dict, size: int) -> list[Deputy]:
    """`size` deputies: always among those who have served least (so no one gets two days ahead of
    another), and among those, first a level not yet on the day. Ties go to whoever served longest ago,
    then to the lower pk: the same history gives the same roster."""
    chosen: list[Deputy] = []
    for _slot in range(min(size, len(candidates))):
        left = sorted((d for d in candidates if d not in chosen),
                      key=lambda d: (counts[d.pk], last.get(d.pk) or datetime.date.min, d.pk))
        least = [d for d in left if counts[d.pk] == counts[left[0].pk]]
        levels = {d.level for d in chosen}
        chosen.append(next((d for d in least if d.level not in levels), least[0]))
    return chosen


def roster_generate(*, site: Site, first: datetime.date, months: int, today: datetime.date | None = None) -> int:
    """Fill the site's duty days of `months` months from the month of `first` with a rotation of the
    site's active deputies. Days past, published or adjusted by staff are kept as they are and their
    shifts count; the other days of the period get their generated shifts made anew. The count each
    deputy starts from is their shifts standing in the year before the period, so generating month by
    month stays as even as generating the year at once. Repeatable: the same data gives the same roster.
    Returns the number of days filled. Raises DutyError without a rule or deputies."""
    today = today or timezone.localdate()
    rule = DutyRule.objects.filter(site=site).first()
    if rule is None or not (rule.month_days or rule.iso_weekdays):
        raise DutyError(_("Set the site's duty rule first."))
    deputies = list(Deputy.objects.filter(site=site, is_active=True).order_by("pk"))
    if not deputies:
        raise DutyError(_("The site has no active deputies."))
    dates = rule_dates(rule=rule, first=first, months=months)
    if not dates:
        return 0
    since = dates[0] - datetime.timedelta(days=365)
    standing = Shift.objects.filter(day__site=site, is_cancelled=False, day__held_on__gte=since)
    with transaction.atomic():
        existing = {day.held_on: day for day in DutyDay.objects.select_for_update().filter(
            site=site, held_on__range=(dates[0], dates[-1]))}
        kept = {d for d, day in existing.items() if day.is_published or day.is_adjusted or d < today}
        open_days = [existing[d] for d in existing if d not in kept]
        Shift.objects.filter(day__in=open_days).delete()
        rows = standing.filter(day__held_on__lt=dates[0]).values("deputy").annotate(n=Count("pk"), last=Max("day__held_on"))
        counts = {d.pk: 0 for d in deputies}
        last = {}
        for row in rows:
            if row["deputy"] in counts:
                counts[row["deputy"]], last[row["deputy"]] = row["n"], row["last"]
        kept_shifts = {}
        for deputy_pk, held_on in standing.filter(day__held_on__in=kept).values_list("deputy", "day__held_on"):
            kept_shifts.setdefault(held_on, []).append(deputy_pk)
        new_shifts, filled = [], 0
        for held_on in dates:
            if held_on in kept:
                served = kept_shifts.get(held_on, [])
            else:
                day = existing.get(held_on) or DutyDay.objects.create(site=site, held_on=held_on,
                                                                      township=site.township)
                picked = _pick(deputies, counts, last, rule.deputies_per_day)
                new_shifts += [Shift(day=day, deputy=d, township=site.township) for d in picked]
                served, filled = [d.pk for d in picked], filled + 1
            for pk in served:
                if pk in counts:
                    counts[pk] += 1
                    last[pk] = held_on
        Shift.objects.bulk_create(new_shifts)
    return filled


# --- adjusting ------------------------------------------------------------------------------------

def _standing(day: DutyDay) -> dict[int, Shift]:
    return {s.deputy_id: s for s in day.shifts.filter(is_cancelled=False)}


def _check_deputies(day: DutyDay, deputies: Iterable[Deputy]) -> None:
    for deputy in deputies:
        if deputy.township_id != day.township_id:
            raise DutyError(_("“%(name)s” belongs to another township.") % {"name": deputy})


def duty_day_override(*, day: DutyDay, deputies: Sequence[Deputy]) -> DutyDay:
    """Set the day's deputies to exactly `deputies`: those dropped have their shifts cancelled, those
    added get shifts "set by staff"; the day is adjusted (a new rotation leaves it alone)."""
    _check_deputies(day, deputies)
    if not deputies:
        raise DutyError(_("Choose at least one deputy."))
    with transaction.atomic():
        standing = _standing(day)
        wanted = {d.pk for d in deputies}
        Shift.objects.filter(pk__in=[s.pk for pk, s in standing.items() if pk not in wanted]).update(is_cancelled=True)
        Shift.objects.bulk_create([Shift(day=day, deputy=d, source=Source.OVERRIDE, township=day.township)
                                   for d in deputies if d.pk not in standing])
        day.is_adjusted = True
        day.save(update_fields=["is_adjusted", "updated_at"])
    return day


def shift_replace(*, shift: Shift, deputy: Deputy, source: str = Source.REPLACEMENT) -> Shift:
    """`deputy` takes `shift` over: the shift is cancelled and a new one made for `deputy` on the same day."""
    _check_deputies(shift.day, [deputy])
    if shift.is_cancelled:
        raise DutyError(_("That shift was already given up."))
    if deputy.pk == shift.deputy_id:
        raise DutyError(_("Choose another deputy."))
    with transaction.atomic():
        if shift.day.shifts.filter(deputy=deputy, is_cancelled=False).exists():
            raise DutyError(_("%(name)s is already on duty that day.") % {"name": deputy})
        Shift.objects.filter(pk=shift.pk).update(is_cancelled=True)
        new = Shift(day=shift.day, deputy=deputy, source=source, township=shift.township)
        new.full_clean()
        new.save()
        DutyDay.objects.filter(pk=shift.day_id).update(is_adjusted=True)
    return new


def shift_swap(*, first: Shift, second: Shift) -> tuple[Shift, Shift]:
    """Two deputies exchange their days: the deputy of `first` takes `second`'s day and the other way round."""
    if first.day_id == second.day_id:
        raise DutyError(_("Both shifts are on the same day: choose shifts on two days."))
    with transaction.atomic():
        one = shift_replace(shift=first, deputy=second.deputy, source=Source.SWAP)
        two = shift_replace(shift=second, deputy=first.deputy, source=Source.SWAP)
    return one, two


# --- swap requests --------------------------------------------------------------------------------

def swap_request_create(*, shift: Shift, note: str = "") -> SwapRequest:
    """The shift's deputy asks someone to take the day over."""
    if shift.is_cancelled or shift.day.held_on < timezone.localdate():
        raise DutyError(_("Only a coming shift can be offered."))
    if SwapRequest.objects.filter(shift=shift, status__in=[SwapRequest.Status.REQUESTED,
                                                          SwapRequest.Status.TAKEN]).exists():
        raise DutyError(_("This shift is already offered."))
    request = SwapRequest(shift=shift, requested_by=shift.deputy, note=note, township=shift.township)
    request.full_clean()
    request.save()
    return request


def swap_transition(*, request: SwapRequest, action: str, role: str, user=None,
                    deputy: Deputy | None = None) -> SwapRequest:
    """Move a swap request (deputies.duty_workflow.ACTIONS). "take" needs `deputy` (the taker, of the
    same site, not the requester, not on duty that day); "cancel" by a deputy only by the requester;
    "confirm" hands the shift to the taker (source "swap"). Raises DutyError."""
    with transaction.atomic():
        request = SwapRequest.objects.select_for_update().select_related("shift__day", "requested_by").get(
            pk=request.pk)
        step = check(action_name=action, request=request, role=role)
        if action == "take":
            if deputy is None or deputy.pk == request.requested_by_id or deputy.site_id != request.shift.day.site_id:
                raise DutyError(_("Only another deputy of the same site can take this day."))
            if request.shift.day.shifts.filter(deputy=deputy, is_cancelled=False).exists():
                raise DutyError(_("You are already on duty that day."))
            request.taken_by = deputy
        elif action == "cancel" and role == DEPUTY_ROLE and (deputy is None or deputy.pk != request.requested_by_id):
            raise DutyError(_("Only the deputy who asked can cancel the request."))
        elif action == "confirm":
            shift_replace(shift=request.shift, deputy=request.taken_by, source=Source.SWAP)
        if action in ("confirm", "refuse"):
            request.decided_by, request.decided_at = user, timezone.now()
        request.status = step.target
        request.save()
    return request


# --- check-in -------------------------------------------------------------------------------------

def shift_check_in(*, shift: Shift, by) -> Shift:
    """Mark the shift attended (idempotent: the first check-in's time and person stay)."""
    if shift.is_cancelled:
        raise DutyError(_("That shift was given up."))
    Shift.objects.filter(pk=shift.pk, checked_in_at__isnull=True).update(
        attended=True, checked_in_at=timezone.now(), checked_in_by=by)
    shift.refresh_from_db()
    return shift


def duty_day_attendance(*, day: DutyDay, present: Iterable[int], by) -> DutyDay:
    """Staff tick who was there: the standing shifts of deputies in `present` are attended, the others not."""
    present = set(present)
    with transaction.atomic():
        for shift in day.shifts.filter(is_cancelled=False):
            if shift.deputy_id in present and not shift.attended:
                Shift.objects.filter(pk=shift.pk).update(attended=True, checked_in_at=timezone.now(),
                                                         checked_in_by=by)
            elif shift.deputy_id not in present and shift.attended:
                Shift.objects.filter(pk=shift.pk).update(attended=False, checked_in_at=None, checked_in_by=None)
    return day


def deputy_check_in_at_site(*, deputy: Deputy, site: Site, by, today: datetime.date | None = None) -> Shift:
    """The deputy scanned the site's QR code: check them in on today's shift there. Raises DutyError when
    they are not on duty there today."""
    today = today or timezone.localdate()
    shift = Shift.objects.filter(deputy=deputy, day__site=site, day__held_on=today, is_cancelled=False).first()
    if shift is None:
        raise DutyError(_("You are not on duty here today."))
    return shift_check_in(shift=shift, by=by)


# --- publishing and reminders ---------------------------------------------------------------------

def duty_days_publish(*, days) -> int:
    """Publish the given duty days not yet published (a queryset). Returns how many were published."""
    return days.filter(is_published=False).update(is_published=True, published_at=timezone.now())


def duty_month_publish(*, site: Site, year: int, month: int) -> int:
    """Staff publish a whole month at once."""
    return duty_days_publish(days=DutyDay.objects.filter(site=site, held_on__year=year, held_on__month=month))


def duty_publish_due(*, today: datetime.date | None = None) -> int:
    """Publish every duty day from today to PUBLISH_AHEAD_DAYS ahead (in the current township scope): run
    daily, so a day is announced three days ahead even when staff forgot. Idempotent."""
    today = today or timezone.localdate()
    return duty_days_publish(days=DutyDay.objects.filter(
        held_on__range=(today, today + datetime.timedelta(days=PUBLISH_AHEAD_DAYS))))


def duty_reminders_send(*, today: datetime.date | None = None) -> int:
    """The day before a duty day, an SMS to each deputy on shift (one per shift, keyed by it: a second
    run sends nothing). Returns the number of messages queued."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    shifts = Shift.objects.filter(day__held_on=tomorrow, is_cancelled=False).exclude(deputy__mobile="").select_related(
        "deputy", "day__site__duty_rule", "township")
    queued = 0
    # A periodic task has no request language: the message goes out in the station's language.
    with translation.override(settings.LANGUAGE_CODE):
        for shift in shifts:
            queued += _remind(shift, tomorrow)
    return queued


def _remind(shift: Shift, tomorrow: datetime.date) -> int:
    rule = getattr(shift.day.site, "duty_rule", None)
    text = _("【%(station)s】Reminder: you are on duty at %(site)s tomorrow, %(date)s%(hours)s.") % {
        "station": shift.township.station_name, "site": shift.day.site.name, "date": f"{tomorrow:%m-%d}",
        "hours": f" {rule.hours}" if rule else "",
    }
    return 1 if notification_queue(key=f"duty-reminder:{shift.pk}", channel=Notification.Channel.SMS,
                                   recipient=shift.deputy.mobile, body=text, about=shift) else 0


# --- the calendar feed ----------------------------------------------------------------------------

def duty_feed_get_or_create(*, deputy: Deputy) -> DutyFeed:
    feed, _created = DutyFeed.objects.get_or_create(deputy=deputy, defaults={"township": deputy.township})
    return feed


def duty_feed_revoke(*, deputy: Deputy) -> DutyFeed:
    """A new secret link; the old one stops working."""
    feed = duty_feed_get_or_create(deputy=deputy)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed

