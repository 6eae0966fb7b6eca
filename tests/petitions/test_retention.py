"""manage.py anonymise_ended_cases (issue 8, item 6): after the retention period, ended cases lose their
constituents' personal data; the figures stay; safe to re-run and resumable; each township in turn."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from liaison.models import AuditEntry
from liaison.photos import clean_photo
from liaison.scoping import in_township
from petitions import privacy, workflow
from petitions.models import Concern, ConcernPhoto, Constituent
from petitions.services import concern_assign, concern_resolve, concern_transition
from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory, TownshipFactory, UnitFactory

LONG_AGO = timezone.now() - datetime.timedelta(days=4 * 365)
FIGURES = ["status", "outcome", "category_id", "village_id", "unit_id", "created_at", "closed_at", "resolved_at",
           "deadline_on"]


def _jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def _closed(official, unit, category, *, mobile: str, ended_at=LONG_AGO, **fields) -> Concern:
    concern = ConcernFactory(category=category, mobile=mobile, name="欧阳春燕", place="东门街17号",
                             photos=[clean_photo(_jpeg())], **fields)
    concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
    concern_resolve(concern=concern, result="已为欧阳春燕修好东门街17号门口路灯。", outcome=Concern.Outcome.FIXED,
                    actor=official, role=workflow.OFFICIAL)
    concern_transition(concern=concern, action="close", role=workflow.OFFICIAL, actor=official)
    Concern.objects.filter(pk=concern.pk).update(closed_at=ended_at)
    return Concern.objects.get(pk=concern.pk)


def _run(**options) -> str:
    out = io.StringIO()
    call_command("anonymise_ended_cases", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_an_old_ended_case_loses_personal_data_and_keeps_its_figures(official, unit, category):
    concern = _closed(official, unit, category, mobile="13812345678")
    figures = {f: getattr(concern, f) for f in FIGURES}

    _run()

    concern.refresh_from_db()
    constituent = Constituent.objects.get(pk=concern.constituent_id)
    assert {f: getattr(concern, f) for f in FIGURES} == figures
    assert concern.content == privacy.ERASED and concern.place == "" and concern.anonymised_at
    assert "欧阳春燕" not in concern.result and "东门街17号" not in concern.result
    assert not ConcernPhoto.objects.filter(concern=concern).exists()
    assert (constituent.name, constituent.village_id) == ("", None) and not constituent.mobile.startswith("1")
    assert not concern.notifications.filter(recipient="13812345678").exists()


@pytest.mark.django_db
def test_recent_cases_and_people_with_a_live_case_keep_their_data(official, unit, category):
    recent = _closed(official, unit, category, mobile="13900000001", ended_at=timezone.now())
    old = _closed(official, unit, category, mobile="13900000002")
    ConcernFactory(category=category, mobile="13900000002", name="欧阳春燕")  # still open

    _run()

    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.content != privacy.ERASED and recent.constituent.mobile == "13900000001"
    assert old.content == privacy.ERASED  # the ended case's texts go …
    assert Constituent.objects.get(pk=old.constituent_id).mobile == "13900000002"  # … the person stays reachable


@pytest.mark.django_db
def test_a_second_run_changes_nothing(official, unit, category):
    _closed(official, unit, category, mobile="13812345678")
    _run()
    entries = AuditEntry.objects.count()
    snapshot = list(Concern.objects.values())

    output = _run()

    assert AuditEntry.objects.count() == entries and list(Concern.objects.values()) == snapshot
    assert "baita: 0 rows anonymised" in output


@pytest.mark.django_db
def test_it_works_in_committed_batches_and_resumes_where_it_stopped(official, unit, category):
    concerns = [_closed(official, unit, category, mobile=f"1380000000{n}") for n in range(3)]
    # A run stopped after its first batch: that batch stays done.
    privacy.anonymise_batch(kind="concerns", pks=[concerns[0].pk])

    output = _run(batch_size=1)

    assert Concern.objects.filter(anonymised_at__isnull=True).count() == 0
    assert "2 concerns anonymised" in output and "3 constituents" in output
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ANONYMISE, actor=None).count() == 1 + 2 + 3


@pytest.mark.django_db
def test_every_township_is_done(official, unit, category):
    other = TownshipFactory()
    with in_township(other):
        other_unit = UnitFactory(township=other)
        other_category = CategoryFactory(township=other, default_unit=other_unit)
        other_concern = _closed(official, other_unit, other_category, mobile="13812345678",
                                deputy=DeputyFactory(township=other))

    output = _run()

    assert Concern.objects.get(pk=other_concern.pk).anonymised_at is not None
    assert f"{other.code}: 1 concerns" in output


@pytest.mark.django_db
def test_beat_runs_it_every_night(official, unit, category, settings):
    from petitions.tasks import anonymise_ended_cases

    concern = _closed(official, unit, category, mobile="13812345678")
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "petitions.anonymise_ended_cases" in scheduled
    assert anonymise_ended_cases.delay().get() > 0  # in-process here; a worker in production
    assert Concern.objects.get(pk=concern.pk).anonymised_at is not None
    assert anonymise_ended_cases.delay().get() == 0
