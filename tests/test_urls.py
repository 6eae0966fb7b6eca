"""The public URLs are printed on posters (docs/public-urls.md): each is pinned both ways."""

import pytest
from django.urls import resolve, reverse


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("dashboard:portal", {}, "/"),
        ("deputies:directory", {}, "/d/"),
        ("deputies:profile", {"code": "k7m2x9q"}, "/d/k7m2x9q/"),
        ("deputies:qr_png", {"code": "k7m2x9q"}, "/d/k7m2x9q/qr.png"),
        ("deputies:qr_svg", {"code": "k7m2x9q"}, "/d/k7m2x9q/qr.svg"),
        ("sites:site", {"code": "a3b4c5d"}, "/s/a3b4c5d/"),
        ("sites:qr_png", {"code": "a3b4c5d"}, "/s/a3b4c5d/qr.png"),
        ("petitions:file_to_deputy", {"code": "k7m2x9q"}, "/d/k7m2x9q/concern/"),
        ("petitions:file_to_site", {"code": "a3b4c5d"}, "/s/a3b4c5d/concern/"),
        ("petitions:lookup", {}, "/t/"),
        ("petitions:track", {"tracking": "ab23cd45ef"}, "/t/ab23cd45ef/"),
        # Deputies' suggestions adopted, with their answers (docs/suggestions.md).
        ("petitions:suggestions", {}, "/suggestions/"),
        ("petitions:suggestion", {"code": "k7m2x9q"}, "/suggestions/k7m2x9q/"),
        ("healthz", {}, "/healthz"),
        # The open API: integrators' systems are built against these paths (Open311 GeoReport v2).
        ("open311:root", {}, "/open311/v2/"),
        ("open311:discovery", {"fmt": "json"}, "/open311/v2/discovery.json"),
        ("open311:services", {"fmt": "json"}, "/open311/v2/services.json"),
        ("open311:service", {"code": "huanjingweisheng", "fmt": "xml"}, "/open311/v2/services/huanjingweisheng.xml"),
        ("open311:requests", {"fmt": "json"}, "/open311/v2/requests.json"),
        ("open311:request", {"tracking": "ab23cd45ef", "fmt": "json"}, "/open311/v2/requests/ab23cd45ef.json"),
        ("admin:index", {}, "/admin/"),
    ],
)
def test_public_url_is_pinned(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name
