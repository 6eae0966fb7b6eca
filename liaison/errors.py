"""Error pages in the user's language (Django's defaults are English-only for 400)."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
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
    if _database_away(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def _database_away(error: BaseException | None) -> bool:
    """Whether the database could not be reached: the error, or what it was raised from or while handling
    (a template or middleware re-raising), is a lost or refused connection. psycopg reports a server gone
    mid-reply as its base DatabaseError, never as an integrity or programming error."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
