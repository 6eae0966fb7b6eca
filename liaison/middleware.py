from contextlib import ExitStack

from django.conf import settings
from django.http import HttpRequest
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from liaison import access
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
        if is_back_office(request):
            access.load(request.user)
            enter_scope(request, back_office_scope(request))


def is_back_office(request: HttpRequest) -> bool:
    """Whether the request went to a back-office route: every route not listed public in liaison.urls,
    the admin included. A path that resolved to no route at all is not (its 404 page shows nothing)."""
    from liaison.urls import PUBLIC_NAMESPACES, PUBLIC_VIEWS

    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return match.namespace not in PUBLIC_NAMESPACES and match.view_name not in PUBLIC_VIEWS


class PrivatePagesMiddleware:
    """`Cache-Control: no-store, private` (Django's never_cache headers) on every answer that may carry
    personal data, whatever the view set, so no browser, proxy or shared station tablet keeps a copy:

    - every back-office answer: pages, exports, PDFs, photos, the admin, even its redirects and errors;
    - any answer built for a visitor with a session: logged in, or a constituent who filed or proved the
      last four digits of a concern (their tracking page, their private photos) — and any page that showed
      a one-off message. Only what every anonymous first-time visitor gets alike may be stored.

    Views need do nothing for this; a view's own `cache_control` only ever applies to anonymous public answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if is_back_office(request) or _is_personal(request):
            # Replaced, not merged: a view's "public, max-age=…" must not survive next to no-store.
            del response["Cache-Control"]
            add_never_cache_headers(response)
        return response


def _is_personal(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    # Read and not empty: the page may differ for this visitor. Never read: the page is the same for all.
    if session is not None and session.accessed and not session.is_empty():
        return True
    messages = getattr(request, "_messages", None)
    return bool(messages is not None and messages.used)
