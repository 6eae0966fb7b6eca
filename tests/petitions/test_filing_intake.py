"""The public form's filings taken in and registered by the worker (petitions.intake), as in production:
tasks not run in-process. The worker's side is called here as its task would; the production tier runs it
with a real worker and broker (tests/production/test_frozen_redis.py)."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from liaison.models import Notification, PagesStamp
from petitions import intake
from petitions.models import Concern, Filing
from tests.petitions.test_public_filing import GPS_IFD, _file_url, _form_data, _jpeg_with_gps


@pytest.fixture(autouse=True)
def _worker_mode(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _receipt(tracking: str) -> str:
    return reverse("petitions:receipt", args=[tracking])


@pytest.mark.django_db
def test_a_filing_is_answered_at_once_and_its_receipt_shows_the_code_once_registered(client, deputy, category):
    response = client.post(_file_url(deputy), _form_data(category))

    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == _receipt(filing.tracking)
    assert Concern.objects.count() == 0 and filing.state == Filing.State.PENDING
    assert filing.payload["mobile"] == "13812345678" and filing.payload["category"] == category.pk

    waiting = client.get(_receipt(filing.tracking)).content.decode()
    assert 'id="being-registered"' in waiting and 'http-equiv="refresh"' in waiting
    assert 'id="tracking-code"' not in waiting  # a repeat would be known by the earlier code instead

    assert intake.register_filings_now() == 1

    concern = Concern.objects.get()
    assert concern.tracking == filing.tracking and not Filing.objects.exists()
    assert (concern.constituent.mobile, concern.deputy, concern.channel) == ("13812345678", deputy, Concern.Channel.QR)
    registered = client.get(_receipt(filing.tracking)).content.decode()
    assert 'id="tracking-code"' in registered and filing.tracking in registered
    # The browser that filed it sees its own words on the tracking page, as when it was registered in the request.
    assert "河边树林里有人倾倒农药瓶" in client.get(concern.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_photo_is_kept_raw_until_the_worker_cleans_it(client, deputy, category):
    upload = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_gps(), content_type="image/jpeg")

    client.post(_file_url(deputy), {**_form_data(category), "photos": [upload]})

    private = storages["private"]
    [raw] = Filing.objects.get().photos
    assert raw.startswith("intake/") and private.exists(raw)
    intake.register_filings_now()
    with Concern.objects.get().photos.get().image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert max(image.size) <= 1600 and not image.getexif().get_ifd(GPS_IFD)
    assert not private.exists(raw)


@pytest.mark.django_db
def test_a_double_tap_lands_on_the_first_receipt_and_another_browser_is_not_told_the_code(
        client, deputy, category):
    first = client.post(_file_url(deputy), _form_data(category))
    second = client.post(_file_url(deputy), _form_data(category))
    stranger = Client()
    third = stranger.post(_file_url(deputy), _form_data(category, token="0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e77"))
    intake.register_filings_now()

    concern = Concern.objects.get()
    assert first["Location"] == _receipt(concern.tracking)
    repeats = Filing.objects.filter(state=Filing.State.REPEATED)
    assert repeats.count() == 2 and all(f.payload == {} and f.concern == concern for f in repeats)

    again = client.get(second["Location"])
    assert again["Location"] == _receipt(concern.tracking) + "?again=1"
    assert 'id="already-received"' in client.get(again["Location"]).content.decode()

    told = stranger.get(third["Location"])
    assert told["Location"] == _file_url(deputy)
    [message] = get_messages(told.wsgi_request)
    assert "138****5678" in str(message) and concern.tracking not in str(message)


@pytest.mark.django_db
def test_a_filing_that_keeps_failing_waits_for_the_staff_and_is_then_registered(client, deputy, category, admin_client):
    client.post(_file_url(deputy), _form_data(category))
    filing = Filing.objects.get()
    Filing.objects.filter(pk=filing.pk).update(payload={**filing.payload, "category": 0})  # no such category

    for _try in range(intake.MAX_ATTEMPTS):
        intake.register_filings_now()

    filing.refresh_from_db()
    assert (filing.state, filing.attempts) == (Filing.State.FAILED, intake.MAX_ATTEMPTS)
    assert "DoesNotExist" in filing.last_error and Concern.objects.count() == 0
    page = client.get(_receipt(filing.tracking)).content.decode()
    assert 'id="registered-by-staff"' in page and 'http-equiv="refresh"' not in page

    Filing.objects.filter(pk=filing.pk).update(payload={**filing.payload, "category": category.pk})
    response = admin_client.post(reverse("admin:petitions_filing_changelist"), {
        "action": "register_again", "_selected_action": [filing.pk]})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.state, filing.attempts) == (Filing.State.PENDING, 0)
    intake.register_filings_now()
    assert Concern.objects.get().tracking == filing.tracking


@pytest.mark.django_db
def test_the_sweep_leaves_the_newest_to_their_nudge_and_forgets_old_repeats(client, deputy, category):
    client.post(_file_url(deputy), _form_data(category))
    client.post(_file_url(deputy), _form_data(category))  # a double tap: a repeat once registered
    assert intake.sweep() == 0 and Filing.objects.filter(state=Filing.State.PENDING).count() == 2

    Filing.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert intake.sweep() == 2
    assert Concern.objects.count() == 1 and Filing.objects.get().state == Filing.State.REPEATED

    Filing.objects.update(created_at=timezone.now() - intake.REPEATS_KEPT - datetime.timedelta(minutes=1))
    intake.sweep()
    assert not Filing.objects.exists()


@pytest.mark.django_db
def test_a_receipt_being_registered_says_nothing_and_once_registered_is_only_the_filers(client, deputy, category):
    client.post(_file_url(deputy), _form_data(category))
    tracking = Filing.objects.get().tracking
    stranger = Client()

    waiting = stranger.get(_receipt(tracking)).content.decode()  # e.g. the filer's browser keeping no cookie
    assert 'id="being-registered"' in waiting and "陈" not in waiting and "138" not in waiting
    intake.register_filings_now()

    assert stranger.get(_receipt(tracking))["Location"] == reverse("petitions:track", args=[tracking])
    assert 'id="tracking-code"' in client.get(_receipt(tracking)).content.decode()
@pytest.mark.django_db
def test_a_repeat_gives_back_what_it_counted_against_the_limits(client, deputy, category, settings):
    settings.FILING_PER_MOBILE_BURST = 2
    client.post(_file_url(deputy), _form_data(category))
    client.post(_file_url(deputy), _form_data(category))  # a double tap: counted now, given back once found out
    intake.register_filings_now()

    client.post(_file_url(deputy), _form_data(category, token="0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e77",
                                              content="另一件事：桥头护栏松动。"))
    intake.register_filings_now()

    assert sorted(Concern.objects.values_list("status", flat=True)) == [Concern.Status.SUBMITTED] * 2


@pytest.mark.django_db
def test_a_failed_filing_is_kept_for_the_staff_but_not_past_the_retention_period(client, deputy, category, settings):
    client.post(_file_url(deputy), _form_data(category))
    Filing.objects.update(state=Filing.State.FAILED)
    kept = timezone.now() - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)

    Filing.objects.update(created_at=kept + datetime.timedelta(days=1))
    intake.sweep()
    assert Filing.objects.filter(state=Filing.State.FAILED).exists()

    Filing.objects.update(created_at=kept - datetime.timedelta(days=1))
    intake.sweep()
    assert not Filing.objects.exists()


@pytest.mark.django_db
def test_a_failed_filing_s_raw_photo_goes_with_it_after_the_retention_period(client, deputy, category, settings):
    upload = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    client.post(_file_url(deputy), {**_form_data(category), "photos": [upload]})
    [raw] = Filing.objects.get().photos
    Filing.objects.update(state=Filing.State.FAILED, created_at=timezone.now() - datetime.timedelta(
        days=settings.PERSONAL_DATA_RETENTION_DAYS + 1))

    intake.sweep()

    assert not Filing.objects.exists() and not storages["private"].exists(raw)


@pytest.mark.django_db
def test_a_filing_registered_again_since_the_sweep_listed_it_is_not_forgotten(client, deputy, category):
    client.post(_file_url(deputy), _form_data(category))
    listed = Filing.objects.all()  # read as failed; the staff chose "register again" (pending) just after
    intake._forget(listed)
    assert Filing.objects.get().state == Filing.State.PENDING


@pytest.mark.django_db
def test_the_held_list_tells_the_staff_of_failed_filings(client, deputy, category, staff):
    client.post(_file_url(deputy), _form_data(category))
    client.force_login(staff)
    assert 'id="failed-filings"' not in client.get(reverse("desk:held")).content.decode()

    Filing.objects.update(state=Filing.State.FAILED)

    page = client.get(reverse("desk:held")).content.decode()
    assert 'id="failed-filings"' in page and reverse("admin:petitions_filing_changelist") in page


@pytest.mark.django_db
def test_a_filing_reads_only_what_it_keeps(client, deputy, category):
    # The deputy (with its township) and the township's active categories, each read once and then kept while
    # the township's stamp stands; the filing saved: no more under a crowd. The limits' counters are Redis's in
    # production (the database's here), so is the stamp. The deputy is read without its site and area.
    def queries(data) -> list[str]:
        with CaptureQueriesContext(connection) as filing:
            assert client.post(_file_url(deputy), data).status_code == 302
        return [query["sql"] for query in filing.captured_queries if "liaison_counter" not in query["sql"]]

    def tables(sqls: list[str]) -> list[str]:
        return [sql.split(" FROM ")[-1].split()[0] if sql.startswith("SELECT") else sql.split()[2] for sql in sqls]

    first = queries(_form_data(category))
    assert tables(first)[0] == '"deputies_deputy"'
    assert "deputies_site" not in first[0] and "deputies_area" not in first[0]
    assert tables(queries(_form_data(category, token="0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e77"))) == [
        "liaison_pagesstamp", "liaison_pagesstamp", '"petitions_filing"']
    # The form shown again after a mistake still names the deputy and their post.
    again = client.post(_file_url(deputy), {**_form_data(category), "mobile": "12"}).content.decode()
    assert deputy.name in again and (not deputy.post or deputy.post in again)


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_filings_sends_its_texts_by_one_task(client, deputy, category, settings, tasks_run):
    for n in range(3):
        client.post(_file_url(deputy), _form_data(category, token=f"0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e7{n}",
                                                  mobile=f"1381234567{n}"))
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the tasks the registering sends, run here

    assert intake.register_filings_now() == 3

    assert tasks_run == ["liaison.deliver_notifications"]
    assert Concern.objects.count() == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert Notification.objects.count() == 6  # each filer's receipt and their deputy's notice


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_filings_stamps_its_townships_pages_once_and_reads_its_categories_once(
        client, deputy, category):
    for n in range(3):
        client.post(_file_url(deputy), _form_data(category, token=f"0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e7{n}",
                                                  mobile=f"1381234567{n}"))
    before = PagesStamp.objects.get(township=deputy.township).stamp

    with CaptureQueriesContext(connection) as registering:
        assert intake.register_filings_now() == 3

    sqls = [query["sql"] for query in registering.captured_queries]
    assert len([sql for sql in sqls if sql.startswith('INSERT INTO "liaison_pagesstamp"')]) == 1
    assert len([sql for sql in sqls if 'FROM "petitions_category"' in sql]) == 1
    assert not [sql for sql in sqls if sql.startswith('SELECT "liaison_township"."id", "liaison_township"."county_id"')
                and 'IN (' not in sql]  # the concern's township is the batch's, not read again for each
    assert PagesStamp.objects.get(township=deputy.township).stamp != before
    assert Concern.objects.count() == 3
