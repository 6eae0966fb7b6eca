import pytest

from deputies.models import Deputy
from tests.factories import DeputyFactory, SiteFactory


@pytest.mark.django_db
def test_profile_shows_the_deputy_and_their_office_phone(client):
    deputy = DeputyFactory(name="吴立新", level=Deputy.Level.CITY, post="企业家协会会长", office_phone="0576-87790123")

    body = client.get(f"/d/{deputy.code}/").content.decode()

    assert "吴立新" in body and "市级人大代表" in body and "企业家协会会长" in body
    assert 'href="tel:0576-87790123"' in body


@pytest.mark.django_db
def test_profile_hides_the_personal_mobile_unless_published(client):
    private = DeputyFactory(mobile="13800001111", publish_mobile=False)
    public = DeputyFactory(mobile="13800002222", publish_mobile=True)

    assert "13800001111" not in client.get(f"/d/{private.code}/").content.decode()
    assert "tel:13800002222" in client.get(f"/d/{public.code}/").content.decode()


@pytest.mark.django_db
def test_profile_of_inactive_or_unknown_deputy_is_a_friendly_404(client):
    gone = DeputyFactory(is_active=False)

    for code in (gone.code, "zzzzzzz"):
        response = client.get(f"/d/{code}/")
        assert response.status_code == 404
        assert "找不到" in response.content.decode()


@pytest.mark.django_db
def test_profile_never_shows_primary_keys_in_links(client):
    deputy = DeputyFactory()

    body = client.get(f"/d/{deputy.code}/").content.decode()

    assert f"/d/{deputy.pk}/" not in body


@pytest.mark.django_db
def test_profile_query_count_is_fixed(client, django_assert_max_num_queries):
    deputy = DeputyFactory()
    # The deputy, the year's record (one query per topic: duty, activities, reports to voters, households,
    # concerns, receptions, suggestions) and the recent activities: whatever the number of events
    # (tests/deputies/test_record.py).
    with django_assert_max_num_queries(10):  # (one of them the page cache's stamps)
        client.get(f"/d/{deputy.code}/")


@pytest.mark.django_db
def test_site_page_lists_its_deputies(client):
    site = SiteFactory(name="白塔片区代表联络点")
    DeputyFactory(name="王智慧", site=site)
    DeputyFactory(name="别处代表")

    body = client.get(f"/s/{site.code}/").content.decode()

    assert "白塔片区代表联络点" in body and "王智慧" in body and "别处代表" not in body


@pytest.mark.django_db
def test_site_page_query_count_is_fixed(client, django_assert_num_queries, django_assert_max_num_queries):
    site = SiteFactory()
    DeputyFactory(site=site)
    with django_assert_max_num_queries(6) as one:
        client.get(f"/s/{site.code}/")
    DeputyFactory.create_batch(20, site=site)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"/s/{site.code}/")


@pytest.mark.django_db
def test_site_qr_decodes_to_the_site_page(client, django_capture_on_commit_callbacks):
    from tests.deputies.test_qr import decode_png

    with django_capture_on_commit_callbacks(execute=True):
        site = SiteFactory()

    response = client.get(f"/s/{site.code}/qr.png")

    assert decode_png(response.content) == site.public_url()
