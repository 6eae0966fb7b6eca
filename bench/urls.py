"""The station's URLs and /bench/bare/: the least a request through our middleware can cost, which every
figure of `make bench` is divided by. Only bench/settings.py names this URLconf; production never serves it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from liaison.urls import handler400, handler404, urlpatterns as station_urlpatterns  # noqa: F401


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *station_urlpatterns]
