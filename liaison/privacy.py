"""Personal data (PIPL), in one place (docs/privacy.md): which field of which model holds whose personal
data, and the guards that keep names and numbers out of logs and error reports.

A test (tests/liaison/test_personal_data.py) walks every model of the station's apps and fails on a
field whose name suggests personal data that is classified neither here as personal nor as not.
Models are named by label: liaison imports no app.
"""

import logging
import re

from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.views.debug import SafeExceptionReporterFilter

from liaison.masking import mask_mobile

# Whose data, shown to whom, kept how long.
CONSTITUENT = "constituent's: shown to the back office only, masked in public, anonymised after the retention period"
DEPUTY = "deputy's: published on the public pages as the deputy chose (the mobile only with publish_mobile)"
HOUSEHOLD = "liaison household's: the back office only"
ACCOUNT = "back-office account's: administrators only"
OFFICIAL = "township official's work mobile: the back office only"
ACTIVITY = "people at a deputies' activity (photos): published with the activity when it is public"
DEPUTY_NOTE = "deputy's note to the station (why a duty day is offered): the back office only"

PERSONAL_DATA: dict[str, dict[str, str]] = {
    "petitions.Constituent": {"name": CONSTITUENT, "mobile": CONSTITUENT, "mobile_last4": CONSTITUENT,
                              "village": CONSTITUENT},
    # The texts a constituent typed or that quote them, the position of their phone, their photos.
    "petitions.Concern": {"constituent": CONSTITUENT, "content": CONSTITUENT, "place": CONSTITUENT,
                          "latitude": CONSTITUENT, "longitude": CONSTITUENT, "satisfaction_comment": CONSTITUENT,
                          "result": CONSTITUENT},
    "petitions.Reception": {"constituent": CONSTITUENT, "matters": CONSTITUENT, "answer": CONSTITUENT},
    "petitions.ConcernEvent": {"note": CONSTITUENT},
    "petitions.ConcernPhoto": {"image": CONSTITUENT},
    # A filing until the worker registers it, seconds (petitions.intake); a repeat keeps neither.
    "petitions.Filing": {"payload": CONSTITUENT, "photos": CONSTITUENT},
    "liaison.Notification": {"recipient": CONSTITUENT, "body": CONSTITUENT, "key": CONSTITUENT},
    "liaison.Township": {"escalation_mobiles": OFFICIAL},
    "deputies.Deputy": {"name": DEPUTY, "name_pinyin": DEPUTY, "photo": DEPUTY, "portrait_small": DEPUTY,
                        "portrait_large": DEPUTY, "gender": DEPUTY, "mobile": DEPUTY, "office_phone": DEPUTY,
                        "biography": DEPUTY, "user": DEPUTY},
    "deputies.LiaisonHousehold": {"head": HOUSEHOLD, "phone": HOUSEHOLD, "address": HOUSEHOLD, "note": HOUSEHOLD,
                                  "village": HOUSEHOLD},
    "deputies.ActivityPhoto": {"image": ACTIVITY},
    "deputies.HouseholdContact": {"notes": HOUSEHOLD, "household": HOUSEHOLD},
    "deputies.SwapRequest": {"note": DEPUTY_NOTE},
    "auth.User": {"username": ACCOUNT, "first_name": ACCOUNT, "last_name": ACCOUNT, "email": ACCOUNT},
}

# Fields whose names sound personal but hold a place's, an office's or the system's data.
NOT_PERSONAL: dict[str, set[str]] = {
    "liaison.County": {"name"},
    "liaison.Township": {"name", "station_name"},
    "liaison.CalendarDay": {"name"},
    "liaison.ApiClient": {"name"},
    # An e-mail's subject names the case by its tracking code (petitions.messages).
    "liaison.Notification": {"subject"},
    # Written by the application: tracking codes and reasons, never names or numbers (liaison.audit).
    "liaison.AuditEntry": {"subject", "reason"},
    "deputies.Area": {"name"},
    "deputies.Village": {"name"},
    # The cockpit's running totals (petitions.rollups): counts of cases, no case in them.
    **{f"petitions.{model}": {"channel_phone", "result_hours"}
       for model in ("ConcernDay", "ConcernTen", "ConcernMonth", "ConcernQuarter", "CountyConcernDay",
                     "CountyConcernTen", "CountyConcernMonth", "CountyConcernQuarter")},
    "deputies.Site": {"name", "address", "phone"},
    "deputies.Deputy": {"publish_mobile"},
    # A candidate project's screening: need, feasibility, cost; never a constituent's name or number.
    "projects.Candidate": {"screening_notes"},  # the deputy's choice, not a datum about them
    # A project carried out in public: the unit's progress notes and photos of the works, a supervising deputy's
    # comment and the unit's answer are acts of office, published (a mobile typed in is masked on the page).
    "projects.Milestone": {"note"},
    "projects.ProjectPhoto": {"comment", "image"},
    "projects.SupervisionComment": {"text", "answer", "answered_at", "answered_by", "answering_unit"},
    # Study materials: the station's own published texts.
    "dashboard.StudyCategory": {"name"},
    "dashboard.StudyMaterial": {"body"},
    # Where a deputies' activity took place, and what an enterprise (not a person) told them on a visit.
    "deputies.Activity": {"place"},
    "deputies.EnterpriseOpinion": {"text"},
    "petitions.Unit": {"name", "phone"},
    "petitions.Category": {"name"},
    # A deputy's suggestion and the units' answers are acts of office, published once adopted
    # (docs/suggestions.md): they name matters, never a constituent (the linked concerns keep those).
    "petitions.Suggestion": {"content", "answer", "answer_by", "answer_category", "answered_at", "follow_up_note"},
    "petitions.SuggestionUnit": {"return_reason"},
    "petitions.SuggestionEvent": {"note"},
    "auth.Group": {"name"},
    "auth.Permission": {"name", "codename", "content_type"},
}

