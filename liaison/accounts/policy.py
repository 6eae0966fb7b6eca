"""Who must log in with a second factor.

Required for everyone who works a township's case files at a desk — station staff, handlers,
officials, county officials — and for every account that can open the admin (is_staff, superusers).
Handlers too: they are appointed, not elected, and their desk shows the full names, mobiles and
addresses of their unit's constituents, so a guessed handler password exposes as much as a staff one.
Deputies choose: they are elected people with a phone, and their desk holds only the concerns
addressed to them. Anyone who has set up an authenticator is asked for it, required or not.

In demo mode (settings.DEMO_MODE) it is optional for everyone, so the printed demo logins work.
"""

from django.conf import settings

from liaison import roles

REQUIRED_ROLES = frozenset({roles.STAFF, roles.HANDLER, roles.OFFICIAL, roles.COUNTY_OFFICIAL, roles.ADMIN})


def two_factor_required(user) -> bool:
    if settings.DEMO_MODE or not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or bool(roles.user_roles(user) & REQUIRED_ROLES)


def has_authenticator(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not hasattr(user, "_has_authenticator"):  # asked by the middleware and the page in one request
        user._has_authenticator = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    return user._has_authenticator


def second_step(user) -> str | None:
    """What a logged-in but unverified session must do before anything else: "verify" (give a code),
    "enrol" (set up an authenticator) or None (nothing: two-factor login is optional and not set up)."""
    if has_authenticator(user):
        return "verify"
    return "enrol" if two_factor_required(user) else None
