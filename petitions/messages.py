"""What each event tells whom. Texts are rendered in Chinese: the recipients read Chinese (DESIGN §7)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import roles
from petitions.models import Concern, Notification
from petitions.notifications import notification_queue

MERGE_TARGET_INVALID = gettext_lazy("Choose another open concern to merge into.")
S = Concern.Status
SMS, EMAIL = Notification.Channel.SMS, Notification.Channel.EMAIL


def _station() -> str:
    return settings.STATION_NAME or _("Baita Town Deputy Liaison Station")


def _track_url(concern: Concern) -> str:
    return settings.SITE_URL + reverse("petitions:track", args=[concern.tracking])


def _work_url(concern: Concern) -> str:
    return settings.SITE_URL + reverse("desk:concern", args=[concern.tracking])


def _sms(concern: Concern, who: str, mobile: str, text: str, occasion: str) -> None:
    notification_queue(
        key=f"{occasion}:{concern.pk}:{who}:{mobile}", channel=SMS, recipient=mobile,
        body=f"【{_station()}】{text}", concern=concern,
    )


def _unit_and_members(concern: Concern, text: str, occasion: str) -> None:
    unit = concern.unit
    if unit is None:
        return
    if unit.phone.isdigit() and len(unit.phone) == 11:
        _sms(concern, "unit", unit.phone, text, occasion)
    for member in unit.members.exclude(email=""):
        notification_queue(
            key=f"{occasion}:{concern.pk}:user:{member.pk}", channel=EMAIL, recipient=member.email,
            subject=_("Concern %(tracking)s") % {"tracking": concern.tracking}, body=text, concern=concern,
        )


def _officials(concern: Concern, text: str, occasion: str) -> None:
    officials = get_user_model().objects.filter(groups__name=roles.OFFICIAL, is_active=True).exclude(email="")
    for official in officials:
        notification_queue(
            key=f"{occasion}:{concern.pk}:user:{official.pk}", channel=EMAIL, recipient=official.email,
            subject=_("Overdue concern %(tracking)s") % {"tracking": concern.tracking}, body=text, concern=concern,
        )


def _to_constituent(concern: Concern, text: str, occasion: str) -> None:
    if concern.constituent_id:
        _sms(concern, "constituent", concern.constituent.mobile, text, occasion)


def _to_deputy(concern: Concern, text: str, occasion: str) -> None:
    if concern.deputy_id and concern.deputy.mobile:
        _sms(concern, "deputy", concern.deputy.mobile, text, occasion)


def on_submitted(concern: Concern) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _to_constituent(concern, _("We have received your concern. Tracking code %(code)s; follow it at %(url)s")
                        % {"code": concern.tracking, "url": _track_url(concern)}, "submitted")
        if concern.channel != Concern.Channel.PATROL:
            _to_deputy(concern, _("A constituent has raised a concern with you (%(category)s). Please handle it: %(url)s")
                       % {"category": concern.category.name, "url": _work_url(concern)}, "submitted")


def on_transition(concern: Concern, *, action: str, previous: str) -> None:
    """Queue the messages a workflow move implies (keys make each one at most once per occasion)."""
    occasion = f"{action}:{concern.events.count()}"
    with translation.override(settings.LANGUAGE_CODE):
        if action in ("assign", "reassign"):
            _unit_and_members(concern, _("Concern %(code)s (%(category)s) is assigned to you, due %(due)s: %(url)s")
                              % {"code": concern.tracking, "category": concern.category.name,
                                 "due": concern.deadline_on, "url": _work_url(concern)}, occasion)
        elif action in ("resolve", "answer"):
            _to_constituent(concern, _("Your concern %(code)s has a result. Please see it and rate it: %(url)s")
                            % {"code": concern.tracking, "url": _track_url(concern)}, occasion)
        elif action == "reopen":
            text = _("Concern %(code)s was reopened: the constituent is not satisfied. %(url)s") % {
                "code": concern.tracking, "url": _work_url(concern)}
            _to_deputy(concern, text, occasion)
            _unit_and_members(concern, text, occasion)
        elif action == "reject":
            _to_constituent(concern, _("Your concern %(code)s was not accepted: %(reason)s %(url)s")
                            % {"code": concern.tracking, "reason": concern.result, "url": _track_url(concern)}, occasion)
        elif action == "merge":
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
        text = _("Overdue: concern %(code)s was due %(due)s (unit: %(unit)s). %(url)s") % text_args
        _to_deputy(concern, text, f"overdue:{concern.deadline_on}")
        _officials(concern, text, f"overdue:{concern.deadline_on}")


def auto_close_note() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Closed automatically: no rating within %(days)d days.") % {"days": settings.AUTO_CLOSE_DAYS}
