"""desk:inbox — a deputy's phone-friendly list of the concerns addressed to them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_resolve
from tests.factories import ConcernFactory, DeputyFactory

URL = reverse("desk:inbox")


def _open(response) -> list[str]:
    return [concern.tracking for concern in response.context["page"].object_list]


def _ended(response) -> list[str]:
    return [concern.tracking for concern in response.context["ended"]]


@pytest.mark.django_db
def test_a_deputy_sees_only_the_concerns_addressed_to_them(client, deputy_user, concern, category):
    someone_elses = ConcernFactory(deputy=DeputyFactory(), category=category)
    client.force_login(deputy_user)

    response = client.get(URL)

    assert _open(response) == [concern.tracking]
    assert someone_elses.tracking not in response.content.decode()


@pytest.mark.django_db
def test_open_concerns_come_oldest_first_then_the_recently_ended(client, deputy_user, category):
    deputy = deputy_user.deputy
    newest, oldest, answered = (ConcernFactory(deputy=deputy, category=category) for _ in range(3))
    Concern.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    concern_resolve(concern=answered, result="已答复", outcome=Concern.Outcome.EXPLAINED, actor=deputy_user,
                    role=workflow.DEPUTY)
    client.force_login(deputy_user)

    response = client.get(URL)

    assert _open(response) == [oldest.tracking, newest.tracking]
    assert _ended(response) == [answered.tracking]
    body = response.content.decode()
    assert body.index('id="inbox-open"') < body.index(oldest.tracking) < body.index('id="inbox-ended"')
    assert body.index('id="inbox-ended"') < body.index(answered.tracking)


@pytest.mark.django_db
def test_concerns_that_ended_long_ago_leave_the_inbox(client, deputy_user, concern):
    concern_resolve(concern=concern, result="已答复", outcome=Concern.Outcome.EXPLAINED, actor=deputy_user,
                    role=workflow.DEPUTY)
    Concern.objects.filter(pk=concern.pk).update(updated_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(deputy_user)

    assert _ended(client.get(URL)) == []


@pytest.mark.django_db
def test_cards_link_to_the_case_page_and_the_page_links_to_patrol(client, deputy_user, concern):
    client.force_login(deputy_user)

    body = client.get(URL).content.decode()

    assert reverse("desk:concern", args=[concern.tracking]) in body
    assert f'href="{reverse("desk:patrol")}" id="patrol-link"' in body


@pytest.mark.django_db
def test_an_overdue_concern_is_highlighted(client, deputy_user, concern, unit):
    past = timezone.localdate() - datetime.timedelta(days=1)
    concern_assign(concern=concern, unit=unit, deadline_on=past, actor=deputy_user, role=workflow.DEPUTY)
    client.force_login(deputy_user)

    body = client.get(URL).content.decode()

    assert "overdue-badge" in body and "border-danger" in body


@pytest.mark.django_db
def test_the_inbox_runs_the_same_number_of_queries_for_one_or_twelve_concerns(
    client, deputy_user, category, unit, django_assert_num_queries, django_assert_max_num_queries
):
    deputy = deputy_user.deputy
    ConcernFactory(deputy=deputy, category=category)
    client.force_login(deputy_user)
    with django_assert_max_num_queries(11) as one:
        client.get(URL)
    for n in range(11):
        concern = ConcernFactory(deputy=deputy, category=category)
        if n % 3 == 1:
            concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
        if n % 3 == 2:
            concern_resolve(concern=concern, result="已答复", outcome=Concern.Outcome.EXPLAINED, actor=deputy_user,
                            role=workflow.DEPUTY)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(_open(response)) + len(_ended(response)) == 12
