"""desk:home — sends each role to its own list."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

URL = reverse("desk:home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("official", "desk:concerns"),
        ("staff", "desk:concerns"),
        ("admin_user", "desk:concerns"),
        ("deputy_user", "desk:inbox"),
        ("handler", "desk:unit"),
    ],
)
def test_home_sends_each_role_to_its_list(client, request, role, target):
    client.force_login(request.getfixturevalue(role))

    response = client.get(URL)

    assert response.status_code == 302 and response["Location"] == reverse(target)


@pytest.mark.django_db
def test_an_account_without_a_back_office_role_is_refused(client):
    client.force_login(UserFactory(username="visitor"))

    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
