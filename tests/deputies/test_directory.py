import pytest

from deputies.models import Deputy
from tests.factories import DeputyFactory, SiteFactory, VillageFactory


@pytest.mark.django_db
def test_directory_groups_active_deputies_by_level(client):
    DeputyFactory(name="吴立新", level=Deputy.Level.CITY)
    DeputyFactory(name="王智慧", level=Deputy.Level.TOWNSHIP)
    DeputyFactory(name="离任者", is_active=False)

    body = client.get("/d/").content.decode()

    assert "市级代表" in body and "乡镇级代表" in body
    assert body.index("吴立新") < body.index("王智慧")
    assert "离任者" not in body


@pytest.mark.django_db
def test_directory_filters_by_level_site_and_village(client):
    site, village = SiteFactory(), VillageFactory()
    DeputyFactory(name="甲代表", level=Deputy.Level.COUNTY, site=site)
    DeputyFactory(name="乙代表", level=Deputy.Level.TOWNSHIP, village=village)

    assert "甲代表" in client.get("/d/", {"level": Deputy.Level.COUNTY}).content.decode()
    assert "乙代表" not in client.get("/d/", {"level": Deputy.Level.COUNTY}).content.decode()
    assert "乙代表" not in client.get("/d/", {"site": site.pk}).content.decode()
    assert "甲代表" not in client.get("/d/", {"village": village.pk}).content.decode()
    assert "乙代表" in client.get("/d/", {"village": village.pk}).content.decode()


@pytest.mark.django_db
def test_directory_searches_by_name(client):
    DeputyFactory(name="吴仁贵")
    DeputyFactory(name="陈西荣")

    body = client.get("/d/", {"q": "仁贵"}).content.decode()

    assert "吴仁贵" in body and "陈西荣" not in body


@pytest.mark.django_db
def test_directory_with_nonsense_filters_still_lists_everyone(client):
    DeputyFactory(name="吴仁贵")

    response = client.get("/d/", {"level": "abc", "site": "999999"})

    assert response.status_code == 200
    assert "吴仁贵" in response.content.decode()


@pytest.mark.django_db
def test_directory_runs_the_same_number_of_queries_for_one_or_many_deputies(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    site = SiteFactory()
    DeputyFactory(site=site)
    with django_assert_max_num_queries(9) as one:  # (one of them the page cache's stamps)
        client.get("/d/")
    DeputyFactory.create_batch(30, site=site)
    DeputyFactory.create_batch(5, level=Deputy.Level.CITY)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/d/")
