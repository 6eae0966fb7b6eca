"""The open API (Open311 GeoReport v2) under /open311/v2/, with the spec's format suffixes (.json, .xml).

Integrators' systems are built against these paths: they are a public contract (docs/public-urls.md).
"""

from django.urls import path, re_path

from petitions.views import open311

app_name = "open311"

_FORMAT = r"\.(?P<fmt>[a-z0-9]+)"

urlpatterns = [
    path("", open311.root, name="root"),
    re_path(rf"^discovery{_FORMAT}$", open311.discovery, name="discovery"),
    re_path(rf"^services{_FORMAT}$", open311.service_list, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+){_FORMAT}$", open311.service_definition, name="service"),
    re_path(rf"^requests{_FORMAT}$", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<tracking>[-\w]+){_FORMAT}$", open311.request_detail, name="request"),
    # Anything else here answers in the spec's error format, not with the site's HTML 404 page.
    re_path(r"^(?P<rest>.*)$", open311.unknown),
]
