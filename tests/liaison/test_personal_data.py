"""PIPL (issue 8, item 6): personal data is classified in one place (liaison.privacy); every form collecting it
shows the notice and records its version; logs, task arguments and error reports carry no name or number."""

import logging
import sys

import pytest
from celery.app.task import Task
from django.apps import apps
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from liaison import privacy
from petitions.models import Concern, Reception
from tests.factories import form_opened_long_ago

OUR_APPS = {"liaison", "deputies", "petitions", "projects", "dashboard", "auth"}
NAME, MOBILE = "欧阳春燕", "13812345678"


def _fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model._meta.auto_created:
            continue
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created:
                yield model._meta.label, field.name


def unclassified(fields) -> list[str]:
    return sorted(f"{label}.{name}" for label, name in fields
                  if privacy.SUGGESTS_PERSONAL.search(name) and privacy.classification(label, name) is None)


def test_every_field_that_sounds_personal_is_classified_one_way_or_the_other():
    assert unclassified(_fields()) == [], "classify these in liaison/privacy.py (PERSONAL_DATA or NOT_PERSONAL)"


def test_the_check_sees_an_unclassified_field():
    assert unclassified([("petitions.Constituent", "id_card"), ("petitions.Constituent", "mobile")]) == [
        "petitions.Constituent.id_card"]


def test_the_classification_names_only_fields_that_exist():
    known = set(_fields())
    named = {(label, f) for table in (privacy.PERSONAL_DATA, privacy.NOT_PERSONAL) for label, fs in table.items()
             for f in fs}
    assert named - known == set()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["receptions:new", "receptions:phone"])
def test_the_desk_forms_show_the_notice(client, staff, url_name, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS, settings.PRIVACY_CONTACT = 2 * 365, "0576-87654321"
    client.force_login(staff)

    body = client.get(reverse(url_name)).content.decode()

    assert 'id="privacy-notice"' in body and settings.PRIVACY_NOTICE_VERSION in body
    assert "保存 2 年" in body and "白塔镇人大代表联络站（0576-87654321）" in body


def _file(client, deputy, category) -> None:
    client.post(reverse("petitions:file_to_deputy", args=[deputy.code]), {
        "name": NAME, "mobile": MOBILE, "category": category.pk, "content": "村口路灯坏了。", "place": "",
        "token": "6f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f", "started": form_opened_long_ago()})


@pytest.mark.django_db
def test_the_public_form_shows_the_notice_and_the_filing_records_its_version(client, deputy, category, settings):
    settings.PRIVACY_NOTICE_VERSION = "2031-07"
    body = client.get(reverse("petitions:file_to_deputy", args=[deputy.code])).content.decode()

    _file(client, deputy, category)

    assert 'data-notice-version="2031-07"' in body
    assert Concern.objects.get().notice_version == "2031-07"


@pytest.mark.django_db
def test_a_reception_records_the_notice_version(client, staff, site):
    client.force_login(staff)

    client.post(reverse("receptions:new"), {
        "received_on": "2026-03-07", "site": site.pk, "name": NAME, "mobile": MOBILE, "visitor_count": 1,
        "matters": "问低保政策", "token": "6f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f",
        "concerns-TOTAL_FORMS": "0", "concerns-INITIAL_FORMS": "0"})

    assert Reception.objects.get().notice_version == settings.PRIVACY_NOTICE_VERSION


@pytest.mark.django_db
def test_filing_leaves_no_name_or_number_in_logs_or_task_arguments(
        client, deputy, category, caplog, monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, **options):
        enqueued.append((self.name, args, kwargs))
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", recording)
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        _file(client, deputy, category)

    assert Concern.objects.count() == 1 and enqueued  # the SMS went through the (eager) task
    assert "SMS to 138****5678" in caplog.text
    assert MOBILE not in caplog.text and NAME not in caplog.text
    assert MOBILE not in repr(enqueued) and NAME not in repr(enqueued)


def test_error_reports_hide_what_people_typed():
    request = RequestFactory().post("/d/abc/concern/", {"name": NAME, "mobile": MOBILE, "content": "路灯",
                                                        "category": "3"})
    mobile = MOBILE  # noqa: F841 (a local variable of the failing frame)
    try:
        raise ValueError("boom")
    except ValueError:
        report = ExceptionReporter(request, *sys.exc_info())
        text = report.get_traceback_text() + report.get_traceback_html()

    assert MOBILE not in text and NAME not in text and "路灯" not in text
    assert "category" in text  # the rest of the form is still there to debug with
