"""Study materials (学习资料, docs/study.md): who sees and opens what, the deputies' read receipts, the PDF files
behind their access check, the back office, and the query counts of the lists."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from dashboard import study
from dashboard.models import StudyCategory, StudyMaterial, StudyReadReceipt
from liaison import roles
from liaison.models import Membership, TownshipHost
from liaison.scoping import in_township
from tests.factories import DeputyFactory, TownshipFactory, UserFactory, the_township

pytestmark = pytest.mark.django_db

B_HOST = "b.example.cn"


def _pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#fff").save(buffer, format="PDF")
    return buffer.getvalue()


def _pdf(name: str = "x.pdf") -> ContentFile:
    return ContentFile(_pdf_bytes(), name=name)


def _category(township=None, name: str = "履职指南", position: int = 0) -> StudyCategory:
    return StudyCategory.objects.create(township=township or the_township(), name=name, position=position)


def _material(category=None, *, title="学习代表法", audience="public", published=True, pdf=None, body="正文") -> StudyMaterial:
    category = category or StudyCategory.objects.filter(township=the_township()).first() or _category()
    with in_township(category.township):
        return study.study_material_create(category=category, title=title, body=body, audience=audience, pdf=pdf,
                                           is_published=published)


def _deputy_account(township=None, username="deputy-reader"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=roles.DEPUTY))
    deputy = DeputyFactory(township=township or the_township(), user=user)
    return user, deputy


def _other_township():
    township = TownshipFactory(name="下各镇", code="xiage", station_name="下各镇人大代表联络站")
    TownshipHost.objects.create(township=township, host=B_HOST)
    return township


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- read receipts ----------------------------------------------------------------------------------


def test_a_deputy_opening_a_deputies_only_material_twice_leaves_one_receipt_of_the_first_time():
    material = _material(audience="deputies")
    user, deputy = _deputy_account()
    client = _logged_in(user)

    assert client.get(material.get_absolute_url()).status_code == 200
    first = StudyReadReceipt.objects.get()
    assert client.get(material.get_absolute_url()).status_code == 200
    assert client.get(f"/study/{material.code}/").status_code == 200

    assert list(StudyReadReceipt.objects.values_list("deputy", "material")) == [(deputy.pk, material.pk)]
    assert StudyReadReceipt.objects.get().opened_at == first.opened_at
    with in_township(material.township):
        assert study.study_material_open(material=material, deputy=deputy) is False


def test_opening_the_pdf_counts_as_reading_and_the_database_keeps_one_row_per_deputy():
    from django.db import IntegrityError, transaction

    material = _material(audience="deputies", pdf=_pdf())
    user, deputy = _deputy_account()

    response = _logged_in(user).get(f"/study/{material.code}/file.pdf")

    assert response.status_code == 200 and StudyReadReceipt.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # the constraint decides, not a check before saving
        StudyReadReceipt.objects.create(township=material.township, material=material, deputy=deputy)


def test_nobody_but_a_deputy_writes_a_receipt_and_a_public_material_keeps_none(staff, official, handler):
    private = _material(title="内部材料", audience="deputies", pdf=_pdf())
    public = _material(title="公开材料", pdf=_pdf())
    user, _deputy = _deputy_account()
    viewers = [Client(), _logged_in(staff), _logged_in(official), _logged_in(handler)]

    for client in viewers:
        for material in (private, public):
            client.get(material.get_absolute_url())
            client.get(f"/study/{material.code}/file.pdf")
    _logged_in(user).get(public.get_absolute_url())

    assert not StudyReadReceipt.objects.exists()


def test_a_deputy_sees_the_deputies_only_materials_in_the_list_marked_read_or_not():
    category = _category()
    read = _material(category, title="已读材料", audience="deputies")
    _material(category, title="未读材料", audience="deputies")
    _material(category, title="公开材料")
    user, deputy = _deputy_account()
    with in_township(read.township):
        study.study_material_open(material=read, deputy=deputy)

    mine = _logged_in(user).get("/study/").content.decode()
    public = Client().get("/study/").content.decode()

    assert "已读材料" in mine and "未读材料" in mine and "公开材料" in mine
    assert mine.count('data-read="yes"') == 1 and mine.count('data-read="no"') == 1
    assert "公开材料" in public and "已读材料" not in public and "未读材料" not in public


# --- who may open what ------------------------------------------------------------------------------


def test_a_private_pdf_is_refused_to_anonymous_and_to_another_townships_deputy_and_staff():
    material = _material(audience="deputies", pdf=_pdf())
    url = f"/study/{material.code}/file.pdf"
    other = _other_township()
    other_user, _other_deputy = _deputy_account(other, username="b-deputy")
    other_staff = UserFactory(username="b-staff", is_staff=True)
    other_staff.groups.add(Group.objects.get(name=roles.STAFF))
    Membership.objects.create(user=other_staff, township=other)
    own_user, _deputy = _deputy_account()

    assert Client().get(url).status_code == 404
    for host in ("testserver", B_HOST):
        assert _logged_in(other_user).get(url, HTTP_HOST=host).status_code == 404
        assert _logged_in(other_staff).get(url, HTTP_HOST=host).status_code == 404
        assert _logged_in(other_user).get(material.get_absolute_url(), HTTP_HOST=host).status_code == 404
    served = _logged_in(own_user).get(url)

    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")
    assert "no-store" in served["Cache-Control"]
    assert StudyReadReceipt.objects.count() == 1  # the own deputy's only


def test_another_townships_deputy_on_this_host_reads_as_the_public_does():
    _material(title="本镇内部材料", audience="deputies")
    other_user, _deputy = _deputy_account(_other_township(), username="b-deputy")

    page = _logged_in(other_user).get("/study/").content.decode()

    assert "本镇内部材料" not in page and not StudyReadReceipt.objects.exists()


def test_a_public_pdf_is_anyones_and_may_be_cached():
    material = _material(pdf=_pdf())

    response = Client().get(f"/study/{material.code}/file.pdf", HTTP_HOST=B_HOST)  # a printed link, on any host

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert 'inline; filename="' in response["Content-Disposition"] or "filename*=" in response["Content-Disposition"]


def test_the_pdf_is_stored_outside_the_public_media_folder(settings):
    material = _material(pdf=_pdf())

    from pathlib import Path

    from petitions.models import ConcernPhoto

    # Where the concerns' private photos are, served only by a view that checks access.
    assert material.pdf.storage is ConcernPhoto._meta.get_field("image").storage
    assert not Path(material.pdf.path).is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert material.pdf.name.startswith("study/") and material.pdf.name.endswith(".pdf")
    assert "x.pdf" not in material.pdf.name  # a random name, never the uploader's


def test_an_unpublished_material_is_hidden_from_everyone_but_the_back_office(staff):
    draft = _material(title="未发布草稿", pdf=_pdf(), published=False)
    user, _deputy = _deputy_account()

    for client in (Client(), _logged_in(user)):
        assert "未发布草稿" not in client.get("/study/").content.decode()
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(f"/study/{draft.code}/file.pdf").status_code == 404
    office = _logged_in(staff)
    assert "未发布草稿" in office.get("/staff/study/").content.decode()
    assert office.get(f"/study/{draft.code}/file.pdf").status_code == 200  # a preview of the file
    with in_township(draft.township):
        assert draft not in study.latest_public_materials(10)


def test_taking_a_material_down_hides_it_and_publishing_dates_it_anew(staff):
    material = _material(title="将要撤下的材料")
    client = _logged_in(staff)

    assert client.post(f"/staff/study/{material.code}/unpublish/").status_code == 302
    assert client.get(material.get_absolute_url()).status_code == 404
    assert "将要撤下的材料" not in Client().get("/study/").content.decode()
    assert client.post(f"/staff/study/{material.code}/publish/").status_code == 302

    material.refresh_from_db()
    assert material.is_published and material.published_by == staff
    assert Client().get(material.get_absolute_url()).status_code == 200


def test_the_text_is_shown_as_text_never_as_html():
    material = _material(body='第一段<script>alert("x")</script>\n\n第二段 <b>粗</b>')

    page = Client().get(material.get_absolute_url()).content.decode()

    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>粗</b>" not in page
    assert "<p>第一段" in page and "<p>第二段" in page


def test_the_public_pages_are_in_chinese_by_default():
    material = _material()

    page = Client().get(material.get_absolute_url()).content.decode()

    assert "学习资料" in Client().get("/study/").content.decode()
    assert "全部学习资料" in page


# --- the back office --------------------------------------------------------------------------------


def _form(category, **extra) -> dict:
    return {"category": category.pk, "title": "代表建议撰写要点", "body": "", "audience": "deputies",
            "is_published": "on", **extra}


def test_staff_add_a_deputies_only_material_with_a_pdf(staff):
    category = _category()
    client = _logged_in(staff)

    response = client.post("/staff/study/new/", _form(category, pdf=SimpleUploadedFile(
        "要点.pdf", _pdf_bytes(), content_type="application/pdf")))

    material = StudyMaterial.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/study/{material.code}/"
    assert material.is_for_deputies and material.is_published and material.published_by == staff
    assert material.published_at is not None and material.pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("假的.pdf", b"GIF89a not a pdf at all", content_type="application/pdf"), "不是 PDF"),
    (SimpleUploadedFile("文档.pdf", b"<html><body>hi</body></html>", content_type="application/pdf"), "不是 PDF"),
])
def test_a_file_that_is_not_a_pdf_is_refused_with_a_chinese_message(staff, upload, message):
    response = _logged_in(staff).post("/staff/study/new/", _form(_category(), pdf=upload))

    assert response.status_code == 200 and message in response.content.decode()
    assert not StudyMaterial.objects.exists()
    assert 'value="代表建议撰写要点"' in response.content.decode()  # nothing typed is lost


def test_a_pdf_over_the_limit_is_refused_with_a_chinese_message(staff, settings):
    settings.STUDY_PDF_MAX_BYTES = 100
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * 200, content_type="application/pdf")

    response = _logged_in(staff).post("/staff/study/new/", _form(_category(), pdf=big))

    assert response.status_code == 200 and "PDF 文件须小于" in response.content.decode()
    assert not StudyMaterial.objects.exists()


def test_the_service_checks_the_file_too_whoever_calls_it():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError), in_township(the_township()):
        study.study_material_create(category=_category(), title="假文件", audience="public",
                                    pdf=ContentFile(b"MZ\x90\x00", name="x.pdf"))
    with pytest.raises(ValidationError), in_township(the_township()):
        study.study_material_create(category=_category(name="空的"), title="什么都没有", audience="public")
    assert not StudyMaterial.objects.exists()


def test_a_material_cannot_take_another_townships_category():
    from django.core.exceptions import ValidationError

    foreign = _category(_other_township(), name="别镇类别")
    with pytest.raises(ValidationError), in_township(the_township()):
        study.study_material_create(category=foreign, title="跨镇", body="正文", audience="public")


def test_editing_replaces_the_file_and_removes_the_old_one(staff, django_capture_on_commit_callbacks):
    material = _material(pdf=_pdf())
    old = material.pdf.name
    storage = material.pdf.storage
    client = _logged_in(staff)
    form = {"category": material.category_id, "title": "新标题", "body": "正文", "audience": "public",
            "is_published": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/study/{material.code}/edit/", {**form, "pdf": SimpleUploadedFile(
            "新.pdf", _pdf_bytes(), content_type="application/pdf")})

    material.refresh_from_db()
    assert response.status_code == 302 and material.title == "新标题"
    assert material.pdf.name != old and storage.exists(material.pdf.name) and not storage.exists(old)


def test_the_office_page_names_who_has_read_it_and_who_has_not(staff):
    material = _material(audience="deputies")
    readers = [DeputyFactory(name="吴读过"), DeputyFactory(name="陈读过")]
    DeputyFactory(name="王没读")
    DeputyFactory(name="李离任", is_active=False)
    with in_township(material.township):
        for deputy in readers:
            study.study_material_open(material=material, deputy=deputy)

    page = _logged_in(staff).get(f"/staff/study/{material.code}/").content.decode()
    listing = _logged_in(staff).get("/staff/study/").content.decode()

    readers_part, not_read_part = page.split('id="readers"')[1].split('id="not-read"')
    assert "吴读过" in readers_part and "陈读过" in readers_part and "王没读" not in readers_part
    assert "王没读" in not_read_part and "吴读过" not in not_read_part and "李离任" not in page
    assert 'data-read-count="2"' in listing


def test_deputies_and_handlers_cannot_write_materials(deputy_user, handler):
    for user in (deputy_user, handler):
        assert _logged_in(user).get("/staff/study/new/").status_code == 403


# --- the portal's selector --------------------------------------------------------------------------


def test_latest_public_materials_are_the_newest_published_public_ones_in_one_query(django_assert_num_queries):
    category = _category()
    titles = [f"公开{n}" for n in range(4)]
    for title in titles:
        _material(category, title=title)
    _material(category, title="内部", audience="deputies")
    _material(category, title="草稿", published=False)

    with in_township(the_township()), django_assert_num_queries(1):
        latest = study.latest_public_materials(3)
        shown = [(m.title, m.category.name) for m in latest]

    assert shown == [(title, "履职指南") for title in reversed(titles)][:3]


# --- query counts -----------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _fill(n: int, *, readers: list) -> list[StudyMaterial]:
    """n materials in each of three categories, every other one for deputies only, each read by `readers`."""
    made = []
    for c in range(3):
        category = StudyCategory.objects.get_or_create(township=the_township(), name=f"类别{c}",
                                                       defaults={"position": c})[0]
        for i in range(n):
            material = _material(category, title=f"材料{c}-{i}-{len(made)}", pdf=_pdf() if i % 2 else None,
                                 audience="deputies" if i % 2 else "public")
            with in_township(material.township):
                for deputy in readers:
                    study.study_material_open(material=material, deputy=deputy)
            made.append(material)
    return made


def test_the_lists_and_the_readers_page_cost_the_same_queries_for_few_materials_or_many(staff):
    user, deputy = _deputy_account()
    few_readers = [deputy]
    _fill(1, readers=few_readers)
    material = _material(StudyCategory.objects.first(), title="内部", audience="deputies")  # its readers' page
    pages = {
        "public": (Client(), "/study/"),
        "deputy": (_logged_in(user), "/study/"),
        "office": (_logged_in(staff), "/staff/study/"),
        "readers": (_logged_in(staff), f"/staff/study/{material.code}/"),
    }
    for client, url in pages.values():
        client.get(url)  # warm what a first request caches
    few = {name: _queries(client, url) for name, (client, url) in pages.items()}

    more_readers = [DeputyFactory() for _ in range(5)]
    _fill(4, readers=[deputy, *more_readers])
    with in_township(material.township):
        for reader in more_readers:
            study.study_material_open(material=material, deputy=reader)
    many = {name: _queries(client, url) for name, (client, url) in pages.items()}

    assert StudyMaterial.objects.count() >= 15 and material.receipts.count() == 5
    assert many == few
