"""The open API's language: Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), in JSON and XML.

Categories are its services, concerns its service requests, a township its jurisdiction, the tracking
code its service_request_id. An answer shows no more of a concern than its public tracking page shows a
stranger (docs/privacy.md): never a name, a mobile, the place or a position; the text only when the
constituent agreed to show it; photos only those public.
"""

import datetime
import json
import re
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Village
from liaison.models import Township
from liaison.privacy import notice_text
from liaison.scoping import county_wide, current_township, default_township
from petitions import selectors
from petitions.forms.open311 import CLOSED, OPEN
from petitions.forms.public import ConcernFileForm
from petitions.models import Category, Concern

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# When this API's shape last changed (the discovery document's changeset).
CHANGESET = datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC)

# The XML element of each list's items (the spec's "Spark convention" maps JSON arrays to these).
_ITEM_TAGS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
              "values": "value", "endpoints": "endpoint", "formats": "format", "jurisdictions": "jurisdiction"}


# Control characters XML 1.0 cannot carry (pasted text sometimes has them); JSON escapes them instead.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """An answer in the spec's error format, [{"code": 400, "description": "..."}], with that HTTP status:
    404 for what does not exist, 403 for a missing or wrong api_key, 400 for anything else."""

    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None):
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)
        self.headers = headers or {}

    def response(self, fmt: str) -> HttpResponse:
        errors = [{"code": self.status, "description": str(text)} for text in self.descriptions]
        response = render(errors, fmt, root="errors", status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as the spec's XML under `root` (JSON's arrays become repeated elements)."""
    if fmt == "xml":
        element = ElementTree.Element(root)
        _fill(element, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="unicode")
    else:
        body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=status)


def _fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, _ITEM_TAGS.get(element.tag, "item")), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_IN_XML.sub("", str(value))


def w3_datetime(value: datetime.datetime | None) -> str | None:
    """The spec's date format (ISO 8601 with the offset), in station time: 2026-12-02T10:50:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- jurisdictions --------------------------------------------------------------------------------

def jurisdiction(code: str) -> Township:
    """The township a jurisdiction_id names. Optional while the county has one township (the spec: required
    only where an endpoint serves several); a code no township has is a 404."""
    with county_wide():
        if code:
            township = Township.objects.select_related("county").filter(code=code).first()
            if township is None:
                raise Open311Error(404, gettext("No jurisdiction has the jurisdiction_id %(code)s.") % {"code": code})
            return township
        townships = list(Township.objects.select_related("county")[:2])
    if not townships:  # a database emptied since its migrations (manage.py flush): as on the public pages
        return default_township()
    if len(townships) > 1:
        raise Open311Error(400, gettext(
            "jurisdiction_id was not provided: this endpoint serves several townships; give the township's code."))
    return townships[0]


# --- services (categories) --------------------------------------------------------------------------

# Every service takes the same attributes: those of the station's own filing form (consent, village,
# whether the text may be public), so a concern filed through the API carries what one filed on the web does.
IS_PUBLIC_VALUES = {"true": True, "false": False}


def service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": gettext("Handled within %(days)d working days of being passed to the handling unit.")
        % {"days": category.deadline_days},
        "metadata": True,
        "type": "realtime",  # the tracking code is returned at once
        "keywords": None,
        "group": category.default_unit.name if category.default_unit_id else None,
    }


def _attribute(code: str, order: int, description: str, *, variable: bool = True, datatype: str = "singlevaluelist",
               values: list[dict] | None = None) -> dict:
    return {"variable": variable, "code": code, "datatype": datatype, "required": False,
            "datatype_description": None, "order": order, "description": str(description), "values": values or []}


def service_definition(category: Category, villages: list[Village]) -> dict:
    return {"service_code": category.code, "attributes": [
        # variable false: information shown to the person filing, the web form's privacy notice, whole
        # (docs/privacy.md): a filing through the API records its version.
        _attribute("consent", 1, notice_text(station=(current_township() or category.township).station_name),
                   variable=False, datatype="text"),
        _attribute("village", 2, _("Village"), values=[{"key": v.name, "name": v.name} for v in villages]),
        _attribute("is_public", 3, _("The station may show this concern publicly without my name."),
                   values=[{"key": "true", "name": gettext("Yes")}, {"key": "false", "name": gettext("No")}]),
    ]}


# --- service requests (concerns) ------------------------------------------------------------------

def status_of(concern: Concern) -> str:
    """open while someone is to act on it; closed once it has a result or ended (resolved, closed, rejected, merged)."""
    return OPEN if concern.is_open else CLOSED


def statuses_for(open_or_closed: str) -> list[str]:
    if open_or_closed == OPEN:
        return list(Concern.OPEN_STATUSES)
    return [s for s in Concern.Status.values if s not in Concern.OPEN_STATUSES]


def _status_notes(concern: Concern) -> str | None:
    if concern.result:
        return selectors.concern_public_text(concern=concern, text=concern.result)
    if concern.merged_into_id:
        return gettext("The same matter as %(code)s, and followed there.") % {"code": concern.merged_into.tracking}
    return None


def _expected(concern: Concern) -> str | None:
    # Due by the end of the deadline day (overdue from the next one); shown while open, as on the tracking page.
    if not (concern.is_open and concern.deadline_on):
        return None
    end_of_day = datetime.datetime.combine(concern.deadline_on, datetime.time(23, 59, 59))
    return w3_datetime(timezone.make_aware(end_of_day))


def _media_url(concern: Concern) -> str | None:
    photos = concern.public_photos  # selectors.concern_list_public: public ones, as reported first
    return concern.township.public_url + photos[0].get_absolute_url() if photos else None


def service_request(concern: Concern) -> dict:
    """A concern as the spec's service request, plus two extensions: our finer status and the outcome."""
    return {
        "service_request_id": concern.tracking,
        "status": status_of(concern),
        "status_notes": _status_notes(concern),
        "service_name": concern.category.name,
        "service_code": concern.category.code,
        "description": selectors.concern_public_text(concern=concern, text=concern.content)
        if concern.is_public else None,
        "agency_responsible": concern.unit.name if concern.unit_id else None,
        "service_notice": None,
        "requested_datetime": w3_datetime(concern.created_at),
        "updated_datetime": w3_datetime(concern.updated_at),
        "expected_datetime": _expected(concern),
        # The village, as the tracking page shows it; the place typed and any position are the constituent's.
        "address": concern.village.name if concern.village_id else None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": _media_url(concern),
        "status_detail": concern.status,
        "outcome": concern.outcome or None,
    }


