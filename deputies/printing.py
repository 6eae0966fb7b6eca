"""The printable "image window" (人大代表形象窗): every active deputy as a card, by level, on A4."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from deputies.models import Deputy, Site
from deputies.selectors import deputy_groups_by_level, deputy_list_public, site_list_public
from deputies.services import qr_content


def window_context(*, site: Site | None = None, level: int | None = None) -> dict:
    """The whole station's window, one site's (its deputies and its own card), or one level's."""
    sites = site_list_public()
    if site:
        sites = sites.filter(pk=site.pk)
    return {
        "groups": deputy_groups_by_level(deputy_list_public(site=site, level=level)),
        # One level's sheet is an insert for the big window, which already carries the sites' cards.
        "sites": [] if level else list(sites),
        "site": site,
        "level_label": Deputy.Level(level).label if level else "",
    }


def _within(root: Path, relative: str) -> Path | None:
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root.resolve()) and candidate.is_file() else None


def _local_path(url: str) -> Path | None:
    """Map a /media/ or /static/ URL to the file behind it (hashed static names included)."""
    path = unquote(urlparse(url).path)
    media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(media_prefix):
        return _within(Path(settings.MEDIA_ROOT), path.removeprefix(media_prefix))
    if path.startswith(static_prefix):
        relative = path.removeprefix(static_prefix)
        collected = _within(Path(settings.STATIC_ROOT), relative) if settings.STATIC_ROOT else None
        found = collected or finders.find(relative)
        return Path(found) if found else None
    return None


def _qr_image(url: str, records: dict) -> bytes | None:
    """The QR of a /d/<code>/qr.svg or /s/<code>/qr.svg URL, as the page would serve it, for a
    record the page already loaded ((namespace, code) → record): no query per card."""
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return None
    if match.url_name not in ("qr_svg", "qr_png"):
        return None
    record = records.get((match.namespace, match.kwargs["code"]))
    return qr_content(record=record, fmt=match.kwargs["fmt"]) if record else None


def _local_fetcher(records: dict):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Read our own media and static files from disk; never go out to the network."""

        def fetch(self, url, headers=None):
            if (image := _qr_image(url, records)) is not None:
                return URLFetcherResponse(url, image, {"Content-Type": "image/svg+xml"})
            local = _local_path(url)
            if local is None:
                raise ValueError(f"not a local file: {url}")
            content_type = {".svg": "image/svg+xml", ".css": "text/css"}.get(local.suffix, "")
            headers = {"Content-Type": content_type} if content_type else {}
            return URLFetcherResponse(url, local.read_bytes(), headers)

    return LocalFetcher()


def window_pdf_bytes(request: HttpRequest, *, site: Site | None = None, level: int | None = None) -> bytes:
    from weasyprint import HTML

    context = window_context(site=site, level=level)
    records = {("deputies", d.code): d for group in context["groups"] for d in group["deputies"]}
    records |= {("sites", site.code): site for site in context["sites"]}
    html = render_to_string("deputies/window.html", {**context, "for_pdf": True}, request=request)
    return HTML(string=html, base_url="http://station.local/", url_fetcher=_local_fetcher(records)).write_pdf()


def report_pdf_bytes(request: HttpRequest, context: dict) -> bytes:
    """The annual work report (deputies/views/record.py record_context) as a PDF: the page's own template."""
    from weasyprint import HTML

    html = render_to_string("deputies/report.html", {**context, "for_pdf": True}, request=request)
    return HTML(string=html, base_url="http://station.local/", url_fetcher=_local_fetcher({})).write_pdf()
