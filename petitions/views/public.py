"""The constituent's pages, no account needed: file a concern, get a receipt, follow it, verify, rate.

The tracking page is public by URL, so it never shows the constituent's name or
mobile. The browser that proves the last four digits of the mobile is remembered
in the session and sees the whole submission (masked) and the rating form. So does
the browser that filed it, without the check: by a signed cookie (no session, so a
filing writes nothing but its own row), and a stranger's wrong guesses never lock it out.
"""

import hmac

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deputies.models import Deputy, Site
from deputies.selectors import deputy_get_to_file, site_get_public
from liaison.masking import mask_mobile, mask_name
from liaison.public_pages import cached_public_page, kept_while_unchanged
from liaison.scoping import back_office_scope, county_wide, found_in_township, scope_of
from petitions import access, intake, selectors, services, throttle
from petitions.forms.public import (
    ConcernFileForm,
    RatingForm,
    TrackingLookupForm,
    VerifyMobileForm,
)
from petitions.models import Category, Concern, ConcernPhoto, Filing
from petitions.workflow import WorkflowError

S = Concern.Status

# Session key: the tracking codes this browser proved it owns (the last four digits of the mobile).
_VERIFIED = "petitions_verified"
_SESSION_LIMIT = 50
# The signed cookie naming the concerns this browser filed (docs/privacy.md): codes only, no personal data.
_FILED_COOKIE = "filed"
_FILED_COOKIE_SALT = "petitions.filed"
_FILED_COOKIE_LIMIT = 20
_FILED_COOKIE_DAYS = 180  # longer than a case takes to end, including its rating

STATUS_EXPLANATIONS = {
    S.SUBMITTED: _("We have received your concern. The deputy or the station will look at it soon."),
    S.ACCEPTED: _("The deputy has taken up your concern and is deciding who should handle it."),
    S.ASSIGNED: _("Your concern has been passed to the unit that will handle it, with a deadline."),
    S.IN_PROGRESS: _("The handling unit is working on it."),
    S.RESOLVED: _("There is a result. If you filed this concern, please tell us whether you are satisfied."),
    S.CLOSED: _("This concern is finished."),
    S.REJECTED: _("This concern could not be taken up. The reason is given below."),
    S.MERGED: _("Someone raised the same matter before; it is followed in one place, linked below."),
    S.HELD: _("We have received your concern. The station checks it first; then it goes to the deputy "
              "and you get an SMS."),
    S.DISCARDED: _("The station checked this submission and did not take it up."),
}
_RESULT_WITHOUT_RATING = _("There is a result, shown below.")


def _concern_get_public(request: HttpRequest, tracking: str) -> Concern:
    return found_in_township(request, selectors.concern_get_public(tracking=tracking))


# --- session and lockout -----------------------------------------------------------------------

def _remember(request: HttpRequest, key: str, tracking: str) -> None:
    codes = [code for code in request.session.get(key, []) if code != tracking]
    request.session[key] = [*codes, tracking][-_SESSION_LIMIT:]


def _is_remembered(request: HttpRequest, key: str, tracking: str) -> bool:
    return tracking in request.session.get(key, [])


