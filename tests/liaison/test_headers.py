"""The security headers (docs/security.md): the Content-Security-Policy, frame, referrer and opener
policies on every page, and `Cache-Control: no-store` on every answer that may carry personal data —
proved over the whole route table for the back office, and for the public pages a constituent unlocks.

`check --deploy` with production settings is tests/liaison/test_settings.py.
"""

import io
import re
import uuid
from types import SimpleNamespace

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from PIL import Image

from liaison.middleware import is_back_office
from petitions.models import ConcernPhoto

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


# --- the headers on every kind of page ---------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/d/", "/t/", "/accounts/login/", "/desk/", "/admin/", "/healthz",
                                  "/d/nosuch1/"])
def test_every_page_carries_the_policy_and_the_frame_referrer_and_opener_headers(client, admin_user, path):
    client.force_login(admin_user)

    response = client.get(path)

    assert _policy(response) == POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_an_inline_script_with_the_templates_nonce_is_the_one_the_policy_allows(rf):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">start()</script>')
    request = rf.get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse(template.render(request=request)))

    response = middleware(request)

    nonce = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
    assert _policy(response)["script-src"] == f"'self' 'nonce-{nonce}'"
    assert len(nonce) >= 22  # 16 random bytes
    # A page that never asked for one carries none: its policy allows no inline script at all.
    assert _policy(CSPMiddleware(lambda request: HttpResponse())(rf.get("/")))["script-src"] == "'self'"


_COMMENTS = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.S)
_REFUSED_MARKUP = {
    "style attribute": re.compile(r"\sstyle\s*="),
    "<style> element": re.compile(r"<style\b"),
    "event handler attribute": re.compile(r"\son[a-z]+\s*="),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "inline script without the nonce": re.compile(r"<script\b(?![^>]*\b(?:src|nonce)=)[^>]*>"),
}


def test_no_template_holds_markup_the_policy_refuses():
    """The browser test sees the pages it visits; this sees every template, pages not visited included."""
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {what}"
        for folder in settings.TEMPLATES[0]["DIRS"]
        for path in sorted(folder.rglob("*.html"))
        for what, pattern in _REFUSED_MARKUP.items()
        if pattern.search(_COMMENTS.sub("", path.read_text()))
    ]
    assert found == [], "see docs/security.md"


# --- Cache-Control over the route table ------------------------------------------------------------

def _walk(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """(path pattern, route) of every route: `path()` routes as written, regex routes as their regex."""
    found = []
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            found += _walk(pattern, text)
        else:
            found.append((text, pattern))
    return found


ROUTES = _walk(get_resolver())


def _url(path: str, samples: dict[str, str]) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: samples.get(m[1], "x2345678"), path)  # regex groups
    by_converter = {"int": "1", "uuid": str(uuid.uuid4())}
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: samples.get(m[2], by_converter.get(m[1], "x2345678")),
                  path)  # path() converters
    return "/" + path.replace("\\", "")


@pytest.fixture
def samples(db, concern):
    return {"tracking": concern.tracking, "code": concern.deputy.code, "key": str(uuid.uuid4()), "fmt": "xlsx",
            "app_label": "petitions", "object_id": "1", "content_type_id": "1", "action": "accept", "user_id": "1"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["superuser", "anonymous"])
def test_every_back_office_route_answers_no_store_whatever_the_view_does(client, admin_user, samples, who):
    """Whatever each back-office route answers — a page, a file, a redirect, 403, 404, 405 — carries no-store:
    to the superuser, who reaches every view, and to an anonymous visitor, who has no session that would
    make the answer personal anyway. Public routes are left to the tests below."""
    if who == "superuser":
        client.force_login(admin_user)
    checked, shadowed = 0, []
    for path, route in ROUTES:
        url = _url(path, samples)
        if url.startswith("/media/"):
            continue  # Django's file server: public uploads only, never private media
        match = resolve(url)
        if match.func != route.callback:  # reached by a route before it instead
            shadowed.append(url)
            continue
        if not is_back_office(SimpleNamespace(resolver_match=match)):
            continue
        # A level that is not there: the PDF's route answers at once (a redirect) instead of rendering 3 s.
        response = client.get(url, {"level": "0"} if url.endswith(".pdf") else {})
        assert _no_store(response), f"{url} ({response.status_code}): {response.get('Cache-Control')}"
        checked += 1
    assert shadowed == ["/admin/r/1/1/"]  # the admin's own "view on site", replaced in liaison/urls.py
    assert checked > 100  # the desk's, the staff pages', and every admin page of every model


@pytest.mark.django_db
def test_an_anonymous_visitors_public_pages_may_be_kept(client, concern):
    for path in ["/", "/d/", f"/d/{concern.deputy.code}/", f"/d/{concern.deputy.code}/qr.svg"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not _no_store(response), path


def _verified(client: Client, concern) -> None:
    client.post(f"/t/{concern.tracking}/verify/", {"last4": concern.constituent.mobile[-4:]})


@pytest.mark.django_db
def test_the_tracking_page_and_the_public_pages_are_not_kept_once_the_owner_proved_the_digits(client, concern):
    _verified(client, concern)

    for path in [f"/t/{concern.tracking}/", "/d/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert _no_store(response), path


@pytest.mark.django_db
def test_a_logged_in_users_public_pages_are_not_kept(client, staff):
    client.force_login(staff)

    assert _no_store(client.get("/d/"))


def _photo(concern, *, is_public: bool) -> ConcernPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    photo = ConcernPhoto(concern=concern, township=concern.township, is_public=is_public)
    photo.image.save("p.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.save()
    return photo


@pytest.mark.django_db
def test_a_private_photo_is_never_kept_and_a_public_one_may_be(client, concern):
    private, public = _photo(concern, is_public=False), _photo(concern, is_public=True)
    anonymous = Client()
    _verified(client, concern)

    shown_to_owner = client.get(f"/photos/{private.key}.jpg")
    shown_to_anyone = anonymous.get(f"/photos/{public.key}.jpg")

    assert shown_to_owner.status_code == shown_to_anyone.status_code == 200
    assert _no_store(shown_to_owner) and "max-age=0" in shown_to_owner["Cache-Control"]
    assert shown_to_anyone["Cache-Control"] == "public, max-age=86400"


@pytest.mark.django_db
def test_a_page_showing_a_message_is_not_kept(client, concern):
    client.post(f"/t/{concern.tracking}/verify/", {"last4": "0000"})  # wrong digits: a message, no session data

    response = client.get("/d/")

    assert "alert" in response.content.decode()
    assert _no_store(response)
