"""Telling units and officials about a suggestion, through the outbox (liaison.outbox): e-mail to the accounts,
an SMS to a unit's own number when it is a mobile and to the township's escalation mobiles. Each message has an
outbox key, so the same occasion never sends twice."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import roles
from liaison.models import Notification
from liaison.outbox import notification_queue
from liaison.scoping import accounts_of
from liaison.validators import mobile_validator
from petitions.models import Suggestion, Unit

SMS, EMAIL = Notification.Channel.SMS, Notification.Channel.EMAIL


def desk_url(suggestion: Suggestion) -> str:
    return suggestion.township.public_url + reverse("desk:suggestion", args=[suggestion.pk])


def is_mobile(number: str) -> bool:
    try:
        mobile_validator(number)
    except ValidationError:
        return False
    return True


def to_unit(suggestion: Suggestion, unit: Unit, occasion: str, text: str) -> None:
    """E-mail to the unit's members, an SMS to the unit's own number if it is a mobile (as concerns do)."""
    key = f"{occasion}:{suggestion.pk}:unit{unit.pk}"
    subject = _("Suggestion “%(title)s”") % {"title": suggestion.title}
    for user in unit.members.filter(is_active=True).exclude(email=""):
        notification_queue(key=f"{key}:user:{user.pk}", channel=EMAIL, recipient=user.email, subject=subject,
                           body=text, about=suggestion)
    if is_mobile(unit.phone):
        notification_queue(key=f"{key}:sms:{unit.phone}", channel=SMS, recipient=unit.phone,
                           body=f"【{suggestion.township.station_name}】{text}", about=suggestion)


def to_officials(suggestion: Suggestion, occasion: str, text: str) -> None:
    """The township's officials: e-mail to their accounts, SMS to the township's escalation mobiles."""
    key = f"{occasion}:{suggestion.pk}"
    subject = _("Overdue suggestion “%(title)s”") % {"title": suggestion.title}
    officials = accounts_of(suggestion.township).filter(groups__name=roles.OFFICIAL, is_active=True).exclude(email="")
    for user in officials:
        notification_queue(key=f"{key}:official:{user.pk}", channel=EMAIL, recipient=user.email, subject=subject,
                           body=text, about=suggestion)
    for mobile in suggestion.township.escalation_mobile_list():
        notification_queue(key=f"{key}:official-sms:{mobile}", channel=SMS, recipient=mobile,
                           body=f"【{suggestion.township.station_name}】{text}", about=suggestion)
