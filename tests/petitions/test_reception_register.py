"""The reception register: search, export to .xlsx, the printed form, and who may use the desk."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputies.models import Site
from petitions.receptions import reception_record
from tests.factories import DeputyFactory, SiteFactory, VillageFactory

LIST = "/desk/receptions/"
EXPORT = "/desk/receptions/export.xlsx"
PRINT = "/desk/receptions/print/"
SPRING = {"date_from": "2026-03-01", "date_to": "2026-04-30"}  # the register fixture's three receptions


@pytest.fixture
def station(db):
    return SiteFactory(name="白塔镇人大代表联络站", kind=Site.Kind.STATION)


@pytest.fixture
def wu(db, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return DeputyFactory(name="吴立新", site=station)


@pytest.fixture
def wang(db, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return DeputyFactory(name="王智慧", site=station)


def _record(station, recorded_by, *, on, mobile, name, village=None, deputies=(), matters="咨询政策", answer="",
            concerns=()):
    reception, _created = reception_record(
        received_on=on, site=station, deputies=list(deputies), mobile=mobile, name=name, village=village,
        visitor_count=1, matters=matters, answer=answer, satisfaction="satisfied", recorded_by=recorded_by,
        new_concerns=[{"content": content, "category": category} for content, category in concerns],
    )
    return reception


@pytest.fixture
def register(db, staff, station, wu, wang, category):
    """Three receptions on three duty days, with different deputies, villages and matters."""
    baita, xiyuan = VillageFactory(name="白塔村"), VillageFactory(name="西园村")
    return {
        "march": _record(station, staff, on=datetime.date(2026, 3, 7), mobile="13800000001", name="陈西荣",
                         village=baita, deputies=[wu], matters="家门口葡萄园环境卫生差",
                         concerns=[("葡萄园旁垃圾堆放", category)]),
        "march_late": _record(station, staff, on=datetime.date(2026, 3, 21), mobile="13800000002", name="李春花",
                              village=xiyuan, deputies=[wang], matters="河边竹林有农药瓶",
                              answer="已联系村里清理"),
        "april": _record(station, staff, on=datetime.date(2026, 4, 7), mobile="13900000003", name="王大伯",
                         village=baita, deputies=[wu, wang], matters="窨井盖下沉破损"),
        "baita": baita,
    }


def _shown(response) -> list[str]:
    return [reception.constituent.name for reception in response.context["page"].object_list]


@pytest.mark.django_db
def test_register_lists_receptions_newest_first(client, staff, register):
    client.force_login(staff)

    response = client.get(LIST)

    assert _shown(response) == ["王大伯", "李春花", "陈西荣"]


@pytest.mark.django_db
def test_register_search_by_date_range_narrows(client, staff, register):
    client.force_login(staff)

    response = client.get(LIST, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    assert _shown(response) == ["李春花", "陈西荣"]
    assert _shown(client.get(LIST, {"date_from": "2026-03-08"})) == ["王大伯", "李春花"]


@pytest.mark.django_db
def test_register_search_by_deputy_narrows(client, staff, register, wang):
    client.force_login(staff)

    response = client.get(LIST, {"deputy": wang.pk})

    assert _shown(response) == ["王大伯", "李春花"]


@pytest.mark.django_db
def test_register_search_by_village_narrows(client, staff, register):
    client.force_login(staff)

    response = client.get(LIST, {"village": register["baita"].pk})

    assert _shown(response) == ["王大伯", "陈西荣"]


@pytest.mark.parametrize(
    "text, expected",
    [("农药", ["李春花"]), ("联系村里", ["李春花"]), ("王大", ["王大伯"]), ("1390000", ["王大伯"])],
    ids=["matters", "answer", "visitor-name", "mobile"],
)
@pytest.mark.django_db
def test_register_search_by_text_narrows(client, staff, register, text, expected):
    client.force_login(staff)

    assert _shown(client.get(LIST, {"q": text})) == expected


@pytest.mark.django_db
def test_register_ignores_an_invalid_filter_and_keeps_the_others(client, staff, register):
    client.force_login(staff)

    response = client.get(LIST, {"date_from": "not-a-date", "q": "窨井"})

    assert _shown(response) == ["王大伯"]


@pytest.mark.django_db
def test_register_row_links_the_concerns_made_from_the_reception(client, staff, register):
    client.force_login(staff)
    tracking = register["march"].concerns.get().tracking

    body = client.get(LIST).content.decode()

    assert f'href="{reverse("desk:concern", args=[tracking])}"' in body
    # The mobile shows masked until someone asks to see it (docs/privacy.md).
    assert "138****0001" in body and "13800000001" not in body and "吴立新" in body and "家门口葡萄园环境卫生差" in body


@pytest.mark.django_db
def test_register_is_paginated_by_fifty(client, staff, station):
    for n in range(51):
        _record(station, staff, on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                mobile=f"1370000{n:04d}", name=f"来访{n}")
    client.force_login(staff)

    first, second = client.get(LIST), client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert _shown(second) == ["来访0"]


@pytest.mark.django_db
def test_register_runs_the_same_number_of_queries_for_1_and_15_receptions(
    client, staff, station, wu, wang, category, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        _record(station, staff, on=datetime.date(2026, 3, 7), mobile=f"1360000{n:04d}", name=f"来访{n}",
                village=VillageFactory(), deputies=[wu, wang], concerns=[("路灯不亮", category), ("垃圾", category)])

    add(0)
    client.force_login(staff)
    client.get(LIST)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST).context["page"].object_list) == 1
    for n in range(1, 15):
        add(n)

    with django_assert_num_queries(len(one)):
        assert len(client.get(LIST).context["page"].object_list) == 15


@pytest.mark.django_db
def test_export_is_an_xlsx_whose_rows_match_the_filter(client, official, register, wu):
    client.force_login(official)

    response = client.get(EXPORT, {"deputy": wu.pk, **SPRING})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2  # header + the two receptions wu sat
    header, *body = rows
    assert all(header)
    visitor = 3  # date, site, deputies, visitor, mobile, ...
    assert [row[visitor] for row in body] == ["王大伯", "陈西荣"]
    march = body[1]
    assert march[0].date() == datetime.date(2026, 3, 7)
    assert "13800000001" in march and "吴立新" in march and "家门口葡萄园环境卫生差" in march
    assert register["march"].concerns.get().tracking in march


@pytest.mark.django_db
def test_export_headers_follow_the_chosen_language(client, staff, settings, register):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(EXPORT, SPRING)

    header = next(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert header[0] == "Date" and "Matters raised" in header


@pytest.mark.django_db
def test_export_file_name_carries_the_date_range(client, staff, register):
    client.force_login(staff)

    response = client.get(EXPORT, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    assert 'filename="reception-register_20260301-20260331.xlsx"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_print_page_is_the_paper_register_with_the_filtered_rows(client, staff, register):
    client.force_login(staff)

    response = client.get(PRINT, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "陈西荣" in body and "李春花" in body and "王大伯" not in body
    assert "2026-03-01" in body and "2026-03-31" in body
    assert register["march"].concerns.get().tracking in body
    assert 'id="print"' in body and "js/print.js" in body and "css/register.css" in body
    assert "<script>" not in body  # no inline scripts
    assert 'class="register"' in body


@pytest.mark.django_db
def test_print_without_dates_is_this_month_so_far_with_the_range_shown_and_changeable(
    client, staff, register, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 4, 20, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    client.force_login(staff)

    body = client.get(PRINT).content.decode()

    assert "王大伯" in body and "陈西荣" not in body and "李春花" not in body
    assert "2026-04-01" in body and "2026-04-20" in body
    assert 'name="date_from" value="2026-04-01"' in body and 'name="date_to" value="2026-04-20"' in body


@pytest.mark.django_db
def test_print_keeps_the_other_filters_in_its_range_form(client, staff, register):
    client.force_login(staff)

    body = client.get(PRINT, {"date_from": "2026-03-01", "date_to": "2026-03-31", "q": "竹林"}).content.decode()

    assert "李春花" in body and "陈西荣" not in body
    assert 'type="hidden" name="q" value="竹林"' in body


# Who may use the desk: staff everything; officials read, export and print; nobody else.
READ_URLS = [LIST, EXPORT, PRINT]
RECORD_URLS = ["/desk/receptions/new/", "/desk/receptions/phone/"]


@pytest.mark.parametrize("url", READ_URLS + RECORD_URLS)
@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", READ_URLS + RECORD_URLS)
@pytest.mark.parametrize("who", ["handler", "deputy_user"])
@pytest.mark.django_db
def test_handler_and_deputy_are_forbidden(client, request, who, url):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", READ_URLS)
@pytest.mark.django_db
def test_official_can_read_export_and_print(client, official, url):
    client.force_login(official)

    assert client.get(url, SPRING).status_code == 200


@pytest.mark.parametrize("url", RECORD_URLS)
@pytest.mark.django_db
def test_official_cannot_record(client, official, url):
    client.force_login(official)

    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("url", READ_URLS + RECORD_URLS)
@pytest.mark.parametrize("who", ["staff", "admin_user"])
@pytest.mark.django_db
def test_staff_and_superuser_may_use_everything(client, request, who, url):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url, SPRING).status_code == 200


@pytest.mark.django_db
def test_official_sees_no_record_links_on_the_register(client, official):
    client.force_login(official)

    body = client.get(LIST).content.decode()

    assert reverse("receptions:new") not in body and reverse("receptions:phone") not in body


@pytest.mark.django_db
def test_export_document_title_names_the_register_and_its_range(client, staff, settings, register):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(EXPORT, {"date_from": "2026-03-01", "date_to": "2026-03-31"})

    title = load_workbook(io.BytesIO(b"".join(response.streaming_content))).properties.title
    assert title == "Reception register From 2026-03-01 to 2026-03-31"
