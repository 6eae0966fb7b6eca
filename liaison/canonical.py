"""Public codes are issued in lower case (deputies/codes.py, petitions/services.py); people type them
from posters and text messages in capitals. One rule for every URL that carries one."""

import functools

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

CODE_KWARGS = ("code", "tracking")


def lower_case_codes(view):
    """GET/HEAD with capitals in the code: a permanent redirect to the lower-case URL, query kept,
    so a scanner, a bookmark or a search engine keeps one address per page. Other methods
    (a form posted to a typed URL) get the code lowered and go on, so nothing typed is lost."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lowered = {key: value.lower() if key in CODE_KWARGS else value for key, value in kwargs.items()}
        if lowered == kwargs:
            return view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            url = reverse(request.resolver_match.view_name, args=args, kwargs=lowered)
            if query := request.META.get("QUERY_STRING"):
                url = f"{url}?{query}"
            return HttpResponsePermanentRedirect(url)
        return view(request, *args, **lowered)

    return wrapper
