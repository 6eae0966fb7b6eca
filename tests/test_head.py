"""HEAD is answered wherever GET is (link checkers, uptime probes and some chat apps' link previews send it)."""

import pytest


@pytest.mark.django_db
def test_public_pages_answer_head(client, deputy, concern):
    for url in ["/", "/d/", f"/d/{deputy.code}/", "/t/", f"/t/{concern.tracking}/", "/healthz"]:
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b"", url
