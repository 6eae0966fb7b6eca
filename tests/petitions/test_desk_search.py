"""The desk's search box (petitions.search): tracking code, mobile (whole or last four), name, words in the text.

Runs on SQLite and, in make test's second pass, on PostgreSQL, where the words go through
ILIKE and the bigram condition of petitions.lookups.ContainsText.
"""

import pytest
from django.urls import reverse

from petitions import selectors, workflow
from petitions.services import concern_assign
from tests.factories import ConcernFactory, UnitFactory

URL = reverse("desk:concerns")


def _trackings(response) -> list[str]:
    return sorted(concern.tracking for concern in response.context["page"].object_list)


@pytest.fixture
def cases(db, category):
    """Three constituents' concerns; 王大伯 filed twice from the same mobile."""
    wang = ConcernFactory(category=category, mobile="13812345678", name="王大伯",
                          content="村口窨井盖破损下沉，夜里危险。")
    wang_again = ConcernFactory(category=category, mobile="13812345678", name="王大伯",
                                content="村道路灯不亮已经一个月。")
    chen = ConcernFactory(category=category, mobile="13987655678", name="陈西荣",
                          content="家门口葡萄园环境卫生差，影响生活。WiFi 信号也差。")
    li = ConcernFactory(category=category, mobile="13700001111", name="李春花",
                        content="河边竹林有人丢弃农药瓶，100% 是外村人。")
    return {"wang": wang, "wang_again": wang_again, "chen": chen, "li": li}


def _search(client, official, query: str) -> list[str]:
    client.force_login(official)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return _trackings(response)


def _codes(cases, *names) -> list[str]:
    return sorted(cases[name].tracking for name in names)


@pytest.mark.django_db
def test_a_tracking_code_in_any_case_finds_that_concern(client, official, cases):
    assert _search(client, official, f"  {cases['chen'].tracking.upper()} ") == _codes(cases, "chen")


@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "138-1234-5678"])
@pytest.mark.django_db
def test_a_whole_mobile_finds_every_concern_of_that_constituent(client, official, cases, typed):
    assert _search(client, official, typed) == _codes(cases, "wang", "wang_again")


@pytest.mark.django_db
def test_the_last_four_digits_find_every_constituent_whose_mobile_ends_so(client, official, cases):
    assert _search(client, official, "5678") == _codes(cases, "wang", "wang_again", "chen")
    assert _search(client, official, "1111") == _codes(cases, "li")
    assert _search(client, official, "0000") == []


@pytest.mark.django_db
def test_a_name_or_its_start_finds_that_constituents_concerns(client, official, cases):
    assert _search(client, official, "王大伯") == _codes(cases, "wang", "wang_again")
    assert _search(client, official, "陈西") == _codes(cases, "chen")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("窨井盖", ["wang"]),  # three characters: the trigram index on PostgreSQL
        ("路灯", ["wang_again"]),  # two: the bigram index
        ("瓶", ["li"]),  # one: no index
        ("wifi", ["chen"]),  # any case
        ("100%", ["li"]),  # % and _ are the characters typed, not wildcards
        ("葡萄园 信号", ["chen"]),  # several words: all of them
    ],
)
@pytest.mark.django_db
def test_words_find_the_concerns_whose_text_holds_them(client, official, cases, words, expected):
    assert _search(client, official, words) == _codes(cases, *expected)


@pytest.mark.django_db
def test_a_wildcard_alone_matches_nothing_it_does_not_hold(client, official, cases):
    assert _search(client, official, "_") == []
    assert _search(client, official, "葡萄 窨井") == []


@pytest.mark.django_db
def test_search_combines_with_the_other_filters(client, official, cases):
    unit = UnitFactory()
    concern_assign(concern=cases["wang"], unit=unit, actor=official, role=workflow.OFFICIAL)
    client.force_login(official)

    response = client.get(URL, {"q": "13812345678", "status": "assigned"})

    assert _trackings(response) == _codes(cases, "wang")


@pytest.mark.django_db
def test_only_concerns_the_user_may_see_are_found(handler, unit, official, cases):
    concern_assign(concern=cases["wang"], unit=unit, actor=official, role=workflow.OFFICIAL)

    found = selectors.concern_list(user=handler, filters={"q": "13812345678"})

    # The handler sees their unit's case of 王大伯, not his other one, nor anyone else's.
    assert [concern.tracking for concern in found] == [cases["wang"].tracking]
    assert list(selectors.concern_list(user=handler, filters={"q": "葡萄园"})) == []


@pytest.mark.django_db
def test_handlers_and_deputies_cannot_open_the_desk_list(client, handler, deputy_user, cases):
    for user in (handler, deputy_user):
        client.force_login(user)
        assert client.get(URL, {"q": "13812345678"}).status_code == 403


@pytest.mark.django_db
def test_four_digits_or_a_code_shaped_word_also_search_the_text(client, official, category):
    year = ConcernFactory(category=category, content="2025年修的村道又坏了", mobile="13900009999")
    word = ConcernFactory(category=category, content="department 的回复太慢", mobile="13900008888")
    client.force_login(official)

    for query, concern in (("2025", year), ("department", word)):
        body = client.get("/desk/concerns/", {"q": query}).content.decode()
        assert concern.tracking in body, query
