"""A county account's choice of township: one township, or the whole county (liaison.scoping)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from liaison.scoping import SESSION_KEY, county_townships, is_county_user


def county_choice(request: HttpRequest) -> dict | None:
    """What the header's chooser shows a county account; None for everyone else."""
    user = getattr(request, "user", None)
    if user is None or not is_county_user(user):
        return None
    townships = county_townships(user)
    if len(townships) < 2:
        return None
    return {"county": townships[0].county, "townships": townships, "chosen": request.session.get(SESSION_KEY, "")}


@require_POST
def choose_township(request: HttpRequest) -> HttpResponse:
    """Remember the township (its code; empty for the whole county) and go back to the page it was chosen on."""
    if is_county_user(request.user):
        code = request.POST.get("township", "")
        if code in {t.code for t in county_townships(request.user)}:
            request.session[SESSION_KEY] = code
        else:
            request.session.pop(SESSION_KEY, None)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back)
