"""Filing a concern from a deputy's or a site's QR code, and the receipt (petitions.views.public)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from PIL import Image

from liaison.models import Notification
from petitions.models import Concern
from tests.factories import CategoryFactory, DeputyFactory, SiteFactory, VillageFactory, form_opened_long_ago

GPS_IFD = 0x8825


def _jpeg_with_gps(size=(2400, 1800)) -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (28.0, 51.0, 30.0), 3: "E", 4: (120.0, 44.0, 10.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _form_data(category, **overrides) -> dict:
    return {
        "name": "陈西荣",
        "mobile": "13812345678",
        "category": category.pk,
        "content": "河边树林里有人倾倒农药瓶，请处理。",
        "place": "溪边小树林",
        "token": "6f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f",
        "started": form_opened_long_ago(),
        **overrides,
    }


def _file_url(deputy) -> str:
    return reverse("petitions:file_to_deputy", args=[deputy.code])


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("petitions:file_to_deputy", {"code": "k7m2x9q"}, "/d/k7m2x9q/concern/"),
        ("petitions:file_to_site", {"code": "a3b4c5d"}, "/s/a3b4c5d/concern/"),
        ("petitions:lookup", {}, "/t/"),
        ("petitions:receipt", {"tracking": "ab23cd45ef"}, "/t/ab23cd45ef/receipt/"),
    ],
)
def test_filing_urls_printed_on_posters_are_pinned(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


@pytest.mark.django_db
def test_filing_form_offers_active_categories_with_consent_and_a_fresh_token(client, deputy):
    CategoryFactory(name="道路交通")
    CategoryFactory(name="已停用类别", is_active=False)

    first = client.get(_file_url(deputy))
    second = client.get(_file_url(deputy))

    body = first.content.decode()
    assert first.status_code == 200
    assert "道路交通" in body and "已停用类别" not in body
    assert "partials/consent.html" in [t.name for t in first.templates]
    # (The second may be served from the station's cache, liaison.public_pages, with a token of its own.)
    tokens = [re.search(r'name="token" value="([^"]+)"', page.content.decode())[1] for page in (first, second)]
    assert tokens[0] != tokens[1]
    assert "no-cache" in first["Cache-Control"]  # a browser's copy would share one token among many people


@pytest.mark.django_db
def test_filing_with_a_photo_stores_it_without_gps_and_at_most_1600px(client, deputy, category, village):
    upload = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(_jpeg_with_gps())).getexif().get_ifd(GPS_IFD)  # the original does carry GPS

    response = client.post(_file_url(deputy), {**_form_data(category, village=village.pk, is_public="on"),
                                               "photos": [upload]})

    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:receipt", args=[concern.tracking])
    assert (concern.channel, concern.deputy, concern.site) == (Concern.Channel.QR, deputy, None)
    assert concern.village == village
    assert concern.constituent.mobile == "13812345678" and concern.is_public
    with concern.photos.get().image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert max(image.size) <= 1600
    assert not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info


@pytest.mark.django_db
def test_a_text_file_named_jpg_is_refused_and_everything_typed_is_kept(client, deputy, category):
    fake = SimpleUploadedFile("x.jpg", b"this is not a picture at all", content_type="image/jpeg")

    response = client.post(_file_url(deputy), {**_form_data(category), "photos": [fake]})

    body = response.content.decode()
    assert response.status_code == 200
    assert Concern.objects.count() == 0
    assert "photos" in response.context["form"].errors
    assert "陈西荣" in body and "13812345678" in body and "河边树林里有人倾倒农药瓶" in body and "溪边小树林" in body
    assert 'id="photos-lost"' in body


@pytest.mark.django_db
def test_an_invalid_mobile_is_refused_and_name_and_content_are_kept(client, deputy, category):
    response = client.post(_file_url(deputy), _form_data(category, mobile="1381234"))

    body = response.content.decode()
    assert response.status_code == 200
    assert Concern.objects.count() == 0
    assert list(response.context["form"].errors) == ["mobile"]
    assert "陈西荣" in body and "河边树林里有人倾倒农药瓶" in body
    assert 'id="photos-lost"' not in body  # no photos were chosen, so none were lost


@pytest.mark.django_db
def test_a_mobile_typed_with_spaces_is_stored_as_eleven_digits(client, deputy, category):
    client.post(_file_url(deputy), _form_data(category, mobile=" 138 1234 5678 "))

    assert Concern.objects.get().constituent.mobile == "13812345678"


@pytest.mark.django_db
def test_the_same_token_posted_twice_files_once_and_lands_on_the_same_receipt(client, deputy, category):
    first = client.post(_file_url(deputy), _form_data(category))
    second = client.post(_file_url(deputy), _form_data(category))

    assert Concern.objects.count() == 1
    assert first["Location"] == reverse("petitions:receipt", args=[Concern.objects.get().tracking])
    assert second["Location"] == first["Location"] + "?again=1"  # the same receipt, saying it came again


@pytest.mark.django_db
def test_the_same_token_from_another_mobile_files_a_separate_concern(client, deputy, category):
    client.post(_file_url(deputy), _form_data(category))
    client.post(_file_url(deputy), _form_data(category, mobile="13987654321"))

    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_filing_notifies_the_constituent_and_the_deputy(client, deputy, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_file_url(deputy), _form_data(category))

    concern = Concern.objects.get()
    sent = {n.recipient: n for n in concern.notifications.all()}
    assert set(sent) == {"13812345678", deputy.mobile}
    assert concern.tracking in sent["13812345678"].body
    assert all(n.status == Notification.Status.SENT for n in sent.values())


@pytest.mark.django_db
def test_filing_to_an_inactive_or_unknown_deputy_is_404(client, category):
    gone = DeputyFactory(is_active=False)

    for code in (gone.code, "zzzzzzz"):
        url = reverse("petitions:file_to_deputy", args=[code])
        assert client.get(url).status_code == 404
        assert client.post(url, _form_data(category)).status_code == 404
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_filing_to_a_site_addresses_the_site_and_no_deputy(client, category):
    site = SiteFactory(name="白塔片区代表联络点")

    response = client.post(reverse("petitions:file_to_site", args=[site.code]), _form_data(category))

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.site, concern.deputy, concern.channel) == (site, None, Concern.Channel.QR)


@pytest.mark.django_db
def test_filing_to_an_inactive_site_is_404(client, category):
    site = SiteFactory(is_active=False)

    assert client.get(reverse("petitions:file_to_site", args=[site.code])).status_code == 404


@pytest.mark.django_db
def test_an_inactive_category_cannot_be_chosen(client, deputy):
    retired = CategoryFactory(is_active=False)

    response = client.post(_file_url(deputy), _form_data(retired))

    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_the_kept_categories_follow_each_change_and_never_another_townships(client, deputy,
                                                                          django_capture_on_commit_callbacks):
    """A filing's category is checked against its township's active categories, kept in the process while the
    township's stamp stands (petitions.views.public): a change shows on the next filing."""
    from liaison.scoping import in_township
    from tests.factories import TownshipFactory

    def filed(category, token: str) -> bool:  # (each from another mobile: not a repeat of the one before)
        with django_capture_on_commit_callbacks(execute=True):  # committed, as a request's writes are
            response = client.post(_file_url(deputy), _form_data(category, token=token,
                                                                  mobile=f"1381234567{token[-1]}"))
        return response.status_code == 302 and "/receipt/" in response["Location"]

    with django_capture_on_commit_callbacks(execute=True):
        category = CategoryFactory(township=deputy.township)
    assert filed(category, "0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e71")
    with django_capture_on_commit_callbacks(execute=True):
        category.is_active = False
        category.save()
        later = CategoryFactory(township=deputy.township)
    assert not filed(category, "0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e72")
    assert filed(later, "0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e73")
    with django_capture_on_commit_callbacks(execute=True):
        other = TownshipFactory(name="下各镇", code="xiage")
        with in_township(other):
            elsewhere = CategoryFactory(township=other)
    assert not filed(elsewhere, "0b9e3c52-7d4c-4c4f-8a0e-5a8d2b6f1e74")
    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_receipt_shows_the_tracking_code_large_to_the_browser_that_filed(client, deputy, category):
    response = client.post(_file_url(deputy), _form_data(category), follow=True)

    concern = Concern.objects.get()
    body = response.content.decode()
    assert response.templates[0].name == "petitions/public/receipt.html"
    assert re.search(rf'id="tracking-code"[^>]*>{concern.tracking}<', body)
    assert f'href="{concern.get_absolute_url()}"' in body
    assert "陈西荣" not in body and "13812345678" not in body


