"""SMS backends, chosen by the SMS_BACKEND setting. E-mail goes through Django's EMAIL_BACKEND."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from liaison.masking import mask_mobile
from liaison.privacy import mask_mobiles_in

logger = logging.getLogger("liaison.sms")


class SmsError(Exception):
    pass


class ConsoleSmsBackend:
    """The embedded default: writes each message to the log instead of sending it. Logs never carry a full
    number (docs/privacy.md): the recipient and any number in the text are masked."""

    def send(self, mobile: str, text: str, reference: str = "") -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), mask_mobiles_in(text))


class HttpGatewaySmsBackend:
    """A JSON-over-HTTPS SMS gateway: POST {"mobile", "text", "id"} with a bearer token.

    Most Chinese SMS platforms offer such an endpoint (or one in front of their SDK);
    SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN point at it. `id` is the message's own reference, the same
    on every attempt: a worker that dies after the gateway took a message but before it recorded
    that leaves the message "in doubt" and it is sent again, and a gateway that drops an `id` it
    already accepted makes that resend harmless (docs/operations.md, "Faults and what they cost").
    """

    def send(self, mobile: str, text: str, reference: str = "") -> None:
        message = {"mobile": mobile, "text": text, **({"id": reference} if reference else {})}
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL,
            data=json.dumps(message, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read()
        except OSError as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        try:
            accepted = json.loads(body or b"{}").get("ok", False)
        except ValueError:
            accepted = False
        if not accepted:
            # The error is logged and kept on the outbox row: a gateway echoing the number must not put it there.
            raise SmsError(mask_mobiles_in(f"gateway refused the message: {body[:200]!r}"))


def get_backend():
    return import_string(settings.SMS_BACKEND)()
