"""Start-up checks (run by migrate, runserver and `manage.py check`): settings that would fail only later, quietly."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def sms_backend_importable(app_configs, **kwargs) -> list[Error]:
    # A wrong path would not stop the server: every text message would fail in the outbox instead.
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        return [Error(
            f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported: {exc}",
            hint="Use liaison.sms.ConsoleSmsBackend or liaison.sms.HttpGatewaySmsBackend "
                 "(before this release they lived in petitions.sms).",
            id="liaison.E001",
        )]
    return []
