"""desk:concerns — every concern, for officials and station staff, with filters."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from petitions import selectors, workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_merge, concern_rate, concern_resolve, concern_transition
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
                    {"deputy": deputy.name}, {"unit": unit.pk}, {"channel": "walk_in"}):
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


def _outcomes(official, handler, category, unit) -> dict[str, Concern]:
    """One concern per outcome, plus one still open and one reopened after a poor rating (no outcome)."""
    def resolved(outcome):
        assigned = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                                  role=workflow.OFFICIAL)
        return concern_resolve(concern=assigned, result="已处理。", outcome=outcome, actor=handler,
                               role=workflow.HANDLER)

    original = ConcernFactory(category=category)
    explained = concern_resolve(concern=ConcernFactory(category=category), result="已答复。",
                                outcome=Concern.Outcome.EXPLAINED, actor=official, role=workflow.OFFICIAL)
    reopened = concern_rate(concern=resolved(Concern.Outcome.FIXED), satisfaction="unsatisfied")
    return {
        "open": original,
        "reopened": reopened,
        "fixed": concern_rate(concern=resolved(Concern.Outcome.FIXED), satisfaction="satisfied"),
        "explained": concern_rate(concern=explained, satisfaction="satisfied"),
        "not_feasible": resolved(Concern.Outcome.NOT_FEASIBLE),
        "rejected": concern_transition(concern=ConcernFactory(category=category), action="reject", actor=official,
                                       role=workflow.OFFICIAL, note="不属于受理范围", result="不属于受理范围"),
        "duplicate": concern_merge(concern=ConcernFactory(category=category), into=original, actor=official,
                                   role=workflow.OFFICIAL),
    }


@pytest.mark.django_db
def test_officials_filter_by_outcome_and_an_explained_case_is_not_a_fixed_one(
    client, official, handler, category, unit
):
    cases = _outcomes(official, handler, category, unit)
    client.force_login(official)

    for outcome in ("fixed", "explained", "not_feasible", "rejected", "duplicate"):
        assert _trackings(client.get(URL, {"outcome": outcome})) == [cases[outcome].tracking], outcome
    no_outcome = _trackings(client.get(URL, {"outcome": "none"}))
    assert sorted(no_outcome) == sorted([cases["open"].tracking, cases["reopened"].tracking])
    assert len(_trackings(client.get(URL))) == 7


@pytest.mark.django_db
def test_an_unknown_outcome_is_ignored_and_the_other_filters_still_apply(client, official, category):
    walk_in = ConcernFactory(category=category, channel="walk_in")
    ConcernFactory(category=category)
    client.force_login(official)

    response = client.get(URL, {"outcome": "closed", "channel": "walk_in"})

    assert response.status_code == 200
    assert _trackings(response) == [walk_in.tracking]


@pytest.mark.django_db
def test_rows_show_the_outcome_or_a_dash_when_there_is_none(client, official, handler, category, unit):
    cases = _outcomes(official, handler, category, unit)
    client.force_login(official)

    body = client.get(URL).content.decode()

    def row(concern) -> str:
        return body.split(f'data-tracking="{concern.tracking}"', 1)[1].split("</tr>", 1)[0]

    with translation.override(settings.LANGUAGE_CODE):
        for outcome in ("fixed", "explained", "not_feasible", "rejected", "duplicate"):
            label = Concern.Outcome(outcome).label
            assert f'<td class="concern-outcome" data-outcome="{outcome}">{label}</td>' in row(cases[outcome]), outcome
    for pending in (cases["open"], cases["reopened"]):
        assert '<td class="concern-outcome" data-outcome="">—</td>' in row(pending)


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
    # 17 with the township's stamp read (cached_fragment); 6 more, the stamp read again for each list the same for
    # the whole township (five selects' choices, the deputies' names: kept_for_township), none of them kept here
    # (nothing commits a stamp: test_work_cached_lists has them kept).
    with django_assert_max_num_queries(23) as one:
        client.get(URL)
    for n in range(11):
        concern = ConcernFactory(category=CategoryFactory(), village=VillageFactory())
        if n % 2:
            concern_assign(concern=concern, unit=UnitFactory(), actor=official, role=workflow.OFFICIAL)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(_trackings(response)) == 12


@pytest.mark.django_db
def test_the_outcome_filter_runs_the_same_number_of_queries_for_one_or_many_rows(
    client, official, handler, category, unit, django_assert_num_queries, django_assert_max_num_queries
):
    def fixed():
        assigned = concern_assign(concern=ConcernFactory(category=CategoryFactory(), village=VillageFactory()),
                                  unit=UnitFactory(), actor=official, role=workflow.OFFICIAL)
        return concern_resolve(concern=assigned, result="已修复。", outcome=Concern.Outcome.FIXED, actor=official,
                               role=workflow.OFFICIAL)

    fixed()
    client.force_login(official)
    with django_assert_max_num_queries(23) as one:  # (as above)
        client.get(URL, {"outcome": "fixed"})
    for _ in range(8):
        fixed()
    ConcernFactory(category=category)  # no outcome: filtered out

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL, {"outcome": "fixed"})
    assert len(_trackings(response)) == 9


@pytest.mark.django_db
def test_the_more_filters_show_the_channel_and_outcome_chosen(client, official):
    client.force_login(official)

    body = client.get(URL, {"channel": "qr", "outcome": "fixed"}).content.decode()

    assert '<option value="qr" selected>' in body and '<option value="fixed" selected>' in body
    assert "<details class=\"more-filters mt-2\" open>" in body


def _tab_counts(response) -> dict[str, int]:
    return {
        ("overdue" if tab["overdue"] else tab["status"] or "all"): tab["count"] for tab in response.context["tabs"]
    }


@pytest.mark.django_db
def test_tabs_count_each_status_and_overdue_within_the_other_filters(client, official, category, unit):
    walk_in = CategoryFactory(name="村务")
    past = timezone.localdate() - datetime.timedelta(days=1)
    concern_assign(concern=ConcernFactory(category=category), unit=unit, deadline_on=past, actor=official,
                   role=workflow.OFFICIAL)
    concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official, role=workflow.OFFICIAL)
    ConcernFactory(category=category)
    ConcernFactory(category=walk_in)  # another category: left out by the filter below
    client.force_login(official)

    counts = _tab_counts(client.get(URL, {"category": category.pk}))

    assert counts == {"all": 3, "submitted": 1, "accepted": 0, "assigned": 2, "in_progress": 0, "resolved": 0,
                      "closed": 0, "rejected": 0, "merged": 0, "held": 0, "discarded": 0, "overdue": 1}
    assert _tab_counts(client.get(URL))["all"] == 4


@pytest.mark.django_db
def test_each_tab_figure_is_the_length_of_that_tabs_list(official, category, unit):
    past, soon = (timezone.localdate() + datetime.timedelta(days=days) for days in (-1, 3))
    for deadline in (past, past, soon, None):
        concern_assign(concern=ConcernFactory(category=category), unit=unit, deadline_on=deadline, actor=official,
                       role=workflow.OFFICIAL)
    submitted, held, resolved = (ConcernFactory(category=category) for _ in range(3))
    Concern.objects.filter(pk=submitted.pk).update(deadline_on=past)  # overdue, not yet accepted
    Concern.objects.filter(pk=held.pk).update(status=Concern.Status.HELD)
    # Past its deadline, but no longer open: not overdue.
    Concern.objects.filter(pk=resolved.pk).update(status=Concern.Status.RESOLVED, outcome=Concern.Outcome.FIXED,
                                                  resolved_at=timezone.now(), deadline_on=past)

    for status in ("", *Concern.Status.values):
        for overdue in (False, True):
            filters = {"status": status, "overdue": overdue}
            listed, figures = selectors.concern_desk_list(user=official, filters=filters)
            assert figures["current"] == listed.count() == _listed(official, filters)
            if status:
                assert figures[status] == _listed(official, {"status": status})
    assert (figures["all"], figures["overdue"], figures["held"]) == (6, 3, 1)


def _listed(user, filters: dict) -> int:
    return selectors.concern_list(user=user, filters=filters).count()


@pytest.mark.django_db
def test_a_tab_lists_its_concerns_and_its_link_keeps_the_other_filters(client, official, category, unit):
    assigned = concern_assign(concern=ConcernFactory(category=category, content="路灯不亮"), unit=unit,
                              actor=official, role=workflow.OFFICIAL)
    ConcernFactory(category=category, content="路灯不亮")
    client.force_login(official)

    response = client.get(URL, {"q": "路灯", "status": "assigned", "page": "1"})

    assert _trackings(response) == [assigned.tracking]
    assert response.context["page"].paginator.count == 1
    body = response.content.decode()
    assert 'href="?q=%E8%B7%AF%E7%81%AF&amp;status=submitted"' in body  # the "submitted" tab, same search
    assert 'href="?q=%E8%B7%AF%E7%81%AF&amp;overdue=on"' in body
    assert 'href="?q=%E8%B7%AF%E7%81%AF"' in body  # "all"
    active = [tab["status"] for tab in response.context["tabs"] if tab["is_active"]]
    assert active == ["assigned"]


@pytest.mark.django_db
def test_the_overdue_tab_lists_open_concerns_past_their_deadline(client, official, category, unit):
    past = timezone.localdate() - datetime.timedelta(days=2)
    late = concern_assign(concern=ConcernFactory(category=category), unit=unit, deadline_on=past, actor=official,
                          role=workflow.OFFICIAL)
    ConcernFactory(category=category)
    client.force_login(official)

    response = client.get(URL, {"overdue": "on"})

    assert _trackings(response) == [late.tracking]
    assert [str(tab["label"]) for tab in response.context["tabs"] if tab["is_active"]] == ["已超期"]


def _age(concern: Concern, *, days: int, changed_days: int | None = None) -> None:
    now = timezone.now()
    changed = now - datetime.timedelta(days=changed_days if changed_days is not None else days)
    Concern.objects.filter(pk=concern.pk).update(created_at=now - datetime.timedelta(days=days), updated_at=changed)


@pytest.mark.django_db
def test_the_list_sorts_by_deadline_filing_time_or_last_change(client, official, category, unit):
    today = timezone.localdate()
    soon = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                          role=workflow.OFFICIAL, deadline_on=today + datetime.timedelta(days=1))
    later = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                           role=workflow.OFFICIAL, deadline_on=today + datetime.timedelta(days=9))
    none = ConcernFactory(category=category)
    _age(soon, days=1, changed_days=5)
    _age(later, days=3, changed_days=0)
    _age(none, days=2)
    client.force_login(official)

    def order(sort):
        return [concern.tracking for concern in client.get(URL, {"sort": sort}).context["page"].object_list]

    assert order("deadline") == [soon.tracking, later.tracking, none.tracking]  # no deadline last
    assert order("-created") == [soon.tracking, none.tracking, later.tracking]
    assert order("created") == [later.tracking, none.tracking, soon.tracking]
    assert order("-updated") == [later.tracking, none.tracking, soon.tracking]
    assert order("-status; DROP TABLE") == order("-created")  # not in the list: the default order


@pytest.mark.django_db
def test_column_headers_link_to_their_sort_and_mark_the_current_one(client, official, category):
    ConcernFactory(category=category)
    client.force_login(official)

    body = client.get(URL, {"sort": "deadline", "village": ""}).content.decode()

    assert 'aria-sort="ascending"><a class="sort-link is-active" href="?sort=deadline&amp;village="' in body
    assert 'href="?sort=-created&amp;village="' in body and 'href="?sort=-updated&amp;village="' in body
    # Sorted newest first, the filing-time header offers oldest first.
    assert 'href="?sort=created"' in client.get(URL).content.decode()


@pytest.mark.django_db
def test_rows_show_the_start_of_the_text(client, official, category):
    long_text = "村口窨井盖破损下沉，夜里骑车经过非常危险，已经有两位老人摔倒，希望尽快更换新的井盖并设置警示标志，谢谢。"
    concern = ConcernFactory(category=category, content=long_text)
    client.force_login(official)

    body = client.get(URL).content.decode()

    row = body.split(f'data-tracking="{concern.tracking}"', 1)[1].split("</tr>", 1)[0]
    excerpt = row.split('class="concern-excerpt">', 1)[1].split("</td>", 1)[0]
    assert long_text[:30] in excerpt and long_text not in excerpt
    assert len(excerpt) < 120


@pytest.mark.django_db
def test_the_deputy_filter_takes_a_name_or_part_of_one_and_offers_the_names(client, official, category):
    zhang, zhang_long = DeputyFactory(name="张伟"), DeputyFactory(name="张伟民")
    wu = DeputyFactory(name="吴立新")
    by_zhang = ConcernFactory(category=category, deputy=zhang)
    by_zhang_long = ConcernFactory(category=category, deputy=zhang_long)
    by_wu = ConcernFactory(category=category, deputy=wu)
    client.force_login(official)

    assert _trackings(client.get(URL, {"deputy": "张伟"})) == [by_zhang.tracking]  # the exact name only
    assert sorted(_trackings(client.get(URL, {"deputy": "张"}))) == sorted([by_zhang.tracking,
                                                                          by_zhang_long.tracking])
    assert _trackings(client.get(URL, {"deputy": "立新"})) == [by_wu.tracking]
    assert _trackings(client.get(URL, {"deputy": "无此人"})) == []
    body = client.get(URL).content.decode()
    assert '<input type="text" name="deputy"' in body and 'list="deputy-names"' in body
    assert '<option value="吴立新">' in body and "<select name=\"deputy\"" not in body


@pytest.mark.django_db
def test_the_filing_dates_narrow_the_list(client, official, category):
    old, new = ConcernFactory(category=category), ConcernFactory(category=category)
    _age(old, days=40)
    client.force_login(official)
    today = timezone.localdate()

    recent = {"date_from": (today - datetime.timedelta(days=7)).isoformat(), "date_to": today.isoformat()}
    assert _trackings(client.get(URL, recent)) == [new.tracking]
    reversed_range = {"date_from": today.isoformat(), "date_to": (today - datetime.timedelta(days=7)).isoformat()}
    response = client.get(URL, reversed_range)
    assert "截止日期早于起始日期" in response.content.decode()


@pytest.mark.django_db
def test_a_search_with_tab_and_sort_runs_the_same_number_of_queries_for_one_or_many_rows(
    client, official, category, unit, django_assert_num_queries, django_assert_max_num_queries
):
    params = {"q": "路灯", "status": "assigned", "sort": "deadline", "deputy": "张"}

    def assigned():
        concern = ConcernFactory(category=CategoryFactory(), village=VillageFactory(), content="村口路灯不亮")
        return concern_assign(concern=concern, unit=UnitFactory(), actor=official, role=workflow.OFFICIAL)

    assigned()
    client.force_login(official)
    with django_assert_max_num_queries(25) as one:  # 25 since the site filter lists the sites (and as above)
        assert len(client.get(URL, params).context["page"].object_list) == 1
    for _ in range(8):
        assigned()

    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(URL, params).context["page"].object_list) == 9
