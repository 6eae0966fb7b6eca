"""Error pages in the user's language (Django's defaults are English-only for 400)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

# How long a browser (or a person) is asked to wait after a 503: a database restart takes seconds.
RETRY_AFTER_SECONDS = 10


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 "try again in a moment" when the database could not be reached (restarting, failing
    over, out of connections) — a passing fault, not a bug, and what was typed is not lost by retrying:
    the public form's one-time token makes a resent filing the one already saved.

    Django calls this inside its `except` block, so sys.exc_info() is the exception. Both pages are
    rendered without the request's context: its processors would ask the database that just failed.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
