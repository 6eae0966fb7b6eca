"""The back office's two session rules, each enforced here in one place for every view and the admin:
an idle session ends, and a session that must give a second factor reaches nothing until it has."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext

from liaison.accounts.policy import second_step
from liaison.middleware import is_back_office

LAST_SEEN_SESSION_KEY = "accounts_last_seen"
# Writing the time on every request would save the session on every request; once a minute is enough.
LAST_SEEN_RESOLUTION_SECONDS = 60

# What a session between the password and the second step may still open.
SECOND_STEP_OPEN = frozenset({
    "login", "logout", "set_language", "healthz", "accounts:verify", "accounts:enrol", "admin:logout",
})


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):  # an htmx fragment: send the whole page there, not into the fragment
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """user_logged_in (connected in liaison.apps): the login is the first activity, saved with the login's
    own session write rather than by an extra one on the first page."""
    if hasattr(request, "session"):
        request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """A logged-in session idle for IDLE_TIMEOUT_MINUTES is logged out: the back office sends it to the
    login page with a message, a public page is simply shown to it as to any visitor. Visitors' own
    sessions (they have no login) are never touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
        if last_seen is not None and now - last_seen > settings.IDLE_TIMEOUT_MINUTES * 60:
            logout(request)
            if not is_back_office(request):
                return None
            messages.info(request, gettext(
                "You were logged out after %(minutes)d minutes without activity. Please log in again."
            ) % {"minutes": settings.IDLE_TIMEOUT_MINUTES})
            login = resolve_url(settings.LOGIN_URL)
            return _redirect(request, f"{login}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
        if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
            request.session[LAST_SEEN_SESSION_KEY] = now
        return None


class TwoFactorMiddleware:
    """After the password, a session that must give a code (it has an authenticator) or set one up (two-factor
    login is required for the account: liaison.accounts.policy) is sent to that step from every page, the
    admin included, until django-otp's OTPMiddleware finds it verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or request.resolver_match.view_name in SECOND_STEP_OPEN:
            return None
        step = second_step(user)
        if step is None:
            return None
        from liaison.accounts.views import step_url

        return _redirect(request, step_url(step, request.get_full_path()))
