"""The audit log (issue 8, item 6): revealing a full mobile, opening a constituent's record and every export
write an append-only row (who, when, what, why) that the application offers no way to change."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from liaison.audit import audit_record
from liaison.models import AuditEntry, AuditRefused, Membership
from liaison.scoping import in_township
from petitions.receptions import reception_record
from tests.factories import ConcernFactory, SiteFactory, TownshipFactory, the_township

A = AuditEntry.Action


@pytest.fixture
def entry(db, staff):
    return audit_record(actor=staff, action=A.EXPORT, label="concerns.xlsx", township=the_township())[0]


@pytest.mark.django_db
@pytest.mark.parametrize("attempt", [
    lambda e: e.save(),
    lambda e: e.delete(),
    lambda e: AuditEntry.objects.filter(pk=e.pk).update(reason="changed"),
    lambda e: AuditEntry.objects.filter(pk=e.pk).delete(),
    lambda e: AuditEntry.objects.bulk_update([e], ["reason"]),
], ids=["save", "delete", "queryset-update", "queryset-delete", "bulk-update"])
def test_an_audit_row_cannot_be_changed_or_deleted(entry, attempt):
    entry.reason = "changed"

    with pytest.raises(AuditRefused):
        attempt(entry)

    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


@pytest.mark.django_db
def test_officials_read_and_filter_the_log_in_the_admin_but_cannot_add_change_or_delete(client, official, entry):
    client.force_login(official)
    change = reverse("admin:liaison_auditentry_change", args=[entry.pk])

    listed = client.get(reverse("admin:liaison_auditentry_changelist") + "?action__exact=export")

    assert listed.status_code == 200 and "concerns.xlsx" in listed.content.decode()
    assert client.get(reverse("admin:liaison_auditentry_add")).status_code == 403
    assert client.post(change, {"reason": "x"}).status_code == 403
    assert client.post(reverse("admin:liaison_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


@pytest.mark.django_db
def test_a_township_s_officials_see_only_its_own_log(client, official, entry):
    other = TownshipFactory()
    with in_township(other):
        audit_record(actor=None, action=A.EXPORT, label="other-township.xlsx")
    Membership.objects.create(user=official, township=the_township())
    client.force_login(official)

    body = client.get(reverse("admin:liaison_auditentry_changelist")).content.decode()

    assert "concerns.xlsx" in body and "other-township.xlsx" not in body


@pytest.mark.django_db
def test_the_case_page_masks_the_mobile_and_opening_it_is_audited(client, handler, unit, concern, official):
    from petitions import workflow
    from petitions.services import concern_assign

    concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
    client.force_login(handler)

    body = client.get(reverse("desk:concern", args=[concern.tracking])).content.decode()

    assert "138****5678" in body and "13812345678" not in body
    opened = AuditEntry.objects.get(action=A.OPEN_RECORD)
    assert (opened.actor, opened.subject_id, opened.subject) == (handler, concern.constituent_id, concern.tracking)


@pytest.mark.django_db
def test_show_number_writes_the_audit_row_and_then_shows_it(client, staff, concern):
    client.force_login(staff)
    case = reverse("desk:concern", args=[concern.tracking])

    response = client.post(reverse("desk:reveal_mobile", args=[concern.tracking]), {"reveal-reason": "回电"})

    assert response.status_code == 302 and response["Location"].startswith(case)
    revealed = AuditEntry.objects.get(action=A.REVEAL_MOBILE)
    assert (revealed.actor, revealed.subject_id, revealed.reason) == (staff, concern.constituent_id, "回电")
    assert 'href="tel:13812345678"' in client.get(case).content.decode()


@pytest.mark.django_db
def test_the_register_masks_mobiles_until_one_is_revealed(client, staff, village):
    site = SiteFactory()
    reception, _ = reception_record(
        received_on=timezone.localdate(), site=site, deputies=[], mobile="13955556666", name="王大伯", village=village,
        visitor_count=1, matters="问低保政策", answer="已解答", satisfaction="", recorded_by=staff)
    client.force_login(staff)
    register = reverse("receptions:list")

    assert "13955556666" not in client.get(register).content.decode()
    client.post(reverse("receptions:reveal_mobile"), {"reception": reception.pk, "next": register})

    assert "13955556666" in client.get(register).content.decode()
    assert AuditEntry.objects.filter(action=A.REVEAL_MOBILE, subject_id=reception.constituent_id, actor=staff).exists()


def _dates() -> str:
    today = timezone.localdate()
    return f"date_from={today - datetime.timedelta(days=30):%Y-%m-%d}&date_to={today:%Y-%m-%d}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["desk:export", "receptions:export", "receptions:print"])
def test_every_export_is_audited(client, official, concern, url_name):
    client.force_login(official)

    response = client.get(f"{reverse(url_name)}?{_dates()}")

    assert response.status_code == 200
    exported = AuditEntry.objects.get(action=A.EXPORT)
    assert exported.actor == official and exported.township == the_township()


@pytest.mark.django_db
def test_a_county_export_over_the_whole_county_is_logged_in_each_township(client, county_official, category):
    other = TownshipFactory()
    ConcernFactory(category=category)
    client.force_login(county_official)

    client.get(f"{reverse('desk:export')}?{_dates()}")

    assert set(AuditEntry.objects.filter(action=A.EXPORT).values_list("township", flat=True)) == {
        the_township().pk, other.pk}


@pytest.mark.django_db
def test_a_new_object_given_an_existing_rows_pk_cannot_overwrite_it(staff):
    first = audit_record(actor=staff, action=AuditEntry.Action.EXPORT, label="concerns.xlsx", township=the_township())[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry(pk=first.pk, township=first.township, action=AuditEntry.Action.CORRECT, subject="x").save()

    assert AuditEntry.objects.get(pk=first.pk).action == AuditEntry.Action.EXPORT


@pytest.mark.django_db
def test_a_number_typed_into_the_reason_is_masked_in_the_log(staff):
    entry = audit_record(actor=staff, action=AuditEntry.Action.CORRECT, reason="13812345678 本人来电要求",
                         township=the_township())[0]

    assert entry.reason == "138****5678 本人来电要求"
