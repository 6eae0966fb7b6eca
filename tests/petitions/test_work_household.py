"""desk:households and friends — a deputy records a visit to a liaison household and, in the same step,
raises a concern from it (channel "household"), once however often the form is sent."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies.models import HouseholdContact
from liaison import roles
from liaison.models import Notification
from petitions import workflow
from petitions.forms.work import HouseholdConcernForm, HouseholdContactForm
from petitions.models import Concern
from tests.factories import LiaisonHouseholdFactory, UserFactory

TODAY = timezone.localdate()
pytestmark = pytest.mark.usefixtures("on_the_modules_day")


@pytest.fixture
def household(deputy_user):
    return LiaisonHouseholdFactory(deputy=deputy_user.deputy, head="应春燕", phone="15800001234")


def _visit(with_concern=None, **overrides) -> dict:
    form = {"kind": "visit", "contacted_on": TODAY.isoformat(), "notes": "门口水沟堵塞，下雨就漫到路上。",
            "token": HouseholdContactForm.new_token()}
    if with_concern is not None:
        form.update(raise_concern="on", category=with_concern.pk, content="")
    return {**form, **overrides}


@pytest.mark.django_db
def test_my_households_show_each_with_its_last_contact(client, deputy_user, household):
    other_deputys = LiaisonHouseholdFactory(head="别人的户")
    client.force_login(deputy_user)

    body = client.get(reverse("desk:households")).content.decode()

    assert "应春燕" in body and "尚未联系" in body and "别人的户" not in body
    assert reverse("desk:household_contact_new", args=[household.pk]) in body
    assert reverse("desk:household_contact_new", args=[other_deputys.pk]) not in body


@pytest.mark.django_db
def test_the_form_defaults_to_a_visit_today(client, deputy_user, household):
    client.force_login(deputy_user)

    form = client.get(reverse("desk:household_contact_new", args=[household.pk])).context["form"]

    assert form["kind"].value() == "visit" and form["contacted_on"].value() == TODAY


@pytest.mark.django_db
def test_a_visit_is_recorded_without_a_concern(client, deputy_user, household):
    client.force_login(deputy_user)

    response = client.post(reverse("desk:household_contact_new", args=[household.pk]), _visit())

    contact = HouseholdContact.objects.get()
    assert response["Location"] == reverse("desk:household_contact", args=[contact.pk])
    assert (contact.household, contact.deputy, contact.kind, contact.contacted_on, contact.recorded_by) == (
        household, deputy_user.deputy, "visit", TODAY, deputy_user)
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_a_visit_raises_a_household_concern_in_one_step(client, deputy_user, household, category,
                                                        django_capture_on_commit_callbacks):
    client.force_login(deputy_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:household_contact_new", args=[household.pk]), _visit(category),
                               follow=True)

    contact, concern = HouseholdContact.objects.get(), Concern.objects.get()
    assert (concern.channel, concern.deputy, concern.household_contact, concern.village) == (
        Concern.Channel.HOUSEHOLD, deputy_user.deputy, contact, household.village)
    assert (concern.constituent.name, concern.constituent.mobile) == ("应春燕", "15800001234")
    assert concern.content == contact.notes and concern.category == category
    assert concern.events.get().actor_role == workflow.DEPUTY
    # The household hears its tracking code; the deputy who filed it is not told of their own filing.
    assert list(Notification.objects.values_list("recipient", flat=True)) == ["15800001234"]
    body = response.content.decode()
    assert concern.tracking in body and reverse("desk:concern", args=[concern.tracking]) in body


@pytest.mark.django_db
def test_typed_text_is_the_concern_instead_of_the_notes(client, deputy_user, household, category):
    client.force_login(deputy_user)

    client.post(reverse("desk:household_contact_new", args=[household.pk]), _visit(category, content="请疏通水沟"))

    assert Concern.objects.get().content == "请疏通水沟"


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_contact_and_one_concern(client, deputy_user, household, category):
    client.force_login(deputy_user)
    form = _visit(category)

    client.post(reverse("desk:household_contact_new", args=[household.pk]), form)
    again = client.post(reverse("desk:household_contact_new", args=[household.pk]), form, follow=True)

    assert HouseholdContact.objects.count() == 1 and Concern.objects.count() == 1
    assert "没有重复记录" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, field", [
    ({"category": ""}, "category"),
    ({"notes": "", "content": ""}, "content"),
    ({"contacted_on": "2999-01-01"}, "contacted_on"),
])
def test_a_bad_form_records_nothing_and_keeps_what_was_typed(client, deputy_user, household, category, overrides,
                                                            field):
    client.force_login(deputy_user)

    response = client.post(reverse("desk:household_contact_new", args=[household.pk]), _visit(category, **overrides))

    assert response.status_code == 200 and field in response.context["form"].errors
    assert not HouseholdContact.objects.exists() and not Concern.objects.exists()


@pytest.mark.django_db
def test_a_concern_can_be_raised_later_from_the_contact_page_once(client, deputy_user, household, category):
    client.force_login(deputy_user)
    client.post(reverse("desk:household_contact_new", args=[household.pk]), _visit())
    contact = HouseholdContact.objects.get()
    form = {"category": category.pk, "content": "水沟堵塞", "token": HouseholdConcernForm.new_token()}

    for _ in range(2):
        client.post(reverse("desk:household_contact_raise", args=[contact.pk]), form)

    concern = Concern.objects.get()
    assert (concern.household_contact, concern.channel, concern.content) == (contact, "household", "水沟堵塞")


@pytest.mark.django_db
def test_another_deputys_household_and_contact_are_not_found(client, deputy_user, category):
    other = LiaisonHouseholdFactory()
    contact = HouseholdContact.objects.create(household=other, deputy=other.deputy, township=other.township)
    client.force_login(deputy_user)

    assert client.get(reverse("desk:household_contact_new", args=[other.pk])).status_code == 404
    assert client.post(reverse("desk:household_contact_new", args=[other.pk]), _visit(category)).status_code == 404
    assert client.get(reverse("desk:household_contact", args=[contact.pk])).status_code == 404
    assert client.post(reverse("desk:household_contact_raise", args=[contact.pk]),
                       {"category": category.pk, "content": "x"}).status_code == 404
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_a_deputy_login_without_a_deputy_is_refused(client):
    user = UserFactory(username="nodeputy")
    user.groups.add(Group.objects.get(name=roles.DEPUTY))
    client.force_login(user)

    assert client.get(reverse("desk:households")).status_code == 403


@pytest.mark.django_db
def test_my_households_cost_the_same_for_one_household_and_many(client, deputy_user, django_assert_num_queries):
    client.force_login(deputy_user)
    deputy = deputy_user.deputy

    def add(n):
        for _ in range(n):
            household = LiaisonHouseholdFactory(deputy=deputy)
            HouseholdContact.objects.create(household=household, deputy=deputy, township=deputy.township)

    add(1)
    client.get(reverse("desk:households"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("desk:households"))
    add(6)
    with django_assert_num_queries(len(one)):
        client.get(reverse("desk:households"))


@pytest.mark.django_db
def test_the_contact_page_costs_the_same_for_one_concern_and_many(client, deputy_user, household, category,
                                                                  django_assert_num_queries):
    from petitions.households import household_concern_raise

    client.force_login(deputy_user)
    contact = HouseholdContact.objects.create(household=household, deputy=deputy_user.deputy, notes="水沟",
                                              township=household.township)
    url = reverse("desk:household_contact", args=[contact.pk])
    household_concern_raise(contact=contact, category=category, recorded_by=deputy_user)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        household_concern_raise(contact=contact, category=category, content=f"另一件{_}", recorded_by=deputy_user)
    with django_assert_num_queries(len(one)):
        client.get(url)
