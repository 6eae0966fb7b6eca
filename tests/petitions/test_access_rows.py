import pytest
from django.contrib.auth.models import Group

from liaison import roles
from petitions.access import concerns_visible_to
from petitions.models import Concern
from tests.factories import ConcernFactory, UserFactory


@pytest.mark.django_db
def test_a_deputy_who_is_also_a_handler_sees_each_concern_once(deputy_user, unit, category):
    deputy_user.groups.add(Group.objects.get(name=roles.HANDLER))
    unit.members.add(deputy_user, UserFactory(), UserFactory())
    ConcernFactory(deputy=deputy_user.deputy, category=category)
    Concern.objects.update(unit=unit)

    visible = list(concerns_visible_to(deputy_user))

    assert len(visible) == 1


@pytest.mark.django_db
def test_staff_cannot_add_a_concern_in_the_admin(client, staff):
    client.force_login(staff)

    assert client.get("/admin/petitions/concern/add/").status_code == 403
