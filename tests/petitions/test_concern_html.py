"""petitions.templatetags.concern_html writes a concern's badge, deadline, desk row and card in Python: what a
person typed stays text, and the marks a desk reads (overdue, no deadline, no village) are there."""

import datetime

import pytest
from django.utils import timezone, translation

from petitions.models import Concern
from petitions.templatetags.concern_html import concern_card, concern_row, deadline, status_badge
from tests.factories import ConcernFactory, VillageFactory

pytestmark = pytest.mark.django_db

TYPED = '路灯<script>alert("x")</script> & 井盖'


@pytest.fixture
def overdue(category, official):
    from petitions import workflow
    from petitions.services import concern_assign

    concern = concern_assign(concern=ConcernFactory(category=category, content=TYPED, village=VillageFactory()),
                             unit=category.default_unit, actor=official, role=workflow.OFFICIAL)
    Concern.objects.filter(pk=concern.pk).update(deadline_on=timezone.localdate() - datetime.timedelta(days=1))
    concern.refresh_from_db()
    return concern


def test_what_a_person_typed_stays_text_in_the_row_and_the_card(overdue):
    for html in (concern_row(overdue), concern_card(overdue, show_deputy=True)):
        assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; 井盖" in html


def test_an_overdue_case_is_marked_in_its_badge_deadline_row_and_card(overdue):
    with translation.override("zh-hans"):
        assert 'data-status="assigned"' in status_badge(overdue) and "overdue-badge" in status_badge(overdue)
        assert "is-overdue" in deadline(overdue)
        assert 'class="concern-row table-danger"' in concern_row(overdue)
        assert "border-danger" in concern_card(overdue)
        assert f'href="/desk/concerns/{overdue.tracking}/"' in concern_row(overdue)


def test_a_new_case_shows_dashes_where_it_has_nothing_yet(category):
    concern = ConcernFactory(category=category, village=None)
    row = concern_row(concern)
    assert "overdue" not in status_badge(concern) and "table-danger" not in row
    assert row.count("<td>—</td>") == 2  # no village, no handling unit
    assert 'data-outcome="">—</td>' in row
    assert deadline(concern) == '<span class="text-body-secondary">—</span>'
    assert concern.deputy.name not in concern_card(concern) and concern.deputy.name in concern_card(concern, True)