@pytest.mark.django_db
def test_receipt_sends_other_browsers_to_the_tracking_page(client, deputy, category):
    client.post(_file_url(deputy), _form_data(category))
    concern = Concern.objects.get()
    client.cookies.clear()

    response = client.get(reverse("petitions:receipt", args=[concern.tracking]))

    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()


@pytest.mark.django_db
def test_deputy_profile_and_site_page_link_to_the_filing_page(client):
    deputy = DeputyFactory()

    profile = client.get(deputy.get_absolute_url()).content.decode()
    site_page = client.get(deputy.site.get_absolute_url()).content.decode()

    assert f'href="{reverse("petitions:file_to_deputy", args=[deputy.code])}"' in profile
    assert f'href="{reverse("petitions:file_to_site", args=[deputy.site.code])}"' in site_page


@pytest.mark.django_db
def test_portal_links_to_the_tracking_lookup(client):
    assert f'href="{reverse("petitions:lookup")}"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_village_from_another_list_is_refused(client, deputy, category):
    response = client.post(_file_url(deputy), _form_data(category, village=VillageFactory().pk + 1000))

    assert "village" in response.context["form"].errors


ALREADY = "您的这条诉求此前已收到"


@pytest.mark.django_db
def test_a_first_filing_receipt_does_not_say_already_received(client, deputy, category):
    response = client.post(_file_url(deputy), _form_data(category), follow=True)

    assert ALREADY not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("second_token", ["6f1c2a4e-8a0b-4f7e-9a51-2b1f0c3d4e5f",  # the same form sent again
                                          "0d8e4a5b-3c1f-4f57-9d8e-2a6b7c1d0e93"])  # Back gave a fresh form
