"""Two-factor devices and account locks: the writes behind the account pages and the admin action."""

import logging
from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.sessions import user_sessions_end
from liaison.audit import audit_record
from liaison.models import AuditEntry
from liaison.scoping import home_township

RECOVERY_CODE_COUNT = 10

log = logging.getLogger("liaison.accounts")


def audit(*, actor, action: str, target) -> None:
    """Record an account action taken by one person on another's (or their own) account: an append-only
    audit row in the account's township (a county account's: every township in scope), and the log line,
    by account ids only (logs never carry names or numbers)."""
    audit_record(actor=actor, action=action, subject=target, label=target.get_username(),
                 township=home_township(target))
    log.info("account %s: user %s by user %s", action, target.pk, getattr(actor, "pk", None))


def authenticator_start(*, user) -> TOTPDevice:
    """The authenticator being set up: the user's unconfirmed one, or a new one. Reusing it keeps the
    QR code the same when the setup page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a code it shows. Returns the new recovery codes (to be shown once), or None
    if the code is wrong (the device's own throttling counts the failure)."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_reset(*, user, actor) -> None:
    """Remove the user's authenticator and recovery codes: they set up a new one at their next login
    (if two-factor login is required for them). Reset by someone else (a lost phone), every session of the
    account ends too: an open browser on that phone would otherwise set up a new authenticator unasked."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if actor is None or actor.pk != user.pk:
        user_sessions_end(user=user)
    audit(actor=actor, action=AuditEntry.Action.RESET_TWO_FACTOR, target=user)


def account_unlock(*, user, actor) -> int:
    """Forget the failed logins of `user` from every address; returns how many records went."""
    from axes.utils import reset

    count = reset(username=user.get_username())
    audit(actor=actor, action=AuditEntry.Action.UNLOCK, target=user)
    return count


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise_code(raw: str) -> str:
    """What people type: spaces and dashes in a recovery code, full-width digits from a Chinese IME."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKC", raw) if ch.isalnum()).lower()
