from django.conf import settings
from django.http import HttpRequest
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the visitor chose another language with the switch.

    The browser's Accept-Language is ignored on purpose: many phones here are set
    to English, and their owners still expect the station in Chinese (docs/language.md).
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH mitigation) for text only.

    Pages shrink about tenfold. Photos, QR images and spreadsheets are compressed
    already: gzipping them again costs CPU on every request and saves nothing, and a
    streamed photo would lose its Content-Length. Static files never get here: WhiteNoise,
    above this in MIDDLEWARE, answers them with its own pre-compressed copies.
    """

    TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")

    def process_response(self, request: HttpRequest, response):
        if not response.get("Content-Type", "").startswith(self.TEXT_TYPES):
            return response
        return super().process_response(request, response)
