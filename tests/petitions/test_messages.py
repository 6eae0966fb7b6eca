"""Who hears of what (docs/life-cycle.md: reminders, escalation, results)."""

import logging

import pytest

from liaison.models import Notification
from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_merge, concern_resolve
from tests.factories import ConcernFactory, SiteFactory


def _recipients() -> set[str]:
    return set(Notification.objects.values_list("recipient", flat=True))


@pytest.mark.django_db
def test_filing_tells_the_constituent_and_the_deputy(concern):
    assert {"13812345678", concern.deputy.mobile} <= _recipients()


@pytest.mark.django_db
def test_a_concern_filed_to_a_site_tells_the_station_staff(category, staff):
    staff.email = "desk@baita.example.cn"
    staff.save()
    site = SiteFactory(phone="13905760000")

    ConcernFactory(category=category, deputy=None, site=site, mobile="13800000001")

    assert {"13800000001", "13905760000", "desk@baita.example.cn"} <= _recipients()


@pytest.mark.django_db
def test_constituents_of_merged_duplicates_hear_of_the_original_result(concern, official, unit, handler):
    duplicate = ConcernFactory(category=concern.category, mobile="13800000099")
    concern_merge(concern=duplicate, into=concern, actor=official, role=workflow.OFFICIAL)
    concern = concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
    before = Notification.objects.filter(recipient="13800000099").count()

    concern_resolve(concern=concern, result="已修复", outcome=Concern.Outcome.FIXED, actor=handler,
                    role=workflow.HANDLER)

    assert Notification.objects.filter(recipient="13800000099").count() == before + 1


@pytest.mark.django_db
def test_a_notice_with_nobody_to_receive_it_is_logged(concern, official, caplog):
    from tests.factories import UnitFactory

    silent = UnitFactory(phone="0576-87000000")  # a landline: no SMS, and no member has an e-mail

    with caplog.at_level(logging.WARNING, logger="liaison.notifications"):
        concern_assign(concern=concern, unit=silent, actor=official, role=workflow.OFFICIAL)

    assert any(concern.tracking in record.getMessage() for record in caplog.records)
