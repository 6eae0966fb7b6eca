"""A deputy's public page lists the public suggestions they led or co-signed, in the duty record's year, and
the duty record counts their suggestions, within the page's query ceiling."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies.record import duty_record, public_sections
from petitions.models import Suggestion
from tests.factories import DeputyFactory
from tests.petitions.test_suggestion_public import _suggestion

S = Suggestion.Status


def _profile(client, deputy) -> str:
    return client.get(f"/d/{deputy.code}/").content.decode()


@pytest.mark.django_db
def test_the_deputy_page_lists_public_suggestions_led_and_cosigned(client):
    deputy = DeputyFactory(name="王智慧")
    led = _suggestion(title="关于增设路灯的建议", deputy=deputy)
    cosigned = _suggestion(title="关于老年食堂的建议", cosigner=deputy)
    handled = _suggestion(title="关于溪流整治的建议", deputy=deputy, until=S.ACCEPTED)
    refused = _suggestion(title="关于野猪防控的建议", deputy=deputy, category="D")
    others = _suggestion(title="别人的建议")

    body = _profile(client, deputy)

    assert f'href="{led.get_absolute_url()}"' in body and f'href="{cosigned.get_absolute_url()}"' in body
    assert "领衔代表" in body and "已附议" in body
    for hidden in (handled, refused, others):
        assert hidden.title not in body
    figures = dict(re.findall(r'data-figure="(suggestions_\w+)">(\d+)', body))
    assert figures == {"suggestions_made": "3", "suggestions_cosigned": "1", "suggestions_answered": "2",
                       "suggestions_adopted": "1"}


@pytest.mark.django_db
def test_the_record_section_keeps_its_entries_public_only_and_costs_one_query(django_assert_num_queries):
    from petitions.suggestion_record import suggestions_section

    deputy = DeputyFactory()
    public = _suggestion(deputy=deputy)
    _suggestion(deputy=deputy, until=S.ASSIGNED)
    with django_assert_num_queries(1):
        section = suggestions_section(deputy, timezone.localdate().year)
    assert [e.url for e in section.entries] == [public.get_absolute_url()]
    assert all(e.public for e in section.entries)
    shown = {s.key: s for s in public_sections(duty_record(deputy, timezone.localdate().year))}
    assert [e.text for e in shown["suggestions"].entries] == [public.title]


@pytest.mark.django_db
def test_the_deputy_page_keeps_its_query_ceiling_with_suggestions(client):
    deputy = DeputyFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/d/{deputy.code}/").status_code == 200
        return len(captured)

    client.get(f"/d/{deputy.code}/")  # the township's host lookup is cached after the first request
    _suggestion(deputy=deputy, cosigner=DeputyFactory())
    _suggestion(cosigner=deputy)
    one = queries()
    for _ in range(4):
        _suggestion(deputy=deputy, cosigner=DeputyFactory())
        _suggestion(cosigner=deputy)
    assert queries() == one <= 10  # tests/deputies/test_profile.py's ceiling
