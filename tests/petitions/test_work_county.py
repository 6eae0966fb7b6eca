"""The county's page: every township's figures side by side and the county's sum, in one counting query."""

import re

import pytest
from django.urls import reverse

from liaison.scoping import in_township
from petitions.selectors import concern_counts, concern_counts_by_township, county_totals
from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory, TownshipFactory, the_township


@pytest.fixture
def two_townships(db):
    other = TownshipFactory(name="横溪镇", code="hengxi", position=1)
    for township, n in ((the_township(), 3), (other, 2)):
        category = CategoryFactory(township=township)
        deputy = DeputyFactory(township=township)
        ConcernFactory.create_batch(n, category=category, deputy=deputy)
    return the_township(), other


def test_counts_by_township_come_in_one_query_and_sum_to_the_county(two_townships, django_assert_num_queries):
    baita, hengxi = two_townships
    with django_assert_num_queries(1):
        rows = concern_counts_by_township()

    assert [(row["township"], row["total"], row["open"]) for row in rows] == [("baita", 3, 3), ("hengxi", 2, 2)]
    assert county_totals(rows)["total"] == 5
    with in_township(hengxi):
        assert concern_counts()["total"] == 2  # one township's figures, through the same scope
        assert [row["township"] for row in concern_counts_by_township()] == ["hengxi"]


def test_a_county_official_sees_every_township_and_the_county_total(client, county_official, two_townships):
    client.force_login(county_official)
    page = client.get(reverse("desk:county")).content.decode()

    cells = re.findall(r"<tr><th scope=\"row\" class=\"text-start\">(.+?)</th><td>(\d+)</td>", page)
    assert cells == [("白塔镇", "3"), ("横溪镇", "2")]
    assert re.search(r"<tfoot>.*?</th><td>(\d+)</td>", page, re.DOTALL).group(1) == "5"


def test_a_chosen_township_does_not_narrow_the_comparison(client, county_official, two_townships):
    client.force_login(county_official)
    client.post(reverse("county-choose"), {"township": "hengxi", "next": "/desk/"})

    assert "白塔镇" in client.get(reverse("desk:county")).content.decode()
    # …while the desk's own list now holds Hengxi's concerns only.
    assert client.get(reverse("desk:concerns")).context["page"].paginator.count == 2


def test_a_township_official_may_not_open_it(client, official, two_townships):
    client.force_login(official)
    assert client.get(reverse("desk:county")).status_code == 403


def test_recording_asks_a_county_account_to_choose_a_township_first(client, admin_user, two_townships):
    client.force_login(admin_user)
    whole_county = client.get(reverse("receptions:new"))
    assert whole_county.status_code == 409
    assert 'name="township"' in whole_county.content.decode()  # the chooser is right there

    client.post(reverse("county-choose"), {"township": "hengxi", "next": reverse("receptions:new")})
    chosen = client.get(reverse("receptions:new"))
    assert chosen.status_code == 200
    deputies = chosen.context["form"].fields["deputies"].queryset
    assert deputies.exists() and {deputy.township.code for deputy in deputies} == {"hengxi"}
