"""The open API's query of service requests (GET requests.json): the spec's filters and defaults."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The spec: "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest."
SPAN_DAYS = 90
LIMIT = 1000
OPEN, CLOSED = "open", "closed"


class _CommaListField(forms.CharField):
    """A comma-separated list ("open,closed"); the view joins a parameter given several times the same way."""

    def __init__(self, *, max_items: int = LIMIT, **kwargs):
        self.max_items = max_items
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> list[str]:
        items = [item.strip().lower() for item in (super().to_python(value) or "").split(",") if item.strip()]
        if len(items) > self.max_items:
            raise forms.ValidationError(_("At most %(n)d values.") % {"n": self.max_items})
        return list(dict.fromkeys(items))


_OFFSET_AS_SPACE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class _W3DateTimeField(forms.DateTimeField):
    """ISO 8601 with Z or an offset (the spec's w3 format), as Django reads it; a naive one is station time.
    A "+08:00" sent unencoded in a query string arrives as " 08:00" and is read as meant."""

    def to_python(self, value):
        return super().to_python(_OFFSET_AS_SPACE.sub(r"\1+\2", value.strip()) if isinstance(value, str) else value)



class RequestsQueryForm(forms.Form):
    service_request_id = _CommaListField()
    service_code = _CommaListField()
    start_date = _W3DateTimeField(required=False)
    end_date = _W3DateTimeField(required=False)
    status = _CommaListField(max_items=2)

    def clean_status(self) -> list[str]:
        statuses = self.cleaned_data["status"]
        if unknown := [s for s in statuses if s not in (OPEN, CLOSED)]:
            raise forms.ValidationError(_("Unknown status %(value)s: use open or closed.") % {"value": unknown[0]})
        return statuses

    def clean(self) -> dict:
        """The window: the most recent 90 days by default; one end given, 90 days from it; never longer."""
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        span = datetime.timedelta(days=SPAN_DAYS)
        if start and end:
            if end < start:
                self.add_error("end_date", _("end_date is before start_date."))
            elif end - start > span:
                self.add_error("end_date", _("start_date and end_date may be at most %(days)d days apart.")
                               % {"days": SPAN_DAYS})
        elif start:
            cleaned["end_date"] = start + span
        else:
            cleaned["end_date"] = end = end or timezone.now()
            cleaned["start_date"] = end - span
        return cleaned

    def error_messages(self) -> list[str]:
        return [f"{field}: {message}" if field != "__all__" else message
                for field, messages in self.errors.items() for message in messages]
