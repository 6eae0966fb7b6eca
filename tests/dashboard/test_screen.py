"""The big screen's data (dashboard/screen.py, /screen/): figures counted from the records, nothing personal,
a site's own figures, a fixed number of queries, and the cache the screens of a township share."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from petitions.models import Concern
from tests.factories import ConcernFactory, SiteFactory, the_township
from tests.isolation import build_town


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _figures(client, url="/screen/data.json") -> dict:
    data = client.get(url).json()
    return {f["key"]: f["value"] for f in data["figures"]}


def _ended(concern, outcome, satisfaction=""):
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.CLOSED, outcome=outcome,
                                                 satisfaction=satisfaction)


def test_figures_are_counted_from_the_records(client, db):
    concerns = [ConcernFactory() for _ in range(5)]
    _ended(concerns[0], Concern.Outcome.FIXED, "satisfied")
    _ended(concerns[1], Concern.Outcome.FIXED, "basic")
    _ended(concerns[2], Concern.Outcome.EXPLAINED, "satisfied")
    Concern.objects.filter(pk=concerns[3].pk).update(status=Concern.Status.HELD)  # held for review: no case
    figures = _figures(client)
    assert (figures["received"], figures["resolved"], figures["fixed"], figures["open"]) == (4, 3, 2, 1)
    assert figures["satisfaction"] == "100%"


def test_the_screen_shows_no_personal_data_and_only_public_concerns(client, db):
    shown = ConcernFactory(is_public=True, name="王秀英", mobile="13912345678",
                           content="王秀英反映：13912345678 门口水管破裂")
    hidden = ConcernFactory(is_public=False, content="不公开的反映内容")
    page = client.get("/screen/").content.decode()
    data = client.get("/screen/data.json").content.decode()
    for text in (page, data):
        assert "门口水管破裂" in text
        assert "王秀英" not in text and "13912345678" not in text and "不公开的反映内容" not in text
    assert shown.tracking not in data and hidden.tracking not in data


def test_a_sites_screen_counts_its_own_concerns(client, db):
    site = SiteFactory()
    ConcernFactory(site=site)
    ConcernFactory()
    assert _figures(client)["received"] == 2
    assert _figures(client, reverse("dashboard:site_screen_json", args=[site.code]))["received"] == 1
    assert site.name in client.get(reverse("dashboard:site_screen", args=[site.code])).content.decode()
    assert client.get(reverse("dashboard:site_screen", args=["nosuch1"])).status_code == 404


@pytest.mark.parametrize("many", [False, True])
def test_the_data_costs_the_same_queries_however_many_rows(client, db, django_assert_max_num_queries,
                                                          django_assert_num_queries, many):
    town = build_town(the_township(), marker="甲镇", tag="jiazhen", digit="1")  # a row of every kind on every list
    assert town.public_suggestion and town.livelihood_project
    for _ in range(12 if many else 0):
        ConcernFactory(is_public=True)
    client.get("/")  # the township and its settings, loaded once per process
    with django_assert_num_queries(QUERIES):
        client.get("/screen/data.json")
    cache.clear()
    with django_assert_max_num_queries(QUERIES):
        client.get("/screen/")


def test_the_screens_of_a_township_share_one_computation_a_minute(client, db, django_assert_max_num_queries):
    ConcernFactory()
    first = client.get("/screen/data.json").json()
    ConcernFactory()
    with django_assert_max_num_queries(1):  # at most the township, never the figures again
        again = client.get("/screen/data.json").json()
    assert again == first  # the age it shows is the computation's: generated_at
    cache.clear()
    assert _figures(client)["received"] == 2


QUERIES = 18  # with a duty day today and one ahead (three queries; one when none is published ahead)



def test_when_due_one_request_counts_again_and_the_others_get_the_last_count(client, db, settings, monkeypatch):
    import time

    ConcernFactory()
    first = client.get("/screen/data.json").json()
    ConcernFactory()
    later = time.time() + settings.SCREEN_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    counting = f"screen:{the_township().pk}::zh-hans:counting"
    cache.add(counting, 1)  # another request is counting them now

    assert client.get("/screen/data.json").json() == first

    cache.delete(counting)
    assert _figures(client)["received"] == 2
