"""An opinion gathered on an enterprise visit becomes a concern in one step, once (issue 9, item 3)."""

import pytest

from deputies.activities import activity_record
from liaison.scoping import in_township
from petitions.models import Concern
from petitions.opinions import opinion_raise_concern
from tests.factories import DeputyFactory, the_township


@pytest.fixture
def visit(db):
    with in_township(the_township()):
        return activity_record(kind="enterprise_visit", held_on="2026-03-07", title="走访葡萄合作社",
                               deputies=[DeputyFactory(name="吴立新")], enterprise="白塔葡萄合作社",
                               opinions=["希望修通机耕路", "用工难"])


def _post(client, opinion, category, **extra):
    return client.post(f"/desk/opinions/{opinion.key}/concern/",
                       {"content": opinion.text, "category": category.pk, **extra})


@pytest.mark.django_db
def test_an_opinion_becomes_an_enterprise_concern_linked_both_ways(client, staff, visit, category):
    opinion = visit.opinions.first()
    client.force_login(staff)

    form = client.get(f"/desk/opinions/{opinion.key}/concern/").content.decode()
    response = _post(client, opinion, category, deputy=visit.deputies.get().pk)

    concern = Concern.objects.get()
    opinion.refresh_from_db()
    assert "希望修通机耕路" in form
    assert response["Location"] == f"/desk/concerns/{concern.tracking}/"
    assert (concern.channel, concern.content, concern.place) == ("enterprise", "希望修通机耕路", "白塔葡萄合作社")
    assert concern.deputy == visit.deputies.get() and concern.submitted_by == staff
    assert opinion.concern_tracking == concern.tracking
    # The activity's pages link to it: the desk's to the case, the public one to its tracking page.
    assert f"/desk/concerns/{concern.tracking}/" in client.get(f"/staff/activities/{visit.code}/").content.decode()
    assert f"/t/{concern.tracking}/" in client.get(f"/activities/{visit.code}/").content.decode()


@pytest.mark.django_db
def test_a_double_submit_makes_one_concern(client, staff, visit, category):
    opinion = visit.opinions.first()
    client.force_login(staff)

    first, second = _post(client, opinion, category), _post(client, opinion, category)

    assert Concern.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_the_service_files_once_even_when_the_opinion_it_holds_is_stale(staff, visit, category):
    opinion = visit.opinions.first()
    stale = type(opinion).objects.get(pk=opinion.pk)  # loaded before the first filing, as a racing request

    first, created = opinion_raise_concern(opinion=opinion, category=category, content="一", submitted_by=staff)
    again, created_again = opinion_raise_concern(opinion=stale, category=category, content="二", submitted_by=staff)

    assert created and not created_again and again == first
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_deputies_and_handlers_cannot_raise_it(client, deputy_user, handler, visit, category):
    opinion = visit.opinions.first()
    for user in (deputy_user, handler):
        client.force_login(user)
        assert _post(client, opinion, category).status_code == 403
    assert not Concern.objects.exists()