# Field names that suggest personal data: a field so named must be classified above, one way or the other.
SUGGESTS_PERSONAL = re.compile(
    r"name|mobile|phone|address|place|id_card|identity|content|matters|answer|comment|note|body|recipient|"
    r"head|photo|image|portrait|biography|email|gender|birth|latitude|longitude|result|reason|subject$|text",
)


def notice_text(*, station: str) -> str:
    """The privacy notice as plain text, for systems that show it to the person filing (the open API's
    `consent` attribute); the same sentences as templates/partials/consent.html, so one translation serves
    both. Its version is settings.PRIVACY_NOTICE_VERSION."""
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    if days % 365 == 0:
        kept = ngettext("They are kept for %(years)s year after the matter has ended, then erased; the figures stay.",
                        "They are kept for %(years)s years after the matter has ended, then erased; the figures "
                        "stay.", days // 365) % {"years": days // 365}
    else:
        kept = ngettext("They are kept for %(days)s day after the matter has ended, then erased; the figures stay.",
                        "They are kept for %(days)s days after the matter has ended, then erased; the figures stay.",
                        days) % {"days": days}
    if settings.PRIVACY_CONTACT:
        ask = gettext("To see, correct or erase your data, ask %(station)s (%(contact)s).") % {
            "station": station, "contact": settings.PRIVACY_CONTACT}
    else:
        ask = gettext("To see, correct or erase your data, ask %(station)s.") % {"station": station}
    return " ".join([
        gettext("We collect your name, mobile number and village only to handle this matter and to tell you how it "
                "goes. Staff, the deputy and the handling unit see them; public pages never show them in full. "
                "Photos have their location data removed."),
        kept, ask,
        gettext("Notice version %(version)s.") % {"version": settings.PRIVACY_NOTICE_VERSION},
    ])


def classification(label: str, field: str) -> bool | None:
    """True if personal, False if classified as not, None if nobody said."""
    if field in PERSONAL_DATA.get(label, {}):
        return True
    if field in NOT_PERSONAL.get(label, set()):
        return False
    return None


# --- error reports and logs ----------------------------------------------------------------------

# POST fields and local variables whose values are a person's: hidden in error reports. Matched as a part of
# the key between dashes or underscores (form prefixes: "person-name", "concerns-0-content"), so a
# `context` or a `username` stays readable.
_PERSONAL_KEYS = re.compile(
    r"(?:^|[-_])(?:name|mobile|phone|address|place|content|matters|answer|comment|note|last4|reason|recipient|"
    r"text|body|head|data|post|values|new|constituent|filer|visitor)(?:$|[-_])",
    re.IGNORECASE,
)
_MOBILE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """settings.DEFAULT_EXCEPTION_REPORTER_FILTER: Django's filter, which hides passwords and keys, also
    hides what people typed about themselves (POST fields and local variables named like personal data)
    and masks any mobile number left in what it shows."""

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        cleansed = params.copy()
        for key in cleansed:
            if _PERSONAL_KEYS.search(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute if _PERSONAL_KEYS.search(name) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


def mask_mobiles_in(text: str) -> str:
    return _MOBILE.sub(lambda found: mask_mobile(found.group()), text)


class MaskMobilesFilter:
    """A logging filter on every handler (settings.LOGGING): any 11-digit mainland mobile in a log line is
    masked (138****5678), whoever logged it — the SMS console backend, an outbox error, Celery."""

    def filter(self, record) -> bool:
        message = record.getMessage()
        masked = mask_mobiles_in(message)
        if masked != message:
            record.msg, record.args = masked, None
        # A traceback carries numbers too (a unique-mobile IntegrityError's DETAIL): formatted here, masked,
        # and kept as the text the handler prints instead of formatting it again.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_mobiles_in(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_mobiles_in(record.stack_info)
        return True
