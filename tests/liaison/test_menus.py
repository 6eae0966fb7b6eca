"""Each role's menu (liaison.roles.menu_for), pinned: the header and the desk tabs are built from it."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from liaison.roles import menu_for


def _keys(user) -> list[str]:
    return [item.key for item in menu_for(user)]


@pytest.mark.django_db
def test_each_role_sees_its_own_menu(staff, official, deputy_user, handler, county_official, admin_user):
    public = ["directory", "lookup", "activities_public", "public_projects", "study"]
    assert _keys(AnonymousUser()) == public
    assert _keys(deputy_user) == [*public, "inbox", "patrol", "my_duty", "my_report", "my_households", "suggestions",
                                  "my_projects"]
    assert _keys(handler) == [*public, "suggestions", "my_projects", "unit"]
    assert _keys(staff) == [*public, "cockpit", "concerns", "receptions", "held", "households", "activities", "projects",
                            "study_office", "suggestions", "duty", "window", "import", "accounts", "admin"]
    assert _keys(official) == [*public, "cockpit", "concerns", "receptions", "held", "households", "activities", "projects",
                               "study_office", "suggestions", "duty", "window", "accounts", "admin"]
    assert _keys(county_official) == [*public, "county", "cockpit", "concerns", "receptions", "held", "households",
                                      "activities", "projects", "study_office", "suggestions", "duty", "accounts",
                                      "admin"]
    assert _keys(admin_user) == [*public, "county", "cockpit", "concerns", "receptions", "held", "households", "activities",
                                 "projects", "study_office", "suggestions", "duty", "window", "import", "accounts",
                                 "admin"]


@pytest.mark.django_db
def test_a_link_follows_the_check_of_its_page(handler):
    # A permission given to one person opens the page, so its link shows; the admin follows its flag.
    handler.user_permissions.add(Permission.objects.get(codename="print_window"))
    handler.is_staff = True
    handler.save()
    handler = type(handler).objects.get(pk=handler.pk)  # permissions are cached on the object

    assert _keys(handler) == ["directory", "lookup", "activities_public", "public_projects", "study", "suggestions",
                               "my_projects", "unit", "window", "admin"]


@pytest.mark.django_db
def test_the_desk_tabs_mark_the_current_page(client, deputy_user):
    client.force_login(deputy_user)
    body = client.get("/desk/patrol/").content.decode()

    assert 'href="/desk/patrol/" aria-current="page"' in body
    assert 'href="/desk/inbox/" aria-current' not in body
