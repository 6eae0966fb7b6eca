"""QR round trip: the images are decoded with a real decoder (zxing-cpp)."""

import io

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from deputies.models import Deputy
from tests.factories import DeputyFactory, SiteFactory


def decode_png(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert len(results) == 1, "expected exactly one QR code in the image"
    return results[0].text


@pytest.mark.django_db
def test_creating_a_deputy_renders_a_qr_that_decodes_to_its_absolute_url(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        deputy = DeputyFactory()

    deputy.refresh_from_db()
    assert deputy.qr_png and deputy.qr_svg
    assert decode_png(deputy.qr_png.read()) == f"{settings.SITE_URL}/d/{deputy.code}/"


@pytest.mark.django_db
def test_qr_png_is_large_enough_to_print_sharply(deputy):
    deputy.refresh_from_db()
    image = Image.open(deputy.qr_png)

    assert min(image.size) >= 600  # ≥ 5 cm at 300 dpi


@pytest.mark.django_db
def test_qr_views_serve_png_and_svg(client, deputy):
    png = client.get(f"/d/{deputy.code}/qr.png")
    svg = client.get(f"/d/{deputy.code}/qr.svg")

    assert png["Content-Type"] == "image/png"
    assert decode_png(png.content) == deputy.public_url()
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content


@pytest.mark.django_db
def test_qr_of_unknown_or_inactive_code_is_a_friendly_404(client, deputy):
    Deputy.objects.filter(pk=deputy.pk).update(is_active=False)

    for path in (f"/d/{deputy.code}/qr.png", "/d/nosuch1/qr.svg"):
        response = client.get(path)
        assert response.status_code == 404
        assert "找不到" in response.content.decode()


@pytest.mark.django_db
def test_qr_is_made_on_first_view_when_the_task_has_not_run(client):
    deputy = DeputyFactory()  # on_commit callbacks never fire here: no task ran

    assert not deputy.qr_png
    response = client.get(f"/d/{deputy.code}/qr.png")

    assert decode_png(response.content) == deputy.public_url()


@pytest.mark.django_db
def test_changing_site_url_and_regenerating_updates_every_code(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        deputy = DeputyFactory()
        site = SiteFactory()
    settings.SITE_URL = "https://baita.example.gov.cn"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_qr", stdout=io.StringIO())

    deputy.refresh_from_db()
    site.refresh_from_db()
    assert decode_png(deputy.qr_png.read()) == f"https://baita.example.gov.cn/d/{deputy.code}/"
    assert decode_png(site.qr_png.read()) == f"https://baita.example.gov.cn/s/{site.code}/"


@pytest.mark.django_db
def test_regenerating_on_the_embedded_default_renders_and_says_how_many(settings):
    from deputies.services import qr_render

    site = SiteFactory()  # on_commit callbacks never fire here: no images yet
    qr_render(record=site)
    stale = [DeputyFactory(site=site), DeputyFactory(site=site)]
    output = io.StringIO()

    call_command("regenerate_qr", stdout=output)  # no on_commit help: the images exist when it says so

    assert output.getvalue().strip() == "Rendered 2 QR code(s); 1 already current."
    for record in stale:
        record.refresh_from_db()
        assert decode_png(record.qr_png.read()) == record.public_url()


@pytest.mark.django_db
def test_regenerating_when_every_code_is_current_says_nothing_was_rendered(deputy, settings):
    # The deputy and its site, both rendered on commit by the fixture.
    output = io.StringIO()

    call_command("regenerate_qr", stdout=output)

    assert output.getvalue().strip() == "All 2 QR code(s) already encode their township's address; nothing to render."


@pytest.mark.django_db
def test_rendering_twice_does_nothing_the_second_time(deputy):
    from deputies.services import qr_render

    deputy.refresh_from_db()
    assert qr_render(record=deputy) is False


def test_both_images_from_one_matrix_are_the_images_drawn_one_by_one():
    from deputies import qr

    url = "https://baita.example.cn/d/k7m2q9xw/"
    png, svg = qr.render_both(url)
    assert (png, svg) == (qr.render_png(url), qr.render_svg(url))
    assert decode_png(png) == url and svg.startswith(b"<?xml")
