"""The co-signer picker on the new-suggestion form: ~100 deputies, filtered by name, village or pinyin. Without
JavaScript "Find" posts the form back with everything typed and ticked kept (nothing saved); a static script
filters as one types (no inline script under the CSP)."""

import re

import pytest
from django.urls import reverse

from petitions.models import Suggestion
from tests.factories import DeputyFactory, VillageFactory

URL = "/desk/suggestions/new/"
LONG = "村道破损严重，雨天积水，" * 120  # longer than any URL a GET could carry


@pytest.fixture
def deputies(db):
    east, west = VillageFactory(name="东岙村"), VillageFactory(name="西坑村")
    return {
        "wang": DeputyFactory(name="王智慧", village=east),
        "li": DeputyFactory(name="李建国", village=west),
        "zhang": DeputyFactory(name="张三丰", village=west),
        "gone": DeputyFactory(name="王离任", village=east, is_active=False),
    }


def _shown(body: str) -> set[str]:
    return set(re.findall(r'name="cosigners" value="(\d+)"', body))


def _ticked(body: str) -> set[str]:
    return set(re.findall(r'name="cosigners" value="(\d+)" id="cosigner-\d+" checked', body))


@pytest.mark.django_db
def test_the_form_lists_every_active_deputy_but_the_author_with_their_village(client, deputy_user, deputies):
    client.force_login(deputy_user)
    body = client.get(URL).content.decode()

    assert _shown(body) == {str(deputies[k].pk) for k in ("wang", "li", "zhang")}
    assert str(deputy_user.deputy.pk) not in _shown(body)
    assert "王智慧" in body and "东岙村" in body
    assert 'id="cosigner-q"' in body and 'name="find"' in body
    assert re.search(r'<script src="[^"]*js/cosigner-picker\.js" defer></script>', body)
    assert "<script>" not in body and " onclick=" not in body and " style=" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [("王", {"wang"}), ("西坑", {"li", "zhang"}), ("wzh", {"wang"}),
                                                 ("lijianguo", {"li"}), ("西坑 张", {"zhang"})])
def test_find_filters_by_name_village_or_pinyin(client, deputy_user, deputies, query, expected):
    client.force_login(deputy_user)
    body = client.post(URL, {"cosigner_q": query, "find": "1"}).content.decode()
    assert _shown(body) == {str(deputies[k].pk) for k in expected}
    assert Suggestion.objects.count() == 0


@pytest.mark.django_db
def test_find_keeps_what_was_typed_and_ticked_and_saves_nothing(client, deputy_user, deputies):
    client.force_login(deputy_user)
    li = deputies["li"]
    response = client.post(URL, {"title": "关于修缮村道的建议", "content": LONG, "kind": "environment",
                                 "cosigners": [li.pk], "cosigner_q": "王", "find": "1"})
    body = response.content.decode()

    assert response.status_code == 200 and Suggestion.objects.count() == 0
    assert 'value="关于修缮村道的建议"' in body and LONG in body
    assert re.search(r'<option value="environment"[^>]*selected', body)
    # The filter shows 王智慧; 李建国, ticked before, stays shown and ticked.
    assert _shown(body) == {str(deputies["wang"].pk), str(li.pk)} and _ticked(body) == {str(li.pk)}
    assert 'value="王"' in body and "invalid-feedback" not in body and "is-invalid" not in body

    every = client.post(URL, {"title": "x", "content": "y", "kind": "other", "cosigners": [li.pk],
                              "cosigner_q": "王", "find": "all"}).content.decode()
    assert len(_shown(every)) == 3


@pytest.mark.django_db
def test_after_finding_the_form_saves_with_the_cosigners_ticked_across_filters(client, deputy_user, deputies):
    client.force_login(deputy_user)
    response = client.post(URL, {"title": "关于修缮村道的建议", "content": "村道破损", "kind": "environment",
                                 "cosigners": [deputies["li"].pk, deputies["wang"].pk], "cosigner_q": "王"})
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:suggestion", args=[suggestion.pk])
    assert {c.deputy for c in suggestion.cosigners.all()} == {deputies["li"], deputies["wang"]}


@pytest.mark.django_db
def test_a_filter_in_the_address_works_too_and_an_invalid_form_keeps_the_filter(client, deputy_user, deputies):
    client.force_login(deputy_user)
    assert _shown(client.get(URL, {"cosigner_q": "张"}).content.decode()) == {str(deputies["zhang"].pk)}

    body = client.post(URL, {"title": "", "content": "村道破损", "kind": "environment",
                             "cosigners": [deputies["li"].pk], "cosigner_q": "张"}).content.decode()
    assert "is-invalid" in body and "村道破损" in body  # a real save with a missing title: the error shows
    assert _shown(body) == {str(deputies["zhang"].pk), str(deputies["li"].pk)}


@pytest.mark.django_db
def test_a_deputy_from_another_township_cannot_be_smuggled_in(client, deputy_user):
    from tests.factories import TownshipFactory

    stranger = DeputyFactory(township=TownshipFactory(code="other", name="别镇"))
    client.force_login(deputy_user)
    response = client.post(URL, {"title": "t", "content": "c", "kind": "other", "cosigners": [stranger.pk]})
    assert response.status_code == 200 and Suggestion.objects.count() == 0
