from contextlib import ExitStack

from django.conf import settings
from django.http import HttpRequest
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from liaison.scoping import back_office_scope, enter_scope, in_township, township_for_host


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


class TownshipMiddleware:
    """Activates the request's township scope (liaison.scoping) around the view and its templates.

    Public pages (liaison.urls.PUBLIC_*): the township of the host name (the default township for any
    other host); a view showing one deputy, site or case narrows it to that row's township, so a
    printed code resolves on any host. Every other page is the back office: the user's township, or
    for a county user the township they chose or the whole county.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        with ExitStack() as stack:
            request.township_scope = stack
            # Looked up at the first query that needs it: /healthz and static files need none. With no
            # township at all it is None, and the scope then matches no row.
            request.township = SimpleLazyObject(lambda: township_for_host(request.get_host()))
            stack.enter_context(in_township(request.township))
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        from liaison.urls import PUBLIC_NAMESPACES, PUBLIC_VIEWS

        match = request.resolver_match
        if match.namespace not in PUBLIC_NAMESPACES and match.view_name not in PUBLIC_VIEWS:
            enter_scope(request, back_office_scope(request))