def test_the_same_concern_sent_again_lands_on_its_receipt_saying_already_received(
    client, deputy, category, second_token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_file_url(deputy), _form_data(category))
    concern, sent = Concern.objects.get(), Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_file_url(deputy), _form_data(category, token=second_token), follow=True)

    body = response.content.decode()
    assert response.redirect_chain == [(reverse("petitions:receipt", args=[concern.tracking]) + "?again=1", 302)]
    assert ALREADY in body and re.search(rf'id="tracking-code"[^>]*>{concern.tracking}<', body)
    assert Concern.objects.count() == 1
    assert sent == 2 and Notification.objects.count() == sent


@pytest.mark.django_db
def test_the_same_words_and_mobile_from_another_browser_are_told_it_was_received_but_not_the_code(
    client, deputy, category
):
    from django.test import Client

    client.post(_file_url(deputy), _form_data(category))
    concern = Concern.objects.get()
    other = Client()

    response = other.post(_file_url(deputy), _form_data(category, token="0d8e4a5b-3c1f-4f57-9d8e-2a6b7c1d0e93"),
                          follow=True)

    body = response.content.decode()
    assert Concern.objects.count() == 1
    assert response.redirect_chain == [(_file_url(deputy), 302)]
    # Whoever knows a mobile and the words must not get the code: with it and the last four
    # digits they could act as the owner. The owner has it by SMS.
    assert "已收到过这条诉求" in body and "138****" in body
    assert concern.tracking not in body
    assert "filed" not in other.cookies
    assert concern.tracking in client.cookies["filed"].value
    assert not client.session.keys()  # a filing writes no session: its browser is known by the cookie alone


@pytest.mark.django_db
def test_a_filing_does_not_look_up_again_the_rows_it_was_given(client, deputy, category):
    """The deputy, category and township are the caller's objects and the database enforces the concern's check
    constraints: model validation querying each again cost a filing five of its thirty queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(_file_url(deputy), _form_data(category))

    assert response.status_code == 302 and Concern.objects.count() == 1
    validating = [q["sql"] for q in queries if q["sql"].startswith(('SELECT 1 AS "a"', 'SELECT 1 AS "_check"'))
                  and "django_session" not in q["sql"]]  # (the new session's key checked free)
    assert validating == []
