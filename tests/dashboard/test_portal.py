"""The pocket liaison station at / (issue 11, item 2): its columns read the records, nothing personal, and a
fixed number of queries whatever they hold."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from deputies.models import Site
from petitions.models import Concern
from tests.factories import ConcernFactory, DeputyFactory, SiteFactory, VillageFactory, the_township
from tests.isolation import build_town


def test_the_portal_shows_projects_materials_and_results_without_personal_data(client, db):
    town = build_town(the_township(), marker="甲镇", tag="jiazhen", digit="1")
    resolved = ConcernFactory(is_public=True, name="王秀英", mobile="13912345678", content="王秀英：路灯修好了吗")
    Concern.objects.filter(pk=resolved.pk).update(status=Concern.Status.CLOSED, outcome=Concern.Outcome.FIXED)
    SiteFactory(kind="station")
    page = client.get("/").content.decode()
    assert town.livelihood_project.candidate.title in page and '<progress class="project-progress-bar"' in page
    assert town.study_material.title in page and town.deputies_material.title not in page
    assert "路灯修好了吗" in page and "王秀英" not in page and "13912345678" not in page
    stations = Site.objects.filter(kind="station", is_active=True)
    assert any(reverse("petitions:file_to_site", args=[s.code]) in page for s in stations)


def test_a_voter_finds_their_deputy_by_village(client, db):
    deputy = DeputyFactory(name="李明", village=VillageFactory(name="东岙村"))
    DeputyFactory(name="王芳")
    page = client.get("/d/", {"q": "东岙"}).content.decode()
    assert deputy.name in page and "王芳" not in page


@pytest.mark.parametrize("many", [False, True])
def test_the_portal_costs_the_same_queries_however_many_rows(client, db, django_assert_num_queries, many):
    build_town(the_township(), marker="甲镇", tag="jiazhen", digit="1")
    for _ in range(6 if many else 1):  # at least one on every list
        concern = ConcernFactory(is_public=True)
        Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.CLOSED, outcome=Concern.Outcome.FIXED)
        SiteFactory()
    client.get("/")
    cache.clear()  # the page the first visit cached: the test's writes never commit to stamp it stale
    with django_assert_num_queries(QUERIES):
        client.get("/")


# With a duty day today and one ahead (three queries; one when none is published ahead), and the page cache's
# stamps (liaison/public_pages.py).
QUERIES = 13