def track_url(concern: Concern) -> str:
    return concern.township.public_url + reverse("petitions:track", args=[concern.tracking])


# --- filing (POST requests) -----------------------------------------------------------------------

# The web form's fields, by the names the spec gives them.
_API_NAMES = {"name": "first_name/last_name", "mobile": "phone", "content": "description",
              "place": "address_string", "village": "attribute[village]", "is_public": "attribute[is_public]",
              "category": "service_code"}


def post_params(request) -> tuple[dict[str, str], dict[str, str]]:
    """A POST's parameters and its attributes (attribute[code]=value), from a form-encoded body (the spec's)
    or a JSON object; the query string counts too (some clients put api_key there)."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise Open311Error(400, gettext("The request body is not valid JSON.")) from None
        if not isinstance(body, dict):
            raise Open311Error(400, gettext("The request body must be a JSON object."))
        given = {key: value for key, value in body.items() if not isinstance(value, (dict, list))}
        nested = body.get("attribute") if isinstance(body.get("attribute"), dict) else {}
    else:
        given, nested = _flat(request.POST), {}
    params = {**_flat(request.GET), **given}
    attributes = {key[len("attribute["):].split("]")[0]: value for key, value in params.items()
                  if key.startswith("attribute[")}
    attributes.update(nested)
    return ({key: "" if value is None else str(value).strip() for key, value in params.items()},
            {key: "" if value is None else str(value).strip() for key, value in attributes.items()})


def _flat(query: QueryDict) -> dict[str, str]:
    return {key: query.get(key) for key in query}


def _full_name(params: dict[str, str]) -> str:
    first, last = params.get("first_name", ""), params.get("last_name", "")
    if any(c.isascii() and c.isalpha() for c in first + last):
        return " ".join(filter(None, [first, last]))  # John Smith
    return last + first  # 陈 + 西荣: the family name first


def filing_form(params: dict[str, str], attributes: dict[str, str], *, category: Category) -> ConcernFileForm:
    """The web's filing form, bound to what the API was sent: the same checks (name and mobile required,
    a mainland mobile, the text's length, the village and category of this township)."""
    village = attributes.get("village", "")
    village_pk = Village.objects.filter(name=village).values_list("pk", flat=True).first() if village else None
    is_public = attributes.get("is_public", "").lower()
    return ConcernFileForm({
        "name": _full_name(params),
        "mobile": params.get("phone", ""),
        # A village name this township does not have: the form's own "not one of the choices" error.
        "village": village_pk or ("unknown" if village else ""),
        "category": category.pk,
        "content": params.get("description", ""),
        "place": params.get("address_string", ""),
        "is_public": "on" if IS_PUBLIC_VALUES.get(is_public) else "",  # anything but "true": not public
    })


def form_errors(form: ConcernFileForm) -> list[str]:
    """The form's messages, each prefixed with the API parameter it is about."""
    return [f"{_API_NAMES.get(field, field)}: {message}" if field != "__all__" else message
            for field, messages in form.errors.items() for message in messages]


def position(params: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
    """(lat, long) as sent, to the model's six decimals, or (None, None); refused unless both are WGS84 degrees."""
    lat, long = params.get("lat", ""), params.get("long", "")
    if not (lat or long):
        return None, None
    try:
        lat_value, long_value = (Decimal(value).quantize(Decimal("0.000001")) for value in (lat, long))
        valid = -90 <= lat_value <= 90 and -180 <= long_value <= 180  # NaN compares False
    except (InvalidOperation, ValueError):
        valid = False
    if not valid:
        raise Open311Error(400, "lat/long: " + gettext(
            "Give both, in WGS84 degrees (e.g. lat=28.846 and long=120.733)."))
    return lat_value, long_value
