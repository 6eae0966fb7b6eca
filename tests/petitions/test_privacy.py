"""No public page shows a constituent's name or mobile in full (docs/privacy.md), whatever state their concern is in."""

import pytest

from petitions import workflow
from petitions.models import Concern
from petitions.services import (
    concern_assign,
    concern_merge,
    concern_resolve,
    concern_transition,
)
from tests.factories import ConcernFactory, DeputyFactory

# Names no deputy, village or unit in the factories carries, so any hit is a leak.
CONSTITUENTS = {
    "submitted": ("欧阳春燕", "13812345678"),
    "assigned": ("司马建国", "13923456789"),
    "resolved": ("诸葛秀英", "15034567890"),
    "rejected": ("上官明辉", "18645678901"),
    "merged": ("东方玉兰", "17756789012"),
}


@pytest.fixture
def concerns_in_every_state(db, official, unit, category) -> dict[str, Concern]:
    deputy = DeputyFactory()

    def filed(state: str) -> Concern:
        name, mobile = CONSTITUENTS[state]
        # is_public: the constituent agreed to show the matter publicly, so public pages may list it.
        return ConcernFactory(deputy=deputy, site=deputy.site, category=category, name=name, mobile=mobile,
                              content="村口路灯坏了三盏，晚上看不见路。", is_public=True)

    def assign(concern: Concern) -> Concern:
        return concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)

    concerns = {"submitted": filed("submitted"), "assigned": assign(filed("assigned"))}
    concerns["resolved"] = concern_resolve(concern=assign(filed("resolved")), result="已更换三盏路灯。",
                                           outcome=Concern.Outcome.FIXED, actor=official, role=workflow.OFFICIAL)
    concerns["rejected"] = concern_transition(concern=filed("rejected"), action="reject", actor=official,
                                              role=workflow.OFFICIAL, note="不属于本镇职责", result="不属于本镇职责")
    concerns["merged"] = concern_merge(concern=filed("merged"), into=concerns["submitted"], actor=official,
                                       role=workflow.OFFICIAL)
    return concerns


def _public_urls(concerns: dict[str, Concern]) -> list[str]:
    deputy = concerns["submitted"].deputy
    return [
        "/",
        "/d/",
        f"/d/{deputy.code}/",
        f"/s/{deputy.site.code}/",
        f"/d/{deputy.code}/concern/",
        *(f"/t/{concern.tracking}/" for concern in concerns.values()),
    ]


@pytest.mark.django_db
def test_public_pages_never_show_a_constituents_name_or_mobile(client, concerns_in_every_state):
    for url in _public_urls(concerns_in_every_state):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for name, mobile in CONSTITUENTS.values():
            assert name not in body, f"{name} on {url}"
            assert mobile not in body, f"{mobile} on {url}"


@pytest.mark.django_db
def test_the_states_under_test_are_the_ones_named(concerns_in_every_state):
    # Guards the fixture: a service change that stops a move would silently thin out the crawl.
    assert {state: concern.status for state, concern in concerns_in_every_state.items()} == {
        "submitted": "submitted", "assigned": "assigned", "resolved": "resolved",
        "rejected": "rejected", "merged": "merged",
    }