def _filed_here(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(_FILED_COOKIE, default="", salt=_FILED_COOKIE_SALT,
                                      max_age=_FILED_COOKIE_DAYS * 86400)
    return [code for code in value.split(",") if code]


def _remember_filed_here(request: HttpRequest, response: HttpResponse, tracking: str) -> None:
    codes = [code for code in _filed_here(request) if code != tracking]
    response.set_signed_cookie(
        _FILED_COOKIE, ",".join([*codes, tracking][-_FILED_COOKIE_LIMIT:]), salt=_FILED_COOKIE_SALT,
        max_age=_FILED_COOKIE_DAYS * 86400, secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )


def _is_owner(request: HttpRequest, tracking: str) -> bool:
    """This browser filed the concern or proved the last four digits of its mobile: it sees all it
    submitted, may rate it, and is never asked for (or locked out of) the digits. What a browser filed
    is in its signed cookie only, never its session: a filing then writes nothing but its own row."""
    return _is_remembered(request, _VERIFIED, tracking) or tracking in _filed_here(request)


def _mobile_ends_with(concern: Concern, digits: str) -> bool:
    mobile = concern.constituent.mobile if concern.constituent_id else ""
    return bool(mobile) and hmac.compare_digest(mobile[-4:], digits)


def _render_track(request: HttpRequest, concern: Concern, *, rate_form: RatingForm | None = None) -> HttpResponse:
    is_verified = _is_owner(request, concern.tracking)
    constituent = concern.constituent
    can_rate = is_verified and concern.status == S.RESOLVED
    context = {
        "concern": concern,
        # A report without a constituent (a deputy's patrol) has nobody to invite to rate it.
        "status_explanation": _RESULT_WITHOUT_RATING
        if concern.status == S.RESOLVED and not concern.constituent_id
        else STATUS_EXPLANATIONS.get(concern.status, ""),
        "timeline": selectors.concern_timeline_public(
            concern=concern, show_constituent_notes=concern.is_public or is_verified
        ),
        "show_content": concern.is_public or is_verified,
        "content": selectors.concern_public_text(concern=concern, text=concern.content),
        "result": selectors.concern_public_text(concern=concern, text=concern.result),
        "report_photos": [
            p for p in concern.photos.all() if p.event_id is None and (p.is_public or is_verified)
        ],
        "is_verified": is_verified,
        "filer": {"name": mask_name(constituent.name), "mobile": mask_mobile(constituent.mobile)}
        if is_verified and constituent else None,
        "can_verify": constituent is not None and not is_verified,
        "locked_out_message": None if is_verified
        else throttle.lockout_message(throttle.verify_limits(request, concern)),
        "verify_form": VerifyMobileForm(),
        "rate_form": (rate_form or RatingForm()) if can_rate else None,
    }
    context["is_locked_out"] = context["locked_out_message"] is not None
    response = render(request, "petitions/public/track.html", context)
    if is_verified or context["is_locked_out"]:
        # This visitor's own page: never stored, by the station's cache or by a browser on a shared tablet.
        add_never_cache_headers(response)
    return response


# --- views ---------------------------------------------------------------------------------------

# The empty form is drawn once and served from the cache (docs/public-pages.md), each visitor getting tokens
# of their own. never_cache: a copy kept by a browser or a proxy would hand one token to many people.
_FRESH_INPUTS = {
    "csrfmiddlewaretoken": get_token,
    **{name: (lambda request, new=new: new()) for name, new in ConcernFileForm.FRESH.items()},
}


@never_cache
@require_http_methods(["GET", "POST"])
@cached_public_page(fresh=_FRESH_INPUTS)
def file_to_deputy(request: HttpRequest, code: str) -> HttpResponse:
    deputy = found_in_township(request, kept_while_unchanged(f"deputy-to-file:{code}",
                                                             lambda: deputy_get_to_file(code=code)))
    return _file(request, deputy=deputy)


@never_cache
@require_http_methods(["GET", "POST"])
@cached_public_page(fresh=_FRESH_INPUTS)
def file_to_site(request: HttpRequest, code: str) -> HttpResponse:
    site = found_in_township(request, kept_while_unchanged(f"site-to-file:{code}", lambda: site_get_public(code=code)))
    return _file(request, site=site)


def _file(request: HttpRequest, *, deputy: Deputy | None = None, site: Site | None = None) -> HttpResponse:
    if request.method == "POST":
        categories = _categories_to_file((deputy or site).township_id)
        form = ConcernFileForm(request.POST, request.FILES, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            limits = throttle.filing_limits(request, data["mobile"])
            # Counted however it looks: a filing held for one reason still counts against every limit.
            over_a_limit = throttle.count_filing(limits)
            # Registered by the worker (petitions.intake): the receipt names its code at once.
            filing = intake.filing_accept(deputy=deputy, site=site, data=data, limits=limits,
                                          held_because=data["held_because"] or over_a_limit)
            if filing.state == Filing.State.REPEATED:  # known at once when registered in the request
                return _answer_repeat(request, filing, sent_here=True)
            # This browser just typed the text and the mobile: it owns the concern as surely as one
            # that proves the last four digits, and sees its own text and photos at once.
            response = redirect("petitions:receipt", tracking=filing.tracking)
            _remember_filed_here(request, response, filing.tracking)
            return response
    else:
        form = ConcernFileForm(initial=ConcernFileForm.initial_values())
    return render(request, "petitions/public/file.html", {
        "form": form, "deputy": deputy, "site": site,
        # Browsers cannot put chosen files back into a re-rendered form.
        "photos_lost": form.is_bound and bool(request.FILES),
    })


def _categories_to_file(township: int) -> dict:
    """The township's active categories by pk, kept in the process like the deputy a code names."""
    return kept_while_unchanged(f"categories-to-file:{township}", township=township, read=lambda: {
        category.pk: category for category in Category.objects.filter(township_id=township, is_active=True)})


def _receipt_of_filing(request: HttpRequest, tracking: str) -> HttpResponse:
    """The receipt of a filing not (or not yet) a concern: being registered, failed, or a repeat. The first
    two say nothing whoever asks (the code is in the URL already), so a browser that keeps no cookie still
    sees its concern come through."""
    filing = found_in_township(request, intake.filing_of(tracking))
    if filing.state != Filing.State.REPEATED:
        return render(request, "petitions/public/receipt_pending.html", {
            "is_failed": filing.state == Filing.State.FAILED, "is_held": bool(filing.payload.get("held_because")),
            "refresh_seconds": 3})
    return _answer_repeat(request, filing, sent_here=False)


def _answer_repeat(request: HttpRequest, filing: Filing, *, sent_here: bool) -> HttpResponse:
    """Where a repeat's filer goes: to the earlier concern's receipt, if this browser filed that one.

    A repeat caught by the form's token came from the earlier concern's own form: sent from this browser
    (just now, or the filing is in its cookie), the earlier concern is this browser's. One caught by its
    words is this browser's only if it filed the earlier one (Back and Submit again). Any other browser is
    not told the code: whoever knows a mobile and the text must not learn it (with it and the last four
    digits they could act as the owner). The owner has it by SMS.
    """
    earlier, filed_here = filing.concern, _filed_here(request)
    same_form = bool(filing.submission_key) and filing.submission_key == earlier.submission_key
    if (same_form and (sent_here or filing.tracking in filed_here)) or earlier.tracking in filed_here:
        response = redirect(reverse("petitions:receipt", args=[earlier.tracking]) + "?again=1")
        _remember_filed_here(request, response, earlier.tracking)
        return response
    already = gettext(
        "We already received this concern; it was not filed again. Its tracking code was sent by "
        "SMS to %(mobile)s when it was first received.")
    if earlier.status == S.HELD:  # nothing was sent yet: it goes out when staff release it
        already = gettext(
            "We already received this concern; it was not filed again. The station checks it first; "
            "then its tracking code is sent by SMS to %(mobile)s.")
    mobile = earlier.constituent.mobile if earlier.constituent_id else ""
    messages.info(request, already % {"mobile": mask_mobile(mobile)})
    if filing.deputy_id:
        return redirect("petitions:file_to_deputy", code=filing.deputy.code)
    return redirect("petitions:file_to_site", code=filing.site.code)


@never_cache
@require_safe
def receipt(request: HttpRequest, tracking: str) -> HttpResponse:
    with county_wide():
        concern = Concern.objects.filter(tracking=tracking).select_related(
            "township", "deputy", "site", "category").first()
    if concern is None:
        return _receipt_of_filing(request, tracking)
    if tracking not in _filed_here(request):
        return redirect("petitions:track", tracking=tracking)
    found_in_township(request, concern)
    return render(request, "petitions/public/receipt.html", {
        "concern": concern, "track_url": request.build_absolute_uri(concern.get_absolute_url()),
        # Sent again (a double tap, Back and Send): the same receipt, saying so.
        "is_repeat": request.GET.get("again") == "1", "is_held": concern.status == S.HELD,
    })


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    form = TrackingLookupForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        with county_wide():  # any township's code, on any host
            known = Concern.objects.filter(tracking=code).exists()
        if known:
            return redirect("petitions:track", tracking=code)
        form.add_error("code", gettext("No concern has this tracking code. Check it against the SMS we sent you."))
    return render(request, "petitions/public/lookup.html", {"form": form})


def _is_locked_out(request: HttpRequest, township_code: str, tracking: str) -> bool:
    return throttle.lockout_message(throttle.verify_limits_of(request, township_code, tracking)) is not None


# A stranger's page is the same for everyone, so it is served from the cache (docs/public-pages.md)
# except to a visitor locked out of the digit check, whose page says so.
@require_safe
@cached_public_page(drawn_for=_is_locked_out)
def track(request: HttpRequest, tracking: str) -> HttpResponse:
    return _render_track(request, _concern_get_public(request, tracking))


# Without a CSRF token, so that the page holding the form can be shared (as the language switch): a forged
# post only spends one of the visitor's tries, counted and limited like any other, and tells the forger
# nothing; a right guess lets in the browser that made it, which the forger cannot read from.
@csrf_exempt
@require_POST
def verify(request: HttpRequest, tracking: str) -> HttpResponse:
    concern = _concern_get_public(request, tracking)
    if _is_owner(request, tracking):  # nothing to prove, and no try to count
        return redirect(concern)
    form = VerifyMobileForm(request.POST)
    limits = throttle.verify_limits(request, concern)
    if not form.is_valid():  # not a guess: nothing to count
        messages.error(request, form.errors["last4"][0])
    elif refused := throttle.take_a_try(limits):  # counted first; compared only within every limit
        messages.error(request, refused)
    elif _mobile_ends_with(concern, form.cleaned_data["last4"]):
        throttle.give_back_the_try(limits)
        _remember(request, _VERIFIED, tracking)
        messages.success(request, gettext("Thank you. Below is everything you submitted."))
    else:
        messages.error(request, throttle.lockout_message(limits) or gettext(
            "These digits do not match the mobile number given for this concern."
        ))
    return redirect(concern)


@require_POST
def rate(request: HttpRequest, tracking: str) -> HttpResponse:
    concern = _concern_get_public(request, tracking)
    if not _is_owner(request, tracking):
        messages.error(
            request, gettext("Only the person who filed this concern may rate it: confirm your mobile number first.")
        )
        return redirect(concern)
    if concern.status != S.RESOLVED:
        messages.error(request, gettext("This concern is not waiting for a rating."))
        return redirect(concern)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_track(request, concern, rate_form=form)
    try:
        concern = services.concern_rate(
            concern=concern, satisfaction=form.cleaned_data["satisfaction"], comment=form.cleaned_data["comment"]
        )
    except WorkflowError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, gettext("Thank you for your rating. The concern goes back to its handler.")
                         if concern.status == S.IN_PROGRESS else gettext("Thank you for your rating."))
    return redirect(concern)


@require_safe
def photo(request: HttpRequest, key) -> FileResponse:
    """A concern photo, for whoever may see it: anyone if public, else the verified constituent
    or a back-office user who may see the concern. Everyone else gets a 404, as if it did not exist."""
    with county_wide():
        picture = ConcernPhoto.objects.select_related("concern").filter(key=key).first()
    if picture is None:
        raise Http404
    allowed = picture.is_public or _is_owner(request, picture.concern.tracking)
    if not allowed:
        # A back-office viewer sees what their own township's desk shows them, whatever the host.
        with scope_of(back_office_scope(request)):
            allowed = access.concerns_visible_to(request.user).filter(pk=picture.concern_id).exists()
    if not allowed:
        raise Http404
    response = FileResponse(picture.image.open("rb"), content_type="image/jpeg")
    if picture.is_public:
        response["Cache-Control"] = "public, max-age=86400"
    else:
        # Never kept: the owner may be let in by the `filed` cookie alone, on a tablet others use after them.
        add_never_cache_headers(response)
    return response
