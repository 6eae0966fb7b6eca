"""HTML goes out gzip-compressed (liaison.middleware.TextGZipMiddleware); images do not."""

import gzip
import re

import pytest
from django.conf import settings

from tests.factories import DeputyFactory


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.mark.django_db
def test_a_page_is_sent_compressed_to_a_browser_that_accepts_gzip(client):
    DeputyFactory.create_batch(30)

    plain = client.get("/d/")
    compressed = client.get("/d/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    # The same page, but for the CSRF token, which is masked afresh on every response.
    assert _without_tokens(gzip.decompress(compressed.content)) == _without_tokens(plain.content)
    assert len(compressed.content) * 4 < len(plain.content)


@pytest.mark.django_db
def test_images_are_not_compressed_again(client, deputy):
    response = client.get(f"/d/{deputy.code}/qr.png", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_compression_sits_below_whitenoise_and_above_every_middleware_that_writes_the_body():
    order = settings.MIDDLEWARE
    gzip_at = order.index("liaison.middleware.TextGZipMiddleware")

    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    for writer in ("django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
                   "django.middleware.csrf.CsrfViewMiddleware", "django.contrib.messages.middleware.MessageMiddleware"):
        assert gzip_at < order.index(writer)
