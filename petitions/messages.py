"""What each event tells whom. Texts are rendered in Chinese: the recipients read Chinese (docs/language.md)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import roles
from liaison.models import Notification
from liaison.outbox import notification_queue
from liaison.scoping import accounts_of
from liaison.validators import mobile_validator
from petitions.models import Concern

logger = logging.getLogger("liaison.notifications")
MERGE_TARGET_INVALID = gettext_lazy("Choose another concern, not rejected or merged itself, to merge into.")
MERGE_INTO_ITSELF = gettext_lazy("A concern cannot be merged into itself: enter the tracking code of the original.")
S = Concern.Status
SMS, EMAIL = Notification.Channel.SMS, Notification.Channel.EMAIL


def _station(concern: Concern) -> str:
    return concern.township.station_name


def _track_url(concern: Concern) -> str:
    return concern.township.public_url + reverse("petitions:track", args=[concern.tracking])


def _work_url(concern: Concern) -> str:
    return concern.township.public_url + reverse("desk:concern", args=[concern.tracking])


def _is_mobile(number: str) -> bool:
    try:
        mobile_validator(number)
    except ValidationError:
        return False
    return True


def _sms(concern: Concern, who: str, mobile: str, text: str, occasion: str, *, capped: bool = False) -> bool:
    notification_queue(
        key=f"{occasion}:{concern.pk}:{who}:{mobile}", channel=SMS, recipient=mobile,
        body=f"【{_station(concern)}】{text}", about=concern,
        daily_cap=settings.SMS_DAILY_CAP_PER_NUMBER if capped else None,
    )
    return True


def _email_users(concern: Concern, users, subject: str, text: str, occasion: str) -> bool:
    sent = False
    for user in users.filter(is_active=True).exclude(email=""):
        notification_queue(key=f"{occasion}:{concern.pk}:user:{user.pk}", channel=EMAIL, recipient=user.email,
                           subject=subject, body=text, about=concern)
        sent = True
    return sent


def _nobody(concern: Concern, whom: str, occasion: str) -> None:
    # A notice with no address is a case someone will not hear about: make it visible in the logs.
    logger.warning("No %s to notify about concern %s (%s): add a mobile or e-mail address.", whom, concern.tracking,
                   occasion)


def _unit_and_members(concern: Concern, text: str, occasion: str) -> None:
    unit = concern.unit
    if unit is None:
        return
    by_sms = _is_mobile(unit.phone) and _sms(concern, "unit", unit.phone, text, occasion)
    subject = _("Concern %(tracking)s") % {"tracking": concern.tracking}
    if not (_email_users(concern, unit.members.all(), subject, text, occasion) or by_sms):
        _nobody(concern, f"member of {unit}", occasion)


def _officials(concern: Concern, text: str, occasion: str) -> None:
    by_sms = False
    for mobile in concern.township.escalation_mobile_list():
        by_sms = _sms(concern, "official", mobile, text, occasion)
    officials = accounts_of(concern.township).filter(groups__name=roles.OFFICIAL)
    subject = _("Overdue concern %(tracking)s") % {"tracking": concern.tracking}
    if not (_email_users(concern, officials, subject, text, occasion) or by_sms):
        _nobody(concern, "township official (set the township's escalation mobiles)", occasion)


def _station_staff(concern: Concern, text: str, occasion: str) -> None:
    by_sms = bool(concern.site_id) and _is_mobile(concern.site.phone) and _sms(
        concern, "site", concern.site.phone, text, occasion)
    staff = accounts_of(concern.township).filter(groups__name=roles.STAFF)
    subject = _("Concern %(tracking)s") % {"tracking": concern.tracking}
    if not (_email_users(concern, staff, subject, text, occasion) or by_sms):
        _nobody(concern, "station staff", occasion)


def _to_constituent(concern: Concern, text: str, occasion: str) -> None:
    # Capped: anyone can type any number into the public form, so the form must not become a way to
    # flood a stranger's phone. Numbers the station itself keeps (deputies, units, officials) are not:
    # an escalation must never be dropped.
    if concern.constituent_id:
        _sms(concern, "constituent", concern.constituent.mobile, text, occasion, capped=True)


def _to_deputy(concern: Concern, text: str, occasion: str) -> None:
    if concern.deputy_id and concern.deputy.mobile:
        _sms(concern, "deputy", concern.deputy.mobile, text, occasion)


def on_submitted(concern: Concern) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_constituent(concern, _("We have received your concern. Tracking code %(code)s; follow it at %(url)s")
                        % {"code": concern.tracking, "url": _track_url(concern)}, "submitted")
        if concern.channel == Concern.Channel.PATROL or (
                concern.deputy_id and concern.submitted_by_id and concern.submitted_by_id == concern.deputy.user_id):
            return  # the deputy filed it themselves (a patrol, a household's matter): nobody to tell
        text = _("A constituent has raised a concern with you (%(category)s). Please handle it: %(url)s") % {
            "category": concern.category.name, "url": _work_url(concern)}
        if concern.deputy_id:
            _to_deputy(concern, text, "submitted")
        else:
            _station_staff(concern, text, "submitted")  # filed to a site, or by staff for a caller


def on_released(concern: Concern, occasion: str) -> None:
    """A filing held for review was released: everything its filing would have said goes out now, under
    the filing's own keys, so it is said once however it came to be said."""
    on_submitted(concern)


