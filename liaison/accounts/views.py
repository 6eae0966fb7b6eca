"""The login steps (password, then code or setup), one's own two-factor page, and the township's
accounts page where staff unlock accounts and reset a lost authenticator."""

from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison import roles
from liaison.accounts import services
from liaison.accounts.forms import CodeForm, SetupCodeForm
from liaison.accounts.policy import has_authenticator, second_step, two_factor_required
from liaison.scoping import accounts_of, current_township, is_county_user

NEW_CODES_SESSION_KEY = "accounts_new_recovery_codes"  # shown once, on the next view of the page


def _next(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def step_url(step: str, next_url: str) -> str:
    return f"{reverse(f'accounts:{step}')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class StationLoginView(LoginView):
    """Django's login (the session key is rotated on success) going on to the second step, if any.
    django-axes counts the failures: the form's authenticate() passes the request."""

    def get_success_url(self) -> str:
        target = super().get_success_url()
        step = second_step(self.request.user)
        return step_url(step, target) if step else target


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers a login refused for too many failures (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Cache-Control"] = "no-store"
    return response


# --- the second step ----------------------------------------------------------------------------------

def _device_accepting(user, code: str):
    """The device that takes `code`, or None. Six digits go to the authenticator, anything else to the
    recovery codes (each works once): a typo never burns a try of the other kind."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        if django_otp.verify_token(user, device.persistent_id, code):
            return device
    return None


def _throttled(user) -> bool:
    return any(not device.verify_is_allowed()[0] for model in (TOTPDevice, StaticDevice)
               for device in model.objects.devices_for_user(user, confirmed=True))


def _verified(request: HttpRequest, device) -> None:
    django_otp.login(request, device)
    # The session now opens the back office: a new key, as at the password step.
    request.session.cycle_key()


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    step = second_step(request.user)
    if request.user.is_verified() or step is None:
        return redirect(next_url)
    if step == "enrol":
        return redirect(step_url("enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _device_accepting(request.user, services.normalise_code(form.cleaned_data["code"]))
        if device is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, gettext(
                    "You logged in with a recovery code; %(left)d left. Each works only once.")
                    % {"left": services.recovery_codes_left(request.user)})
            return redirect(next_url)
        form.add_error("code", gettext("Too many wrong codes. Wait a minute, then try again.")
                       if _throttled(request.user) else gettext("That code is not right. Try the code shown now."))
    return render(request, "registration/verify.html", {"form": form, "next": next_url})


def _qr_svg(url: str) -> str:
    # Drawn here as inline SVG: the secret never goes to an outside QR service, and no script is needed.
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    if has_authenticator(request.user):
        # A second authenticator is set up only after resetting the first, from a verified session.
        return redirect(step_url("verify", next_url) if not request.user.is_verified() else "accounts:two_factor")
    device = services.authenticator_start(user=request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.authenticator_confirm(device=device, token=services.normalise_code(form.cleaned_data["code"]))
        if codes is not None:
            _verified(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, gettext("Two-factor login is on. Keep your recovery codes now."))
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
        form.add_error("code", gettext("That code is not right. Check the phone's clock and try the code shown now."))
    return render(request, "registration/enrol.html", {
        "form": form, "next": next_url, "qr_svg": _qr_svg(device.config_url),
        "secret": services.secret_for_typing(device), "required": two_factor_required(request.user),
    })


# --- one's own two-factor login ------------------------------------------------------------------------

@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    return render(request, "registration/two_factor.html", {
        "device": device,
        "codes_left": services.recovery_codes_left(request.user),
        "new_codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "required": two_factor_required(request.user),
        "next": _next(request) if REDIRECT_FIELD_NAME in request.GET else "",
    })


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not has_authenticator(request.user):
        return redirect("accounts:two_factor")
    request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_issue(user=request.user)
    messages.success(request, gettext("New recovery codes: the old ones no longer work."))
    return redirect("accounts:two_factor")


@require_POST
@login_required
def reset_own(request: HttpRequest) -> HttpResponse:
    """For a new phone: the old authenticator and codes go; where two-factor login is required, the
    middleware sends the user straight on to set up the new one."""
    services.two_factor_reset(user=request.user, actor=request.user)
    request.user._has_authenticator = False
    if two_factor_required(request.user):
        return redirect("accounts:enrol")
    messages.success(request, gettext("Two-factor login is off for your account."))
    return redirect("accounts:two_factor")


# --- the township's accounts ---------------------------------------------------------------------------

def _manageable_accounts(request: HttpRequest):
    """The accounts this person may unlock or reset: those working in the township they are in (a
    county account looking at the whole county: every one), never a superuser unless they are one."""
    User = get_user_model()
    township = current_township()
    if township is not None:
        users = accounts_of(township)
    elif is_county_user(request.user):
        users = User.objects.all()
    else:
        users = User.objects.none()
    if not request.user.is_superuser:
        users = users.exclude(is_superuser=True)
        # Nobody manages an account that holds more than they do: staff not an official's, an official
        # not a county official's.
        held = roles.user_roles(request.user)
        above = {roles.COUNTY_OFFICIAL} if roles.OFFICIAL in held else {roles.OFFICIAL, roles.COUNTY_OFFICIAL}
        above -= held
        users = users.exclude(groups__name__in=above)
    return users.filter(is_active=True).exclude(pk=request.user.pk)


def _locked_usernames(usernames: list[str]) -> dict[str, int]:
    """Username → most failures from one address in the cool-off window, for those locked out."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
            .values("username", "ip_address").annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT))
    locked: dict[str, int] = {}
    for row in rows:
        locked[row["username"]] = max(locked.get(row["username"], 0), row["failures"])
    return locked


@never_cache
@roles.role_required(roles.STAFF, roles.OFFICIAL)
def township_accounts(request: HttpRequest) -> HttpResponse:
    users = list(_manageable_accounts(request).filter(~Q(password__startswith="!")).order_by("username"))
    locked = _locked_usernames([u.username for u in users])
    enrolled = set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
    rows = [{"user": u, "failures": locked.get(u.username), "enrolled": u.pk in enrolled} for u in users]
    rows.sort(key=lambda row: row["failures"] is None)  # the locked ones first
    return render(request, "registration/township_accounts.html", {"rows": rows})


@require_POST
@roles.role_required(roles.STAFF, roles.OFFICIAL)
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(_manageable_accounts(request), pk=user_id)
    services.account_unlock(user=user, actor=request.user)
    messages.success(request, gettext("%(name)s can log in again.") % {"name": user.get_username()})
    return redirect("accounts:township")


@require_POST
@roles.role_required(roles.STAFF, roles.OFFICIAL)
def reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(_manageable_accounts(request), pk=user_id)
    services.two_factor_reset(user=user, actor=request.user)
    messages.success(request, gettext(
        "Two-factor login of %(name)s was reset: they set up a new authenticator at their next login."
    ) % {"name": user.get_username()})
    return redirect("accounts:township")
