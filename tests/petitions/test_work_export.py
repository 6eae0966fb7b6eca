"""desk:export — the desk list, exactly as filtered, as .xlsx: a date range first, streamed, capped."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign
from tests.factories import ConcernFactory
from tests.liaison.test_spreadsheets import formula_cells

URL = reverse("desk:export")
LIST = reverse("desk:concerns")


def _range(days: int = 30) -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=days)).isoformat(), "date_to": today.isoformat()}


def _rows(response) -> list[tuple]:
    assert isinstance(response, FileResponse)  # streamed from a file, not built in memory
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.django_db
def test_without_a_date_range_the_export_sends_back_to_the_list_saying_why(client, official, category):
    ConcernFactory(category=category)
    client.force_login(official)

    response = client.get(URL, {"status": "submitted", "date_from": "2026-01-01"})

    assert response.status_code == 302
    assert response["Location"] == LIST + "?status=submitted&date_from=2026-01-01"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["导出前请先选择提交日期的起止范围（自、至）。"]


@pytest.mark.django_db
def test_the_export_holds_exactly_the_filtered_list_in_its_order(client, official, category, unit):
    assigned = [
        concern_assign(concern=ConcernFactory(category=category, content=f"第{n}处路灯不亮", mobile=f"1380000000{n}"),
                       unit=unit, actor=official, role=workflow.OFFICIAL)
        for n in range(3)
    ]
    ConcernFactory(category=category, content="路灯不亮")  # submitted: not on the "assigned" tab
    ConcernFactory(category=category, content="垃圾没人清运")  # not found by the search
    old = concern_assign(concern=ConcernFactory(category=category, content="路灯不亮"), unit=unit, actor=official,
                         role=workflow.OFFICIAL)
    Concern.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    client.force_login(official)
    filters = {"q": "路灯", "status": "assigned", "sort": "created", **_range()}

    listed = [c.tracking for c in client.get(LIST, filters).context["page"].object_list]
    response = client.get(URL, filters)

    header, *rows = _rows(response)
    assert header[:4] == ("查询码", "提交时间", "来源渠道", "状态")
    assert [row[0] for row in rows] == listed == [c.tracking for c in assigned]
    first = rows[0]
    assert "13800000000" in first and "第0处路灯不亮" in first and unit.name in first
    assert 'filename="concerns_' in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_export_stops_at_the_row_cap_and_says_so_in_the_file_and_on_the_page(
    client, official, category, settings
):
    settings.EXPORT_ROW_LIMIT = 2
    for _ in range(3):
        ConcernFactory(category=category)
    client.force_login(official)

    header, *rows = _rows(client.get(URL, _range()))

    assert len(rows) == 3  # two concerns, then the notice
    assert rows[-1][0].startswith("已达导出上限：本文件只含前 2 行")
    page = client.get(LIST, _range()).content.decode()
    assert 'id="export-over-limit"' in page and "导出文件只含前 2 条" in page
    settings.EXPORT_ROW_LIMIT = 3
    assert len(_rows(client.get(URL, _range()))) == 1 + 3
    assert 'id="export-over-limit"' not in client.get(LIST, _range()).content.decode()


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_exported_as_text(client, official, category):
    ConcernFactory(category=category, content='=HYPERLINK("http://evil.example","点我")', mobile="13900000001")
    client.force_login(official)

    response = client.get(URL, _range())

    data = b"".join(response.streaming_content)
    assert formula_cells(data) == []
    sheet = load_workbook(io.BytesIO(data)).active
    content = next(cell for cell in sheet[2] if str(cell.value).startswith("=HYPERLINK"))
    assert content.data_type == "s"
    assert content.value == '=HYPERLINK("http://evil.example","点我")'
    assert content.quotePrefix


@pytest.mark.parametrize("who", ["handler", "deputy_user"])
@pytest.mark.django_db
def test_handlers_and_deputies_may_not_export(client, request, who, concern):
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL, _range()).status_code == 403


@pytest.mark.django_db
def test_the_export_button_submits_the_filters_as_typed(client, official):
    client.force_login(official)

    body = client.get(LIST).content.decode()

    assert f'form="concern-filters" formaction="{URL}"' in body
    assert "选择提交日期范围后可导出。" in body


@pytest.mark.django_db
def test_exports_are_never_cached(client, staff):
    client.force_login(staff)
    for url in ("/desk/concerns/export.xlsx", "/desk/receptions/export.xlsx"):
        response = client.get(url, {"date_from": "2026-01-01", "date_to": "2026-12-31"})
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
