"""desk:concerns — every concern, for officials and station staff, with filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_transition
from tests.factories import (
    CategoryFactory,
    ConcernFactory,
    DeputyFactory,
    UnitFactory,
    VillageFactory,
)

URL = reverse("desk:concerns")


def _trackings(response) -> list[str]:
    return [concern.tracking for concern in response.context["page"].object_list]


@pytest.mark.django_db
def test_officials_see_every_concern_newest_first(client, official, category):
    older = ConcernFactory(category=category)
    newer = ConcernFactory(category=category)
    Concern.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(official)

    response = client.get(URL)

    assert response.status_code == 200
    assert _trackings(response) == [newer.tracking, older.tracking]


@pytest.mark.django_db
def test_staff_filter_by_status_category_village_deputy_unit_and_channel(client, staff, official, category):
    village, deputy, unit = VillageFactory(), DeputyFactory(), UnitFactory()
    other_category = CategoryFactory(name="道路交通")
    target = ConcernFactory(category=other_category, village=village, deputy=deputy, channel="walk_in")
    target = concern_assign(concern=target, unit=unit, actor=official, role=workflow.OFFICIAL)
    decoy = ConcernFactory(category=category)
    client.force_login(staff)

    for filters in ({"status": "assigned"}, {"category": other_category.pk}, {"village": village.pk},
                    {"deputy": deputy.pk}, {"unit": unit.pk}, {"channel": "walk_in"}):
        trackings = _trackings(client.get(URL, filters))
        assert trackings == [target.tracking], filters
    assert _trackings(client.get(URL, {"channel": "qr"})) == [decoy.tracking]


@pytest.mark.django_db
def test_overdue_only_shows_open_concerns_past_their_deadline_and_highlights_them(client, official, category, unit):
    past = timezone.localdate() - datetime.timedelta(days=2)
    late = concern_assign(concern=ConcernFactory(category=category), unit=unit, deadline_on=past, actor=official,
                          role=workflow.OFFICIAL)
    on_time = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                             role=workflow.OFFICIAL)
    ended_late = concern_assign(concern=ConcernFactory(category=category), unit=unit, deadline_on=past,
                                actor=official, role=workflow.OFFICIAL)
    concern_transition(concern=ended_late, action="reject", actor=official, role=workflow.OFFICIAL,
                       note="重复", result="重复")
    client.force_login(official)

    assert _trackings(client.get(URL, {"overdue": "on"})) == [late.tracking]
    body = client.get(URL).content.decode()
    assert f'class="concern-row table-danger" data-tracking="{late.tracking}"' in body
    assert f'class="concern-row" data-tracking="{on_time.tracking}"' in body
    assert f'class="concern-row" data-tracking="{ended_late.tracking}"' in body


@pytest.mark.django_db
def test_free_text_finds_a_tracking_code_or_words_in_the_content(client, official, category):
    manhole = ConcernFactory(category=category, content="村口窨井盖破损下沉，夜里危险。")
    streetlight = ConcernFactory(category=category, content="路灯不亮")
    client.force_login(official)

    assert _trackings(client.get(URL, {"q": "窨井盖"})) == [manhole.tracking]
    assert _trackings(client.get(URL, {"q": f" {streetlight.tracking.upper()} "})) == [streetlight.tracking]


@pytest.mark.django_db
def test_a_stale_filter_value_is_ignored_and_the_others_still_apply(client, official, category):
    walk_in = ConcernFactory(category=category, channel="walk_in")
    ConcernFactory(category=category)
    client.force_login(official)

    response = client.get(URL, {"channel": "walk_in", "village": "999999"})

    assert response.status_code == 200
    assert _trackings(response) == [walk_in.tracking]


@pytest.mark.django_db
def test_the_list_pages_by_thirty(client, official, category):
    for _ in range(31):
        ConcernFactory(category=category)
    client.force_login(official)

    assert len(_trackings(client.get(URL))) == 30
    assert len(_trackings(client.get(URL, {"page": 2}))) == 1


@pytest.mark.django_db
def test_rows_show_status_category_village_deputy_unit_and_dates(client, official, category, unit):
    village = VillageFactory(name="上叶村")
    concern = concern_assign(concern=ConcernFactory(category=category, village=village), unit=unit, actor=official,
                             role=workflow.OFFICIAL)
    client.force_login(official)

    body = client.get(URL).content.decode()

    for shown in (concern.tracking, 'data-status="assigned"', category.name, "上叶村", concern.deputy.name, unit.name,
                  concern.deadline_on.isoformat(), timezone.localdate(concern.created_at).isoformat()):
        assert shown in body


@pytest.mark.django_db
def test_the_list_runs_the_same_number_of_queries_for_one_or_twelve_rows(
    client, official, category, unit, django_assert_num_queries, django_assert_max_num_queries
):
    ConcernFactory(category=category)
    client.force_login(official)
    with django_assert_max_num_queries(15) as one:
        client.get(URL)
    for n in range(11):
        concern = ConcernFactory(category=CategoryFactory(), village=VillageFactory())
        if n % 2:
            concern_assign(concern=concern, unit=UnitFactory(), actor=official, role=workflow.OFFICIAL)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(_trackings(response)) == 12
