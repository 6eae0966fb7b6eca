"""Public codes are lower case; one typed in capitals from a poster or an SMS reaches the page (docs/public-urls.md)."""

import pytest

from tests.factories import ConcernFactory


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "qr.png", "qr.svg", "concern/"])
def test_a_deputy_code_in_capitals_redirects_permanently_to_the_lower_case_url(client, deputy, suffix):
    response = client.get(f"/d/{deputy.code.upper()}/{suffix}")

    assert response.status_code == 301
    assert response["Location"] == f"/d/{deputy.code}/{suffix}"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "qr.png", "qr.svg", "concern/"])
def test_a_site_code_in_capitals_redirects_permanently_to_the_lower_case_url(client, deputy, suffix):
    site = deputy.site

    response = client.get(f"/s/{site.code.upper()}/{suffix}")

    assert response.status_code == 301
    assert response["Location"] == f"/s/{site.code}/{suffix}"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_query_string_survives_the_redirect(client, deputy):
    response = client.get(f"/d/{deputy.code.upper()}/", {"from": "poster"})

    assert response["Location"] == f"/d/{deputy.code}/?from=poster"


@pytest.mark.django_db
def test_a_tracking_code_in_capitals_redirects_permanently_too(client, deputy):
    concern = ConcernFactory(deputy=deputy)

    response = client.get(f"/t/{concern.tracking.upper()}/")

    assert response.status_code == 301 and response["Location"] == concern.get_absolute_url()


@pytest.mark.django_db
def test_an_unknown_code_in_capitals_is_still_not_found(client, deputy):
    assert client.get("/d/ZZZZZZZ/", follow=True).status_code == 404


@pytest.mark.django_db
def test_a_form_posted_to_a_capitalised_url_is_handled_not_redirected(client, deputy):
    concern = ConcernFactory(deputy=deputy, mobile="13812345678")

    response = client.post(f"/t/{concern.tracking.upper()}/verify/", {"last4": "5678"})

    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    assert "138****5678" in client.get(response["Location"]).content.decode()  # unlocked: the digits were checked
