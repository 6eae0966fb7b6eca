"""The open API (Open311 GeoReport v2) under /open311/v2/: categories, filing a concern, following concerns.

No account: reads are public (what a concern's tracking page shows a stranger, petitions.open311);
filing takes an API key (liaison.ApiClient), counted per key. Each request is narrowed to the township
its jurisdiction_id names. Errors answer in the spec's format, never as an HTML page.
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from deputies.models import Village
from liaison.apikeys import api_client_for_key
from liaison.masking import mask_mobile
from liaison.models import Township
from liaison.scoping import county_wide, enter_township
from petitions import open311, selectors, services, throttle
from petitions.forms.open311 import LIMIT, RequestsQueryForm
from petitions.models import Category, Concern
from petitions.open311 import Open311Error, render

_READ = ("GET", "HEAD")


def _open311(*methods: str):
    """The spec's frame around a view: a known format (.json or .xml), the allowed methods, the
    `locale` parameter (zh-hans or en), errors as the spec writes them, and reads open to any web page."""

    def decorator(view):
        # No cookie or session is read here (the api_key is the credential), so CSRF has nothing to protect;
        # exempt, a POST to a read-only path gets the spec's 405 rather than the site's CSRF page.
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            locale = (request.GET.get("locale") or request.POST.get("locale") or "").lower()
            with translation.override(locale if locale in dict(settings.LANGUAGES) else translation.get_language()):
                if fmt not in open311.CONTENT_TYPES:
                    return Open311Error(404, gettext("No such format: use .json or .xml.")).response("json")
                try:
                    if request.method not in methods:
                        raise Open311Error(405, gettext("Use %(methods)s here.") % {"methods": ", ".join(methods)})
                    response = view(request, *args, fmt=fmt, **kwargs)
                except Open311Error as error:
                    response = error.response(fmt)
            if request.method in _READ:
                response["Access-Control-Allow-Origin"] = "*"  # public data; no cookies are read
            if response.status_code == 405:
                response["Allow"] = ", ".join(methods)
            return response

        return wrapper

    return decorator


def _enter_jurisdiction(request: HttpRequest, params) -> Township:
    township = open311.jurisdiction((params.get("jurisdiction_id") or "").strip().lower())
    enter_township(request, township)
    return township


def _category(code: str) -> Category:
    category = Category.objects.filter(code=code.strip().lower(), is_active=True).select_related("default_unit").first()
    if category is None:
        raise Open311Error(404, gettext("No service has the service_code %(code)s in this jurisdiction.")
                           % {"code": code})
    return category


@_open311(*_READ)
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """The spec's service discovery document, with the jurisdictions (townships) as an extension."""
    root = request.build_absolute_uri(reverse("open311:root"))
    with county_wide():
        townships = list(Township.objects.select_related("county"))
    return render({
        "changeset": open311.w3_datetime(open311.CHANGESET),
        "contact": townships[0].county.name if townships else "",
        "key_service": gettext("API keys for filing are issued by the county's administrators."),
        "endpoints": [{"specification": open311.SPECIFICATION, "url": root,
                       "changeset": open311.w3_datetime(open311.CHANGESET), "type": "production",
                       "formats": [open311.CONTENT_TYPES[f].split(";")[0] for f in ("json", "xml")]}],
        "jurisdictions": [{"jurisdiction_id": t.code, "name": t.name} for t in townships],
    }, fmt, root="discovery")


def root(request: HttpRequest) -> HttpResponse:
    return discovery(request, fmt="json")


@_open311(*_READ)
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _enter_jurisdiction(request, request.GET)
    categories = Category.objects.filter(is_active=True).select_related("default_unit").order_by("position", "name")
    return render([open311.service(c) for c in categories], fmt, root="services")


@_open311(*_READ)
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _enter_jurisdiction(request, request.GET)
    category = _category(code)
    villages = list(Village.objects.order_by("area__position", "name"))
    return render(open311.service_definition(category, villages), fmt, root="service_definition")