# What each workflow move tells whom: petitions.workflow.ACTIONS names one of these per action.
# `occasion` is unique per move, so each message is queued at most once however often an action recurs.

def on_assigned(concern: Concern, occasion: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _unit_and_members(concern, _("Concern %(code)s (%(category)s) is assigned to you, due %(due)s: %(url)s")
                          % {"code": concern.tracking, "category": concern.category.name,
                             "due": concern.deadline_on, "url": _work_url(concern)}, occasion)


def on_resolved(concern: Concern, occasion: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_constituent(concern, _("Your concern %(code)s has a result. Please see it and rate it: %(url)s")
                        % {"code": concern.tracking, "url": _track_url(concern)}, occasion)
        # Those whose concern was merged into this one follow it: they hear of the result too.
        for duplicate in concern.duplicates.select_related("constituent"):
            _to_constituent(duplicate, _("The matter you raised (%(code)s) has a result: %(url)s")
                            % {"code": duplicate.tracking, "url": _track_url(concern)}, f"original-{occasion}")


def on_reopened(concern: Concern, occasion: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Concern %(code)s was reopened: the constituent is not satisfied. %(url)s") % {
            "code": concern.tracking, "url": _work_url(concern)}
        _to_deputy(concern, text, occasion)
        _unit_and_members(concern, text, occasion)


def on_rejected(concern: Concern, occasion: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_constituent(concern, _("Your concern %(code)s was not accepted: %(reason)s %(url)s")
                        % {"code": concern.tracking, "reason": concern.result, "url": _track_url(concern)}, occasion)


def on_merged(concern: Concern, occasion: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_constituent(concern, _("Your concern %(code)s is the same matter as %(into)s and is followed there: %(url)s")
                        % {"code": concern.tracking, "into": concern.merged_into.tracking,
                           "url": _track_url(concern.merged_into)}, occasion)


def on_deadline_near(concern: Concern) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _unit_and_members(concern, _("Reminder: concern %(code)s is due %(due)s. %(url)s")
                          % {"code": concern.tracking, "due": concern.deadline_on, "url": _work_url(concern)},
                          f"reminder:{concern.deadline_on}")


def on_overdue(concern: Concern) -> None:
    text_args = {"code": concern.tracking, "due": concern.deadline_on,
                 "unit": concern.unit.name if concern.unit_id else "—", "url": _work_url(concern)}
    with translation.override(settings.LANGUAGE_CODE):
        if concern.deadline_on:
            text = _("Overdue: concern %(code)s was due %(due)s (unit: %(unit)s). %(url)s") % text_args
        else:
            text = _("Not yet forwarded: concern %(code)s is waiting for someone to take it up. %(url)s") % text_args
        _to_deputy(concern, text, f"overdue:{concern.deadline_on}")
        _officials(concern, text, f"overdue:{concern.deadline_on}")


def reopen_deadline_note(*, deadline_on, previous) -> str:
    """The reopened case's deadline, for its timeline: the staff see at once whether it moved."""
    with translation.override(settings.LANGUAGE_CODE):
        if previous is None:
            return _("Deadline: %(date)s.") % {"date": deadline_on.isoformat()}
        if previous == deadline_on:
            return _("The deadline stays %(date)s.") % {"date": deadline_on.isoformat()}
        return _("New deadline %(date)s (was %(previous)s).") % {"date": deadline_on.isoformat(),
                                                                  "previous": previous.isoformat()}


# Why a filing from the public form was held for review (petitions.throttle, petitions.forms.public).
HOLD_REASONS = {
    "hidden_field": gettext_lazy("A field people cannot see was filled in: probably sent by a program."),
    "too_fast": gettext_lazy(
        "Sent %(seconds)d seconds after the form was opened; a person takes at least %(minimum)d."),
    "no_start": gettext_lazy("The form's opening time was missing or altered."),
    "mobile_burst": gettext_lazy("More than %(limit)d concerns from this mobile number within %(minutes)d minutes."),
    "mobile_day": gettext_lazy("More than %(limit)d concerns from this mobile number today."),
    "address_burst": gettext_lazy("More than %(limit)d concerns from this connection within %(minutes)d minutes."),
    "address_day": gettext_lazy("More than %(limit)d concerns from this connection today."),
}


def hold_note(reason: str, **params) -> str:
    """The staff's note on a held filing's timeline: why it waits for them."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Held for review: %(why)s") % {"why": HOLD_REASONS[reason] % params}


def auto_close_note(township) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Closed automatically: no rating within %(days)d days.") % {"days": township.auto_close_days}
