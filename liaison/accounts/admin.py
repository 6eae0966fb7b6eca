from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import services

# Devices are reset, never edited: their admin pages would show a secret key and its QR code.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class TwoFactorResetAction:
    """The user admin's action for a lost phone: the account sets up a new authenticator at its next login."""

    @admin.action(description=_("Reset two-factor login (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request, queryset) -> None:
        for user in queryset:
            services.two_factor_reset(user=user, actor=request.user)
        messages.success(request, gettext("Two-factor login reset for %(count)d accounts.") % {"count": len(queryset)})