@_open311("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    _enter_jurisdiction(request, request.GET)
    form = RequestsQueryForm({name: ",".join(request.GET.getlist(name)) for name in request.GET})
    if not form.is_valid():
        raise Open311Error(400, *form.error_messages())
    query = form.cleaned_data
    if query["service_request_id"]:  # "This overrides all other arguments."
        concerns = selectors.concern_list_public(trackings=query["service_request_id"], limit=LIMIT)
    else:
        concerns = selectors.concern_list_public(
            category_codes=query["service_code"], since=query["start_date"], until=query["end_date"],
            statuses=[s for wanted in query["status"] for s in open311.statuses_for(wanted)], limit=LIMIT,
        )
    return render([open311.service_request(c) for c in concerns], fmt, root="service_requests")


@_open311(*_READ)
def request_detail(request: HttpRequest, tracking: str, fmt: str) -> HttpResponse:
    _enter_jurisdiction(request, request.GET)
    found = selectors.concern_list_public(trackings=[tracking.lower()], limit=1)
    if not found:
        raise Open311Error(404, gettext("No service request has the service_request_id %(id)s in this jurisdiction.")
                           % {"id": tracking})
    return render([open311.service_request(found[0])], fmt, root="service_requests")


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST requests: file a concern as the web form does (its checks, its repeat detection, its messages)."""
    params, attributes = open311.post_params(request)
    client = api_client_for_key(params.get("api_key", ""))
    if client is None:
        raise Open311Error(403, gettext("api_key was not provided or is not valid."))
    if not throttle.take_an_api_post(throttle.api_post_limits(client)):
        raise Open311Error(429, gettext("This api_key filed too many service requests: at most %(n)d an hour. "
                                        "Try again later.") % {"n": settings.OPEN311_POSTS_PER_HOUR},
                           headers={"Retry-After": str(throttle.API_POST_WINDOW_SECONDS)})
    township = _enter_jurisdiction(request, params)
    if not client.may_file_into(township):
        raise Open311Error(403, gettext("This api_key may not file into the jurisdiction %(code)s.")
                           % {"code": township.code})
    if not params.get("service_code"):
        raise Open311Error(400, gettext("service_code was not provided."))
    form = open311.filing_form(params, attributes, category=_category(params["service_code"]))
    errors = [] if form.is_valid() else open311.form_errors(form)
    try:
        latitude, longitude = open311.position(params)
    except Open311Error as error:
        errors += error.descriptions
    if errors:  # all at once, as the web form shows every field's error
        raise Open311Error(400, *errors)
    data = form.cleaned_data
    try:
        concern, created = services.concern_submit(
            channel=Concern.Channel.ONLINE, category=data["category"], content=data["content"], mobile=data["mobile"],
            name=data["name"], village=data["village"], place=data["place"], latitude=latitude, longitude=longitude,
            is_public=data["is_public"], submission_key=data["submission_key"], api_client=client,
            # The client showed the person the web form's notice: the `consent` attribute of every service.
            notice_version=settings.PRIVACY_NOTICE_VERSION,
        )
    except ValidationError as exc:
        raise Open311Error(400, *exc.messages) from exc
    if created:
        notice = gettext("Your concern has been received. Follow it at %(url)s; we sent you an SMS with this link.") % {
            "url": open311.track_url(concern)}
    elif concern.api_client_id == client.pk:  # this client's own repeat (a retry): it has the code already
        notice = gettext("You sent the same concern again. It was not filed twice, and no second SMS is sent.")
    else:
        # Filed before elsewhere (the web form, another client): whoever knows a mobile and the words must
        # not learn the code, as on the web form; the owner has it by SMS.
        raise Open311Error(400, gettext(
            "We already received this concern; it was not filed again. Its tracking code was sent by "
            "SMS to %(mobile)s when it was first received.") % {"mobile": mask_mobile(data["mobile"])})
    return render([{"service_request_id": concern.tracking, "service_notice": notice, "account_id": None}],
                  fmt, root="service_requests")


@csrf_exempt
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under the root: the spec's 404, in the format the path asks for."""
    fmt = "xml" if rest.endswith(".xml") else "json"
    return Open311Error(404, gettext("There is no such resource in this API; see discovery.json.")).response(fmt)
